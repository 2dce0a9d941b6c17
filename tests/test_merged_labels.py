"""Labels printed once in a merged cell: down every line a merge spans (类 over its
款 and 项, 专项名称 over its purchases, 一般公共预算资金 over its 小计 and items),
across the column groups it covers (当年支出小计 over 功能分类 and 支出用途). Built
as DOCX tables with real merges and converted end to end."""

from __future__ import annotations

import json
from pathlib import Path

from tests.docx_tables import build_docx, records

MADE = Path(__file__).parent / "fixtures" / "made"


def test_procurement_groups_merged_down_their_lines(tmp_path: Path) -> None:
    """公开12表 printed with 采购品目大类, 专项名称 and 经济科目 merged over the lines
    they group: each purchase line names its group; the amount merged over two lines
    (one purchase bought two ways) is not copied. The class line and the project lines
    with no purchase of their own carry the sums of the purchases under them
    (subtotals); a purchase line is named by what it buys, not by its group."""
    rows = [
        ["采购品目大类", "专项名称", "经济科目", "采购物品名称", "采购组织形式", "总计"],
        ["合计", "", "", "", "", "160.00"],
        ["一、货物", "", "", "", "", "160.00"],
        ["一、货物", "信息网络建设费", "信息网络及软件购置更新", "", "", "100.00"],
        ["一、货物", "信息网络建设费", "信息网络及软件购置更新", "PC服务器", "政府集中采购", "60.00"],
        ["一、货物", "信息网络建设费", "信息网络及软件购置更新", "计算机软件", "政府集中采购", "4O.00"],
        ["一、货物", "物业管理费", "物业管理费", "", "", "60.00"],
        ["一、货物", "物业管理费", "物业管理费", "物业管理服务", "分散自行组织", "60.00"],
        ["一、货物", "物业管理费", "物业管理费", "物业管理服务", "部门集中采购", "60.00"],
    ]
    merges = [(2, 0, 7, 1), (3, 1, 3, 1), (3, 2, 3, 1), (6, 1, 3, 1), (6, 2, 3, 1), (7, 3, 2, 1), (7, 5, 2, 1)]
    path = build_docx(
        tmp_path / "t.docx", ["公开12表", "政府采购支出预算表", "部门名称：某某局    单位：万元"], rows, merges
    )
    got = records(path, tmp_path / "out", "jiangsu_budget/government_procurement")
    assert [
        (
            r["procurement_category"],
            r["project_name"],
            r["economic_name"],
            r["item_name"],
            r["procurement_method"],
            r["total"],
            r["row_kind"],
        )
        for r in got
    ] == [
        ("合计", "", "", "", "", "160.00", "total"),
        ("一、货物", "", "", "", "", "160.00", "subtotal"),
        ("一、货物", "信息网络建设费", "信息网络及软件购置更新", "", "", "100.00", "subtotal"),
        ("一、货物", "信息网络建设费", "信息网络及软件购置更新", "PC服务器", "政府集中采购", "60.00", "data"),
        ("一、货物", "信息网络建设费", "信息网络及软件购置更新", "计算机软件", "政府集中采购", "", "data"),
        ("一、货物", "物业管理费", "物业管理费", "", "", "60.00", "subtotal"),
        ("一、货物", "物业管理费", "物业管理费", "物业管理服务", "分散自行组织", "60.00", "data"),
        ("一、货物", "物业管理费", "物业管理费", "物业管理服务", "部门集中采购", "", "data"),
    ]
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    table = next(t for t in report["tables"] if t.get("resource") == "government_procurement")
    (unreadable,) = [w["message"] for w in table["warnings"] if w["code"] == "unreadable-number"]
    assert unreadable.startswith("line 5 (计算机软件)")


def test_class_code_merged_down_its_items(tmp_path: Path) -> None:
    """A Shanghai 支出预算总表 printing each 类 and 款 once, merged down their lines:
    every line's code is whole (204, 20406, 2040601)."""
    rows = [
        ["功能分类科目编码", "", "", "功能分类科目名称", "合计", "基本支出", "项目支出"],
        ["类", "款", "项", "", "", "", ""],
        ["204", "", "", "公共安全支出", "300.00", "100.00", "200.00"],
        ["204", "06", "", "司法", "300.00", "100.00", "200.00"],
        ["204", "06", "01", "行政运行", "100.00", "100.00", "0.00"],
        ["204", "06", "04", "基层司法业务", "200.00", "0.00", "200.00"],
        ["合计", "", "", "", "300.00", "100.00", "200.00"],
    ]
    merges = [
        (0, 0, 1, 3),
        (0, 3, 2, 1),
        (0, 4, 2, 1),
        (0, 5, 2, 1),
        (0, 6, 2, 1),
        (2, 0, 4, 1),
        (3, 1, 3, 1),
        (6, 0, 1, 4),
    ]
    path = build_docx(tmp_path / "t.docx", ["2026年部门支出预算总表", "编制部门：某某局    单位：元"], rows, merges)
    got = records(path, tmp_path / "out", "shanghai_budget/expenditure_by_function")
    assert [(r["code"], r["name"], r["row_kind"], r["total"]) for r in got] == [
        ("204", "公共安全支出", "subtotal", "300.00"),
        ("20406", "司法", "subtotal", "300.00"),
        ("2040601", "行政运行", "data", "100.00"),
        ("2040604", "基层司法业务", "data", "200.00"),
        ("", "合计", "total", "300.00"),
    ]


def test_subtotal_label_merged_across_column_groups(tmp_path: Path) -> None:
    """Jiangsu 公开01表: 当年支出小计 printed over 功能分类 and 支出用途's 项目名称, its
    amount under 支出用途, is one subtotal record with its label and amount."""
    rows = [
        ["收入", "", "支出", "", "", ""],
        ["项目名称", "金额", "功能分类", "", "支出用途", ""],
        ["", "", "功能科目名称", "金额", "项目名称", "金额"],
        ["一、财政拨款", "100.00", "一、一般公共服务支出", "100.00", "一、基本支出", "100.00"],
        ["当年收入小计", "100.00", "当年支出小计", "", "", "100.00"],
        ["收入合计", "100.00", "支出合计", "", "", "100.00"],
    ]
    merges = [
        (0, 0, 1, 2),
        (0, 2, 1, 4),
        (1, 0, 2, 1),
        (1, 1, 2, 1),
        (1, 2, 1, 2),
        (1, 4, 1, 2),
        (4, 2, 1, 3),
        (5, 2, 1, 3),
    ]
    path = build_docx(tmp_path / "t.docx", ["公开01表", "收支预算总表", "部门名称：某某局    单位：万元"], rows, merges)
    got = records(path, tmp_path / "out", "jiangsu_budget/income_expenditure_summary")
    assert [(r["line_no"], r["side"], r["column_group"], r["row_kind"], r["item"], r["total"]) for r in got] == [
        ("1", "income", "1", "data", "一、财政拨款", "100.00"),
        ("1", "expenditure", "2", "data", "一、一般公共服务支出", "100.00"),
        ("1", "expenditure", "3", "data", "一、基本支出", "100.00"),
        ("2", "income", "1", "subtotal", "当年收入小计", "100.00"),
        ("2", "expenditure", "3", "subtotal", "当年支出小计", "100.00"),
        ("3", "income", "1", "total", "收入合计", "100.00"),
        ("3", "expenditure", "3", "total", "支出合计", "100.00"),
    ]


def test_a_label_merged_over_lines_that_print_nothing_else_makes_no_record(tmp_path: Path) -> None:
    """一、财政拨款 and its amount both merged over two lines: the income side prints one
    item, so there is one income record, not a second one with an empty amount."""
    rows = [
        ["收入", "", "支出", "", "", ""],
        ["项目名称", "金额", "功能分类", "", "支出用途", ""],
        ["", "", "功能科目名称", "金额", "项目名称", "金额"],
        ["一、财政拨款", "100.00", "一、一般公共服务支出", "60.00", "一、基本支出", "100.00"],
        ["一、财政拨款", "100.00", "二、公共安全支出", "40.00", "", ""],
        ["收入合计", "100.00", "支出合计", "", "", "100.00"],
    ]
    merges = [
        (0, 0, 1, 2),
        (0, 2, 1, 4),
        (1, 0, 2, 1),
        (1, 1, 2, 1),
        (1, 2, 1, 2),
        (1, 4, 1, 2),
        (3, 0, 2, 1),
        (3, 1, 2, 1),
        (5, 2, 1, 3),
    ]
    path = build_docx(tmp_path / "t.docx", ["公开01表", "收支预算总表", "部门名称：某某局    单位：万元"], rows, merges)
    got = records(path, tmp_path / "out", "jiangsu_budget/income_expenditure_summary")
    assert [(r["line_no"], r["side"], r["item"], r["total"]) for r in got if r["side"] == "income"] == [
        ("1", "income", "一、财政拨款", "100.00"),
        ("3", "income", "收入合计", "100.00"),
    ]


def test_merged_labels_carried_over_a_page_break(tmp_path: Path) -> None:
    """A PDF whose 公开12表 merges 采购品目大类, 专项名称 and 经济科目 over 24 purchases
    running onto a second page (tests/fixtures/made/js12_merge_over_pages.html, printed
    by Chromium): the cells cut by the page break print their text on the first page
    only, yet every purchase line, on both pages, names its group."""
    got = records(MADE / "js12_merge_over_pages.pdf", tmp_path / "out", "jiangsu_budget/government_procurement")
    purchases = [r for r in got if r["item_name"]]
    assert len(purchases) == 24 and {r["page"] for r in purchases} == {"1", "2"}
    assert {(r["procurement_category"], r["project_name"], r["economic_name"]) for r in purchases} == {
        ("一、货物", "信息网络建设费", "办公设备购置")
    }


def test_radical_forms_in_the_text_layer_read_as_their_characters(tmp_path: Path) -> None:
    """The same table printed in Noto Sans CJK (tests/fixtures/made/README.md):
    Chromium's text layer holds Kangxi radicals for some characters (采购品⽬⼤类, ⼀、货物);
    the package is the one the other font gives, character for character."""
    kangxi = records(MADE / "js12_kangxi.pdf", tmp_path / "kangxi", "jiangsu_budget/government_procurement")
    plain = records(MADE / "js12_merge_over_pages.pdf", tmp_path / "plain", "jiangsu_budget/government_procurement")
    assert [{k: v for k, v in r.items() if k != "page"} for r in kangxi] == [
        {k: v for k, v in r.items() if k != "page"} for r in plain
    ]
    assert len(kangxi) > 24
