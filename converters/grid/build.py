"""One table region cut into a grid: rows and columns from its rules where they are
drawn and from its text where they are not, then every char put in one cell."""

from __future__ import annotations

from .cells import cut, open_from_rules, rule_positions
from .columns import infer_columns
from .geometry import overlapped, row_of
from .groups import place_groups
from .layout import Cell, Columns, Grid, Layout
from .rows import text_bands, text_rows
from .rules import Region
from .runs import make_runs
from .settings import GRID


def build_grid(region: Region, chars: list[dict]) -> Grid:
    """Cut a region into cells and put every char in exactly one of them."""
    ruled = bool(region.inner_hrules()) and bool(region.inner_vrules())
    runs = make_runs(chars) if chars and not ruled else []
    coarse = None if region.inner_hrules() or not runs else text_bands(runs)
    ys = rule_positions(region.hrules, region.top, region.bottom)
    bands = [row_of(ys, r.middle) for r in runs] if coarse is None else _band_index(coarse, len(runs))
    if region.inner_vrules():
        xs = rule_positions(region.vrules, region.x0, region.x1)
        columns = Columns(xs, {i: overlapped(xs, r.x0, r.x1) for i, r in enumerate(runs)}, {})
    else:
        ends = [
            p for s in region.inner_hrules() for p in (s.a, s.b) if region.x0 + GRID.snap < p < region.x1 - GRID.snap
        ]
        columns = infer_columns(region, runs, bands, ends, ys if coarse is None else None)
    if coarse is None:
        layout = Layout(ys, columns.xs)
        open_from_rules(layout, region.hrules, vertical=False)
    else:
        layout, cells = text_rows(region, runs, coarse, columns.xs, columns.wide())
        place_groups(columns, runs, _occupied(columns, cells))
    if region.inner_vrules():
        open_from_rules(layout, region.vrules, vertical=True)
    else:
        for i, (a, b) in columns.wide().items():
            row = row_of(layout.ys, runs[i].middle)
            layout.open_v.update((row, j) for j in range(a, b))
    return cut(layout, chars)


def _band_index(bands: list[list[int]], n: int) -> list[int]:
    """Each run's band number, from the bands' member lists."""
    index = [0] * n
    for k, members in enumerate(bands):
        for i in members:
            index[i] = k
    return index


def _occupied(columns: Columns, cells: list[Cell]) -> dict[int, set[int]]:
    """For each group label, the columns that cells of its row other than labels fill
    (merged down from above or up from below included)."""
    rows_of = {i: cell.rows for cell in cells for i in cell.members}
    plain = [c for c in cells if not any(i in columns.groups for i in c.members)]
    return {
        i: {j for c in plain if c.rows[0] <= rows_of[i][0] <= c.rows[1] for j in range(c.cols[0], c.cols[1] + 1)}
        for i in columns.groups
    }
