"""Group labels: labels centred over labels of their own (本年收入 over 合计, 一般公共预算 …),
found from the header's text, and the columns each is centred over."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from ..text import CODE_RX
from .geometry import overlapped
from .layout import Columns
from .patterns import BODY_RX
from .rules import Region
from .runs import Run
from .settings import GRID


def place_groups(columns: Columns, runs: list[Run], occupied: dict[int, set[int]] | None) -> None:
    """Give each group label the columns it is centred over, left to right.

    A header row leaves no cell empty, so with the cells of its row known
    (``occupied``: columns that other cells of the label's row fill) a label takes the
    widest span that is centred under it; without, the best centred one.
    """
    for i in sorted(columns.groups, key=lambda k: runs[k].x0):
        blocked = set() if occupied is None else occupied.get(i, set())
        columns.spans[i] = group_span(i, runs, columns, blocked, widest=occupied is not None)


def group_labels(region: Region, runs: list[Run], bands: list[int]) -> dict[int, tuple[Run, Run]]:
    """Labels centred over labels of their own (本年收入 over 合计, 一般公共预算 …), with
    the nearest such label on each side.

    The labels a group label stands over are the non-numeric runs printed below it,
    between its neighbours on its own line, in the next few header rows (bands without
    amounts; a label merged over two rows may sit in the second): a group label has them
    both left and right of its centre. Body text and left-aligned text (its left edge
    shared with other text or codes) never is one, nor is a wrapped cell's last line;
    amounts lining up with a label's left edge (right-aligned, or a wrapped amount's
    last digits) say nothing about it.
    """
    by_line: dict[int, list[Run]] = {}
    per_band: dict[int, list[Run]] = {}
    for r, band in zip(runs, bands):
        by_line.setdefault(r.line, []).append(r)
        per_band.setdefault(band, []).append(r)
    header = header_bands(runs, bands)
    lefts = sorted(r.x0 for r in runs if not r.is_number() or CODE_RX.match(r.text))
    out: dict[int, tuple[Run, Run]] = {}
    for i in sorted(range(len(runs)), key=lambda k: runs[k].top):
        r = runs[i]
        if bands[i] not in header or r.is_number() or shares_left_edge(r, lefts) or _wraps_on(i, runs, out):
            continue
        lo, hi = _line_room(r, by_line[r.line], region)
        left: list[Run] = []
        right: list[Run] = []
        for band in range(bands[i], bands[i] + GRID.group_depth):
            if band not in header:
                break
            for k in per_band[band]:
                if (
                    k.top > r.bottom - GRID.ink_slack
                    and lo - GRID.ink_slack <= k.x0
                    and k.x1 <= hi + GRID.ink_slack
                    and not k.is_number()
                ):
                    if k.centre < r.centre - GRID.group_side * r.size:
                        left.append(k)
                    elif k.centre > r.centre + GRID.group_side * r.size:
                        right.append(k)
            if left and right:
                out[i] = (max(left, key=lambda k: k.centre), min(right, key=lambda k: k.centre))
                break
    return out


def _wraps_on(i: int, runs: list[Run], groups: dict[int, tuple[Run, Run]]) -> bool:
    """The run is the last line of a wrapped cell (社会效益指 / 标, the short last line
    centred under the full one): it lies one line under a wider run that is no group
    label, within its ink."""
    r = runs[i]
    return any(
        0 < r.top - k.top <= GRID.wrap_last_line * r.size
        and k.x0 - GRID.ink_slack <= r.x0
        and r.x1 <= k.x1 + GRID.ink_slack
        and j not in groups
        for j, k in enumerate(runs)
        if j != i
    )


def header_bands(runs: list[Run], bands: list[int]) -> set[int]:
    """Bands above the first one that prints an amount or a code (all of them when
    none does)."""
    first = min((b for r, b in zip(runs, bands) if BODY_RX.match(r.text)), default=None)
    return {b for b in bands if first is None or b < first}


def shares_left_edge(r: Run, lefts: list[float]) -> bool:
    """True when two other runs start where this one does: a left-aligned column."""
    starting = bisect_right(lefts, r.x0 + GRID.align) - bisect_left(lefts, r.x0 - GRID.align)
    return starting >= GRID.left_aligned_count


def _line_room(r: Run, line: list[Run], region: Region) -> tuple[float, float]:
    """The x range between a run's neighbours on its line (or the box)."""
    lo, hi = region.x0, region.x1
    for other in line:
        if other.x1 <= r.x0:
            lo = max(lo, other.x1)
        elif other.x0 >= r.x1:
            hi = min(hi, other.x0)
    return lo, hi


def group_span(i: int, runs: list[Run], columns: Columns, blocked: set[int], widest: bool) -> tuple[int, int]:
    """The columns a group label is centred over: they include its nearest labels
    below on both sides and exclude columns ``blocked`` or filled by other runs on its
    line; of the candidates, the one whose middle is closest to the label's centre,
    or (``widest``) the widest of those nearly as close."""
    r, xs, spans, kids = runs[i], columns.xs, columns.spans, columns.groups[i]
    own = overlapped(xs, r.x0, r.x1)
    need = (
        min(own[0], overlapped(xs, kids[0].x0, kids[0].x1)[0]),
        max(own[1], overlapped(xs, kids[1].x0, kids[1].x1)[1]),
    )
    taken = blocked - set(range(own[0], own[1] + 1))
    for k, other in enumerate(runs):
        if k != i and other.top < r.bottom - GRID.overlap_slack and other.bottom > r.top + GRID.overlap_slack:
            a, b = spans.get(k) or overlapped(xs, other.x0, other.x1)
            taken.update(range(a, b + 1))
    if any(j in taken for j in range(need[0], need[1] + 1)):
        need = own
        if any(j in taken for j in range(own[0], own[1] + 1)):
            return own
    lo, hi = need[0], need[1]
    while lo > 0 and lo - 1 not in taken:
        lo -= 1
    while hi < len(xs) - 2 and hi + 1 not in taken:
        hi += 1
    candidates = [
        (abs(r.centre - (xs[a] + xs[b + 1]) / 2), a, b) for a in range(lo, need[0] + 1) for b in range(need[1], hi + 1)
    ]
    best = min(candidates)
    if widest:
        near = best[0] + GRID.group_span_slack * r.size
        best = max((c for c in candidates if c[0] <= near), key=lambda c: (c[2] - c[1], -c[0]))
    return best[1], best[2]
