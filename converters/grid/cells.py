"""Cells from rules: cut positions where rules are drawn, cells joined where a rule
between them is missing, and every char put in the cell under its centre."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from .geometry import DisjointSets, cluster
from .layout import Grid, Layout
from .rules import Segment
from .runs import chars_to_text
from .settings import GRID


def rule_positions(rules: list[Segment], lo: float, hi: float) -> list[float]:
    """Distinct rule positions, with the region's edges where no rule is drawn."""
    pos = cluster([s.pos for s in rules])
    if not pos or pos[0] > lo + GRID.snap:
        pos.insert(0, lo)
    if pos[-1] < hi - GRID.snap:
        pos.append(hi)
    return pos


def open_from_rules(layout: Layout, rules: list[Segment], vertical: bool) -> None:
    """Join neighbouring cells wherever no rule is drawn between them."""
    cuts, across = (layout.xs, layout.ys) if vertical else (layout.ys, layout.xs)
    by_pos = sorted(rules, key=lambda s: s.pos)
    keys = [s.pos for s in by_pos]
    for k in range(1, len(cuts) - 1):
        near = by_pos[bisect_left(keys, cuts[k] - GRID.snap) : bisect_right(keys, cuts[k] + GRID.snap)]
        for m in range(len(across) - 1):
            if not any(s.covers(across[m] + GRID.cover_inset, across[m + 1] - GRID.cover_inset) for s in near):
                layout.open_v.add((m, k - 1)) if vertical else layout.open_h.add((k - 1, m))


def cut(layout: Layout, chars: list[dict]) -> Grid:
    """Resolve joined cells into merges and put each char in the cell under its centre."""
    ys, xs = layout.ys, layout.xs
    nr, nc = len(ys) - 1, len(xs) - 1
    sets = DisjointSets(nr * nc)
    for i, j in layout.open_v:
        if 0 <= i < nr and 0 <= j < nc - 1:
            sets.union(i * nc + j + 1, i * nc + j)
    for i, j in layout.open_h:
        if 0 <= i < nr - 1 and 0 <= j < nc:
            sets.union((i + 1) * nc + j, i * nc + j)
    buckets: dict[int, list[dict]] = {}
    for c in chars:
        cx, cy = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
        i, j = bisect_right(ys, cy) - 1, bisect_right(xs, cx) - 1
        if 0 <= i < nr and 0 <= j < nc:
            buckets.setdefault(sets.find(i * nc + j), []).append(c)
    spans: dict[int, list[int]] = {}
    for i in range(nr):
        for j in range(nc):
            s = spans.setdefault(sets.find(i * nc + j), [i, j, i, j])
            s[0], s[1], s[2], s[3] = min(s[0], i), min(s[1], j), max(s[2], i), max(s[3], j)
    rows = [["" for _ in range(nc)] for _ in range(nr)]
    merges: list[tuple[int, int, int, int]] = []
    for root, (i0, j0, i1, j1) in spans.items():
        rows[i0][j0] = chars_to_text(buckets.get(root, []))
        if i1 > i0 or j1 > j0:
            merges.append((i0, j0, i1 - i0 + 1, j1 - j0 + 1))
    return Grid(rows, sorted(merges))
