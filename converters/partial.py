"""Tables and performance forms read only in part, said once per document.

The details of what could not be read sit with each table (``report.tables[].warnings``)
and each form (``report.performance.projects[].problems``), where a reader who only
looks at ``report.warnings``, the command line's summary or the upload page would not
see them. This module sums them up into document warnings (code ``partial-read``), so
that no partial read is silent.
"""

from __future__ import annotations

from .mapping import MappedTable
from .model import Warning_
from .performance import PerformanceResult

CODE = "partial-read"
#: Table warnings that mean a printed value was not read (the cell is left empty).
#: ``not-applicable`` (——) is no such case: the document itself says there is no value.
UNREAD_VALUE_CODES = frozenset({"unreadable-number"})
#: The money fields of a form: the Shanxi-style funds and the Hebei-style budget.
FUND_FIELDS = ("funds_period_total", "funds_year_total", "budget_total", "budget_fiscal")


def partial_read_warnings(mapped: list[MappedTable], performance: PerformanceResult) -> list[Warning_]:
    """One warning per standard table with unread values, and one for the performance forms."""
    out = [w for m in mapped if (w := _table_warning(m)) is not None]
    forms = _forms_warning(performance)
    return out + ([forms] if forms else [])


def _table_warning(m: MappedTable) -> Warning_ | None:
    unread = sum(1 for w in m.warnings if w.code in UNREAD_VALUE_CODES)
    if not unread:
        return None
    name = m.concept.resource
    return Warning_(
        CODE,
        f"{name}: {unread} printed value{'s' * (unread != 1)} not read (left empty); see the table's warnings",
        table=name,
        message_zh=f"{m.found.title or name}：{unread} 个数值未能读出（留空），详见该表的警告",
    )


def _forms_warning(performance: PerformanceResult) -> Warning_ | None:
    """What the forms with problems lack: funds, indicator values, other printed cells."""
    partial = [(p, problems) for p, problems in zip(performance.projects, performance.problems) if problems]
    if not partial:
        return None
    numbers = {p["project_no"] for p, _ in partial}
    no_funds = sum(1 for p, _ in partial if all(p.get(f) is None for f in FUND_FIELDS))
    indicators = [i for i in performance.indicators if i["project_no"] in numbers]
    values = sum(1 for i in indicators if i.get("value") not in (None, ""))
    problems = sum(len(problems) for _, problems in partial)
    n, total = len(partial), len(performance.projects)
    en = [f"{no_funds} without funds"] if no_funds else []
    zh = [f"{no_funds} 张未读出资金"] if no_funds else []
    if values < len(indicators):
        en.append(f"{values} of {len(indicators)} indicator values read")
        zh.append(f"指标值读出 {values}/{len(indicators)} 个")
    en.append(f"{problems} problem{'s' * (problems != 1)} listed in report.performance")
    zh.append(f"问题 {problems} 条，详见 report.performance")
    return Warning_(
        CODE,
        f"{n} of {total} performance form{'s' * (total != 1)} read in part: " + ", ".join(en),
        table="performance_projects",
        message_zh=f"{total} 张绩效目标表中 {n} 张只读出部分：" + "，".join(zh),
    )
