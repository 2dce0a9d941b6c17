"""The ``facts`` resource: every printed amount of every standard table, one per row,
in one long table, with the amount also in 元 and a ``countable`` flag.

Summing a budget table's rows double counts: a 类 line is the sum of its 款 lines, a
收支总表 prints 1. 一般公共预算 under 一、财政拨款收入, a 三公 table prints ① 购置费
under 公务用车购置及运行费. ``countable`` marks the lines whose amounts, summed within
one table, side, part and field, give that table's printed total without counting any
amount twice:

- classified tables (codes): the most detailed lines, codes no printed line has as
  parent (类 without 款, 款 without 项, every 项);
- other tables: the lines of the outermost numbering (一、 over 1. over ①, 其中
  lines never, nor unnumbered lines under a numbered line that add up to it: a
  一、 类 over its 款 and 项 told apart only by indenting); group lines (a unit over
  its projects, an economic class over its items, a 小计 over the lines above it)
  only where the lines under them are numbered deeper (公务用车购置及运行费 over ①
  ②); in a 收支总表, after 本年合计, the lines that are not a fund's share (上年结转
  counts, its 一般公共预算 line does not); where no line prints a numbering, lines
  that are the sums of the lines under them (a unit over its economic classes, told
  apart only by indenting, or over groups of its own) count and those lines do not,
  when all the lines fall into such groups.

The ``countable_facts_add_up`` check (``checks.py``) compares these sums with each
printed total, so a table where the rule does not hold is reported, not hidden.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from decimal import Decimal

from schemas import load_json

from .check_model import Table, label, raw_label
from .concepts import DEFAULT_MONEY_UNIT
from .mapping import LABEL_FIELDS, MappedTable
from .package import ResourceData
from .values import last_digit, parent_code

SCHEMA_FILE = "facts.json"
#: 元 per printed unit: an amount in 元 is the printed value times this, exactly.
YUAN = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100000000)}
#: Fields that split a table into parts with a total each (三公 决算 per stage, 06表 per
#: column group or 人员/公用 category).
PART_FIELDS = ("stage", "category", "column_group")
#: Printed numbering, outermost first: 一、 (一) 1. (1) ① 其中.
NUMBERING = [
    re.compile(p)
    for p in (
        r"^[一二三四五六七八九十]+[、.．]",
        r"^[(（][一二三四五六七八九十]+[)）]",
        r"^\d+[、.．](?!\d)",
        r"^[(（]\d+[)）]",
        r"^[①②③④⑤⑥⑦⑧⑨⑩]",
        r"^其中",
    )
]
#: After 本年收入合计 / 本年支出合计 a 收支总表 prints lines such as 上年结转 and, under
#: them, the share of each fund: those shares are parts of the line above.
FUND_SHARE_RX = re.compile(r"^(一般公共预算|政府性基金|国有资本经营|财政专户|单位资金)")


@dataclass
class Fact:
    """One printed amount: where it is (table, line, side, part, column), what line it
    is, its value as printed and in 元, and whether it is a line to sum."""

    resource: str
    line_no: int | None
    row_kind: str | None
    level: int | None
    code: str | None
    name: str | None
    side: str | None
    part: str | None
    field: str
    field_title: str | None
    value: Decimal
    unit: str
    amount_yuan: Decimal
    countable: bool
    page: int | None


@dataclass
class TableFacts:
    """The facts of one table and the table as checks read it (unit, schema, rows)."""

    table: Table
    facts: list[Fact]


def schema() -> dict:
    return load_json(SCHEMA_FILE)


def in_yuan(value: Decimal, unit: str) -> Decimal:
    """The amount in 元: exact (a decimal times a power of ten)."""
    return value * YUAN.get(unit, YUAN[DEFAULT_MONEY_UNIT])


def part_of(row: dict) -> str | None:
    """The value of the field that splits the row's table into parts with own totals."""
    return next((str(row[f]) for f in PART_FIELDS if row.get(f) is not None), None)


def groups(rows: list[dict]) -> dict[tuple[str | None, str | None], list[dict]]:
    """Rows by (side, part), each group in printed order: every group has its own total."""
    out: dict[tuple[str | None, str | None], list[dict]] = {}
    for row in rows:
        out.setdefault((row.get("side"), part_of(row)), []).append(row)
    return out


def countable_rows(rows: list[dict], money: list[str]) -> list[dict]:
    """The lines of one group (side, part) whose sums give its total (see the module);
    ``money`` names the table's money fields."""
    body = [r for r in rows if r.get("row_kind") != "total"]
    if any(r.get("code") for r in body):
        parents = {r.get("parent_code") or parent_code(r["code"]) for r in body if r.get("code")}
        return [r for r in body if r.get("code") and r["code"] not in parents]
    lines = _outermost(rows, _unnumbered_details(rows, money))
    return _group_heads(lines, money) or lines


def _group_heads(lines: list[dict], money: list[str]) -> list[dict] | None:
    """Where no line prints a numbering, the lines heading groups of the lines under
    them, when every line is such a head or in the group under one: each head's amounts
    are, in every money field, the sums of the lines up to the next head (a unit over
    its economic classes, told apart on paper only by indenting), or the sums of the
    heads of groups within them (a procurement category over its units, each over its
    items), give or take one unit of the last printed digit per summed line (the
    document's rounding); lines printing only zeros may close a group. None where the
    lines do not fall into such groups: then every line counts."""
    if len(lines) < 2 or any(_depth(r) is not None for r in lines):
        return None
    groups = _Groups([[_amount(r, f) for f in money] for r in lines])
    heads = groups.plain()
    if heads is None:
        heads = groups.heads(0, len(lines))
    return [lines[i] for i in heads] if heads is not None and len(heads) < len(lines) else None


class _Groups:
    """Lines cut into groups for :func:`_group_heads`, each a head over the lines whose
    sums (or whose own groups' heads) make its amounts. :meth:`plain` reads the groups
    as a table of plain groups is printed, each ending at the first lines that add up
    to its head; where that leaves lines in no group, :meth:`heads` searches the other
    cuts, groups within groups too. The search remembers what it cut and gives up
    (None) after :attr:`STEPS` lines looked at or :attr:`DEPTH` cuts within cuts, bounds
    no real table comes near."""

    STEPS = 20_000
    DEPTH = 60

    def __init__(self, amounts: list[list[Decimal]]) -> None:
        self.amounts = amounts
        self.digit = last_digit(a for row in amounts for a in row)
        self.known: dict[tuple[int, int], list[int] | None] = {}
        self.steps = 0
        self.depth = 0

    def adds_up(self, sums: list[Decimal], target: list[Decimal], count: int) -> bool:
        return all(abs(a - b) <= self.digit * count for a, b in zip(sums, target))

    def plain(self) -> list[int] | None:
        """The heads of plain groups, each closed by the first lines adding up to it."""
        amounts, heads, i = self.amounts, [], 0
        while i < len(amounts):
            target, j = amounts[i], i + 1
            sums = [Decimal(0)] * len(target)
            while j < len(amounts) and (j == i + 1 or not self.adds_up(sums, target, j - i - 1)):
                sums = [a + b for a, b in zip(sums, amounts[j])]
                j += 1
            if not any(target) or not self.adds_up(sums, target, j - i - 1):
                return None
            while j < len(amounts) and not any(amounts[j]):
                j += 1
            heads.append(i)
            i = j
        return heads

    def heads(self, start: int, end: int) -> list[int] | None:
        """The heads of a cut of lines ``[start, end)`` into groups, None if there is none."""
        if (start, end) not in self.known:
            self.known[start, end] = None
            if self.depth < self.DEPTH:
                self.depth += 1
                self.known[start, end] = self._cut(start, end)
                self.depth -= 1
        return self.known[start, end]

    def _cut(self, start: int, end: int) -> list[int] | None:
        target = self.amounts[start]
        if not any(target):
            return None
        for nested in (False, True):
            sums = [Decimal(0)] * len(target)
            for j in range(start + 1, end):
                self.steps += 1
                if self.steps > self.STEPS:
                    return None
                sums = [a + b for a, b in zip(sums, self.amounts[j])]
                if not self._explains(start, j + 1, sums, nested):
                    continue
                rest = j + 1
                while rest < end and not any(self.amounts[rest]):
                    rest += 1
                following = [] if rest == end else self.heads(rest, end)
                if following is not None:
                    return [start, *following]
        return None

    def _explains(self, head: int, end: int, sums: list[Decimal], nested: bool) -> bool:
        """Whether lines ``(head, end)`` make the head's amounts: summed as they are, or
        (``nested``) as groups of their own whose heads sum to it."""
        target = self.amounts[head]
        if not nested:
            return self.adds_up(sums, target, end - head - 1)
        inner = self.heads(head + 1, end) if end - head > 2 else None
        if inner is None:
            return False
        inner_sums = [sum(column, Decimal(0)) for column in zip(*(self.amounts[i] for i in inner))]
        return self.adds_up(inner_sums, target, len(inner))


def _unnumbered_details(rows: list[dict], money: list[str]) -> set[int]:
    """The unnumbered lines printed under a numbered line as its detail, by ``id``:
    the run of lines without a numbering up to the next numbered or total line, where
    the run adds up to the numbered line in every money field (the run's own group
    heads, :func:`_group_heads`, if it falls into groups), give or take one unit of the
    last printed digit per summed line. 一、财政拨款收入 over 一般公共预算收入, or a 类
    numbered 一、 over its 款 and 项 told apart only by indenting: the numbered line
    counts, its detail does not. A numbered line printing only zeros claims no detail;
    a group line the table marks as one (``subtotal``) is left to :func:`_outermost`."""
    details: set[int] = set()
    i = 0
    while i < len(rows):
        j = i + 1
        if rows[i].get("row_kind") == "data" and _depth(rows[i]) is not None:
            while j < len(rows) and rows[j].get("row_kind") != "total" and _depth(rows[j]) is None:
                j += 1
            run = rows[i + 1 : j]
            if run and _adds_up_to(rows[i], _group_heads(run, money) or run, money):
                details.update(id(r) for r in run)
        i = j
    return details


def _adds_up_to(head: dict, lines: list[dict], money: list[str]) -> bool:
    """Whether ``lines`` sum to ``head``'s amounts (not all zero), one unit of the last
    printed digit per summed line allowed."""
    target = [_amount(head, f) for f in money]
    amounts = [[_amount(r, f) for f in money] for r in lines]
    if not any(target):
        return False
    digit = last_digit(a for row in [target, *amounts] for a in row)
    sums = [sum(column, Decimal(0)) for column in zip(*amounts)]
    return all(abs(a - b) <= digit * len(lines) for a, b in zip(sums, target))


def _amount(row: dict, field: str) -> Decimal:
    value = row.get(field)
    return value if isinstance(value, Decimal) else Decimal(0)


def _outermost(rows: list[dict], details: set[int]) -> list[dict]:
    """Lines of the outermost numbering; group lines only where what follows them is
    numbered deeper (公务用车购置及运行费 over ①②: the group line counts, its
    components do not); after a table's first total line under lines of its own
    (本年合计), the lines that are not a fund's share of the line above; never the
    unnumbered ``details`` of a numbered line (:func:`_unnumbered_details`). A total
    printed above every line (Chongqing's 合计 first) heads its parts: the lines under it count."""
    body = [r for r in rows if r.get("row_kind") != "total"]
    if not body:
        return []
    top = _depth(body[0])

    def deeper(row: dict) -> bool:
        depth = _depth(row)
        return depth is not None and (top is None or depth > top)

    seen_total, out = False, []
    for i, row in enumerate(rows):
        if row.get("row_kind") == "total":
            seen_total = seen_total or i > 0
            continue
        if deeper(row) or id(row) in details or seen_total and FUND_SHARE_RX.match(label(row)):
            continue
        if row.get("row_kind") == "subtotal":
            after = next((r for r in rows[i + 1 :] if r.get("row_kind") != "total"), None)
            if after is None or not deeper(after):
                continue
        out.append(row)
    return out


def _depth(row: dict) -> int | None:
    """Rank of the row's printed numbering (0 = 一、), None when it prints none."""
    label = raw_label(row)
    return next((i for i, rx in enumerate(NUMBERING) if rx.match(label)), None)


def grand_total(rows: list[dict]) -> dict | None:
    """The group's last total line (总计 after 本年合计): the one every line adds up to."""
    totals = [r for r in rows if r.get("row_kind") == "total"]
    return totals[-1] if totals else None


def table_facts(m: MappedTable, resource: str) -> TableFacts:
    """The facts of one mapped standard table, published as ``resource``."""
    table = replace(Table.of_mapped(m), resource=resource, schema=m.schema)
    return TableFacts(table, facts_of(table))


def money_fields(table: Table) -> list[dict]:
    return [f for f in table.schema["fields"] if f["type"] == "number" and "unit" in f]


def facts_of(table: Table) -> list[Fact]:
    fields = money_fields(table)
    money = [f["name"] for f in fields]
    counted = {id(r) for rows in groups(table.rows).values() for r in countable_rows(rows, money)}
    out = []
    for row in table.rows:
        label = next((row[f] for f in LABEL_FIELDS if row.get(f)), None)
        for f in fields:
            value = row.get(f["name"])
            if isinstance(value, Decimal):
                out.append(
                    Fact(
                        table.resource,
                        row.get("line_no"),
                        row.get("row_kind"),
                        row.get("level"),
                        row.get("code"),
                        label,
                        row.get("side"),
                        part_of(row),
                        f["name"],
                        f.get("title"),
                        value,
                        table.unit,
                        in_yuan(value, table.unit),
                        id(row) in counted,
                        row.get("page"),
                    )
                )
    return out


def fact_rows(tables: list[TableFacts]) -> list[dict]:
    return [asdict(f) for t in tables for f in t.facts]


def facts_resource(mapped: list[MappedTable], standard: list[ResourceData]) -> ResourceData:
    """Every printed amount of the standard tables (converters/facts.py)."""
    rows = fact_rows([table_facts(m, r.name) for m, r in zip(mapped, standard)])
    extra = {
        "budgetpack:concept": "budgetpack/facts",
        "budgetpack:status": "found" if rows else "empty",
        "budgetpack:title_en": "Facts: every printed amount, in 元 too, with what can be summed",
    }
    return ResourceData("facts", "金额明细", schema(), rows, extra)
