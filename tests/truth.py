"""Compare what budgetpack produced with a corpus ``truth.json`` (what is printed).

Shared by the PDF and DOCX tests so that both formats are held to the same truth.
"""

from __future__ import annotations

import csv
import json
import re
import tempfile
from collections import Counter
from decimal import Decimal
from functools import cache
from pathlib import Path

from converters.errors import ConversionError
from converters.pipeline import ConversionResult, convert, read_document
from converters.recognise import FoundTable, recognise
from converters.values import parse_amount
from tests.fields import ColumnMap, expected_records, field_problems, map_columns, spread_merges, unplaced_fields

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = FIXTURES / "corpus"

#: truth.json table ids (corpus format) -> the concept that should recognise them.
TRUTH_CONCEPTS = {
    "t01": "shanxi_budget/income_expenditure_summary",
    "t02": "shanxi_budget/income_by_function",
    "t03": "shanxi_budget/expenditure_by_function",
    "t04": "shanxi_budget/fiscal_income_expenditure_summary",
    "t05": "shanxi_budget/general_budget_expenditure",
    "t06": "shanxi_budget/general_budget_basic_expenditure_by_economic",
    "t07": "shanxi_budget/gov_fund_income",
    "t08": "shanxi_budget/gov_fund_expenditure",
    "t09": "shanxi_budget/state_capital_income_expenditure",
    "t10": "shanxi_budget/three_public_expenditure",
    "t11": "shanxi_budget/operating_expenses",
    "t12": "shanxi_budget/project_expenditure_current",
    "t13": "shanxi_budget/project_expenditure_carried_over",
    "f01": "final_accounts_national/income_expenditure_summary",
    "f02": "final_accounts_national/income_by_function",
    "f03": "final_accounts_national/expenditure_by_function",
    "f04": "final_accounts_national/fiscal_income_expenditure_summary",
    "f05": "final_accounts_national/general_budget_expenditure",
    "f06": "final_accounts_national/general_budget_basic_expenditure_by_economic",
    "f07": "final_accounts_national/gov_fund_income_expenditure",
    "f08": "final_accounts_national/state_capital_expenditure",
    "f09": "final_accounts_national/three_public_expenditure",
    "f10": "final_accounts_national/statistics",
    "hb_income_expenditure_summary": "hebei_budget/income_expenditure_summary",
    "hb_income_summary": "hebei_budget/income_by_function",
    "hb_expenditure_summary": "hebei_budget/expenditure_by_function",
    "hb_fiscal_income_expenditure_summary": "hebei_budget/fiscal_income_expenditure_summary",
    "hb_general_budget_expenditure": "hebei_budget/general_budget_expenditure",
    "hb_general_budget_basic_expenditure": "hebei_budget/general_budget_basic_expenditure_by_economic",
    "hb_gov_fund_expenditure": "hebei_budget/gov_fund_expenditure",
    "hb_state_capital_expenditure": "hebei_budget/state_capital_expenditure",
    "hb_three_public_expenditure": "hebei_budget/three_public_expenditure",
    "hb_government_procurement": "hebei_budget/government_procurement",
    "hb_fixed_assets": "hebei_budget/fixed_assets",
    **{
        f"shb{i:02d}": f"shanghai_budget/{r}"
        for i, r in enumerate(
            [
                "income_expenditure_summary",
                "income_by_function",
                "expenditure_by_function",
                "fiscal_income_expenditure_summary",
                "general_budget_expenditure",
                "gov_fund_expenditure",
                "state_capital_expenditure",
                "general_budget_basic_expenditure_by_economic",
                "three_public_expenditure",
            ],
            1,
        )
    },
    **{
        f"shf{i:02d}": f"shanghai_final_accounts/{r}"
        for i, r in enumerate(
            [
                "income_expenditure_summary",
                "income_by_function",
                "expenditure_by_function",
                "fiscal_income_expenditure_summary",
                "general_budget_expenditure",
                "general_budget_basic_expenditure_by_economic",
                "three_public_expenditure",
                "gov_fund_income_expenditure",
                "state_capital_income_expenditure",
            ],
            1,
        )
    },
    **{
        f"js{i:02d}": f"jiangsu_budget/{r}"
        for i, r in enumerate(
            [
                "income_expenditure_summary",
                "income_by_source",
                "expenditure_summary",
                "fiscal_income_expenditure_summary",
                "fiscal_expenditure_by_function",
                "fiscal_basic_expenditure_by_economic",
                "general_budget_expenditure",
                "general_budget_basic_expenditure_by_economic",
                "three_public_expenditure",
                "gov_fund_expenditure",
                "operating_expenses",
                "government_procurement",
            ],
            1,
        )
    },
}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def load_truth(doc_id: str) -> dict:
    path = next(CORPUS.glob(f"{doc_id}_*.truth.json"))
    return json.loads(path.read_text(encoding="utf-8"))


def corpus_file(doc_id: str, ext: str) -> Path:
    return next(CORPUS.glob(f"{doc_id}_*.{ext}"))


def standard_tables(truth: dict) -> list[dict]:
    return [t for t in truth["tables"] if t["kind"] == "standard" and t["id"] in TRUTH_CONCEPTS]


def grid(rows: list[list[str]]) -> list[list[str]]:
    """Rows with white space removed from cells and wholly blank rows left out."""
    return [[squash(c) for c in r] for r in rows if any(squash(c) for c in r)]


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def row_contents(cells: list[str]) -> tuple[Counter, Counter]:
    """Amounts and texts printed in one truth row, as multisets."""
    amounts: Counter = Counter()
    texts: Counter = Counter()
    for c in cells:
        a = parse_amount(c)
        if a.value is not None:
            amounts[a.value] += 1
        elif squash(c) and a.reason != "not-applicable":
            texts[squash(c)] += 1
    return amounts, texts


DERIVED = {"row_kind", "side", "stage", "category", "parent_code", "section", "unit", "quantity_unit"}
LAYOUT = {"line_no", "level", "page", "column_group"}
PER_LINE = {"seq"}  # printed once per line, repeated on each side's record


def resource_contents(rows: list[dict], schema: dict) -> tuple[Counter, Counter]:
    """Amounts and texts of the package rows built from one printed row (fields the
    converter derives, like level or side, left out)."""
    money = {f["name"] for f in schema["fields"] if f["type"] in ("number", "integer")} - LAYOUT
    text_fields = {f["name"] for f in schema["fields"] if f["type"] == "string"} - DERIVED
    amounts: Counter = Counter()
    texts: Counter = Counter()
    seen_per_line: set[tuple[str, str]] = set()
    for r in rows:
        for k, v in r.items():
            if v in ("", None) or (k, v) in seen_per_line:
                continue
            if k in PER_LINE:
                seen_per_line.add((k, v))
            if k in money:
                amounts[Decimal(v)] += 1
            elif k in text_fields:
                as_number = parse_amount(v).value
                if as_number is not None:
                    amounts[as_number] += 1
                else:
                    texts[squash(v)] += 1
    return amounts, texts


def compare_resource(truth_table: dict, csv_rows: list[dict], schema: dict) -> list[str]:
    """Every printed number and label of the truth table is in the package row of its
    printed line, in the field, side and column group of its printed column, and the
    package has nothing the table did not print."""
    problems = []
    header_cells = {c for r in grid(truth_table["header_rows"]) for c in r if c}
    columns = map_columns(truth_table, TRUTH_CONCEPTS[truth_table["id"]])
    body = grid(spread_merges(truth_table["rows"], truth_table.get("body_merges", []), columns, schema))
    problems += [
        f"{truth_table['id']}: printed column {j + 1} ({path}) has no field written in tests/printed_columns.py"
        for j, path in columns.unwritten
    ]
    by_line: dict[int, list[dict]] = {}
    for r in csv_rows:
        by_line.setdefault(int(r["line_no"]), []).append(r)
    if max(by_line, default=0) != len(body):
        problems.append(
            f"{truth_table['id']}: {len(body)} printed rows, package has lines up to {max(by_line, default=0)}"
        )
    for i, cells in enumerate(body, start=1):
        printed = [c for c in cells if c]
        if len(printed) >= 2 and all(c in header_cells for c in printed):
            if i in by_line:  # the header printed again inside the table: layout, not data
                problems.append(f"{truth_table['id']} line {i}: printed the header again, package has {by_line[i]}")
            continue
        want_amounts, want_texts = row_contents(cells)
        got_amounts, got_texts = resource_contents(by_line.get(i, []), schema)
        if want_amounts != got_amounts or want_texts != got_texts:
            problems.append(f"{truth_table['id']} line {i}: printed {cells} but package has {by_line.get(i)}")
        problems += [
            f"{truth_table['id']} line {i} {p}" for p in compare_fields(cells, by_line.get(i, []), columns, schema)
        ]
    return problems


def compare_fields(cells: list[str], rows: list[dict], columns: ColumnMap, schema: dict) -> list[str]:
    """The package records of one printed line are the ones its printed columns make
    (one per side and column group that prints something), each field holding what
    its column prints and fields no column goes to empty."""
    names = {f["name"] for f in schema["fields"]}
    keys = [
        (
            (r[columns.side_field] or None) if columns.side_field in names else None,
            int(r["column_group"]) if columns.grouped else 0,
        )
        for r in rows
    ]
    got = dict(zip(keys, rows))
    want = expected_records(cells, columns)
    if sorted(want, key=str) != sorted(keys, key=str):
        return [f"records (side, column group) {sorted(want, key=str)} printed, package has {sorted(keys, key=str)}"]
    problems = []
    for key, fields in want.items():
        problems += [f"{key}: {p}" for p in field_problems(fields, got[key], schema)]
        problems += [
            f"{key}: {f} printed nowhere, package has {got[key][f]!r}"
            for f in sorted(unplaced_fields(columns, schema, key[0]))
            if got[key].get(f)
        ]
    return problems


@cache
def converted(doc_id: str, ext: str) -> ConversionResult | ConversionError:
    """One conversion per corpus file for the whole test session (they take seconds)."""
    out = Path(tempfile.mkdtemp(prefix=f"bp-{doc_id}-{ext}-")) / "package"
    try:
        return convert(corpus_file(doc_id, ext), out)
    except ConversionError as e:
        return e


def package_rows(result: ConversionResult) -> dict[str, list[dict]]:
    """CSV rows of every resource of a package, by resource name."""
    descriptor = json.loads((result.package_dir / "datapackage.json").read_text(encoding="utf-8"))
    return {
        r["name"]: read_csv(result.package_dir / r["path"]) for r in descriptor["resources"] if r["format"] == "csv"
    }


@cache
def converted_pdf(path: Path) -> ConversionResult:
    """One conversion per real document for the whole test session."""
    return convert(path, Path(tempfile.mkdtemp(prefix=f"bp-{path.stem}-")) / "package")


@cache
def recognised_pdf(path: Path) -> list[FoundTable]:
    """The tables recognition finds in a real document, once per session."""
    return recognise(read_document(path))


def truth_of(path: Path) -> dict:
    """The truth.json next to a real document."""
    return json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))


def descriptor_resources(result: ConversionResult, key: str) -> dict[str, dict]:
    """The package's CSV resources by ``key`` (``name``, or ``budgetpack:concept``)."""
    descriptor = json.loads((result.package_dir / "datapackage.json").read_text(encoding="utf-8"))
    return {r.get(key): r for r in descriptor["resources"] if r["format"] == "csv"}
