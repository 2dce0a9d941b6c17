"""Read a PDF with pdfplumber into blocks: text lines and one table grid per page.

Only the page's chars and rules are parsed (the cost of opening a page); the grid is
cut from the rules directly rather than through pdfplumber's table finder, which keeps
a conversion cheaper than a bare ``extract_tables()`` over the same pages.
"""

from __future__ import annotations

import logging
import math
import statistics
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from pdfminer.layout import LTChar, LTContainer, LTCurve, LTLine, LTRect

from . import pdf_bounds  # noqa: F401 (bounds pdfminer's reference chains and Flate repair)
from .grid import Region, build_grid, chars_to_text, find_regions, page_segments, text_lines
from .model import Block, DocumentBlocks, TableBlock, TextBlock, Warning_
from .values import printed_characters


def _not_font_bbox(record: logging.LogRecord) -> bool:
    """pdfminer warns for every font whose FontBBox it cannot parse (many government
    PDFs print one empty), then reads on with a zero box: the message, repeated per
    font and page, tells an operator nothing to act on and buries the log's real news."""
    return not str(record.msg).startswith("Could not get FontBBox")


logging.getLogger("pdfminer.pdffont").addFilter(_not_font_bbox)

PART_GAP = 3.0  # a gap wider than this many char sizes splits a line into parts
SLANT = 0.1  # text turned so that both its matrix's x terms exceed this share: slanted
#: Share of its size a char's top must reach above a table's bottom rule to hang out of it
#: (a note set tight under a table, in a font with a tall ascent, reaches less).
SPILL = 0.25
COVER_SIDE = 2.0  # points: a filled rectangle thinner than this is a rule and hides no text
MAX_DESCENT = 0.5  # share of the font size below the baseline beyond which a font's descent is broken
USUAL_DESCENT = 0.12  # share of the font size below the baseline in a usual CJK font
#: Share of a matrix's scale below which a term counts as zero: content turned a right
#: angle and turned back by the page's /Rotate carries cos 90° as written (6.1e-17).
TURN_NOISE = 1e-9
NEAR_WHITE_INK = 0.1  # ink less than this (grey above 0.9) is white on paper
HUGE = 3.0  # chars this many times the page's median size are watermarks unless black


def read_pdf(source: Path | BinaryIO, reader: str | None = None) -> DocumentBlocks:
    """Blocks of every page the page tree holds; ``source`` is a file or a repaired copy in
    memory, ``reader`` the one that interprets the pages (:mod:`converters.pdf_pages`)."""
    from .pdf_pages import PdfPages

    blocks: list[Block] = []
    warnings: list[Warning_] = []
    with PdfPages(source, reader) as pages:
        for index in range(len(pages)):
            objects, width = pages.read(index)
            blocks.extend(read_page(objects, width, index + 1, warnings))
        page_count = len(pages)
    return DocumentBlocks("pdf", page_count, blocks, warnings)


def read_page(
    objects: tuple[list[dict], list[dict]], width: float, number: int, warnings: list[Warning_]
) -> list[Block]:
    """Blocks of one page in reading order (top to bottom), from its chars and shapes
    (:func:`page_objects`) and its width."""
    page_chars, shapes = objects
    mark_spaced(page_chars)
    printed = uncovered([c for c in page_chars if not c["text"].isspace()], shapes)
    body_size = statistics.median(c["size"] for c in printed) if printed else 0.0
    chars = without_watermarks(printed, body_size)
    hs, vs = page_segments(shapes, is_rule, is_visible_fill, body_size)
    regions = find_regions(hs, vs)
    placed: list[tuple[float, Block]] = []
    table_chars: list[list[dict]] = [[] for _ in regions]
    loose: list[dict] = []
    for c in chars:
        cx, cy = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
        for k, r in enumerate(regions):
            if r.contains(cx, cy):
                table_chars[k].append(c)
                break
        else:
            if not any(spills_below(c, r) for r in regions):
                loose.append(c)
    for region, inside in zip(regions, table_chars):
        grid = build_grid(region, inside)
        if not grid.rows:
            continue
        placed.append((region.top, TableBlock(grid.rows, grid.merges, [number] * len(grid.rows))))
    lines = text_lines(loose)
    frame = text_frame(lines)
    for line in lines:
        placed.append((line[0]["top"], line_block(line, number, width, frame)))
    placed.sort(key=lambda t: t[0])
    return [b for _, b in placed]


def page_objects(page) -> tuple[list[dict], list[dict]]:
    """The page's chars and drawn shapes as dicts with pdfplumber's names, built from
    pdfminer's layout objects with only the fields this reader uses.

    pdfplumber's ``page.objects`` resolves every attribute of every object; that
    costs about a fifth of reading a page, more than the table grids.
    """
    mb_x0, mb_y0 = page.mediabox[:2]
    height = page.height
    chars: list[dict] = []
    shapes: list[dict] = []
    for order, obj in enumerate(_layout_leaves(page.layout)):
        if isinstance(obj, LTChar):
            dx, dy = descent_shift(obj.matrix, obj.x0, obj.y0, obj.x1, obj.y1)
            chars.append(
                {
                    "order": order,
                    "text": printed_characters(obj.get_text()),
                    "fontname": _font_name(obj.fontname),
                    "size": obj.size,
                    "x0": obj.x0 + mb_x0 + dx,
                    "x1": obj.x1 + mb_x0 + dx,
                    "top": height - obj.y1 + mb_y0 - dy,
                    "bottom": height - obj.y0 + mb_y0 - dy,
                    "matrix": obj.matrix,
                    "upright": obj.upright,
                    "non_stroking_color": _colour(obj.graphicstate.ncolor),
                }
            )
        elif isinstance(obj, LTCurve):
            kind = "line" if isinstance(obj, LTLine) else "rect" if isinstance(obj, LTRect) else "curve"
            shapes.append(
                {
                    "order": order,
                    "object_type": kind,
                    "stroke": obj.stroke,
                    "fill": obj.fill,
                    "stroking_color": _colour(obj.stroking_color),
                    "non_stroking_color": _colour(obj.non_stroking_color),
                    "pts": [(mb_x0 + x, mb_y0 + height - y) for x, y in obj.pts],
                }
            )
    return chars, shapes


def descent_shift(matrix, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float]:
    """How far to move a char's box (x0 y0 x1 y1, in PDF space, y up), as (dx, dy), so
    that it hangs no lower below its baseline than a usual font's: a font that declares
    a descent deeper than half its size (a digits-and-punctuation font seen in Chongqing
    disclosures, -0.87) puts its glyphs' boxes almost a line below the text they are
    printed in. Lower is along the text's own up direction, which a page turned a
    quarter (or printed sideways) turns with it; slanted and mirrored text is left be."""
    a, b, c, d, e, f = matrix
    turn = quarter_turn(a, b, c, d)
    if turn == 0 and d > 0:
        return 0.0, _excess(y0 - f, y1 - y0)
    if turn == 1 and c < 0:  # text running up the page: its up is to the left
        return -_excess(e - x1, x1 - x0), 0.0
    if turn == 2 and d < 0:
        return 0.0, -_excess(f - y1, y1 - y0)
    if turn == 3 and c > 0:  # text running down the page: its up is to the right
        return _excess(x0 - e, x1 - x0), 0.0
    return 0.0, 0.0


def _excess(drop: float, height: float) -> float:
    """How far a box hangs too low, given how far below the baseline it starts
    (``drop``, negative) and its height."""
    if height <= 0:
        return 0.0
    descent = drop / height
    return max(0.0, (-descent - USUAL_DESCENT) * height) if descent < -MAX_DESCENT else 0.0


def quarter_turn(a: float, b: float, c: float, d: float) -> int | None:
    """Quarter turns of text set by a matrix of linear part ``a b c d`` (its x axis
    along (a, b)): 0 to 3, counter-clockwise; None where it is slanted. Terms within
    :data:`TURN_NOISE` of zero are zero (cos 90° written as 6.1e-17)."""
    noise = TURN_NOISE * max(abs(a), abs(b), abs(c), abs(d))
    if abs(b) <= noise and abs(c) <= noise and a:
        return 0 if a > 0 else 2
    if abs(a) <= noise and abs(d) <= noise and b:
        return 1 if b > 0 else 3
    return None


def uncovered(chars: list[dict], shapes: list[dict]) -> list[dict]:
    """The chars no filled rectangle painted after them covers. A spreadsheet export
    paints each cell's background over the line a wrapped cell above spilled into it
    (其他环境保护管理事务 / 支出, the second line hidden): on paper that text is not
    there, and read it would join the next row's cell. Rules (thin strips) cover
    nothing."""
    covers = [s for s in shapes if s["object_type"] == "rect" and s.get("fill") and _box_side(s["pts"]) > COVER_SIDE]
    if not covers or not chars:
        return chars
    by_x = sorted(chars, key=lambda c: c["x0"] + c["x1"])
    centres = [c["x0"] + c["x1"] for c in by_x]
    hidden: set[int] = set()
    for shape in covers:
        xs, ys = [x for x, _ in shape["pts"]], [y for _, y in shape["pts"]]
        for c in by_x[bisect_left(centres, 2 * min(xs)) : bisect_right(centres, 2 * max(xs))]:
            if c["order"] < shape["order"] and min(ys) <= (c["top"] + c["bottom"]) / 2 <= max(ys):
                hidden.add(id(c))
    return [c for c in chars if id(c) not in hidden]


def spills_below(c: dict, region: Region) -> bool:
    """A char hanging out of a table's bottom rule: its middle below the rule, its top
    well above it, within the table's width. The last line of a cell wrapped past the
    table's end, which the cell clips on paper: no text of its own below the table."""
    cx, cy = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
    return region.x0 <= cx <= region.x1 and c["top"] < region.bottom - SPILL * c["size"] and region.bottom < cy


def _box_side(pts: list[tuple[float, float]]) -> float:
    """The shorter side of a shape's box."""
    xs, ys = [x for x, _ in pts], [y for _, y in pts]
    return min(max(xs) - min(xs), max(ys) - min(ys))


def mark_spaced(chars: list[dict]) -> None:
    """Mark with ``spaced`` each char that the content stream prints right after
    spaces following a char of its line: the producer wrote them as one string, so
    a letter-spaced label (项   目, 资 金 性 质) stays one run however wide its gaps
    (space chars are dropped before runs are made). Text of separate cells is never
    joined by spaces in the stream."""
    last: dict | None = None
    spaces = 0
    for c in chars:
        if c["text"].isspace():
            spaces += last is not None
            continue
        if (
            spaces
            and last is not None
            and last["x1"] <= c["x0"] + 1
            and abs(last["top"] + last["bottom"] - c["top"] - c["bottom"]) <= c["size"] * 0.9
        ):
            c["spaced"] = True
        last, spaces = c, 0


def _layout_leaves(container) -> Iterator:
    """Chars and shapes of a page, inside figures (form XObjects) too."""
    for obj in container:
        if isinstance(obj, LTContainer) and not isinstance(obj, LTChar):
            yield from _layout_leaves(obj)
        else:
            yield obj


def _colour(value) -> tuple | None:
    return value if value is None or isinstance(value, tuple) else (value,)


def _font_name(name) -> str:
    return name.decode("latin-1") if isinstance(name, bytes) else name


def without_watermarks(chars: list[dict], body_size: float) -> list[dict]:
    """The chars :func:`is_watermark` keeps, asked once per look (slant, colour, whether
    huge): a page's tens of thousands of chars come in a handful of looks."""
    verdicts: dict[tuple, bool] = {}
    kept = []
    for c in chars:
        m = c.get("matrix")
        key = ((m[0], m[1]) if m else None, c.get("non_stroking_color"), c["size"] >= HUGE * body_size)
        try:
            verdict = verdicts.get(key)
        except TypeError:  # a colour given as a list cannot be a key
            verdict = is_watermark(c, body_size)
        else:
            if verdict is None:
                verdict = verdicts[key] = is_watermark(c, body_size)
        if not verdict:
            kept.append(c)
    return kept


def is_watermark(c: dict, body_size: float) -> bool:
    """Watermarks are printed light (grey), at a slant, or huge and not black.

    A slanted watermark still reports ``upright`` (pdfplumber only tells horizontal
    from vertical), so the slant comes from the text matrix: both its x terms are
    clearly non-zero. Text turned a right angle (a vertical label) is not slanted.
    A watermark several times the size of the page's text is left out even in a
    darker grey; black text that large is a heading.
    """
    m = c.get("matrix")
    if m and min(abs(m[0]), abs(m[1])) > SLANT * math.hypot(m[0], m[1]):
        return True
    if c["size"] >= HUGE * body_size and not is_black(c.get("non_stroking_color")):
        return True
    return is_light(c.get("non_stroking_color"))


def is_black(color) -> bool:
    """True for black (and for colours given as none at all: the default is black)."""
    comps = _components(color)
    if comps is None:
        return True
    if len(comps) == 4:
        return comps[3] > 0.9
    return max(comps) < 0.1


def _components(color) -> list[float] | None:
    if color is None:
        return None
    if isinstance(color, (int, float)):
        color = (color,)
    try:
        return [float(v) for v in color]
    except (TypeError, ValueError):
        return None


def is_light(color) -> bool:
    """True for colours much lighter than body text (grey above ~50%)."""
    comps = _components(color)
    if comps is None:
        return False
    if len(comps) == 1:
        return comps[0] > 0.5
    if len(comps) == 3:
        return min(comps) > 0.5
    if len(comps) == 4:
        return max(comps) < 0.5 and comps[3] < 0.5
    return False


def is_rule(shape: dict) -> bool:
    """Table rules are thin, and a line may be drawn in any visible ink: a grey border
    style (#BFBFBF) is as much a table's grid as a black one. A stroked path of more
    points must be dark, as a rectangle only filled must: a light one is a watermark's
    outlined letters, shading, or the white box Excel fills behind every cell, whose
    sides are no rules."""
    if shape.get("object_type") == "line":
        return _shows(shape.get("stroking_color"))
    if shape.get("object_type") == "curve":
        return not is_light(shape.get("stroking_color"))
    if shape.get("object_type") == "rect" and shape.get("fill") and not shape.get("stroke"):
        return not is_light(shape.get("non_stroking_color"))
    return True


def is_visible_fill(shape: dict) -> bool:
    """A filled shape that shows on white paper: any colour but (near) white."""
    return _shows(shape.get("non_stroking_color"))


def _shows(color) -> bool:
    """Whether ink of ``color`` shows on white paper: any colour but (near) white."""
    comps = _components(color)
    if comps is None:
        return True
    if len(comps) == 4:
        return max(comps) > NEAR_WHITE_INK
    return min(comps) < 1 - NEAR_WHITE_INK


def text_frame(lines: list[list[dict]]) -> tuple[float, float] | None:
    """Left and right edge of the page's body text: the leftmost line start, when
    another line starts there too (paragraph text), and the rightmost line end."""
    if not lines:
        return None
    left = min(line[0]["x0"] for line in lines)
    starts = sum(1 for line in lines if line[0]["x0"] - left <= line[0]["size"])
    return (left, max(line[-1]["x1"] for line in lines)) if starts > 1 else None


def line_block(line: list[dict], page: int, page_width: float, frame: tuple[float, float] | None = None) -> TextBlock:
    """A text line with its parts (pieces separated by wide gaps) and its look.

    A line that fills the body text's width (``frame``) is no centred line, even where
    wide page margins make it narrow and centred on the page.
    """
    parts: list[list[dict]] = [[line[0]]]
    for prev, c in zip(line, line[1:]):
        if c["x0"] - prev["x1"] > PART_GAP * max(prev["size"], 4.0):
            parts.append([c])
        else:
            parts[-1].append(c)
    texts = [chars_to_text(p) for p in parts]
    size = max(c["size"] for c in line)
    bold = all("bold" in c["fontname"].lower() or "heavy" in c["fontname"].lower() for c in line)
    x0, x1 = line[0]["x0"], line[-1]["x1"]
    fills = frame is not None and x0 - frame[0] <= size and frame[1] - x1 <= size
    centered = (
        len(parts) == 1
        and x1 - x0 < 0.7 * page_width
        and not fills
        and abs((x0 + x1) / 2 - page_width / 2) < 0.06 * page_width
    )
    return TextBlock(" ".join(texts), page, texts, round(size, 1), bold, centered)


__all__ = ["read_pdf", "Region"]
