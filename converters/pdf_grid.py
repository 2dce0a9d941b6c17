"""Find tables on a PDF page and cut them into a grid of cells.

Budget tables are drawn with rules, but renderings leave some out: the inner vertical
rules, every inner rule (only the outer box), or the bottom rule where a table breaks
across pages. Row and column boundaries come from the rules where they exist and from
the text where they do not:

* columns (:func:`infer_columns`): the x ranges that the text of every row leaves empty.
  Labels centred over several columns (本年收入 over its parts) would hide or invent
  boundaries, so they are recognised by the labels printed under them on both sides and
  left out of that count; each then gets the columns it is centred over.
* rows (:func:`text_rows`): the y ranges that no text crosses; lines of one wrapped cell
  stay together, and a header label centred over two header rows spans both.

Merged cells are where a rule between two neighbouring cells is missing or, without
rules, where text crosses the boundary or is centred over several cells.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field

SNAP = 2.0  # points: rules closer than this are one rule
MIN_TABLE_WIDTH = 80.0
STACK_DISTANCE = 80.0  # points: horizontal rules of one width this close belong to one table
RUN_GAP = 0.5  # chars further apart than this many char sizes start a new run
CELL_GAP = 1.0  # runs at least this many char sizes apart can be separate cells
ALIGN = 1.5  # points: runs whose left edges, centres or right edges differ less are aligned
CHILD_DEPTH = 3.5  # char sizes below a label where the labels it groups are printed
NUMBER_RX = re.compile(r"^[-+]?[\d,.%]+$")
AMOUNT_RX = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+(\.\d+)?|\d+\.\d+)$")


@dataclass
class Segment:
    """A horizontal (``y``, ``a``..``b`` in x) or vertical (``x``, ``a``..``b`` in y) rule."""

    pos: float
    a: float
    b: float

    def covers(self, lo: float, hi: float) -> bool:
        return self.a <= lo + SNAP and self.b >= hi - SNAP


@dataclass
class Region:
    """One table's rules on one page."""

    x0: float
    top: float
    x1: float
    bottom: float
    hrules: list[Segment] = field(default_factory=list)
    vrules: list[Segment] = field(default_factory=list)

    def contains(self, x: float, y: float) -> bool:
        return self.x0 - 1 <= x <= self.x1 + 1 and self.top - 1 <= y <= self.bottom + 1

    def inner_hrules(self) -> list[Segment]:
        return [s for s in self.hrules if self.top + SNAP < s.pos < self.bottom - SNAP]

    def inner_vrules(self) -> list[Segment]:
        return [s for s in self.vrules if self.x0 + SNAP < s.pos < self.x1 - SNAP]


def page_segments(page, keep_edge) -> tuple[list[Segment], list[Segment]]:
    """Horizontal and vertical rules of a page: lines, rect sides and stroked paths.

    Filled paths are glyph-like shapes (a WordArt watermark is dozens of them), never
    rules, and are not even split into edges: that is where the time would go.
    """
    from pdfplumber.utils import obj_to_edges

    hs: list[Segment] = []
    vs: list[Segment] = []
    objects = page.objects
    shapes = objects.get("line", []) + objects.get("rect", [])
    shapes += [c for c in objects.get("curve", []) if c.get("stroke") and not c.get("fill")]
    for obj in shapes:
        for e in obj_to_edges(obj):
            if not keep_edge(e):
                continue
            if e["orientation"] == "h":
                hs.append(Segment(e["top"], e["x0"], e["x1"]))
            elif e["orientation"] == "v":
                vs.append(Segment(e["x0"], e["top"], e["bottom"]))
    return _join(hs), _join(vs)


def _join(segs: list[Segment]) -> list[Segment]:
    """Merge collinear segments that touch, so a rule drawn in pieces is one rule."""
    segs.sort(key=lambda s: (round(s.pos / SNAP), s.a))
    out: list[Segment] = []
    for s in segs:
        last = out[-1] if out else None
        if last and abs(last.pos - s.pos) <= SNAP and s.a <= last.b + SNAP:
            last.b = max(last.b, s.b)
        else:
            out.append(Segment(s.pos, s.a, s.b))
    return [s for s in out if s.b - s.a > 3]


class _Sets:
    """Union-find over integers."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        self.parent[self.find(i)] = self.find(j)


def find_regions(hs: list[Segment], vs: list[Segment]) -> list[Region]:
    """Group rules into tables: rules that touch belong together, and so does a stack
    of horizontal rules of one width (a table without vertical rules).

    A table needs two horizontal rules, or one and two vertical ones: a table broken
    across pages may lack its bottom (or top) rule on one of them.
    """
    sets = _Sets(len(hs) + len(vs))
    _union_touching(hs, vs, sets)
    _union_stacked(hs, sets)
    groups: dict[int, Region] = {}
    items = [("h", s) for s in hs] + [("v", s) for s in vs]
    for i, (kind, s) in enumerate(items):
        x0, top, x1, bottom = (s.a, s.pos, s.b, s.pos) if kind == "h" else (s.pos, s.a, s.pos, s.b)
        r = groups.setdefault(sets.find(i), Region(x0, top, x1, bottom))
        r.x0, r.top, r.x1, r.bottom = min(r.x0, x0), min(r.top, top), max(r.x1, x1), max(r.bottom, bottom)
        (r.hrules if kind == "h" else r.vrules).append(s)
    regions = [r for r in groups.values() if r.x1 - r.x0 >= MIN_TABLE_WIDTH and r.bottom - r.top > SNAP
               and (len(r.hrules) >= 2 or (r.hrules and len(r.vrules) >= 2))]
    return sorted(regions, key=lambda r: r.top)


def _union_touching(hs: list[Segment], vs: list[Segment], sets: _Sets) -> None:
    """Join each horizontal rule with the vertical rules it touches (sorted search, so
    a page full of short strokes does not cost a comparison per pair)."""
    order = sorted(range(len(vs)), key=lambda k: vs[k].pos)
    xs = [vs[k].pos for k in order]
    for i, h in enumerate(hs):
        for k in order[bisect_left(xs, h.a - SNAP):bisect_right(xs, h.b + SNAP)]:
            v = vs[k]
            if v.a - SNAP <= h.pos <= v.b + SNAP:
                sets.union(i, len(hs) + k)


def _union_stacked(hs: list[Segment], sets: _Sets) -> None:
    """Join each horizontal rule with the closest one above it of the same extent."""
    last: dict[tuple[int, int], int] = {}
    for i in sorted(range(len(hs)), key=lambda k: hs[k].pos):
        h = hs[i]
        key = (round(h.a / 6), round(h.b / 6))
        for ka in (key[0] - 1, key[0], key[0] + 1):
            for kb in (key[1] - 1, key[1], key[1] + 1):
                j = last.get((ka, kb))
                if j is not None and abs(hs[j].a - h.a) < 6 and abs(hs[j].b - h.b) < 6 \
                        and h.pos - hs[j].pos < STACK_DISTANCE:
                    sets.union(i, j)
        last[key] = i


@dataclass
class Run:
    """Chars printed next to each other on one line: a cell's text, or one line of it."""

    chars: list[dict]
    line: int
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    size: float = 0.0

    def __post_init__(self) -> None:
        self.x0 = min(c["x0"] for c in self.chars)
        self.x1 = max(c["x1"] for c in self.chars)
        self.top = min(c["top"] for c in self.chars)
        self.bottom = max(c["bottom"] for c in self.chars)
        self.size = max(max(c["size"] for c in self.chars), 4.0)

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)

    def is_number(self) -> bool:
        return bool(NUMBER_RX.match(self.text))


def aligned(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Two x ranges printed with one alignment: same left edge, centre or right edge."""
    return (abs(a[0] - b[0]) <= ALIGN or abs(a[1] - b[1]) <= ALIGN
            or abs(a[0] + a[1] - b[0] - b[1]) <= 2 * ALIGN)


def make_runs(chars: list[dict]) -> list[Run]:
    """Runs of every printed line, lines top to bottom, runs left to right."""
    runs: list[Run] = []
    for number, line in enumerate(_lines(chars)):
        current = [line[0]]
        for prev, c in zip(line, line[1:]):
            if c["x0"] - prev["x1"] > RUN_GAP * max(prev["size"], 4.0):
                runs.append(Run(current, number))
                current = [c]
            else:
                current.append(c)
        runs.append(Run(current, number))
    return runs


def _lines(chars: list[dict]) -> list[list[dict]]:
    """Chars grouped into printed lines by their vertical middle, each sorted by x."""
    lines: list[list[dict]] = []
    mids: list[float] = []
    for c in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        mid = (c["top"] + c["bottom"]) / 2
        if lines and abs(mid - mids[-1]) <= max(2.0, c["size"] * 0.45):
            lines[-1].append(c)
        else:
            lines.append([c])
            mids.append(mid)
    for line in lines:
        line.sort(key=lambda c: c["x0"])
    return lines


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


def build_grid(region: Region, chars: list[dict]) -> Grid:
    """Cut a region into cells and put every char in exactly one of them."""
    runs = make_runs(chars) if chars else []
    ruled_rows = bool(region.inner_hrules()) or not runs
    if ruled_rows:
        ys = _rule_positions(region.hrules, region.top, region.bottom)
        bands = [bisect_right(ys, r.middle) - 1 for r in runs]
    else:
        coarse = text_bands(runs)
        bands = [0] * len(runs)
        for k, members in enumerate(coarse):
            for i in members:
                bands[i] = k
    if region.inner_vrules():
        xs = _rule_positions(region.vrules, region.x0, region.x1)
        spans = {i: cols for i, r in enumerate(runs) if (cols := _overlapped(xs, r.x0, r.x1))[0] != cols[1]}
    else:
        ends = [p for s in region.inner_hrules() for p in (s.a, s.b) if region.x0 + SNAP < p < region.x1 - SNAP]
        xs, spans = infer_columns(region, runs, bands, ends)
    if ruled_rows:
        layout = Layout(ys, xs)
        _open_from_rules(layout, region.hrules, vertical=False)
    else:
        layout = text_rows(region, runs, coarse, xs, spans)
    if region.inner_vrules():
        _open_from_rules(layout, region.vrules, vertical=True)
    else:
        for i, (a, b) in spans.items():
            row = bisect_right(layout.ys, runs[i].middle) - 1
            layout.open_v.update((row, j) for j in range(a, b))
    return cut(layout, chars)


def _rule_positions(rules: list[Segment], lo: float, hi: float) -> list[float]:
    """Distinct rule positions, with the region's edges where no rule is drawn."""
    pos = _cluster([s.pos for s in rules])
    if not pos or pos[0] > lo + SNAP:
        pos.insert(0, lo)
    if pos[-1] < hi - SNAP:
        pos.append(hi)
    return pos


def _cluster(values: list[float], tol: float = SNAP) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _open_from_rules(layout: Layout, rules: list[Segment], vertical: bool) -> None:
    """Join neighbouring cells wherever no rule is drawn between them."""
    cuts, across = (layout.xs, layout.ys) if vertical else (layout.ys, layout.xs)
    by_pos = sorted(rules, key=lambda s: s.pos)
    keys = [s.pos for s in by_pos]
    for k in range(1, len(cuts) - 1):
        near = by_pos[bisect_left(keys, cuts[k] - SNAP):bisect_right(keys, cuts[k] + SNAP)]
        for m in range(len(across) - 1):
            if not any(s.covers(across[m] + 1, across[m + 1] - 1) for s in near):
                layout.open_v.add((m, k - 1)) if vertical else layout.open_h.add((k - 1, m))


def cut(layout: Layout, chars: list[dict]) -> Grid:
    """Resolve joined cells into merges and put each char in the cell under its centre."""
    ys, xs = layout.ys, layout.xs
    nr, nc = len(ys) - 1, len(xs) - 1
    sets = _Sets(nr * nc)
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


# --- columns from text -------------------------------------------------------------


def infer_columns(region: Region, runs: list[Run], bands: list[int],
                  rule_ends: list[float]) -> tuple[list[float], dict[int, tuple[int, int]]]:
    """Column boundaries of a table without inner vertical rules, and the columns that
    each label printed across several of them spans.

    Text of one column never touches text of its neighbour, so boundaries lie in the x
    ranges that no run inks. A boundary needs a row with text on both sides of it:
    a name printed left in a wide column under a centred label is not a column of
    its own. Group labels and runs that reach over two cells of another row do not
    count; where an inner horizontal rule stops short of the box, a boundary is there.
    """
    groups = group_labels(region, runs)
    crossing = crossing_runs(runs, bands, groups)
    leaves = [i for i in range(len(runs)) if i not in groups and i not in crossing]
    intervals = _merge_ranges([(runs[i].x0, runs[i].x1) for i in leaves])
    xs = _boundaries(region, intervals, _justified(intervals, [(bands[i], runs[i]) for i in leaves]), rule_ends)
    spans: dict[int, tuple[int, int]] = {}
    for i in crossing:
        spans[i] = _overlapped(xs, runs[i].x0, runs[i].x1)
    for i in sorted(groups, key=lambda k: runs[k].x0):
        spans[i] = _group_span(i, runs, xs, groups[i], spans)
    return xs, {i: s for i, s in spans.items() if s[0] != s[1]}


def group_labels(region: Region, runs: list[Run]) -> dict[int, tuple[Run, Run]]:
    """Labels centred over labels of their own (本年收入 over 合计, 一般公共预算 …), with
    the nearest such label on each side.

    A group label has, between its neighbours on its own line and a few lines below it,
    non-numeric runs both left and right of its centre; left-aligned body text (its
    left edge shared with other runs) never is one.
    """
    by_line: dict[int, list[Run]] = {}
    for r in runs:
        by_line.setdefault(r.line, []).append(r)
    order = sorted(range(len(runs)), key=lambda k: runs[k].top)
    tops = [runs[k].top for k in order]
    lefts = sorted(r.x0 for r in runs)
    out: dict[int, tuple[Run, Run]] = {}
    for i, r in enumerate(runs):
        if r.is_number() or _shares_left_edge(r, lefts):
            continue
        lo, hi = _line_room(r, by_line[r.line], region)
        below = order[bisect_right(tops, r.top + 0.5 * r.size):bisect_right(tops, r.bottom + CHILD_DEPTH * r.size)]
        kids = [runs[k] for k in below if lo - 1 <= runs[k].x0 and runs[k].x1 <= hi + 1 and not runs[k].is_number()]
        left = [k for k in kids if k.centre < r.centre - 0.5 * r.size]
        right = [k for k in kids if k.centre > r.centre + 0.5 * r.size]
        if left and right:
            out[i] = (max(left, key=lambda k: k.centre), min(right, key=lambda k: k.centre))
    return out


def _shares_left_edge(r: Run, lefts: list[float]) -> bool:
    """True when two other runs start where this one does: a left-aligned column."""
    return bisect_right(lefts, r.x0 + ALIGN) - bisect_left(lefts, r.x0 - ALIGN) >= 3


def _line_room(r: Run, line: list[Run], region: Region) -> tuple[float, float]:
    """The x range between a run's neighbours on its line (or the box)."""
    lo, hi = region.x0, region.x1
    for other in line:
        if other.x1 <= r.x0:
            lo = max(lo, other.x1)
        elif other.x0 >= r.x1:
            hi = min(hi, other.x0)
    return lo, hi


def crossing_runs(runs: list[Run], bands: list[int], groups: dict[int, tuple[Run, Run]]) -> set[int]:
    """Runs that reach over two separate cells of another row (a left-aligned label
    across several columns): they would hide the boundary between those cells."""
    per_band: dict[int, list[tuple[float, float]]] = {}
    for i, r in enumerate(runs):
        if i not in groups:
            per_band.setdefault(bands[i], []).append((r.x0, r.x1))
    cells = {b: _merge_ranges(v, gap=CELL_GAP * max(r.size for r in runs)) for b, v in per_band.items()}
    starts = {b: [a for a, _ in v] for b, v in cells.items()}
    out: set[int] = set()
    for i, r in enumerate(runs):
        if i in groups:
            continue
        for b, v in cells.items():
            if b == bands[i]:
                continue
            k = bisect_left(starts[b], r.x1 - 1)
            if sum(1 for a, e in v[max(0, k - 3):k] if e > r.x0 + 1) >= 2:
                out.add(i)
                break
    return out


def _merge_ranges(ranges: list[tuple[float, float]], gap: float = 0.0) -> list[tuple[float, float]]:
    """Union of x ranges (ranges closer than ``gap`` are joined), left to right."""
    out: list[list[float]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1] + gap:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _justified(intervals: list[tuple[float, float]], placed: list[tuple[int, Run]]) -> list[bool]:
    """For each gap between neighbouring inked ranges: does some row print on both sides?"""
    starts = [a for a, _ in intervals]
    span: dict[int, list[int]] = {}
    for band, r in placed:
        k = bisect_right(starts, r.x0 + 0.01) - 1
        s = span.setdefault(band, [k, k])
        s[0], s[1] = min(s[0], k), max(s[1], k)
    marks = [0] * (len(intervals) + 1)
    for lo, hi in span.values():
        if hi > lo:
            marks[lo] += 1
            marks[hi] -= 1
    out, running = [], 0
    for k in range(len(intervals) - 1):
        running += marks[k]
        out.append(running > 0)
    return out


def _boundaries(region: Region, intervals: list[tuple[float, float]], justified: list[bool],
                rule_ends: list[float]) -> list[float]:
    """Column boundaries: the middle of each justified gap, or the end of a horizontal
    rule where one stops inside the table (drawn, so exact)."""
    xs = [region.x0]
    for k, ok in enumerate(justified):
        lo, hi = intervals[k][1], intervals[k + 1][0]
        inside = [e for e in rule_ends if lo - 1 <= e <= hi + 1]
        if inside:
            xs.append(inside[0])
        elif ok:
            xs.append((lo + hi) / 2)
    for e in rule_ends:
        if all(abs(e - x) > SNAP for x in xs):
            xs.append(e)
    xs.append(region.x1)
    return _cluster(xs)


def _overlapped(xs: list[float], x0: float, x1: float) -> tuple[int, int]:
    """First and last column that the x range x0..x1 inks."""
    a = max(0, min(len(xs) - 2, bisect_right(xs, x0 + 1) - 1))
    b = max(a, min(len(xs) - 2, bisect_left(xs, x1 - 1) - 1))
    return a, b


def _group_span(i: int, runs: list[Run], xs: list[float], kids: tuple[Run, Run],
                spans: dict[int, tuple[int, int]]) -> tuple[int, int]:
    """The columns a group label is centred over: they include its nearest labels
    below on both sides, exclude cells other runs on its line fill, and of the
    candidates the one whose middle is closest to the label's centre wins."""
    r = runs[i]
    own = _overlapped(xs, r.x0, r.x1)
    need = (min(own[0], _overlapped(xs, kids[0].x0, kids[0].x1)[0]),
            max(own[1], _overlapped(xs, kids[1].x0, kids[1].x1)[1]))
    taken: set[int] = set()
    for k, other in enumerate(runs):
        if k != i and other.top < r.bottom - 0.5 and other.bottom > r.top + 0.5:
            a, b = spans.get(k) or _overlapped(xs, other.x0, other.x1)
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
    candidates = [(abs(r.centre - (xs[a] + xs[b + 1]) / 2), b - a, a, b)
                  for a in range(lo, need[0] + 1) for b in range(need[1], hi + 1)]
    best = min(c[0] for c in candidates)
    _, _, a, b = min(c for c in candidates if c[0] <= best + 1.0)[1:] and \
        min((c[1], c[0], c[2], c[3]) for c in candidates if c[0] <= best + 1.0)
    return a, b


# --- rows from text ----------------------------------------------------------------


def text_bands(runs: list[Run]) -> list[list[int]]:
    """Runs grouped into bands whose ink overlaps vertically, top to bottom: the lines
    of a cell printed beside a taller cell's middle line join its row this way."""
    bands: list[list[int]] = []
    bottom = float("-inf")
    for i in sorted(range(len(runs)), key=lambda k: runs[k].top):
        r = runs[i]
        if bands and r.top < bottom - 0.5:
            bands[-1].append(i)
            bottom = max(bottom, r.bottom)
        else:
            bands.append([i])
            bottom = r.bottom
    return bands


def text_rows(region: Region, runs: list[Run], coarse: list[list[int]], xs: list[float],
              spans: dict[int, tuple[int, int]]) -> Layout:
    """Rows of a table without inner horizontal rules, from its text.

    Bands of overlapping ink are rows, except that a wrapped cell whose lines leave a
    gap keeps them together and a header band holding two rows of labels (one label
    over others) is cut between them; a label spanning both stays whole (merged).
    """
    cols = [spans.get(i) or _overlapped(xs, r.x0, r.x1) for i, r in enumerate(runs)]
    bands = _join_wrapped(runs, coarse, cols)
    cuts: list[float] = []
    cells: list[tuple[float, float, tuple[int, int]]] = []
    for k, band in enumerate(bands):
        if k:
            above = max(runs[i].bottom for i in bands[k - 1])
            cuts.append((above + min(runs[i].top for i in band)) / 2)
        band_cells = _cells(runs, band, cols)
        cells.extend(band_cells)
        cuts.extend(_header_cuts(band_cells, len(xs) - 1))
    ys = _cluster([region.top] + [y for y in cuts if region.top < y < region.bottom] + [region.bottom], tol=0.5)
    layout = Layout(ys, xs)
    for top, bottom, (a, b) in cells:
        for k in range(bisect_right(ys, top + 0.5), bisect_left(ys, bottom - 0.5)):
            layout.open_h.update((k - 1, j) for j in range(a, b + 1))
    _merge_centred_down(layout, cells, _header_rows(ys, runs))
    return layout


def _join_wrapped(runs: list[Run], coarse: list[list[int]], cols: list[tuple[int, int]]) -> list[list[int]]:
    """Join a band to the one above when it only continues cells of that band: each
    of its runs sits under a full line of its column, aligned, one line pitch lower."""
    pitch = _wrap_pitch(runs, cols)
    if pitch is None:
        return coarse
    widest: dict[tuple[int, int], float] = {}
    for r, c in zip(runs, cols):
        widest[c] = max(widest.get(c, 0.0), r.x1 - r.x0)
    out = [list(coarse[0])] if coarse else []
    for band in coarse[1:]:
        if all(_continues(runs[i], cols[i], out[-1], runs, cols, pitch, widest) for i in band):
            out[-1].extend(band)
        else:
            out.append(list(band))
    return out


def _continues(r: Run, col: tuple[int, int], above: list[int], runs: list[Run], cols: list[tuple[int, int]],
               pitch: float, widest: dict[tuple[int, int], float]) -> bool:
    if r.is_number():
        return False
    over = [runs[k] for k in above if cols[k] == col and runs[k].top < r.top]
    if not over:
        return False
    last = max(over, key=lambda k: k.top)
    return (r.top - last.top <= pitch and aligned((last.x0, last.x1), (r.x0, r.x1))
            and last.x1 - last.x0 >= widest[col] - 1.2 * last.size)


def _wrap_pitch(runs: list[Run], cols: list[tuple[int, int]]) -> float | None:
    """Largest distance between the lines of one wrapped cell, from the table itself.

    Aligned runs one above the other in a column are either lines of one cell (the
    font's line pitch) or cells of successive rows (pitch plus the cell padding). The
    most common distance is between rows; if some are clearly shorter, the limit lies
    between the two; if none are, nothing is joined.
    """
    per_col: dict[tuple[int, int], list[Run]] = {}
    for r, c in zip(runs, cols):
        per_col.setdefault(c, []).append(r)
    steps: list[float] = []
    for col_runs in per_col.values():
        col_runs.sort(key=lambda r: r.top)
        for a, b in zip(col_runs, col_runs[1:]):
            if b.top - a.top > 0.5 * a.size and aligned((a.x0, a.x1), (b.x0, b.x1)):
                steps.append(b.top - a.top)
    if not steps:
        return None
    row_step = Counter(round(s * 2) / 2 for s in steps).most_common(1)[0][0]
    shorter = [s for s in steps if s < row_step - 2.5]
    return (max(shorter) + row_step) / 2 if shorter else None


def _cells(runs: list[Run], band: list[int], cols: list[tuple[int, int]]) -> list[tuple[float, float, tuple[int, int]]]:
    """Cells of one band: runs of the same columns, stacked and aligned (or side by
    side on one line), as (top, bottom, columns)."""
    cells: list[list] = []
    for i in sorted(band, key=lambda k: (runs[k].top, runs[k].x0)):
        r = runs[i]
        for cell in reversed(cells):
            if cell[4] == cols[i] and (r.top < cell[1] - 0.5 or aligned((cell[2], cell[3]), (r.x0, r.x1))):
                cell[1], cell[2], cell[3] = max(cell[1], r.bottom), min(cell[2], r.x0), max(cell[3], r.x1)
                break
            if cell[4][0] <= cols[i][1] and cols[i][0] <= cell[4][1]:
                cells.append([r.top, r.bottom, r.x0, r.x1, cols[i]])
                break
        else:
            cells.append([r.top, r.bottom, r.x0, r.x1, cols[i]])
    return [(c[0], c[1], c[4]) for c in cells]


def _header_cuts(cells: list[tuple[float, float, tuple[int, int]]], n_cols: int) -> list[float]:
    """Where a band holds two cells one above the other in some column, a row boundary
    lies between them; as few boundaries as possible, each inside every gap it serves."""
    gaps: list[tuple[float, float]] = []
    for j in range(n_cols):
        stack = sorted((c for c in cells if c[2][0] <= j <= c[2][1]), key=lambda c: c[0])
        gaps += [(a[1], b[0]) for a, b in zip(stack, stack[1:]) if b[0] >= a[1]]
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
    """Rows above the first one that prints an amount: the header, where labels may be
    centred over several rows (all rows when nothing is an amount)."""
    first = min((r.top for r in runs if AMOUNT_RX.match(r.text)), default=None)
    return len(ys) - 1 if first is None else bisect_right(ys, first) - 1


def _merge_centred_down(layout: Layout, cells: list[tuple[float, float, tuple[int, int]]], n_header: int) -> None:
    """A header label printed in the middle of its row and empty rows above it (项目名称
    beside 财政拨款 over its parts) spans them: its cell is merged upward."""
    ys = layout.ys
    for top, bottom, (a, b) in cells:
        row = bisect_right(ys, (top + bottom) / 2) - 1
        if not 0 < row < n_header or bisect_right(ys, top + 0.5) - 1 != bisect_left(ys, bottom - 0.5) - 1:
            continue
        first = row
        while first > 0 and not any(bisect_right(ys, (t + e) / 2) - 1 == first - 1 and ca <= b and a <= cb
                                    for t, e, (ca, cb) in cells):
            first -= 1
        mid = (top + bottom) / 2
        best = min(range(first, row + 1), key=lambda k: (abs(mid - (ys[k] + ys[row + 1]) / 2), -k))
        if best < row and abs(mid - (ys[row] + ys[row + 1]) / 2) - abs(mid - (ys[best] + ys[row + 1]) / 2) > 1.0:
            layout.open_h.update((k, j) for k in range(best, row) for j in range(a, b + 1))


def chars_to_text(chars: list[dict]) -> str:
    """Text of one cell: lines top to bottom, joined without a break where a line wraps.

    Wrapped CJK text joins with nothing between; a space on the line is kept only
    where the gap between two chars is wider than half a char.
    """
    if not chars:
        return ""
    chars = sorted(chars, key=lambda c: (round(c["top"]), c["x0"]))
    lines: list[list[dict]] = []
    for c in chars:
        if lines and abs(c["top"] - lines[-1][0]["top"]) <= max(2.0, c["size"] * 0.4):
            lines[-1].append(c)
        else:
            lines.append([c])
    texts = []
    for line in lines:
        line.sort(key=lambda c: c["x0"])
        parts: list[str] = []
        prev = None
        for c in line:
            if c["text"].isspace():
                continue
            if prev is not None and c["x0"] - prev["x1"] > prev["size"] * 0.5:
                parts.append(" ")
            parts.append(c["text"])
            prev = c
        texts.append("".join(parts))
    out = texts[0]
    for t in texts[1:]:
        if out and t and out[-1].isascii() and t[0].isascii() and out[-1].isalpha() and t[0].isalpha():
            out += " " + t
        else:
            out += t
    return out.strip()
