"""Mapping printed cells to schema rows: whole numbers, units, warnings a publisher can read."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

import docx
import pytest

from converters.mapping import whole_number
from converters.pipeline import convert, read_document
from converters.recognise import recognise
from converters.text import squash
from tests.docx_tables import build_docx
from tests.truth import CORPUS


@pytest.mark.parametrize(
    "printed,value",
    [("12", 12), (" 7 ", 7), ("１２", 12), ("①", None), ("²", None), ("1.0", None), ("", None), ("十", None)],
)
def test_whole_numbers_are_decimal_digits_only(printed: str, value: int | None) -> None:
    """① and ² are digits to str.isdigit() but int() raises on them: no number, no crash."""
    assert whole_number(printed) == value


def resource(result, concept: str) -> tuple[dict, list[dict]]:
    descriptor = json.loads((result.package_dir / "datapackage.json").read_text(encoding="utf-8"))
    res = next(r for r in descriptor["resources"] if r.get("budgetpack:concept") == concept)
    with (result.package_dir / res["path"]).open(encoding="utf-8", newline="") as f:
        return res, list(csv.DictReader(f))


def table_report(result, concept: str) -> dict:
    return next(t for t in result.report["tables"] if t["concept"] == concept)


EXPENDITURE_BODY = [
    ["201", "一般公共服务支出", "1,500.00", "1,000.00", "500.00"],
    ["20101", "人大事务", "1,500.00", "1,000.00", "500.00"],
    ["合计", "", "1,500.00", "1,000.00", "500.00"],
]


def test_caption_row_inside_the_grid_is_a_caption(tmp_path: Path) -> None:
    """编制单位 and 单位 typed into the table's first row: the table is still found by
    its header, the row is no header row, and it names the organisation and the unit."""
    caption = "编制单位：某某市某某局    单位：元"
    header = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
    path = build_docx(tmp_path / "t.docx", ["预算支出总表"], [[caption], header] + EXPENDITURE_BODY, [(0, 0, 1, 5)])
    [table] = [t for t in recognise(read_document(path)) if t.concept]
    assert [[squash(c) for c in r] for r in table.header] == [header]
    assert ["编制单位：某某市某某局", "单位：元"] in table.captions
    result = convert(path, tmp_path / "out")
    concept = "shanxi_budget/expenditure_by_function"
    res, rows = resource(result, concept)
    assert res["budgetpack:money_unit"] == "元"
    assert result.report["document"]["organisation"] == "某某市某某局"
    assert [(r["code"], r["total"], r["basic"], r["project"]) for r in rows] == [
        ("201", "1500.00", "1000.00", "500.00"),
        ("20101", "1500.00", "1000.00", "500.00"),
        ("", "1500.00", "1000.00", "500.00"),
    ]
    assert table_report(result, concept)["warnings"] == []
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert result.report["source"]["sha256"] == digest
    assert json.loads((result.package_dir / "datapackage.json").read_text())["name"].endswith(digest[:12])


@pytest.mark.parametrize("label,unit", [("合计（千元）", "千元"), ("合计(元)", "元"), ("合计（单位：元）", "元")])
def test_money_unit_in_brackets_after_a_column_label(tmp_path: Path, label: str, unit: str) -> None:
    """合计（千元） is the column 合计, and the table's amounts are in 千元."""
    header = ["科目编码", "科目名称", label, "基本支出", "项目支出"]
    path = build_docx(tmp_path / "t.docx", ["预算支出总表"], [header] + EXPENDITURE_BODY, [])
    result = convert(path, tmp_path / "out")
    concept = "shanxi_budget/expenditure_by_function"
    res, rows = resource(result, concept)
    assert res["budgetpack:money_unit"] == unit
    assert {f["unit"] for f in res["schema"]["fields"] if "unit" in f} == {unit}
    assert [r["total"] for r in rows] == ["1500.00", "1500.00", "1500.00"]
    assert table_report(result, concept)["warnings"] == []


STATISTICS = [
    ["一、政府采购情况"],
    ["项目", "行次", "统计数"],
    ["合计", "1", "1,200.00"],
    ["货物", "2", "1,200.00"],
    ["工程", "3", "——"],
    ["二、机关运行经费", "", ""],
    ["(一) 行政单位", "①", "35.50"],
    ["三、国有资产占用情况", "", ""],
    ["(一) 车辆数合计(辆)", "7", "3"],
]


def test_statistics_money_lines_in_the_printed_unit_and_warnings_name_the_line(tmp_path: Path) -> None:
    """公开10表 printed in 元: its money lines (采购, 经费) are in 元, not the template's
    万元, including the lines under the section heading printed in the header; a cell
    without a value is named by its line, row label and column; a 行次 printed ① is
    no whole number (and no crash)."""
    path = build_docx(
        tmp_path / "t.docx",
        ["部门决算公开相关信息统计表", "公开10表", "单位名称：某某市某某局", "金额单位：元"],
        STATISTICS,
        [(0, 0, 1, 3)],
    )
    result = convert(path, tmp_path / "out")
    concept = "final_accounts_national/statistics"
    _, rows = resource(result, concept)
    assert [(r["section"], r["item"], r["row_no"], r["value"], r["unit"]) for r in rows] == [
        ("一、政府采购情况", "合计", "1", "1200.00", "元"),
        ("一、政府采购情况", "货物", "2", "1200.00", "元"),
        ("一、政府采购情况", "工程", "3", "", "元"),
        ("二、机关运行经费", "二、机关运行经费", "", "", "元"),
        ("二、机关运行经费", "(一)行政单位", "", "35.50", "元"),
        ("三、国有资产占用情况", "三、国有资产占用情况", "", "", ""),
        ("三、国有资产占用情况", "(一)车辆数合计(辆)", "7", "3", "辆"),
    ]
    messages = [(w["code"], w["message"]) for w in table_report(result, concept)["warnings"]]
    assert messages == [
        (
            "not-applicable",
            "line 3 (工程), column '统计数': printed '——', which marks it as not applicable; the value is left empty",
        ),
        (
            "unreadable-number",
            "line 5 ((一)行政单位), column '行次': printed '①', which is not a whole number; the value is left empty",
        ),
    ]


def test_titles_with_organisation_and_year_in_front_are_recognised(tmp_path: Path) -> None:
    """Other editions print the organisation and year before a table's name
    (XX局2024年度收入决算表) and leave out the 公开NN表 label: found by the title all the same."""
    document = docx.Document(str(CORPUS / "003_c5258405996ce6e5.docx"))
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if re.fullmatch(r"公开\d+表", text):
            paragraph.runs[0].text = ""
        elif re.search(r"决算(总|明细)?表$|统计表$", text) and not text.startswith("第"):
            paragraph.runs[0].text = "朔州市公安局开发区分局2024年度" + text
    edited = tmp_path / "edited.docx"
    document.save(str(edited))
    original = convert(CORPUS / "003_c5258405996ce6e5.docx", tmp_path / "original")
    result = convert(edited, tmp_path / "edited")
    statuses = [(t["concept"], t["status"]) for t in original.report["tables"]]
    assert len(statuses) == 10 and all(status != "missing" for _, status in statuses)
    assert [(t["concept"], t["status"]) for t in result.report["tables"]] == statuses
    assert all(t["title"].startswith("朔州市公安局开发区分局2024年度") for t in result.report["tables"])


def test_title_label_and_captions_typed_into_the_grid(tmp_path: Path) -> None:
    """A table made in Excel carries its title, label and captions in its first rows,
    each spanning the grid, and no paragraph above it: they are the table's title,
    label and captions, not header rows."""
    header = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
    rows = [["2024年预算支出总表"], ["表三"], ["编制单位：某某市某某局    单位：元"], header] + EXPENDITURE_BODY
    path = build_docx(tmp_path / "t.docx", [], rows, [(0, 0, 1, 5), (1, 0, 1, 5), (2, 0, 1, 5)])
    result = convert(path, tmp_path / "out")
    concept = "shanxi_budget/expenditure_by_function"
    report = table_report(result, concept)
    assert (report["status"], report["title"], report["label"], report["warnings"]) == (
        "found",
        "2024年预算支出总表",
        "表三",
        [],
    )
    res, rows_out = resource(result, concept)
    assert res["budgetpack:money_unit"] == "元"
    assert (result.report["document"]["organisation"], result.report["document"]["year"]) == ("某某市某某局", 2024)
    assert [(r["code"], r["name"], r["total"]) for r in rows_out] == [
        ("201", "一般公共服务支出", "1500.00"),
        ("20101", "人大事务", "1500.00"),
        ("", "合计", "1500.00"),
    ]


def test_notes_typed_into_the_grid_are_notes(tmp_path: Path) -> None:
    """此表为空 or 注：… typed into a row spanning the grid below the header is the
    table's note, not a data row: the empty table is declared empty with no rows."""
    document = docx.Document()
    header = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
    for title, rows in [
        ("2024年预算支出总表", [header] + EXPENDITURE_BODY + [["注：本表反映单位全部支出。"]]),
        ("2024年政府性基金预算支出表（不含上年结转）", [header, ["注：本单位无政府性基金预算支出，此表为空。"]]),
    ]:
        document.add_paragraph(title)
        table = document.add_table(rows=len(rows), cols=len(header))
        for i, cells in enumerate(rows):
            if len(cells) == 1:
                table.cell(i, 0).merge(table.cell(i, len(header) - 1)).text = cells[0]
                continue
            for j, text in enumerate(cells):
                table.cell(i, j).text = text
    path = tmp_path / "t.docx"
    document.save(str(path))
    result = convert(path, tmp_path / "out")
    empty = table_report(result, "shanxi_budget/gov_fund_expenditure")
    assert (empty["status"], empty["row_count"]) == ("empty", 0)
    _, rows = resource(result, "shanxi_budget/gov_fund_expenditure")
    assert rows == []
    _, rows = resource(result, "shanxi_budget/expenditure_by_function")
    assert [r["name"] for r in rows] == ["一般公共服务支出", "人大事务", "合计"]
