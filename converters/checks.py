"""Arithmetic cross-checks: find the mistakes a disclosure makes against itself.

Rules are data (``schemas/checks.json``): each names a *kind* of check (one function
below, or in ``narrative.py`` for the prose), the tables it reads by concept key, its
parameters, its severity and why the template implies it. Adding a template family
means adding entries there, not code. Checks read the mapped rows and the document's
prose and return :class:`Finding` records; they never change data.

Tolerance: amounts are printed rounded to the cent, so a sum of n printed items may be
off by up to n × 0.01 without anyone having made a mistake; every finding states the
tolerance it was judged with.
"""

from __future__ import annotations

import decimal
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from schemas import load_json

from .check_model import (
    ZERO,
    Context,
    Finding,
    Kind,
    Rule,
    Selected,
    Table,
    amount,
    field_title,
    fmt,
    has_amount,
    in_unit,
    label,
    raw_label,
    row_name,
    row_ref,
    select,
    tolerance_for,
)
from .concepts import performance_resource
from .facts import countable_rows, grand_total, groups, money_fields
from .mapping import EXTRA_FIELD_PREFIX, MappedTable
from .model import DocumentBlocks
from .narrative import NARRATIVE_KINDS
from .package import ResourceData
from .performance import PerformanceResult
from .text import YEAR_RX
from .values import last_digit

DEFAULT_TOLERANCE = Decimal("0.01")
RULES_FILE = "checks.json"
SCHEMA_FILE = "checks_schema.json"
SEVERITIES = ("error", "warning", "info")
PERFORMANCE = performance_resource("performance_projects")
PERFORMANCE_KEY = PERFORMANCE.key


def load_rules() -> list[Rule]:
    """The rules of ``schemas/checks.json``, in file order."""
    return [
        Rule(r["id"], r["kind"], r["severity"], r["description"], tuple(r["tables"]), r.get("params", {}))
        for r in load_json(RULES_FILE)["rules"]
    ]


#: Digits of the checks' arithmetic: sums and unit conversions of the longest amounts a
#: cell may print (28 digits before the point, 10 after) stay exact.
CHECK_PRECISION = 100


@dataclass
class CheckRun:
    """What the rules found, and how many comparisons each rule made (every rule run,
    zero when it found nothing to compare)."""

    findings: list[Finding]
    evaluated: dict[str, int]


def evaluate(
    mapped: list[MappedTable],
    doc: DocumentBlocks,
    tolerance: Decimal | str = DEFAULT_TOLERANCE,
    rules: list[Rule] | None = None,
    performance: PerformanceResult | None = None,
) -> CheckRun:
    """Every rule on the mapped tables, the performance-target projects and the prose:
    the findings in rule order, and the number of comparisons per rule."""
    kinds = {**TABLE_KINDS, **NARRATIVE_KINDS}
    tables = _index(mapped)
    if performance and performance.projects:
        tables[PERFORMANCE_KEY] = performance_table(performance)
    ctx = Context(tables, doc, Decimal(tolerance), document_year(mapped))
    findings: list[Finding] = []
    chosen = load_rules() if rules is None else rules
    with decimal.localcontext(prec=CHECK_PRECISION):
        for rule in chosen:
            findings += kinds[rule.kind](rule, ctx)
    return CheckRun(
        [_with_doubts(f, ctx.tables) for f in findings], {rule.id: ctx.evaluated.get(rule.id, 0) for rule in chosen}
    )


def _with_doubts(finding: Finding, tables: dict[str, Table]) -> Finding:
    """A finding on a table the mapper could not read completely (a column it could not
    place, a number it could not parse) may be the converter's, not the publisher's:
    it says so, and is a warning at most."""
    doubtful = [t.name for t in tables.values() if t.resource in finding.tables and t.doubtful]
    if not doubtful:
        return finding
    names = "、".join(doubtful)
    return replace(
        finding,
        severity="warning" if finding.severity == "error" else finding.severity,
        message_zh=f"{finding.message_zh}（注意：{names} 有未能读入的列或数字，差异可能来自转换）",
        message_en=f"{finding.message_en} (note: {names} has columns or numbers the converter could not "
        f"read; the difference may come from the conversion)",
    )


def _index(mapped: list[MappedTable]) -> dict[str, Table]:
    """Tables by concept key; when a concept was printed twice, the first one."""
    out: dict[str, Table] = {}
    for m in mapped:
        out.setdefault(m.concept.key, Table.of_mapped(m))
    return out


def performance_table(performance: PerformanceResult) -> Table:
    """The performance-target projects (rows of the ``performance_projects`` resource)
    as one table, money in 万元 (the Shanxi forms print 元, the Hebei ones 万元; each
    project says which); in doubt when the reader could not read some of their cells."""
    schema = PERFORMANCE.schema
    money = [f["name"] for f in schema["fields"] if f.get("unit") == "money_unit"]
    rows = [
        {
            **p,
            **{f: in_unit(p[f], p.get("money_unit") or "万元", "万元") for f in money if isinstance(p.get(f), Decimal)},
            "line_no": p["project_no"],
            "row_kind": "data",
        }
        for p in performance.projects
    ]
    pages = sorted({p["page"] for p in performance.projects if p.get("page")})
    return Table(
        PERFORMANCE_KEY,
        PERFORMANCE.resource,
        "项目支出绩效目标表",
        rows,
        schema,
        doubtful=any(performance.problems),
        pages=pages,
    )


def document_year(mapped: list[MappedTable]) -> int | None:
    """The year most table titles name (2024年预算收支总表 …)."""
    years = [int(y) for m in mapped for y in YEAR_RX.findall(m.found.title or "")]
    return max(set(years), key=years.count) if years else None


# --- comparing a printed figure with the sum it should be ---------------------------


def _sum_check(
    rule: Rule, ctx: Context, table: Table, row: dict, parts: list[dict], name: str, what_zh: str, what_en: str
) -> list[Finding]:
    """``row[name]`` against the sum of ``parts[name]``; a finding when they differ by
    more than the tolerance for the printed parts."""
    if not has_amount([row, *parts], [name]):
        return []
    ctx.compared(rule)
    found = amount(row, name)
    expected = sum((amount(p, name) for p in parts), ZERO)
    tol = tolerance_for(ctx.tolerance, sum(isinstance(p.get(name), Decimal) for p in parts))
    if abs(found - expected) <= tol:
        return []
    title = field_title(table, name)
    zh = (
        f"{table.name}「{row_name(row)}」行的{title}为 {fmt(found)}，{what_zh}为 {fmt(expected)}，"
        f"相差 {fmt(found - expected)}（容差 ±{fmt(tol)} {table.unit}）"
    )
    field_en = f"{name} ({title})" if name.startswith(EXTRA_FIELD_PREFIX) else name
    en = (
        f"{table.name} row '{row_name(row)}', {field_en}: printed {fmt(found)}, {what_en} is {fmt(expected)}; "
        f"difference {fmt(found - expected)} (tolerance ±{fmt(tol)} {table.unit})"
    )
    return [
        Finding(
            rule.id,
            rule.severity,
            [table.resource],
            [row_ref(table, r) for r in [row, *parts]],
            expected,
            found,
            tol,
            table.unit,
            zh,
            en,
            page=row.get("page") or table.first_page(),
        )
    ]


def _sides(table: Table) -> list[str | None]:
    return list(dict.fromkeys(r.get("side") for r in table.rows))


def _fields(table: Table, params: dict, side: str | None = None) -> list[str]:
    """The amount columns a rule sums: ``params.fields`` when given (quantities in 辆
    and 平方米 do not add up), else every printed money column."""
    printed = table.money_fields(side)
    return [f for f in params["fields"] if f in printed] if "fields" in params else printed


def _groups(table: Table, key: str) -> list[list[dict]]:
    """Rows split by the value of ``key`` (side, category), in printed order."""
    out: dict[object, list[dict]] = {}
    for row in table.rows:
        out.setdefault(row.get(key), []).append(row)
    return list(out.values())


# --- within one table ----------------------------------------------------------------


def code_tree(rule: Rule, ctx: Context) -> list[Finding]:
    """A classified parent (类, 款) equals the sum of its direct children. A code printed
    on several lines (an economic class repeated under each government class it maps
    to) is no single node of a tree, and is not checked."""
    out: list[Finding] = []
    for table in ctx.tables_of(rule):
        for side in _sides(table):
            coded = [r for r in table.side_rows(side) if r.get("code")]
            printed = Counter(r["code"] for r in coded)
            for row in coded:
                if printed[row["code"]] > 1:
                    continue
                kids = [r for r in coded if r.get("parent_code") == row["code"]]
                for name in _fields(table, rule.params, side) if kids else []:
                    out += _sum_check(
                        rule,
                        ctx,
                        table,
                        row,
                        kids,
                        name,
                        f"其 {len(kids)} 个下级科目之和",
                        f"the sum of its {len(kids)} sub-items",
                    )
    return out


def total_row(rule: Rule, ctx: Context) -> list[Finding]:
    """The table's total row (row kind total, or the row labelled ``params.total_label``)
    equals the sum of its top-level rows (``params.top_level``: ``codes`` 类 rows,
    ``subtotals`` class lines, ``data`` every line, ``heads`` rows matching
    ``params.head_pattern``, ``not_components`` rows not matching
    ``params.component_pattern``); per side, or per ``params.group_by`` value."""
    out: list[Finding] = []
    for table in ctx.tables_of(rule):
        for rows in _groups(table, rule.params.get("group_by", "side")):
            total = _total_of(rows, rule.params.get("total_label"))
            top = [r for r in _top_level(rows, rule.params) if r is not total]
            side = rows[0].get("side")
            for name in _fields(table, rule.params, side) if total and top else []:
                out += _sum_check(
                    rule,
                    ctx,
                    table,
                    total,
                    top,
                    name,
                    f"{len(top)} 个一级行之和",
                    f"the sum of its {len(top)} top-level rows",
                )
    return out


def _total_of(rows: list[dict], total_label: str | None) -> dict | None:
    if total_label:
        return next((r for r in rows if re.fullmatch(total_label, label(r))), None)
    return next((r for r in rows if r.get("row_kind") == "total"), None)


def _top_level(rows: list[dict], params: dict) -> list[dict]:
    body = [r for r in rows if r.get("row_kind") != "total"]
    mode = params.get("top_level", "data")
    if mode == "codes":
        codes = {r["code"] for r in body if r.get("code")}
        return [r for r in body if r.get("code") and r.get("parent_code") not in codes]
    if mode == "subtotals":
        return [r for r in body if r.get("row_kind") == "subtotal"] or [r for r in body if r.get("row_kind") == "data"]
    if mode == "heads":
        return [r for r in body if re.match(params["head_pattern"], raw_label(r))]
    if mode == "not_components":
        return [r for r in body if not re.match(params["component_pattern"], raw_label(r))]
    return [r for r in body if r.get("row_kind") == "data"]


def sections(rule: Rule, ctx: Context) -> list[Finding]:
    """A group line (a unit in a project table, an economic class in 表六) equals the
    sum of the data lines under it. A group line directly followed by another group
    line heads them all (a department over its units)."""
    out: list[Finding] = []
    for table in ctx.tables_of(rule):
        rows = table.rows
        for i, row in enumerate(rows):
            members = _section_members(rows, i) if row.get("row_kind") == "subtotal" else []
            for name in _fields(table, rule.params) if members else []:
                out += _sum_check(
                    rule,
                    ctx,
                    table,
                    row,
                    members,
                    name,
                    f"其下 {len(members)} 行之和",
                    f"the sum of the {len(members)} lines under it",
                )
    return out


def _section_members(rows: list[dict], i: int) -> list[dict]:
    heads_group = i + 1 < len(rows) and rows[i + 1].get("row_kind") == "subtotal"
    members = []
    for j in range(i + 1, len(rows)):
        kind = rows[j].get("row_kind")
        if kind == "total":
            break
        if kind == "subtotal":
            parent_next = j + 1 < len(rows) and rows[j + 1].get("row_kind") == "subtotal"
            if not heads_group or (parent_next and j > i + 1):
                break
            continue
        members.append(rows[j])
    return members


def components(rule: Rule, ctx: Context) -> list[Finding]:
    """A line with components (公务用车购置及运行费 over ①购置费 ②运行维护费) equals
    their sum. Components are the lines matching ``params.component_pattern`` right
    after it or, with ``params.head_pattern``, every line up to the next head."""
    out: list[Finding] = []
    for table in ctx.tables_of(rule):
        body = [r for r in table.rows if r.get("row_kind") != "total"]
        for row, parts in _component_groups(body, rule.params):
            for name in _fields(table, rule.params):
                out += _sum_check(
                    rule,
                    ctx,
                    table,
                    row,
                    parts,
                    name,
                    f"其 {len(parts)} 个组成项之和",
                    f"the sum of its {len(parts)} components",
                )
    return out


def _component_groups(body: list[dict], params: dict) -> list[tuple[dict, list[dict]]]:
    head_rx, comp_rx = params.get("head_pattern"), params.get("component_pattern")
    groups: list[tuple[dict, list[dict]]] = []
    for row in body:
        is_head = bool(re.match(head_rx, raw_label(row))) if head_rx else not re.match(comp_rx, raw_label(row))
        if is_head:
            groups.append((row, []))
        elif groups:
            groups[-1][1].append(row)
    return [(h, parts) for h, parts in groups if parts]


def columns(rule: Rule, ctx: Context) -> list[Finding]:
    """Across the columns of every row: ``params.total`` = sum of ``params.parts`` (a
    part written ``-name`` is subtracted: 年末结余 = 年初结余 + 收入 − 支出), on
    ``params.side`` of a two-sided table; with ``params.printed_only`` a row printing
    no total, or none of the parts, is left alone (a form printing only its sources,
    a list printing only its total)."""
    total, parts, side = rule.params["total"], rule.params["parts"], rule.params.get("side")
    printed_only = rule.params.get("printed_only", False)
    names = [p.lstrip("-") for p in parts]
    out: list[Finding] = []
    for table in ctx.tables_of(rule):
        if not {total, *names} <= table.printed_fields(side):
            continue
        titles = _formula(parts, lambda p, table=table: field_title(table, p)), _formula(parts, str)
        for row in table.side_rows(side):
            if not printed_only or (row.get(total) is not None and has_amount([row], names)):
                out += _columns_check(rule, ctx, table, row, total, parts, titles)
    return out


def _formula(parts: list[str], name: Callable[[str], str]) -> str:
    return "".join(
        ("" if i == 0 else " − " if p.startswith("-") else " + ") + name(p.lstrip("-")) for i, p in enumerate(parts)
    )


def _columns_check(
    rule: Rule, ctx: Context, table: Table, row: dict, total: str, parts: list[str], titles: tuple[str, str]
) -> list[Finding]:
    """The row's parts as pseudo-rows, so that the sum check and its tolerance apply."""
    split = [
        {
            total: _signed(row.get(p.lstrip("-")), p.startswith("-")),
            "line_no": row.get("line_no"),
            "side": row.get("side"),
        }
        for p in parts
    ]
    return _sum_check(rule, ctx, table, row, split, total, *titles)


def _signed(value: Decimal | None, negative: bool) -> Decimal | None:
    return -value if negative and value is not None else value


def two_sided(rule: Rule, ctx: Context) -> list[Finding]:
    """Each side of a 收支总表: 本年合计 = the lines above it; 总计 = 本年合计 + the
    lines between (上年结转 …). Breakdown lines are not added again but must add up to
    the line they follow: lines numbered as sub-items (``params.subitem_pattern``: 1.
    一般公共预算 under 一、财政拨款收入) anywhere, and after 本年合计 the fund lines
    (``params.component_pattern``: 一般公共预算, 政府性基金 … under 上年结转)."""
    sub_rx, comp_rx = re.compile(rule.params["subitem_pattern"]), re.compile(rule.params["component_pattern"])
    out: list[Finding] = []
    for table in ctx.tables_of(rule):
        for side in [s for s in _sides(table) if s]:
            out += _one_side(rule, ctx, table, side, sub_rx, comp_rx)
    return out


def _one_side(
    rule: Rule, ctx: Context, table: Table, side: str, sub_rx: re.Pattern, comp_rx: re.Pattern
) -> list[Finding]:
    rows = sorted(table.side_rows(side), key=lambda r: r["line_no"])
    totals = [i for i, r in enumerate(rows) if r.get("row_kind") == "total"]
    if not totals:
        return []
    names, first, last = table.money_fields(side), totals[0], totals[-1]

    def is_sub(i: int) -> bool:
        return bool(sub_rx.match(raw_label(rows[i])) or (i > first and comp_rx.match(label(rows[i]))))

    body = [i for i in range(last) if i not in totals]
    out: list[Finding] = []
    for name in names:
        out += _sum_check(
            rule,
            ctx,
            table,
            rows[first],
            [rows[i] for i in body if i < first and not is_sub(i)],
            name,
            "其上各行之和",
            "the sum of the lines above",
        )
        if last != first:
            out += _sum_check(
                rule,
                ctx,
                table,
                rows[last],
                [rows[first]] + [rows[i] for i in body if i > first and not is_sub(i)],
                name,
                f"{label(rows[first])}与其后各行之和",
                f"{label(rows[first])} plus the lines after it",
            )
    for head, parts in _breakdowns([rows[i] for i in body], [is_sub(i) for i in body]):
        for name in names:
            out += _sum_check(rule, ctx, table, head, parts, name, "其分项之和", "the sum of its breakdown")
    return out


def _breakdowns(rows: list[dict], subs: list[bool]) -> list[tuple[dict, list[dict]]]:
    """Lines followed by breakdown lines (上年结转 over 一般公共预算, 政府性基金 …)."""
    groups: list[tuple[dict, list[dict]]] = []
    for row, sub in zip(rows, subs):
        if not sub:
            groups.append((row, []))
        elif groups:
            groups[-1][1].append(row)
    return [(h, parts) for h, parts in groups if parts]


def balance(rule: Rule, ctx: Context) -> list[Finding]:
    """收入总计 = 支出总计: the last total line of each side."""
    name = rule.params.get("field", "total")
    out: list[Finding] = []
    for table in ctx.tables_of(rule):
        ends = {
            s: [r for r in table.side_rows(s) if r.get("row_kind") == "total"][-1:] for s in ("income", "expenditure")
        }
        if not (ends["income"] and ends["expenditure"]) or not all(name in table.printed_fields(s) for s in ends):
            continue
        inc, exp = ends["income"][0], ends["expenditure"][0]
        out += _sum_check(
            rule, ctx, table, inc, [exp], name, f"支出方「{label(exp)}」", f"the expenditure side's '{label(exp)}'"
        )
    return out


# --- across tables --------------------------------------------------------------------


def cross(rule: Rule, ctx: Context) -> list[Finding]:
    """The same figure printed in two places agrees: Σ left = Σ right (表三 项目支出 =
    表十二 + 表十三)."""
    picked = _pick(rule, ctx)
    if picked is None:
        return []
    (found, left), (expected, right), unit, tol = picked
    if abs(found - expected) <= tol:
        return []
    zh = f"{_what(left)} 为 {fmt(found)}，而 {_what(right)} 为 {fmt(expected)}，相差 {fmt(found - expected)}（容差 ±{fmt(tol)} {unit}）"
    en = (
        f"{_what(left, True)} is {fmt(found)} but {_what(right, True)} is {fmt(expected)}; difference {fmt(found - expected)} "
        f"(tolerance ±{fmt(tol)} {unit})"
    )
    return [_cross_finding(rule, left + right, expected, found, tol, unit, zh, en)]


def at_most(rule: Rule, ctx: Context) -> list[Finding]:
    """Σ left ≤ Σ right: a part printed in one table cannot exceed the whole printed in
    another (表六's 公务接待费 within 表十's, 机关运行经费 within 公用经费)."""
    picked = _pick(rule, ctx)
    if picked is None:
        return []
    (found, left), (bound, right), unit, tol = picked
    if found <= bound + tol:
        return []
    zh = f"{_what(left)} 为 {fmt(found)}，超过了 {_what(right)} {fmt(bound)}，超出 {fmt(found - bound)}（容差 ±{fmt(tol)} {unit}）"
    en = (
        f"{_what(left, True)} is {fmt(found)}, more than {_what(right, True)} {fmt(bound)}; excess {fmt(found - bound)} "
        f"(tolerance ±{fmt(tol)} {unit})"
    )
    return [_cross_finding(rule, left + right, bound, found, tol, unit, zh, en)]


Picked = tuple[tuple[Decimal, list[Selected]], tuple[Decimal, list[Selected]], str, Decimal]


def _pick(rule: Rule, ctx: Context) -> Picked | None:
    """Both sides of a cross rule, each a sum of figures, in one unit (万元 when the
    tables differ), or None when a table is missing or a figure cannot be read."""
    sides: list[list[Selected]] = []
    for refs in (rule.params["left"], rule.params["right"]):
        chosen = [select(ctx.tables[ref["table"]], ref) if ref["table"] in ctx.tables else None for ref in refs]
        if any(sel is None for sel in chosen):
            return None
        sides.append(chosen)
    units = {s.table.unit for side in sides for s in side}
    unit = next(iter(units)) if len(units) == 1 else "万元"
    value = (lambda s: s.value) if len(units) == 1 else Selected.in_wan
    totals = [sum((value(s) for s in side), ZERO) for side in sides]
    ctx.compared(rule)
    n_items = sum(s.n_items for side in sides for s in side)
    return (totals[0], sides[0]), (totals[1], sides[1]), unit, tolerance_for(ctx.tolerance, n_items - 1)


def _what(side: list[Selected], english: bool = False) -> str:
    return " + ".join(s.what_en if english else s.what for s in side)


def _cross_finding(
    rule: Rule, used: list[Selected], expected: Decimal, found: Decimal, tol: Decimal, unit: str, zh: str, en: str
) -> Finding:
    tables = list(dict.fromkeys(s.table.resource for s in used))
    rows = [row_ref(s.table, r) for s in used for r in s.rows[:20]]
    page = next((r.get("page") for s in used for r in s.rows if r.get("page")), None)
    page = page or next((s.table.first_page() for s in used if s.table.first_page()), None)
    return Finding(rule.id, rule.severity, tables, rows, expected, found, tol, unit, zh, en, page=page)


def cross_by_code(rule: Rule, ctx: Context) -> list[Finding]:
    """For every code printed in both tables: Σ left fields = Σ right fields."""
    lp, rp = rule.params["left"], rule.params["right"]
    lt, rt = ctx.tables.get(lp["table"]), ctx.tables.get(rp["table"])
    if (
        not lt
        or not rt
        or lt.empty
        or rt.empty
        or not (set(lp["fields"]) <= lt.printed_fields() and set(rp["fields"]) <= rt.printed_fields())
    ):
        return []
    right = {r["code"]: r for r in rt.rows if r.get("code")}
    tol = tolerance_for(ctx.tolerance, len(lp["fields"]) + len(rp["fields"]) - 1)
    out: list[Finding] = []
    for row in [r for r in lt.rows if r.get("code") in right]:
        ctx.compared(rule)
        other = right[row["code"]]
        found = sum((amount(row, f) for f in lp["fields"]), ZERO)
        expected = sum((amount(other, f) for f in rp["fields"]), ZERO)
        if abs(found - expected) > tol:
            out.append(_pair_finding(rule, lt, row, lp["fields"], found, rt, other, rp["fields"], expected, tol))
    return out


def cross_by_name(rule: Rule, ctx: Context) -> list[Finding]:
    """For every line named in both tables (numbering ignored): left field = right
    field; ``level`` keeps only classified rows of that level on the right."""
    lp, rp = rule.params["left"], rule.params["right"]
    lt, rt = ctx.tables.get(lp["table"]), ctx.tables.get(rp["table"])
    if (
        not lt
        or not rt
        or lt.empty
        or rt.empty
        or lp["field"] not in lt.printed_fields(lp.get("side"))
        or rp["field"] not in rt.printed_fields(rp.get("side"))
    ):
        return []
    right = {
        label(r): r
        for r in rt.side_rows(rp.get("side"))
        if r.get("row_kind") != "total" and ("level" not in rp or r.get("level") == rp["level"])
    }
    tol = tolerance_for(ctx.tolerance, 1)
    out: list[Finding] = []
    for row in [r for r in lt.side_rows(lp.get("side")) if r.get("row_kind") != "total" and label(r) in right]:
        ctx.compared(rule)
        other = right[label(row)]
        found, expected = amount(row, lp["field"]), amount(other, rp["field"])
        if abs(found - expected) > tol:
            out.append(_pair_finding(rule, lt, row, [lp["field"]], found, rt, other, [rp["field"]], expected, tol))
    return out


def _pair_finding(
    rule: Rule,
    lt: Table,
    lrow: dict,
    lf: list[str],
    found: Decimal,
    rt: Table,
    rrow: dict,
    rf: list[str],
    expected: Decimal,
    tol: Decimal,
) -> Finding:
    lwhat = f"{lt.name}「{row_name(lrow)}」{'+'.join(field_title(lt, f) for f in lf)}"
    rwhat = f"{rt.name}「{row_name(rrow)}」{'+'.join(field_title(rt, f) for f in rf)}"
    zh = f"{lwhat} 为 {fmt(found)}，而 {rwhat} 为 {fmt(expected)}，相差 {fmt(found - expected)}（容差 ±{fmt(tol)} {lt.unit}）"
    en = (
        f"{lwhat} is {fmt(found)} but {rwhat} is {fmt(expected)}; difference {fmt(found - expected)} "
        f"(tolerance ±{fmt(tol)} {lt.unit})"
    )
    return Finding(
        rule.id,
        rule.severity,
        list(dict.fromkeys([lt.resource, rt.resource])),
        [row_ref(lt, lrow), row_ref(rt, rrow)],
        expected,
        found,
        tol,
        lt.unit,
        zh,
        en,
        page=lrow.get("page") or lt.first_page(),
    )


def countable_total(rule: Rule, ctx: Context) -> list[Finding]:
    """The countable lines of the ``facts`` resource add up to the table's printed total
    (its last total line, per side and part), in every money column: a data user who
    sums them gets what the document prints. Tolerance: one unit of the last printed
    digit per summed line (the document's own rounding). With no tables named, every
    standard table."""
    out: list[Finding] = []
    tables = ctx.tables_of(rule) if rule.tables else [t for k, t in ctx.tables.items() if k != PERFORMANCE_KEY]
    for table in tables:
        fields = money_fields(table)
        money = [f["name"] for f in fields]
        for rows in groups(table.rows).values():
            total, parts = grand_total(rows), countable_rows(rows, money)
            for f in fields if total is not None else []:
                name = f["name"]
                if not isinstance(total.get(name), Decimal):
                    continue
                printed = [r[name] for r in [total, *parts] if isinstance(r.get(name), Decimal)]
                digit = last_digit(printed)
                out += _sum_check(
                    rule,
                    replace(ctx, tolerance=digit),
                    table,
                    total,
                    parts,
                    name,
                    f"其 {len(parts)} 个可加总行之和",
                    f"the sum of its {len(parts)} countable lines",
                )
    return out


TABLE_KINDS: dict[str, Kind] = {
    "code_tree": code_tree,
    "total_row": total_row,
    "sections": sections,
    "components": components,
    "columns": columns,
    "two_sided": two_sided,
    "balance": balance,
    "cross": cross,
    "at_most": at_most,
    "cross_by_code": cross_by_code,
    "cross_by_name": cross_by_name,
    "countable_total": countable_total,
}


# --- into the package and the report --------------------------------------------------


def checks_resource(findings: list[Finding]) -> ResourceData:
    """The ``checks`` resource: always present, zero rows when nothing was found."""
    rows = [
        {
            "finding_no": i,
            "rule": f.rule,
            "severity": f.severity,
            "tables": ";".join(f.tables),
            "rows": ";".join(f.rows),
            "expected": f.expected,
            "found": f.found,
            "difference": f.difference,
            "tolerance": f.tolerance,
            "unit": f.unit,
            "message_zh": f.message_zh,
            "message_en": f.message_en,
            "page": f.page,
            "sentence": f.sentence,
        }
        for i, f in enumerate(findings, start=1)
    ]
    extra = {
        "budgetpack:concept": "budgetpack/checks",
        "budgetpack:status": "found" if rows else "empty",
        "budgetpack:title_en": "Checks: arithmetic and narrative findings",
    }
    return ResourceData("checks", "检查结果", load_json(SCHEMA_FILE), rows, extra)


def checks_report(findings: list[Finding], evaluated: dict[str, int] | None = None) -> dict:
    """``checks`` (every finding) and ``checks_summary`` (counts) for report.json:
    findings by severity and by rule and, given the run's counts, ``evaluated``: how
    many comparisons each rule made, so that "no finding" can be told from "nothing
    compared" (rule X compared 12 figures, all agree)."""
    by_rule: dict[str, int] = {}
    for f in findings:
        by_rule[f.rule] = by_rule.get(f.rule, 0) + 1
    summary = {s: sum(f.severity == s for f in findings) for s in SEVERITIES}
    counts = {"evaluated": evaluated} if evaluated is not None else {}
    return {
        "checks": [f.as_dict() for f in findings],
        "checks_summary": {**summary, "total": len(findings), "by_rule": by_rule, **counts},
    }
