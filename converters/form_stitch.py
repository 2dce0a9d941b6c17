"""Performance-target tables (项目支出绩效目标表) among the recognised tables, each
joined over its page fragments: the part of recognition that knows the forms.

Recognition leaves these tables without a concept (they are forms, one per project,
not lists). They are told by their printed labels: a form's project starts at a row
whose first label is 项目名称 or 项目编码, in a table that also prints a label only
these forms have (主管部门及代码, 一级指标, 指标值确定依据 …); a list of projects by
its header row (converters/performance_list.py). ``group_tables`` has already joined
the fragments printed with as many columns; a form's page can be cut into another
number of columns than the page before, or be preceded by a line that is no title,
so the fragments recognition left apart are joined here, once. The performance
reader (converters/performance.py) cuts each joined table into projects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from .performance_list import ListHeader, list_header, project_blocks
from .performance_read import ALL_LABELS, GridRow, label_of, printed_text
from .recognise import FoundTable
from .text import squash
from .wording import FORM_TITLE_RX, WHOLE_DEPARTMENT_FORM_RX, pattern

START_RX = re.compile(pattern("form_start_labels"))
SIGNATURE_RX = re.compile(pattern("form_signature_labels"))

#: What a fragment prints: a list's lines (under its own header or, continuing, the
#: list's), forms starting at ``starts``, or the rest of the previous fragment's form.
Role = Literal["list", "form", "more"]


@dataclass
class FormPart:
    """One recognised table's share of a performance table: its whole printed grid
    (header and body: recognition's split does not apply to forms), each row with its
    page. A list's lines come cut into project blocks."""

    index: int
    table: FoundTable
    rows: list[GridRow]
    role: Role
    starts: list[int] = field(default_factory=list)
    header: ListHeader | None = None
    blocks: list[list[GridRow]] = field(default_factory=list)


@dataclass
class FormTable:
    """One performance table as printed, its page fragments in order: the first starts
    it, each later one goes on with the project the one before ended with."""

    parts: list[FormPart]


def form_tables(found: list[FoundTable]) -> list[FormTable]:
    """Every performance table among the tables recognition left unnamed."""
    tables: list[FormTable] = []
    current: FormTable | None = None
    list_width: int | None = None
    for index, table in enumerate(found):
        part = None if table.concept is not None else _part(index, table, current, list_width)
        if part is None:
            current = list_width = None
            continue
        if part.header is not None and not part.blocks:
            current = list_width = None  # a list header with no line under it
            continue
        if part.header is not None:
            list_width = len(part.rows[0].cells)
        elif part.role == "form":
            list_width = None
        if _starts_table(part, current):
            current = FormTable([part])
            tables.append(current)
        else:
            current.parts.append(part)
    return tables


def _starts_table(part: FormPart, current: FormTable | None) -> bool:
    """A fragment starts a table of its own: under its own list header, or printing
    a title above its first form."""
    return current is None or part.header is not None or (part.role == "form" and bool(part.table.title))


def _part(index: int, table: FoundTable, current: FormTable | None, list_width: int | None) -> FormPart | None:
    """The table as a fragment of a performance table, or None when it is none."""
    rows = table_rows(table)
    header = list_header(rows)
    if header is not None:
        spans = list_spans(table)
        return FormPart(index, table, rows, "list", header=header, blocks=project_blocks(rows, header, spans))
    if list_width is not None and _continues_list(table, rows, list_width):
        columns = ListHeader(0, current.parts[0].header.columns)
        return FormPart(index, table, rows, "list", blocks=project_blocks(rows, columns, list_spans(table)))
    starts = [k for k, row in enumerate(rows) if _is_start(row)] or _titled_form(table, rows)
    if starts and _has_signature(rows):
        return FormPart(index, table, rows, "form", starts)
    if current is not None and not table.title and not table.captions and _looks_like_form(rows):
        return FormPart(index, table, rows, "more")
    return None


def table_rows(table: FoundTable) -> list[GridRow]:
    """The whole printed grid of a found table, each row with its page."""
    first_page = table.pages[0] if table.pages else None
    rows = [(r, first_page) for r in table.header] + list(zip(table.body, table.body_pages))
    return [GridRow(join_split_labels([printed_text(c) for c in cells]), page) for cells, page in rows]


def list_spans(table: FoundTable) -> list[tuple[int, int, int]]:
    """The body's merged cells as (row, column, rows), rows counted from the grid's first."""
    offset = len(table.header)
    return [(r + offset, c, rs) for r, c, rs, _ in table.body_merges]


def join_split_labels(cells: list[str]) -> list[str]:
    """Put a label back together that the PDF reader cut over neighbouring cells (项目 |
    名称), as happens when column boundaries are inferred from white space: the joined
    text goes in the first cell, the others are emptied."""
    out = list(cells)
    for j, text in enumerate(out):
        if not text or ALL_LABELS.fullmatch(label_of(text)):
            continue
        filled = [k for k in range(j + 1, len(out)) if out[k]][:2]
        for n in range(1, len(filled) + 1):
            parts = [text] + [out[k] for k in filled[:n]]
            if ALL_LABELS.fullmatch(label_of("".join(parts))):
                out[j] = "".join(parts)
                for k in filled[:n]:
                    out[k] = ""
                break
    return out


def _continues_list(table: FoundTable, rows: list[GridRow], width: int) -> bool:
    """A page of a list printed without its header: no title, as many columns."""
    return not table.title and bool(rows) and all(len(r.cells) == width for r in rows)


def _titled_form(table: FoundTable, rows: list[GridRow]) -> list[int]:
    """A form that prints no 项目名称 line (the project is named in its title,
    XX项目绩效目标表) starts with its table."""
    title = squash(table.title)
    project_form = FORM_TITLE_RX.search(title) and not WHOLE_DEPARTMENT_FORM_RX.search(title)
    return [0] if project_form and _has_signature(rows) else []


def _first_label(row: GridRow) -> str:
    return next((label_of(c) for c in row.cells if c.strip()), "")


def _is_start(row: GridRow) -> bool:
    return bool(START_RX.fullmatch(_first_label(row)))


def _has_signature(rows: list[GridRow]) -> bool:
    return any(SIGNATURE_RX.fullmatch(label_of(c)) for r in rows for c in r.cells if c.strip())


def _looks_like_form(rows: list[GridRow]) -> bool:
    """A page fragment that continues a form: it prints form labels or indicator
    level names (产出指标, 数量指标 …)."""
    return any(
        ALL_LABELS.fullmatch(label_of(c)) or label_of(c).endswith("指标") for r in rows for c in r.cells if c.strip()
    )
