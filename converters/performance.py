"""Performance-target tables (项目支出绩效目标表): two linked resources, projects and
their indicators.

Recognition leaves these tables without a concept (they are forms, one per project,
not lists). Here they are found by their printed labels: a project starts at a row
whose first label is 项目名称 or 项目编码, in a table that also prints a label only
these forms have (主管部门及代码, 一级指标, 指标值确定依据 …). Page fragments are
put back together here as well, because a PDF page can cut a form into another
number of columns than the page before (so recognition does not join them) and
several Hebei forms printed close together can arrive as one grid with their titles
inside it.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from .concepts import performance_resource
from .package import ResourceData
from .performance_list import ListGrid, ListHeader, list_header, project_blocks, read_list_project, starts_block
from .performance_read import ALL_LABELS, GridRow, ProjectGrid, ReadProject, label_of, printed_text, read_project
from .recognise import FoundTable
from .text import squash
from .wording import FORM_TITLE_RX, WHOLE_DEPARTMENT_FORM_RX, pattern

START_RX = re.compile(pattern("form_start_labels"))
SIGNATURE_RX = re.compile(pattern("form_signature_labels"))
TITLE_ROW_RX = re.compile(rf"{FORM_TITLE_RX.pattern}|^(金额)?单位[:：]")
CAPTION_SPLIT_RX = re.compile(r"(?=(?:金额)?单位[:：])")
PROJECTS = performance_resource("performance_projects")
INDICATORS = performance_resource("performance_indicators")


@dataclass
class PerformanceResult:
    """Rows of both resources, per-project problems, and which found tables
    (indexes into the recognised list) were read as performance tables."""

    projects: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    problems: list[list[str]] = field(default_factory=list)
    consumed: set[int] = field(default_factory=set)

    def resources(self) -> list[ResourceData]:
        """The two resources, or none when the document prints no performance table."""
        if not self.projects:
            return []
        return [
            ResourceData(PROJECTS.resource, PROJECTS.title, self.projects_schema(), self.projects, {}),
            ResourceData(INDICATORS.resource, INDICATORS.title, INDICATORS.schema, self.indicators, {}),
        ]

    def projects_schema(self) -> dict:
        """The projects' schema with its money fields' ``unit`` the unit the forms print
        (元 or 万元) where they all print one; where they differ, no ``unit`` (each row's
        ``money_unit`` says it). The schema file writes ``money_unit`` there to mark
        the money fields."""
        schema = copy.deepcopy(PROJECTS.schema)
        units = {p.get("money_unit") for p in self.projects}
        for f in schema["fields"]:
            if f.get("unit") == "money_unit":
                if len(units) == 1 and None not in units:
                    f["unit"] = next(iter(units))
                else:
                    del f["unit"]
        return schema

    def report(self) -> dict:
        """The report's ``performance`` section: what was found, and per project what
        could not be read."""
        return {
            "project_count": len(self.projects),
            "indicator_count": len(self.indicators),
            "projects": [
                {
                    "project_no": p["project_no"],
                    "project_name": p["project_name"],
                    "template": p["template"],
                    "pages": _page_list(p),
                    "indicator_count": sum(1 for i in self.indicators if i["project_no"] == p["project_no"]),
                    "problems": problems,
                }
                for p, problems in zip(self.projects, self.problems)
            ],
        }


def extract_performance(found: list[FoundTable]) -> PerformanceResult:
    """Every performance-target table among the tables recognition left unnamed."""
    result = PerformanceResult()
    no = 0
    for grid in project_grids(found):
        read = read_list_project(grid) if isinstance(grid, ListGrid) else read_project(grid)
        if not read.indicators and not any(v for k, v in read.fields.items() if k != "money_unit"):
            continue
        no += 1
        result.consumed |= grid.tables
        result.projects.append(_project_row(no, grid, read))
        result.indicators.extend(
            {"project_no": no, "indicator_no": k, **ind} for k, ind in enumerate(read.indicators, start=1)
        )
        result.problems.append(read.problems)
    return result


def _project_row(no: int, grid: ProjectGrid, read: ReadProject) -> dict:
    pages = sorted({r.page for r in grid.rows if r.page is not None})
    fields = {k: (v if v != "" else None) for k, v in read.fields.items()}
    return {
        "project_no": no,
        "template": read.template,
        "title": grid.title,
        **fields,
        "page": pages[0] if pages else None,
        "pages": ",".join(map(str, pages)) or None,
    }


def _page_list(project: dict) -> list[int]:
    return [int(p) for p in (project.get("pages") or "").split(",") if p]


def table_rows(table: FoundTable) -> list[GridRow]:
    """The whole printed grid of a found table (recognition's header/body split does
    not apply to forms), each row with its page."""
    first_page = table.pages[0] if table.pages else None
    rows = [(r, first_page) for r in table.header] + list(zip(table.body, table.body_pages))
    return [GridRow(join_split_labels([printed_text(c) for c in cells]), page) for cells, page in rows]


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


def project_grids(found: list[FoundTable]) -> list[ProjectGrid]:
    """Cut the unnamed tables into one grid per project, joining page fragments."""
    grids: list[ProjectGrid] = []
    current: ProjectGrid | None = None
    for index, table in enumerate(found):
        if table.concept is not None:
            current = None
            continue
        rows = table_rows(table)
        header = list_header(rows)
        if header is not None or (isinstance(current, ListGrid) and _continues_list(table, rows, current)):
            current = _add_list(
                grids, index, table, rows, header or current.header, current if header is None else None
            )
            continue
        starts = [k for k, row in enumerate(rows) if _is_start(row)] or _titled_form(table, rows)
        if starts and _has_signature(rows):
            lead = [r for r in rows[: starts[0]] if not _is_title_row(r)]
            continues = current is not None and not table.title
            if continues:
                current.rows.extend(lead)
                current.tables.add(index)
            for k, start in enumerate(starts):
                end = starts[k + 1] if k + 1 < len(starts) else len(rows)
                title, captions = _title_before(rows, start, table)
                current = ProjectGrid(title, captions, [r for r in rows[start:end] if not _is_title_row(r)], {index})
                if k == 0 and not continues:
                    current.rows[:0] = lead
                grids.append(current)
        elif current is not None and not table.title and not table.captions and _looks_like_form(rows):
            current.rows.extend(rows)
            current.tables.add(index)
        else:
            current = None
    return grids


def _add_list(
    grids: list[ProjectGrid],
    index: int,
    table: FoundTable,
    rows: list[GridRow],
    header: ListHeader,
    previous: ListGrid | None,
) -> ListGrid | None:
    """Add a list table's projects, one grid per block; lines before the first block
    of a continuation page go on with the ``previous`` page's last project."""
    if previous is None:
        head, title, captions = rows[: header.rows], table.title, [" ".join(p) for p in table.captions]
        unit = table.money_unit
    else:
        head, title, captions, unit = (
            previous.rows[: header.rows],
            previous.title,
            previous.captions,
            previous.money_unit,
        )
        header = ListHeader(0, header.columns)
    offset = len(table.header)
    spans = [(r + offset, c, rs) for r, c, rs, _ in table.body_merges]
    current = previous
    for block in project_blocks(rows, header, spans):
        if current is not None and not starts_block(block[0], header):
            current.rows.extend(block)
            current.tables.add(index)
            continue
        current = ListGrid(
            title, captions, head + block, {index}, header=ListHeader(len(head), header.columns), money_unit=unit
        )
        grids.append(current)
    return current


def _continues_list(table: FoundTable, rows: list[GridRow], current: ListGrid) -> bool:
    """A page of a list printed without its header: no title, as many columns."""
    width = len(current.rows[0].cells)
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


def _is_title_row(row: GridRow) -> bool:
    """A title or caption line that the PDF reader kept inside a grid joining two
    forms printed close together (``2、XXX绩效目标表 单位：万元``)."""
    texts = [c for c in row.cells if c.strip()]
    return len(texts) == 1 and bool(TITLE_ROW_RX.search(squash(texts[0])))


def _title_before(rows: list[GridRow], start: int, table: FoundTable) -> tuple[str | None, list[str]]:
    """Title and captions of the form starting at ``start``: printed above the table,
    or in title rows just above it inside the grid."""
    if start == 0 or not _is_title_row(rows[start - 1]):
        captions = [" ".join(parts) for parts in table.captions]
        return (table.title if "绩效目标" in table.title else None), captions
    text = squash(next(c for c in rows[start - 1].cells if c.strip()))
    title, *captions = CAPTION_SPLIT_RX.split(text)
    return title or None, captions
