"""Rules to regions: the horizontal and vertical rules a page draws, grouped into one
region per table."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from .geometry import DisjointSets
from .settings import GRID


@dataclass
class Segment:
    """A horizontal (``y``, ``a``..``b`` in x) or vertical (``x``, ``a``..``b`` in y) rule."""

    pos: float
    a: float
    b: float

    def covers(self, lo: float, hi: float) -> bool:
        return self.a <= lo + GRID.snap and self.b >= hi - GRID.snap


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
        m = GRID.region_margin
        return self.x0 - m <= x <= self.x1 + m and self.top - m <= y <= self.bottom + m

    def inner_hrules(self) -> list[Segment]:
        return [s for s in self.hrules if self.top + GRID.snap < s.pos < self.bottom - GRID.snap]

    def inner_vrules(self) -> list[Segment]:
        return [s for s in self.vrules if self.x0 + GRID.snap < s.pos < self.x1 - GRID.snap]


def page_segments(
    shapes: list[dict], keep: Callable[[dict], bool], visible: Callable[[dict], bool], text_size: float = 0.0
) -> tuple[list[Segment], list[Segment]]:
    """Horizontal and vertical rules of a page, from the sides of its drawn shapes
    (``pts`` in page coordinates): lines, rectangles and stroked paths that ``keep``
    takes; and, of the filled shapes it leaves, thin strips that are ``visible``,
    which some producers draw instead of lines (a rule as a filled 0.8-point path, or
    a strip in a grey that ``keep`` takes for shading).

    Other filled paths are glyph-like shapes (a WordArt watermark is dozens of them),
    never rules, and are not even split into sides: that is where the time would go.
    A strip is thin by :attr:`GridSettings.rule_width`, or against the page's usual
    ``text_size`` where the page is printed large (a table scaled up to a bigger sheet).
    """
    thin = max(GRID.rule_width, text_size * GRID.rule_text_ratio)
    hs: list[Segment] = []
    vs: list[Segment] = []
    for shape in shapes:
        kind = shape["object_type"]
        if (kind == "curve" and (shape.get("fill") or not shape.get("stroke"))) or not keep(shape):
            strip = _filled_strip(shape["pts"], thin) if shape.get("fill") and not shape.get("stroke") else None
            if strip is not None and visible(shape):
                (hs if strip[0] == "h" else vs).append(strip[1])
            continue
        pts = shape["pts"]
        sides = list(zip(pts, pts[1:])) + ([(pts[-1], pts[0])] if kind == "rect" else [])
        for (xa, ya), (xb, yb) in sides:
            if abs(ya - yb) <= GRID.side_tolerance:
                hs.append(Segment(ya, min(xa, xb), max(xa, xb)))
            elif abs(xa - xb) <= GRID.side_tolerance:
                vs.append(Segment(xa, min(ya, yb), max(ya, yb)))
    return _join(hs), _join(vs)


def _filled_strip(pts: list[tuple[float, float]], thin: float) -> tuple[str, Segment] | None:
    """A filled shape no thicker than ``thin`` and longer than a dot, as the rule along
    its middle: ``("h", segment)`` or ``("v", segment)``."""
    xs, ys = [x for x, _ in pts], [y for _, y in pts]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    if height <= thin and width > GRID.dot:
        return "h", Segment((min(ys) + max(ys)) / 2, min(xs), max(xs))
    if width <= thin and height > GRID.dot:
        return "v", Segment((min(xs) + max(xs)) / 2, min(ys), max(ys))
    return None


def _join(segs: list[Segment]) -> list[Segment]:
    """Merge collinear segments that touch, so a rule drawn in pieces is one rule.

    Going along the rules (by where each piece starts), a piece continues the rule it
    touches whose position is nearest, within :attr:`GridSettings.snap`. Pieces are
    not put on a grid of that size first: a rule at an odd whole point (303.0) would
    then fall apart where a renderer's rounding puts one piece at 302.99999999999994."""
    snap = GRID.snap
    joined: list[Segment] = []
    near: dict[int, list[Segment]] = {}  # the rules by their position in steps of snap
    for s in sorted(segs, key=lambda s: (s.a, s.pos)):
        step = math.floor(s.pos / snap)
        touching = [
            j
            for k in (step - 1, step, step + 1)
            for j in near.get(k, ())
            if abs(j.pos - s.pos) <= snap and s.a <= j.b + snap
        ]
        if touching:
            rule = min(touching, key=lambda j: abs(j.pos - s.pos))
            rule.b = max(rule.b, s.b)
        else:
            rule = Segment(s.pos, s.a, s.b)
            joined.append(rule)
            near.setdefault(step, []).append(rule)
    joined.sort(key=lambda s: (s.pos, s.a))
    return [s for s in joined if s.b - s.a > GRID.min_rule_length]


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
    sets = DisjointSets(len(hs) + len(vs))
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
    regions = [
        r
        for r in groups.values()
        if r.x1 - r.x0 >= GRID.min_table_width
        and r.bottom - r.top > GRID.snap
        and (len(r.hrules) >= 2 or (r.hrules and len(r.vrules) >= 2))
    ]
    nested = [
        r
        for r in regions
        if not r.vrules
        and any(o is not r and o.vrules and o.contains(r.x0, r.top) and o.contains(r.x1, r.bottom) for o in regions)
    ]
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


def _union_touching(hs: list[Segment], vs: list[Segment], sets: DisjointSets) -> set[int]:
    """Join each horizontal rule with the vertical rules it touches (sorted search, so
    a page full of short strokes does not cost a comparison per pair); the indices of
    the horizontal rules that touch one."""
    order = sorted(range(len(vs)), key=lambda k: vs[k].pos)
    xs = [vs[k].pos for k in order]
    boxed: set[int] = set()
    for i, h in enumerate(hs):
        for k in order[bisect_left(xs, h.a - GRID.snap) : bisect_right(xs, h.b + GRID.snap)]:
            v = vs[k]
            if v.a - GRID.snap <= h.pos <= v.b + GRID.snap:
                sets.union(i, len(hs) + k)
                boxed.add(i)
    return boxed


def _union_stacked(hs: list[Segment], sets: DisjointSets, ids: list[int]) -> None:
    """Join each horizontal rule (of a table drawn without vertical rules: ``hs``,
    known to ``sets`` as ``ids``) with the closest one above it of the same extent.
    Rules of boxed tables are left alone, so two boxed tables stacked close stay two."""
    last: dict[tuple[int, int], int] = {}
    extent = GRID.stack_extent
    for i in sorted(range(len(hs)), key=lambda k: hs[k].pos):
        h = hs[i]
        key = (round(h.a / extent), round(h.b / extent))
        for ka in (key[0] - 1, key[0], key[0] + 1):
            for kb in (key[1] - 1, key[1], key[1] + 1):
                j = last.get((ka, kb))
                if (
                    j is not None
                    and abs(hs[j].a - h.a) < extent
                    and abs(hs[j].b - h.b) < extent
                    and h.pos - hs[j].pos < GRID.stack_distance
                ):
                    sets.union(ids[i], ids[j])
        last[key] = i
