"""Small geometry helpers shared by the steps: union-find, clustering positions, merging
x ranges, finding which row or columns a position falls in, and alignment."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from .settings import GRID


class DisjointSets:
    """Union-find over integers: rules that touch, cells that are merged."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        self.parent[self.find(i)] = self.find(j)


def cluster(values: list[float], tol: float | None = None) -> list[float]:
    """Distinct positions, ascending: a value within ``tol`` (default: the snap distance)
    of the last kept one is the same position."""
    tol = GRID.snap if tol is None else tol
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def merge_ranges(ranges: list[tuple[float, float]], gap: float = 0.0) -> list[tuple[float, float]]:
    """Union of x ranges (ranges closer than ``gap`` are joined), left to right."""
    out: list[list[float]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1] + gap:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def row_of(ys: list[float], y: float) -> int:
    """Index of the row (between ``ys[i]`` and ``ys[i + 1]``) that ``y`` falls in."""
    return bisect_right(ys, y) - 1


def overlapped(xs: list[float], x0: float, x1: float) -> tuple[int, int]:
    """First and last column that the x range x0..x1 inks."""
    a = max(0, min(len(xs) - 2, bisect_right(xs, x0 + GRID.ink_slack) - 1))
    b = max(a, min(len(xs) - 2, bisect_left(xs, x1 - GRID.ink_slack) - 1))
    return a, b


def aligned(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Two x ranges printed with one alignment: same left edge, centre or right edge."""
    return (
        abs(a[0] - b[0]) <= GRID.align
        or abs(a[1] - b[1]) <= GRID.align
        or abs(a[0] + a[1] - b[0] - b[1]) <= 2 * GRID.align
    )


def most_common(values: list[float], tol: float) -> float:
    """The value with the most others within ``tol`` of it."""
    values = sorted(values)
    best, best_count, lo = values[0], 0, 0
    for hi, v in enumerate(values):
        while v - values[lo] > 2 * tol:
            lo += 1
        if hi - lo + 1 > best_count:
            best, best_count = values[(lo + hi) // 2], hi - lo + 1
    return best
