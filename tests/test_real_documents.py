"""Real published disclosures (Shanghai budgets and final accounts, a Jiangsu budget),
printed by Word, WPS and Excel, against truth read from their pages.

The truth files in ``tests/fixtures/real/`` are the tables as printed (corpus
truth.json format, plus each table's printed money unit). The arithmetic test holds
them to the sums the templates imply, so that a typing mistake in the truth shows;
what it finds besides is the documents' own rounding, listed in ``DOCUMENT_ERRORS``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from converters.concepts import concept_by_key, families
from converters.model import DocumentBlocks, TextBlock
from converters.pipeline import ConversionResult, read_document
from converters.recognise import FoundTable, markers_found, recognise
from converters.values import parse_amount
from tests.truth import (
    TRUTH_CONCEPTS,
    compare_resource,
    converted_pdf,
    descriptor_resources,
    grid,
    read_csv,
    recognised_pdf,
    squash,
    standard_tables,
    truth_of,
)

REAL = Path(__file__).parent / "fixtures" / "real"
DOCS = [
    "sh_putuo_sfj_2026_dept_budget",
    "sh_putuo_wanli_2023_dept_budget",
    "sh_putuo_czj_2024_dept_final",
    "js_gaoyuan_2019_dept_budget",
]
CODE_LABEL_RX = re.compile(r".*科目编码")
CODE_PART_RX = re.compile(r"类|款|项")
NUMBERED_RX = r"[一二三四五六七八九十]+、.*"
#: Tables only their titles tell apart: the same columns, for another fund.
SAME_HEADER = {"shf08", "shf09"}


def load_truth(doc: str) -> dict:
    return truth_of(REAL / f"{doc}.pdf")


def converted(doc: str) -> ConversionResult:
    return converted_pdf(REAL / f"{doc}.pdf")


def recognised(doc: str) -> dict[str, FoundTable]:
    return {t.concept.key: t for t in recognised_pdf(REAL / f"{doc}.pdf") if t.concept}


def resources(result: ConversionResult) -> dict[str, dict]:
    return descriptor_resources(result, "budgetpack:concept")


def code_columns(table: dict) -> list[list[int]]:
    """Column runs a code label (科目编码) spans in the header: the code is printed over
    them, one part (类, 款, 项) per column."""
    return [
        list(range(c, c + cs))
        for r, c, rs, cs in table["merges"]
        if cs > 1 and CODE_LABEL_RX.fullmatch(squash(table["header_rows"][r][c]))
    ]


def with_joined_codes(table: dict) -> dict:
    """The truth table with each code printed over 类 | 款 | 项 columns as one cell, as
    the package holds it; the part labels some tables print on a body line are left out."""
    runs = code_columns(table)
    rows = []
    for cells in table["rows"]:
        cells = list(cells)
        for run in runs:
            parts = [squash(cells[c]) for c in run]
            cells[run[0]] = "".join(p for p in parts if not CODE_PART_RX.fullmatch(p))
            for c in run[1:]:
                cells[c] = ""
        rows.append(cells)
    return {**table, "rows": rows}


@pytest.mark.parametrize("doc", DOCS)
def test_tables_read_exactly_as_printed(doc):
    """Title, label, header and body grids of each standard table equal the printed ones."""
    found = recognised(doc)
    for table in standard_tables(load_truth(doc)):
        got = found.get(TRUTH_CONCEPTS[table["id"]])
        assert got is not None, f"{table['id']} {table['title']} not recognised"
        assert got.title == squash(table["title"]), table["id"]
        assert got.label == (table["label"] and squash(table["label"])), table["id"]
        assert grid(got.header) == grid(table["header_rows"]), table["id"]
        assert grid(got.body) == grid(table["rows"]), table["id"]
        assert [list(m) for m in got.body_merges] == table["body_merges"], table["id"]
        assert (got.empty_note is not None) == (table["empty_note"] is not None), table["id"]


@pytest.mark.parametrize("doc", DOCS)
def test_found_without_titles(doc):
    """With every table title gone from the text layer, tables are found by their
    printed label (公开01表) and header signature."""
    document = read_document(REAL / f"{doc}.pdf")
    titles = {t.title for t in recognise(document) if t.concept}
    blocks = [b for b in document.blocks if not (isinstance(b, TextBlock) and squash(b.text) in titles)]
    untitled = DocumentBlocks(document.source_format, document.page_count, blocks, document.warnings)
    found = {t.concept.key for t in recognise(untitled) if t.concept}
    for table in standard_tables(load_truth(doc)):
        assert (TRUTH_CONCEPTS[table["id"]] in found) == (table["id"] not in SAME_HEADER), table["id"]


def test_found_by_labels_printed_without_leading_zero():
    """Jiangsu editions number their tables 公开1表 as well as 公开01表: with the titles
    gone and the labels printed so, each table is still found by label and header."""
    document = read_document(REAL / "js_gaoyuan_2019_dept_budget.pdf")
    titles = {t.title for t in recognise(document) if t.concept}
    blocks = []
    for b in document.blocks:
        if isinstance(b, TextBlock) and squash(b.text) in titles:
            continue
        if isinstance(b, TextBlock) and re.fullmatch(r"公开0\d表", squash(b.text)):
            b = TextBlock(squash(b.text).replace("公开0", "公开"), b.page, [], b.size)
        blocks.append(b)
    edited = DocumentBlocks(document.source_format, document.page_count, blocks, document.warnings)
    found = {t.label: t.concept.key for t in recognise(edited) if t.concept}
    assert found["公开5表"] == "jiangsu_budget/fiscal_expenditure_by_function"
    assert {TRUTH_CONCEPTS[t["id"]] for t in standard_tables(load_truth("js_gaoyuan_2019_dept_budget"))} == set(
        found.values()
    )


@pytest.mark.parametrize("doc", DOCS)
def test_every_number_in_its_row(doc):
    result = converted(doc)
    by_concept = resources(result)
    problems = []
    for table in standard_tables(load_truth(doc)):
        res = by_concept[TRUTH_CONCEPTS[table["id"]]]
        rows = read_csv(result.package_dir / res["path"])
        problems += compare_resource(with_joined_codes(table), rows, res["schema"])
    assert problems == []


@pytest.mark.parametrize("doc", DOCS)
def test_report_names_the_template(doc):
    truth = load_truth(doc)
    report = converted(doc).report
    for key in ("template_family", "document_kind", "organisation", "year", "scope"):
        assert report["document"][key] == truth["meta"][key], key
    statuses = {t["concept"]: t["status"] for t in report["tables"]}
    for table in standard_tables(truth):
        assert statuses[TRUTH_CONCEPTS[table["id"]]] == ("empty" if table["empty_note"] else "found"), table["id"]
    assert all(t["status"] != "missing" for t in report["tables"])
    assert report["validation"] == {"valid": True, "errors": [], "error_count": 0}


@pytest.mark.parametrize("doc", DOCS)
def test_money_in_the_unit_each_table_prints(doc):
    """Shanghai budgets print 元 except the 三公 table (万元): every money field says so."""
    by_concept = resources(converted(doc))
    for table in standard_tables(load_truth(doc)):
        res = by_concept[TRUTH_CONCEPTS[table["id"]]]
        units = {f["unit"] for f in res["schema"]["fields"] if f["type"] == "number" and "unit" in f}
        assert units == {table["unit"]}, table["id"]


@pytest.mark.parametrize("doc", DOCS)
def test_summary_lines_named_and_classed(doc):
    """In the income/expenditure summaries every amount is on a record naming its line,
    and lines named 小计 are subtotals, 合计 and 总计 totals: a label merged across
    column groups (公开01表: 当年支出小计 over 功能分类 and 支出用途, its amount under
    支出用途) names the amount it stands beside."""
    result = converted(doc)
    by_concept = resources(result)
    for table in standard_tables(load_truth(doc)):
        key = TRUTH_CONCEPTS[table["id"]]
        res = by_concept[key]
        fields = {f["name"] for f in res["schema"]["fields"]}
        if concept_by_key(key).layout not in ("two_sided", "column_groups") or "item" not in fields:
            continue
        money = [f["name"] for f in res["schema"]["fields"] if f["type"] == "number"]
        for row in read_csv(result.package_dir / res["path"]):
            if any(row[m] for m in money):
                assert row["item"], (table["id"], row)
            kind = (
                "subtotal"
                if row["item"].endswith("小计")
                else "total"
                if row["item"].endswith(("合计", "总计"))
                else None
            )
            assert kind in (None, row["row_kind"]), (table["id"], row)


@pytest.mark.parametrize("doc", DOCS)
def test_unit_read_from_the_caption(doc):
    """Each table's unit is the one its caption prints, none assumed from the template,
    also where a narrow caption cell wraps it (公开09表: 单位：万 over 元)."""
    found = recognised(doc)
    for table in standard_tables(load_truth(doc)):
        assert found[TRUTH_CONCEPTS[table["id"]]].money_unit == table["unit"], table["id"]


def test_family_marker_found_in_an_unpadded_edition():
    """An edition numbering its tables 公开1表 … 公开12表 prints the Jiangsu marker
    公开01表 as much as the padded one: markers that are labels are compared as labels."""
    document = read_document(REAL / "js_gaoyuan_2019_dept_budget.pdf")

    def unpad(text: str) -> str:
        return re.sub(r"公开0(\d)表", r"公开\1表", text)

    unpadded = [
        replace(b, text=unpad(b.text), parts=[unpad(p) for p in b.parts]) if isinstance(b, TextBlock) else b
        for b in document.blocks
    ]
    edited = DocumentBlocks(document.source_format, document.page_count, unpadded, document.warnings)
    assert "公开01表" not in "".join(b.text for b in edited.text_blocks)
    jiangsu = next(f for f in families() if f.name == "jiangsu_budget")
    assert "公开01表" in jiangsu.markers
    assert markers_found(jiangsu, edited, recognise(edited)) == markers_found(jiangsu, document, recognise(document))


def test_unit_wrapped_after_its_colon():
    """The Jiangsu 公开09表 caption wrapped one character earlier (单位： over 元, a
    table in 元): the unit is 元, not the template's 万元."""
    document = read_document(REAL / "js_gaoyuan_2019_dept_budget.pdf")
    blocks = [
        TextBlock("单位：", b.page, ["单位："], b.size)
        if isinstance(b, TextBlock) and squash(b.text) == "单位：万"
        else b
        for b in document.blocks
    ]
    edited = DocumentBlocks(document.source_format, document.page_count, blocks, document.warnings)
    table = next(t for t in recognise(edited) if t.label == "公开09表")
    assert table.money_unit == "元"
    assert ["部门名称：江苏省高级人民法院"] in table.captions


# --- arithmetic of the truth ------------------------------------------------------

#: What the arithmetic finds that the documents print so: rounding to 万元.
DOCUMENT_ERRORS = {
    "sh_putuo_czj_2024_dept_final": [
        "shf02 合计 column 5: 2946.25, its classes sum to 2946.26",
        "shf02 合计 column 6: 2940.05, its classes sum to 2940.06",
        "shf03 合计 column 5: 2940.05, its classes sum to 2940.06",
        "shf03 合计 column 6: 2336.91, its classes sum to 2336.92",
        "shf05 合计 column 5: 2940.05, its classes sum to 2940.06",
        "shf05 合计 column 6: 2336.91, its classes sum to 2336.92",
        "shf06 301 column 4: 2082.85, its items sum to 2082.86",
        "shf06 302 column 8: 171.07, its items sum to 171.09",
        "shf01 class lines (column 4) differ from shf03's: 326.71 for 326.72",
        "shf04 class lines (column 4) differ from shf05's: 326.71 for 326.72",
    ],
}


def amount(cell: str) -> Decimal:
    return parse_amount(cell).value or Decimal(0)


def cell(table: dict, label_col: int, label: str, col: int) -> Decimal:
    """The amount in ``col`` of the line labelled ``label``."""
    return amount(next(r[col] for r in table["rows"] if re.fullmatch(label, squash(r[label_col]))))


def row_sums(table: dict, equations: list[tuple[int, list[int]]]) -> list[str]:
    """On every line, a column that is the sum of others (合计 = 基本支出 + 项目支出)."""
    out = []
    for i, r in enumerate(table["rows"], start=1):
        for total, parts in equations:
            if any(squash(r[c]) for c in [total] + parts) and amount(r[total]) != sum(amount(r[c]) for c in parts):
                out.append(
                    f"{table['id']} line {i} column {total + 1}: {amount(r[total])}, "
                    f"columns {[c + 1 for c in parts]} sum to {sum(amount(r[c]) for c in parts)}"
                )
    return out


def codes(table: dict, run: list[int]) -> dict[str, list[str]]:
    """Lines by the code printed over the columns of ``run``."""
    out = {}
    for r in table["rows"]:
        code = "".join(squash(r[c]) for c in run)
        if re.fullmatch(r"\d{3}(\d{2}){0,2}", code):
            out[code] = r
    return out


def by_code(table: dict, run: list[int], col: int, prefix: str = "") -> dict[str, str]:
    """The amount printed in ``col`` for each code (starting with ``prefix``)."""
    return {c: r[col] for c, r in codes(table, run).items() if c.startswith(prefix)}


def class_amounts(table: dict, run: list[int], col: int) -> list[Decimal]:
    """Amounts of the 类 lines (3-digit codes), sorted."""
    return sorted(amount(r[col]) for c, r in codes(table, run).items() if len(c) == 3)


def code_tree(table: dict, run: list[int], amounts: list[int]) -> list[str]:
    """Parents equal the sum of their children; a 合计 line the sum of the classes."""
    out = []
    lines = codes(table, run)
    for code, r in lines.items():
        kids = [k for c, k in lines.items() if len(c) == len(code) + 2 and c.startswith(code)]
        for a in amounts:
            if kids and amount(r[a]) != sum(amount(k[a]) for k in kids):
                out.append(
                    f"{table['id']} {code} column {a + 1}: {amount(r[a])}, its items sum to {sum(amount(k[a]) for k in kids)}"
                )
    totals = [r for r in table["rows"] if any(squash(r[c]).endswith("合计") for c in run + [run[-1] + 1])]
    classes = [r for c, r in lines.items() if len(c) == 3]
    for t in totals:
        for a in amounts:
            if amount(t[a]) != sum(amount(r[a]) for r in classes):
                out.append(
                    f"{table['id']} 合计 column {a + 1}: {amount(t[a])}, its classes sum to {sum(amount(r[a]) for r in classes)}"
                )
    return out


def line_sum(table: dict, total: tuple[int, str], parts: tuple[int, str], col: int) -> list[str]:
    """A labelled line is the sum of the lines whose label (in their column) matches."""
    rows = [r for r in table["rows"] if re.fullmatch(parts[1], squash(r[parts[0]]))]
    want = cell(table, total[0], total[1], col)
    got = sum(amount(r[col]) for r in rows)
    return [] if want == got else [f"{table['id']} {total[1]} column {col + 1}: {want}, its lines sum to {got}"]


def split_at(table: dict, label_col: int, label: str) -> tuple[dict, dict]:
    """The table's lines before the labelled line, and from it on (a section printed
    below the year's lines with its own numbered parts)."""
    k = next(i for i, r in enumerate(table["rows"]) if re.fullmatch(label, squash(r[label_col])))
    return {**table, "rows": table["rows"][:k]}, {**table, "rows": table["rows"][k:]}


def group_sums(table: dict, opens, closes, member, col: int) -> list[str]:
    """Lines that open a group (a class, a project) are the sum of the member lines up
    to the next line that closes it."""
    out = []
    rows = table["rows"]
    for i, r in enumerate(rows):
        if not opens(r):
            continue
        end = next((j for j in range(i + 1, len(rows)) if closes(rows[j])), len(rows))
        got = sum(amount(m[col]) for m in rows[i + 1 : end] if member(m))
        if amount(r[col]) != got:
            out.append(f"{table['id']} line {i + 1} column {col + 1}: {amount(r[col])}, its lines sum to {got}")
    return out


def same(what: str, a, b) -> list[str]:
    return [] if a == b else [f"{what}: {a} != {b}"]


def class_lines(table: dict, label_col: int, col: int) -> list[Decimal]:
    return sorted(
        amount(r[col]) for r in table["rows"] if re.fullmatch(NUMBERED_RX, squash(r[label_col])) and squash(r[col])
    )


def differing(a: str, a_lines: list[Decimal], b: str, b_lines: list[Decimal], col: int) -> list[str]:
    """Class lines one table prints that another prints otherwise."""
    diff = [f"{x} for {y}" for x, y in zip(a_lines, b_lines) if x != y]
    return [f"{a} class lines (column {col + 1}) differ from {b}'s: {', '.join(diff)}"] if diff else []


def shanghai_budget(t: dict[str, dict]) -> list[str]:
    out = line_sum(t["shb01"], (0, "收入总计"), (0, NUMBERED_RX), 1) + line_sum(
        t["shb01"], (2, "支出总计"), (2, NUMBERED_RX), 3
    )
    out += line_sum(t["shb01"], (0, "一、财政拨款收入"), (0, r"\d\..*"), 1)
    out += row_sums(t["shb02"], [(4, [5, 6, 7, 8])]) + code_tree(t["shb02"], [0, 1, 2], [4, 5, 6, 7, 8])
    for k in ("shb03", "shb05", "shb06", "shb07"):
        out += row_sums(t[k], [(4, [5, 6])]) + code_tree(t[k], [0, 1, 2], [4, 5, 6])
    out += row_sums(t["shb04"], [(3, [4, 5, 6])]) + line_sum(t["shb04"], (0, "收入总计"), (0, NUMBERED_RX), 1)
    out += [p for c in (3, 4, 5, 6) for p in line_sum(t["shb04"], (2, "支出总计"), (2, NUMBERED_RX), c)]
    out += row_sums(t["shb08"], [(3, [4, 5])]) + code_tree(t["shb08"], [0, 1], [3, 4, 5])
    out += row_sums(t["shb09"], [(0, [1, 2, 3]), (3, [4, 5])])
    out += same("shb02 合计 vs shb01 收入总计", cell(t["shb02"], 0, "合计", 4), cell(t["shb01"], 0, "收入总计", 1))
    out += same("shb03 合计 vs shb01 支出总计", cell(t["shb03"], 0, "合计", 4), cell(t["shb01"], 2, "支出总计", 3))
    out += same("shb02 vs shb03 by code", by_code(t["shb02"], [0, 1, 2], 4), by_code(t["shb03"], [0, 1, 2], 4))
    out += same("shb05 合计 vs shb04 一般公共预算", cell(t["shb05"], 0, "合计", 4), cell(t["shb04"], 2, "支出总计", 4))
    out += same("shb05 基本支出 vs shb08 合计", cell(t["shb05"], 0, "合计", 5), cell(t["shb08"], 0, "合计", 3))
    out += same("shb04 vs shb01 class lines", class_lines(t["shb04"], 2, 3), class_lines(t["shb01"], 2, 3))
    return out


def shanghai_final(t: dict[str, dict]) -> list[str]:
    out = line_sum(t["shf01"], (0, "本年收入合计"), (0, NUMBERED_RX), 1) + line_sum(
        t["shf01"], (2, "本年支出合计"), (2, NUMBERED_RX), 3
    )
    out += line_sum(t["shf01"], (0, "总计"), (0, "本年收入合计|使用非财政拨款结余.*|年初结转和结余"), 1)
    out += line_sum(t["shf01"], (2, "总计"), (2, "本年支出合计|结余分配|年末结转和结余"), 3)
    out += row_sums(t["shf02"], [(4, list(range(5, 11)))]) + code_tree(t["shf02"], [0, 1, 2], list(range(4, 11)))
    out += row_sums(t["shf03"], [(4, list(range(5, 10)))]) + code_tree(t["shf03"], [0, 1, 2], list(range(4, 10)))
    out += row_sums(t["shf04"], [(3, [4, 5, 6])]) + line_sum(
        t["shf04"], (0, "总计"), (0, "本年收入合计|年初财政拨款结转和结余"), 1
    )
    year, balance = split_at(t["shf04"], 0, "年初财政拨款结转和结余")
    out += line_sum(year, (0, "本年收入合计"), (0, NUMBERED_RX), 1) + line_sum(
        balance, (0, "年初.*"), (0, NUMBERED_RX), 1
    )
    out += [p for c in (3, 4, 5, 6) for p in line_sum(t["shf04"], (2, "本年支出合计"), (2, NUMBERED_RX), c)]
    out += row_sums(t["shf05"], [(4, [5, 6])]) + code_tree(t["shf05"], [0, 1, 2], [4, 5, 6])
    out += code_tree(t["shf06"], [0, 1], [3]) + code_tree(t["shf06"], [4, 5], [7])
    out += same(
        "shf06 人员+公用经费合计 vs shf05 基本支出",
        cell(t["shf06"], 0, "人员经费合计", 3) + cell(t["shf06"], 4, "公用经费合计", 7),
        cell(t["shf05"], 0, "合计", 5),
    )
    out += row_sums(
        t["shf07"], [(s, [s + 2, s + 4, s + 10]) for s in (0, 1)] + [(s + 4, [s + 6, s + 8]) for s in (0, 1)]
    )
    out += same(
        "shf02 合计 vs shf01 本年收入合计", cell(t["shf02"], 3, "合计", 4), cell(t["shf01"], 0, "本年收入合计", 1)
    )
    out += same(
        "shf03 合计 vs shf01 本年支出合计", cell(t["shf03"], 3, "合计", 4), cell(t["shf01"], 2, "本年支出合计", 3)
    )
    out += same(
        "shf02 财政拨款 vs shf03 合计 by code", by_code(t["shf02"], [0, 1, 2], 5), by_code(t["shf03"], [0, 1, 2], 4)
    )
    out += differing("shf01", class_lines(t["shf01"], 2, 3), "shf03", class_amounts(t["shf03"], [0, 1, 2], 4), 3)
    out += differing("shf04", class_lines(t["shf04"], 2, 3), "shf05", class_amounts(t["shf05"], [0, 1, 2], 4), 3)
    return out


def jiangsu(t: dict[str, dict]) -> list[str]:
    s01 = t["js01"]
    out = line_sum(s01, (0, "当年收入小计"), (0, NUMBERED_RX), 1) + line_sum(
        s01, (0, "一、财政拨款"), (0, r"\d\..*"), 1
    )
    out += line_sum(s01, (0, "收入合计"), (0, "当年收入小计|上年结转资金"), 1)
    spent = cell(s01, 2, "当年支出小计", 5)
    out += same("js01 当年支出小计 vs 功能分类 lines", spent, sum(class_lines(s01, 2, 3)))
    out += same("js01 当年支出小计 vs 支出用途 lines", spent, sum(class_lines(s01, 4, 5)))
    s02 = t["js02"]
    out += line_sum(s02, (0, "收入总计"), (1, "小计"), 2)
    out += group_sums(
        s02,
        lambda r: squash(r[1]) == "小计",
        lambda r: bool(squash(r[0])),
        lambda r: not squash(r[1]).startswith("其中"),
        2,
    )
    out += row_sums(t["js03"], [(0, [1, 2, 3, 4])])
    out += line_sum(t["js04"], (0, "收入合计"), (0, NUMBERED_RX), 1) + line_sum(
        t["js04"], (2, "支出合计"), (2, NUMBERED_RX), 3
    )
    for k in ("js05", "js06", "js07", "js08", "js10", "js11"):
        out += code_tree(t[k], [0], [2])
    out += row_sums(t["js09"], [(0, [1, 7, 8]), (1, [2, 3, 6]), (3, [4, 5])])
    s12 = t["js12"]
    out += line_sum(s12, (0, "合计"), (0, NUMBERED_RX), 5)
    out += group_sums(
        s12,
        lambda r: bool(re.fullmatch(NUMBERED_RX, squash(r[0]))),
        lambda r: bool(squash(r[0])),
        lambda r: bool(squash(r[2])),
        5,
    )
    out += group_sums(
        s12,
        lambda r: bool(squash(r[2])),
        lambda r: bool(squash(r[0]) or squash(r[2])),
        lambda r: bool(squash(r[3]) or squash(r[4])),
        5,
    )
    out += same("js02 收入总计 vs js01 收入合计", cell(s02, 0, "收入总计", 2), cell(s01, 0, "收入合计", 1))
    out += same("js03 合计 vs js01 支出合计", amount(t["js03"]["rows"][0][0]), cell(s01, 2, "支出合计", 5))
    out += same("js05 合计 vs js01 功能分类 lines", cell(t["js05"], 0, "合计", 2), sum(class_lines(s01, 2, 3)))
    out += same("js06 合计 vs js03 基本支出", cell(t["js06"], 0, "合计", 2), amount(t["js03"]["rows"][0][1]))
    out += same("js05 vs js07 by code", by_code(t["js05"], [0], 2), by_code(t["js07"], [0], 2))
    out += same("js06 vs js08 by code", by_code(t["js06"], [0], 2), by_code(t["js08"], [0], 2))
    out += same("js11 vs js08 class 302", by_code(t["js11"], [0], 2), by_code(t["js08"], [0], 2, "302"))
    return out


ARITHMETIC = {"shanghai_budget": shanghai_budget, "shanghai_final_accounts": shanghai_final, "jiangsu_budget": jiangsu}


@pytest.mark.parametrize("doc", DOCS)
def test_truth_adds_up(doc):
    """Rows sum to totals, parents to children, tables agree with each other, except
    where the document itself does not (its rounding, in DOCUMENT_ERRORS)."""
    truth = load_truth(doc)
    tables = {t["id"]: t for t in truth["tables"]}
    assert ARITHMETIC[truth["meta"]["template_family"]](tables) == DOCUMENT_ERRORS.get(doc, [])


def test_narrative_item_figure_names_item_code_and_both_figures():
    """The 司法局 text explains each item with its code parts and figures (26 compared):
    住房公积金 (221类 02款 01项) is “2026年预算安排201.50万元” where the table prints
    2,087,959 元; the one finding names the item, its code and both figures."""
    report = converted("sh_putuo_sfj_2026_dept_budget").report
    findings = [f for f in report["checks"] if f["rule"] == "narrative_item_figure"]
    assert report["checks_summary"]["evaluated"]["narrative_item_figure"] >= 20
    assert len(findings) == 1
    (f,) = findings
    assert "住房公积金" in f["message_zh"] and "2210201" in f["message_zh"]
    assert Decimal(f["found"]) == Decimal("201.50") and Decimal(f["expected"]) == Decimal("208.7959")
    assert f["unit"] == "万元" and f["rows"] == ["expenditure_by_function:20"]
