"""Found tables to schema rows: printed columns to fields by their header labels,
cells to typed values, and each row's kind (data, subtotal, total).

Columns are matched by label, never by position, so a table with an extra or missing
column still maps; a printed column that matches no field stays in the data as an extra
field under its printed title, never dropped.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from decimal import Decimal

from .concepts import DEFAULT_MONEY_UNIT, ColumnRule, Concept, Side
from .model import Warning_
from .package import ResourceData
from .recognise import FoundTable, side_of
from .text import CODE_RX, ORG_SUFFIX_RX, squash
from .values import clean_text, code_level, parent_code, parse_amount
from .wording import TOTAL_LABEL_RX

LABEL_FIELDS = (
    "item",
    "name",
    "item_name",
    "economic_name",
    "unit_name",
    "project_name",
    "source",
    "procurement_category",
)
PURCHASE_FIELDS = ("item_name", "procurement_method", "catalogue_code", "measure_unit", "quantity", "unit_price")
YEAR_IN_LABEL_RX = re.compile(r"(20\d{2})年")
#: The name of a field for a printed column the concept has none for, before its number.
EXTRA_FIELD_PREFIX = "extra_"
#: Fields whose figures are another year's, or this year's against it: a column under
#: 2025年执行数 or 2026年预算数比2025年执行数 may fill them in a 2026 budget.
OTHER_YEAR_FIELDS = frozenset({"prior_year_actual", "change_amount", "change_rate"})
SUBTOTAL_LEAF_RX = re.compile(r"小计|合计")
COMPONENT_RX = re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩]|其中[:：]?|\d+[.、])")


@dataclass
class MappedTable:
    """Rows of one standard table in its schema's field names, and what went wrong."""

    found: FoundTable
    concept: Concept
    rows: list[dict] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    extra_fields: list[dict] = field(default_factory=list)
    #: Where each printed column went (its index → field and side), extra fields included.
    placements: dict[int, Placement] = field(default_factory=dict)

    @property
    def schema(self) -> dict:
        """The concept's Table Schema with the extra fields of the columns this table
        prints beyond it, before ``page``."""
        schema = copy.deepcopy(self.concept.schema)
        fields = schema["fields"]
        at = next((k for k, f in enumerate(fields) if f["name"] == "page"), len(fields))
        schema["fields"] = fields[:at] + copy.deepcopy(self.extra_fields) + fields[at:]
        return schema

    @property
    def status(self) -> str:
        """``empty`` when printed as empty (注：本表无数据) or without a single amount."""
        has_amount = any(isinstance(v, Decimal) for r in self.rows for v in r.values())
        return "empty" if self.found.empty_note or not has_amount else "found"


@dataclass(frozen=True)
class Placement:
    """Where a printed column goes: a field of one record of its row. ``side`` is
    None for columns every record of the row shares (序号); ``slot`` counts column
    groups printed side by side within one side (公开06表); ``join`` is the rule when
    the column is one of several whose texts join into the field (类 | 款 | 项)."""

    side: Side | None
    field: str
    slot: int
    join: ColumnRule | None = None


def assign_columns(
    found: FoundTable, concept: Concept, year: int | None = None
) -> tuple[dict[int, Placement], list[int]]:
    """Printed column index -> placement; and the columns no rule matched. Where the
    header names a year other than the document's ``year`` (2025年预算数 beside
    2026年预算数), the column is last year's figure: no field of this year's matches it,
    only those of :data:`OTHER_YEAR_FIELDS`."""
    assigned: dict[int, Placement] = {}
    unmatched: list[int] = []
    uses: dict[tuple[str | None, str], int] = {}
    for j, path in enumerate(found.column_labels):
        leaf = path[-1] if path else ""
        other_year = concept.vocabulary and year is not None and _names_another_year(path, year)
        shared = next((r.field for r in concept.shared if leaf and r.matches(leaf)), None)
        if shared is not None and (None, shared) not in uses and not other_year:
            uses[(None, shared)] = 1
            assigned[j] = Placement(None, shared, 0)
            continue
        side, label = side_of(path, concept)
        previous = assigned.get(j - 1)
        if side is None and len(concept.sides) > 1:
            side = _side_by_prefix(leaf, concept) or (previous.side if previous is not None else None)
        if side is not None and not other_year and _continues_join(label, side, previous):
            assigned[j] = previous
            continue
        if concept.vocabulary and side is not None:
            label = _group_named(path, label, side)
        repeat = concept.layout == "column_groups"
        hit = _rule_for(label, side, uses, repeat) if side is not None and label else None
        if hit is None or other_year and hit not in OTHER_YEAR_FIELDS:
            unmatched.append(j)
            continue
        slot = _slot(assigned, side, hit) if repeat else 0
        uses[(side.side, hit)] = uses.get((side.side, hit), 0) + 1
        join = next((r for r in side.columns if r.field == hit and r.join and r.matches(label)), None)
        assigned[j] = Placement(side, hit, slot, join)
    return assigned, unmatched


def _group_named(path: list[str], label: str, side: Side) -> str:
    """The label naming a column's field: its group's where the column is the group's
    小计 or 合计 and the group is a field of its own (上年结转结余 › 小计 is the carry-over,
    基本支出 › 小计 basic expenditure, 财政拨款 › 合计 the appropriation)."""
    if len(path) > 1 and SUBTOTAL_LEAF_RX.fullmatch(label) and any(r.matches(path[-2]) for r in side.columns):
        return path[-2]
    return label


def _names_another_year(path: list[str], year: int) -> bool:
    return any(int(y) != year for label in path for y in YEAR_IN_LABEL_RX.findall(label))


def _side_by_prefix(leaf: str, concept: Concept) -> Side | None:
    """A two-sided table printing its sides in the column labels (收入项目 | 预算数 |
    支出项目 | 预算数, no 收入 | 支出 row above): the side a label opens with; the
    columns after it, unlabelled by side, are on the same side."""
    return next(
        (
            s
            for s in concept.sides
            if s.group is not None and s.group.match(leaf) and any(r.matches(leaf) for r in s.columns)
        ),
        None,
    )


def _continues_join(label: str, side: Side, previous: Placement | None) -> bool:
    """The column right of a joined column continues its field when its label fits the
    same rule (款 after 类): one code printed over several columns is one value."""
    return previous is not None and previous.join is not None and previous.side is side and previous.join.matches(label)


def _rule_for(leaf: str, side: Side, uses: dict[tuple[str | None, str], int], repeat: bool) -> str | None:
    """The first rule of the side matching the label that is still free; in tables
    printed as repeated column groups, a taken rule again (the next group)."""
    matches = [r.field for r in side.columns if r.matches(leaf)]
    free = [f for f in matches if (side.side, f) not in uses]
    return (free or (matches if repeat else []) or [None])[0]


def _slot(assigned: dict[int, Placement], side: Side, field_name: str) -> int:
    """Column group index: in how many groups this field was already placed on this side."""
    return len({p.slot for p in assigned.values() if p.side is side and p.field == field_name})


def map_table(found: FoundTable, concept: Concept, organisation: str | None, year: int | None = None) -> MappedTable:
    out = MappedTable(found, concept)
    fields = {f["name"]: f for f in concept.schema["fields"]}
    assigned, unmatched = assign_columns(found, concept, year)
    name = concept.resource
    for j in unmatched:
        values = [r[j] for r in found.body if j < len(r) and r[j].strip()]
        label = column_title(found, j)
        if values:
            extra = _extra_field(len(out.extra_fields) + 1, label, values)
            out.extra_fields.append(extra)
            fields[extra["name"]] = extra
            side = side_of(found.column_labels[j], concept)[0] if j < len(found.column_labels) else None
            assigned[j] = Placement(
                side if side is not None or len(concept.sides) > 1 else concept.sides[0], extra["name"], 0
            )
            out.warnings.append(
                Warning_(
                    "column-kept-as-extra",
                    f"printed column {label!r} is no field of the "
                    f"{concept.resource} schema; it is kept as {extra['name']}",
                    table=name,
                )
            )
    out.placements = assigned
    placed = {(p.side.side if p.side else None, p.field) for p in assigned.values()}
    for side in concept.sides if not concept.vocabulary else ():
        for rule in side.columns:
            if (side.side, rule.field) not in placed:
                where = f" on the {side.side} side" if side.side else ""
                out.warnings.append(
                    Warning_("column-missing", f"no printed column found for field {rule.field!r}{where}", table=name)
                )

    header_cells = {squash(c) for r in found.header for c in r if squash(c)}
    slots = sorted(
        {(p.side, p.slot) for p in assigned.values() if p.side is not None},
        key=lambda k: (concept.sides.index(k[0]), k[1]),
    )
    body = spread_merged_labels(found, assigned, fields)
    codes_above: dict[tuple, dict[int, str]] = {}
    for i, (cells, page) in enumerate(zip(body, found.body_pages), start=1):
        if _repeats_header(cells, header_cells):
            continue
        shared = {p.field: clean_text(cells[j]) for j, p in assigned.items() if p.side is None and j < len(cells)}
        for side, slot in slots:
            cols = {j: p for j, p in assigned.items() if p.side is side and p.slot == slot}
            built = _row(cells, cols, fields, codes_above.setdefault((side.side, slot), {}))
            if built is None:
                continue
            row, problems = built
            for fname, text in shared.items():
                row[fname] = _typed(text, fields.get(fname, {}))
            row["line_no"] = i
            if side.side is not None:
                row[concept.side_field] = side.side
            if concept.layout == "column_groups":
                row["column_group"] = (
                    slot + 1 + sum(1 for s, _ in slots if concept.sides.index(s) < concept.sides.index(side))
                )
            row["page"] = page
            out.rows.append(row)
            for p in problems:
                where = f"line {i}{_row_name(row)}, column {column_title(found, p.column)!r}"
                text = f"{where}: printed {p.printed!r}, {p.why}; the value is left empty"
                out.warnings.append(Warning_(p.code, text, page, name))
    if concept.vocabulary and "code" in fields:
        for row in out.rows:
            if not row.get("code"):
                _code_from_label(row)
    _classify(out.rows, concept, organisation)
    if concept.layout == "statistics":
        _sections(out.rows, _header_section(found), found.money_unit or DEFAULT_MONEY_UNIT)
    if "quantity_unit" in fields:
        for row in out.rows:
            row["quantity_unit"] = printed_unit(row.get("item") or "")
    out.rows = [{f: r.get(f) for f in fields} for r in out.rows]
    if found.money_unit is None:
        out.warnings.append(
            Warning_(
                "unit-not-printed",
                f"the table prints no money unit; {DEFAULT_MONEY_UNIT}, the unit of its template, is assumed",
                table=name,
            )
        )
    return out


def _extra_field(number: int, title: str, values: list[str]) -> dict:
    """A field for a printed column the concept has no field for: its printed title,
    a number (in the table's money unit) when every value it prints is an amount."""
    amounts = values and all(a.value is not None or a.reason == "not-applicable" for a in map(parse_amount, values))
    spec = {
        "name": f"{EXTRA_FIELD_PREFIX}{number}",
        "title": title,
        "description": "A column this table prints beyond its schema, under its printed title.",
    }
    if amounts:
        return {**spec, "type": "number", "unit": DEFAULT_MONEY_UNIT}
    return {**spec, "type": "string"}


def spread_merged_labels(found: FoundTable, assigned: dict[int, Placement], fields: dict[str, dict]) -> list[list[str]]:
    """The body with each merged label cell where its lines read it. A label merged over
    several lines (一般公共预算资金 over its 小计 and items, a 类 over its 款) belongs to
    every line it spans; a label merged across column groups (当年支出小计 over 功能分类
    and 支出用途, its amount printed under 支出用途) belongs to the group the merge ends
    in, whose amount it names. Only label columns are filled, and only in lines that
    print something else in that column group: an amount is never copied, and a label
    alone makes no record that was not printed."""

    def is_label(j: int) -> bool:
        p = assigned.get(j)
        return p is not None and p.side is not None and fields.get(p.field, {}).get("type") not in ("number", "integer")

    body = [list(r) for r in found.body]
    for r, c, rs, cs in found.body_merges:
        text = found.body[r][c] if c < len(found.body[r]) else ""
        if not text.strip() or not is_label(c):
            continue
        groups = [(assigned[j].side, assigned[j].slot) for j in range(c, c + cs) if j in assigned]
        col = next(
            (
                j
                for j in range(c, c + cs)
                if is_label(j) and groups and (assigned[j].side, assigned[j].slot) == groups[-1]
            ),
            c,
        )
        body[r][c], body[r][col] = "", text
        own = (assigned[col].side, assigned[col].slot)
        group = [j for j, p in assigned.items() if j != col and (p.side, p.slot) == own]
        for i in range(r + 1, min(r + rs, len(body))):
            prints = any(j < len(body[i]) and body[i][j].strip() for j in group)
            if col < len(body[i]) and not body[i][col].strip() and prints:
                body[i][col] = text
    return body


def column_title(found: FoundTable, j: int) -> str:
    """The labels over a printed column, outermost first, as a reader names it
    (公用经费/决算数); a heading over every column (一、政府采购情况) is left out."""
    paths = [set(p) for p in found.column_labels if p]
    everywhere = set.intersection(*paths) if len(paths) > 1 else set()
    path = found.column_labels[j] if j < len(found.column_labels) else []
    return "/".join(x for x in path if x not in everywhere) or "/".join(path) or f"#{j + 1}"


def _repeats_header(cells: list[str], header_cells: set[str]) -> bool:
    """A body row made only of header labels is the header printed again."""
    texts = [squash(c) for c in cells if squash(c)]
    return bool(texts) and len(texts) >= 2 and all(t in header_cells for t in texts)


def _typed(text: str, spec: dict):
    if spec.get("type") == "integer":
        return whole_number(text)
    if spec.get("type") == "number":
        return parse_amount(text).value
    return text or None


def whole_number(text: str) -> int | None:
    """A printed whole number (序号, 行次, counts), or None. ``isdecimal``, not
    ``isdigit``: circled and superscript digits (①, ²) are digits to ``isdigit`` but
    no number to ``int``."""
    text = text.strip()
    return int(text) if text.isdecimal() else None


@dataclass(frozen=True)
class _CellProblem:
    """A cell whose printed text gave no value: its printed column, the warning code,
    the text and why it is no value, in words a publisher reads."""

    column: int
    code: str
    printed: str
    why: str


def _row(
    cells: list[str], cols: dict[int, Placement], fields: dict[str, dict], codes_above: dict
) -> tuple[dict, list[_CellProblem]] | None:
    """One record of a printed row from its placed columns, and the cells that gave no
    value; None for a row that prints nothing in these columns. ``codes_above`` holds,
    per joined field, the last code completed at each depth (类, 款, 项) in the rows
    above, for the parts a table prints without their class."""
    row: dict = {}
    problems: list[_CellProblem] = []
    printed_any = False
    depth: dict[str, int] = {}
    starts: dict[str, int] = {}
    for j, p in cols.items():
        if j >= len(cells):
            continue
        fname = p.field
        text = cells[j].strip()
        if p.join is not None:
            part = _joined_part(text, p.join)
            if part and fname not in starts:
                starts[fname] = depth.get(fname, 0)
            depth[fname] = depth.get(fname, 0) + 1
            row[fname] = (row.get(fname) or "") + part or None
            printed_any = printed_any or bool(part)
            continue
        if text:
            printed_any = True
        spec = fields.get(fname, {})
        if spec.get("type") == "number":
            amount = parse_amount(text)
            row[fname] = amount.value
            if amount.reason == "not-applicable":
                problems.append(_CellProblem(j, "not-applicable", amount.printed, "which marks it as not applicable"))
            elif amount.reason == "unreadable":
                problems.append(_CellProblem(j, "unreadable-number", amount.printed, "which is not one amount"))
        elif spec.get("type") == "integer":
            row[fname] = whole_number(text)
            if text and row[fname] is None:
                problems.append(_CellProblem(j, "unreadable-number", text, "which is not a whole number"))
        else:
            row[fname] = clean_text(text) or None
    if not printed_any:
        return None
    for fname, start in starts.items():
        row[fname] = _completed_code(row[fname], start, codes_above.setdefault(fname, {}))
    if "code" in row:
        _split_code(row, "name" if "name" in fields else "economic_name")
    return row, problems


def _completed_code(code: str, start: int, above: dict[int, str]) -> str:
    """A code printed as its parts in 类 | 款 | 项 columns, completed where the table
    prints a part without the parts before it (08 in the 款 column under 201): the code
    of the line above at the depth before completes it. Remembers the code at its
    depth for the lines below."""
    if start and code.isdecimal() and len(code) % 2 == 0 and above.get(start - 1):
        code = above[start - 1] + code
    if CODE_RX.match(code):
        level = (len(code) - 3) // 2
        above[level] = code
        for deeper in [d for d in above if d > level]:
            del above[deeper]
    return code


#: A code printed in front of its name, set off by brackets ([201]一般公共服务支出) or a dash
#: (30101-基本工资); digits run into a name (110指挥中心) are part of the name.
CODED_LABEL_RX = re.compile(
    r"^(?:[\[【(（](\d{3}(?:\d{2}){0,2})[\]】)）]|(\d{3}(?:\d{2}){0,2})\s*[-－—_])\s*([^\W\d_].*)$"
)


def _code_from_label(row: dict) -> None:
    """A code printed in front of its name in one cell ([201]一般公共服务支出,
    30101-基本工资): the code to ``code`` (with its level and parent), the name left."""
    for name in ("name", "economic_name"):
        m = CODED_LABEL_RX.match(squash(row.get(name) or ""))
        if m:
            row["code"], row[name] = m.group(1) or m.group(2), m.group(3)
            row["level"] = code_level(row["code"])
            row["parent_code"] = parent_code(row["code"])
            return


def _row_name(row: dict) -> str:
    """The printed row's code and label in brackets (` (30201 办公费)`), as a reader
    finds it in the table; empty for a row that prints neither."""
    label = next((row[f] for f in LABEL_FIELDS if row.get(f)), None)
    name = " ".join(str(x) for x in (row.get("code"), label) if x)
    return f" ({name})" if name else ""


def _joined_part(text: str, rule: ColumnRule) -> str:
    """One column's part of a joined value; the column's own label (类, 款, 项) printed
    on a body line, as some tables print it beside their 合计 line, is no part of it."""
    part = squash(text)
    return "" if rule.matches(part) else part


def _split_code(row: dict, name: str) -> None:
    """Put a code and its level/parent in place; a label printed in the code column
    (合计 spans code and name) moves to the name (``name``: the schema's field for it)."""
    code = squash(row.get("code") or "")
    if not code:
        row["code"] = None
        return
    m = re.match(r"^(\d{3}(?:\d{2}){0,2})(\D.*)?$", code)
    if m and CODE_RX.match(m.group(1)):
        row["code"] = m.group(1)
        if m.group(2) and not row.get(name):
            row[name] = m.group(2).lstrip("-－—_")
        row["level"] = code_level(row["code"])
        row["parent_code"] = parent_code(row["code"])
    else:
        row["code"] = None
        row[name] = code + (row.get(name) or "")


def _label(row: dict) -> str:
    return squash(next((row[f] for f in LABEL_FIELDS if row.get(f)), "") or "")


def _classify(rows: list[dict], concept: Concept, organisation: str | None) -> None:
    """Set ``row_kind``: totals by their label, subtotals by structure (a code with
    children, an economic class line, a line followed by its ①② components, a unit's
    group line in project tables)."""
    codes = [r.get("code") for r in rows if r.get("code")]
    groups = _purchase_groups(rows) if any("item_name" in r for r in rows) else set()
    for k, row in enumerate(rows):
        label = _label(row)
        code = row.get("code")
        kind = "data"
        if TOTAL_LABEL_RX.match(label) or (label.endswith(("合计", "总计", "总额")) and not code):
            kind = "total"
        elif not label and _says_only_total(row):
            kind = "total"
        elif label.endswith("小计"):
            kind = "subtotal"
        elif code and any(c != code and c.startswith(code) for c in codes):
            kind = "subtotal"
        elif k in groups:
            kind = "subtotal"
        elif (
            concept.layout == "economic" and row.get("economic_name") and not row.get("gov_economic_name") and not code
        ):
            kind = "subtotal"
        elif concept.layout == "items":
            nxt = rows[k + 1] if k + 1 < len(rows) else None
            if nxt is not None and COMPONENT_RX.match(_label(nxt)) and not COMPONENT_RX.match(label):
                kind = "subtotal"
            elif "project_name" in row and (label == squash(organisation or "-") or ORG_SUFFIX_RX.search(label)):
                kind = "subtotal"
        row["row_kind"] = kind


def _says_only_total(row: dict) -> bool:
    """A line without a label whose only words are a total's (合计 printed in another
    column than the names: a 政府采购 table's catalogue code, a 政府购买服务 category)."""
    words = [w for k, v in row.items() if k != "row_kind" and isinstance(v, str) and (w := squash(v))]
    return bool(words) and all(TOTAL_LABEL_RX.match(w) for w in words)


def _purchase_groups(rows: list[dict]) -> set[int]:
    """Procurement tables: the lines that group purchases. A group line names a class,
    project or economic item and carries an amount but no purchase (no item bought, no
    way of buying it); it heads the purchase lines that follow it, directly or under
    further group lines (一、货物 over 信息网络建设费 over PC服务器 …), and carries
    their sum. A bare line with no purchase after it is a line of its own."""
    out: set[int] = set()
    leads_to_purchases = False
    for k in range(len(rows) - 1, -1, -1):
        row = rows[k]
        if any(row.get(f) not in (None, "") for f in PURCHASE_FIELDS):
            leads_to_purchases = True
        elif (
            _label(row) and any(isinstance(v, Decimal) for v in row.values()) and not TOTAL_LABEL_RX.match(_label(row))
        ):
            if leads_to_purchases:
                out.add(k)
        else:
            leads_to_purchases = False
    return out


SECTION_RX = re.compile(r"^[一二三四五六七八九十]+[、.．]")
NUMBERED_PART_RX = re.compile(r"^\d+[.．、]")
UNIT_IN_ITEM_RX = re.compile(
    r"[(（]((?:平方米|辆|台|套|个|人|万元|元|台[、,，]?辆|台[、,，（(]?套[)）]?|部|处|栋|亩)+)[)）]"
)


def printed_unit(item: str) -> str | None:
    """The unit an item names in brackets: 车辆数合计(辆) → 辆, 房屋（平方米） → 平方米."""
    m = UNIT_IN_ITEM_RX.search(item)
    return m.group(1) if m else None


def _header_section(found: FoundTable) -> str | None:
    """A section heading printed in the header, above the column labels (一、政府采购情况
    in 公开10表): the section of the body's first lines."""
    for cells in found.header:
        texts = [clean_text(c) for c in cells if c.strip()]
        if len(texts) == 1 and SECTION_RX.match(squash(texts[0])):
            return texts[0]
    return None


def _sections(rows: list[dict], section: str | None, money_unit: str) -> None:
    """Statistics tables: section headings become the ``section`` of the lines under
    them (the first lines are under the heading printed in the header, if any). A
    line's unit is the one its item prints, or the one of the line it is a numbered
    part of; money sections (经费, 采购) are in the table's money unit; otherwise null:
    the document does not say."""
    parent_unit = None
    for row in rows:
        item = squash(row.get("item") or "")
        if SECTION_RX.match(item) and row.get("value") is None and row.get("row_no") is None:
            section = row.get("item")
            parent_unit = None
            row["row_kind"] = "subtotal"
        row["section"] = section
        unit = printed_unit(item)
        if unit and not NUMBERED_PART_RX.match(item):
            parent_unit = unit
        elif unit is None and NUMBERED_PART_RX.match(item):
            unit = parent_unit
        if unit is None and re.search(r"经费|采购|金额", squash(section or "")):
            unit = money_unit
        row["unit"] = unit


def with_unit(schema: dict, unit: str) -> dict:
    """The schema with its money fields in the unit this table prints."""
    out = copy.deepcopy(schema)
    out["description"] = out.get("description", "").replace(f"Money in {DEFAULT_MONEY_UNIT}", f"Money in {unit}")
    for f in out["fields"]:
        if "unit" in f:
            f["unit"] = unit
            f["description"] = f.get("description", "").replace(f"Amount in {DEFAULT_MONEY_UNIT}", f"Amount in {unit}")
    return out


def standard_resources(mapped: list[MappedTable]) -> list[ResourceData]:
    """Each mapped table as a resource named by its concept (a second table of one concept
    gets ``_2``), its money fields in the unit it prints."""
    out: list[ResourceData] = []
    seen: dict[str, int] = {}
    for m in mapped:
        unit = m.found.money_unit or DEFAULT_MONEY_UNIT
        name = m.concept.resource
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            name = f"{name}_{seen[name]}"
        extra = {
            "budgetpack:concept": m.concept.key,
            "budgetpack:status": m.status,
            "budgetpack:label": m.found.label,
            "budgetpack:pages": m.found.pages,
            "budgetpack:money_unit": unit,
        }
        out.append(ResourceData(name, m.found.title or m.concept.resource, with_unit(m.schema, unit), m.rows, extra))
    return out
