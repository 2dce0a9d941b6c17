"""The two performance-target resources (``performance_projects`` and
``performance_indicators``) and their place in the concept map.

The forms and lists they come from are not read by column rules, as the standard tables
are: ``converters/performance*.py`` find them by their printed labels (``form_*`` and
``list_columns`` in ``vocabulary.json``). What the concept map holds for them is
which resources they become, under which titles, with which schemas; the schemas are
written from here like every other Table Schema, so ``build_schemas.py --check``
covers them.
"""

from __future__ import annotations

TABLE_SCHEMA = "https://datapackage.org/profiles/2.0/tableschema.json"


def field(name: str, type_: str, title: str, description: str, **extra: object) -> dict:
    return {"name": name, "type": type_, "title": title, "description": description, **extra}


def money(name: str, title: str, description: str) -> dict:
    """A money field: in the unit the row's ``money_unit`` names (the schema loader
    writes the forms' one unit here when they all print the same)."""
    return field(name, "number", title, description, unit="money_unit")


def page(description: str) -> dict:
    return field("page", "integer", "页码", description, constraints={"minimum": 1})


#: The sources funds are printed by, the same for the implementation period (实施期)
#: and the year (年度): field suffix, title, what the description says, with
#: ``(blank printed cell: null)`` for those printed blank most often.
FUND_SOURCES = [
    ("central", "中央财政资金", "central government funds (其中：中央财政资金)", False),
    ("provincial", "省级财政资金", "provincial funds (省级财政资金)", False),
    ("municipal", "市县(区)财政资金", "city and county funds (市县(区)财政资金)", False),
    ("self_raised", "单位自筹", "raised by the unit itself (单位自筹)", False),
    ("other", "其他资金", "other funds (其他资金)", True),
    ("fiscal", "财政拨款", "the fiscal appropriation (其中：财政拨款)", False),
    ("carried_over", "上年结转", "carried over from the previous year (上年结转)", False),
    ("city_level", "市级支出", "the part spent at city level (市级支出, Chongqing)", False),
    ("to_districts", "补助区县", "the part transferred to districts and counties (补助区县, Chongqing)", False),
]


def funds(period: str, title: str, whole: str, of: str) -> list[dict]:
    """The total of one period's funds and its split by source."""
    fields = [
        money(
            f"funds_{period}_total",
            f"{title}资金总额",
            f"Funds for {whole} ({title}资金总额), in money_unit, as printed.",
        )
    ]
    for suffix, source, what, blank in FUND_SOURCES:
        unit = "in money_unit (blank printed cell: null)" if blank else "in money_unit"
        fields.append(money(f"funds_{period}_{suffix}", f"{title}：{source}", f"Of {of}: {what}, {unit}."))
    return fields


def performance_projects() -> dict:
    """One row per project, whatever form or list printed it."""
    return {
        "$schema": TABLE_SCHEMA,
        "title": "performance_projects",
        "description": "One row per project of the performance-target tables (项目支出绩效目标表 / 项目支出绩效目标申报表 / N、XXX绩效目标表), in the order printed. Three layouts are read (see template): template shanxi (Shanxi budget and national final-accounts annex: funds for the implementation period 实施期 and the year 年度 by source, goals per period, contact lines) and template hebei (项目编码, 预算数 split into fiscal and other funds, 资金用途, 资金支出计划 percentages). Fields a form does not print are null. Money is kept as printed, never converted: the Shanxi forms print 元, the Hebei ones and most other provinces' 万元, so every money field is in the unit named by money_unit on the same row. The indicators of each project are in performance_indicators (foreign key project_no). Text is as printed without layout: line breaks and the spaces a renderer puts around Chinese text are removed (a PDF cannot tell a wrapped line from a new paragraph), one space is kept between Latin letters or digits; so PDF and DOCX give the same rows.",
        "fields": [
            field(
                "project_no",
                "integer",
                "项目序号",
                "Order of the project's table in the document (1 = first). Key of the row; performance_indicators refers to it.",
                constraints={"required": True, "minimum": 1},
            ),
            field(
                "template",
                "string",
                "表样",
                "Form the table follows: shanxi (项目名称, 主管部门及代码, 项目资金 实施期/年度, 一级/二级/三级指标 for 实施期 and 年度; also the national form other provinces and ministries print: 年度资金总额 with 财政拨款 / 上年结转, 年度总体目标, 指标值 with 分值, and the national final-accounts annex 项目支出绩效目标申报表), hebei (项目编码, 预算数, 资金支出计划, 绩效指标描述, 指标值确定依据) or list (a table of all projects, one line per indicator, the project's name, funds and goal merged down over its lines: Beijing 项目支出绩效目标表, Chongqing 市级一般性项目绩效目标表; a name merged over several funding blocks gives one row per block).",
                constraints={"required": True, "enum": ["shanxi", "hebei", "list"]},
            ),
            field(
                "title",
                "string",
                "表名",
                "Title printed above the table when it names a performance-target table (Hebei keeps its N、 number); null when no such title was read.",
            ),
            field(
                "project_code",
                "string",
                "项目编码",
                "Project code as printed (Hebei form 项目编码; a list's code printed before the name); null where the form prints none.",
            ),
            field(
                "project_name",
                "string",
                "项目名称",
                "Project name as printed; a list printing the code before the name (11000021Y000000390843-信息系统运维类项目) gives the name after it; a form printing no 项目名称 line gives the project its title names (市行政中心保安服务项目绩效目标表: 市行政中心保安服务项目).",
            ),
            field(
                "department",
                "string",
                "主管部门及代码",
                "Supervising department with its code, as printed (e.g. 047-大同市公安局[部门]).",
            ),
            field("implementing_unit", "string", "实施单位", "Unit that carries out the project."),
            field("project_type", "string", "项目属性", "Kind of project as printed (e.g. 经常性项目（长期开展）)."),
            field("project_period", "string", "项目期", "Duration of the project as printed (e.g. 99年, 1年)."),
            field(
                "money_unit",
                "string",
                "金额单位",
                "Unit of every money field of this row, as the table prints it: from the funds label 项目资金(元) in the Shanxi form, from the caption 单位：万元 in the Hebei form. Null when the table prints no unit (then the report says so).",
                constraints={"enum": ["元", "万元"]},
            ),
            *funds("period", "实施期", "the whole implementation period", "the implementation-period funds"),
            *funds("year", "年度", "the budget year", "the year's funds"),
            money("budget_total", "预算数", "Budget of the project (Hebei form: 预算规模 预算数), in money_unit."),
            money("budget_fiscal", "其中：财政资金", "Of the budget: fiscal funds (其中：财政资金), in money_unit."),
            money(
                "budget_other",
                "其他资金",
                "Of the budget: other funds (其他资金), in money_unit (blank printed cell: null).",
            ),
            field("fund_use", "string", "资金用途", "What the money is for, as printed under 预算数 (Hebei form)."),
            field(
                "spending_plan_03",
                "number",
                "资金支出计划：3月底",
                "Share of the budget planned to be spent by the end of March (资金支出计划（%） 3月底), in percent; null where the cell is blank.",
                unit="%",
            ),
            field(
                "spending_plan_06",
                "number",
                "资金支出计划：6月底",
                "Share of the budget planned to be spent by the end of June, in percent; null where the cell is blank.",
                unit="%",
            ),
            field(
                "spending_plan_10",
                "number",
                "资金支出计划：10月底",
                "Share of the budget planned to be spent by the end of October, in percent; null where the cell is blank.",
                unit="%",
            ),
            field(
                "spending_plan_12",
                "number",
                "资金支出计划：12月底",
                "Share of the budget planned to be spent by the end of December, in percent; null where the cell is blank.",
                unit="%",
            ),
            field("overview", "string", "项目概况", "Overview of the project as printed."),
            field("basis", "string", "立项依据", "Legal or policy basis for setting up the project."),
            field("necessity", "string", "项目设立必要性", "Why the project is needed."),
            field(
                "safeguards",
                "string",
                "保证项目实施的制度、措施",
                "Rules and measures that ensure the project is carried out.",
            ),
            field("plan", "string", "项目实施计划", "Implementation plan."),
            field("goals", "string", "绩效目标", "Performance goals without a period (Hebei form: 绩效目标)."),
            field(
                "goals_period",
                "string",
                "实施期目标",
                "Overall goals for the implementation period (总体目标 实施期目标).",
            ),
            field("goals_year", "string", "年度目标", "Overall goals for the budget year (总体目标 年度目标)."),
            field("contact_responsible", "string", "负责人", "Person responsible, as printed (often blank)."),
            field("contact_handler", "string", "经办人", "Person who filled in the form."),
            field(
                "contact_phone",
                "string",
                "联系电话",
                "Contact telephone number, as printed (text: leading zeros and dashes are kept).",
            ),
            field(
                "fill_date",
                "string",
                "填报日期",
                "Date of filling in, exactly as printed (e.g. 20231030162157, a timestamp without separators; not parsed).",
            ),
            page("PDF page the table starts on (1-based). Null for DOCX input, which has no pages."),
            field(
                "pages",
                "string",
                "所在页",
                "Every PDF page the table is printed on, comma-separated (e.g. 16,17: a table may run over several pages). Null for DOCX input.",
                constraints={"pattern": "[0-9]+(,[0-9]+)*"},
            ),
        ],
        "missingValues": [""],
        "primaryKey": ["project_no"],
    }


def performance_indicators() -> dict:
    """One row per indicator of a project, linked to it by ``project_no``."""
    return {
        "$schema": TABLE_SCHEMA,
        "title": "performance_indicators",
        "description": "One row per performance indicator (绩效指标) of each project in performance_projects, in printed order. The Shanxi form prints every indicator slot twice, for the implementation period (实施期, left) and for the year (年度, right): each printed grid row gives one row per period, 实施期 first. 一级指标 and 二级指标 are filled in on every row even where the print merges them over several rows. Slots the form prints without an indicator (a 二级指标 with nothing under it) are kept with level3 and value empty, so that one can see the project set none. The value is kept as printed and, where it is a measure (an optional comparator, one number, an optional unit and nothing else), also split into comparator, value_number and value_unit. Text is as printed without line breaks (see performance_projects).",
        "fields": [
            field(
                "project_no",
                "integer",
                "项目序号",
                "The project (performance_projects.project_no) the indicator belongs to.",
                constraints={"required": True, "minimum": 1},
            ),
            field(
                "indicator_no",
                "integer",
                "指标序号",
                "Order of the row within its project (1 = first).",
                constraints={"required": True, "minimum": 1},
            ),
            field(
                "period",
                "string",
                "期间",
                "实施期 (the whole implementation period) or 年度 (the budget year) in the Shanxi form, which prints both; null in forms and lists that print one set (Hebei, the national form, lists).",
                constraints={"enum": ["实施期", "年度"]},
            ),
            field(
                "level1", "string", "一级指标", "First-level indicator (产出指标, 效益指标, 满意度指标 …) as printed."
            ),
            field(
                "level2",
                "string",
                "二级指标",
                "Second-level indicator (数量指标, 质量指标, 时效指标, 成本指标, 社会效益指标, 服务对象满意度 …) as printed.",
            ),
            field("level3", "string", "三级指标", "The indicator itself as printed; null on an empty slot."),
            field("description", "string", "绩效指标描述", "What the indicator measures (Hebei form only)."),
            field(
                "value",
                "string",
                "指标值",
                "Target value exactly as printed (≥95%, 10个, 提高 …); null on an empty slot.",
            ),
            field(
                "comparator",
                "string",
                "比较符",
                "Comparator of a value that is a measure: ≥ ≤ > < as printed (also from words such as 不低于, or 以上/以下 after the unit), = when the value prints a bare number (10个); in a list printing the comparator in a column of its own (指标性质: ≥, ＝, 定性) that column's. Null when the value is not a measure (提高, a date range, prose, 定性).",
                constraints={"enum": ["≥", "≤", ">", "<", "="]},
            ),
            field(
                "value_number",
                "number",
                "指标值数值",
                "The number of a value that is a measure (≥95% gives 95, 1,200,000元 gives 1200000), exact as printed; in value_unit. Null when the value is not a measure.",
            ),
            field(
                "value_unit",
                "string",
                "指标值单位",
                "Unit printed after the number (%, 个, 元, 万元, 元/人 …; 百分比 and ％ are written %), or in a list's own unit column (计量单位, 绩效度量单位) as printed. Null when no unit is printed or the value is not a measure.",
            ),
            field("basis", "string", "指标值确定依据", "Basis on which the target value was set (Hebei form only)."),
            field(
                "weight",
                "string",
                "分值",
                "The indicator's weight or score as printed in a 分值 / 指标权重(%) column (national and Chongqing forms); null where the form prints none.",
            ),
            field(
                "core",
                "string",
                "是否核心",
                "Whether the indicator is a core one (是 / 否) as printed in a 是否核心 column (Chongqing); null where the form prints none.",
            ),
            page("PDF page the indicator's row was printed on (1-based). Null for DOCX input, which has no pages."),
        ],
        "missingValues": [""],
        "primaryKey": ["project_no", "indicator_no"],
        "foreignKeys": [
            {"fields": ["project_no"], "reference": {"resource": "performance_projects", "fields": ["project_no"]}}
        ],
    }


#: The concept map's ``performance`` section: the resources the forms and lists become
#: (named ``performance/<resource>`` where a check rule reads them), each with its
#: title and its schema, written by ``build_schemas.py`` with the schemas below.
CONCEPT_MAP_SECTION = {
    "description": (
        "Performance-target forms and lists (项目支出绩效目标表): found by their printed labels "
        "(vocabulary.json form_* and list_columns), not by column rules, and read into two linked resources."
    ),
    "resources": [
        {"resource": "performance_projects", "title": "项目支出绩效目标表：项目"},
        {"resource": "performance_indicators", "title": "项目支出绩效目标表：绩效指标"},
    ],
}
SCHEMAS = {"performance_projects": performance_projects, "performance_indicators": performance_indicators}
