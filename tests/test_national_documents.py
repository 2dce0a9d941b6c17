"""Real disclosures from provinces outside the template editions (Beijing, Guangzhou,
Chongqing, Yantai, Quanzhou, a central ministry …) read with the national skeleton,
against truth written by reading their pages (``tests/fixtures/real2/``).

The oracle here is independent of the mapping code: every amount a printed line shows
is on the package records of that line (in whichever field, extra fields included),
and every label it prints is there too, a code printed in front of its name
([201]一般公共服务支出, 30101-基本工资) counting as the code and the name.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from converters.meta import read_meta
from converters.model import DocumentBlocks, TextBlock
from converters.pipeline import ConversionResult, read_document
from converters.recognise import FoundTable, recognise
from converters.values import parse_amount
from tests.truth import converted_pdf, descriptor_resources, grid, read_csv, recognised_pdf, squash, truth_of

REAL2 = Path(__file__).parent / "fixtures" / "real2"
DOCS = sorted(p.name.removesuffix(".truth.json") for p in REAL2.glob("*.truth.json"))
#: A code printed in front of its name in one cell, as the test reads it.
CODED_RX = re.compile(r"^[\[【]?(\d{3}(?:\d{2}){0,2})[\]】]?-?([^\W\d_].*)$")
#: Bare digits (a code, a unit's number), counted as a label on both sides (an amount
#: printed without decimals is counted alike).
CODE_RX = re.compile(r"\d+")


def load_truth(doc: str) -> dict:
    return truth_of(REAL2 / f"{doc}.pdf")


def converted(doc: str) -> ConversionResult:
    return converted_pdf(REAL2 / f"{doc}.pdf")


def recognised(doc: str) -> dict[str, FoundTable]:
    return {t.concept.resource: t for t in recognised_pdf(REAL2 / f"{doc}.pdf") if t.concept}


def resources(result: ConversionResult) -> dict[str, dict]:
    return descriptor_resources(result, "name")


def printed_contents(cells: list[str]) -> tuple[Counter, Counter]:
    amounts: Counter = Counter()
    texts: Counter = Counter()
    for cell in map(squash, cells):
        if not cell:
            continue
        value = parse_amount(cell).value
        if value is not None and not CODE_RX.fullmatch(cell):
            amounts[value] += 1
            continue
        texts.update(label_tokens(cell))
    return amounts, texts


def label_tokens(text: str) -> list[str]:
    """A label as the code and name it prints (a package may keep them in one field or two)."""
    coded = CODED_RX.match(text)
    return [coded.group(1), coded.group(2)] if coded else [text]


def package_contents(records: list[dict], schema: dict) -> tuple[Counter, Counter]:
    """What the records of one printed line hold; a label both sides of a two-sided
    table share (none) counted once per record, as printed once per side."""
    kinds = {f["name"]: f["type"] for f in schema["fields"]}
    derived = {"line_no", "row_kind", "side", "level", "parent_code", "page"}
    amounts: Counter = Counter()
    texts: Counter = Counter()
    for r in records:
        for name, value in r.items():
            if name in derived or value == "":
                continue
            if kinds[name] == "number" and not CODE_RX.fullmatch(value):
                amounts[Decimal(value)] += 1
            else:
                texts.update(label_tokens(squash(value)))
    return amounts, texts


@pytest.mark.parametrize("doc", DOCS)
def test_tables_read_exactly_as_printed(doc):
    """Title, label, header and body grids of each standard table equal the printed ones."""
    found = recognised(doc)
    for table in load_truth(doc)["tables"]:
        got = found.get(table["id"])
        assert got is not None, f"{table['id']} {table['title']} not recognised"
        assert got.title == squash(table["title"]), table["id"]
        assert got.label == (table["label"] and squash(table["label"])), table["id"]
        assert grid(got.header) == grid(table["header_rows"]), table["id"]
        assert grid(got.body) == grid(table["rows"]), table["id"]
        assert got.money_unit == table["unit"], table["id"]


def part_runs(table: dict) -> list[list[int]]:
    """Runs of neighbouring columns labelled 类, 款, 项 in the header's last row: one code
    printed as its parts."""
    last = [squash(c) for c in table["header_rows"][-1]]
    runs: list[list[int]] = []
    for j, label in enumerate(last):
        if label in ("类", "款", "项"):
            if runs and runs[-1][-1] == j - 1 and label != "类":
                runs[-1].append(j)
            else:
                runs.append([j])
    return runs


def with_whole_codes(table: dict) -> list[list[str]]:
    """The body with each code printed as parts (201 | 08 | 01, or 08 alone under the
    line printing 201) as one whole code in its first column."""
    rows = [list(r) for r in table["rows"]]
    for run in part_runs(table):
        above: dict[int, str] = {}
        for cells in rows:
            parts = [squash(cells[j]) for j in run]
            start = next((k for k, p in enumerate(parts) if p.isdecimal()), None)
            if start is None:
                continue
            code = above.get(start - 1, "") + "".join(parts[start:])
            above[(len(code) - 3) // 2] = code
            for k, j in enumerate(run):
                cells[j] = code if k == 0 else ""
    return rows


@pytest.mark.parametrize("doc", DOCS)
def test_every_printed_value_on_its_line(doc):
    """Each printed line's amounts and labels are on the package records of that line,
    nothing more: no printed column is dropped, no value invented."""
    result = converted(doc)
    by_name = resources(result)
    problems = []
    for table in load_truth(doc)["tables"]:
        res = by_name[table["id"]]
        by_line: dict[int, list[dict]] = {}
        for r in read_csv(result.package_dir / res["path"]):
            by_line.setdefault(int(r["line_no"]), []).append(r)
        body = grid(with_whole_codes(table))
        if max(by_line, default=0) != len(body):
            problems.append(
                f"{table['id']}: {len(body)} printed lines, package has lines up to {max(by_line, default=0)}"
            )
        for i, cells in enumerate(body, start=1):
            want = printed_contents(cells)
            got = package_contents(by_line.get(i, []), res["schema"])
            if want != got:
                problems.append(f"{table['id']} line {i}: printed {cells}, package has {by_line.get(i)}")
    assert problems == []


@pytest.mark.parametrize("doc", DOCS)
def test_report_names_the_national_edition(doc):
    truth = load_truth(doc)
    report = converted(doc).report
    assert report["document"]["template_family"] == "national"
    for key in ("document_kind", "year"):
        assert report["document"][key] == truth["meta"][key], key
    blocks = read_document(REAL2 / f"{doc}.pdf").blocks
    printed = "".join(
        squash(c) for b in blocks for c in ([b.text] if isinstance(b, TextBlock) else [c for r in b.rows for c in r])
    )
    organisation = truth["meta"]["organisation"]
    assert report["document"]["organisation"] == (organisation if organisation in printed else None)
    statuses = {t["resource"]: t["status"] for t in report["tables"] if t["resource"]}
    for table in truth["tables"]:
        has_amount = any(parse_amount(c).value is not None for r in table["rows"] for c in r)
        want = "empty" if table["empty_note"] or not has_amount else "found"
        assert statuses[table["id"]] == want, table["id"]
    assert report["validation"]["valid"]


def test_organisation_caption_on_a_line_of_its_own():
    """烟台 prints 部门（单位）：烟台市审计局 and 单位：万元 on one caption line; printed on two
    lines (as other editions do), the first is still a caption naming the organisation,
    not the table's title (vocabulary.json caption_keys)."""
    doc = read_document(REAL2 / "yt_shenji_2026_dept_budget.pdf")
    blocks = []
    for b in doc.blocks:
        if isinstance(b, TextBlock) and len(b.parts) == 2 and squash(b.parts[0]).startswith("部门（单位）"):
            blocks += [TextBlock(p, b.page, [p], b.size) for p in b.parts]
        else:
            blocks.append(b)
    edited = DocumentBlocks(doc.source_format, doc.page_count, blocks, doc.warnings)
    found = recognise(edited)
    summary = next(t for t in found if t.concept and t.concept.resource == "income_expenditure_summary")
    assert summary.title == "收支总体情况表"
    assert summary.captions == [["部门（单位）：烟台市审计局"], ["单位：万元"]]
    assert read_meta(edited, found).organisation == "烟台市审计局"


PERFORMANCE_DOCS = [d for d in DOCS if "performance" in load_truth(d)]
#: Indicator columns as a truth row lists them, those the page prints: 一级, 二级, 三级
#: (指标名称), the comparator where a list prints it in a column of its own (指标性质),
#: 指标值, the unit a list prints in its own column (计量单位), 分值 / 指标权重.
INDICATOR_COLUMNS = ["level1", "level2", "level3", "value", "weight"]
LIST_INDICATOR_COLUMNS = ["level1", "level2", "level3", "comparator", "value", "value_unit", "weight"]


@pytest.mark.parametrize("doc", PERFORMANCE_DOCS)
def test_performance_targets_read_as_printed(doc):
    """Each project of another province's target tables is one project with every
    field and indicator as printed: forms (funds by 年度预算资金总额 / 资金总额, 财政拨款,
    上年结转; the goal beside 总体目标 / 年度总体目标 / 项目实施期目标; indicators under
    指标值 / 目标值 with 分值), forms repeating one title on every page or naming their
    project only in the title, and lists (one line per indicator, the project's name,
    funds and goal merged down; a name merged over several funding blocks names each;
    key projects listed as 项目 | 预算数 | 绩效目标 without indicators), also a list
    whose pages repeat a cut cell's text above the table under a clip (Beijing).
    The truth lists every project in printed order."""
    truth = load_truth(doc)
    expected = truth["performance"]
    package = converted(doc).package_dir
    projects = read_csv(package / "performance_projects.csv")
    indicators = read_csv(package / "performance_indicators.csv")
    assert len(projects) == len(expected)
    assert all(p["problems"] == [] for p in converted(doc).report["performance"]["projects"])
    assert [p["project_name"] for p in projects] == [t["project_name"] for t in expected]
    for project, printed in zip(projects, expected):
        columns = LIST_INDICATOR_COLUMNS if project["template"] == "list" else INDICATOR_COLUMNS
        for key, value in printed.items():
            if key != "indicators":
                assert project[key] == value, (project["project_no"], key)
        read = [[i[c] for c in columns if i[c]] for i in indicators if i["project_no"] == project["project_no"]]
        assert read == printed["indicators"], project["project_name"]


@pytest.mark.parametrize(
    ("doc", "resource"),
    [
        ("bj_tuiyijunren_2026_dept_budget_tables", "government_purchase_services"),
        ("cq_qixiang_2026_dept_budget", "government_procurement"),
        ("gz_fagai_2026_dept_budget", "project_expenditure"),
        ("suzhou_yingji_2026_dept_budget", "income_by_function"),
    ],
)
def test_a_total_printed_outside_the_name_column_is_a_total(doc, resource):
    """合计 printed in another column than the names (a 政府购买服务 category, a 政府采购
    catalogue code, a last column of codes), on a line printing no name, makes that line
    the table's total; the lines under it stay data."""
    rows = read_csv(converted(doc).package_dir / f"{resource}.csv")
    assert [r["line_no"] for r in rows if r["row_kind"] == "total"] == ["1"]
    assert "合计" in rows[0].values()
    assert all(r["row_kind"] != "total" for r in rows[1:])


def test_another_years_columns_fill_only_the_fields_made_for_them():
    """国家信访局's 2026 budget prints 2025年执行数 and 2026年预算数比2025年执行数 beside
    this year's budget: the first of each goes to the prior-year and change fields (the
    columns net of 中央基建投资 stay extra columns), none to this year's fields."""
    result = converted("national_xinfangju_2026_dept_budget")
    rows = read_csv(result.package_dir / resources(result)["general_budget_expenditure"]["path"])
    fields = ("code", "total", "basic", "project", "prior_year_actual", "change_amount", "change_rate", "extra_1")
    assert [rows[0][f] for f in fields] == [
        "201",
        "13144.37",
        "6668.44",
        "6475.93",
        "33586.67",
        "-20442.30",
        "-60.86%",
        "10044.47",
    ]
