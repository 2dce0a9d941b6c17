"""Find ruled tables on a PDF page and cut them into a grid of cells.

Budget tables are drawn with rules. Row and column boundaries come from the rules
where they exist; a table drawn with only its outer box and horizontal rules gets its
column boundaries from the white space in its text (:func:`infer_columns`), and one
without horizontal inner rules gets its rows from text lines. Merged cells are where a
rule between two neighbouring positions is missing.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

SNAP = 2.0  # points: rules closer than this are one rule
MIN_TABLE_WIDTH = 80.0


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


def page_segments(page, keep_edge) -> tuple[list[Segment], list[Segment]]:
    """Horizontal and vertical rules of a page, from lines, thin rects and rect sides."""
    hs: list[Segment] = []
    vs: list[Segment] = []
    for e in page.edges:
        if not keep_edge(e):
            continue
        if e["orientation"] == "h":
            hs.append(Segment(e["top"], e["x0"], e["x1"]))
        else:
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


def find_regions(hs: list[Segment], vs: list[Segment]) -> list[Region]:
    """Group rules into tables: rules that touch belong together, and a stack of
    horizontal rules of the same width does too (a table without vertical rules)."""
    items: list[tuple[str, Segment]] = [("h", s) for s in hs] + [("v", s) for s in vs]
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        parent[find(i)] = find(j)

    for i, (ki, si) in enumerate(items):
        for j in range(i + 1, len(items)):
            kj, sj = items[j]
            if ki != kj:
                h, v = (si, sj) if ki == "h" else (sj, si)
                if h.a - SNAP <= v.pos <= h.b + SNAP and v.a - SNAP <= h.pos <= v.b + SNAP:
                    union(i, j)
            elif ki == "h" and abs(si.a - sj.a) < 6 and abs(si.b - sj.b) < 6 and abs(si.pos - sj.pos) < 80:
                union(i, j)
    groups: dict[int, Region] = {}
    for i, (kind, s) in enumerate(items):
        root = find(i)
        x0, top, x1, bottom = (s.a, s.pos, s.b, s.pos) if kind == "h" else (s.pos, s.a, s.pos, s.b)
        r = groups.get(root)
        if r is None:
            r = groups[root] = Region(x0, top, x1, bottom)
        r.x0, r.top, r.x1, r.bottom = min(r.x0, x0), min(r.top, top), max(r.x1, x1), max(r.bottom, bottom)
        (r.hrules if kind == "h" else r.vrules).append(s)
    regions = [r for r in groups.values() if r.x1 - r.x0 >= MIN_TABLE_WIDTH and len(r.hrules) >= 2]
    return sorted(regions, key=lambda r: r.top)


def _cluster(values: list[float], tol: float = SNAP) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


@dataclass
class Grid:
    """Cells of one region: ``rows[i][j]`` text, merges, and the y span of each row."""

    rows: list[list[str]]
    merges: list[tuple[int, int, int, int]]


def build_grid(region: Region, chars: list[dict]) -> Grid:
    """Cut a region into cells and put every char in exactly one of them."""
    ys = _cluster([s.pos for s in region.hrules])
    if ys[0] > region.top + SNAP:
        ys.insert(0, region.top)
    if ys[-1] < region.bottom - SNAP:
        ys.append(region.bottom)
    hrules = list(region.hrules)
    if len(ys) <= 3 and _tallest_band_lines(ys, chars) >= 3:
        text_ys = _rows_from_text(ys, chars)
        hrules += [Segment(y, region.x0, region.x1) for y in text_ys if y not in ys]
        ys = text_ys
    inner_v = [s for s in region.vrules if region.x0 + SNAP < s.pos < region.x1 - SNAP]
    if inner_v:
        xs = _cluster([region.x0, region.x1] + [s.pos for s in inner_v])
        vrules = region.vrules
    else:
        xs = infer_columns(region, ys, chars)
        vrules = [Segment(x, region.top, region.bottom) for x in xs]
    nr, nc = len(ys) - 1, len(xs) - 1

    owner = list(range(nr * nc))

    def find(i: int) -> int:
        while owner[i] != i:
            owner[i] = owner[owner[i]]
            i = owner[i]
        return i

    for i in range(nr):
        ymid_lo, ymid_hi = ys[i] + 1, ys[i + 1] - 1
        for j in range(nc - 1):
            x = xs[j + 1]
            if not any(abs(v.pos - x) <= SNAP and v.covers(ymid_lo, ymid_hi) for v in vrules):
                owner[find(i * nc + j + 1)] = find(i * nc + j)
    for i in range(nr - 1):
        y = ys[i + 1]
        for j in range(nc):
            if not any(abs(h.pos - y) <= SNAP and h.covers(xs[j] + 1, xs[j + 1] - 1) for h in hrules):
                owner[find((i + 1) * nc + j)] = find(i * nc + j)

    buckets: dict[int, list[dict]] = {}
    for c in chars:
        cx, cy = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
        i, j = bisect_right(ys, cy) - 1, bisect_right(xs, cx) - 1
        if 0 <= i < nr and 0 <= j < nc:
            buckets.setdefault(find(i * nc + j), []).append(c)

    spans: dict[int, list[int]] = {}
    for i in range(nr):
        for j in range(nc):
            r = find(i * nc + j)
            s = spans.get(r)
            if s is None:
                spans[r] = [i, j, i, j]
            else:
                s[0], s[1], s[2], s[3] = min(s[0], i), min(s[1], j), max(s[2], i), max(s[3], j)
    rows = [["" for _ in range(nc)] for _ in range(nr)]
    merges: list[tuple[int, int, int, int]] = []
    for root, (i0, j0, i1, j1) in spans.items():
        rows[i0][j0] = chars_to_text(buckets.get(root, []))
        if i1 > i0 or j1 > j0:
            merges.append((i0, j0, i1 - i0 + 1, j1 - j0 + 1))
    return Grid(rows, sorted(merges))


def _rows_from_text(ys: list[float], chars: list[dict]) -> list[float]:
    """A table with (almost) no horizontal inner rules: each text line starts a row."""
    lines = _line_tops(chars)
    inner = [t - 1 for t in lines if ys[0] + SNAP < t - 1 < ys[-1] - SNAP]
    return _cluster(ys + inner, tol=SNAP)


def _tallest_band_lines(ys: list[float], chars: list[dict]) -> int:
    """Most text lines found in one band: a ruled row holds one, or a few when wrapped."""
    most = 0
    for lo, hi in zip(ys, ys[1:]):
        most = max(most, len(_line_tops([c for c in chars if lo <= c["top"] < hi])))
    return most


def _line_tops(chars: list[dict]) -> list[float]:
    tops = sorted(c["top"] for c in chars)
    out: list[float] = []
    for t in tops:
        if not out or t - out[-1] > 3:
            out.append(t)
    return out


def infer_columns(region: Region, ys: list[float], chars: list[dict]) -> list[float]:
    """Column boundaries of a table without inner vertical rules.

    Text of one column never touches text of its neighbour, so boundaries lie in the
    x ranges that no row inks. A header label that spans several columns would hide
    those gaps, so a run of text that overlaps two or more separate runs of another row
    is left out of the count.
    """
    band_runs: list[list[tuple[float, float]]] = []
    for i in range(len(ys) - 1):
        band = sorted(
            (c for c in chars if ys[i] <= (c["top"] + c["bottom"]) / 2 < ys[i + 1]), key=lambda c: c["x0"]
        )
        runs: list[list[float]] = []
        for c in band:
            gap = max(c["size"], 4.0) * 1.2
            if runs and c["x0"] - runs[-1][1] <= gap:
                runs[-1][1] = max(runs[-1][1], c["x1"])
            else:
                runs.append([c["x0"], c["x1"]])
        band_runs.append([(a, b) for a, b in runs])

    def spans_several(run: tuple[float, float], own: int) -> bool:
        for k, other in enumerate(band_runs):
            if k != own and sum(1 for a, b in other if a < run[1] and b > run[0]) >= 2:
                return True
        return False

    kept = sorted(
        run for k, runs in enumerate(band_runs) for run in runs if not spans_several(run, k)
    )
    merged: list[list[float]] = []
    for a, b in kept:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    xs = [region.x0]
    for (_, b), (a, _) in zip(merged, merged[1:]):
        xs.append((a + b) / 2)
    xs.append(region.x1)
    return xs


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
