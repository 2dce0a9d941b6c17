"""Wrapped cells: lines of one cell's text (a label, or an amount too wide for its
column) that a table without inner horizontal rules prints one under the other, found
by the line pitch and alignment, so that they stay in one row."""

from __future__ import annotations

from collections import Counter

from .geometry import DisjointSets, aligned, most_common
from .patterns import AMOUNT_RX, NUMBER_RX
from .runs import Run
from .settings import GRID


def join_wrapped(runs: list[Run], coarse: list[list[int]], cols: list[tuple[int, int]]) -> list[list[int]]:
    """Join the bands that hold the lines of one wrapped cell.

    Lines continue each other when aligned, one line pitch apart, the upper one full;
    such a chain is one cell. Where rows have no padding, a chain can run on into the
    next row's cell: it is then cut so that each part is centred on the line of the
    row it belongs to (the row's other, single-line cells). When the table is too small
    to tell the line pitch for sure, only chains centred on such a line are kept.
    The pieces of one amount cut in its narrow column are one cell whatever else the
    rows print: such a chain is never cut.
    """
    widest: dict[tuple[int, int], float] = {}
    for r, c in zip(runs, cols):
        if not r.is_number():
            widest[c] = max(widest.get(c, 0.0), r.x1 - r.x0)
    pitch, sure = _wrap_pitch(runs, coarse, cols, widest)
    if pitch is None:
        return coarse
    band_of = {i: k for k, band in enumerate(coarse) for i in band}
    chains = _chains(runs, cols, pitch, widest, _decimal_places(runs))
    wrapped = {i for chain in chains for unit in chain for i in unit}
    middles = {
        k: y
        for k, band in enumerate(coarse)
        if (y := _row_line(runs, [i for i in band if i not in wrapped], cols)) is not None
    }
    sets = DisjointSets(len(coarse))
    for chain in chains:
        amount = all(_hull(runs, unit).is_number() for unit in chain)
        for part in [chain] if amount else _split_chain(chain, runs, band_of, middles):
            first, last = band_of[part[0][0]], band_of[part[-1][0]]
            if not sure and not _centred(
                part, runs, [middles[k] for k in range(first, last + 1) if k in middles], pitch * GRID.centred_ratio
            ):
                continue
            for k in range(first + 1, last + 1):
                sets.union(k, first)
    joined: dict[int, list[int]] = {}
    for k, band in enumerate(coarse):
        joined.setdefault(sets.find(k), []).extend(band)
    return sorted(joined.values(), key=lambda band: min(runs[i].top for i in band))


def _centred(part: list[list[int]], runs: list[Run], middles: list[float], tol: float) -> bool:
    """The lines of a cell are centred on one of the given row lines."""
    centre = (runs[part[0][0]].top + max(runs[i].bottom for i in part[-1])) / 2
    return any(abs(centre - m) <= tol for m in middles)


def _is_full(r: Run, widest: float) -> bool:
    """A line about as wide as the column allows: where text wraps, the lines before
    the last are (one char may have moved down with a closing bracket)."""
    return r.x1 - r.x0 > widest - GRID.full_line_slack * r.size


def _line_units(runs: list[Run], cols: list[tuple[int, int]]) -> dict[tuple[int, int], list[list[int]]]:
    """Per column, its runs grouped by printed line (pieces of one line together),
    top to bottom."""
    units: dict[tuple[tuple[int, int], int], list[int]] = {}
    for i, r in enumerate(runs):
        units.setdefault((cols[i], r.line), []).append(i)
    per_col: dict[tuple[int, int], list[list[int]]] = {}
    for (col, _), members in units.items():
        per_col.setdefault(col, []).append(members)
    for col_units in per_col.values():
        col_units.sort(key=lambda u: runs[u[0]].top)
    return per_col


def _chains(
    runs: list[Run], cols: list[tuple[int, int]], pitch: float, widest: dict[tuple[int, int], float], places: int | None
) -> list[list[list[int]]]:
    """Lines (as lists of runs) that continue each other, per column, top to bottom;
    ``places``: the decimals the table's amounts print."""
    chains: list[list[list[int]]] = []
    for col, col_units in _line_units(runs, cols).items():
        hulls = [_hull(runs, unit) for unit in col_units]
        room = max(h.x1 - h.x0 for h in hulls)
        current = [col_units[0]]
        for (_, lower), (a, b) in zip(zip(col_units, col_units[1:]), zip(hulls, hulls[1:])):
            wraps = (
                b.top - a.top <= pitch
                and aligned((a.x0, a.x1), (b.x0, b.x1))
                and (
                    amount_tail(a.text, b.text, places, _is_full(a, room))
                    or (not b.is_number() and _is_full(a, widest.get(col, 0.0)))
                )
            )
            if wraps:
                current.append(lower)
                continue
            if len(current) > 1:
                chains.append(current)
            current = [lower]
        if len(current) > 1:
            chains.append(current)
    return chains


def amount_tail(upper: str, lower: str, places: int | None, full: bool) -> bool:
    """An amount too wide for its column wraps at its separator (1,495,188 / .00,
    17082219. / 00) or, where the upper line fills the column (``full``), at any digit
    (948,289.5 / 6, 27,173,44 / 1.36, 14760442 / 8.00): the upper line is then no
    whole amount (a group cut short, fewer decimals than the table's amounts print)
    and the two lines make one."""
    if not (NUMBER_RX.match(upper) and NUMBER_RX.match(lower)):
        return False
    if upper.endswith((".", ",")) or lower.startswith((".", ",")):
        return True
    return full and _whole_amount(upper + lower, places) and not _whole_amount(upper, places)


def _whole_amount(text: str, places: int | None) -> bool:
    """Thousands groups of three and, in a table whose amounts print decimals, as many."""
    if not AMOUNT_RX.match(text):
        return False
    return places is None or ("." in text and len(text.rsplit(".", 1)[1]) == places)


def _decimal_places(runs: list[Run]) -> int | None:
    """The number of decimals most of the table's amounts print (None: no decimals)."""
    counts = Counter(len(r.text.rsplit(".", 1)[1]) for r in runs if r.is_number() and "." in r.text)
    return counts.most_common(1)[0][0] if counts else None


def _hull(runs: list[Run], members: list[int]) -> Run:
    """The pieces of one line taken as one run."""
    return Run([c for i in members for c in runs[i].chars], runs[members[0]].line)


def _row_line(runs: list[Run], single: list[int], cols: list[tuple[int, int]]) -> float | None:
    """Middle of the line where a band prints the most single-line cells (``single``):
    the line its wrapped cells are centred on."""
    per_line: dict[int, list[int]] = {}
    for i in single:
        per_line.setdefault(runs[i].line, []).append(i)
    if not per_line:
        return None
    best = max(per_line.values(), key=lambda m: len({cols[i] for i in m}))
    return sum(runs[i].middle for i in best) / len(best)


def _split_chain(
    chain: list[list[int]], runs: list[Run], band_of: dict[int, int], middles: dict[int, float]
) -> list[list[list[int]]]:
    """Cut a chain that passes the printed line of two or more rows: from its top,
    each part ends where it is best centred on its row's line."""
    lines = sorted({middles[b] for b in {band_of[u[0]] for u in chain} if b in middles})
    parts: list[list[list[int]]] = []
    start = 0
    for middle, following in zip(lines, lines[1:]):
        top = runs[chain[start][0]].top
        ends = [e for e in range(start, len(chain)) if runs[chain[e][0]].middle < following]
        if not ends:
            break
        end = min(ends, key=lambda e: abs((top + max(runs[i].bottom for i in chain[e])) / 2 - middle))
        parts.append(chain[start : end + 1])
        start = end + 1
        if start == len(chain):
            break
    if start < len(chain):
        parts.append(chain[start:])
    return parts


def _wrap_pitch(
    runs: list[Run], bands: list[list[int]], cols: list[tuple[int, int]], widest: dict[tuple[int, int], float]
) -> tuple[float | None, bool]:
    """Largest distance between the lines of one wrapped cell, from the table itself,
    and whether that is sure.

    Aligned runs one above the other in one column and one band (ink overlapping a
    taller cell's) are lines of one cell: their distance is the line pitch. Without
    such bands (cells printed at the top of their rows), distances clearly shorter than
    the most common one (between rows) below a full line are taken for wraps. Failing
    both (a table of a row or two), the shortest distance below a full line is a guess.
    """
    band_of = {i: k for k, band in enumerate(bands) for i in band}
    per_col: dict[tuple[int, int], list[int]] = {}
    for i, c in enumerate(cols):
        per_col.setdefault(c, []).append(i)
    inner: list[float] = []
    steps: list[tuple[float, bool]] = []
    for col, members in per_col.items():
        members.sort(key=lambda i: runs[i].top)
        for i, k in zip(members, members[1:]):
            a, b = runs[i], runs[k]
            if b.top - a.top <= GRID.stacked_min * a.size or not aligned((a.x0, a.x1), (b.x0, b.x1)):
                continue
            if band_of[i] == band_of[k]:
                inner.append(b.top - a.top)
            steps.append((b.top - a.top, not a.is_number() and _is_full(a, widest[col])))
    if inner:
        return sorted(inner)[len(inner) // 2] + GRID.pitch_margin, True
    full_steps = [d for d, full in steps if full]
    if not full_steps:
        return None, False
    row_step = most_common([d for d, _ in steps], tol=GRID.row_step_tolerance)
    wraps = [d for d in full_steps if d <= row_step - GRID.wrap_shorter]
    return (max(wraps) + GRID.pitch_margin, True) if wraps else (min(full_steps) + GRID.pitch_margin, False)
