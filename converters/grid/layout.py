"""Records the steps hand each other: a grid's boundaries and joins (:class:`Layout`),
the cells it resolves to (:class:`Grid`), columns found from text (:class:`Columns`)
and the cells of a table without inner horizontal rules (:class:`Cell`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .runs import Run


@dataclass
class Grid:
    """Cells of one region: ``rows[i][j]`` text and merges ``(row, col, rowspan, colspan)``."""

    rows: list[list[str]]
    merges: list[tuple[int, int, int, int]]


@dataclass
class Layout:
    """Boundaries of a grid and which neighbouring cells are joined.

    ``open_h`` holds ``(i, j)`` where cell (i, j) and (i + 1, j) are one cell, ``open_v``
    ``(i, j)`` where (i, j) and (i, j + 1) are.
    """

    ys: list[float]
    xs: list[float]
    open_h: set[tuple[int, int]] = field(default_factory=set)
    open_v: set[tuple[int, int]] = field(default_factory=set)


@dataclass
class Columns:
    """Column boundaries found from text, with the runs printed across several columns:
    ``spans`` maps a run to its first and last column, ``groups`` maps each group label
    to the nearest labels under it on either side."""

    xs: list[float]
    spans: dict[int, tuple[int, int]]
    groups: dict[int, tuple[Run, Run]]

    def wide(self) -> dict[int, tuple[int, int]]:
        return {i: s for i, s in self.spans.items() if s[0] != s[1]}


@dataclass
class Cell:
    """Text of one cell of a table without inner horizontal rules: runs over the same
    columns, stacked and aligned (or side by side on one line). ``rows`` is the first
    and last grid row it fills, once rows are known."""

    members: list[int]
    top: float
    bottom: float
    x0: float
    x1: float
    cols: tuple[int, int]
    rows: tuple[int, int] = (0, 0)
