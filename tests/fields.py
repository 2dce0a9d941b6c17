"""Where each printed column of a truth table belongs in the package: the field, the
side (收入/支出, 预算数/决算数, 人员经费/公用经费) and the column group, worked out from
the truth's own header and the concept map's column labels (``schemas/concepts.json``).

The row-by-row comparison in ``truth.py`` sees a line's values as a bag, so a number
landing in the wrong column of the right line would pass it; this module states, for
each printed line, the records the package must hold and the value of each of their
fields, so that a value in the wrong field, on the wrong side or in the wrong column
group fails.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from converters.values import parse_amount

CONCEPT_MAP = json.loads((Path(__file__).parent.parent / "schemas" / "concepts.json").read_text(encoding="utf-8"))
#: Header cells that number the columns (栏次, 1 2 3 …, A B C): no labels.
COLUMN_NUMBER_RX = re.compile(r"^(\d{1,2}|栏次|[A-Z])$")
#: A code as printed in full: 类 (3 digits), 款 (5), 项 (7).
CODE_RX = re.compile(r"^\d{3}(\d{2}){0,2}$")
#: Fields the converter derives from the printed ones, or where the line was printed.
NOT_PRINTED = {
    "line_no",
    "page",
    "level",
    "parent_code",
    "row_kind",
    "section",
    "unit",
    "quantity_unit",
    "column_group",
}


def squash(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


@dataclass(frozen=True)
class Placement:
    """A printed column's place in the package: ``field`` of the records of ``side``
    (None: the one side of a single-sided table, or shared by all sides of the line)
    in column group ``group`` (1 = leftmost group; 0 in tables without groups).
    ``join`` marks a field printed over several columns (类 | 款 | 项) whose texts join."""

    side: str | None
    field: str
    group: int
    shared: bool = False
    join: re.Pattern | None = None


@dataclass
class ColumnMap:
    """Placement of each printed column, the printed columns that have none, and the
    field naming each record's side (``side``, ``stage``, ``category``)."""

    placements: dict[int, Placement]
    unplaced: list[int]
    side_field: str
    grouped: bool


def concept_entry(key: str) -> dict:
    family, resource = key.split("/")
    return next(t for t in CONCEPT_MAP["families"][family]["tables"] if t["resource"] == resource)


def column_paths(table: dict) -> list[list[str]]:
    """For each printed column, the header labels over it, outermost first (a merged
    label over every column it spans), column numbers left out."""
    header = table["header_rows"]
    owner = {(i, j): (r, c) for r, c, rs, cs in table["merges"] for i in range(r, r + rs) for j in range(c, c + cs)}
    paths = []
    for j in range(len(header[0]) if header else 0):
        path: list[str] = []
        for i in range(len(header)):
            oi, oj = owner.get((i, j), (i, j))
            text = squash(header[oi][oj])
            if text and not COLUMN_NUMBER_RX.match(text) and (not path or path[-1] != text):
                path.append(text)
        paths.append(path)
    return paths


def _side(path: list[str], sides: list[dict]) -> tuple[dict | None, str]:
    """The side a column is printed under (its group label above the column, or as
    the leaf under an item label: 合计 › 预算数) and the label that names its field."""
    leaf = path[-1] if path else ""
    if len(sides) == 1:
        return sides[0], leaf
    for side in sides:
        if any(re.fullmatch(side["group"], p) for p in path[:-1]):
            return side, leaf
    for side in sides:
        if len(path) >= 2 and re.fullmatch(side["group"], leaf):
            return side, path[-2]
    return None, leaf


def map_columns(table: dict, concept_key: str) -> ColumnMap:
    """Each printed column to the first field of its side whose label rule it fits and
    that no column left of it took; in tables printed as repeated column groups a
    taken field again, in the next group. Groups are numbered left to right."""
    entry = concept_entry(concept_key)
    sides = entry.get("sides") or [{"side": None, "group": None, "columns": entry["columns"]}]
    grouped = entry["layout"] == "column_groups"
    placed: dict[int, tuple[str | None, str, int, re.Pattern | None]] = {}
    shared: dict[int, str] = {}
    unplaced: list[int] = []
    taken: dict[tuple[str | None, str], int] = {}
    for j, path in enumerate(column_paths(table)):
        leaf = path[-1] if path else ""
        rule = next((r for r in entry.get("shared", []) if leaf and re.fullmatch(r["header"], leaf)), None)
        if rule is not None and rule["field"] not in shared.values():
            shared[j] = rule["field"]
            continue
        side, label = _side(path, sides)
        before = placed.get(j - 1)
        if (
            side is not None
            and before
            and before[3] is not None
            and before[0] == side["side"]
            and before[3].fullmatch(label)
        ):
            placed[j] = before
            continue
        fits = [r for r in (side["columns"] if side and label else []) if re.fullmatch(r["header"], label)]
        free = [r for r in fits if (side["side"], r["field"]) not in taken]
        rule = (free or (fits if grouped else []) or [None])[0]
        if rule is None:
            unplaced.append(j)
            continue
        key = (side["side"], rule["field"])
        slot = taken.get(key, 0)
        taken[key] = slot + 1
        placed[j] = (side["side"], rule["field"], slot, re.compile(rule["header"]) if rule.get("join") else None)
    order = list(dict.fromkeys((s, slot) for s, _, slot, _ in placed.values()))
    placements = {
        j: Placement(s, f, order.index((s, slot)) + 1 if grouped else 0, join=join)
        for j, (s, f, slot, join) in placed.items()
    }
    placements.update({j: Placement(None, f, 0, shared=True) for j, f in shared.items()})
    return ColumnMap(dict(sorted(placements.items())), unplaced, entry.get("side_field", "side"), grouped)


def expected_records(cells: list[str], columns: ColumnMap) -> dict[tuple[str | None, int], dict[str, str]]:
    """The records one printed line makes, by (side, group): the printed text of each of
    their fields (joined parts concatenated; a part that is the column's own label, as
    some tables print beside 合计, is no part). A side or group that prints nothing on
    the line makes no record."""
    records: dict[tuple[str | None, int], dict[str, str]] = {}
    printed: set[tuple[str | None, int]] = set()
    for j, p in columns.placements.items():
        if p.shared:
            continue
        text = squash(cells[j])
        if p.join is not None and p.join.fullmatch(text):
            text = ""
        record = records.setdefault((p.side, p.group), {})
        record[p.field] = record.get(p.field, "") + text
        if text:
            printed.add((p.side, p.group))
    shared = {p.field: squash(cells[j]) for j, p in columns.placements.items() if p.shared}
    return {key: {**fields, **shared} for key, fields in records.items() if key in printed}


def spread_merges(rows: list[list[str]], merges: list[list[int]], columns: ColumnMap, schema: dict) -> list[list[str]]:
    """The truth rows with each merged body label where the package reads it: down
    every line a label merged over several lines spans, and, for a label merged
    across column groups, in the label column of the group the merge ends in. Amount
    columns are never filled."""
    types = {f["name"]: f["type"] for f in schema["fields"]}

    def label(j: int) -> bool:
        p = columns.placements.get(j)
        return p is not None and not p.shared and types.get(p.field) == "string"

    out = [list(r) for r in rows]
    for r, c, rs, cs in merges:
        text = rows[r][c]
        if not squash(text) or not label(c):
            continue
        spanned = [j for j in range(c, c + cs) if j in columns.placements]
        last = columns.placements[spanned[-1]]
        col = next(
            (
                j
                for j in spanned
                if label(j) and (columns.placements[j].side, columns.placements[j].group) == (last.side, last.group)
            ),
            c,
        )
        out[r][c], out[r][col] = "", text
        for i in range(r + 1, r + rs):
            out[i][col] = out[i][col] or text
    return out


def field_problems(want: dict[str, str], got: dict[str, str], schema: dict) -> list[str]:
    """Fields of one record whose package value is not the printed one: amounts as
    numbers, texts with white space removed; a code and its name together (a label
    printed across both, like 合计, is the name), the code being the printed code when
    one is printed whole. Fields no column placed must be empty."""
    types = {f["name"]: f["type"] for f in schema["fields"]}
    want = dict(want)
    problems = []
    if "code" in want:
        code, name = want.pop("code"), want.pop("name", "")
        got_code, got_name = squash(got.get("code")), squash(got.get("name"))
        if got_code + got_name != code + name or got_code != (code if CODE_RX.match(code) else ""):
            problems.append(f"code/name printed {code!r}/{name!r}, package has {got_code!r}/{got_name!r}")
    for name, text in want.items():
        value = got.get(name) or ""
        if types.get(name) == "number":
            printed = parse_amount(text).value
            ok = (Decimal(value) if value else None) == printed
        else:
            ok = squash(value) == text
        if not ok:
            problems.append(f"{name} printed {text!r}, package has {value!r}")
    return problems


def unplaced_fields(columns: ColumnMap, schema: dict, side: str | None) -> set[str]:
    """Fields of a side's records no printed column goes to: they stay empty."""
    placed = {p.field for p in columns.placements.values() if p.shared or p.side == side}
    if "code" in placed:
        placed.add("name")
    return {f["name"] for f in schema["fields"]} - placed - NOT_PRINTED - {columns.side_field}
