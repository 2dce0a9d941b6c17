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
  stay together (by line pitch, alignment and centring on the row's other cells), and a
  header label centred over two header rows spans both.

Merged cells are where a rule between two neighbouring cells is missing or, without
rules, where text crosses the boundary or is centred over several cells.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

SNAP = 2.0  # points: rules closer than this are one rule
MIN_TABLE_WIDTH = 80.0
STACK_DISTANCE = 80.0  # points: horizontal rules of one width this close belong to one table
RUN_GAP = 0.5  # chars further apart than this many char sizes start a new run
CELL_GAP = 1.0  # runs at least this many char sizes apart can be separate cells
GROUP_DEPTH = 3  # header rows below a group label where the labels it groups are printed
ALIGN = 1.5  # points: runs whose left edges, centres or right edges differ less are aligned
RULE_WIDTH = 2.0  # points: a filled shape at most this thick is a rule, not an area
DOT = 3.0  # points: a thin filled shape shorter than this is a dot or a glyph's stroke, no rule
NUMBER_RX = re.compile(r"^[-+]?[\d,.%]+$")
COLUMN_NUMBER_RX = re.compile(r"^\d{1,2}$")
CODE_RX = re.compile(r"^\d{3}(\d{2}){0,2}$")
# what only a table's body prints: an amount, or a classification code (3, 5 or 7 digits)
AMOUNT_RX = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")  # with its thousands groups whole
BODY_RX = re.compile(r"^([-+]?(\d{1,3}(,\d{3})+(\.\d+)?|\d+\.\d+)|\d{3}(\d{2}){0,2})$")


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


def page_segments(shapes: list[dict], keep: Callable[[dict], bool],
                  visible: Callable[[dict], bool]) -> tuple[list[Segment], list[Segment]]:
    """Horizontal and vertical rules of a page, from the sides of its drawn shapes
    (``pts`` in page coordinates): lines, rectangles and stroked paths that ``keep``
    takes; and, of the filled shapes it leaves, thin strips that are ``visible``,
    which some producers draw instead of lines (a rule as a filled 0.8-point path, or
    a strip in a grey that ``keep`` takes for shading).

    Other filled paths are glyph-like shapes (a WordArt watermark is dozens of them),
    never rules, and are not even split into sides: that is where the time would go.
    """
    hs: list[Segment] = []
    vs: list[Segment] = []
    for shape in shapes:
        kind = shape["object_type"]
        if (kind == "curve" and (shape.get("fill") or not shape.get("stroke"))) or not keep(shape):
            strip = _filled_strip(shape["pts"]) if shape.get("fill") and not shape.get("stroke") else None
            if strip is not None and visible(shape):
                (hs if strip[0] == "h" else vs).append(strip[1])
            continue
        pts = shape["pts"]
        sides = list(zip(pts, pts[1:])) + ([(pts[-1], pts[0])] if kind == "rect" else [])
        for (xa, ya), (xb, yb) in sides:
            if abs(ya - yb) <= 0.5:
                hs.append(Segment(ya, min(xa, xb), max(xa, xb)))
            elif abs(xa - xb) <= 0.5:
                vs.append(Segment(xa, min(ya, yb), max(ya, yb)))
    return _join(hs), _join(vs)


def _filled_strip(pts: list[tuple[float, float]]) -> tuple[str, Segment] | None:
    """A filled shape no thicker than a rule and longer than a dot, as the rule along
    its middle: ``("h", segment)`` or ``("v", segment)``."""
    xs, ys = [x for x, _ in pts], [y for _, y in pts]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    if height <= RULE_WIDTH and width > DOT:
        return "h", Segment((min(ys) + max(ys)) / 2, min(xs), max(xs))
    if width <= RULE_WIDTH and height > DOT:
        return "v", Segment((min(xs) + max(xs)) / 2, min(ys), max(ys))
    return None


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
    of horizontal rules of one width that touch no vertical rule (a table drawn
    without vertical rules).

    A table needs two horizontal rules, or one and two vertical ones: a table broken
    across pages may lack its bottom (or top) rule on one of them. A stack of rules
    inside a boxed table is no table of its own: without inner vertical rules, the
    rules between the rows of one side of a form (one cell wrapping where the other
    side's does not) touch nothing, and belong to the box they are drawn in.
    """
    sets = _Sets(len(hs) + len(vs))
    boxed = _union_touching(hs, vs, sets)
    unboxed = [i for i in range(len(hs)) if i not in boxed]
    _union_stacked([hs[i] for i in unboxed], sets, unboxed)
    groups: dict[int, Region] = {}
    items = [("h", s) for s in hs] + [("v", s) for s in vs]
    for i, (kind, s) in enumerate(items):
        x0, top, x1, bottom = (s.a, s.pos, s.b, s.pos) if kind == "h" else (s.pos, s.a, s.pos, s.b)
        r = groups.setdefault(sets.find(i), Region(x0, top, x1, bottom))
        r.x0, r.top, r.x1, r.bottom = min(r.x0, x0), min(r.top, top), max(r.x1, x1), max(r.bottom, bottom)
        (r.hrules if kind == "h" else r.vrules).append(s)
    regions = [r for r in groups.values() if r.x1 - r.x0 >= MIN_TABLE_WIDTH and r.bottom - r.top > SNAP
               and (len(r.hrules) >= 2 or (r.hrules and len(r.vrules) >= 2))]
    nested = [r for r in regions if not r.vrules and any(
        o is not r and o.vrules and o.contains(r.x0, r.top) and o.contains(r.x1, r.bottom) for o in regions)]
    regions = [r for r in regions if not any(r is n for n in nested)]
    kept = {id(r) for r in regions}
    for loose in (r for r in groups.values() if id(r) not in kept):
        _adopt(regions, loose)
    return sorted(regions, key=lambda r: r.top)


def _adopt(regions: list[Region], loose: Region) -> None:
    """Give rules that touch nothing (a rule under a merged header label, between the
    outer box's sides) to the table they are drawn in."""
    for r in regions:
        if r.contains(loose.x0, loose.top) and r.contains(loose.x1, loose.bottom):
            r.hrules.extend(loose.hrules)
            r.vrules.extend(loose.vrules)
            return


def _union_touching(hs: list[Segment], vs: list[Segment], sets: _Sets) -> set[int]:
    """Join each horizontal rule with the vertical rules it touches (sorted search, so
    a page full of short strokes does not cost a comparison per pair); the indices of
    the horizontal rules that touch one."""
    order = sorted(range(len(vs)), key=lambda k: vs[k].pos)
    xs = [vs[k].pos for k in order]
    boxed: set[int] = set()
    for i, h in enumerate(hs):
        for k in order[bisect_left(xs, h.a - SNAP):bisect_right(xs, h.b + SNAP)]:
            v = vs[k]
            if v.a - SNAP <= h.pos <= v.b + SNAP:
                sets.union(i, len(hs) + k)
                boxed.add(i)
    return boxed


def _union_stacked(hs: list[Segment], sets: _Sets, ids: list[int]) -> None:
    """Join each horizontal rule (of a table drawn without vertical rules: ``hs``,
    known to ``sets`` as ``ids``) with the closest one above it of the same extent.
    Rules of boxed tables are left alone, so two boxed tables stacked close stay two."""
    last: dict[tuple[int, int], int] = {}
    for i in sorted(range(len(hs)), key=lambda k: hs[k].pos):
        h = hs[i]
        key = (round(h.a / 6), round(h.b / 6))
        for ka in (key[0] - 1, key[0], key[0] + 1):
            for kb in (key[1] - 1, key[1], key[1] + 1):
                j = last.get((ka, kb))
                if j is not None and abs(hs[j].a - h.a) < 6 and abs(hs[j].b - h.b) < 6 \
                        and h.pos - hs[j].pos < STACK_DISTANCE:
                    sets.union(ids[i], ids[j])
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
    """Runs of every printed line, lines top to bottom, runs left to right; a char
    the text layer joins to the previous one by spaces (``spaced``) continues its run."""
    runs: list[Run] = []
    for number, line in enumerate(text_lines(chars)):
        current = [line[0]]
        for prev, c in zip(line, line[1:]):
            if c["x0"] - prev["x1"] > RUN_GAP * max(prev["size"], 4.0) and not c.get("spaced"):
                runs.append(Run(current, number))
                current = [c]
            else:
                current.append(c)
        runs.append(Run(current, number))
    return runs


def text_lines(chars: list[dict]) -> list[list[dict]]:
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
    ruled = bool(region.inner_hrules()) and bool(region.inner_vrules())
    runs = make_runs(chars) if chars and not ruled else []
    coarse = None if region.inner_hrules() or not runs else text_bands(runs)
    ys = _rule_positions(region.hrules, region.top, region.bottom)
    bands = [_row_of(ys, r.middle) for r in runs] if coarse is None else _band_index(coarse, len(runs))
    if region.inner_vrules():
        xs = _rule_positions(region.vrules, region.x0, region.x1)
        columns = Columns(xs, {i: _overlapped(xs, r.x0, r.x1) for i, r in enumerate(runs)}, {})
    else:
        ends = [p for s in region.inner_hrules() for p in (s.a, s.b) if region.x0 + SNAP < p < region.x1 - SNAP]
        columns = infer_columns(region, runs, bands, ends, ys if coarse is None else None)
    if coarse is None:
        layout = Layout(ys, columns.xs)
        _open_from_rules(layout, region.hrules, vertical=False)
    else:
        layout, cells = text_rows(region, runs, coarse, columns.xs, columns.wide())
        place_groups(columns, runs, _occupied(columns, cells))
    if region.inner_vrules():
        _open_from_rules(layout, region.vrules, vertical=True)
    else:
        for i, (a, b) in columns.wide().items():
            row = _row_of(layout.ys, runs[i].middle)
            layout.open_v.update((row, j) for j in range(a, b))
    return cut(layout, chars)


def _band_index(bands: list[list[int]], n: int) -> list[int]:
    index = [0] * n
    for k, members in enumerate(bands):
        for i in members:
            index[i] = k
    return index


def _occupied(columns: Columns, cells: list[Cell]) -> dict[int, set[int]]:
    """For each group label, the columns that cells of its row other than labels fill
    (merged down from above or up from below included)."""
    row_of = {i: cell.rows for cell in cells for i in cell.members}
    plain = [c for c in cells if not any(i in columns.groups for i in c.members)]
    return {i: {j for c in plain if c.rows[0] <= row_of[i][0] <= c.rows[1] for j in range(c.cols[0], c.cols[1] + 1)}
            for i in columns.groups}


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


def infer_columns(region: Region, runs: list[Run], bands: list[int], rule_ends: list[float],
                  ys: list[float] | None = None) -> Columns:
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
    intervals = _merge_ranges([(runs[i].x0, runs[i].x1) for i in leaves])
    header = _header_bands(runs, bands)
    labels = [runs[i] for i in leaves if bands[i] in header and not runs[i].is_number()]
    chosen = _chosen_gaps(intervals, [(bands[i], r) for i, r in enumerate(runs) if i not in groups], rule_ends)
    chosen = _one_per_number(chosen, intervals, _column_numbers([runs[i] for i in leaves]), region)
    xs = _boundaries(region, intervals, chosen, rule_ends, labels)
    columns = Columns(xs, {i: _overlapped(xs, runs[i].x0, runs[i].x1) for i in crossing}, groups)
    occupied = None
    if ys is not None:
        probe = Layout(ys, xs)
        _open_from_rules(probe, region.hrules, vertical=False)
        occupied = {i: {j for band, j in probe.open_h if band == bands[i]} for i in groups}
    place_groups(columns, runs, occupied)
    return columns


def place_groups(columns: Columns, runs: list[Run], occupied: dict[int, set[int]] | None) -> None:
    """Give each group label the columns it is centred over, left to right.

    A header row leaves no cell empty, so with the cells of its row known
    (``occupied``: columns that other cells of the label's row fill) a label takes the
    widest span that is centred under it; without, the best centred one.
    """
    for i in sorted(columns.groups, key=lambda k: runs[k].x0):
        blocked = set() if occupied is None else occupied.get(i, set())
        columns.spans[i] = _group_span(i, runs, columns, blocked, widest=occupied is not None)


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
    header = _header_bands(runs, bands)
    lefts = sorted(r.x0 for r in runs if not r.is_number() or CODE_RX.match(r.text))
    out: dict[int, tuple[Run, Run]] = {}
    for i in sorted(range(len(runs)), key=lambda k: runs[k].top):
        r = runs[i]
        if bands[i] not in header or r.is_number() or _shares_left_edge(r, lefts) or _wraps_on(i, runs, out):
            continue
        lo, hi = _line_room(r, by_line[r.line], region)
        left: list[Run] = []
        right: list[Run] = []
        for band in range(bands[i], bands[i] + GROUP_DEPTH):
            if band not in header:
                break
            for k in per_band[band]:
                if k.top > r.bottom - 1.0 and lo - 1 <= k.x0 and k.x1 <= hi + 1 and not k.is_number():
                    if k.centre < r.centre - 0.5 * r.size:
                        left.append(k)
                    elif k.centre > r.centre + 0.5 * r.size:
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
    return any(0 < r.top - k.top <= 1.6 * r.size and k.x0 - 1 <= r.x0 and r.x1 <= k.x1 + 1 and j not in groups
               for j, k in enumerate(runs) if j != i)


def _header_bands(runs: list[Run], bands: list[int]) -> set[int]:
    """Bands above the first one that prints an amount or a code (all of them when
    none does)."""
    first = min((b for r, b in zip(runs, bands) if BODY_RX.match(r.text)), default=None)
    return {b for b in bands if first is None or b < first}


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
    gap = CELL_GAP * max((r.size for r in runs), default=0.0)
    cells = {b: _merge_ranges(v, gap=gap) for b, v in per_band.items()}
    starts = {b: [a for a, _ in v] for b, v in cells.items()}
    out: set[int] = set()
    for i, r in enumerate(runs):
        if i in groups:
            continue
        for b, v in cells.items():
            if b == bands[i]:
                continue
            k = bisect_left(starts[b], r.x1 - 1)
            if k >= 2 and v[k - 2][1] > r.x0 + 1:
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
    intervals = _merge_ranges([(runs[i].x0, runs[i].x1) for i in leaves])
    ends = [b for _, b in intervals]
    lefts = sorted(r.x0 for r in runs)
    cost = {i: 1 + _shares_left_edge(runs[i], lefts) for i in leaves}
    per_band: dict[int, list[int]] = {}
    for i in leaves:
        per_band.setdefault(bands[i], []).append(i)
    out: set[int] = set()
    for members in per_band.values():
        members.sort(key=lambda k: runs[k].x0)
        for a, b in zip(members, members[1:]):
            ra, rb = runs[a], runs[b]
            k = bisect_left(ends, ra.x1 - 1)
            if rb.x0 - ra.x1 < CELL_GAP * ra.size or (k + 1 < len(intervals) and intervals[k + 1][0] <= rb.x0 + 1):
                continue
            inked = [i for i in leaves if i not in out and runs[i].x1 > ra.x1 and runs[i].x0 < rb.x0]
            cuts = [ra.x1 + 0.5] + [runs[i].x1 + 0.5 for i in inked if runs[i].x1 < rb.x0]
            cut = min(cuts, key=lambda x: sum(cost[i] for i in inked if runs[i].x0 < x < runs[i].x1))
            out.update(i for i in inked if runs[i].x0 < cut < runs[i].x1)
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


def _chosen_gaps(intervals: list[tuple[float, float]], printed: list[tuple[int, Run]],
                 rule_ends: list[float]) -> list[int]:
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
    chosen = {k for k, (lo, hi) in enumerate(gaps) if any(lo - 1 <= e <= hi + 1 for e in rule_ends)}
    ends, starts = [lo for lo, _ in gaps], [hi for _, hi in gaps]
    per_band: dict[int, list[Run]] = {}
    for band, r in printed:
        per_band.setdefault(band, []).append(r)
    pending: list[tuple[int, int]] = []
    for members in per_band.values():
        members.sort(key=lambda r: r.x0)
        for a, b in zip(members, members[1:]):
            ka, kb = bisect_left(ends, a.x1 - 1), bisect_right(starts, b.x0 + 1) - 1
            if kb >= ka and b.x0 - a.x1 >= CELL_GAP * a.size:
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
            if not COLUMN_NUMBER_RX.match(r.text):
                current = []
                continue
            if current and int(r.text) != int(current[-1].text) + 1:
                current = []
            current.append(r)
            if len(current) > len(best):
                best = list(current)
    return best if len(best) >= 3 else []


def _one_per_number(chosen: list[int], intervals: list[tuple[float, float]], numbers: list[Run],
                    region: Region) -> list[int]:
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
            keep = max(between, key=lambda k: (intervals[k][1] <= middle <= intervals[k + 1][0],
                                               intervals[k + 1][0] - intervals[k][1]))
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
    return intervals[k][1] - 3.0 <= x <= intervals[k + 1][0] + 3.0


def _boundaries(region: Region, intervals: list[tuple[float, float]], chosen: list[int],
                rule_ends: list[float], labels: list[Run]) -> list[float]:
    """Column boundaries, one in each chosen gap, left to right.

    Where a horizontal rule stops inside the table, the boundary is its end (drawn,
    so exact). Otherwise header labels are centred in their cells, so a column's
    right boundary mirrors its left one about its label's centre, as long as that
    falls in the gap; else the gap's middle is taken.
    """
    xs = [region.x0]
    for k in chosen:
        lo, hi = intervals[k][1], intervals[k + 1][0]
        drawn = [e for e in rule_ends if lo - 1 <= e <= hi + 1]
        if drawn:
            xs.append(drawn[0])
            continue
        centre = _label_centre(labels, xs[-1], lo)
        guess = None if centre is None else 2 * centre - xs[-1]
        xs.append(guess if guess is not None and lo <= guess <= hi else (lo + hi) / 2)
    xs += [e for e in rule_ends if all(abs(e - x) > SNAP for x in xs)]
    xs.append(region.x1)
    return _cluster(xs)


def _label_centre(labels: list[Run], left: float, right: float) -> float | None:
    """Centre of the topmost label printed between two x positions (its lines or its
    pieces on one line taken together)."""
    inside = [r for r in labels if r.x0 >= left - 1 and r.x1 <= right + 1]
    if not inside:
        return None
    top = min(r.top for r in inside)
    first = [r for r in inside if r.top <= top + 0.5]
    return (min(r.x0 for r in first) + max(r.x1 for r in first)) / 2


def _overlapped(xs: list[float], x0: float, x1: float) -> tuple[int, int]:
    """First and last column that the x range x0..x1 inks."""
    a = max(0, min(len(xs) - 2, bisect_right(xs, x0 + 1) - 1))
    b = max(a, min(len(xs) - 2, bisect_left(xs, x1 - 1) - 1))
    return a, b


def _group_span(i: int, runs: list[Run], columns: Columns, blocked: set[int], widest: bool) -> tuple[int, int]:
    """The columns a group label is centred over: they include its nearest labels
    below on both sides and exclude columns ``blocked`` or filled by other runs on its
    line; of the candidates, the one whose middle is closest to the label's centre,
    or (``widest``) the widest of those nearly as close."""
    r, xs, spans, kids = runs[i], columns.xs, columns.spans, columns.groups[i]
    own = _overlapped(xs, r.x0, r.x1)
    need = (min(own[0], _overlapped(xs, kids[0].x0, kids[0].x1)[0]),
            max(own[1], _overlapped(xs, kids[1].x0, kids[1].x1)[1]))
    taken = blocked - set(range(own[0], own[1] + 1))
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
    candidates = [(abs(r.centre - (xs[a] + xs[b + 1]) / 2), a, b)
                  for a in range(lo, need[0] + 1) for b in range(need[1], hi + 1)]
    best = min(candidates)
    if widest:
        best = max((c for c in candidates if c[0] <= best[0] + 0.5 * r.size), key=lambda c: (c[2] - c[1], -c[0]))
    return best[1], best[2]


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


def text_rows(region: Region, runs: list[Run], coarse: list[list[int]], xs: list[float],
              spans: dict[int, tuple[int, int]]) -> tuple[Layout, list[Cell]]:
    """Rows of a table without inner horizontal rules, from its text, and its cells.

    Bands of overlapping ink are rows, except that a wrapped cell whose lines leave a
    gap keeps them together and a header band holding two rows of labels (one label
    over others) is cut between them; a label spanning both stays whole (merged).
    """
    cols = [spans.get(i) or _overlapped(xs, r.x0, r.x1) for i, r in enumerate(runs)]
    bands = _join_wrapped(runs, coarse, cols)
    cuts: list[float] = []
    cells: list[Cell] = []
    for k, band in enumerate(bands):
        if k:
            above = max(runs[i].bottom for i in bands[k - 1])
            cuts.append((above + min(runs[i].top for i in band)) / 2)
        band_cells = _cells(runs, band, cols)
        cells.extend(band_cells)
        cuts.extend(_header_cuts(band_cells, len(xs) - 1))
    ys = _cluster([region.top] + [y for y in cuts if region.top < y < region.bottom] + [region.bottom], tol=0.5)
    layout = Layout(ys, xs)
    for cell in cells:
        cell.rows = (_row_of(ys, cell.top + 0.5), _row_of(ys, cell.bottom - 0.5))
        for k in range(cell.rows[0], cell.rows[1]):
            layout.open_h.update((k, j) for j in range(cell.cols[0], cell.cols[1] + 1))
    _merge_centred_down(layout, cells, _header_rows(ys, runs))
    return layout, cells


def _join_wrapped(runs: list[Run], coarse: list[list[int]], cols: list[tuple[int, int]]) -> list[list[int]]:
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
    middles = {k: y for k, band in enumerate(coarse)
               if (y := _row_line(runs, [i for i in band if i not in wrapped], cols)) is not None}
    sets = _Sets(len(coarse))
    for chain in chains:
        amount = all(_hull(runs, unit).is_number() for unit in chain)
        for part in [chain] if amount else _split_chain(chain, runs, band_of, middles):
            first, last = band_of[part[0][0]], band_of[part[-1][0]]
            if not sure and not _centred(part, runs, [middles[k] for k in range(first, last + 1) if k in middles],
                                         pitch / 4):
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
    return r.x1 - r.x0 > widest - 2.0 * r.size


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


def _chains(runs: list[Run], cols: list[tuple[int, int]], pitch: float,
            widest: dict[tuple[int, int], float], places: int | None) -> list[list[list[int]]]:
    """Lines (as lists of runs) that continue each other, per column, top to bottom;
    ``places``: the decimals the table's amounts print."""
    chains: list[list[list[int]]] = []
    for col, col_units in _line_units(runs, cols).items():
        hulls = [_hull(runs, unit) for unit in col_units]
        room = max(h.x1 - h.x0 for h in hulls)
        current = [col_units[0]]
        for (upper, lower), (a, b) in zip(zip(col_units, col_units[1:]), zip(hulls, hulls[1:])):
            wraps = (b.top - a.top <= pitch and aligned((a.x0, a.x1), (b.x0, b.x1))
                     and (_amount_tail(a.text, b.text, places, _is_full(a, room))
                          or (not b.is_number() and _is_full(a, widest.get(col, 0.0)))))
            if wraps:
                current.append(lower)
                continue
            if len(current) > 1:
                chains.append(current)
            current = [lower]
        if len(current) > 1:
            chains.append(current)
    return chains


def _amount_tail(upper: str, lower: str, places: int | None, full: bool) -> bool:
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


def _split_chain(chain: list[list[int]], runs: list[Run], band_of: dict[int, int],
                 middles: dict[int, float]) -> list[list[list[int]]]:
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
        parts.append(chain[start:end + 1])
        start = end + 1
        if start == len(chain):
            break
    if start < len(chain):
        parts.append(chain[start:])
    return parts


def _wrap_pitch(runs: list[Run], bands: list[list[int]], cols: list[tuple[int, int]],
                widest: dict[tuple[int, int], float]) -> tuple[float | None, bool]:
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
            if b.top - a.top <= 0.5 * a.size or not aligned((a.x0, a.x1), (b.x0, b.x1)):
                continue
            if band_of[i] == band_of[k]:
                inner.append(b.top - a.top)
            steps.append((b.top - a.top, not a.is_number() and _is_full(a, widest[col])))
    if inner:
        return sorted(inner)[len(inner) // 2] + 1.0, True
    full_steps = [d for d, full in steps if full]
    if not full_steps:
        return None, False
    row_step = _most_common([d for d, _ in steps], tol=0.5)
    wraps = [d for d in full_steps if d <= row_step - 2.0]
    return (max(wraps) + 1.0, True) if wraps else (min(full_steps) + 1.0, False)


def _most_common(values: list[float], tol: float) -> float:
    """The value with the most others within ``tol`` of it."""
    values = sorted(values)
    best, best_count, lo = values[0], 0, 0
    for hi, v in enumerate(values):
        while v - values[lo] > 2 * tol:
            lo += 1
        if hi - lo + 1 > best_count:
            best, best_count = values[(lo + hi) // 2], hi - lo + 1
    return best


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
            wraps = (aligned((cell.x0, cell.x1), (r.x0, r.x1)) and r.top - cell.bottom <= r.size
                     and last.x1 - last.x0 >= r.x1 - r.x0 - 2.0 * r.size)
            if cell.cols == cols[i] and (r.top < cell.bottom - 0.5 or wraps):
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
        if best < row and abs(mid - (ys[row] + ys[row + 1]) / 2) - abs(mid - (ys[best] + ys[row + 1]) / 2) > 1.0:
            cell.rows = (best, row)
            for k in range(best, row):
                filled.setdefault(k, []).append(cell.cols)
                layout.open_h.update((k, j) for j in range(a, b + 1))


def _row_of(ys: list[float], y: float) -> int:
    return bisect_right(ys, y) - 1


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
