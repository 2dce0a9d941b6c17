"""The national skeleton on tables as other provinces print them, built here as blocks
(what a reader hands recognition), each showing one variation: a summary whose sides are
named in its column labels, last year's figures beside this year's, a 三公 table whose
amounts are small whole numbers, codes run into names, labels numbered 表1-1."""

from __future__ import annotations

from decimal import Decimal

from converters.mapping import map_table
from converters.meta import read_meta
from converters.model import DocumentBlocks, TableBlock, TextBlock
from converters.recognise import recognise


def document(title: str, rows: list[list[str]], merges=(), *, before: tuple[str, ...] = ()) -> DocumentBlocks:
    blocks = [TextBlock(t, 1, size=22.0) for t in before] + [
        TextBlock(title, 1),
        TextBlock("单位：万元", 1),
        TableBlock(rows, list(merges), [1] * len(rows)),
    ]
    return DocumentBlocks("pdf", 1, blocks)


def read(doc: DocumentBlocks, year: int | None = 2026):
    (table,) = [t for t in recognise(doc) if t.concept]
    return table, map_table(table, table.concept, None, year)


def test_sides_named_in_the_column_labels():
    """收入项目 | 预算数 | 支出项目 | 预算数 with no 收入 | 支出 row above: each amount on
    the record of its side."""
    table, mapped = read(
        document(
            "收支总表",
            [
                ["收入项目", "预算数", "支出项目", "预算数"],
                ["一、一般公共预算拨款收入", "100.00", "一、一般公共服务支出", "60.00"],
                ["二、事业收入", "5.00", "二、教育支出", "45.00"],
                ["收入总计", "105.00", "支出总计", "105.00"],
            ],
        )
    )
    assert table.concept.key == "national/income_expenditure_summary"
    got = {(r["side"], r["item"]): r["total"] for r in mapped.rows}
    assert got[("income", "一、一般公共预算拨款收入")] == Decimal("100.00")
    assert got[("expenditure", "二、教育支出")] == Decimal("45.00")
    assert got[("expenditure", "支出总计")] == Decimal("105.00")
    assert len(mapped.rows) == 6


def test_last_years_columns_are_not_this_years_fields():
    """2025年预算数 and 2026年预算数 side by side: the fields hold 2026's figures, 2025's
    stay as extra fields under their printed titles."""
    _, mapped = read(
        document(
            "一般公共预算“三公”经费支出情况表",
            [
                ["2025年预算数", "", "", "2026年预算数", "", ""],
                ["合计", "因公出国（境）费", "公务接待费", "合计", "因公出国（境）费", "公务接待费"],
                ["20.00", "8.00", "12.00", "18.00", "6.00", "12.00"],
            ],
            [(0, 0, 1, 3), (0, 3, 1, 3)],
        )
    )
    (row,) = mapped.rows
    assert (row["total"], row["overseas_travel"], row["reception"]) == (
        Decimal("18.00"),
        Decimal("6.00"),
        Decimal("12.00"),
    )
    extras = {f["title"]: row[f["name"]] for f in mapped.extra_fields}
    assert extras == {
        "2025年预算数/合计": Decimal("20.00"),
        "2025年预算数/因公出国（境）费": Decimal("8.00"),
        "2025年预算数/公务接待费": Decimal("12.00"),
    }


def test_small_whole_amounts_are_body_not_column_numbers():
    """合计 | 12: a 三公 table of small whole amounts keeps its lines; only a row of
    column numbers alone is header."""
    table, mapped = read(
        document(
            "财政拨款“三公”经费支出表",
            [["项目", "合计"], ["栏次", "1"], ["合计", "12"], ["因公出国（境）费", "0"], ["公务接待费", "12"]],
        )
    )
    assert [r for r in table.body] == [["合计", "12"], ["因公出国（境）费", "0"], ["公务接待费", "12"]]
    assert [r["total"] for r in mapped.rows] == [Decimal("12"), Decimal("0"), Decimal("12")]


def test_codes_set_off_from_names_only():
    """[201]一般公共服务支出 and 2010301-行政运行 print a code before the name; 110指挥中心
    is a name."""
    _, mapped = read(
        document(
            "一般公共预算支出情况表",
            [
                ["功能科目名称", "合计"],
                ["[201]一般公共服务支出", "10.00"],
                ["2010301-行政运行", "10.00"],
                ["110指挥中心运行维护", "3.00"],
            ],
        )
    )
    got = [(r["code"], r["name"]) for r in mapped.rows]
    assert got == [("201", "一般公共服务支出"), ("2010301", "行政运行"), (None, "110指挥中心运行维护")]


def test_sub_numbered_label_and_a_cover_without_a_name():
    """表1-1 is the label of 部门收支总表; a cover line 2026年部门预算 names no organisation."""
    doc = document(
        "表1-1部门收支总表",
        [["收入", "", "支出", ""], ["项目", "预算数", "项目", "预算数"], ["收入总计", "1.00", "支出总计", "1.00"]],
        [(0, 0, 1, 2), (0, 2, 1, 2)],
        before=("2026年部门预算",),
    )
    table, _ = read(doc)
    assert (table.title, table.label) == ("部门收支总表", "表1-1")
    assert read_meta(doc, recognise(doc)).organisation is None


def test_the_organisation_from_a_caption_keyed_as_other_provinces_print_it():
    """预算单位：X and 填报部门：X name the organisation as 单位名称：X does: captions, not table content."""
    for key in ("预算单位", "填报部门"):
        blocks = document(
            "部门收支总表",
            [["收入", "", "支出", ""], ["项目", "预算数", "项目", "预算数"], ["收入总计", "1.00", "支出总计", "1.00"]],
            [(0, 0, 1, 2), (0, 2, 1, 2)],
        ).blocks
        doc = DocumentBlocks("pdf", 1, [blocks[0], TextBlock(f"{key}：某某市应急管理局", 1), *blocks[1:]])
        table, _ = read(doc)
        assert table.title == "部门收支总表"
        assert read_meta(doc, recognise(doc)).organisation == "某某市应急管理局", key


def test_a_groups_subtotal_is_the_groups_field():
    """合计 | 本年收入 › 小计, 一般公共预算资金 | 上年结转结余 › 小计: the first 小计 is this
    year's income, the second the carry-over; nothing lands in the wrong field."""
    _, mapped = read(
        document(
            "收入总表",
            [
                ["合计", "本年收入", "", "上年结转结余"],
                ["", "小计", "一般公共预算资金", "小计"],
                ["110.00", "100.00", "100.00", "10.00"],
            ],
            [(0, 0, 2, 1), (0, 1, 1, 2), (0, 3, 1, 1)],
        )
    )
    (row,) = mapped.rows
    assert (row["total"], row["current_income"], row["general_budget"], row["carried_over"]) == (
        Decimal("110.00"),
        Decimal("100.00"),
        Decimal("100.00"),
        Decimal("10.00"),
    )
    assert mapped.extra_fields == []


def test_a_line_of_small_amounts_is_no_row_of_column_numbers():
    """A 三公 line printed as amounts 12 | 8 | 4 under its labels is the table's line; a
    row 1 | 2 | 3 numbers the columns."""
    table, mapped = read(
        document("“三公”经费支出表", [["合计", "因公出国（境）费", "公务接待费"], ["1", "2", "3"], ["12", "8", "4"]])
    )
    assert table.body == [["12", "8", "4"]]
    (row,) = mapped.rows
    assert (row["total"], row["overseas_travel"], row["reception"]) == (Decimal("12"), Decimal("8"), Decimal("4"))


TITLES = {
    "收支总体情况表": "income_expenditure_summary",
    "部门收支总表": "income_expenditure_summary",
    "2026年度收支预算总表": "income_expenditure_summary",
    "单位收入支出预算总表": "income_expenditure_summary",
    "收入总体情况表": "income_by_function",
    "部门收入总表": "income_by_function",
    "本年支出总体情况表": "expenditure_by_function",
    "支出预算总表": "expenditure_by_function",
    "财政拨款收支总体情况表": "fiscal_income_expenditure_summary",
    "财政拨款支出表（功能科目）": "fiscal_expenditure_by_function",
    "一般公共预算财政拨款支出预算表": "general_budget_expenditure",
    "一般公共预算支出情况表（按功能分类科目）": "general_budget_expenditure",
    "一般公共预算支出表（按经济分类）": "general_budget_expenditure_by_economic",
    "一般公共预算基本支出情况表（按经济分类科目）": "general_budget_basic_expenditure_by_economic",
    "财政拨款安排的行政经费及“三公”经费预算表": "three_public_expenditure",
    "政府性基金预算拨款支出预算表": "gov_fund_expenditure",
    "国有资本经营预算支出情况表": "state_capital_expenditure",
    "部门预算基本支出预算表": "basic_expenditure",
    "部门预算项目支出及其他支出预算表": "project_expenditure",
    "政府采购预算明细表": "government_procurement",
    "财政拨款政府购买服务明细表": "government_purchase_services",
    "一般公共预算机关运行经费支出预算表": "operating_expenses",
    "财政专户管理资金收支总表": None,
    "事业单位经营收支预算表": None,
    "山西省部门政府购买服务指导性目录": None,
    "项目支出绩效目标表": None,
}


def test_titles_name_one_national_concept():
    """Each title provinces print names exactly one national concept (or none)."""
    from converters.concepts import all_concepts
    from converters.recognise import title_matches

    national = [c for c in all_concepts() if c.vocabulary]
    got = {t: [c.resource for c in national if title_matches(t, c)] for t in TITLES}
    assert got == {t: [r] if r else [] for t, r in TITLES.items()}


def performance_of(pages: list[tuple[str | None, list[list[str]]]]):
    """Performance targets of a document printing each (title, rows) on a page of its own."""
    from converters.classify import classify
    from converters.performance import extract_performance

    blocks: list = []
    for page, (title, rows) in enumerate(pages, start=1):
        blocks += [TextBlock(title, page, size=22.0), TextBlock("单位：万元", page)] if title else []
        blocks.append(TableBlock(rows, [], [page] * len(rows)))
    return extract_performance(classify(DocumentBlocks("pdf", len(pages), blocks)).forms)


LIST_HEADER = [
    "项目名称",
    "项目总额",
    "绩效目标",
    "一级指标",
    "二级指标",
    "三级指标",
    "绩效指标性质",
    "本年绩效指标值",
    "绩效度量单位",
]


def test_list_whose_title_and_header_repeat_on_every_page():
    """A list of projects (one line per indicator) under 项目支出绩效目标表, title and
    header printed again on the next page: the header is no project, and a project's
    lines on the next page with no cell of its own go on with it."""
    result = performance_of(
        [
            (
                "项目支出绩效目标表",
                [
                    LIST_HEADER,
                    ["A-运维项目", "10.00", "保障运行", "产出指标", "数量指标", "维护系统数", "≥", "13", "个"],
                    ["", "", "", "产出指标", "质量指标", "故障修复率", "＝", "100", "%"],
                ],
            ),
            (
                "项目支出绩效目标表",
                [
                    LIST_HEADER,
                    ["", "", "", "满意度指标", "服务对象满意度指标", "使用人员满意度", "定性", "优", ""],
                    ["B-培训项目", "5.00", "提升能力", "产出指标", "数量指标", "培训天数", "≥", "9", "天"],
                ],
            ),
        ]
    )
    assert [(p["project_name"], p["funds_year_total"], p["template"]) for p in result.projects] == [
        ("A-运维项目", Decimal("10.00"), "list"),
        ("B-培训项目", Decimal("5.00"), "list"),
    ]
    got = [(i["project_no"], i["level3"], i["comparator"], i["value"], i["value_unit"]) for i in result.indicators]
    assert got == [
        (1, "维护系统数", "≥", "13", "个"),
        (1, "故障修复率", "=", "100", "%"),
        (1, "使用人员满意度", None, "优", None),
        (2, "培训天数", "≥", "9", "天"),
    ]
    assert result.problems == [[], []]


def test_form_with_budget_split_by_use_and_indicators_by_name():
    """Chongqing's 重点专项资金绩效目标表: 当年预算 split into 市级支出 and 补助区县, the goal
    beside 当年绩效目标, indicators under 指标名称 | 指标性质 | 指标值 | 计量单位 | 指标权重 |
    是否核心 without 一级指标."""
    result = performance_of(
        [
            (
                "2026年市级重点专项资金绩效目标表(一级项目)",
                [
                    ["项目名称", "商务发展专项", "主管部门", "商务委员会", "", "", ""],
                    ["当年预算", "100.00", "市级支出", "60.00", "", "", ""],
                    ["", "", "补助区县", "40.00", "", "", ""],
                    ["当年绩效目标", "商务经济稳中向好", "", "", "", "", ""],
                    ["绩效指标", "指标名称", "指标性质", "指标值", "计量单位", "指标权重(%)", "是否核心"],
                    ["", "蚕茧产量", "≥", "12000", "吨", "10", "是"],
                ],
            )
        ]
    )
    (project,) = result.projects
    assert (project["funds_year_total"], project["funds_year_city_level"], project["funds_year_to_districts"]) == (
        Decimal("100.00"),
        Decimal("60.00"),
        Decimal("40.00"),
    )
    assert (project["department"], project["goals_year"]) == ("商务委员会", "商务经济稳中向好")
    (indicator,) = result.indicators
    assert (
        indicator["level3"],
        indicator["comparator"],
        indicator["value_number"],
        indicator["value_unit"],
        indicator["weight"],
        indicator["core"],
    ) == ("蚕茧产量", "≥", Decimal("12000"), "吨", "10", "是")
    assert result.problems == [[]]
