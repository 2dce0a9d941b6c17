"""Found tables to schema rows: printed columns to fields by their header labels,
cells to typed values, and each row's kind (data, subtotal, total).

Columns are matched by label, never by position, so a table with an extra or missing
column still maps; a printed column that matches no field is reported with every value
it held, never dropped silently.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .concepts import Concept, Side
from .model import Warning_
from .recognise import TOTAL_LABEL_RX, FoundTable, squash
from .values import CODE_RX, code_level, parent_code, parse_amount

LABEL_FIELDS = ("item", "name", "economic_name", "unit_name", "project_name")
COMPONENT_RX = re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩]|其中[:：]?|\d+[.、])")
ORG_SUFFIX_RX = re.compile(r"(局|院|厅|委|委员会|办公室|办事处|中心|所|站|队|馆|部|署|会|处|室|政府|街道|法院|检察院|分局)(本级|机关)?$")


@dataclass
class MappedTable:
    """Rows of one standard table in its schema's field names, and what went wrong."""

    found: FoundTable
    concept: Concept
    rows: list[dict] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)

    @property
    def status(self) -> str:
        """``empty`` when printed as empty (注：本表无数据) or without a single amount."""
        has_amount = any(isinstance(v, Decimal) for r in self.rows for v in r.values())
        return "empty" if self.found.empty_note or not has_amount else "found"


def assign_columns(found: FoundTable, concept: Concept) -> tuple[dict[int, tuple[Side, str]], list[int]]:
    """Printed column index -> (side, field); and the columns no rule matched."""
    assigned: dict[int, tuple[Side, str]] = {}
    unmatched: list[int] = []
    taken: set[tuple[str | None, str]] = set()
    for j, path in enumerate(found.column_labels):
        side = _side_of(path, concept)
        leaf = path[-1] if path else ""
        hit = None
        if side is not None and leaf:
            for rule in side.columns:
                if (side.side, rule.field) not in taken and rule.matches(leaf):
                    hit = rule.field
                    break
        if hit is None:
            unmatched.append(j)
            continue
        taken.add((side.side, hit))
        assigned[j] = (side, hit)
    return assigned, unmatched


def _side_of(path: list[str], concept: Concept) -> Side | None:
    if len(concept.sides) == 1:
        return concept.sides[0]
    for side in concept.sides:
        if side.group is not None and any(side.group.fullmatch(p) for p in path[:-1] or path):
            return side
    return None


def map_table(found: FoundTable, concept: Concept, organisation: str | None) -> MappedTable:
    out = MappedTable(found, concept)
    fields = {f["name"]: f for f in concept.schema["fields"]}
    assigned, unmatched = assign_columns(found, concept)
    name = concept.resource
    for j in unmatched:
        values = [r[j] for r in found.body if j < len(r) and r[j].strip()]
        label = "/".join(found.column_labels[j]) or f"#{j + 1}"
        if values:
            out.warnings.append(Warning_("column-not-placed", f"printed column {label!r} matches no field; its {len(values)} values are not in the data: {values[:20]}", table=name))
    for rule_field in {(s.side, c.field) for s in concept.sides for c in s.columns} - {(s.side, f) for s, f in assigned.values()}:
        out.warnings.append(Warning_("column-missing", f"no printed column found for field {rule_field[1]!r}" + (f" on the {rule_field[0]} side" if rule_field[0] else ""), table=name))

    for i, (cells, page) in enumerate(zip(found.body, found.body_pages), start=1):
        for side in concept.sides:
            row = _row(cells, side, assigned, fields, out, name, page)
            if row is None:
                continue
            row["line_no"] = i
            if side.side is not None:
                row["side"] = side.side
            row["page"] = page
            out.rows.append(row)
    _classify(out.rows, concept, organisation)
    out.rows = [{f: r.get(f) for f in fields} for r in out.rows]
    return out


def _row(cells: list[str], side: Side, assigned: dict[int, tuple[Side, str]], fields: dict[str, dict],
         out: MappedTable, table: str, page: int | None) -> dict | None:
    row: dict = {}
    printed_any = False
    for j, (s, fname) in assigned.items():
        if s is not side or j >= len(cells):
            continue
        text = cells[j].strip()
        if text:
            printed_any = True
        spec = fields.get(fname, {})
        if spec.get("type") == "number":
            amount = parse_amount(text)
            row[fname] = amount.value
            if amount.reason == "not-applicable":
                out.warnings.append(Warning_("not-applicable", f"cell {fname!r} printed {amount.printed!r} (not applicable): null", page, table))
            elif amount.reason == "unreadable":
                out.warnings.append(Warning_("unreadable-number", f"cell {fname!r} printed {amount.printed!r}, not a number: null", page, table))
        else:
            row[fname] = text or None
    if not printed_any:
        return None
    if "code" in row:
        _split_code(row)
    return row


def _split_code(row: dict) -> None:
    """Put a code and its level/parent in place; a label printed in the code column
    (合计 spans code and name) moves to the name."""
    code = squash(row.get("code") or "")
    if not code:
        row["code"] = None
        return
    m = re.match(r"^(\d{3}(?:\d{2}){0,2})(\D.*)?$", code)
    if m and CODE_RX.match(m.group(1)):
        row["code"] = m.group(1)
        if m.group(2) and not row.get("name"):
            row["name"] = m.group(2)
        row["level"] = code_level(row["code"])
        row["parent_code"] = parent_code(row["code"])
    else:
        row["code"] = None
        row["name"] = (code + (row.get("name") or "")) if not row.get("name") else code + row["name"]


def _label(row: dict) -> str:
    return squash(next((row[f] for f in LABEL_FIELDS if row.get(f)), "") or "")


def _classify(rows: list[dict], concept: Concept, organisation: str | None) -> None:
    """Set ``row_kind``: totals by their label, subtotals by structure (a code with
    children, an economic class line, a line followed by its ①② components, a unit's
    group line in project tables)."""
    codes = [r.get("code") for r in rows if r.get("code")]
    for k, row in enumerate(rows):
        label = _label(row)
        code = row.get("code")
        kind = "data"
        if TOTAL_LABEL_RX.match(label) or (label.endswith(("合计", "总计")) and not code):
            kind = "total"
        elif code and any(c != code and c.startswith(code) for c in codes):
            kind = "subtotal"
        elif concept.layout == "economic" and row.get("economic_name") and not row.get("gov_economic_name") and not code:
            kind = "subtotal"
        elif concept.layout == "items":
            nxt = rows[k + 1] if k + 1 < len(rows) else None
            if nxt is not None and COMPONENT_RX.match(_label(nxt)) and not COMPONENT_RX.match(label):
                kind = "subtotal"
            elif "project_name" in row and (label == squash(organisation or "-") or ORG_SUFFIX_RX.search(label)):
                kind = "subtotal"
        row["row_kind"] = kind
