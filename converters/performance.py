"""Performance-target tables (项目支出绩效目标表): two linked resources, projects and
their indicators.

Recognition finds these tables and joins their page fragments
(converters/form_stitch.py); here each is cut into one grid per project and read. A
grid may hold several Hebei forms printed close together, with their titles inside
it: each title starts a project of its own.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import dataclass, field

from .concepts import performance_resource
from .form_stitch import FormPart, FormTable
from .package import ResourceData
from .performance_list import ListGrid, ListHeader, read_list_project, starts_block
from .performance_read import GridRow, ProjectGrid, ReadProject, read_project
from .recognise import FoundTable
from .text import squash
from .wording import FORM_TITLE_RX

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
        indicator_counts = Counter(i["project_no"] for i in self.indicators)
        return {
            "project_count": len(self.projects),
            "indicator_count": len(self.indicators),
            "projects": [
                {
                    "project_no": p["project_no"],
                    "project_name": p["project_name"],
                    "template": p["template"],
                    "pages": _page_list(p),
                    "indicator_count": indicator_counts[p["project_no"]],
                    "problems": problems,
                }
                for p, problems in zip(self.projects, self.problems)
            ],
        }


def extract_performance(tables: list[FormTable]) -> PerformanceResult:
    """The projects and indicators of the performance tables recognition found."""
    result = PerformanceResult()
    no = 0
    for grid in project_grids(tables):
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


def project_grids(tables: list[FormTable]) -> list[ProjectGrid]:
    """Cut each performance table into one grid per project: a fragment's lines before
    its first project go on with the project the fragment before ended with."""
    grids: list[ProjectGrid] = []
    for table in tables:
        current: ProjectGrid | None = None
        for k, part in enumerate(table.parts):
            if part.role == "list":
                previous = current if isinstance(current, ListGrid) and part.header is None else None
                current = _add_list(grids, part, previous)
            else:
                current = _add_forms(grids, part, current if k else None)
    return grids


def _add_forms(grids: list[ProjectGrid], part: FormPart, previous: ProjectGrid | None) -> ProjectGrid:
    """Add a fragment's forms, one grid per start; the lines before the first start go
    on with the ``previous`` fragment's last project, or open the first."""
    rows, starts = part.rows, part.starts
    lead = [r for r in rows[: starts[0]] if not _is_title_row(r)]
    if previous is not None:
        previous.rows.extend(lead)
        previous.tables.add(part.index)
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(rows)
        title, captions = _title_before(rows, start, part.table)
        current = ProjectGrid(title, captions, [r for r in rows[start:end] if not _is_title_row(r)], {part.index})
        if k == 0 and previous is None:
            current.rows[:0] = lead
        grids.append(current)
    return current


def _add_list(grids: list[ProjectGrid], part: FormPart, previous: ListGrid | None) -> ListGrid | None:
    """Add a list fragment's projects, one grid per block; lines before the first block
    of a continuation page go on with the ``previous`` page's last project."""
    table = part.table
    if previous is None:
        header = part.header
        head, title, captions = part.rows[: header.rows], table.title, [" ".join(p) for p in table.captions]
        unit = table.money_unit
    else:
        header = previous.header
        head, title, captions, unit = (
            previous.rows[: header.rows],
            previous.title,
            previous.captions,
            previous.money_unit,
        )
    current = previous
    for block in part.blocks:
        if current is not None and not starts_block(block[0], header):
            current.rows.extend(block)
            current.tables.add(part.index)
            continue
        current = ListGrid(
            title, captions, head + block, {part.index}, header=ListHeader(len(head), header.columns), money_unit=unit
        )
        grids.append(current)
    return current


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
