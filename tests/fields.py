"""Where each printed column of a truth table belongs in the package: the field, the
side (收入/支出, 预算数/决算数, 人员经费/公用经费) and the column group, as written down
by reading the printed headers in ``tests/printed_columns.py``, independently of the
concept map and the mapping code it checks.

The row-by-row comparison in ``truth.py`` sees a line's values as a bag, so a number
landing in the wrong column of the right line would pass it; this module states, for
each printed line, the records the package must hold and the value of each of their
fields, so that a value in the wrong field, on the wrong side or in the wrong column
group fails.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from converters.text import CODE_RX, COLUMN_NUMBER_RX
from converters.values import parse_amount
from tests.printed_columns import PRINTED_COLUMNS

#: The parts a code is printed in; a body cell printing one labels its column.
CODE_PARTS = {"类", "款", "项"}
#: One entry of ``PRINTED_COLUMNS``: ``*`` shared, ``side.``, the field, ``+`` joined, ``@group``.
PLACEMENT_RX = re.compile(r"(?P<shared>\*)?(?:(?P<side>[a-z]+)\.)?(?P<field>\w+?)(?P<join>\+)?(?:@(?P<group>\d+))?")
#: The field naming a record's side, by the sides a table prints (the schemas' enums).
SIDE_FIELDS = {
    "income": "side",
    "expenditure": "side",
    "budget": "stage",
    "final": "stage",
    "personnel": "category",
    "public": "category",
}
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
    ``labels`` is set for a field printed over several columns (类 | 款 | 项) whose
    texts join: the labels a body cell may print there without it being a part (the
    header labels over the column, 类, 款 and 项)."""

    side: str | None
    field: str
    group: int
    shared: bool = False
    labels: frozenset[str] | None = None


@dataclass
class ColumnMap:
    """Placement of each printed column, the printed columns (index, header path) no
    entry of ``PRINTED_COLUMNS`` is written for, and the field naming each record's
    side (``side``, ``stage``, ``category``)."""

    placements: dict[int, Placement]
    unwritten: list[tuple[int, str]]
    side_field: str
    grouped: bool


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


def placement(entry: str, path: list[str]) -> Placement:
    """One written entry of ``PRINTED_COLUMNS`` as a placement of the column under ``path``."""
    m = PLACEMENT_RX.fullmatch(entry)
    assert m, f"malformed entry {entry!r} in tests/printed_columns.py"
    return Placement(
        m["side"],
        m["field"],
        int(m["group"] or 0),
        shared=bool(m["shared"]),
        labels=frozenset(path) | CODE_PARTS if m["join"] else None,
    )


def map_columns(table: dict, concept_key: str) -> ColumnMap:
    """Each printed column to the place ``PRINTED_COLUMNS`` writes for its header path
    in the concept (the n-th column printing a path takes the path's n-th entry)."""
    written = PRINTED_COLUMNS.get(concept_key, {})
    placements: dict[int, Placement] = {}
    unwritten: list[tuple[int, str]] = []
    seen: Counter = Counter()
    for j, path in enumerate(column_paths(table)):
        key = " › ".join(path)
        entries = written.get(key, [])
        entries = [entries] if isinstance(entries, str) else entries
        if seen[key] < len(entries):
            placements[j] = placement(entries[seen[key]], path)
        else:
            unwritten.append((j, key))
        seen[key] += 1
    side_fields = {SIDE_FIELDS[p.side] for p in placements.values() if p.side}
    assert len(side_fields) <= 1, f"{concept_key}: sides of several kinds {side_fields}"
    grouped = any(p.group for p in placements.values())
    return ColumnMap(placements, unwritten, next(iter(side_fields), "side"), grouped)


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
        if p.labels is not None and text in p.labels:
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
