"""Read one performance-target table (项目支出绩效目标表) by its printed labels.

The table is a form, not a list: a label cell (项目名称, 实施期资金总额, 3月底 …) is
followed by its value to the right or, for column groups (实施期目标 / 年度目标, the
资金支出计划 months), below. Fields are found by those labels, never by row or column
number, so that another rendering (other widths, merges, a page break in the header
block) still reads. Every printed cell that no rule read is reported, so nothing is
dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from .performance_values import indicator_record, parse_measure
from .text import ASCII_PUNCTUATION, WHITESPACE_RX, squash
from .values import parse_amount
from .wording import FORM_TITLE_RX, labelled, patterns
from .wording import pattern as wording_pattern

#: Labels and block labels of the forms, from schemas/vocabulary.json (form_*).
TEXT_FIELDS = labelled("form_text_labels")
PROJECT_NAME_LABEL = next(p for p, name in TEXT_FIELDS if name == "project_name")
FUND_TOTAL = wording_pattern("form_fund_total")
FUND_SOURCES = labelled("form_fund_sources")
PERIOD_KEYS = {"实施期": "period", "年度": "year", "当年": "year", None: "year"}
HEBEI_MONEY = labelled("form_hebei_money")
GOALS = wording_pattern("form_period_goals")
SPENDING_BELOW = wording_pattern("form_spending_months")
FUNDS_MARKER = wording_pattern("form_funds_block")
FUND_USE_MARKER = wording_pattern("form_fund_use_block")
INDICATOR_BLOCK = wording_pattern("form_indicator_block")
OVERALL_GOALS = wording_pattern("form_overall_goals")
MARKERS = [OVERALL_GOALS, INDICATOR_BLOCK, *patterns("form_other_blocks"), FUNDS_MARKER, FUND_USE_MARKER]
INDICATOR_ROLES = labelled("form_indicator_columns")


def _any_of(patterns: list[str]) -> re.Pattern:
    """One pattern matching any of ``patterns`` (their group names dropped)."""
    return re.compile("|".join(f"(?:{re.sub(r'[(][?]P<[a-z]+>', '(', p)})" for p in patterns))


ALL_LABELS = _any_of(
    [p for p, _ in TEXT_FIELDS + FUND_SOURCES + HEBEI_MONEY + INDICATOR_ROLES]
    + [FUND_TOTAL, GOALS, SPENDING_BELOW]
    + MARKERS
)
BLOCK_RX = re.compile(INDICATOR_BLOCK)
STOP_RX = _any_of([p for p, _ in TEXT_FIELDS])
HEBEI_SIGNS = re.compile(r"项目编码|绩效指标描述|指标值确定依据|资金支出计划(\(%\))?|预算数")
FORM_NUMBER_RX = re.compile(r"^([0-9]+|[一二三四五六七八九十]+)[、.．]|^[(（]([0-9]+|[一二三四五六七八九十]+)[)）]")
GENERIC_FORM_NAME_RX = re.compile(
    r"(\d{4}年度?)?(部门|单位|市级|区级|省级)?(项目支出|政策和项目(预算)?|(重点)?项目|专项资金)?(\(.*\))?"
)
#: A space not between two Latin letters or digits: where a renderer wrapped CJK text.
_LAYOUT_SPACE_RX = re.compile(r"(?<![A-Za-z0-9]) | (?![A-Za-z0-9])")
MONEY_UNIT_RX = re.compile(r"(?:金额)?单位[:：]\s*(万元|元)")


def printed_text(text: str) -> str:
    """Cell text without layout: line breaks and the spaces around CJK text are where
    the renderer wrapped (a PDF cannot tell a wrap from a paragraph end), so they go;
    one space stays between Latin letters or digits. PDF and DOCX then give the same
    text for the same cell."""
    if not WHITESPACE_RX.search(text):
        return text
    text = WHITESPACE_RX.sub(" ", text).strip()
    return _LAYOUT_SPACE_RX.sub("", text)


@lru_cache(maxsize=1 << 16)
def label_of(text: str) -> str:
    """A cell's text in the form labels are compared in: no white space, ASCII
    brackets and colon, no trailing colon. Cached: each cell of a form is compared
    with label after label."""
    t = squash(text).translate(ASCII_PUNCTUATION)
    return t.rstrip(":")


@dataclass
class GridRow:
    """One printed row of a project's grid, with the page it was printed on (None for
    DOCX). Rows of one form can differ in length: a PDF page fragment may be cut into
    another number of columns."""

    cells: list[str]
    page: int | None


@dataclass
class ProjectGrid:
    """The rows of one project's table, with the title and captions printed above."""

    title: str | None
    captions: list[str]
    rows: list[GridRow]
    #: Indexes of the recognised tables the rows come from.
    tables: set[int] = field(default_factory=set)


@dataclass
class ReadProject:
    """What was read from one project: its fields, its indicators, what went wrong."""

    template: str
    fields: dict
    indicators: list[dict]
    problems: list[str]


@dataclass
class _Side:
    """Columns of one period of the indicator grid (Shanxi prints 实施期 and 年度)."""

    period: str | None
    cols: dict[str, int] = field(default_factory=dict)
    level2: str = ""


class GridReader:
    """A project's cells found by label; remembers which cells were read."""

    def __init__(self, rows: list[GridRow]):
        self.rows = rows
        self.read: set[tuple[int, int]] = set()
        self.problems: list[str] = []
        self.indicator_header, self.indicator_end = _indicator_span(rows)
        self.labels = [[label_of(c) if c else "" for c in row.cells] for row in rows]
        header, end = self.indicator_header, self.indicator_end
        #: The labelled cells outside the indicator grid, in reading order: what :meth:`find` looks through.
        self.label_cells = [
            (i, j, label)
            for i, row_labels in enumerate(self.labels)
            if header is None or not header < i < end
            for j, label in enumerate(row_labels)
            if label
        ]

    def find(self, pattern: str) -> list[tuple[int, int, re.Match]]:
        """Cells whose whole text is the label, in reading order. Rows of the indicator
        grid are left out: their cells are values (a 指标值确定依据 of 项目实施计划 is
        not the label 项目实施计划)."""
        fullmatch = re.compile(pattern).fullmatch
        return [(i, j, m) for i, j, label in self.label_cells if (m := fullmatch(label))]

    def first(self, pattern: str, what: str) -> tuple[int, int, re.Match] | None:
        """The label's cell; a second printing is reported, not read."""
        hits = self.find(pattern)
        for i, _, _ in hits[1:]:
            self.problems.append(f"label {what} printed again in row {i + 1}; only the first is read")
        return hits[0] if hits else None

    def right_of(self, i: int, j: int) -> str:
        """The value of a label: the text right of it, up to the next label."""
        self.read.add((i, j))
        parts = []
        for k in range(j + 1, len(self.rows[i].cells)):
            text = self.rows[i].cells[k].strip()
            if not text:
                continue
            if ALL_LABELS.fullmatch(label_of(text)):
                break
            parts.append(text)
            self.read.add((i, k))
        return "".join(parts)

    def lines_under(self, i: int, j: int) -> str:
        """Lines of a text value that a grid without inner rules cut off into rows of
        their own under the label's row: rows printing no label and nothing outside
        the value's columns (a ruled grid keeps a value's lines in its cell)."""
        cells = self.rows[i].cells
        labels = [k for k in range(j + 1, len(cells)) if cells[k].strip() and ALL_LABELS.fullmatch(label_of(cells[k]))]
        end = labels[0] if labels else len(cells)
        parts = []
        for r in range(i + 1, len(self.rows)):
            row = self.rows[r].cells
            filled = [k for k, t in enumerate(row) if t.strip()]
            inside = self.indicator_header is not None and self.indicator_header <= r < self.indicator_end
            if (
                inside
                or len(row) != len(cells)
                or not filled
                or self.has_label(r)
                or any(not j < k < end for k in filled)
                or any((r, k) in self.read for k in filled)
            ):
                break
            parts.extend(row[k].strip() for k in filled)
            self.read.update((r, k) for k in filled)
        return "".join(parts)

    def below(self, labels: list[tuple[int, int]], filled_last: bool = False) -> list[str]:
        """Values printed under a row of column labels (one row down), each value cell
        to the label in the nearest column, a tie to the left one: a ruled grid starts
        label and value in the same column, but without inner vertical rules the
        column of a label is where its centred text fell, not where its cell starts.
        By order when a page break changed the grid; ``filled_last``: fewer values
        than labels are the last labels' (a cumulative plan leaves early months blank)."""
        i = labels[0][0]
        for _, j in labels:
            self.read.add((i, j))
        if i + 1 >= len(self.rows) or self.has_label(i + 1, labels[0][1]):
            return ["" for _ in labels]
        below = [t if not ALL_LABELS.fullmatch(label_of(t)) else "" for t in self.rows[i + 1].cells]
        if len(below) != len(self.rows[i].cells):
            texts = [(k, t) for k, t in enumerate(below) if t]
            self.read.update((i + 1, k) for k, _ in texts)
            values = [t for _, t in texts][: len(labels)]
            blank = [""] * (len(labels) - len(values))
            return blank + values if filled_last else values + blank
        cols = [j for _, j in labels]
        parts: list[list[str]] = [[] for _ in labels]
        for k, text in enumerate(below):
            if text:
                parts[min(range(len(cols)), key=lambda n: (abs(cols[n] - k), cols[n] > k))].append(text)
                self.read.add((i + 1, k))
        return ["".join(p) for p in parts]

    def has_label(self, i: int, from_col: int = 0) -> bool:
        """Whether row ``i`` prints a label at or right of ``from_col`` (a block label
        left of a column group may have landed in its value row at a page break)."""
        return any(t.strip() and ALL_LABELS.fullmatch(label_of(t)) for t in self.rows[i].cells[from_col:])

    def mark_markers(self) -> dict[str, re.Match]:
        """Read the block labels that carry no value of their own."""
        seen: dict[str, re.Match] = {}
        for pattern in MARKERS:
            for i, j, m in self.find(pattern):
                self.read.add((i, j))
                seen.setdefault(pattern, m)
        return seen

    def unread(self) -> list[str]:
        """Printed cells no rule read: reported so that nothing is lost silently."""
        return [
            f"cell not read (row {i + 1}, page {row.page}): {text.strip()!r}"
            for i, row in enumerate(self.rows)
            for j, text in enumerate(row.cells)
            if text.strip() and (i, j) not in self.read
        ]


def template_of(grid: ProjectGrid) -> str:
    """``hebei`` when the Hebei labels (项目编码, 资金支出计划, 指标值确定依据 …) are
    printed, else ``shanxi`` (the Shanxi budget and national final-accounts form)."""
    for row in grid.rows:
        if any(HEBEI_SIGNS.fullmatch(label_of(c)) for c in row.cells if c.strip()):
            return "hebei"
    return "shanxi"


def read_project(grid: ProjectGrid) -> ReadProject:
    """Fields and indicators of one project table."""
    reader = GridReader(grid.rows)
    template = template_of(grid)
    markers = reader.mark_markers()
    fields = _text_fields(reader)
    if not reader.find(PROJECT_NAME_LABEL) and grid.title:
        fields["project_name"] = _name_in_title(grid.title)
    if template == "shanxi":
        fields.update(_shanxi_funds(reader))
        fields.update(_period_goals(reader))
        unit_match = markers.get(FUNDS_MARKER)
        fields["money_unit"] = unit_match.group("unit") if unit_match else None
    else:
        fields.update(_hebei_money(reader))
        fields["fund_use"] = _fund_use(reader)
        fields.update(_spending_plan(reader))
    if not fields.get("money_unit"):
        fields["money_unit"] = _caption_unit(grid)
    if not fields["money_unit"]:
        reader.problems.append("money unit not printed (项目资金(元) or 单位：…); amounts kept as printed")
    indicators = _indicators(reader)
    reader.problems.extend(reader.unread())
    return ReadProject(template, fields, indicators, reader.problems)


def _name_in_title(title: str) -> str | None:
    """The project a form names only in its title (市行政中心保安服务项目绩效目标表):
    the title without its form wording and numbering; a title naming no project
    (2026年项目支出绩效目标表) gives none."""
    name = FORM_TITLE_RX.sub("", FORM_NUMBER_RX.sub("", squash(title), count=1))
    return None if GENERIC_FORM_NAME_RX.fullmatch(name) else name


def _caption_unit(grid: ProjectGrid) -> str | None:
    for text in grid.captions:
        m = MONEY_UNIT_RX.search(squash(text))
        if m:
            return m.group(1)
    return None


def _text_fields(reader: GridReader) -> dict:
    out: dict = {}
    for pattern, name in TEXT_FIELDS:
        hit = reader.first(pattern, name)
        out[name] = reader.right_of(hit[0], hit[1]) + reader.lines_under(hit[0], hit[1]) if hit else None
    return out


def _money(reader: GridReader, text: str, what: str) -> Decimal | None:
    amount = parse_amount(text)
    if amount.reason == "unreadable":
        reader.problems.append(f"{what} printed {text!r}, not a number: null")
    return amount.value


def _shanxi_funds(reader: GridReader) -> dict:
    """实施期 / 年度 totals and sources; a source belongs to the period whose total is
    printed in its column or the nearest one left of it."""
    out: dict = {}
    totals = reader.find(FUND_TOTAL)
    if not totals:
        reader.problems.append("funds not found (no 实施期资金总额 / 年度资金总额 label)")
        return out
    for i, j, m in totals:
        key = PERIOD_KEYS[m.group("period")]
        out[f"funds_{key}_total"] = _money(reader, reader.right_of(i, j), f"{m.group(0)}")
    for pattern, source in FUND_SOURCES:
        for i, j, m in reader.find(pattern):
            left = [t for t in totals if t[1] <= j] or totals[:1]
            period = max(left, key=lambda t: t[1])[2].group("period")
            out[f"funds_{PERIOD_KEYS[period]}_{source}"] = _money(
                reader, reader.right_of(i, j), f"{period} {m.group(0)}"
            )
    return out


def _period_goals(reader: GridReader) -> dict:
    """实施期 / 年度 goals: printed right of their label (年度总体目标 | text), or, in
    a row of period labels (实施期目标 | 年度目标), each under its label."""
    hits = reader.find(GOALS)
    if not hits:
        return _overall_goals(reader)
    i = hits[0][0]
    row = [h for h in hits if h[0] == i]
    beside = [reader.right_of(i, j) for _, j, _ in row]
    if any(beside):
        values = [text + reader.lines_under(i, j) if text else text for (_, j, _), text in zip(row, beside)]
    else:
        values = reader.below([(i, j) for _, j, _ in row])
    return {f"goals_{PERIOD_KEYS[m.group('period')]}": v for (_, _, m), v in zip(row, values)}


def _overall_goals(reader: GridReader) -> dict:
    """A form printing one goal without a period (总体目标 | text). Where period labels
    are printed (实施期目标 | 年度目标), 总体目标 is only their block label."""
    for i, j, _ in reader.find(OVERALL_GOALS):
        text = reader.right_of(i, j)
        if text:
            return {"goals": text + reader.lines_under(i, j)}
    return {}


def _hebei_money(reader: GridReader) -> dict:
    out: dict = {}
    for pattern, name in HEBEI_MONEY:
        hit = reader.first(pattern, name)
        out[name] = _money(reader, reader.right_of(hit[0], hit[1]), name) if hit else None
    return out


def _fund_use(reader: GridReader) -> str | None:
    """资金用途 has no label of its own: it is printed in the rows under the 预算数 row,
    beside the merged 预算规模及资金用途 label."""
    hits = reader.find(FUND_USE_MARKER)
    if not hits:
        return None
    i0, j0, _ = hits[0]
    parts = []
    for i in range(i0 + 1, len(reader.rows)):
        cells = reader.rows[i].cells
        if reader.has_label(i) or (j0 < len(cells) and cells[j0].strip()):
            break
        for k, text in enumerate(cells):
            if text.strip():
                parts.append(text.strip())
                reader.read.add((i, k))
    return "".join(parts)


def _spending_plan(reader: GridReader) -> dict:
    """资金支出计划（%）: month-end labels with the share spent printed below. The
    shares are cumulative, up to 100% by 12月底: a plan printing fewer shares than
    months leaves the first months blank."""
    hits = reader.find(SPENDING_BELOW)
    if not hits:
        return {}
    row = [h for h in hits if h[0] == hits[0][0]]
    values = reader.below([(i, j) for i, j, _ in row], filled_last=True)
    out = {}
    for (_, _, m), text in zip(row, values):
        measure = parse_measure(text)
        if text and (measure.number is None or measure.unit not in (None, "%")):
            reader.problems.append(f"spending plan {m.group(0)} printed {text!r}, not a percentage: null")
        out[f"spending_plan_{int(m.group('month')):02d}"] = measure.number if measure.unit in (None, "%") else None
    return out


def _indicator_sides(header: list[str]) -> tuple[int | None, list[_Side]]:
    """Column of 一级指标 and, per period, the columns of the other roles; a second
    二级指标 starts the 年度 side."""
    level1: int | None = None
    sides: list[_Side] = []
    for j, text in enumerate(header):
        role = next((name for p, name in INDICATOR_ROLES if re.fullmatch(p, label_of(text))), None)
        if role == "level1":
            level1 = j
        elif role == "level2" or (role and not sides):
            sides.append(_Side(None))
            sides[-1].cols.setdefault(role, j)
        elif role:
            sides[-1].cols.setdefault(role, j)
    if len(sides) == 2:
        sides[0].period, sides[1].period = "实施期", "年度"
    return level1, sides


def _column_map(row: GridRow, header: GridRow) -> list[int] | None:
    """For each of the row's cells, the header column it stands under.

    A page fragment of a PDF table may be cut into fewer columns than the page with
    the header (a boundary only the header block had gets no rule there): when it has
    one column per printed header label, the n-th cell is under the n-th label.
    Without inner vertical rules a fragment also loses the columns it prints nothing
    in: the block label column (绩效指标) left of 一级指标, merged over the whole grid,
    is empty on a continuation page; then the cells stand under the header's last
    columns."""
    if len(row.cells) == len(header.cells):
        return list(range(len(row.cells)))
    label_cols = [j for j, t in enumerate(header.cells) if t.strip()]
    if len(row.cells) == len(label_cols):
        return label_cols
    lost = len(header.cells) - len(row.cells)
    level1 = next((j for j, t in enumerate(header.cells) if t.strip() and label_of(t) == "一级指标"), None)
    return list(range(lost, len(header.cells))) if 0 < lost and level1 is not None and lost <= level1 else None


def _indicator_span(rows: list[GridRow]) -> tuple[int | None, int]:
    """Row of the indicator header (一级指标 …) and the row after the grid's last row:
    the grid ends where a form label starts a row (负责人 …) or with the table."""
    header = next((i for i, row in enumerate(rows) if _is_header(row)), None)
    if header is None:
        return None, len(rows)
    for i in range(header + 1, len(rows)):
        first = next((label_of(c) for c in rows[i].cells if c.strip()), "")
        if STOP_RX.fullmatch(first):
            return header, i
    return header, len(rows)


def _indicators(reader: GridReader) -> list[dict]:
    """One row per printed indicator slot and period, 一级/二级 filled down where the
    print merges them; empty slots the form prints are kept with empty values."""
    if reader.indicator_header is None:
        reader.problems.append("no indicator grid (一级指标 header) found")
        return []
    header = reader.rows[reader.indicator_header]
    level1_col, sides = _indicator_sides(header.cells)
    out: list[dict] = []
    level1 = ""
    for i in range(reader.indicator_header, reader.indicator_end):
        row = reader.rows[i]
        if _is_header(row):
            header, (level1_col, sides) = row, _keep_level2(sides, _indicator_sides(row.cells))
            reader.read.update((i, j) for j, t in enumerate(row.cells) if t.strip())
            continue
        cols = _column_map(row, header)
        if cols is None:
            reader.problems.append(
                f"row {i + 1} (page {row.page}) has {len(row.cells)} columns, the indicator "
                f"header {len(header.cells)}: not read"
            )
            continue
        cells = [""] * len(header.cells)
        for k, j in enumerate(cols):
            cells[j] = row.cells[k]
        if level1_col is not None and cells[level1_col].strip():
            level1 = cells[level1_col].strip()
            for side in sides:
                side.level2 = ""
        used = {level1_col} | {j for side in sides for j in side.cols.values()}
        reader.read.update(
            (i, k) for k, j in enumerate(cols) if j in used or BLOCK_RX.fullmatch(label_of(row.cells[k]))
        )
        out.extend(_indicator(cells, side, level1, row.page) for side in sides)
    return out


def _is_header(row: GridRow) -> bool:
    """The indicator grid's header: 一级指标 …, or (a grid without levels) 指标名称 with 指标值."""
    labels = {label_of(t) for t in row.cells if t.strip()}
    return "一级指标" in labels or ("指标名称" in labels and "指标值" in labels)


def _keep_level2(old: list[_Side], new: tuple[int | None, list[_Side]]) -> tuple[int | None, list[_Side]]:
    """A header repeated on a new page keeps the 二级指标 each period had reached."""
    for before, after in zip(old, new[1]):
        after.level2 = before.level2
    return new


def _indicator(cells: list[str], side: _Side, level1: str, page: int | None) -> dict:
    def cell(role: str) -> str:
        j = side.cols.get(role)
        return cells[j].strip() if j is not None and j < len(cells) else ""

    if cell("level2"):
        side.level2 = cell("level2")
    return indicator_record(
        cell, "nature" in side.cols, page, period=side.period, level1=level1 or None, level2=side.level2 or None
    )
