"""Performance targets printed as a list (项目支出绩效目标表 in Beijing, 市级一般性项目绩效
目标表 in Chongqing): one header row naming the columns (项目名称 | 项目总额 | 绩效目标 |
一级指标 … | 指标值 | 计量单位), then one line per indicator, the project's own cells
(name, funds, goal) merged down over its indicators.

Each block of lines under one printing of the project's funds and goal is one project
row: a project printed with several funding blocks under one merged name gives one row
per block, each with that name. Columns are found by their printed labels, as in the
form reader, so that another province's order or wording of the same columns reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .performance_read import GridRow, ProjectGrid, ReadProject, label_of
from .performance_values import indicator_record
from .values import parse_amount
from .wording import labelled

#: Column labels of a list, by the field or indicator role they print (vocabulary.json list_columns).
LIST_COLUMNS = labelled("list_columns")
#: A project code (digits and capitals, twelve or more) printed before the name.
CODED_NAME_RX = re.compile(r"([0-9A-Z]{12,})[-—_](.+)")
#: A unit printed inside a column label (预算数（单位：万元）): the table's unit, not
#: part of the column's name.
UNIT_NOTE_RX = re.compile(r"\(((金额)?单位:?)?[^)]*元\)$")
#: Header words that name no column of their own (其中： over 财政资金 | 其他资金).
GROUP_WORDS = re.compile(r"其中:?")
PROJECT_ROLES = (
    "number",
    "project_name",
    "implementing_unit",
    "funds_year_total",
    "funds_year_fiscal",
    "funds_year_other",
    "goals",
)
#: Cells that start a project's block: a goal's text alone may be the rest of one cut
#: by a page break.
BLOCK_ROLES = ("number", "project_name", "funds_year_total", "funds_year_fiscal", "funds_year_other")
MONEY_ROLES = ("funds_year_total", "funds_year_fiscal", "funds_year_other")
INDICATOR_ROLES = ("level1", "level2", "level3", "nature", "value", "unit", "weight", "core")


@dataclass
class ListHeader:
    """Rows of a list's header and the column of each role printed in it."""

    rows: int
    columns: dict[str, int]


@dataclass
class ListGrid(ProjectGrid):
    """One project block of a list, its list's header rows first."""

    header: ListHeader | None = None
    money_unit: str | None = None


def _role(text: str) -> str | None:
    label = UNIT_NOTE_RX.sub("", label_of(text))
    return next((role for pattern, role in LIST_COLUMNS if re.fullmatch(pattern, label)), None)


def list_header(rows: list[GridRow]) -> ListHeader | None:
    """The header when the table is a list of projects: a row printing 项目名称 among
    the indicator columns (三级指标 or 指标名称, and 指标值) or beside a goal and an
    amount (项目 | 预算数 | 绩效目标: key projects without indicators), then the rows
    under it that print only column labels."""
    for start, row in enumerate(rows[:3]):  # noqa: B007 (start is the header row found)
        roles = [_role(c) if c.strip() else None for c in row.cells]
        indicators = "level3" in roles and "value" in roles
        goals_and_money = "goals" in roles and any(r in roles for r in MONEY_ROLES)
        if "project_name" in roles and (indicators or goals_and_money):
            break
    else:
        return None
    end = start + 1
    while end < len(rows) and _labels_only(rows[end], least=1):
        end += 1
    columns: dict[str, int] = {}
    for row in rows[start:end]:
        for j, text in enumerate(row.cells):
            role = _role(text) if text.strip() else None
            if role:
                columns.setdefault(role, j)
    return ListHeader(end, columns)


def project_blocks(rows: list[GridRow], header: ListHeader, spans: list[tuple[int, int, int]]) -> list[list[GridRow]]:
    """The body cut into one block of lines per project: a block starts on a line
    printing any of the project's own cells. The header printed again on each page
    (a form's title does not let recognition drop it) is left out. ``spans`` (row, column, rows; rows
    counted from the table's first) are its merged cells: a project cell merged over
    several blocks (one name over three funding blocks) is copied into each block it
    covers."""
    body = [GridRow(list(r.cells), r.page) for r in rows[header.rows :]]
    for row, col, height in spans:
        r0 = row - header.rows
        text = body[r0].cells[col] if 0 <= r0 < len(body) and col < len(body[r0].cells) else ""
        if col in [header.columns.get(role) for role in PROJECT_ROLES] and text.strip():
            for r in range(r0 + 1, min(r0 + height, len(body))):
                if starts_block(body[r], header) and not body[r].cells[col].strip():
                    body[r].cells[col] = text
    blocks: list[list[GridRow]] = []
    for row in (r for r in body if not _labels_only(r)):
        if starts_block(row, header) or not blocks:
            blocks.append([])
        blocks[-1].append(row)
    return blocks


def _labels_only(row: GridRow, least: int = 2) -> bool:
    """A line printing nothing but column labels (at least ``least``): the header, or
    the header again."""
    texts = [c for c in row.cells if c.strip()]
    return len(texts) >= least and all(_role(c) or GROUP_WORDS.fullmatch(label_of(c)) for c in texts)


def starts_block(row: GridRow, header: ListHeader) -> bool:
    return any(_cell(row, header, role) for role in BLOCK_ROLES if role != "project_name")


def _cell(row: GridRow, header: ListHeader, role: str) -> str:
    j = header.columns.get(role)
    return row.cells[j].strip() if j is not None and j < len(row.cells) else ""


def read_list_project(grid: ListGrid) -> ReadProject:
    """Fields and indicators of one project block of a list."""
    header, money_unit = grid.header, grid.money_unit
    block = grid.rows[header.rows :]
    first = block[0]
    problems: list[str] = []
    code, name = _code_and_name(_cell(first, header, "project_name"))
    fields: dict = {
        "money_unit": money_unit,
        "project_code": code,
        "project_name": name,
        "implementing_unit": _cell(first, header, "implementing_unit") or None,
        "goals": "".join(_cell(row, header, "goals") for row in block) or None,
    }
    for role in MONEY_ROLES:
        text = _cell(first, header, role)
        amount = parse_amount(text)
        if text and amount.reason == "unreadable":
            problems.append(f"{role} printed {text!r}, not a number: null")
        fields[role] = amount.value
    if money_unit is None:
        problems.append("money unit not printed (单位：…); amounts kept as printed")
    indicators = [_indicator(row, header) for row in block if any(_cell(row, header, r) for r in INDICATOR_ROLES)]
    used = set(header.columns.values())
    problems.extend(
        f"cell not read (page {row.page}): {text.strip()!r}"
        for row in block
        for j, text in enumerate(row.cells)
        if text.strip() and j not in used
    )
    return ReadProject("list", fields, indicators, problems)


def _code_and_name(text: str) -> tuple[str | None, str | None]:
    """A project cell printing the project's code before its name
    (11000021Y000000390843-信息系统运维类项目) gives both."""
    m = CODED_NAME_RX.fullmatch(text)
    return (m.group(1), m.group(2)) if m else (None, text or None)


def _indicator(row: GridRow, header: ListHeader) -> dict:
    """One indicator line: its comparator from the nature column (≥, ＝, 定性 …) where
    one is printed, else from the value itself; its unit from the unit column."""
    return indicator_record(lambda role: _cell(row, header, role), True, row.page)
