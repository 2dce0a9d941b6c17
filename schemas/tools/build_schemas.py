"""Write the Table Schemas and the concept map of ``schemas/`` from one place.

Field meanings repeat across tables and families (code, name, total, basic
expenditure …): defining each once here keeps every schema using the same name for the
same meaning. The JSON files it writes are what the converter reads; run this after
editing, and commit both.
"""
from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent

MONEY = "万元"

COMMON = {
    "line_no": {"type": "integer", "title": "行号", "description": "Order of the printed row within the table (1 = first body row); the two sides of a two-sided table share it.", "constraints": {"required": True, "minimum": 1}},
    "row_kind": {"type": "string", "title": "行类型", "description": "data: an ordinary line; subtotal: a line that sums other lines of the table (a classified parent, a unit's group line, a class of economic items); total: a 合计/总计 line of the whole table or side.", "constraints": {"required": True, "enum": ["data", "subtotal", "total"]}},
    "page": {"type": "integer", "title": "页码", "description": "PDF page the row was printed on (1-based). Null for DOCX input, which has no pages.", "constraints": {"minimum": 1}},
    "side": {"type": "string", "title": "收支方向", "description": "income: the left (收入) side of the printed table; expenditure: the right (支出) side.", "constraints": {"required": True, "enum": ["income", "expenditure"]}},
    "item": {"type": "string", "title": "项目", "description": "Row label as printed (项目)."},
    "code": {"type": "string", "title": "科目编码", "description": "Functional classification code (支出功能分类科目 / 收入科目): 3 digits 类, 5 digits 款, 7 digits 项.", "constraints": {"pattern": "[0-9]{3}([0-9]{2}){0,2}"}},
    "level": {"type": "integer", "title": "科目级次", "description": "Level of the code: 1 类 (3 digits), 2 款 (5 digits), 3 项 (7 digits).", "constraints": {"minimum": 1, "maximum": 3}},
    "parent_code": {"type": "string", "title": "上级科目编码", "description": "Code of the parent class (the code without its last two digits); null for a 类.", "constraints": {"pattern": "[0-9]{3}([0-9]{2})?"}},
    "name": {"type": "string", "title": "科目名称", "description": "Name of the classified item as printed."},
}


def money(title: str, description: str) -> dict:
    return {"type": "number", "title": title, "description": f"{description} Amount in {MONEY}, as printed (blank printed cell: null).", "unit": MONEY}


AMOUNTS = {
    "total": money("合计", "Total of the row (合计 / 小计 / 金额)."),
    "current_year": money("当年预算安排", "Part arranged in this year's budget."),
    "carried_over": money("上年结转", "Part carried over from last year (上年结转 / 上年结转安排)."),
    "general_budget": money("一般公共预算", "General public budget (一般公共预算)."),
    "gov_fund": money("政府性基金预算", "Government fund budget (政府性基金)."),
    "state_capital": money("国有资本经营预算", "State capital operations budget (国有资本经营预算)."),
    "special_account": money("财政专户管理资金", "Funds managed in a special fiscal account (财政专户管理资金)."),
    "unit_funds": money("单位资金", "The unit's own funds (单位资金)."),
    "basic": money("基本支出", "Basic expenditure (基本支出)."),
    "project": money("项目支出", "Project expenditure (项目支出)."),
    "personnel": money("人员经费", "Personnel expenses (人员经费)."),
    "public_expenses": money("公用经费", "Public (office) expenses (公用经费)."),
}

TEXT = {
    "economic_name": {"type": "string", "title": "部门预算支出经济科目名称", "description": "Economic item of the departmental classification; on a class line (工资福利支出 …) the class itself."},
    "gov_economic_name": {"type": "string", "title": "政府预算支出经济科目名称", "description": "Matching item of the government economic classification; null on class lines."},
    "unit_name": {"type": "string", "title": "单位名称", "description": "Unit the row is about."},
    "project_name": {"type": "string", "title": "项目名称", "description": "Project (or, on group lines, unit) name as printed."},
}


def field(name: str) -> dict:
    spec = COMMON.get(name) or AMOUNTS.get(name) or TEXT.get(name)
    return {"name": name, **json.loads(json.dumps(spec))}


# Column header patterns (regular expressions over the printed label, whitespace removed).
H = {
    "item": "项目",
    "code": "(收入|支出)?科目(编码|代码)|功能分类科目编码|编码",
    "name": "科目名称",
    "total": "(\\d{4}年?)?(合计|小计|金额|预算数?)|\\d{4}年",
    "current_year": "当年预算安排",
    "carried_over": "上年结转(安排)?",
    "general_budget": "一般公共预算",
    "gov_fund": "政府性基金(预算)?",
    "state_capital": "国有资本经营(预算)?",
    "special_account": "财政专户管理资金",
    "unit_funds": "单位资金",
    "basic": "基本支出",
    "project": "项目支出",
    "personnel": "人员经费",
    "public_expenses": "公用经费",
    "economic_name": "部门预算支出经济科目名称",
    "gov_economic_name": "政府预算支出经济科目名称",
    "unit_name": "单位名称",
    "project_name": "项目名称",
}


def cols(*names: str, **override: str) -> list[dict]:
    return [{"field": n, "header": override.get(n, H[n])} for n in names]


CLASSIFIED = ["line_no", "row_kind", "code", "level", "parent_code", "name"]

SHANXI = [
    {
        "resource": "income_expenditure_summary", "title": "预算收支总表", "not_title": "财政拨款",
        "layout": "two_sided", "label": "表一",
        "description": "Budget income and expenditure summary (表一). Printed as two tables side by side, 收入 left and 支出 right; here one row per item of either side, with `side` saying which and `line_no` the printed row, so each side reads as an ordinary table and the two can be put back together by line_no.",
        "fields": ["line_no", "side", "row_kind", "item", "total", "current_year", "carried_over", "page"],
        "sides": [
            {"side": "income", "group": "收入", "columns": cols("item", "total")},
            {"side": "expenditure", "group": "支出", "columns": cols("item", "total", "current_year", "carried_over")},
        ],
    },
    {
        "resource": "income_by_function", "title": "预算收入总表", "layout": "classified", "label": "表二",
        "description": "Budget income by functional classification (表二): for each class, income by source.",
        "fields": CLASSIFIED + ["total", "general_budget", "gov_fund", "state_capital", "special_account", "unit_funds", "carried_over", "page"],
        "columns": cols("code", "name", "total", "general_budget", "gov_fund", "state_capital", "special_account", "unit_funds", "carried_over"),
    },
    {
        "resource": "expenditure_by_function", "title": "预算支出总表", "not_title": "一般公共|政府性基金|国有资本", "layout": "classified", "label": "表三",
        "description": "Budget expenditure by functional classification (表三), split into basic and project expenditure.",
        "fields": CLASSIFIED + ["total", "basic", "project", "page"],
        "columns": cols("code", "name", "total", "basic", "project"),
    },
    {
        "resource": "fiscal_income_expenditure_summary", "title": "财政拨款收支总表", "layout": "two_sided", "label": "表四",
        "description": "Fiscal appropriation income and expenditure summary (表四). Two-sided like 表一: one row per item of either side, `side` and `line_no` say where it was printed.",
        "fields": ["line_no", "side", "row_kind", "item", "total", "general_budget", "gov_fund", "state_capital", "page"],
        "sides": [
            {"side": "income", "group": "收入", "columns": cols("item", "total")},
            {"side": "expenditure", "group": "支出", "columns": cols("item", "total", "general_budget", "gov_fund", "state_capital")},
        ],
    },
    {
        "resource": "general_budget_expenditure", "title": "一般公共预算支出(预算)?表", "not_title": "基本支出|经济科目", "layout": "classified", "label": "表五",
        "description": "General public budget expenditure by functional classification (表五), excluding last year's carry-over.",
        "fields": CLASSIFIED + ["total", "basic", "project", "page"],
        "columns": cols("code", "name", "total", "basic", "project"),
    },
    {
        "resource": "general_budget_basic_expenditure_by_economic", "title": "基本支出分?经济科目", "layout": "economic", "label": "表六",
        "description": "General public budget basic expenditure by economic classification (表六). Class lines (工资福利支出 …) carry the class subtotal and have no government item; row_kind says which lines are classes.",
        "fields": ["line_no", "row_kind", "economic_name", "gov_economic_name", "total", "personnel", "public_expenses", "page"],
        "columns": cols("economic_name", "gov_economic_name", "total", "personnel", "public_expenses"),
    },
    {
        "resource": "gov_fund_income", "title": "政府性基金预算收入表", "layout": "classified", "label": "表七",
        "description": "Government fund budget income (表七) by income classification.",
        "fields": CLASSIFIED + ["total", "page"],
        "columns": cols("code", "name", "total", total="政府性基金收入预算|金额|合计"),
    },
    {
        "resource": "gov_fund_expenditure", "title": "政府性基金预算支出表", "layout": "classified", "label": "表八",
        "description": "Government fund budget expenditure (表八) by functional classification.",
        "fields": CLASSIFIED + ["total", "basic", "project", "page"],
        "columns": cols("code", "name", "total", "basic", "project"),
    },
    {
        "resource": "state_capital_income_expenditure", "title": "国有资本经营预算收支(预算)?表", "layout": "two_sided", "label": "表九",
        "description": "State capital operations budget income and expenditure (表九). Two-sided: one row per item of either side, with its code and name; `side` and `line_no` say where it was printed.",
        "fields": ["line_no", "side", "row_kind", "code", "level", "parent_code", "name", "total", "basic", "project", "page"],
        "sides": [
            {"side": "income", "group": ".*收入", "columns": cols("code", "name", "total", total="国有资本经营收入预算|金额|合计")},
            {"side": "expenditure", "group": ".*支出", "columns": cols("code", "name", "total", "basic", "project")},
        ],
    },
    {
        "resource": "three_public_expenditure", "title": "三公.{0,3}经费", "layout": "items", "label": "表十",
        "description": "“三公” expenses (表十): overseas travel, official reception, official vehicles (purchase and running), by budget source.",
        "fields": ["line_no", "row_kind", "item", "total", "general_budget", "gov_fund", "state_capital", "page"],
        "columns": cols("item", "total", "general_budget", "gov_fund", "state_capital"),
    },
    {
        "resource": "operating_expenses", "title": "机关运行经费", "layout": "items", "label": "表十一",
        "description": "Organ operating expenses (表十一) by unit and budget source; the 部门合计 line is the total.",
        "fields": ["line_no", "row_kind", "unit_name", "total", "general_budget", "gov_fund", "state_capital", "page"],
        "columns": cols("unit_name", "total", "general_budget", "gov_fund", "state_capital"),
    },
    {
        "resource": "project_expenditure_current", "title": "项目支出预算表.{0,2}本年预算", "layout": "items", "label": "表十二",
        "description": "Project expenditure of this year's budget (表十二), per project by source. Lines naming a unit group that unit's projects (row_kind subtotal).",
        "fields": ["line_no", "row_kind", "project_name", "total", "general_budget", "gov_fund", "state_capital", "special_account", "unit_funds", "page"],
        "columns": cols("project_name", "total", "general_budget", "gov_fund", "state_capital", "special_account", "unit_funds"),
    },
    {
        "resource": "project_expenditure_carried_over", "title": "项目支出预算表.{0,2}上年结转", "layout": "items", "label": "表十三",
        "description": "Project expenditure carried over from last year (表十三), per project by source. Lines naming a unit group that unit's projects (row_kind subtotal).",
        "fields": ["line_no", "row_kind", "project_name", "total", "general_budget", "gov_fund", "state_capital", "page"],
        "columns": cols("project_name", "total", "general_budget", "gov_fund", "state_capital"),
    },
]

FAMILIES = {
    "shanxi_budget": {
        "title": "Shanxi budget template (部门/单位预算, 表一 … 表十三)",
        "document_kind": "budget",
        "markers": ["预算公开表", "当年预算安排", "不含上年结转", "项目支出预算表"],
        "tables": SHANXI,
    },
}


def schema_for(family: str, spec: dict) -> dict:
    return {
        "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
        "title": spec["title_printed"] if "title_printed" in spec else spec["resource"],
        "description": spec["description"] + f" Template family: {family}. Money in {MONEY}.",
        "fields": [field(n) for n in spec["fields"]],
        "missingValues": [""],
        "primaryKey": ["line_no", "side"] if spec["layout"] == "two_sided" else ["line_no"],
    }


def main() -> None:
    concept_map = {"families": {}}
    for family, fam in FAMILIES.items():
        entries = []
        for spec in fam["tables"]:
            schema_file = f"{family}/{spec['resource']}.json"
            path = OUT / schema_file
            path.parent.mkdir(exist_ok=True)
            path.write_text(json.dumps(schema_for(family, spec), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            entry = {k: v for k, v in spec.items() if k not in ("fields", "description")}
            entry["schema"] = schema_file
            entries.append(entry)
        concept_map["families"][family] = {k: v for k, v in fam.items() if k != "tables"} | {"tables": entries}
    (OUT / "concepts.json").write_text(json.dumps(concept_map, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
