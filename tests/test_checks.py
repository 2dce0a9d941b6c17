"""Arithmetic and narrative checks: each rule on a small hand-made table fires when the
numbers disagree and stays quiet within tolerance; the real pipeline on corpus
documents finds the defects people found by hand, and nothing in the right ones."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from converters.checks import PERFORMANCE_KEY, TABLE_KINDS, checks_report, checks_resource, evaluate, load_rules
from converters.concepts import all_concepts
from converters.mapping import MappedTable, map_table
from converters.model import DocumentBlocks, TableBlock, TextBlock, Warning_
from converters.narrative import NARRATIVE_KINDS, sentences
from converters.package import validate_package, write_package
from converters.performance import PerformanceResult
from converters.pipeline import convert, read_document
from converters.recognise import FoundTable, recognise
from converters.values import code_level, parent_code
from schemas import SCHEMA_DIR
from tests.docx_tables import build_docx
from tests.truth import converted, read_csv

S, F, H = "shanxi_budget/", "final_accounts_national/", "hebei_budget/"
REAL = Path(__file__).parent / "fixtures" / "real"
CONCEPTS = {c.key: c for c in all_concepts()}
RULES = {r.id: r for r in load_rules()}


# --- hand-made tables -----------------------------------------------------------------


def table(key: str, rows: list[dict], *, empty: bool = False, captions: list[list[str]] | None = None) -> MappedTable:
    """A MappedTable as the mapper makes it: every schema field present, money as
    Decimal, line numbers in order."""
    concept = CONCEPTS[key]
    fields = {f["name"]: f for f in concept.schema["fields"]}
    found = FoundTable(
        concept,
        "2024年" + (concept.label or ""),
        None,
        captions or [],
        [],
        [],
        [],
        [],
        empty_note="注：本表无数据" if empty else None,
    )
    out = []
    for i, given in enumerate(rows, start=1):
        row = {name: None for name in fields} | {"line_no": i, "row_kind": "data"}
        for name, value in given.items():
            money = fields.get(name, {}).get("type") == "number" and value is not None
            row[name] = Decimal(value) if money else value
        out.append(row)
    return MappedTable(found, concept, out)


def coded(code: str, name: str, kind: str = "data", **money: str) -> dict:
    return {
        "code": code,
        "name": name,
        "level": code_level(code),
        "parent_code": parent_code(code),
        "row_kind": kind,
        **money,
    }


def check(
    rule_id: str,
    *tables: MappedTable,
    text: list[str] | None = None,
    tolerance: str = "0.01",
    performance: list[dict] | None = None,
) -> list:
    """Run one rule of schemas/checks.json on the given tables, performance projects and prose."""
    doc = DocumentBlocks("pdf", 1, [TextBlock(t, 1) for t in text or []])
    result = PerformanceResult(performance, problems=[[] for _ in performance]) if performance else None
    return evaluate(list(tables), doc, tolerance, rules=[RULES[rule_id]], performance=result).findings


def project(no: int, money_unit: str = "元", **money: str) -> dict:
    """A row of the performance_projects resource."""
    return {
        "project_no": no,
        "project_name": f"项目{no}",
        "money_unit": money_unit,
        "page": 1,
        **{k: Decimal(v) for k, v in money.items()},
    }


def t03(total: str = "100.00", kid: str = "40.00", basic: str = "60.00") -> MappedTable:
    """A 表三 whose 2040202 line is ``kid``."""
    return table(
        S + "expenditure_by_function",
        [
            {"name": "合计", "row_kind": "total", "total": total, "basic": basic, "project": "40.00"},
            coded("204", "公共安全支出", "subtotal", total="100.00", basic="60.00", project="40.00"),
            coded("20402", "公安", "subtotal", total="100.00", basic="60.00", project="40.00"),
            coded("2040201", "行政运行", total="60.00", basic="60.00"),
            coded("2040202", "一般行政管理事务", total=kid, project="40.00"),
        ],
    )


# --- rules as data --------------------------------------------------------------------


def test_rules_file_follows_its_format():
    """schemas/checks.json is written by hand: its shape is the one schemas/checks_format.json
    describes (known keys only, a severity of three, tables as concept keys)."""
    rules = json.loads((SCHEMA_DIR / "checks.json").read_text(encoding="utf-8"))
    fmt = json.loads((SCHEMA_DIR / "checks_format.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(fmt)
    jsonschema.Draft202012Validator(fmt).validate(rules)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(fmt).validate({**rules, "rules": [{**rules["rules"][0], "severity": "fatal"}]})


def test_rules_are_well_formed():
    """Every rule names a known kind and severity, reads known concepts only, and
    lists every table its references read; ids are unique."""
    raw = json.loads((SCHEMA_DIR / "checks.json").read_text(encoding="utf-8"))["rules"]
    assert len({r["id"] for r in raw}) == len(raw)
    kinds = TABLE_KINDS | NARRATIVE_KINDS
    for rule in load_rules():
        assert rule.kind in kinds, rule.id
        assert rule.severity in ("error", "warning", "info"), rule.id
        assert rule.description and set(rule.tables) <= set(CONCEPTS) | {PERFORMANCE_KEY}, rule.id
        refs = re.findall(r"'table': '([^']+)'", str(rule.params))
        assert set(refs) <= set(rule.tables), rule.id


def test_every_kind_is_used():
    assert {r.kind for r in load_rules()} == set(TABLE_KINDS) | set(NARRATIVE_KINDS)


# --- one test per kind of table rule ----------------------------------------------------


def test_parent_equals_children():
    assert check("parent_equals_children", t03()) == []
    assert check("parent_equals_children", t03(kid="40.01")) == [], "0.01 is within ±0.01 per child"
    (f,) = check("parent_equals_children", t03(kid="40.05"))
    assert (f.expected, f.found, f.difference, f.tolerance) == (
        Decimal("100.05"),
        Decimal("100.00"),
        Decimal("-0.05"),
        Decimal("0.02"),
    )
    assert f.rows == ["expenditure_by_function:3", "expenditure_by_function:4", "expenditure_by_function:5"]
    assert "20402" in f.message_zh and "20402" in f.message_en


def test_total_equals_classes():
    assert check("total_equals_classes", t03()) == []
    (f,) = check("total_equals_classes", t03(total="100.20"))
    assert f.found == Decimal("100.20") and f.expected == Decimal("100.00") and f.severity == "error"


def test_a_column_printed_beyond_the_schema_is_checked_and_named_by_its_title():
    """An extra column (extra_1, a money column the concept has no field for) is summed
    like the others; the English message gives its printed title beside its name."""
    extra = {"name": "extra_1", "title": "扣除基建后预算数", "type": "number", "unit": "元"}
    mapped = t03()
    mapped.extra_fields = [extra]
    for row, value in zip(mapped.rows, ("90.00", "100.00", "100.00", "60.00", "40.00")):
        row["extra_1"] = Decimal(value)
    assert check("parent_equals_children", mapped) == []
    (total,) = check("total_equals_classes", mapped)
    assert (total.found, total.expected) == (Decimal("90.00"), Decimal("100.00"))
    assert "extra_1 (扣除基建后预算数): printed 90" in total.message_en


def test_economic_total_and_classes():
    def t06(item: str) -> MappedTable:
        return table(
            S + "general_budget_basic_expenditure_by_economic",
            [
                {
                    "economic_name": "合计",
                    "row_kind": "total",
                    "total": "30.00",
                    "personnel": "20.00",
                    "public_expenses": "10.00",
                },
                {"economic_name": "工资福利支出", "row_kind": "subtotal", "total": "20.00", "personnel": "20.00"},
                {
                    "economic_name": "基本工资",
                    "gov_economic_name": "工资奖金津补贴",
                    "total": "12.00",
                    "personnel": "12.00",
                },
                {"economic_name": "津贴补贴", "gov_economic_name": "工资奖金津补贴", "total": item, "personnel": item},
                {
                    "economic_name": "商品和服务支出",
                    "row_kind": "subtotal",
                    "total": "10.00",
                    "public_expenses": "10.00",
                },
                {
                    "economic_name": "办公费",
                    "gov_economic_name": "办公经费",
                    "total": "10.00",
                    "public_expenses": "10.00",
                },
            ],
        )

    assert check("economic_class_equals_items", t06("8.00")) == []
    assert check("economic_total_equals_classes", t06("8.00")) == []
    (f, g) = check("economic_class_equals_items", t06("9.00"))
    assert {f.rows[0], g.rows[0]} == {"general_budget_basic_expenditure_by_economic:2"}


def test_project_groups():
    """A department line over two units: each unit sums its projects, the department all."""

    def t12(dept: str) -> MappedTable:
        return table(
            S + "project_expenditure_current",
            [
                {"project_name": "某局", "row_kind": "subtotal", "total": dept, "general_budget": dept},
                {"project_name": "某局机关", "row_kind": "subtotal", "total": "3.00", "general_budget": "3.00"},
                {"project_name": "项目甲", "total": "1.00", "general_budget": "1.00"},
                {"project_name": "项目乙", "total": "2.00", "general_budget": "2.00"},
                {"project_name": "某所", "row_kind": "subtotal", "total": "4.00", "general_budget": "4.00"},
                {"project_name": "项目丙", "total": "4.00", "general_budget": "4.00"},
            ],
        )

    assert check("project_group_equals_projects", t12("7.00")) == []
    findings = check("project_group_equals_projects", t12("7.50"))
    assert [f.rows[0] for f in findings] == ["project_expenditure_current:1"] * 2  # total and general_budget


def test_procurement_classes_and_groups():
    """Jiangsu 公开12表: 合计 is its numbered classes; a class sums the purchases under
    all its group lines, a group line (project / economic item) the purchases under it."""

    def t12(group: str, total: str = "160.00") -> MappedTable:
        return table(
            "jiangsu_budget/government_procurement",
            [
                {"procurement_category": "合计", "row_kind": "total", "total": total},
                {"procurement_category": "一、货物", "row_kind": "subtotal", "total": "100.00"},
                {
                    "project_name": "信息网络建设费",
                    "economic_name": "信息网络及软件购置更新",
                    "row_kind": "subtotal",
                    "total": group,
                },
                {"item_name": "PC服务器", "procurement_method": "政府集中采购", "total": "60.00"},
                {"item_name": "计算机软件", "procurement_method": "政府集中采购", "total": "40.00"},
                {"procurement_category": "二、服务", "row_kind": "subtotal", "total": "60.00"},
                {"economic_name": "物业管理费", "row_kind": "subtotal", "total": "60.00"},
                {"item_name": "物业管理服务", "procurement_method": "分散自行组织", "total": "60.00"},
            ],
        )

    assert check("js12_groups", t12("100.00")) == [] and check("js12_total_equals_classes", t12("100.00")) == []
    (finding,) = check("js12_groups", t12("100.50"))
    assert (finding.rows[0], finding.found, finding.expected) == (
        "government_procurement:3",
        Decimal("100.50"),
        Decimal("100.00"),
    )
    (finding,) = check("js12_total_equals_classes", t12("100.00", total="170.00"))
    assert (finding.found, finding.expected) == (Decimal("170.00"), Decimal("160.00"))


def three_public(running: str, total: str = "18.50") -> MappedTable:
    return table(
        S + "three_public_expenditure",
        [
            {"item": "因公出国（境）费"},
            {"item": "公务接待费", "total": "15.00", "general_budget": "15.00"},
            {"item": "公务用车购置及运行费", "row_kind": "subtotal", "total": "3.50", "general_budget": "3.50"},
            {"item": "①公务用车购置费"},
            {"item": "②公务用车运行维护费", "total": running, "general_budget": running},
            {"item": "合计", "row_kind": "total", "total": total, "general_budget": "18.50"},
        ],
    )


def test_three_public_components_and_total():
    assert check("three_public_components", three_public("3.50")) == []
    assert check("three_public_total", three_public("3.50")) == []
    assert len(check("three_public_components", three_public("3.60"))) == 2
    (f,) = check("three_public_total", three_public("3.50", total="18.60"))
    assert f.expected == Decimal("18.50") and f.tolerance == Decimal("0.02"), "two printed parts"


def test_operating_expenses_total():
    def t11(total: str) -> MappedTable:
        return table(
            S + "operating_expenses",
            [
                {"unit_name": "部门合计", "row_kind": "total", "total": total, "general_budget": total},
                {"unit_name": "某局", "total": "5.00", "general_budget": "5.00"},
                {"unit_name": "某所", "total": "2.00", "general_budget": "2.00"},
            ],
        )

    assert check("operating_expenses_total", t11("7.00")) == []
    assert len(check("operating_expenses_total", t11("8.00"))) == 2


def test_columns_total_equals_basic_plus_project():
    assert check("total_equals_basic_plus_project", t03()) == []
    (f,) = check("total_equals_basic_plus_project", t03(basic="59.00"))
    assert f.rows == ["expenditure_by_function:1"] * 3 and f.expected == Decimal("99.00")


def fiscal_summary(carry_gb: str = "5.00", grand: str = "105.00") -> MappedTable:
    """表四 with a carry-over broken down by fund under it."""
    rows = [
        ("一、一般公共预算", "100.00", "四、公共安全支出", "105.00"),
        ("二、政府性基金预算", None, "五、教育支出", None),
        ("本年收入合计", "100.00", "本年支出合计", "105.00"),
        ("上年财政拨款结转", "5.00", "年终结转", None),
        ("一、一般公共预算", carry_gb, None, None),
        ("二、政府性基金预算", None, None, None),
        ("收入总计", grand, "支出总计", "105.00"),
    ]
    out = []
    for i, (inc, inc_v, exp, exp_v) in enumerate(rows, start=1):

        def kind(label: str | None) -> str:
            return "total" if label and label.endswith(("合计", "总计")) else "data"

        out.append({"line_no": i, "side": "income", "item": inc, "total": inc_v, "row_kind": kind(inc)})
        if exp:
            out.append(
                {
                    "line_no": i,
                    "side": "expenditure",
                    "item": exp,
                    "total": exp_v,
                    "general_budget": exp_v,
                    "row_kind": kind(exp),
                }
            )
    m = table(S + "fiscal_income_expenditure_summary", out)
    for row, given in zip(m.rows, out):
        row["line_no"] = given["line_no"]
    return m


def test_two_sided_sections_and_breakdown():
    assert check("summary_sides_add_up", fiscal_summary()) == []
    (f,) = check("summary_sides_add_up", fiscal_summary(carry_gb="4.00"))
    assert f.rows[0] == "fiscal_income_expenditure_summary:4:income" and f.expected == Decimal("4.00")
    (g,) = check("summary_sides_add_up", fiscal_summary(grand="106.00"))
    assert g.rows[0] == "fiscal_income_expenditure_summary:7:income" and g.expected == Decimal("105.00")


def test_two_sided_numbered_subitems():
    """Shanghai 财务收支预算总表: 1.一般公共预算 … are parts of 一、财政拨款收入, not added again."""

    def summary(general_budget: str) -> MappedTable:
        rows = [
            ("一、财政拨款收入", "100.00"),
            ("1.一般公共预算", general_budget),
            ("2.政府性基金预算", None),
            ("二、事业收入", None),
            ("收入总计", "100.00"),
        ]
        return table(
            "shanghai_budget/income_expenditure_summary",
            [
                {"side": "income", "item": item, "total": v, "row_kind": "total" if item == "收入总计" else "data"}
                for item, v in rows
            ],
        )

    assert check("summary_sides_add_up", summary("100.00")) == []
    (f,) = check("summary_sides_add_up", summary("90.00"))
    assert f.rows[0] == "income_expenditure_summary:1:income" and f.expected == Decimal("90.00")


def test_summary_balances():
    assert check("summary_balances", fiscal_summary()) == []
    (f,) = check("summary_balances", fiscal_summary(grand="106.00"))
    assert (f.found, f.expected) == (Decimal("106.00"), Decimal("105.00"))


def test_columns_with_a_subtracted_part():
    """公开07表: 年末结转和结余 = 年初 + 本年收入 − 本年支出."""

    def f07(closing: str) -> MappedTable:
        return table(
            F + "gov_fund_income_expenditure",
            [
                {
                    "name": "合计",
                    "row_kind": "total",
                    "opening_balance": "10.00",
                    "current_income": "50.00",
                    "total": "45.00",
                    "basic": "5.00",
                    "project": "40.00",
                    "closing_balance": closing,
                }
            ],
        )

    assert check("fa_gov_fund_flow", f07("15.00")) == []
    (f,) = check("fa_gov_fund_flow", f07("25.00"))
    assert f.expected == Decimal("15.00") and "−" in f.message_zh


def hebei_three_public(vehicles: str = "157.16", total: str = "159.21") -> MappedTable:
    return table(
        H + "three_public_expenditure",
        [
            {"item": "“三公”经费小计", "row_kind": "subtotal", "total": total, "general_budget": total},
            {"item": "一、因公出国（境）费", "row_kind": "subtotal"},
            {"item": "其中：教学科研人员因公出国（境）费"},
            {"item": "其他因公出国（境）费"},
            {"item": "二、公务用车购置及运维费", "row_kind": "subtotal", "total": vehicles, "general_budget": vehicles},
            {"item": "其中：公务用车购置费", "total": "32.86", "general_budget": "32.86"},
            {"item": "公务用车运行维护费", "total": "124.30", "general_budget": "124.30"},
            {"item": "三、公务接待费", "total": "2.05", "general_budget": "2.05"},
        ],
    )


def test_numbered_heads_and_a_labelled_total():
    """Hebei 三公: 小计 (not a total row) = the numbered items; each item = the lines under it."""
    assert check("hb_three_public_total", hebei_three_public()) == []
    assert check("hb_three_public_components", hebei_three_public()) == []
    (f,) = check("hb_three_public_total", hebei_three_public(total="160.21"))[:1]
    assert f.expected == Decimal("159.21")
    assert len(check("hb_three_public_components", hebei_three_public(vehicles="157.00"))) == 2


def test_totals_per_category():
    """公开06表: 人员经费合计 and 公用经费合计 each sum their own classes."""

    def f06(public_total: str) -> MappedTable:
        return table(
            F + "general_budget_basic_expenditure_by_economic",
            [
                {"category": "personnel", **coded("301", "工资福利支出", "subtotal", total="8.00")},
                {"category": "personnel", **coded("30101", "基本工资", total="8.00")},
                {"category": "public", **coded("302", "商品和服务支出", "subtotal", total="3.00")},
                {"category": "public", **coded("30201", "办公费", total="3.00")},
                {"category": "personnel", "name": "人员经费合计", "row_kind": "total", "total": "8.00"},
                {"category": "public", "name": "公用经费合计", "row_kind": "total", "total": public_total},
            ],
        )

    assert check("fa_economic_totals", f06("3.00")) == []
    (f,) = check("fa_economic_totals", f06("4.00"))
    assert f.rows == [
        "general_budget_basic_expenditure_by_economic:6",
        "general_budget_basic_expenditure_by_economic:3",
    ]


def test_fields_restricted():
    """固定资产: values add up, quantities in 平方米 and 辆 are not added."""

    def assets(total: str) -> MappedTable:
        return table(
            H + "fixed_assets",
            [
                {"item": "资产总额", "row_kind": "total", "asset_value": total},
                {"item": "1、房屋（平方米）", "quantity": "15305.09", "asset_value": "2998.46"},
                {"item": "其中：办公用房（平方米）", "quantity": "8250.72", "asset_value": "1696.04"},
                {"item": "2、车辆（台、辆）", "quantity": "62", "asset_value": "778.17"},
            ],
        )

    assert check("hb_fixed_assets_total", assets("3776.63")) == []
    (f,) = check("hb_fixed_assets_total", assets("3800.00"))
    assert f.expected == Decimal("3776.63")


# --- across tables ----------------------------------------------------------------------


def t05(basic: str = "60.00", project: str = "40.00") -> MappedTable:
    return table(
        S + "general_budget_expenditure",
        [
            {"name": "合计", "row_kind": "total", "total": "100.00", "basic": basic, "project": project},
            coded("204", "公共安全支出", "subtotal", total="100.00", basic=basic, project=project),
        ],
    )


def t06_total(total: str, captions: list[list[str]] | None = None, **lines: str) -> MappedTable:
    rows = [{"economic_name": "合计", "row_kind": "total", "total": total}]
    rows += [{"economic_name": name, "gov_economic_name": name, "total": v} for name, v in lines.items()]
    return table(S + "general_budget_basic_expenditure_by_economic", rows, captions=captions)


def test_cross_table_total():
    assert check("t06_total_equals_t05_basic", t06_total("60.00"), t05()) == []
    assert check("t06_total_equals_t05_basic", t06_total("60.01"), t05()) == []
    (f,) = check("t06_total_equals_t05_basic", t06_total("2.53"), t05())
    assert (f.found, f.expected, f.difference) == (Decimal("2.53"), Decimal("60.00"), Decimal("-57.47"))
    assert f.tables == ["general_budget_basic_expenditure_by_economic", "general_budget_expenditure"]
    assert "表六" in f.message_zh and "表五" in f.message_zh


def test_cross_table_in_different_units():
    """A table printed in 元 is compared in 万元."""
    in_yuan = t06_total("600000.00", captions=[["单位：元"]])
    assert check("t06_total_equals_t05_basic", in_yuan, t05()) == []
    (f,) = check("t06_total_equals_t05_basic", t06_total("610000.00", captions=[["单位：元"]]), t05())
    assert f.unit == "万元" and f.found == Decimal("61")


def test_cross_rule_skipped_without_its_tables():
    assert check("t06_total_equals_t05_basic", t06_total("1.00")) == []


def test_empty_project_table_against_project_expenditure():
    """表十二 printed empty while 表五 has 项目支出 (seed 001)."""
    empty = table(S + "project_expenditure_current", [], empty=True)
    (f,) = check("t12_general_budget_equals_t05_project", empty, t05())
    assert (f.found, f.expected) == (Decimal(0), Decimal("40.00")) and "印为空表" in f.message_zh
    full = table(
        S + "project_expenditure_current",
        [
            {"project_name": "项目甲", "total": "15.00", "general_budget": "15.00"},
            {"project_name": "项目乙", "total": "25.01", "general_budget": "25.01"},
        ],
    )
    assert check("t12_general_budget_equals_t05_project", full, t05()) == []


def test_at_most():
    t10 = three_public("3.50")
    assert check("t06_hospitality_within_three_public", t06_total("20.00", 公务接待费="15.00"), t10) == []
    assert check("t06_hospitality_within_three_public", t06_total("20.00"), t10) == [], "no such line: nothing budgeted"
    (f,) = check("t06_hospitality_within_three_public", t06_total("20.00", 公务接待费="16.00"), t10)
    assert (f.found, f.expected, f.severity) == (Decimal("16.00"), Decimal("15.00"), "warning")


def test_at_most_on_one_stage():
    """公开06表's 公务接待费 against 公开09表's 决算数 (not its 预算数)."""
    f09 = table(
        F + "three_public_expenditure",
        [
            {"stage": "budget", "total": "9.00", "reception": "9.00"},
            {"stage": "final", "total": "5.00", "reception": "5.00"},
        ],
    )
    f06 = table(
        F + "general_budget_basic_expenditure_by_economic",
        [{"category": "public", **coded("30217", "公务接待费", total="6.00")}],
    )
    (f,) = check("fa_f06_hospitality_within_three_public", f06, f09)
    assert f.expected == Decimal("5.00")
    f06.rows[0]["total"] = Decimal("5.00")
    assert check("fa_f06_hospitality_within_three_public", f06, f09) == []


def test_conversion_doubt_makes_a_warning():
    """A table the mapper could not read completely: the finding says so and is no error."""
    t06 = t06_total("2.53")
    t06.warnings.append(Warning_("unreadable-number", "line 1, column 'x': printed '1.2.3', which is not one amount"))
    (f,) = check("t06_total_equals_t05_basic", t06, t05())
    assert f.severity == "warning" and "转换" in f.message_zh and "conversion" in f.message_en


def test_cross_by_code():
    t02 = table(
        S + "income_by_function",
        [
            {"name": "合计", "row_kind": "total", "total": "95.00", "general_budget": "95.00", "carried_over": "5.00"},
            coded("204", "公共安全支出", "subtotal", total="95.00", general_budget="95.00", carried_over="5.00"),
            coded("20402", "公安", "subtotal", total="95.00", general_budget="95.00", carried_over="5.00"),
            coded("2040201", "行政运行", total="60.00", general_budget="60.00"),
            coded("2040202", "一般行政管理事务", total="35.00", general_budget="35.00", carried_over="5.00"),
        ],
    )
    assert check("t03_by_class_equals_t02", t03(), t02) == []
    (f,) = check("t03_by_class_equals_t02", t03(kid="41.00"), t02)
    assert f.rows == ["expenditure_by_function:5", "income_by_function:5"] and f.tolerance == Decimal("0.02")


def test_cross_by_name():
    t01 = table(
        S + "income_expenditure_summary",
        [
            {"side": "expenditure", "item": "四、公共安全支出", "total": "100.00"},
            {"side": "expenditure", "item": "五、教育支出"},
        ],
    )
    assert check("t01_classes_equal_t03", t01, t03()) == []
    t01.rows[0]["total"] = Decimal("99.00")
    (f,) = check("t01_classes_equal_t03", t01, t03())
    assert "公共安全支出" in f.message_zh and f.expected == Decimal("100.00")


# --- performance-target tables ----------------------------------------------------------


def test_performance_funds_add_up():
    ok = project(1, funds_year_total="750000", funds_year_municipal="750000")
    assert check("performance_year_funds_add_up", performance=[ok]) == []
    bad = project(2, funds_year_total="750000", funds_year_municipal="700000")
    (f,) = check("performance_year_funds_add_up", performance=[ok, bad])
    assert f.rows[0] == "performance_projects:2" and f.unit == "万元" and f.found == Decimal("75")


def test_performance_reading_problems_make_warnings():
    """Target tables the reader could not read completely: findings on them say so."""
    bad = project(1, funds_year_total="750000", funds_year_municipal="700000")
    result = PerformanceResult([bad], problems=[["cell not read (row 6, page 25): '0'"]])
    (f,) = evaluate(
        [], DocumentBlocks("pdf", 1, []), rules=[RULES["performance_year_funds_add_up"]], performance=result
    ).findings
    assert f.severity == "warning" and "转换" in f.message_zh


def test_hebei_targets_cover_project_expenditure():
    t3 = table(
        H + "expenditure_by_function", [{"name": "合计", "row_kind": "total", "total": "60.00", "project": "60.00"}]
    )
    targets = [project(1, "万元", budget_total="48.96"), project(2, "万元", budget_total="11.04")]
    assert check("hb_performance_equals_project_expenditure", t3, performance=targets) == []
    (f,) = check("hb_performance_equals_project_expenditure", t3, performance=targets[:1])
    assert (f.found, f.expected) == (Decimal("48.96"), Decimal("60.00"))


def test_published_targets():
    """公开项目绩效目标 N 个，涉及项目金额 X 万元 against the target tables printed."""
    targets = [project(1, funds_year_total="750000"), project(2, funds_year_total="250000")]
    assert (
        check(
            "narrative_published_targets", performance=targets, text=["公开项目绩效目标2个，涉及项目金额100.00万元。"]
        )
        == []
    )
    count, funds = check(
        "narrative_published_targets", performance=targets, text=["公开项目绩效目标3个，涉及项目金额119.50万元。"]
    )
    assert (count.found, count.expected, count.unit) == (Decimal(3), Decimal(2), "个")
    assert (funds.found, funds.expected) == (Decimal("119.50"), Decimal("100"))
    assert check("narrative_published_targets", text=["公开项目绩效目标3个，涉及项目金额1.00万元。"]) == [], (
        "no target table read: not judged"
    )


# --- narrative ------------------------------------------------------------------------


def test_sentences_join_lines_and_break_at_headings():
    doc = DocumentBlocks(
        "pdf",
        2,
        [
            TextBlock("八、机关运行经费增减变动原因说明", 1, bold=True),
            TextBlock("本部门机关运行经费财政拨款预算", 1),
            TextBlock("-1-", 1),
            TextBlock("1602.59万元，比2023年预算增加239.77万元。其后", 2),
            TableBlock([["x"]]),
            TextBlock("另一句", 2),
        ],
    )
    got = [(s.text, s.page_at(len(s.text) - 1)) for s in sentences(doc)]
    assert got == [
        ("八、机关运行经费增减变动原因说明", 1),
        ("本部门机关运行经费财政拨款预算1602.59万元，比2023年预算增加239.77万元。", 2),
        ("其后", 2),
        ("另一句", 2),
    ]


def test_quoted_figures():
    t11 = table(
        S + "operating_expenses",
        [{"unit_name": "部门合计", "row_kind": "total", "total": "1602.59", "general_budget": "1602.59"}],
    )
    t10 = three_public("3.50")
    quiet = [
        "机关运行经费财政拨款预算1602.59万元。",
        "“三公”经费预算18.5万元，公务接待费15.00万元。",
        "2024年年初预算申请增拨机关运行经费240万元。",
        "机关运行经费1600万元左右。",
        "上年公务接待费10万元。",
    ]
    assert check("narrative_quoted_figures", t11, t10, text=quiet) == []
    (f, g) = check(
        "narrative_quoted_figures", t11, t10, text=["机关运行经费财政拨款预算1,620.59万元。", "公务接待费16.00万元。"]
    )
    assert (f.found, f.expected, f.unit) == (Decimal("1620.59"), Decimal("1602.59"), "万元")
    assert f.sentence == "机关运行经费财政拨款预算1,620.59万元。" and f.page == 1
    assert g.found == Decimal("16.00") and "公务接待费" in g.message_zh


def test_quoted_figures_by_column_title():
    """A 三公 table printed one item per column: its column titles are names the prose uses."""
    t3p = table(
        "shanghai_budget/three_public_expenditure",
        [
            {
                "total": "10.81",
                "overseas_travel": "0",
                "reception": "0.83",
                "vehicles": "9.98",
                "vehicle_running": "9.98",
            }
        ],
    )
    t3 = table("shanghai_budget/expenditure_by_function", [{"name": "合计", "row_kind": "total", "total": "9628.22"}])
    quiet = ["（三）公务接待费0.83万元。", "公务用车购置及运行费预算支出9.98万元。", "支出预算9628.22万元。"]
    assert check("narrative_quoted_figures", t3p, t3, text=quiet) == []
    (f,) = check("narrative_quoted_figures", t3p, t3, text=["（三）公务接待费0.93万元。"])
    assert (f.found, f.expected) == (Decimal("0.93"), Decimal("0.83"))


def test_change_percent():
    quiet = [
        "机关运行经费预算1602.59万元，比2023年预算增加239.77万元，增长17.59%。",
        "预算收入总计16,863.00万元，其中：本年收入16,595.30万元，上年结转0万元，比上年增加4225.52万元，增长33.44%。",
        "收入总计643.36万元。与上年相比，收入总计增加399.34万元，增长163.65%。",
    ]
    assert check("narrative_change_percent", text=quiet) == []
    (f,) = check(
        "narrative_change_percent", text=["机关运行经费财政拨款预算8139.6万元，比2023年预算减少0.08万元，下降0.01%。"]
    )
    assert (f.found, f.expected, f.unit) == (Decimal("0.01"), Decimal("0.00"), "%")


def test_compared_percent():
    """Two figures and a percentage: the figure in the clause naming the year compared
    with is the base."""
    quiet = [
        "2025年当年预算执行数为1690.69万元，2026年预算安排1672.67万元，比2025年预算执行数减少1.07%。",
        "2022年当年预算执行数为0万元，2023年预算安排60.13万元，比2022年预算执行数增加100.00%。",
        "支出预算9628.22万元，其中基本支出2000万元，比上年增加5%。",
    ]
    assert check("narrative_compared_percent", text=quiet) == []
    (f,) = check(
        "narrative_compared_percent",
        text=["2025年当年预算执行数为43269.3万元，2026年预算安排3845.49万元，比2025年预算执行数增加17.62%。"],
    )
    assert (f.found, f.expected, f.unit) == (Decimal("17.62"), Decimal("-91.11"), "%")


def test_increase_exceeds_figure():
    assert (
        check("narrative_increase_exceeds_figure", text=["财政拨款收入9628.22万元，比2025年预算增加793.14万元。"]) == []
    )
    (f,) = check(
        "narrative_increase_exceeds_figure", text=["政府性基金拨款支出预算0万元，比2022年预算增加1421.25万元；"]
    )
    assert (f.found, f.expected) == (Decimal("1421.25"), Decimal("0"))


def test_share_percent():
    quiet = ["支出预算16863万元，其中：基本支出8040.19万元，占47.68%；项目支出8822.81万元，占52.32%。"]
    assert check("narrative_share_percent", text=quiet) == []
    (f,) = check("narrative_share_percent", text=["2024年度支出合计643.36万元，其中：项目支出643.36万元，占比0%。"])
    assert (f.found, f.expected) == (Decimal("0"), Decimal("100.00"))


def test_share_percent_without_the_whole():
    """Shares whose whole the sentence does not open with are not compared with its first figure."""
    parts_of_earlier_whole = (
        "其中：本年一般公共预算收入105,814.6万元，占80.56%；本年财政专户管理资金200万元，占0.15%；"
        "本年其他收入25,335万元，占19.29%。"
    )
    shares_of_two_figures = (
        "收入包括：一般公共预算当年拨款收入16,474.82万元、上年结转2,254.12万元；支出包括：一般公共服务支出"
        "15,291.3万元，占81.65%；教育支出118.01万元，占0.63%；社会保障和就业支出2,208.19万元，占11.79%；"
        "住房保障支出1,111.44万元，占5.93%。"
    )
    for sentence in (parts_of_earlier_whole, shares_of_two_figures):
        assert check("narrative_share_percent", text=[sentence]) == []


def test_completion_percent():
    ok = "一般公共预算财政拨款支出年初预算331.59万元，支出决算643.36万元，完成年初预算的194.02%。"
    assert check("narrative_completion_percent", text=[ok]) == []
    (f,) = check("narrative_completion_percent", text=[ok.replace("194.02", "149.02")])
    assert f.expected == Decimal("194.02")


def test_amount_unit():
    t11 = table(S + "operating_expenses", [{"unit_name": "部门合计", "row_kind": "total", "total": "1602.59"}])
    assert check("narrative_amount_unit", t11, text=["政府购买服务年初预算价为7655544元。"]) == []
    (f,) = check("narrative_amount_unit", t11, text=["政府购买服务年初预算价为7655544万元。"])
    assert f.found == Decimal("7655544") and f.expected is None


def test_tolerance_is_configurable():
    assert check("parent_equals_children", t03(kid="40.05"), tolerance="0.05") == []


def test_comparisons_are_counted():
    """A rule reports how many comparisons it made, findings or not: 表三's 类 and 款
    each against their children in three columns (six), a cross rule once, a rule
    without its tables zero."""
    doc = DocumentBlocks("pdf", 1, [])
    rules = [RULES["parent_equals_children"], RULES["t06_total_equals_t05_basic"]]
    run = evaluate([t03(kid="40.05")], doc, rules=rules)
    assert run.evaluated == {"parent_equals_children": 6, "t06_total_equals_t05_basic": 0}
    assert len(run.findings) == 1
    run = evaluate([t05(), t06_total("60.00")], doc, rules=rules)
    assert run.evaluated == {"parent_equals_children": 0, "t06_total_equals_t05_basic": 1} and run.findings == []
    summary = checks_report(run.findings, run.evaluated)["checks_summary"]
    assert summary["evaluated"] == run.evaluated and summary["total"] == 0


# --- into the package --------------------------------------------------------------------


def test_empty_checks_resource_validates(tmp_path):
    """The checks resource is always written, and valid with zero rows."""
    write_package(tmp_path, "p", "p", [checks_resource([])], {})
    assert validate_package(tmp_path)["valid"]
    assert (tmp_path / "checks.csv").read_text(encoding="utf-8").count("\n") == 1
    assert checks_report([])["checks_summary"] == {"error": 0, "warning": 0, "info": 0, "total": 0, "by_rule": {}}


# --- the real pipeline on corpus documents ------------------------------------------------


@pytest.fixture(scope="module")
def corpus():
    """DOCX conversions (under a second each), shared with other test modules."""
    return {doc_id: converted(doc_id, "docx") for doc_id in ("000", "001", "003", "004")}


def rules_found(result) -> list[str]:
    return [c["rule"] for c in result.report["checks"]]


def test_000_is_consistent(corpus):
    """大同市公安局: no error. Warnings: the 机关运行经费 sentence whose 下降0.01% does not
    follow from 8139.6 and 0.08 (0.001%); 公开项目绩效目标13个 / 24,306.93万元 while the
    annex prints 12 target tables worth 24,111.93万元 (one project of 195.00 is missing)."""
    report = corpus["000"].report
    assert report["checks_summary"]["error"] == 0
    assert rules_found(corpus["000"]) == [
        "narrative_change_percent",
        "narrative_published_targets",
        "narrative_published_targets",
    ]
    targets = [c for c in report["checks"] if c["rule"] == "narrative_published_targets"]
    assert [(c["found"], c["expected"]) for c in targets] == [("13", "12"), ("24306.93", "24111.93")]


def test_001_defects(corpus):
    """汾阳市公安局: 表六 合计 is not 表五's 基本支出; 表十二 is printed empty although
    表五 and 表三 put 8,555.11 into this year's 项目支出."""
    checks = {c["rule"]: c for c in corpus["001"].report["checks"]}
    t06 = checks["t06_total_equals_t05_basic"]
    assert (t06["found"], t06["expected"], t06["severity"]) == ("232.53", "8040.19", "error")
    t12 = checks["t12_general_budget_equals_t05_project"]
    assert (t12["found"], t12["expected"]) == ("0", "8555.11")
    t03_ = checks["t03_project_equals_t12_plus_t13"]
    assert Decimal(t03_["found"]) - Decimal(t03_["expected"]) == Decimal("8555.10")
    assert "t11_within_t06_public_expenses" in checks
    targets = [c for c in corpus["001"].report["checks"] if c["rule"] == "narrative_published_targets"]
    assert [(c["found"], c["expected"]) for c in targets] == [("55", "53"), ("7650.11", "7303.978387")]
    units = [c for c in corpus["001"].report["checks"] if c["rule"] == "narrative_amount_unit"]
    assert sorted(c["found"] for c in units) == ["4066924.80", "4696401.60", "7655544"]


def test_003_share_of_project_expenditure(corpus):
    """朔州市公安局开发区分局 (final accounts): 项目支出643.36万元 is all of 支出合计643.36万元,
    printed as 占比0%."""
    (c,) = corpus["003"].report["checks"]
    assert (c["rule"], c["found"], c["expected"], c["unit"]) == ("narrative_share_percent", "0", "100.00", "%")
    assert "项目支出643.36万元，占比0%" in c["sentence"]


def test_004_consistent_and_checks_resource_always_present(corpus):
    """大厂回族自治县公安局 (Hebei): every relation holds within rounding; the checks
    resource is still in the package, with no rows."""
    result = corpus["004"]
    assert result.report["checks"] == [] and result.report["checks_summary"]["total"] == 0
    assert read_csv(result.package_dir / "checks.csv") == []
    assert "checks" in result.resource_names


def test_checks_resource_in_package(corpus):
    result = corpus["001"]
    rows = read_csv(result.package_dir / "checks.csv")
    assert len(rows) == result.report["checks_summary"]["total"] == len(result.report["checks"])
    assert rows[0]["rule"] == result.report["checks"][0]["rule"] and rows[0]["message_zh"]
    assert result.report["validation"]["valid"]


# --- real documents (as published) ------------------------------------------------------


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    """The real Shanghai and Jiangsu disclosures through the whole pipeline."""
    return {
        name: convert(REAL / f"{name}.pdf", tmp_path_factory.mktemp(name) / "package").report
        for name in (
            "sh_putuo_sfj_2026_dept_budget",
            "sh_putuo_wanli_2023_dept_budget",
            "sh_putuo_czj_2024_dept_final",
            "js_gaoyuan_2019_dept_budget",
        )
    }


def _found(report: dict) -> set[tuple[str, int, str, str]]:
    return {(c["rule"], c["page"], c["found"], c["expected"]) for c in report["checks"]}


def test_real_sfj_2026(real):
    """上海市普陀区司法局 2026: 其他司法支出 2025 执行数 printed 43269.3 (3269.3 gives the 17.62%
    printed), 职业年金 17.66% copied from the line above (77.99 → 91.97 is 17.93%), 住房公积金
    安排 201.50 against 208.8 in the heading and 208.80 in the tables (5.27% follows from 208.8):
    the percentage, and the figure against the table's 2,087,959 元."""
    assert _found(real["sh_putuo_sfj_2026_dept_budget"]) == {
        ("narrative_compared_percent", 9, "17.62", "-91.11"),
        ("narrative_compared_percent", 9, "17.66", "17.93"),
        ("narrative_compared_percent", 9, "5.27", "1.59"),
        ("narrative_item_figure", 9, "201.50", "208.7959"),
    }


def test_real_wanli_2023(real):
    """上海市普陀区万里街道 2023: 政府性基金 0万元 '比2022年预算增加1421.25万元' (copied from the line
    above); 群众团体事务 11.67 → 45.41 is 289.12%, not 314.82%; 职业年金 安排 441.25 and 60.54%
    copied from 基本养老保险 (the heading says 220.63)."""
    assert _found(real["sh_putuo_wanli_2023_dept_budget"]) == {
        ("narrative_increase_exceeds_figure", 6, "1421.25", "0"),
        ("narrative_compared_percent", 6, "314.82", "289.12"),
        ("narrative_compared_percent", 7, "60.54", "232.79"),
    }


def test_real_documents_whose_tables_agree(real):
    """上海市普陀区财政局 2024 (final accounts) and 江苏省高级人民法院 2019: every table rule
    runs and holds within rounding (财政局's 0.01–0.02 differences are rounding to 万元)."""
    assert real["sh_putuo_czj_2024_dept_final"]["checks"] == []
    assert real["js_gaoyuan_2019_dept_budget"]["checks"] == []


def test_the_longest_amounts_a_cell_may_print_are_checked_exactly(tmp_path):
    """Amounts of 25 digits in 亿元 are converted to 万元 by the checks: no precision
    error, and the table that agrees with itself raises no finding."""
    big = "1234567890123456789012345.00"
    rows = [
        ["收入", "", "支出", "", "", ""],
        ["项目名称", "金额", "功能分类", "", "支出用途", ""],
        ["", "", "功能科目名称", "金额", "项目名称", "金额"],
        ["一、财政拨款", big, "一、一般公共服务支出", big, "一、基本支出", big],
        ["收入合计", big, "支出合计", "", "", big],
    ]
    merges = [(0, 0, 1, 2), (0, 2, 1, 4), (1, 0, 2, 1), (1, 1, 2, 1), (1, 2, 1, 2), (1, 4, 1, 2), (4, 2, 1, 3)]
    path = build_docx(tmp_path / "t.docx", ["公开01表", "收支预算总表", "部门名称：某某局    单位：亿元"], rows, merges)
    result = convert(path, tmp_path / "out")
    assert result.report["checks_summary"]["total"] == 0
    assert result.report["validation"]["valid"]


def test_every_jiangsu_rule_compares_figures_of_the_real_document(real):
    """No finding on 江苏省高级人民法院 2019 means agreement, not rules that found no
    table: every rule naming a Jiangsu table made at least one comparison."""
    evaluated = real["js_gaoyuan_2019_dept_budget"]["checks_summary"]["evaluated"]
    jiangsu = [r.id for r in load_rules() if any(t.startswith("jiangsu_budget/") for t in r.tables)]
    assert jiangsu and {r: evaluated[r] for r in jiangsu if evaluated[r] == 0} == {}


def test_an_altered_figure_of_the_real_jiangsu_document_is_found():
    """The Jiangsu rules read the converted tables' real figures: 0.50 more on 公开05表's
    合计 breaks 合计 = its 类 and 公开05表 = 公开07表 + 公开10表."""
    doc = read_document(REAL / "js_gaoyuan_2019_dept_budget.pdf")
    mapped = [map_table(t, t.concept, None) for t in recognise(doc) if t.concept]
    f05 = next(m for m in mapped if m.concept.key == "jiangsu_budget/fiscal_expenditure_by_function")
    total = next(r for r in f05.rows if r["row_kind"] == "total")
    rules = [RULES["total_equals_classes"], RULES["js05_equals_js07_plus_js10"]]
    assert evaluate(mapped, doc, rules=rules).findings == []
    total["total"] += Decimal("0.50")
    found = {(f.rule, f.found - f.expected) for f in evaluate(mapped, doc, rules=rules).findings}
    assert found == {("total_equals_classes", Decimal("0.50")), ("js05_equals_js07_plus_js10", Decimal("0.50"))}
