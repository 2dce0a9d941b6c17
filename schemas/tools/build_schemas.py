"""Write the Table Schemas and the concept map of ``schemas/`` from one place.

Field meanings repeat across tables and families (code, name, total, basic
expenditure …): defining each once here keeps every schema using the same name for the
same meaning. The JSON files it writes are what the converter reads; run this after
editing, and commit both.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent

MONEY = "万元"

COMMON = {
    "line_no": {
        "type": "integer",
        "title": "行号",
        "description": "Order of the printed row within the table (1 = first body row); the two sides of a two-sided table share it.",
        "constraints": {"required": True, "minimum": 1},
    },
    "row_kind": {
        "type": "string",
        "title": "行类型",
        "description": "data: an ordinary line; subtotal: a line that sums other lines of the table (a classified parent, a unit's group line, a class of economic items); total: a 合计/总计 line of the whole table or side.",
        "constraints": {"required": True, "enum": ["data", "subtotal", "total"]},
    },
    "page": {
        "type": "integer",
        "title": "页码",
        "description": "PDF page the row was printed on (1-based). Null for DOCX input, which has no pages.",
        "constraints": {"minimum": 1},
    },
    "side": {
        "type": "string",
        "title": "收支方向",
        "description": "income: the left (收入) side of the printed table; expenditure: the right (支出) side.",
        "constraints": {"required": True, "enum": ["income", "expenditure"]},
    },
    "item": {"type": "string", "title": "项目", "description": "Row label as printed (项目)."},
    "code": {
        "type": "string",
        "title": "科目编码",
        "description": "Functional classification code (支出功能分类科目 / 收入科目): 3 digits 类, 5 digits 款, 7 digits 项.",
        "constraints": {"pattern": "[0-9]{3}([0-9]{2}){0,2}"},
    },
    "level": {
        "type": "integer",
        "title": "科目级次",
        "description": "Level of the code: 1 类 (3 digits), 2 款 (5 digits), 3 项 (7 digits).",
        "constraints": {"minimum": 1, "maximum": 3},
    },
    "parent_code": {
        "type": "string",
        "title": "上级科目编码",
        "description": "Code of the parent class (the code without its last two digits); null for a 类.",
        "constraints": {"pattern": "[0-9]{3}([0-9]{2})?"},
    },
    "name": {"type": "string", "title": "科目名称", "description": "Name of the classified item as printed."},
    "row_no": {
        "type": "integer",
        "title": "行次",
        "description": "Row number printed in the 行次 column: the template's fixed number of the line, the same in every department's table, so lines can be joined across documents.",
        "constraints": {"minimum": 0},
    },
    "seq": {
        "type": "integer",
        "title": "序号",
        "description": "Serial number printed in the 序号 column.",
        "constraints": {"minimum": 0},
    },
    "stage": {
        "type": "string",
        "title": "预决算",
        "description": "budget: the 预算数 half of the printed table; final: the 决算数 half.",
        "constraints": {"required": True, "enum": ["budget", "final"]},
    },
    "category": {
        "type": "string",
        "title": "经费类别",
        "description": "personnel: printed under 人员经费; public: printed under 公用经费.",
        "constraints": {"required": True, "enum": ["personnel", "public"]},
    },
    "column_group": {
        "type": "integer",
        "title": "栏组",
        "description": "Which of the code/name/amount column groups printed side by side the item was printed in (1 = leftmost); with line_no it gives the printed position.",
        "constraints": {"required": True, "minimum": 1},
    },
    "section": {
        "type": "string",
        "title": "部分",
        "description": "Section heading the line is printed under (一、政府采购情况 …).",
    },
    "unit": {
        "type": "string",
        "title": "计量单位",
        "description": "Unit of `value` on this line: 万元 for money, or the count unit printed in the item (辆, 台（套） …).",
    },
    "quantity_unit": {
        "type": "string",
        "title": "数量单位",
        "description": "Unit of `quantity` as printed in the item (平方米, 台、辆 …); null where the item prints none.",
    },
}


def money(title: str, description: str) -> dict:
    return {
        "type": "number",
        "title": title,
        "description": f"{description} Amount in {MONEY}, as printed (blank printed cell: null).",
        "unit": MONEY,
    }


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
    "fiscal_appropriation": money("财政拨款收入", "Fiscal appropriation income (财政拨款（收入）)."),
    "special_account_income": money("财政专户收入", "Income managed in a special fiscal account (财政专户收入)."),
    "superior_subsidy": money("上级补助收入", "Subsidy from the superior unit (上级补助收入)."),
    "business_income": money("事业收入", "Business income of public institutions (事业收入)."),
    "operating_income": money("经营收入", "Operating income (经营收入)."),
    "subordinate_remittance": money("附属单位上缴收入", "Remittances from subordinate units (附属单位上缴收入)."),
    "other_income": money("其他收入", "Other income (其他收入)."),
    "current_income": money("本年收入", "Income of the year (本年收入)."),
    "remit_superior": money("上缴上级支出", "Payments to the superior unit (上缴/上解上级支出)."),
    "operating_expenditure": money("经营支出", "Operating expenditure (经营支出)."),
    "subsidy_subordinate": money("对附属单位补助支出", "Subsidies to subordinate units (对附属单位补助支出)."),
    "opening_balance": money("年初结转和结余", "Balance carried in at the start of the year (年初结转和结余)."),
    "closing_balance": money("年末结转和结余", "Balance carried out at the end of the year (年末结转和结余)."),
    "overseas_travel": money("因公出国（境）费", "Official overseas travel (因公出国（境）费)."),
    "vehicles": money("公务用车购置及运行维护费", "Official vehicles, purchase and running together (小计)."),
    "vehicle_purchase": money("公务用车购置费", "Purchase of official vehicles."),
    "vehicle_running": money("公务用车运行维护费", "Running and maintenance of official vehicles."),
    "reception": money("公务接待费", "Official reception (公务接待费)."),
    "project_budget": money("预算资金", "Budget of the project the purchase belongs to (项目来源 预算资金)."),
    "unit_price": money("单价", "Unit price (单价)."),
    "sme_reserved": money("预留中小微企业份额", "Share reserved for small and micro enterprises (预留中小微企业份额)."),
    "asset_value": money("价值", "Value of the assets (价值)."),
    "three_public": money("“三公”经费", "The three official expenses together (“三公”经费 小计)."),
    "meetings": money("会议费", "Meeting expenses (会议费)."),
    "training": money("培训费", "Training expenses (培训费)."),
    "operating_expenses": money("机关运行经费", "Organ operating expenses (机关运行经费)."),
    "reserve_funds": money("单位预留机动经费", "Contingency funds the unit keeps in reserve (单位预留机动经费)."),
    "carry_forward": money("结转下年资金", "Funds carried forward to next year (结转下年资金)."),
    "administrative_expenses": money("行政经费", "Administrative expenses (行政经费)."),
    "prior_year_actual": money(
        "上年执行数", "What was spent in the previous year (执行数), printed beside this year's budget for comparison."
    ),
    "change_amount": money("增减额", "This year's budget less the previous year's figure (增减额)."),
}

TEXT = {
    "gov_code": {
        "type": "string",
        "title": "政府预算支出经济分类科目编码",
        "description": "Code of the matching item of the government economic classification (501…, 5 digits for an item).",
        "constraints": {"pattern": "[0-9]{3}([0-9]{2})?"},
    },
    "economic_name": {
        "type": "string",
        "title": "部门预算支出经济科目名称",
        "description": "Economic item of the departmental classification; on a class line (工资福利支出 …) the class itself.",
    },
    "gov_economic_name": {
        "type": "string",
        "title": "政府预算支出经济科目名称",
        "description": "Matching item of the government economic classification; null on class lines.",
    },
    "unit_name": {"type": "string", "title": "单位名称", "description": "Unit the row is about."},
    "project_name": {
        "type": "string",
        "title": "项目名称",
        "description": "Project (or, on group lines, unit) name as printed.",
    },
    "item_name": {"type": "string", "title": "采购物品名称", "description": "Item purchased (采购物品名称)."},
    "catalogue_code": {
        "type": "string",
        "title": "政府采购目录序号",
        "description": "Code of the item in the government procurement catalogue.",
    },
    "measure_unit": {
        "type": "string",
        "title": "计量单位",
        "description": "Unit the quantity is counted in (计量单位).",
    },
    "quantity": {
        "type": "number",
        "title": "数量",
        "description": "Quantity as printed (a count or an area; see the unit field).",
    },
    "value": {
        "type": "number",
        "title": "统计数",
        "description": "Figure printed for the line; its unit is in `unit` (money lines in the table's money unit, counts in items).",
    },
    "source": {
        "type": "string",
        "title": "资金来源",
        "description": "Class of funds the line belongs to (一般公共预算资金, 财政专户管理资金 …), printed on the class's first line only.",
    },
    "procurement_category": {
        "type": "string",
        "title": "采购品目大类",
        "description": "Class of procurement (一、货物 / 二、工程 / 三、服务), printed on the class's first line only.",
    },
    "procurement_method": {
        "type": "string",
        "title": "采购组织形式",
        "description": "How the purchase is organised (政府集中采购, 部门集中采购, 分散自行组织 …).",
    },
    "change_rate": {
        "type": "string",
        "title": "增减率",
        "description": "Change against the previous year as printed (增减 %), a percentage.",
    },
    "project_type": {
        "type": "string",
        "title": "项目类别",
        "description": "Kind of project as printed (项目类别 / 项目类型 / 项目分类).",
    },
    "service_category": {
        "type": "string",
        "title": "指导性目录一级",
        "description": "First level of the government purchase-of-services catalogue (指导性目录 一级).",
    },
    "service_subcategory": {
        "type": "string",
        "title": "指导性目录二级",
        "description": "Second level of the purchase-of-services catalogue (二级).",
    },
    "service_item": {
        "type": "string",
        "title": "指导性目录三级",
        "description": "Third level of the purchase-of-services catalogue (三级), the service bought.",
    },
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
    "row_no": "行次",
    "seq": "序号",
    "fiscal_appropriation": "财政拨款(收入)?",
    "special_account_income": "财政专户(管理资金)?收入",
    "superior_subsidy": "上级补助收入",
    "business_income": "事业收入",
    "operating_income": "经营收入",
    "subordinate_remittance": "附属单位上缴收入",
    "other_income": "其他收入",
    "current_income": "本年收入",
    "remit_superior": "上[缴解]上级支出",
    "operating_expenditure": "经营支出",
    "subsidy_subordinate": "对附属单位补助支出",
    "opening_balance": "年初结转和结余",
    "closing_balance": "年末结转和结余",
    "overseas_travel": "因公出国[(（]境[)）]费(用)?",
    "vehicles": "小计|公务用车购置及运行(维护)?费",
    "vehicle_purchase": "(其中[:：]?)?(①)?公务用车购置费?",
    "vehicle_running": "(②)?公务用车运行(维护)?费",
    "reception": "公务接待费",
    "project_budget": "预算资金",
    "item_name": "采购物品名称",
    "catalogue_code": "政府采购目录序号",
    "measure_unit": "计量单位",
    "quantity": "数量",
    "unit_price": "单价",
    "sme_reserved": "(\\d{4}年)?预留中小微企业份额",
    "asset_value": "价值.*",
    "value": "统计数",
    "three_public": "小计|.?三公.?经费",
    "meetings": "会议费",
    "training": "培训费",
    "operating_expenses": "(\\d{4}年)?机关运行经费(预算数|支出)?",
    "reserve_funds": "单位预留机动经费",
    "carry_forward": "结转下年资金",
    "source": "项目名称",
    "procurement_category": "采购品目大类",
    "procurement_method": "采购组织形式",
    "administrative_expenses": "行政经费",
    "prior_year_actual": "(\\d{4}年)?执行数",
    "change_amount": "增减额?",
    "change_rate": "增减(率|幅度)?[(（]?%[)）]?",
    "project_type": "项目(类别|类型|分类)",
    "service_category": "一级(目录)?",
    "service_subcategory": "二级(目录)?",
    "service_item": "三级(目录)?",
}


def cols(*names: str, **override: str) -> list[dict]:
    return [{"field": n, "header": override.get(n, H[n])} for n in names]


def joined(name: str, header: str) -> dict:
    """A field printed over several neighbouring columns whose texts join (a code as
    类 | 款 | 项, each column under its own label)."""
    return {"field": name, "header": header, "join": True}


CLASSIFIED = ["line_no", "row_kind", "code", "level", "parent_code", "name"]

SHANXI = [
    {
        "resource": "income_expenditure_summary",
        "title": "预算收支总表",
        "not_title": "财政拨款",
        "layout": "two_sided",
        "label": "表一",
        "description": "Budget income and expenditure summary (表一). Printed as two tables side by side, 收入 left and 支出 right; here one row per item of either side, with `side` saying which and `line_no` the printed row, so each side reads as an ordinary table and the two can be put back together by line_no.",
        "fields": ["line_no", "side", "row_kind", "item", "total", "current_year", "carried_over", "page"],
        "sides": [
            {"side": "income", "group": "收入", "columns": cols("item", "total")},
            {"side": "expenditure", "group": "支出", "columns": cols("item", "total", "current_year", "carried_over")},
        ],
    },
    {
        "resource": "income_by_function",
        "title": "预算收入总表",
        "layout": "classified",
        "label": "表二",
        "description": "Budget income by functional classification (表二): for each class, income by source.",
        "fields": CLASSIFIED
        + [
            "total",
            "general_budget",
            "gov_fund",
            "state_capital",
            "special_account",
            "unit_funds",
            "carried_over",
            "page",
        ],
        "columns": cols(
            "code",
            "name",
            "total",
            "general_budget",
            "gov_fund",
            "state_capital",
            "special_account",
            "unit_funds",
            "carried_over",
        ),
    },
    {
        "resource": "expenditure_by_function",
        "title": "预算支出总表",
        "not_title": "一般公共|政府性基金|国有资本",
        "layout": "classified",
        "label": "表三",
        "description": "Budget expenditure by functional classification (表三), split into basic and project expenditure.",
        "fields": CLASSIFIED + ["total", "basic", "project", "page"],
        "columns": cols("code", "name", "total", "basic", "project"),
    },
    {
        "resource": "fiscal_income_expenditure_summary",
        "title": "财政拨款收支总表",
        "layout": "two_sided",
        "label": "表四",
        "description": "Fiscal appropriation income and expenditure summary (表四). Two-sided like 表一: one row per item of either side, `side` and `line_no` say where it was printed.",
        "fields": [
            "line_no",
            "side",
            "row_kind",
            "item",
            "total",
            "general_budget",
            "gov_fund",
            "state_capital",
            "page",
        ],
        "sides": [
            {"side": "income", "group": "收入", "columns": cols("item", "total")},
            {
                "side": "expenditure",
                "group": "支出",
                "columns": cols("item", "total", "general_budget", "gov_fund", "state_capital"),
            },
        ],
    },
    {
        "resource": "general_budget_expenditure",
        "title": "一般公共预算支出(预算)?表",
        "not_title": "基本支出|经济科目",
        "layout": "classified",
        "label": "表五",
        "description": "General public budget expenditure by functional classification (表五), excluding last year's carry-over.",
        "fields": CLASSIFIED + ["total", "basic", "project", "page"],
        "columns": cols("code", "name", "total", "basic", "project"),
    },
    {
        "resource": "general_budget_basic_expenditure_by_economic",
        "title": "基本支出分?经济科目",
        "layout": "economic",
        "label": "表六",
        "description": "General public budget basic expenditure by economic classification (表六). Class lines (工资福利支出 …) carry the class subtotal and have no government item; row_kind says which lines are classes.",
        "fields": [
            "line_no",
            "row_kind",
            "economic_name",
            "gov_economic_name",
            "total",
            "personnel",
            "public_expenses",
            "page",
        ],
        "columns": cols("economic_name", "gov_economic_name", "total", "personnel", "public_expenses"),
    },
    {
        "resource": "gov_fund_income",
        "title": "政府性基金预算收入表",
        "layout": "classified",
        "label": "表七",
        "description": "Government fund budget income (表七) by income classification.",
        "fields": CLASSIFIED + ["total", "page"],
        "columns": cols("code", "name", "total", total="政府性基金收入预算|金额|合计"),
    },
    {
        "resource": "gov_fund_expenditure",
        "title": "政府性基金预算支出表",
        "layout": "classified",
        "label": "表八",
        "description": "Government fund budget expenditure (表八) by functional classification.",
        "fields": CLASSIFIED + ["total", "basic", "project", "page"],
        "columns": cols("code", "name", "total", "basic", "project"),
    },
    {
        "resource": "state_capital_income_expenditure",
        "title": "国有资本经营预算收支(预算)?表",
        "layout": "two_sided",
        "label": "表九",
        "description": "State capital operations budget income and expenditure (表九). Two-sided: one row per item of either side, with its code and name; `side` and `line_no` say where it was printed.",
        "fields": [
            "line_no",
            "side",
            "row_kind",
            "code",
            "level",
            "parent_code",
            "name",
            "total",
            "basic",
            "project",
            "page",
        ],
        "sides": [
            {
                "side": "income",
                "group": ".*收入",
                "columns": cols("code", "name", "total", total="国有资本经营收入预算|金额|合计"),
            },
            {"side": "expenditure", "group": ".*支出", "columns": cols("code", "name", "total", "basic", "project")},
        ],
    },
    {
        "resource": "three_public_expenditure",
        "title": "三公.{0,3}经费",
        "layout": "items",
        "label": "表十",
        "description": "“三公” expenses (表十): overseas travel, official reception, official vehicles (purchase and running), by budget source.",
        "fields": ["line_no", "row_kind", "item", "total", "general_budget", "gov_fund", "state_capital", "page"],
        "columns": cols("item", "total", "general_budget", "gov_fund", "state_capital"),
    },
    {
        "resource": "operating_expenses",
        "title": "机关运行经费",
        "layout": "items",
        "label": "表十一",
        "description": "Organ operating expenses (表十一) by unit and budget source; the 部门合计 line is the total.",
        "fields": ["line_no", "row_kind", "unit_name", "total", "general_budget", "gov_fund", "state_capital", "page"],
        "columns": cols("unit_name", "total", "general_budget", "gov_fund", "state_capital"),
    },
    {
        "resource": "project_expenditure_current",
        "title": "项目支出预算表.{0,2}本年预算",
        "layout": "items",
        "label": "表十二",
        "description": "Project expenditure of this year's budget (表十二), per project by source. Lines naming a unit group that unit's projects (row_kind subtotal).",
        "fields": [
            "line_no",
            "row_kind",
            "project_name",
            "total",
            "general_budget",
            "gov_fund",
            "state_capital",
            "special_account",
            "unit_funds",
            "page",
        ],
        "columns": cols(
            "project_name", "total", "general_budget", "gov_fund", "state_capital", "special_account", "unit_funds"
        ),
    },
    {
        "resource": "project_expenditure_carried_over",
        "title": "项目支出预算表.{0,2}上年结转",
        "layout": "items",
        "label": "表十三",
        "description": "Project expenditure carried over from last year (表十三), per project by source. Lines naming a unit group that unit's projects (row_kind subtotal).",
        "fields": [
            "line_no",
            "row_kind",
            "project_name",
            "total",
            "general_budget",
            "gov_fund",
            "state_capital",
            "page",
        ],
        "columns": cols("project_name", "total", "general_budget", "gov_fund", "state_capital"),
    },
]

FINAL_ACCOUNTS = [
    {
        "resource": "income_expenditure_summary",
        "title": "^收入支出决算总表",
        "layout": "two_sided",
        "label": "公开01表",
        "description": "Final accounts income and expenditure summary (公开01表). Two-sided: one row per item of either side, `side` and `line_no` say where it was printed; `row_no` is the template's 行次.",
        "fields": ["line_no", "side", "row_kind", "item", "row_no", "total", "page"],
        "sides": [
            {"side": "income", "group": "收入", "columns": cols("item", "row_no", "total")},
            {"side": "expenditure", "group": "支出", "columns": cols("item", "row_no", "total")},
        ],
    },
    {
        "resource": "income_by_function",
        "title": "^收入决算表",
        "layout": "classified",
        "label": "公开02表",
        "description": "Final accounts income by functional classification (公开02表), by source.",
        "fields": CLASSIFIED
        + [
            "total",
            "fiscal_appropriation",
            "superior_subsidy",
            "business_income",
            "operating_income",
            "subordinate_remittance",
            "other_income",
            "page",
        ],
        "columns": cols(
            "code",
            "name",
            "total",
            "fiscal_appropriation",
            "superior_subsidy",
            "business_income",
            "operating_income",
            "subordinate_remittance",
            "other_income",
            total="本年收入合计|合计",
        ),
    },
    {
        "resource": "expenditure_by_function",
        "title": "^支出决算表",
        "layout": "classified",
        "label": "公开03表",
        "description": "Final accounts expenditure by functional classification (公开03表).",
        "fields": CLASSIFIED
        + ["total", "basic", "project", "remit_superior", "operating_expenditure", "subsidy_subordinate", "page"],
        "columns": cols(
            "code",
            "name",
            "total",
            "basic",
            "project",
            "remit_superior",
            "operating_expenditure",
            "subsidy_subordinate",
            total="本年支出合计|合计",
        ),
    },
    {
        "resource": "fiscal_income_expenditure_summary",
        "title": "财政拨款收入支出决算总表",
        "layout": "two_sided",
        "label": "公开04表",
        "description": "Final accounts fiscal appropriation income and expenditure summary (公开04表). Two-sided like 公开01表.",
        "fields": [
            "line_no",
            "side",
            "row_kind",
            "item",
            "row_no",
            "total",
            "general_budget",
            "gov_fund",
            "state_capital",
            "page",
        ],
        "sides": [
            {"side": "income", "group": "收入", "columns": cols("item", "row_no", "total")},
            {
                "side": "expenditure",
                "group": "支出",
                "columns": cols(
                    "item",
                    "row_no",
                    "total",
                    "general_budget",
                    "gov_fund",
                    "state_capital",
                    general_budget="一般公共预算(财政拨款)?",
                    gov_fund="政府性基金(预算)?(财政拨款)?",
                    state_capital="国有资本经营(预算)?(财政拨款)?",
                ),
            },
        ],
    },
    {
        "resource": "general_budget_expenditure",
        "title": "^一般公共预算财政拨款支出决算表",
        "layout": "classified",
        "label": "公开05表",
        "description": "Final accounts general public budget expenditure by functional classification (公开05表).",
        "fields": CLASSIFIED + ["total", "basic", "project", "page"],
        "columns": cols("code", "name", "total", "basic", "project"),
    },
    {
        "resource": "general_budget_basic_expenditure_by_economic",
        "title": "基本支出决算(明细)?表",
        "layout": "column_groups",
        "label": "公开06表",
        "description": "Final accounts general public budget basic expenditure by economic classification (公开06表). Printed as several code/name/amount column groups side by side (人员经费 left, 公用经费 right); here one row per economic item, with `category`, `column_group` and `line_no` saying where it was printed. Cells printed ——  (not applicable) are null and listed in the report.",
        "side_field": "category",
        "fields": [
            "line_no",
            "category",
            "column_group",
            "row_kind",
            "code",
            "level",
            "parent_code",
            "name",
            "total",
            "page",
        ],
        "sides": [
            {"side": "personnel", "group": "人员经费", "columns": cols("code", "name", "total", total="决算数|金额")},
            {"side": "public", "group": "公用经费", "columns": cols("code", "name", "total", total="决算数|金额")},
        ],
    },
    {
        "resource": "gov_fund_income_expenditure",
        "title": "政府性基金预算财政拨款收入支出决算表",
        "layout": "classified",
        "label": "公开07表",
        "description": "Final accounts government fund appropriation: balances, income and expenditure by functional classification (公开07表).",
        "fields": CLASSIFIED
        + ["opening_balance", "current_income", "total", "basic", "project", "closing_balance", "page"],
        "columns": cols(
            "code",
            "name",
            "opening_balance",
            "current_income",
            "total",
            "basic",
            "project",
            "closing_balance",
            total="小计|合计|本年支出",
        ),
    },
    {
        "resource": "state_capital_expenditure",
        "title": "国有资本经营预算财政拨款支出决算表",
        "layout": "classified",
        "label": "公开08表",
        "description": "Final accounts state capital operations appropriation expenditure by functional classification (公开08表).",
        "fields": CLASSIFIED + ["total", "basic", "project", "page"],
        "columns": cols("code", "name", "total", "basic", "project"),
    },
    {
        "resource": "three_public_expenditure",
        "title": "三公.{0,3}经费.*决算",
        "layout": "two_sided",
        "label": "公开09表",
        "description": "“三公” expenses, budget and final (公开09表): one row for the budgeted (预算数) and one for the actual (决算数) figures, `stage` says which.",
        "side_field": "stage",
        "fields": [
            "line_no",
            "stage",
            "row_kind",
            "total",
            "overseas_travel",
            "vehicles",
            "vehicle_purchase",
            "vehicle_running",
            "reception",
            "page",
        ],
        "sides": [
            {
                "side": "budget",
                "group": "预算数?",
                "columns": cols(
                    "total",
                    "overseas_travel",
                    "vehicles",
                    "vehicle_purchase",
                    "vehicle_running",
                    "reception",
                    total="合计",
                ),
            },
            {
                "side": "final",
                "group": "决算数?",
                "columns": cols(
                    "total",
                    "overseas_travel",
                    "vehicles",
                    "vehicle_purchase",
                    "vehicle_running",
                    "reception",
                    total="合计",
                ),
            },
        ],
    },
    {
        "resource": "statistics",
        "title": "相关信息统计表",
        "layout": "statistics",
        "label": "公开10表",
        "header_words": ["一、政府采购情况"],
        "description": "Final accounts statistics (公开10表): government procurement, organ operating expenses and state assets (vehicles, equipment). Figures mix money and counts: `unit` says which on every line; `section` is the heading the line is printed under.",
        "fields": ["line_no", "row_kind", "section", "item", "row_no", "value", "unit", "page"],
        "columns": cols("item", "row_no", "value"),
    },
]

HEBEI = [
    {
        "resource": "income_expenditure_summary",
        "title": "^(单位|部门)?预算收支总表",
        "not_title": "财政拨款",
        "layout": "two_sided",
        "description": "Hebei budget income and expenditure summary (收支总表). Two-sided: one row per item of either side, `side` and `line_no` say where it was printed; `seq` is the printed 序号 of the line.",
        "fields": ["line_no", "side", "row_kind", "seq", "item", "total", "page"],
        "shared": cols("seq"),
        "sides": [
            {"side": "income", "group": "收入", "columns": cols("item", "total")},
            {"side": "expenditure", "group": "支出", "columns": cols("item", "total")},
        ],
    },
    {
        "header_words": ["功能分类科目"],
        "resource": "income_by_function",
        "title": "^(单位|部门)?预算收入总表",
        "layout": "classified",
        "description": "Hebei budget income by functional classification (收入总表), by source.",
        "fields": [
            "line_no",
            "row_kind",
            "seq",
            "code",
            "level",
            "parent_code",
            "name",
            "total",
            "current_income",
            "fiscal_appropriation",
            "special_account_income",
            "business_income",
            "operating_income",
            "superior_subsidy",
            "subordinate_remittance",
            "other_income",
            "carried_over",
            "page",
        ],
        "columns": cols(
            "seq",
            "code",
            "name",
            "total",
            "current_income",
            "fiscal_appropriation",
            "special_account_income",
            "business_income",
            "operating_income",
            "superior_subsidy",
            "subordinate_remittance",
            "other_income",
            "carried_over",
            current_income="小计|本年收入",
        ),
    },
    {
        "header_words": ["功能分类科目"],
        "resource": "expenditure_by_function",
        "title": "^(单位|部门)?预算支出总表",
        "layout": "classified",
        "description": "Hebei budget expenditure by functional classification (支出总表).",
        "fields": [
            "line_no",
            "row_kind",
            "seq",
            "code",
            "level",
            "parent_code",
            "name",
            "total",
            "basic",
            "project",
            "operating_expenditure",
            "remit_superior",
            "subsidy_subordinate",
            "page",
        ],
        "columns": cols(
            "seq",
            "code",
            "name",
            "total",
            "basic",
            "project",
            "operating_expenditure",
            "remit_superior",
            "subsidy_subordinate",
        ),
    },
    {
        "resource": "fiscal_income_expenditure_summary",
        "title": "财政拨款收支总表",
        "layout": "two_sided",
        "description": "Hebei budget fiscal appropriation income and expenditure summary. Two-sided: one row per item of either side.",
        "fields": [
            "line_no",
            "side",
            "row_kind",
            "seq",
            "item",
            "total",
            "general_budget",
            "gov_fund",
            "state_capital",
            "page",
        ],
        "shared": cols("seq"),
        "sides": [
            {"side": "income", "group": "收入", "columns": cols("item", "total")},
            {
                "side": "expenditure",
                "group": "支出",
                "columns": cols(
                    "item",
                    "total",
                    "general_budget",
                    "gov_fund",
                    "state_capital",
                    general_budget="一般公共预算(财政)?拨款",
                    gov_fund="政府性基金预算(财政)?拨款",
                    state_capital="国有资本经营预算(财政)?拨款",
                ),
            },
        ],
    },
    {
        "header_words": ["功能分类科目"],
        "resource": "general_budget_expenditure",
        "title": "一般公共预算财政拨款支出表",
        "not_title": "基本支出",
        "layout": "classified",
        "description": "Hebei budget general public budget appropriation expenditure by functional classification.",
        "fields": [
            "line_no",
            "row_kind",
            "seq",
            "code",
            "level",
            "parent_code",
            "name",
            "total",
            "basic",
            "project",
            "page",
        ],
        "columns": cols("seq", "code", "name", "total", "basic", "project"),
    },
    {
        "header_words": ["支出部门经济分类科目", "一般公共预算基本支出"],
        "resource": "general_budget_basic_expenditure_by_economic",
        "title": "一般公共预算财政拨款基本支出表",
        "layout": "classified",
        "description": "Hebei budget general public budget basic expenditure by economic classification (支出部门经济分类科目: 301 工资福利支出 …).",
        "fields": [
            "line_no",
            "row_kind",
            "seq",
            "code",
            "level",
            "parent_code",
            "name",
            "total",
            "personnel",
            "public_expenses",
            "page",
        ],
        "columns": cols("seq", "code", "name", "total", "personnel", "public_expenses"),
    },
    {
        "header_words": ["功能分类科目"],
        "resource": "gov_fund_expenditure",
        "title": "政府性基金预算财政拨款支出表",
        "layout": "classified",
        "description": "Hebei budget government fund appropriation expenditure by functional classification.",
        "fields": [
            "line_no",
            "row_kind",
            "seq",
            "code",
            "level",
            "parent_code",
            "name",
            "total",
            "basic",
            "project",
            "page",
        ],
        "columns": cols("seq", "code", "name", "total", "basic", "project"),
    },
    {
        "header_words": ["功能分类科目"],
        "resource": "state_capital_expenditure",
        "title": "国有资本经营预算财政拨款支出表",
        "layout": "classified",
        "description": "Hebei budget state capital operations appropriation expenditure by functional classification.",
        "fields": [
            "line_no",
            "row_kind",
            "seq",
            "code",
            "level",
            "parent_code",
            "name",
            "total",
            "basic",
            "project",
            "page",
        ],
        "columns": cols("seq", "code", "name", "total", "basic", "project"),
    },
    {
        "header_words": ["资金性质"],
        "resource": "three_public_expenditure",
        "title": "三公.{0,3}经费",
        "layout": "items",
        "description": "Hebei budget “三公” expenses by budget source; component lines (其中：…) follow the line they are part of (row_kind subtotal).",
        "fields": [
            "line_no",
            "row_kind",
            "seq",
            "item",
            "total",
            "general_budget",
            "gov_fund",
            "state_capital",
            "page",
        ],
        "columns": cols(
            "seq",
            "item",
            "total",
            "general_budget",
            "gov_fund",
            "state_capital",
            general_budget="一般公共预算(财政)?拨款",
            gov_fund="政府性基金(预算)?(财政)?拨款",
            state_capital="国有资本经营(预算)?(财政)?拨款",
        ),
    },
    {
        "header_words": ["政府采购项目来源", "政府采购金额.*"],
        "resource": "government_procurement",
        "title": "政府采购预算",
        "layout": "items",
        "description": "Hebei budget government procurement: one line per item purchased, with the project it is bought for, quantity, price and source of funds; unit lines (…小计) and the 合计 line carry sums.",
        "fields": [
            "line_no",
            "row_kind",
            "project_name",
            "project_budget",
            "item_name",
            "catalogue_code",
            "measure_unit",
            "quantity",
            "unit_price",
            "total",
            "general_budget",
            "gov_fund",
            "state_capital",
            "special_account",
            "unit_funds",
            "carried_over",
            "sme_reserved",
            "page",
        ],
        "columns": cols(
            "project_name",
            "project_budget",
            "item_name",
            "catalogue_code",
            "measure_unit",
            "quantity",
            "unit_price",
            "total",
            "general_budget",
            "gov_fund",
            "state_capital",
            "special_account",
            "unit_funds",
            "carried_over",
            "sme_reserved",
            general_budget="一般公共预算(财政)?拨款",
            gov_fund="(政府性)?基金预算(财政)?拨款",
            state_capital="国有资本经营预算(财政)?拨款",
            special_account="财政专户(核拨|管理资金)",
            carried_over="上年结转(结余)?",
        ),
    },
    {
        "resource": "fixed_assets",
        "title": "固定资产占用情况",
        "layout": "items",
        "description": "Hebei fixed assets in use: quantity (unit printed in the item, in `quantity_unit`) and value per class of asset; 资产总额 is the total.",
        "fields": ["line_no", "row_kind", "item", "quantity", "quantity_unit", "asset_value", "page"],
        "columns": cols("item", "quantity", "asset_value"),
    },
]

# Shanghai and Jiangsu: codes printed over 类 | 款 | 项 columns join into one code.
SH_CODE = "(支出)?功能分类(科目编码)?|(部门预算)?经济分类(科目编码)?|科目编码|类|款|项"
SH_NAME = "(功能分类|经济分类)?科目名称"
SH_CLASSIFIED_COLUMNS = [joined("code", SH_CODE)] + cols("name", name=SH_NAME)

SHANGHAI_BUDGET = [
    {
        "resource": "income_expenditure_summary",
        "title": "财务收支预算总表",
        "layout": "two_sided",
        "description": "Shanghai budget income and expenditure summary (财务收支预算总表). Two-sided: one row per item of either side, `side` and `line_no` say where it was printed.",
        "fields": ["line_no", "side", "row_kind", "item", "total", "page"],
        "sides": [
            {"side": "income", "group": "(本年)?收入", "columns": cols("item", "total")},
            {"side": "expenditure", "group": "(本年)?支出", "columns": cols("item", "total")},
        ],
    },
    {
        "header_words": ["收入预算"],
        "resource": "income_by_function",
        "title": "收入预算总表",
        "layout": "classified",
        "description": "Shanghai budget income by functional classification (收入预算总表), by source. The code is printed over 类 | 款 | 项 columns; here it is one code.",
        "fields": CLASSIFIED
        + ["total", "fiscal_appropriation", "business_income", "operating_income", "other_income", "page"],
        "columns": SH_CLASSIFIED_COLUMNS
        + cols(
            "total",
            "fiscal_appropriation",
            "business_income",
            "operating_income",
            "other_income",
            operating_income="(事业单位)?经营收入",
        ),
    },
    {
        "header_words": ["支出预算"],
        "resource": "expenditure_by_function",
        "title": "支出预算总表",
        "layout": "classified",
        "description": "Shanghai budget expenditure by functional classification (支出预算总表), basic and project expenditure.",
        "fields": CLASSIFIED + ["total", "basic", "project", "page"],
        "columns": SH_CLASSIFIED_COLUMNS + cols("total", "basic", "project"),
    },
    {
        "resource": "fiscal_income_expenditure_summary",
        "title": "财政拨款收支预算总表",
        "layout": "two_sided",
        "description": "Shanghai budget fiscal appropriation income and expenditure summary (财政拨款收支预算总表). Two-sided: one row per item of either side.",
        "fields": [
            "line_no",
            "side",
            "row_kind",
            "item",
            "total",
            "general_budget",
            "gov_fund",
            "state_capital",
            "page",
        ],
        "sides": [
            {"side": "income", "group": "财政拨款收入", "columns": cols("item", "total")},
            {
                "side": "expenditure",
                "group": "财政拨款支出",
                "columns": cols("item", "total", "general_budget", "gov_fund", "state_capital"),
            },
        ],
    },
    {
        "header_words": ["一般公共预算支出"],
        "resource": "general_budget_expenditure",
        "title": "一般公共预算支出功能分类预算表",
        "layout": "classified",
        "description": "Shanghai budget general public budget expenditure by functional classification.",
        "fields": CLASSIFIED + ["total", "basic", "project", "page"],
        "columns": SH_CLASSIFIED_COLUMNS + cols("total", "basic", "project"),
    },
    {
        "header_words": ["政府性基金(财政拨款)?预算支出"],
        "resource": "gov_fund_expenditure",
        "title": "政府性基金预算支出功能分类预算表",
        "layout": "classified",
        "description": "Shanghai budget government fund expenditure by functional classification.",
        "fields": CLASSIFIED + ["total", "basic", "project", "page"],
        "columns": SH_CLASSIFIED_COLUMNS + cols("total", "basic", "project"),
    },
    {
        "header_words": ["国有资本经营(财政拨款)?预算支出"],
        "resource": "state_capital_expenditure",
        "title": "国有资本经营预算支出功能分类预算表",
        "layout": "classified",
        "description": "Shanghai budget state capital operations expenditure by functional classification.",
        "fields": CLASSIFIED + ["total", "basic", "project", "page"],
        "columns": SH_CLASSIFIED_COLUMNS + cols("total", "basic", "project"),
    },
    {
        "header_words": ["一般公共预算基本支出"],
        "resource": "general_budget_basic_expenditure_by_economic",
        "title": "一般公共预算基本支出.*经济分类",
        "layout": "classified",
        "description": "Shanghai budget general public budget basic expenditure by departmental economic classification (301 工资福利支出 …), personnel and public expenses; the code is printed over 类 | 款 columns.",
        "fields": CLASSIFIED + ["total", "personnel", "public_expenses", "page"],
        "columns": SH_CLASSIFIED_COLUMNS + cols("total", "personnel", "public_expenses"),
    },
    {
        "header_words": ["(\\d{4}年)?.?三公.?经费预算数"],
        "resource": "three_public_expenditure",
        "title": "三公.{0,3}经费和机关运行经费",
        "layout": "items",
        "description": "Shanghai budget “三公” expenses and organ operating expenses (“三公”经费和机关运行经费预算表): one line, the 三公 total and its parts, and the organ operating expenses.",
        "fields": [
            "line_no",
            "row_kind",
            "total",
            "overseas_travel",
            "reception",
            "vehicles",
            "vehicle_purchase",
            "vehicle_running",
            "operating_expenses",
            "page",
        ],
        "columns": cols(
            "total",
            "overseas_travel",
            "reception",
            "vehicles",
            "vehicle_purchase",
            "vehicle_running",
            "operating_expenses",
            vehicle_purchase="(公务用车)?购置费",
            vehicle_running="(公务用车)?运行(维护)?费",
        ),
    },
]

SH_BALANCE_COLUMNS = SH_CLASSIFIED_COLUMNS + cols(
    "opening_balance", "current_income", "total", "basic", "project", "closing_balance", total="小计|合计|本年支出"
)

SHANGHAI_FINAL = [
    {
        "resource": "income_expenditure_summary",
        "title": "^收入支出决算总表",
        "layout": "two_sided",
        "description": "Shanghai final accounts income and expenditure summary (收入支出决算总表). Two-sided: one row per item of either side, `side` and `line_no` say where it was printed.",
        "fields": ["line_no", "side", "row_kind", "item", "total", "page"],
        "sides": [
            {"side": "income", "group": "收入", "columns": cols("item", "total", total="决算数|金额")},
            {"side": "expenditure", "group": "支出", "columns": cols("item", "total", total="决算数|金额")},
        ],
    },
    {
        "resource": "income_by_function",
        "title": "^收入决算表",
        "layout": "classified",
        "description": "Shanghai final accounts income by functional classification (收入决算表), by source; the code is printed over 类 | 款 | 项 columns.",
        "fields": CLASSIFIED
        + [
            "total",
            "fiscal_appropriation",
            "superior_subsidy",
            "business_income",
            "operating_income",
            "subordinate_remittance",
            "other_income",
            "page",
        ],
        "columns": SH_CLASSIFIED_COLUMNS
        + cols(
            "total",
            "fiscal_appropriation",
            "superior_subsidy",
            "business_income",
            "operating_income",
            "subordinate_remittance",
            "other_income",
            total="本年收入合计|合计",
        ),
    },
    {
        "resource": "expenditure_by_function",
        "title": "^支出决算表",
        "layout": "classified",
        "description": "Shanghai final accounts expenditure by functional classification (支出决算表).",
        "fields": CLASSIFIED
        + ["total", "basic", "project", "remit_superior", "operating_expenditure", "subsidy_subordinate", "page"],
        "columns": SH_CLASSIFIED_COLUMNS
        + cols(
            "total",
            "basic",
            "project",
            "remit_superior",
            "operating_expenditure",
            "subsidy_subordinate",
            total="本年支出合计|合计",
        ),
    },
    {
        "resource": "fiscal_income_expenditure_summary",
        "title": "财政拨款收入支出决算总表",
        "layout": "two_sided",
        "description": "Shanghai final accounts fiscal appropriation income and expenditure summary (财政拨款收入支出决算总表). Two-sided: one row per item of either side.",
        "fields": [
            "line_no",
            "side",
            "row_kind",
            "item",
            "total",
            "general_budget",
            "gov_fund",
            "state_capital",
            "page",
        ],
        "sides": [
            {"side": "income", "group": "收入", "columns": cols("item", "total", total="决算数|金额")},
            {
                "side": "expenditure",
                "group": "支出",
                "columns": cols(
                    "item",
                    "total",
                    "general_budget",
                    "gov_fund",
                    "state_capital",
                    general_budget="一般公共预算(财政拨款)?",
                    gov_fund="政府性基金(预算)?(财政拨款)?",
                    state_capital="国有资本经营(预算)?(财政拨款)?",
                ),
            },
        ],
    },
    {
        "resource": "general_budget_expenditure",
        "title": "^一般公共预算财政拨款支出决算表",
        "layout": "classified",
        "description": "Shanghai final accounts general public budget expenditure by functional classification.",
        "fields": CLASSIFIED + ["total", "basic", "project", "page"],
        "columns": SH_CLASSIFIED_COLUMNS + cols("total", "basic", "project"),
    },
    {
        "resource": "general_budget_basic_expenditure_by_economic",
        "title": "基本支出决算(明细)?表",
        "layout": "column_groups",
        "description": "Shanghai final accounts general public budget basic expenditure by economic classification. Printed as two code/name/amount column groups side by side (人员经费 items left, 公用经费 right, each closed by its own 合计 line); here one row per economic item, `column_group` and `line_no` say where it was printed.",
        "fields": ["line_no", "column_group", "row_kind", "code", "level", "parent_code", "name", "total", "page"],
        "columns": SH_CLASSIFIED_COLUMNS + cols("total", total="决算数|金额"),
    },
    {
        "header_words": ["财政拨款.?三公.?经费"],
        "resource": "three_public_expenditure",
        "title": "三公.{0,3}经费.*决算",
        "layout": "two_sided",
        "description": "Shanghai final accounts “三公” expenses, budget and final: one row for the budgeted (预算数) and one for the actual (决算数) figures, `stage` says which. 预算数 and 决算数 are printed under each item.",
        "side_field": "stage",
        "fields": [
            "line_no",
            "stage",
            "row_kind",
            "total",
            "overseas_travel",
            "vehicles",
            "vehicle_purchase",
            "vehicle_running",
            "reception",
            "page",
        ],
        "sides": [
            {
                "side": "budget",
                "group": "预算数",
                "columns": cols(
                    "total",
                    "overseas_travel",
                    "vehicles",
                    "vehicle_purchase",
                    "vehicle_running",
                    "reception",
                    total="合计",
                ),
            },
            {
                "side": "final",
                "group": "决算数",
                "columns": cols(
                    "total",
                    "overseas_travel",
                    "vehicles",
                    "vehicle_purchase",
                    "vehicle_running",
                    "reception",
                    total="合计",
                ),
            },
        ],
    },
    {
        "resource": "gov_fund_income_expenditure",
        "title": "政府性基金预算财政拨款收入支出决算表",
        "layout": "classified",
        "description": "Shanghai final accounts government fund appropriation: balances, income and expenditure by functional classification.",
        "fields": CLASSIFIED
        + ["opening_balance", "current_income", "total", "basic", "project", "closing_balance", "page"],
        "columns": SH_BALANCE_COLUMNS,
    },
    {
        "resource": "state_capital_income_expenditure",
        "title": "国有资本经营预算财政拨款收入支出决算表",
        "layout": "classified",
        "description": "Shanghai final accounts state capital operations appropriation: balances, income and expenditure by functional classification.",
        "fields": CLASSIFIED
        + ["opening_balance", "current_income", "total", "basic", "project", "closing_balance", "page"],
        "columns": SH_BALANCE_COLUMNS,
    },
]

JS_CODE = dict(code="(功能)?科目编码", name="(功能)?科目名称", total="金额")

JIANGSU = [
    {
        "header_words": ["功能分类", "支出用途"],
        "resource": "income_expenditure_summary",
        "title": "^收支预算总表",
        "layout": "column_groups",
        "label": "公开01表",
        "description": "Jiangsu budget income and expenditure summary (公开01表). Three item/amount column groups side by side: income (column_group 1), expenditure by function (功能分类, 2) and expenditure by use (支出用途: basic, project, reserve; 3); one row per item of each, `side`, `column_group` and `line_no` say where it was printed. The groups are told apart by their order, not by the 功能分类/支出用途 labels, which the template prints one column off.",
        "fields": ["line_no", "side", "column_group", "row_kind", "item", "total", "page"],
        "sides": [
            {"side": "income", "group": "收入", "columns": cols("item", "total", item="项目名称", total="金额")},
            {
                "side": "expenditure",
                "group": "支出",
                "columns": cols("item", "total", item="(功能科目|项目)名称", total="金额"),
            },
        ],
    },
    {
        "resource": "income_by_source",
        "title": "^收入预算总表",
        "layout": "items",
        "label": "公开02表",
        "description": "Jiangsu budget income by source of funds (公开02表): each class of funds (`source`) with its 小计 and its parts (`item`).",
        "fields": ["line_no", "row_kind", "source", "item", "total", "page"],
        "columns": cols("source", "item", "total", item="项目名称", total="金额"),
    },
    {
        "resource": "expenditure_summary",
        "title": "^支出预算总表",
        "layout": "items",
        "label": "公开03表",
        "description": "Jiangsu budget expenditure summary (公开03表): one line, total by use (basic, project, reserve, carried forward).",
        "fields": ["line_no", "row_kind", "total", "basic", "project", "reserve_funds", "carry_forward", "page"],
        "columns": cols("total", "basic", "project", "reserve_funds", "carry_forward", total="合计"),
    },
    {
        "header_words": ["支出用途"],
        "resource": "fiscal_income_expenditure_summary",
        "title": "财政拨款收支预算总表",
        "layout": "two_sided",
        "label": "公开04表",
        "description": "Jiangsu budget fiscal appropriation income and expenditure summary (公开04表): income, and expenditure by use (支出用途: basic, project, reserve); one row per item of either side.",
        "fields": ["line_no", "side", "row_kind", "item", "total", "page"],
        "sides": [
            {"side": "income", "group": "收入", "columns": cols("item", "total", item="项目名称", total="金额")},
            {"side": "expenditure", "group": "支出", "columns": cols("item", "total", item="项目名称", total="金额")},
        ],
    },
    {
        "resource": "fiscal_expenditure_by_function",
        "title": "财政拨款支出预算表.{0,3}功能科目",
        "layout": "classified",
        "label": "公开05表",
        "description": "Jiangsu budget fiscal appropriation expenditure by functional classification (公开05表).",
        "fields": CLASSIFIED + ["total", "page"],
        "columns": cols("code", "name", "total", **JS_CODE),
    },
    {
        "resource": "fiscal_basic_expenditure_by_economic",
        "title": "财政拨款基本支出预算表.{0,3}经济科目",
        "layout": "classified",
        "label": "公开06表",
        "description": "Jiangsu budget fiscal appropriation basic expenditure by economic classification (公开06表).",
        "fields": CLASSIFIED + ["total", "page"],
        "columns": cols("code", "name", "total", **JS_CODE),
    },
    {
        "resource": "general_budget_expenditure",
        "title": "一般公共预算支出预算表.{0,3}功能科目",
        "layout": "classified",
        "label": "公开07表",
        "description": "Jiangsu budget general public budget expenditure by functional classification (公开07表).",
        "fields": CLASSIFIED + ["total", "page"],
        "columns": cols("code", "name", "total", **JS_CODE),
    },
    {
        "resource": "general_budget_basic_expenditure_by_economic",
        "title": "一般公共预算基本支出预算表.{0,3}经济科目",
        "layout": "classified",
        "label": "公开08表",
        "description": "Jiangsu budget general public budget basic expenditure by economic classification (公开08表).",
        "fields": CLASSIFIED + ["total", "page"],
        "columns": cols("code", "name", "total", **{**JS_CODE, "total": "基本支出|金额"}),
    },
    {
        "header_words": [".?三公.?经费"],
        "resource": "three_public_expenditure",
        "title": "三公.{0,3}经费.{0,3}会议费",
        "layout": "items",
        "label": "公开09表",
        "description": "Jiangsu budget “三公” expenses, meeting and training expenses (公开09表): one line; `total` is all of them, `three_public` the 三公 part.",
        "fields": [
            "line_no",
            "row_kind",
            "total",
            "three_public",
            "overseas_travel",
            "vehicles",
            "vehicle_purchase",
            "vehicle_running",
            "reception",
            "meetings",
            "training",
            "page",
        ],
        "columns": cols(
            "total",
            "three_public",
            "overseas_travel",
            "vehicles",
            "vehicle_purchase",
            "vehicle_running",
            "reception",
            "meetings",
            "training",
            total="合计",
        ),
    },
    {
        "resource": "gov_fund_expenditure",
        "title": "政府性基金预算财政拨款支出预算表",
        "layout": "classified",
        "label": "公开10表",
        "description": "Jiangsu budget government fund appropriation expenditure by functional classification (公开10表).",
        "fields": CLASSIFIED + ["total", "page"],
        "columns": cols("code", "name", "total", **JS_CODE),
    },
    {
        "resource": "operating_expenses",
        "title": "机关运行经费支出预算表",
        "layout": "classified",
        "label": "公开11表",
        "description": "Jiangsu budget organ operating expenses by economic classification (公开11表).",
        "fields": CLASSIFIED + ["total", "page"],
        "columns": cols("code", "name", "total", **{**JS_CODE, "total": "机关运行经费支出|金额"}),
    },
    {
        "resource": "government_procurement",
        "title": "政府采购支出预算表",
        "layout": "items",
        "label": "公开12表",
        "description": "Jiangsu budget government procurement (公开12表): per class of procurement, project (专项) and economic item, the items bought, how, and the amount; class and project lines carry sums.",
        "fields": [
            "line_no",
            "row_kind",
            "procurement_category",
            "project_name",
            "economic_name",
            "item_name",
            "procurement_method",
            "total",
            "page",
        ],
        "columns": cols(
            "procurement_category",
            "project_name",
            "economic_name",
            "item_name",
            "procurement_method",
            "total",
            project_name="专项名称",
            economic_name="经济科目",
            total="总计|合计|金额",
        ),
    },
]


# The national skeleton: the tables the Ministry of Finance prescribes for every 部门预算,
# whatever a province calls or numbers them. Each concept's columns are a vocabulary (a
# province prints the subset it uses), so a table fits when its printed columns are
# explained by it; a printed column outside it is kept as an extra field.
N_TABLE = r"(情况|预算|明细|总体情况)?(总|情况|预算|明细)?表"
N_CODE = "(支出)?功能分类(科目)?(编码)?|(收入|支出)?科目(编码|代码)|编码|类|款|项"
N_NAME = "(功能(分类)?)?科目名称|功能科目名称|项目名称?|科目|(支出)?项目类别.*"
N_MONEY = dict(
    total="(\\d{4}年?)?(合计|小计|总计|金额|预算数?|预算金额|预算总额|本年预算|总额)|(收入|支出)总计",
    general_budget="(其中[:：])?一般公共预算(资金|拨款|拨款收入|财政拨款|收入)?",
    gov_fund="政府性基金(预算)?(资金|拨款|拨款收入|财政拨款|收入)?",
    state_capital="国有资本经营(预算)?(资金|拨款|拨款收入|财政拨款|收入)?",
    special_account="财政专户(管理资金|拨款|拨款收入|管理资金收入|收入)?",
    unit_funds="单位资金|其他资金",
    carried_over="上年结转(结余|资金|安排|和结余)?|上年结余、?结转",
    unit_name="(二级)?(预算)?单位(名称)?|部门名称",
    basic="(其中[:：])?基本支出",
    project="项目支出(总数)?",
    business_income="事业收入",
    operating_income="(事业单位)?经营收入",
    other_income="其他收入",
    fiscal_appropriation="财政拨款(收入|资金)?",
    personnel="人员(经费|支出)",
    public_expenses="(日常)?公用(经费|支出)",
)
N_CLASSIFIED_MONEY = [
    "total",
    "current_income",
    "general_budget",
    "gov_fund",
    "state_capital",
    "special_account",
    "unit_funds",
    "business_income",
    "operating_income",
    "superior_subsidy",
    "subordinate_remittance",
    "other_income",
    "fiscal_appropriation",
    "carried_over",
    "basic",
    "personnel",
    "public_expenses",
    "project",
    "operating_expenditure",
    "subsidy_subordinate",
    "remit_superior",
    "prior_year_actual",
    "change_amount",
]
N_CLASSIFIED_COLUMNS = (
    [joined("code", N_CODE)]
    + cols("name", "unit_name", name=N_NAME, unit_name=N_MONEY["unit_name"])
    + cols(*N_CLASSIFIED_MONEY, "change_rate", **N_MONEY, operating_expenditure="(事业单位)?经营支出")
)
N_CLASSIFIED_FIELDS = CLASSIFIED + ["unit_name"] + N_CLASSIFIED_MONEY + ["change_rate", "page"]
N_ECONOMIC_COLUMNS = [
    joined("code", "(部门预算支出经济分类)?科目编码|类|款"),
    joined("gov_code", "(政府预算支出经济分类)?科目编码|类|款"),
] + cols(
    "economic_name",
    "gov_economic_name",
    "total",
    "personnel",
    "public_expenses",
    "basic",
    "project",
    economic_name="部门(预算)?(支出)?经济(分类)?科目(名称)?|经济(分类)?科目(名称)?|(科目)?名称|项目",
    gov_economic_name="政府(预算)?(支出)?经济(分类)?科目(名称)?",
    **{k: v for k, v in N_MONEY.items() if k in ("total", "basic", "project", "personnel", "public_expenses")},
)
N_ECONOMIC_FIELDS = [
    "line_no",
    "row_kind",
    "code",
    "level",
    "parent_code",
    "economic_name",
    "gov_code",
    "gov_economic_name",
    "total",
    "personnel",
    "public_expenses",
    "basic",
    "project",
    "page",
]
#: Group labels printed over columns (功能分类科目 over 科目编码 | 科目名称, 财政拨款收入 over its
#: sources, 2026年基本支出 over 合计 | 人员经费 | 公用经费): named sources and kinds only, so that
#: no item name (一般公共服务支出, 工资福利支出) reads as one.
N_GROUPS = [
    "(部门|政府)?(预算)?(支出)?(功能|经济)分类(科目)?",
    "科目(编码)?",
    "(\\d{4}年)?(本年)?(财政拨款|财政专户(管理资金)?|其他资金|一般公共预算|政府性基金(预算)?|国有资本经营(预算)?)?"
    "(财政拨款)?(基本|项目)?(收入|支出|资金)(预算|合计)?",
    "其中[:：]?.*",
    "(\\d{4}年)?预算数?",
    "上年结转(结余)?|上年结余、?结转",
    "资金来源",
    "(\\d{4}年)?.?三公.?经费.{0,6}",
    "指导性目录",
    "采购.{0,6}",
]


def two_sided_vocabulary(expenditure: list[str]) -> list[dict]:
    item = "项目|收入项目|支出项目|项目名称|科目名称"
    return [
        {"side": "income", "group": "收入", "columns": cols("item", "total", item=item, total=N_MONEY["total"])},
        {"side": "expenditure", "group": "支出", "columns": cols("item", *expenditure, item=item, **N_MONEY)},
    ]


NATIONAL = [
    {
        "resource": "income_expenditure_summary",
        "title": "(收支|收入支出)" + N_TABLE,
        "not_title": "财政拨款|财务|财政专户|经营",
        "layout": "two_sided",
        "description": "Income and expenditure summary (收支总表 / 收支总体情况表 / 收支预算总表). Two-sided: one row per item of either side, `side` and `line_no` say where it was printed.",
        "fields": [
            "line_no",
            "side",
            "row_kind",
            "item",
            "total",
            "general_budget",
            "gov_fund",
            "state_capital",
            "basic",
            "project",
            "page",
        ],
        "sides": two_sided_vocabulary(["total", "general_budget", "gov_fund", "state_capital", "basic", "project"]),
    },
    {
        "resource": "income_by_function",
        "title": "收入" + N_TABLE,
        "not_title": "收支|支出",
        "layout": "classified",
        "description": "Income by source (收入总表 / 收入总体情况表 / 收入预算总表): per functional class or per unit, the income of the year by source and the carry-over.",
        "fields": N_CLASSIFIED_FIELDS,
        "columns": N_CLASSIFIED_COLUMNS,
    },
    {
        "resource": "expenditure_by_function",
        "title": "支出" + N_TABLE,
        "not_title": "财政拨款|收支|收入|基本支出|项目支出|一般公共|政府性基金|国有资本|三公|经济|采购|购买服务|运行经费",
        "layout": "classified",
        "description": "Expenditure by functional classification (支出总表 / 本年支出总体情况表 / 支出预算总表), split into basic and project expenditure.",
        "fields": N_CLASSIFIED_FIELDS,
        "columns": N_CLASSIFIED_COLUMNS,
    },
    {
        "resource": "fiscal_income_expenditure_summary",
        "title": "财政拨款收支" + N_TABLE,
        "layout": "two_sided",
        "description": "Fiscal appropriation income and expenditure summary (财政拨款收支总表 / 总体情况表). Two-sided: one row per item of either side.",
        "fields": [
            "line_no",
            "side",
            "row_kind",
            "item",
            "total",
            "general_budget",
            "gov_fund",
            "state_capital",
            "basic",
            "project",
            "page",
        ],
        "sides": two_sided_vocabulary(["total", "general_budget", "gov_fund", "state_capital", "basic", "project"]),
    },
    {
        "resource": "fiscal_expenditure_by_function",
        "title": "财政拨款(安排的)?支出" + N_TABLE,
        "not_title": "基本支出|项目支出|经济|三公|收支|一般公共预算|政府性基金|国有资本",
        "layout": "classified",
        "description": "Fiscal appropriation expenditure by functional classification (财政拨款支出表（功能科目）).",
        "fields": N_CLASSIFIED_FIELDS,
        "columns": N_CLASSIFIED_COLUMNS,
    },
    {
        "resource": "fiscal_basic_expenditure_by_economic",
        "title": "财政拨款(安排的)?基本支出",
        "layout": "economic",
        "description": "Fiscal appropriation basic expenditure by economic classification (财政拨款基本支出表（经济科目）). Class lines carry the class subtotal.",
        "fields": N_ECONOMIC_FIELDS,
        "columns": N_ECONOMIC_COLUMNS,
    },
    {
        "resource": "general_budget_expenditure",
        "title": "一般公共预算(拨款|财政拨款)?支出",
        "not_title": "基本支出|项目支出|经济|三公|运行经费",
        "layout": "classified",
        "description": "General public budget expenditure by functional classification (一般公共预算支出表 / 情况表).",
        "fields": N_CLASSIFIED_FIELDS,
        "columns": N_CLASSIFIED_COLUMNS,
    },
    {
        "resource": "general_budget_expenditure_by_economic",
        "title": "一般公共预算(拨款|财政拨款)?支出.{0,8}经济分类",
        "not_title": "基本支出|项目支出",
        "layout": "economic",
        "description": "General public budget expenditure by economic classification (一般公共预算支出经济分类情况表). Class lines carry the class subtotal.",
        "fields": N_ECONOMIC_FIELDS,
        "columns": N_ECONOMIC_COLUMNS,
    },
    {
        "resource": "general_budget_basic_expenditure_by_economic",
        "title": "一般公共预算(财政拨款)?基本支出",
        "layout": "economic",
        "description": "General public budget basic expenditure by economic classification (一般公共预算基本支出表 / 情况表). Class lines carry the class subtotal.",
        "fields": N_ECONOMIC_FIELDS,
        "columns": N_ECONOMIC_COLUMNS,
    },
    {
        "resource": "general_budget_project_expenditure_by_economic",
        "title": "一般公共预算(财政拨款)?项目支出",
        "layout": "economic",
        "description": "General public budget project expenditure by economic classification (一般公共预算项目支出情况表).",
        "fields": N_ECONOMIC_FIELDS,
        "columns": N_ECONOMIC_COLUMNS,
    },
    {
        "resource": "three_public_expenditure",
        "title": "三公.{0,3}经费",
        "layout": "items",
        "description": "“三公” expenses (and, where printed, administrative expenses): overseas travel, official reception, official vehicles (purchase and running), as lines or as columns, by budget source where printed.",
        "fields": [
            "line_no",
            "row_kind",
            "item",
            "total",
            "three_public",
            "overseas_travel",
            "reception",
            "vehicles",
            "vehicle_purchase",
            "vehicle_running",
            "administrative_expenses",
            "meetings",
            "training",
            "general_budget",
            "gov_fund",
            "state_capital",
            "page",
        ],
        "columns": cols(
            "item",
            "total",
            "three_public",
            "overseas_travel",
            "reception",
            "vehicles",
            "vehicle_purchase",
            "vehicle_running",
            "administrative_expenses",
            "meetings",
            "training",
            "general_budget",
            "gov_fund",
            "state_capital",
            item="项目|科目|项目名称",
            total=N_MONEY["total"] + "|.{0,4}三公.{0,2}经费.{0,6}(总额|合计)",
            three_public=".?三公.?经费",
            **{k: v for k, v in N_MONEY.items() if k in ("general_budget", "gov_fund", "state_capital")},
        ),
    },
    {
        "resource": "gov_fund_expenditure",
        "title": "政府性基金(预算)?(拨款|财政拨款)?支出",
        "layout": "classified",
        "description": "Government fund budget expenditure by functional classification (政府性基金预算支出表 / 情况表).",
        "fields": N_CLASSIFIED_FIELDS,
        "columns": N_CLASSIFIED_COLUMNS,
    },
    {
        "resource": "state_capital_expenditure",
        "title": "国有资本经营(预算)?(拨款|财政拨款)?支出",
        "layout": "classified",
        "description": "State capital operations budget expenditure by functional classification (国有资本经营预算支出表 / 情况表).",
        "fields": N_CLASSIFIED_FIELDS,
        "columns": N_CLASSIFIED_COLUMNS,
    },
    {
        "resource": "basic_expenditure",
        "title": "基本支出(预算)?(总|情况|预算)?表",
        "not_title": "一般公共|政府性基金|国有资本|财政拨款",
        "layout": "classified",
        "description": "Basic expenditure (基本支出总表 / 部门预算基本支出预算表 / 基本支出预算情况表), by unit, functional or economic class as printed.",
        "fields": N_CLASSIFIED_FIELDS + ["economic_name", "gov_code", "gov_economic_name"],
        "columns": N_CLASSIFIED_COLUMNS
        + [N_ECONOMIC_COLUMNS[1]]
        + [c for c in N_ECONOMIC_COLUMNS if c["field"] in ("economic_name", "gov_economic_name")],
    },
    {
        "resource": "project_expenditure",
        "title": "项目支出(及其他支出)?(预算)?(总|情况|预算)?表",
        "not_title": "一般公共|政府性基金|国有资本|财政拨款|绩效",
        "layout": "items",
        "description": "Project expenditure (项目支出总表 / 部门预算项目支出及其他支出预算表 / 项目支出预算情况表), per project by source.",
        "fields": ["line_no", "row_kind", "project_name", "unit_name", "project_type", "code", "name"]
        + N_CLASSIFIED_MONEY
        + ["page"],
        "columns": cols(
            "project_name",
            "unit_name",
            "project_type",
            "code",
            "name",
            *N_CLASSIFIED_MONEY,
            name="(功能(分类)?)?科目名称",
            code="(功能(分类)?)?科目(编码|代码)",
            **N_MONEY,
            operating_expenditure="(事业单位)?经营支出",
        ),
    },
    {
        "resource": "government_procurement",
        "title": "政府采购(预算|支出)?(明细|情况)?(预算)?表",
        "layout": "items",
        "description": "Government procurement budget (政府采购预算表 / 明细表): per class, project or item bought, the amount.",
        "fields": [
            "line_no",
            "row_kind",
            "code",
            "level",
            "parent_code",
            "name",
            "procurement_category",
            "project_name",
            "unit_name",
            "item_name",
            "procurement_method",
            "catalogue_code",
            "quantity",
        ]
        + N_CLASSIFIED_MONEY
        + ["page"],
        "columns": [joined("code", N_CODE)]
        + cols("name", name="(功能(分类)?)?科目名称|功能科目名称")
        + cols(
            "procurement_category",
            "project_name",
            "unit_name",
            "item_name",
            "procurement_method",
            "catalogue_code",
            "quantity",
            *N_CLASSIFIED_MONEY,
            procurement_category="采购(品目)?(大类|类别|品目|目录)|品目|项目",
            item_name="采购(物品|项目)名称|采购内容|采购项目",
            catalogue_code="(政府)?采购目录(编码|序号|代码)?|项目(编号|编码)",
            **N_MONEY,
            operating_expenditure="(事业单位)?经营支出",
        ),
    },
    {
        "resource": "government_purchase_services",
        "title": "政府购买服务",
        "not_title": "目录",
        "layout": "items",
        "description": "Government purchase of services (政府购买服务明细表): per service of the guiding catalogue (一级 › 二级 › 三级), the amount.",
        "fields": [
            "line_no",
            "row_kind",
            "service_category",
            "service_subcategory",
            "service_item",
            "project_name",
            "total",
            "page",
        ],
        "columns": cols(
            "service_category", "service_subcategory", "service_item", "project_name", "total", total=N_MONEY["total"]
        ),
    },
    {
        "resource": "operating_expenses",
        "title": "机关运行经费",
        "not_title": "三公",
        "layout": "items",
        "description": "Organ operating expenses (机关运行经费支出预算表) by unit, economic item or source as printed.",
        "fields": [
            "line_no",
            "row_kind",
            "unit_name",
            "code",
            "name",
            "economic_name",
            "total",
            "general_budget",
            "gov_fund",
            "state_capital",
            "page",
        ],
        "columns": cols(
            "unit_name",
            "code",
            "name",
            "economic_name",
            "total",
            "general_budget",
            "gov_fund",
            "state_capital",
            name="(经济)?科目名称",
            code="(经济)?科目(编码|代码)",
            economic_name="经济(分类)?科目",
            **N_MONEY,
        ),
    },
]
#: The tables the Ministry of Finance prescribes for every 部门预算; the others are printed
#: where a province adds them, and their absence is not reported as missing.
N_PRESCRIBED = {
    "income_expenditure_summary",
    "income_by_function",
    "expenditure_by_function",
    "fiscal_income_expenditure_summary",
    "general_budget_expenditure",
    "general_budget_basic_expenditure_by_economic",
    "three_public_expenditure",
    "gov_fund_expenditure",
    "state_capital_expenditure",
}
for spec in NATIONAL:
    spec["vocabulary"] = True
    spec["header_words"] = N_GROUPS
    if spec["resource"] not in N_PRESCRIBED:
        spec["optional"] = True


FAMILIES = {
    "shanxi_budget": {
        "title": "Shanxi budget template (部门/单位预算, 表一 … 表十三)",
        "document_kind": "budget",
        "markers": ["预算公开表", "当年预算安排", "不含上年结转", "项目支出预算表"],
        "tables": SHANXI,
    },
    "final_accounts_national": {
        "title": "National final-accounts template (部门决算, 公开01表 … 公开10表)",
        "document_kind": "final_accounts",
        "markers": ["决算", "公开01表", "行次", "栏次", "年末结转和结余"],
        "tables": FINAL_ACCOUNTS,
    },
    "hebei_budget": {
        "title": "Hebei budget template (单位/部门预算, 收支总表 … 政府采购预算, 固定资产占用情况表)",
        "document_kind": "budget",
        "markers": ["预算年度", "序号", "上解上级支出", "政府采购预算", "固定资产占用情况"],
        "tables": HEBEI,
    },
    "shanghai_budget": {
        "title": "Shanghai budget template (部门/单位预算, 财务收支预算总表 … “三公”经费和机关运行经费预算表)",
        "document_kind": "budget",
        "markers": ["编制部门", "编制单位", "财务收支预算总表", "功能分类科目编码", "部门预算经济分类"],
        "tables": SHANGHAI_BUDGET,
    },
    "shanghai_final_accounts": {
        "title": "Shanghai final-accounts template (部门/单位决算, 收入支出决算总表 … 国有资本经营预算财政拨款收入支出决算表)",
        "document_kind": "final_accounts",
        "markers": ["决算", "支出功能分类", "人员经费合计", "公用经费合计"],
        "tables": SHANGHAI_FINAL,
    },
    "jiangsu_budget": {
        "title": "Jiangsu budget template (部门预算, 公开01表 … 公开12表)",
        "document_kind": "budget",
        "markers": ["公开01表", "功能科目", "支出用途", "单位预留机动经费", "结转下年资金"],
        "tables": JIANGSU,
    },
    "national": {
        "title": "National skeleton of 部门预算 tables (any province's numbering and wording)",
        "document_kind": "budget",
        "markers": [],
        "tables": NATIONAL,
    },
}


def primary_key(spec: dict) -> list[str]:
    if spec["layout"] == "column_groups":
        return ["line_no", "column_group"]
    if "sides" in spec:
        return ["line_no", spec.get("side_field", "side")]
    return ["line_no"]


def schema_for(family: str, spec: dict) -> dict:
    return {
        "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
        "title": spec["title_printed"] if "title_printed" in spec else spec["resource"],
        "description": spec["description"] + f" Template family: {family}. Money in {MONEY}.",
        "fields": [field(n) for n in spec["fields"]],
        "missingValues": [""],
        "primaryKey": primary_key(spec),
    }


def facts_schema() -> dict:
    """The ``facts`` resource (converters/facts.py): every printed amount of the standard
    tables, with the rule for summing them in its description."""

    def optional(name: str, **extra) -> dict:
        f = field(name) | extra
        f.get("constraints", {}).pop("required", None)
        return {k: v for k, v in f.items() if v != {}}

    return {
        "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
        "title": "facts",
        "description": (
            "One row per printed amount of every standard table of the package (empty tables print none; "
            "performance forms, other_NN tables and checks are not included). HOW TO SUM: keep countable rows "
            "and never add different fields or tables together: SUM(amount_yuan) WHERE countable GROUP BY "
            "resource, side, part, field gives each column's total of each table (its 总计 / 合计 line), "
            "in 元 whatever unit the table printed. Countable rows are the most detailed classified lines "
            "(codes no other line has as parent), the lines inside groups of a grouped table, and the "
            "outermost numbered lines of other tables (not 1. under 一、, not ① or 其中 lines, not a fund's "
            "share printed under 上年结转); total and parent lines are never countable. Fields are "
            "different measures of the same line (合计 = 基本支出 + 项目支出), so a sum over all fields "
            "counts twice. The check countable_facts_add_up compares every such sum with the printed total "
            "and lists in the checks resource where they differ."
        ),
        "fields": [
            {
                "name": "resource",
                "type": "string",
                "title": "表",
                "description": "Name of the resource (table) the amount is printed in.",
                "constraints": {"required": True},
            },
            field("line_no"),
            field("row_kind"),
            optional("level", description="Level of the line's code: 1 类, 2 款, 3 项; null for lines without a code."),
            optional(
                "code",
                description="Classification code printed on the line (functional or economic), as text: leading zeros and length matter.",
            ),
            {
                "name": "name",
                "type": "string",
                "title": "名称",
                "description": "The line's name or label as printed (科目名称, 项目 …).",
            },
            optional("side"),
            {
                "name": "part",
                "type": "string",
                "title": "部分",
                "description": "The part of the table with its own total, where a table has several: stage (budget, final) of a 三公 final-accounts table, category (personnel, public) or column group (1, 2 …) of a basic-expenditure-by-economic-class table; null otherwise.",
            },
            {
                "name": "field",
                "type": "string",
                "title": "栏目",
                "description": "Name of the amount field (column) in the table's own resource: total, basic, project, general_budget …",
                "constraints": {"required": True},
            },
            {
                "name": "field_title",
                "type": "string",
                "title": "栏目名称",
                "description": "Title of that field (合计, 基本支出 …).",
            },
            {
                "name": "value",
                "type": "number",
                "title": "印刷数",
                "description": "The amount exactly as printed, in `unit`.",
                "constraints": {"required": True},
            },
            {
                "name": "unit",
                "type": "string",
                "title": "金额单位",
                "description": "The money unit the table printed (元 or 万元).",
                "constraints": {"required": True},
            },
            {
                "name": "amount_yuan",
                "type": "number",
                "title": "金额（元）",
                "description": "The amount in 元: value times 1 (元) or 10000 (万元), exact.",
                "unit": "元",
                "constraints": {"required": True},
            },
            {
                "name": "countable",
                "type": "boolean",
                "title": "可加总",
                "description": "True for the lines whose amounts add up to the table's total without counting any amount twice (see the schema description).",
                "constraints": {"required": True},
            },
            field("page"),
        ],
        "missingValues": [""],
        "primaryKey": ["resource", "line_no", "side", "part", "field"],
    }


def generated() -> dict[Path, str]:
    """Every file this script writes, with its text."""
    files: dict[Path, str] = {}
    concept_map = {
        "generated_by": "schemas/tools/build_schemas.py (do not edit; edit the script and run it)",
        "families": {},
    }
    for family, fam in FAMILIES.items():
        entries = []
        for spec in fam["tables"]:
            schema_file = f"{family}/{spec['resource']}.json"
            files[OUT / schema_file] = json.dumps(schema_for(family, spec), ensure_ascii=False, indent=2) + "\n"
            entry = {k: v for k, v in spec.items() if k not in ("fields", "description")}
            entry["schema"] = schema_file
            entries.append(entry)
        concept_map["families"][family] = {k: v for k, v in fam.items() if k != "tables"} | {"tables": entries}
    files[OUT / "concepts.json"] = json.dumps(concept_map, ensure_ascii=False, indent=2) + "\n"
    files[OUT / "facts.json"] = json.dumps(facts_schema(), ensure_ascii=False, indent=2) + "\n"
    return files


def main() -> None:
    """Write the files; with ``--check``, only compare them with what is committed and
    exit 1 naming the ones that differ (the test suite runs this)."""
    files = generated()
    if "--check" in sys.argv[1:]:
        stale = [
            str(p.relative_to(OUT))
            for p, text in files.items()
            if not p.exists() or p.read_text(encoding="utf-8") != text
        ]
        if stale:
            sys.exit(f"generated files differ from build_schemas.py: {', '.join(stale)}; run it")
        return
    for path, text in files.items():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
