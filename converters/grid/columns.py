"""Columns from text: the column boundaries of a table without inner vertical rules,
where the text of every row leaves an x range empty, and the columns each label printed
across several of them spans."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter

from .cells import open_from_rules
from .geometry import cluster, merge_ranges, overlapped
from .groups import group_labels, header_bands, place_groups, shares_left_edge
from .layout import Columns, Layout
from .patterns import NUMERAL_RX
from .rules import Region
from .runs import Run
from .settings import GRID


def infer_columns(
    region: Region, runs: list[Run], bands: list[int], rule_ends: list[float], ys: list[float] | None = None
) -> Columns:
    """Column boundaries of a table without inner vertical rules, and the columns that
    each label printed across several of them spans.

    Text of one column never touches text of its neighbour, so boundaries lie in the x
    ranges that no run inks, where runs printed apart in one row need them
    (:func:`_chosen_gaps`), one between two neighbouring column numbers (栏次 1 2 3)
    where a row prints them. Group labels and runs that reach over two cells of
    another row do not count; where an inner horizontal rule stops short of the box,
    a boundary is there. With rows ruled (``ys``), the cells merged down from each row
    are known and group labels get their final columns (:func:`place_groups`);
    otherwise a first guess, settled once rows are found.
    """
    groups = group_labels(region, runs, bands)
    crossing = crossing_runs(runs, bands, groups)
    leaves = [i for i in range(len(runs)) if i not in groups and i not in crossing]
    crossing |= _cut_through(runs, bands, leaves)
    leaves = [i for i in leaves if i not in crossing]
    intervals = merge_ranges([(runs[i].x0, runs[i].x1) for i in leaves])
    header = header_bands(runs, bands)
    labels = [runs[i] for i in leaves if bands[i] in header and not runs[i].is_number()]
    chosen = _chosen_gaps(intervals, [(bands[i], r) for i, r in enumerate(runs) if i not in groups], rule_ends)
    chosen = _one_per_number(chosen, intervals, _column_numbers([runs[i] for i in leaves]), region)
    xs = _boundaries(region, intervals, chosen, rule_ends, labels)
    columns = Columns(xs, {i: overlapped(xs, runs[i].x0, runs[i].x1) for i in crossing}, groups)
    occupied = None
    if ys is not None:
        probe = Layout(ys, xs)
        open_from_rules(probe, region.hrules, vertical=False)
        occupied = {i: {j for band, j in probe.open_h if band == bands[i]} for i in groups}
    place_groups(columns, runs, occupied)
    return columns


def crossing_runs(runs: list[Run], bands: list[int], groups: dict[int, tuple[Run, Run]]) -> set[int]:
    """Runs that reach over two separate cells of another row (a left-aligned label
    across several columns): they would hide the boundary between those cells."""
    per_band: dict[int, list[tuple[float, float]]] = {}
    for i, r in enumerate(runs):
        if i not in groups:
            per_band.setdefault(bands[i], []).append((r.x0, r.x1))
    gap = GRID.cell_gap * max((r.size for r in runs), default=0.0)
    cells = {b: merge_ranges(v, gap=gap) for b, v in per_band.items()}
    starts = {b: [a for a, _ in v] for b, v in cells.items()}
    out: set[int] = set()
    for i, r in enumerate(runs):
        if i in groups:
            continue
        for b, v in cells.items():
            if b == bands[i]:
                continue
            k = bisect_left(starts[b], r.x1 - GRID.ink_slack)
            if k >= 2 and v[k - 2][1] > r.x0 + GRID.ink_slack:
                out.add(i)
                break
    return out


def _cut_through(runs: list[Run], bands: list[int], leaves: list[int]) -> set[int]:
    """Runs that a boundary must cross: where two runs printed apart in one row (two
    cells) have no x range between them that the other rows leave empty, the
    boundary goes where it cuts the fewest runs, and those are printed across it in
    cells merged over both columns (a form's 指标值 column over the narrow 5.32 |
    其他资金 cells of the money row, its values reaching a little into the second).
    A run starting where others start is left-aligned in its cell, so it counts
    double: a centred label (3月底 over two columns) is the likelier one to cross."""
    intervals = merge_ranges([(runs[i].x0, runs[i].x1) for i in leaves])
    ends = [b for _, b in intervals]
    lefts = sorted(r.x0 for r in runs)
    cost = {i: 1 + shares_left_edge(runs[i], lefts) for i in leaves}
    per_band: dict[int, list[int]] = {}
    for i in leaves:
        per_band.setdefault(bands[i], []).append(i)
    out: set[int] = set()
    for members in per_band.values():
        members.sort(key=lambda k: runs[k].x0)
        for a, b in zip(members, members[1:]):
            ra, rb = runs[a], runs[b]
            k = bisect_left(ends, ra.x1 - GRID.ink_slack)
            if rb.x0 - ra.x1 < GRID.cell_gap * ra.size or (
                k + 1 < len(intervals) and intervals[k + 1][0] <= rb.x0 + GRID.ink_slack
            ):
                continue
            inked = [i for i in leaves if i not in out and runs[i].x1 > ra.x1 and runs[i].x0 < rb.x0]
            cuts = [ra.x1 + GRID.cut_offset] + [runs[i].x1 + GRID.cut_offset for i in inked if runs[i].x1 < rb.x0]
            cut = min(cuts, key=lambda x: sum(cost[i] for i in inked if runs[i].x0 < x < runs[i].x1))
            out.update(i for i in inked if runs[i].x0 < cut < runs[i].x1)
    return out


def _chosen_gaps(
    intervals: list[tuple[float, float]], printed: list[tuple[int, Run]], rule_ends: list[float]
) -> list[int]:
    """The gaps between inked ranges that are column boundaries: as few as let every
    two runs printed apart in one row (band) be in different columns.

    Fewest, because a column's text need not overlap: codes printed left in a wide
    column under a centred 科目代码 are one column with it. Each step takes the gap
    that separates most pairs still together, the widest on a tie; gaps holding the
    end of a horizontal rule are boundaries anyway. ``printed`` (band, run) includes
    runs that reach over two cells of another row: their inked range is no gap, but
    the boundary to their neighbour lies after it (指标值 over two narrow columns of
    the row above, then 指标值确定依据).
    """
    gaps = [(a[1], b[0]) for a, b in zip(intervals, intervals[1:])]
    chosen = {
        k for k, (lo, hi) in enumerate(gaps) if any(lo - GRID.ink_slack <= e <= hi + GRID.ink_slack for e in rule_ends)
    }
    ends, starts = [lo for lo, _ in gaps], [hi for _, hi in gaps]
    per_band: dict[int, list[Run]] = {}
    for band, r in printed:
        per_band.setdefault(band, []).append(r)
    pending: list[tuple[int, int]] = []
    for members in per_band.values():
        members.sort(key=lambda r: r.x0)
        for a, b in zip(members, members[1:]):
            ka, kb = bisect_left(ends, a.x1 - GRID.ink_slack), bisect_right(starts, b.x0 + GRID.ink_slack) - 1
            if kb >= ka and b.x0 - a.x1 >= GRID.cell_gap * a.size:
                pending.append((ka, kb))
    pending = [c for c in pending if not any(c[0] <= k <= c[1] for k in chosen)]
    while pending:
        count = Counter(k for lo, hi in pending for k in range(lo, hi + 1))
        best = max(count, key=lambda k: (count[k], gaps[k][1] - gaps[k][0]))
        chosen.add(best)
        pending = [c for c in pending if not c[0] <= best <= c[1]]
    return sorted(chosen)


def _column_numbers(leaves: list[Run]) -> list[Run]:
    """The longest sequence of column numbers (栏次 1 2 3 …) printed next to each other
    on one line, left to right; empty when no line has three."""
    per_line: dict[int, list[Run]] = {}
    for r in leaves:
        per_line.setdefault(r.line, []).append(r)
    best: list[Run] = []
    for line in per_line.values():
        line.sort(key=lambda r: r.x0)
        current: list[Run] = []
        for r in line:
            if not NUMERAL_RX.match(r.text):
                current = []
                continue
            if current and int(r.text) != int(current[-1].text) + 1:
                current = []
            current.append(r)
            if len(current) > len(best):
                best = list(current)
    return best if len(best) >= GRID.min_column_numbers else []


def _one_per_number(
    chosen: list[int], intervals: list[tuple[float, float]], numbers: list[Run], region: Region
) -> list[int]:
    """Between two neighbouring column numbers lies exactly one boundary: a label
    printed with wide spaces inside (上解上级     支出) is not two columns. Of several
    gaps there, the one holding the middle between the numbers is kept, else the widest.
    A first or last number centred between its other boundary and the box's side
    numbers the first or last column: no boundary lies beyond it."""
    out = set(chosen)
    for a, b in zip(numbers, numbers[1:]):
        between = [k for k in out if a.x1 <= intervals[k][1] and intervals[k + 1][0] <= b.x0]
        if len(between) > 1:
            middle = (a.centre + b.centre) / 2
            keep = max(
                between,
                key=lambda k: (intervals[k][1] <= middle <= intervals[k + 1][0], intervals[k + 1][0] - intervals[k][1]),
            )
            out -= set(between) - {keep}
    if len(numbers) >= 2:
        last, before = numbers[-1], numbers[-2]
        inner = [k for k in out if before.x1 <= intervals[k][1] and intervals[k + 1][0] <= last.x0]
        if inner and _mirrors(intervals, inner[0], 2 * last.centre - region.x1):
            out -= {k for k in out if intervals[k][1] >= last.x1}
        first, after = numbers[0], numbers[1]
        inner = [k for k in out if first.x1 <= intervals[k][1] and intervals[k + 1][0] <= after.x0]
        if inner and _mirrors(intervals, inner[0], 2 * first.centre - region.x0):
            out -= {k for k in out if intervals[k + 1][0] <= first.x0}
    return sorted(out)


def _mirrors(intervals: list[tuple[float, float]], k: int, x: float) -> bool:
    """``x`` falls in gap ``k`` (give or take a little)."""
    return intervals[k][1] - GRID.mirror_slack <= x <= intervals[k + 1][0] + GRID.mirror_slack


def _boundaries(
    region: Region, intervals: list[tuple[float, float]], chosen: list[int], rule_ends: list[float], labels: list[Run]
) -> list[float]:
    """Column boundaries, one in each chosen gap, left to right.

    Where a horizontal rule stops inside the table, the boundary is its end (drawn,
    so exact). Otherwise header labels are centred in their cells, so a column's
    right boundary mirrors its left one about its label's centre, as long as that
    falls in the gap; else the gap's middle is taken.
    """
    xs = [region.x0]
    for k in chosen:
        lo, hi = intervals[k][1], intervals[k + 1][0]
        drawn = [e for e in rule_ends if lo - GRID.ink_slack <= e <= hi + GRID.ink_slack]
        if drawn:
            xs.append(drawn[0])
            continue
        centre = _label_centre(labels, xs[-1], lo)
        guess = None if centre is None else 2 * centre - xs[-1]
        xs.append(guess if guess is not None and lo <= guess <= hi else (lo + hi) / 2)
    xs += [e for e in rule_ends if all(abs(e - x) > GRID.snap for x in xs)]
    xs.append(region.x1)
    return cluster(xs)


def _label_centre(labels: list[Run], left: float, right: float) -> float | None:
    """Centre of the topmost label printed between two x positions (its lines or its
    pieces on one line taken together)."""
    inside = [r for r in labels if r.x0 >= left - GRID.ink_slack and r.x1 <= right + GRID.ink_slack]
    if not inside:
        return None
    top = min(r.top for r in inside)
    first = [r for r in inside if r.top <= top + GRID.top_tolerance]
    return (min(r.x0 for r in first) + max(r.x1 for r in first)) / 2
