"""Records shared by the table rules (``checks.py``) and the narrative rules
(``narrative.py``): a finding, a rule as read from ``schemas/checks.json``, a mapped
table seen through the eyes of a check, and the selection of one figure from a table.

Checks only read: nothing here changes a row. A table that was not found is absent
(rules that need it are skipped); a table printed empty counts as all zeros, because
that is what its publisher asserts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from .concepts import DEFAULT_MONEY_UNIT
from .mapping import LABEL_FIELDS, MappedTable
from .model import DocumentBlocks
from .text import ASCII_BRACKETS, squash

if TYPE_CHECKING:
    from .narrative import Sentence

Severity = str  # "error" | "warning" | "info"
ZERO = Decimal(0)
CENT = Decimal("0.01")
IN_WAN = {"元": Decimal("0.0001"), "千元": Decimal("0.1"), "万元": Decimal(1), "亿元": Decimal(10000)}
NUMBERING_RX = re.compile(
    r"^([一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d)|[①②③④⑤⑥⑦⑧⑨⑩]|其中[:：]?)+"
)
DOUBT_CODES = {"unreadable-number"}
PAREN_MAP = {**ASCII_BRACKETS, **str.maketrans({"“": "", "”": "", '"': ""})}


def plain(text: str | None) -> str:
    """A label as checks compare it: no white space, ASCII parentheses, no quotes,
    no leading numbering (一、 (一) 1、 ① 其中：)."""
    return NUMBERING_RX.sub("", squash(text or "").translate(PAREN_MAP))


@dataclass
class Finding:
    """One thing a check found. ``expected`` is what the rule says the figure should be
    (a sum, the same figure in another table), ``found`` the figure printed,
    ``difference`` = found − expected; all in ``unit``. Narrative findings carry the
    sentence and its page; table findings the page of the first row involved."""

    rule: str
    severity: Severity
    tables: list[str]
    rows: list[str]
    expected: Decimal | None
    found: Decimal | None
    tolerance: Decimal | None
    unit: str | None
    message_zh: str
    message_en: str
    page: int | None = None
    sentence: str | None = None

    @property
    def difference(self) -> Decimal | None:
        if self.expected is None or self.found is None:
            return None
        return self.found - self.expected

    def as_dict(self) -> dict:
        """For report.json: exact decimals as strings, so no digit is lost."""
        out = {
            "rule": self.rule,
            "severity": self.severity,
            "tables": self.tables,
            "rows": self.rows,
            "expected": _s(self.expected),
            "found": _s(self.found),
            "difference": _s(self.difference),
            "tolerance": _s(self.tolerance),
            "unit": self.unit,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "message": f"{self.message_zh} / {self.message_en}",
        }
        if self.page is not None:
            out["page"] = self.page
        if self.sentence is not None:
            out["sentence"] = self.sentence
        return out


def _s(v: Decimal | None) -> str | None:
    return None if v is None else format(v, "f")


@dataclass(frozen=True)
class Rule:
    """One entry of ``schemas/checks.json``: which kind of check, on which tables, with
    which parameters, and why the template implies it (``description``)."""

    id: str
    kind: str
    severity: Severity
    description: str
    tables: tuple[str, ...]
    params: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass
class Table:
    """A table as checks read it: rows with amounts in ``unit`` (blanks read as zero),
    the fields it printed per side, and whether its reading is in doubt. Built from a
    mapped standard table or from rows another stage extracted (performance tables)."""

    key: str
    resource: str
    name: str
    rows: list[dict]
    schema: dict
    unit: str = DEFAULT_MONEY_UNIT
    empty: bool = False
    doubtful: bool = False
    pages: list[int] = field(default_factory=list)
    printed: dict[str | None, set[str]] | None = None

    @classmethod
    def of_mapped(cls, m: MappedTable) -> Table:
        """A standard table, with the columns it printed outside its schema (``extra_n``,
        as the package holds them); ``doubtful`` when the mapper left printed values out (a
        column it could not place, a number it could not read): a sum that does not add
        up may then be its doing."""
        found = m.found
        return cls(
            m.concept.key,
            m.concept.resource,
            m.concept.label or found.label or found.title or m.concept.resource,
            m.rows,
            m.schema,
            found.money_unit or DEFAULT_MONEY_UNIT,
            m.status == "empty",
            any(w.code in DOUBT_CODES for w in m.warnings),
            found.pages,
            _printed(m),
        )

    def side_rows(self, side: str | None) -> list[dict]:
        return [r for r in self.rows if side is None or r.get("side") == side]

    def money_fields(self, side: str | None = None) -> list[str]:
        """Number fields the table printed (on ``side``), in schema order."""
        printed = self.printed_fields(side)
        return [f["name"] for f in self.schema["fields"] if f["type"] == "number" and f["name"] in printed]

    def printed_fields(self, side: str | None = None) -> set[str]:
        """Fields with a printed column: a rule never reads a column the mapper did not
        find (its blanks would look like zeros)."""
        if self.printed is None:
            return {f["name"] for f in self.schema["fields"]}
        if side is None:
            return set().union(*self.printed.values())
        return self.printed.get(side, set()) | self.printed.get(None, set())

    def first_page(self) -> int | None:
        return self.pages[0] if self.pages else None


def _printed(m: MappedTable) -> dict[str | None, set[str]] | None:
    """Fields by side the mapper placed a printed column in; None (every field) for
    hand-built tables without column labels."""
    if not m.found.column_labels:
        return None
    out: dict[str | None, set[str]] = {}
    for p in m.placements.values():
        out.setdefault(p.side.side if p.side else None, set()).add(p.field)
    return out


def in_unit(value: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """An amount printed in ``from_unit`` expressed in ``to_unit``, without the zeros
    the conversion adds (89,010,000 元 is 8,901.00 万元, not 8,901.000000)."""
    if from_unit == to_unit:
        return value
    converted = value * IN_WAN[from_unit] / IN_WAN[to_unit]
    cents = converted.quantize(CENT)
    return cents if cents == converted else converted.normalize()


def amount(row: dict, name: str) -> Decimal:
    v = row.get(name)
    return v if isinstance(v, Decimal) else ZERO


def has_amount(rows: list[dict], names: list[str]) -> bool:
    return any(isinstance(r.get(n), Decimal) for r in rows for n in names)


def raw_label(row: dict) -> str:
    """The row's label as printed, white space removed (numbering kept)."""
    return squash(next((row[f] for f in LABEL_FIELDS if row.get(f)), "") or "")


def label(row: dict) -> str:
    return plain(raw_label(row))


def row_name(row: dict) -> str:
    """How messages name a row: code and name, or its label."""
    return f"{row['code']} {label(row)}" if row.get("code") else label(row)


def row_ref(table: Table, row: dict) -> str:
    """``resource:line`` (``:side`` on two-sided tables): where a portal finds the row."""
    ref = f"{table.resource}:{row.get('line_no')}"
    return f"{ref}:{row['side']}" if row.get("side") else ref


def tolerance_for(per_item: Decimal, n_items: int) -> Decimal:
    """±per_item for every summed item, at least one."""
    return per_item * max(1, n_items)


def fmt(v: Decimal | None) -> str:
    return "—" if v is None else format(v, ",f")


@dataclass
class Selected:
    """One figure taken from a table, with the rows it came from, how many printed
    items were summed to get it (for the tolerance) and how messages name it."""

    table: Table
    value: Decimal
    rows: list[dict]
    n_items: int
    what: str
    what_en: str

    def in_wan(self) -> Decimal:
        return in_unit(self.value, self.table.unit, "万元")


def select(table: Table, ref: dict) -> Selected | None:
    """The figure ``ref`` names in ``table``: ``{"field", "row", "side"?, "where"?}`` (rows
    whose fields equal ``where``'s values, e.g. the 决算数 stage), where ``row``
    is ``"total"`` (the table's total row, or the sum of its data rows when it prints
    none) or ``{"label": regex, "match": "first"|"sum", "raw"?: true}`` (regex over the
    label without, or with its numbering 一、 1.). None when the field was not
    printed, or the labelled row is absent from a table that is not empty (unless
    ``absent: "zero"``: a line a table does not print is then nothing budgeted)."""
    name, side = ref["field"], ref.get("side")
    if name not in table.printed_fields(side) and not table.empty:
        return None
    rows = [r for r in table.side_rows(side) if all(r.get(k) == v for k, v in ref.get("where", {}).items())]
    if ref["row"] == "total":
        return _select_total(table, rows, name)
    rx = re.compile(ref["row"]["label"])
    shown_label = raw_label if ref["row"].get("raw") else label
    hits = [r for r in rows if rx.fullmatch(shown_label(r))]
    if not hits and not (table.empty or ref.get("absent") == "zero"):
        return None
    if ref["row"].get("match", "first") == "first":
        hits = hits[:1]
    shown = label(hits[0]) if hits else ref["row"]["label"]
    return _selected(
        table, sum((amount(r, name) for r in hits), ZERO), hits, len(hits), name, f"「{shown}」", f" '{shown}'"
    )


def _select_total(table: Table, rows: list[dict], name: str) -> Selected:
    totals = [r for r in rows if r.get("row_kind") == "total"]
    if totals:
        shown = label(totals[0]) or "合计"
        return _selected(table, amount(totals[0], name), totals[:1], 1, name, f"「{shown}」", f" '{shown}'")
    data = [r for r in rows if r.get("row_kind") == "data"]
    counted = sum(isinstance(r.get(name), Decimal) for r in data)
    return _selected(table, sum((amount(r, name) for r in data), ZERO), data, counted, name, "各行", " sum of lines,")


def _selected(
    table: Table, value: Decimal, rows: list[dict], n: int, name: str, where_zh: str, where_en: str
) -> Selected:
    empty_zh, empty_en = ("（印为空表）", " (printed empty)") if table.empty else ("", "")
    return Selected(
        table,
        value,
        rows,
        n,
        f"{table.name}{empty_zh}{where_zh}{field_title(table, name)}",
        f"{table.name}{empty_en}{where_en} {name}",
    )


def field_title(table: Table, name: str) -> str:
    """The field's printed title (合计, 基本支出 …), for messages."""
    return next((f.get("title", name) for f in table.schema["fields"] if f["name"] == name), name)


@dataclass
class Context:
    """What every rule kind gets: the tables by concept key, the document, the
    tolerance per summed item, and the document's year (to tell last year's figures
    in the prose from this year's). ``evaluated`` counts, per rule, the comparisons
    it made: a rule that finds nothing because it found no tables to compare says so
    by a zero, which a rule that compared figures and found them equal does not.
    ``prose`` holds the document's sentences once a narrative rule has split them
    (:func:`converters.narrative.prose`), for the rules after it."""

    tables: dict[str, Table]
    doc: DocumentBlocks
    tolerance: Decimal
    year: int | None
    evaluated: dict[str, int] = field(default_factory=dict)
    prose: list[Sentence] | None = None

    def compared(self, rule: Rule, n: int = 1) -> None:
        self.evaluated[rule.id] = self.evaluated.get(rule.id, 0) + n

    def tables_of(self, rule: Rule) -> list[Table]:
        return [self.tables[k] for k in rule.tables if k in self.tables]


Kind = Callable[[Rule, Context], list[Finding]]
