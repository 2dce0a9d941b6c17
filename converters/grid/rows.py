"""Rows from text: the rows of a table without inner horizontal rules, where no text
crosses, with the lines of one wrapped cell kept together, a header band holding two
rows of labels cut between them, and a header label centred over rows merged over them."""

from __future__ import annotations

from bisect import bisect_right

from .geometry import aligned, cluster, overlapped, row_of
from .layout import Cell, Layout
from .patterns import BODY_RX
from .rules import Region
from .runs import Run
from .settings import GRID
from .wraps import join_wrapped


def text_bands(runs: list[Run]) -> list[list[int]]:
    """Runs grouped into bands whose ink overlaps vertically, top to bottom: the lines
    of a cell printed beside a taller cell's middle line join its row this way."""
    bands: list[list[int]] = []
    bottom = float("-inf")
    for i in sorted(range(len(runs)), key=lambda k: runs[k].top):
        r = runs[i]
        if bands and r.top < bottom - GRID.overlap_slack:
            bands[-1].append(i)
            bottom = max(bottom, r.bottom)
        else:
            bands.append([i])
            bottom = r.bottom
    return bands


def text_rows(
    region: Region, runs: list[Run], coarse: list[list[int]], xs: list[float], spans: dict[int, tuple[int, int]]
) -> tuple[Layout, list[Cell]]:
    """Rows of a table without inner horizontal rules, from its text, and its cells.

    Bands of overlapping ink are rows, except that a wrapped cell whose lines leave a
    gap keeps them together and a header band holding two rows of labels (one label
    over others) is cut between them; a label spanning both stays whole (merged).
    """
    cols = [spans.get(i) or overlapped(xs, r.x0, r.x1) for i, r in enumerate(runs)]
    bands = join_wrapped(runs, coarse, cols)
    cuts: list[float] = []
    cells: list[Cell] = []
    for k, band in enumerate(bands):
        if k:
            above = max(runs[i].bottom for i in bands[k - 1])
            cuts.append((above + min(runs[i].top for i in band)) / 2)
        band_cells = _cells(runs, band, cols)
        cells.extend(band_cells)
        cuts.extend(_header_cuts(band_cells, len(xs) - 1))
    ys = cluster(
        [region.top] + [y for y in cuts if region.top < y < region.bottom] + [region.bottom], tol=GRID.cut_merge
    )
    layout = Layout(ys, xs)
    for cell in cells:
        cell.rows = (row_of(ys, cell.top + GRID.overlap_slack), row_of(ys, cell.bottom - GRID.overlap_slack))
        for k in range(cell.rows[0], cell.rows[1]):
            layout.open_h.update((k, j) for j in range(cell.cols[0], cell.cols[1] + 1))
    _merge_centred_down(layout, cells, _header_rows(ys, runs))
    return layout, cells


def _cells(runs: list[Run], band: list[int], cols: list[tuple[int, int]]) -> list[Cell]:
    """Cells of one band: a run joins the latest cell over the same columns when it
    starts above that cell's bottom, or is aligned with it, a line under it and not
    clearly wider than the line above (a wrapped cell's lines fill the column but
    the last). Short labels centred in rows one above the other (质量指标, 时效指标)
    are aligned too, but a row apart, when a label centred over those rows (产出指标)
    put them in one band; and a cell starting under another's short last line
    (完成率, then 各项工作完成) is a cell of its own."""
    cells: list[Cell] = []
    for i in sorted(band, key=lambda k: (runs[k].top, runs[k].x0)):
        r = runs[i]
        for cell in reversed(cells):
            last = runs[cell.members[-1]]
            wraps = (
                aligned((cell.x0, cell.x1), (r.x0, r.x1))
                and r.top - cell.bottom <= GRID.wrap_gap * r.size
                and last.x1 - last.x0 >= r.x1 - r.x0 - GRID.full_line_slack * r.size
            )
            if cell.cols == cols[i] and (r.top < cell.bottom - GRID.overlap_slack or wraps):
                cell.members.append(i)
                cell.bottom, cell.x0, cell.x1 = max(cell.bottom, r.bottom), min(cell.x0, r.x0), max(cell.x1, r.x1)
                break
            if cell.cols[0] <= cols[i][1] and cols[i][0] <= cell.cols[1]:
                cells.append(Cell([i], r.top, r.bottom, r.x0, r.x1, cols[i]))
                break
        else:
            cells.append(Cell([i], r.top, r.bottom, r.x0, r.x1, cols[i]))
    return cells


def _header_cuts(cells: list[Cell], n_cols: int) -> list[float]:
    """Where a band holds two cells one above the other in some column, a row boundary
    lies between them; as few boundaries as possible, each inside every gap it serves."""
    gaps: list[tuple[float, float]] = []
    for j in range(n_cols):
        stack = sorted((c for c in cells if c.cols[0] <= j <= c.cols[1]), key=lambda c: c.top)
        gaps += [(a.bottom, b.top) for a, b in zip(stack, stack[1:]) if b.top >= a.bottom]
    cuts: list[float] = []
    lo = hi = None
    for a, b in sorted(set(gaps), key=lambda g: g[1]):
        if hi is not None and a <= hi:
            lo = max(lo, a)
            continue
        if hi is not None:
            cuts.append((lo + hi) / 2)
        lo, hi = a, b
    if hi is not None:
        cuts.append((lo + hi) / 2)
    return cuts


def _header_rows(ys: list[float], runs: list[Run]) -> int:
    """Rows above the first one that prints an amount or a code: the header, where
    labels may be centred over several rows (all rows when there is none)."""
    first = min((r.top for r in runs if BODY_RX.match(r.text)), default=None)
    return len(ys) - 1 if first is None else bisect_right(ys, first) - 1


def _merge_centred_down(layout: Layout, cells: list[Cell], n_header: int) -> None:
    """A header label printed in the middle of its row and empty rows above it (项目名称
    beside 财政拨款 over its parts) spans them: its cell is merged upward."""
    ys = layout.ys
    filled: dict[int, list[tuple[int, int]]] = {}
    for cell in cells:
        for row in range(cell.rows[0], cell.rows[1] + 1):
            filled.setdefault(row, []).append(cell.cols)
    for cell in cells:
        row, (a, b) = cell.rows[0], cell.cols
        if not 0 < row < n_header or cell.rows[1] != row:
            continue
        first = row
        while first > 0 and not any(ca <= b and a <= cb for ca, cb in filled.get(first - 1, [])):
            first -= 1
        mid = (cell.top + cell.bottom) / 2
        best = min(range(first, row + 1), key=lambda k: (abs(mid - (ys[k] + ys[row + 1]) / 2), -k))
        gain = abs(mid - (ys[row] + ys[row + 1]) / 2) - abs(mid - (ys[best] + ys[row + 1]) / 2)
        if best < row and gain > GRID.centring_gain:
            cell.rows = (best, row)
            for k in range(best, row):
                filled.setdefault(k, []).append(cell.cols)
                layout.open_h.update((k, j) for j in range(a, b + 1))
