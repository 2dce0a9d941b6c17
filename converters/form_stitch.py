"""Performance-target tables (项目支出绩效目标表) among the recognised tables, each
joined over its page fragments: the part of recognition that knows the forms.

Recognition leaves these tables without a concept (they are forms, one per project,
not lists). They are told by their printed labels: a form's project starts at a row
whose first label is 项目名称 or 项目编码, in a table that also prints a label only
these forms have (主管部门及代码, 一级指标, 指标值确定依据 …); a list of projects by
its header row (converters/performance_list.py). ``group_tables`` has already joined
a form's pages, also those cut into another number of columns; what it leaves apart
are tables of their own (a list's header, a form under its own title) and the pages
of a list printed without its header, which are joined here into one FormTable each.
The performance reader (converters/performance.py) cuts those into projects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .form_labels import form_cells, has_signature, is_start, project_form_title
from .performance_list import ListHeader, list_header, project_blocks
from .performance_read import GridRow
from .recognise import FoundTable

#: What a fragment prints: a list's lines (under its own header or, continuing, the
#: list's), or forms starting at ``starts`` (lines before the first go on with the
#: previous fragment's last project).
Role = Literal["list", "form"]


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
    starts = [k for k, row in enumerate(rows) if is_start(row.cells)] or _titled_form(table, rows)
    if starts and has_signature([r.cells for r in rows]):
        return FormPart(index, table, rows, "form", starts)
    return None


def table_rows(table: FoundTable) -> list[GridRow]:
    """The whole printed grid of a found table, each row with its page."""
    first_page = table.pages[0] if table.pages else None
    rows = [(r, first_page) for r in table.header] + list(zip(table.body, table.body_pages))
    return [GridRow(form_cells(cells), page) for cells, page in rows]


def list_spans(table: FoundTable) -> list[tuple[int, int, int]]:
    """The body's merged cells as (row, column, rows), rows counted from the grid's first."""
    offset = len(table.header)
    return [(r + offset, c, rs) for r, c, rs, _ in table.body_merges]


def _continues_list(table: FoundTable, rows: list[GridRow], width: int) -> bool:
    """A page of a list printed without its header: no title, as many columns."""
    return not table.title and bool(rows) and all(len(r.cells) == width for r in rows)


def _titled_form(table: FoundTable, rows: list[GridRow]) -> list[int]:
    """A form that prints no 项目名称 line (the project is named in its title) starts
    with its table."""
    return [0] if project_form_title(table.title) and has_signature([r.cells for r in rows]) else []
