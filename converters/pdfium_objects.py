"""A page's chars and drawn shapes read by PDFium, as the dicts the pdfplumber reader makes.

pdfminer interprets content streams in Python, which is most of a conversion's time;
PDFium does it in C. This module asks PDFium for the same records
:func:`converters.pdf_reader.page_objects` builds from pdfminer's layout objects, with
the same geometry, so everything above the reader works on either:

* **Coordinates** are pdfplumber's: pdfminer's device space (the page's /Rotate and
  MediaBox origin applied) flipped to a top-left origin. The page's boxes and
  rotation come from pdfplumber's page (it parses no content stream for them).
* **A char's box** is pdfminer's, not the glyph's: from the origin across the advance
  width, and from ``descent x size`` below the baseline to one font size above that.
  The descent is the one the font's descriptor declares (pdfminer's reading; PDFium
  puts its own guess in place of a zero one), taken from the page's font resources;
  a broken one is corrected as the pdfplumber reader does
  (:func:`converters.pdf_reader.descent_shift`).
* **Shapes** are split into subpaths and classed as pdfminer does: two points make a
  ``line``, a closed four-sided axis-aligned path a ``rect``, anything else a ``curve``.
* **Order** is the content stream's, per page object (a form XObject's objects in
  place), so a filled rectangle painted after a text object still tells it hides it.
* **Colours** are PDFium's RGB on a 0-1 scale: a grey or CMYK colour arrives already
  converted, which the reader's light/black tests read alike.
* **Clipped text** is left out: a char whose centre lies outside its text object's
  clipping path is not on paper (pdfminer applies no clipping; such text, a merged
  cell's text printed again above a page's table or a wrapped cell's line cut off at
  its border, was read as if printed). The clip is taken as the box of each clipping
  path, intersected, within the clips of the forms it is drawn in. A path wholly outside
  its clip is not drawn either.
* **A font that cannot be loaded** stops the reading, as it stops pdfminer: PDFium
  leaves such a font's text out without a word, which would drop printed cells silently.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import pypdfium2.raw as pdfium_c
from pdfminer.fontmetrics import FONT_METRICS
from pdfminer.pdfdevice import PDFDevice
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdftypes import resolve1

from .pdf_reader import MAX_DESCENT, descent_shift, quarter_turn
from .values import printed_characters

Matrix = tuple[float, float, float, float, float, float]
Point = tuple[float, float]
#: x0, y0, x1, y1 in pdfminer's device space.
Box = tuple[float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

#: Points by which a loose char box must pass the glyph's own box to end at the advance.
EDGE = 1e-3
#: The characters PDFium makes up between words and lines (spaces, line breaks): only a
#: char with one of these codes is asked whether it was generated.
GENERATED_CODES = frozenset((0x20, 0x0A, 0x0D))
#: How much less deep than :data:`converters.pdf_reader.MAX_DESCENT` a style's box may
#: reach below the baseline (a share of its height) and still have its chars' lift
#: worked out: a char's own box differs from its style's only by rounding.
LIFT_MARGIN = 0.01
#: A char not looked up yet in a font's widths (None: the font has no width for it).
_UNKNOWN = object()
#: Form XObjects nested deeper than this are not looked into (a loop is cut by the visited set).
MAX_FORM_DEPTH = 12


def page_objects(page, plumber_page) -> tuple[list[dict], list[dict]]:
    """Chars and shapes of a pypdfium2 ``page``, placed as pdfplumber places ``plumber_page``'s."""
    resources = resource_dicts(plumber_page.page_obj.resources)
    _load_fonts(plumber_page.pdf.rsrcmgr, resources)
    frame = _Frame.of(plumber_page)
    ranks: dict[int, int] = {}
    clips: dict[int, Box] = {}
    texts: list[tuple[int, int, Matrix, Box | None]] = []
    shapes: list[dict] = []
    for rank, (address, kind, outer, page_clip) in enumerate(_leaves(page.raw)):
        ranks[address] = rank
        clip = None if page_clip is None else _placed_box(page_clip, frame.ctm)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            obj = _page_object_at(address)
            if clip is None or _meets(clip, _bounds(obj, _compose(outer, frame.ctm))):
                matrix = _compose(_compose(_object_matrix(obj), outer), frame.ctm)
                shapes.extend(_path_shapes(obj, matrix, rank, frame))
        elif kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            texts.append((rank, address, outer, clip))
            if clip is not None:
                clips[address] = clip
    textpage = pdfium_c.FPDFText_LoadPage(page.raw)
    try:
        chars, hidden = _chars(textpage, frame, ranks, clips, font_descents(resources))
    finally:
        pdfium_c.FPDFText_ClosePage(textpage)
    return _with_dropped_spaces(chars, [t for t in texts if t[0] not in hidden], frame), shapes


def _with_dropped_spaces(
    chars: list[dict], texts: list[tuple[int, int, Matrix, Box | None]], frame: _Frame
) -> list[dict]:
    """The chars with a space for each text object the text page has none of.

    PDFium leaves out a text object that prints only a space, and makes up a space of
    its own where it sees a gap; the reader skips made-up spaces but needs the printed
    ones, which mark letter-spaced labels (:func:`converters.pdf_reader.mark_spaced`).
    ``texts`` are the page's text objects (addresses) with their rank, the matrix of the
    forms they are drawn in and their clip in device space (a space outside it is not
    printed either). The chars come back in content order (a stable sort: an object's
    chars keep the text page's order).
    """
    present = {c["order"] for c in chars}
    for rank, address, outer, clip in texts:
        if rank in present:
            continue
        x0, y0, x1, y1 = _bounds(_page_object_at(address), _compose(outer, frame.ctm))
        if clip is not None and not _holds(clip, (x0 + x1) / 2, (y0 + y1) / 2):
            continue
        place_x, place_top = frame.place(x0, y1)
        chars.append(
            {
                "order": rank,
                "text": " ",
                "fontname": "",
                "size": y1 - y0,
                "x0": place_x,
                "x1": x1 + frame.x_shift,
                "top": place_top,
                "bottom": place_top + (y1 - y0),
                "matrix": (1.0, 0.0, 0.0, 1.0, x0, y0),
                "upright": True,
                "non_stroking_color": (0.0, 0.0, 0.0),
            }
        )
    chars.sort(key=lambda c: c["order"])
    return chars


class _Frame:
    """pdfminer's page matrix (rotation, MediaBox origin) and pdfplumber's flip to top-left."""

    def __init__(self, ctm: Matrix, x_shift: float, y_shift: float, height: float) -> None:
        self.ctm, self.x_shift, self.y_shift, self.height = ctm, x_shift, y_shift, height

    @classmethod
    def of(cls, plumber_page) -> _Frame:
        x0, y0, x1, y1 = plumber_page.page_obj.mediabox
        rotate = plumber_page.page_obj.rotate
        if rotate == 90:
            ctm: Matrix = (0, -1, 1, 0, -y0, x1)
        elif rotate == 180:
            ctm = (-1, 0, 0, -1, x1, y1)
        elif rotate == 270:
            ctm = (0, 1, -1, 0, y1, -x0)
        else:
            ctm = (1, 0, 0, 1, -x0, -y0)
        mb_x0, mb_top = plumber_page.mediabox[:2]
        return cls(ctm, float(mb_x0), float(mb_top), float(plumber_page.height))

    def place(self, x: float, y: float) -> Point:
        """A point of pdfminer's device space in pdfplumber's top-left coordinates."""
        return x + self.x_shift, self.height - y + self.y_shift


def _compose(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (pdfminer's ``mult_matrix(m, n)``)."""
    a1, b1, c1, d1, e1, f1 = m
    a0, b0, c0, d0, e0, f0 = n
    return (
        a0 * a1 + c0 * b1,
        b0 * a1 + d0 * b1,
        a0 * c1 + c0 * d1,
        b0 * c1 + d0 * d1,
        a0 * e1 + c0 * f1 + e0,
        b0 * e1 + d0 * f1 + f0,
    )


def _apply(m: Matrix, x: float, y: float) -> Point:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _page_object_at(address: int):
    """The page object at ``address``, for the functions that take it typed."""
    return ctypes.cast(address, pdfium_c.FPDF_PAGEOBJECT)


def _object_matrix(obj) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _leaves(raw_page) -> Iterator[tuple[int, int, Matrix, Box | None]]:
    """Every page object but forms (as its address), in content order, with its type,
    the matrix of the forms it is drawn in (identity on the page itself) and the box it
    is clipped to in page space: its own clip within those of the forms it is drawn in
    (None where nothing clips it). A form XObject's objects come in its place, drawn in
    the form's matrix composed with those around it. (An object's own matrix is asked
    for where it is used, for paths: a text object's chars come placed from the text page.)"""
    page = ctypes.cast(raw_page, ctypes.c_void_p).value
    for i in range(pdfium_c.FPDFPage_CountObjects(raw_page)):
        obj = _page_object(page, i) or 0
        kind = _object_type(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            yield from _expand(obj, IDENTITY, None, 0)
        else:  # most objects: no generator of their own
            yield obj, kind, IDENTITY, _clip_box(obj, IDENTITY)


def _expand(obj: int, outer: Matrix, clip: Box | None, depth: int) -> Iterator[tuple[int, int, Matrix, Box | None]]:
    clip = _intersection(clip, _clip_box(obj, outer))
    kind = _object_type(obj)
    if kind != pdfium_c.FPDF_PAGEOBJ_FORM:
        yield obj, kind, outer, clip
        return
    if depth >= MAX_FORM_DEPTH:
        return
    matrix = _compose(_object_matrix(_page_object_at(obj)), outer)
    for i in range(_form_object_count(obj)):
        yield from _expand(_form_object(obj, i) or 0, matrix, clip, depth + 1)


def _clip_box(obj: int, to_page: Matrix) -> Box | None:
    """The box a page object's own clipping path allows, in page space (``to_page``: from
    the space the path is given in, that of the forms the object is drawn in), or None
    where it has none. Each path of the clip is taken as its box; the boxes intersect."""
    clip = _object_clip(obj)
    if not clip:
        return None
    x, y = ctypes.c_float(), ctypes.c_float()
    x_at, y_at = ctypes.addressof(x), ctypes.addressof(y)
    box: Box | None = None
    for i in range(_clip_path_count(clip)):
        points = []
        for j in range(_clip_segment_count(clip, i)):
            segment = _clip_segment(clip, i, j)
            if segment and _segment_point(segment, x_at, y_at):
                points.append(_apply(to_page, x.value, y.value))
        if points:
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            box = _intersection(box, (min(xs), min(ys), max(xs), max(ys)))
    return box


def _intersection(box: Box | None, other: Box | None) -> Box | None:
    """Two clips in one (None: no clip). Clips that do not overlap give a box with
    x0 > x1 or y0 > y1: it holds no point and meets no box."""
    if box is None or other is None:
        return box if other is None else other
    return max(box[0], other[0]), max(box[1], other[1]), min(box[2], other[2]), min(box[3], other[3])


def _empty(box: Box) -> bool:
    return box[0] > box[2] or box[1] > box[3]


def _placed_box(box: Box, matrix: Matrix) -> Box:
    """The box around ``box`` moved by ``matrix`` (a page's rotation keeps boxes boxes);
    an empty box stays empty."""
    if _empty(box):
        return box
    corners = [_apply(matrix, x, y) for x in (box[0], box[2]) for y in (box[1], box[3])]
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    return min(xs), min(ys), max(xs), max(ys)


def _colour(getter, obj) -> tuple[float, float, float]:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(obj, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a)):
        return (0.0, 0.0, 0.0)
    return (r.value / 255, g.value / 255, b.value / 255)


def _path_shapes(path, matrix: Matrix, rank: int, frame: _Frame) -> list[dict]:
    """The path's painted subpaths as pdfminer's line/rect/curve records: a line keeps
    its two ends, a rect the corners of its box, a curve every point."""
    fillmode, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(path, ctypes.byref(fillmode), ctypes.byref(stroke)):
        return []
    fill = fillmode.value != pdfium_c.FPDF_FILLMODE_NONE
    if not fill and not stroke.value:
        return []
    stroking = _colour(pdfium_c.FPDFPageObj_GetStrokeColor, path)
    non_stroking = _colour(pdfium_c.FPDFPageObj_GetFillColor, path)
    out: list[dict] = []
    for ops, pts in _subpaths(path):
        kind = _kind(ops, pts)
        if kind is None:
            continue
        device = [_apply(matrix, x, y) for x, y in pts]
        if kind == "line":
            device = device[:2]
        elif kind == "rect":
            (x0, y0), (x1, y1) = device[0], device[2]
            device = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
        placed = [frame.place(x, y) for x, y in device]
        out.append(
            {
                "order": rank,
                "object_type": kind,
                "stroke": bool(stroke.value),
                "fill": fill,
                "stroking_color": stroking,
                "non_stroking_color": non_stroking,
                "pts": placed,
            }
        )
    return out


def _subpaths(path) -> Iterator[tuple[str, list[Point]]]:
    """The path's subpaths in pdfminer's spelling: ``m``, ``l``, ``c`` (a Bézier's three
    PDFium points, its end point kept) and ``h``. PDFium closes a subpath with a line
    back to its start; pdfminer keeps the ``h`` (with the start as its point)."""
    x, y = ctypes.c_float(), ctypes.c_float()
    ops: list[str] = []
    pts: list[Point] = []
    bezier = 0
    for i in range(pdfium_c.FPDFPath_CountSegments(path)):
        seg = pdfium_c.FPDFPath_GetPathSegment(path, i)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        point = (x.value, y.value)
        closes = bool(pdfium_c.FPDFPathSegment_GetClose(seg))
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            if ops:
                yield "".join(ops), pts
            ops, pts, bezier = ["m"], [point], 0
            continue
        if not ops:
            continue
        if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier % 3:
                continue
            ops.append("c")
            pts.append(point)
        elif closes and point == pts[0]:
            ops.append("h")
            pts.append(pts[0])
            continue
        else:
            ops.append("l")
            pts.append(point)
        if closes:
            ops.append("h")
            pts.append(pts[0])
    if ops:
        yield "".join(ops), pts


def _kind(shape: str, pts: list[Point]) -> str | None:
    """pdfminer's class of a subpath: ``line``, ``rect``, ``curve``; None for a lone move."""
    if len(shape) < 2:
        return None
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        del pts[-2]
    if shape in ("mlh", "ml"):
        return "line"
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if pts[0] == pts[4] and square:
            return "rect"
    return "curve"


@dataclass(frozen=True)
class _Style:
    """What the chars of text objects set alike (font, size, matrix, colour) share:
    PDFium gives it per char, read once per text object and worked out once per style.
    ``placed`` is the text matrix's linear part taken to device space (a char's matrix
    is that with the char's origin moved there); ``low`` and ``high`` bound its chars'
    boxes in text space; ``may_lift`` says whether they reach deep enough below the
    baseline (a deep descent, or any with a negative size, which turns the box over)
    for :func:`converters.pdf_reader.descent_shift` to lift its chars at all; ``upright``
    is pdfplumber's;
    ``turn`` the quarter turns of the text's direction on the page (0: left to right,
    1: upwards, 2: right to left, 3: downwards; None: slanted); ``widths`` the font's
    widths at this size by Unicode value, filled as chars ask."""

    fontname: str
    size: float
    matrix: tuple[float, float, float, float]
    colour: tuple[float, float, float]
    font: object
    placed: tuple[float, float, float, float]
    low: float
    high: float
    upright: bool
    may_lift: bool
    turn: int | None
    widths: dict[int, float | None] = field(compare=False)


class _TextPage:
    """Per-char queries on a PDFium text page, with the ctypes buffers made once."""

    def __init__(self, textpage, ctm: Matrix, descents: Mapping[str, list[float]]) -> None:
        self.page = textpage
        self.address = ctypes.cast(textpage, ctypes.c_void_p).value
        self.ctm = ctm
        self.descents = descents
        self.x, self.y = ctypes.c_double(), ctypes.c_double()
        self.x_at, self.y_at = ctypes.addressof(self.x), ctypes.addressof(self.y)
        self.box = pdfium_c.FS_RECTF()
        self.box_at = ctypes.addressof(self.box)
        self.tight = [ctypes.c_double() for _ in range(4)]
        self.tight_refs = [ctypes.byref(v) for v in self.tight]
        self.width = ctypes.c_float()
        self.tm = pdfium_c.FS_MATRIX()
        self.tm_at = ctypes.addressof(self.tm)
        self.rgba = [ctypes.c_uint() for _ in range(4)]
        self.rgba_at = [ctypes.addressof(v) for v in self.rgba]
        self.fonts: dict[int, tuple[object, str, float]] = {}
        self.styles: dict[tuple, _Style] = {}

    def style(self, index: int, obj: int) -> _Style:
        """The style of char ``index``, which text object ``obj`` (an address) prints."""
        tm, rgba = self.tm, self.rgba
        _char_matrix(self.address, index, self.tm_at)
        _char_fill(self.address, index, *self.rgba_at)
        font_key = _text_object_font(obj) or 0
        size = _char_font_size(self.address, index)
        key = (font_key, size, tm.a, tm.b, tm.c, tm.d, rgba[0].value, rgba[1].value, rgba[2].value)
        style = self.styles.get(key)
        if style is None:
            style = self.styles[key] = self._new_style(key)
        return style

    def _new_style(self, key: tuple) -> _Style:
        font_key, size, ta, tb, tc, td, red, green, blue = key
        if font_key not in self.fonts:
            font = ctypes.cast(font_key, pdfium_c.FPDF_FONT)
            self.fonts[font_key] = (font, *_font(font, self.descents))
        font, fontname, descent = self.fonts[font_key]
        a, b, c, d = _compose((ta, tb, tc, td, 0.0, 0.0), self.ctm)[:4]
        low = descent * size
        up = (d, -c, -d, c)[quarter_turn(a, b, c, d) or 0]  # the scale of the text's up direction on the page
        drop, height = min(up * low, up * (low + size)), abs(up * size)
        return _Style(
            fontname,
            size,
            (ta, tb, tc, td),
            (red / 255, green / 255, blue / 255),
            font,
            (a, b, c, d),
            low,
            low + size,
            a * d > 0 and b * c <= 0,
            bool(height) and drop / height < -MAX_DESCENT + LIFT_MARGIN,
            quarter_turn(ta, tb, tc, td),
            {},
        )

    def _glyph_width(self, font, code: int, size: float) -> float | None:
        """The font's width for the char (found from its Unicode value), times the size."""
        ok = pdfium_c.FPDFFont_GetGlyphWidth(font, code, ctypes.c_float(size), ctypes.byref(self.width))
        return self.width.value if ok else None

    def advance(self, index: int, style: _Style, code: int, origin_x: float, origin_y: float) -> float:
        """The char's advance width in text space (times the font size), as pdfminer
        takes it from the font's widths. PDFium's loose box runs from the origin to the
        farther of the advance and the glyph's own far edge, along the text's direction:
        where the advance reaches farther, the box tells it exactly; where the glyph
        overhangs it, the font's width for the char is taken (trusted only if it fits
        inside the box). A Type3 font's loose box is its glyph's box, not starting at
        the origin: its width is taken as is. The font's width is found from the char's
        Unicode value, which a glyph standing for several (a —— dash) does not give:
        then the box alone tells the advance, the text turned or not."""
        box = self.box
        _loose_char_box(self.address, index, self.box_at)
        turn = style.turn
        if turn == 0:
            near, far = box.left - origin_x, box.right - origin_x
        elif turn == 1:
            near, far = box.bottom - origin_y, box.top - origin_y
        elif turn == 2:
            near, far = origin_x - box.right, origin_x - box.left
        elif turn == 3:
            near, far = origin_y - box.top, origin_y - box.bottom
        else:
            near = far = 0.0
        boxed = 0.0 if turn is None else far / abs(style.matrix[0] if turn % 2 == 0 else style.matrix[1])
        widths = style.widths
        width = widths.get(code, _UNKNOWN)
        if width is _UNKNOWN:
            width = widths[code] = self._glyph_width(style.font, code, style.size)
        if width is None:
            return boxed
        if turn is None or abs(near) > EDGE:
            return width
        if abs(width - boxed) <= EDGE or width > boxed:
            return boxed
        pdfium_c.FPDFText_GetCharBox(self.page, index, *self.tight_refs)
        left, right, bottom, top = (v.value for v in self.tight)
        glyph_far = (right - origin_x, top - origin_y, origin_x - left, origin_y - bottom)[turn]
        return boxed if far > glyph_far + EDGE else width


def _chars(
    textpage, frame: _Frame, ranks: dict[int, int], clips: Mapping[int, Box], descents: Mapping[str, list[float]]
) -> tuple[list[dict], set[int]]:
    """The text page's chars (not the spaces and line breaks PDFium makes up) with
    pdfminer's boxes, in the text page's order, each with its object's rank in the
    content stream (``order``), by which :func:`_with_dropped_spaces` sorts them: PDFium's
    text page may put a text object's chars after a later object's on the same line,
    pdfminer keeps the stream's order. A glyph that stands for several characters (a
    ``——`` dash) is one char, as in pdfminer; PDFium gives each character at the
    glyph's origin. Chars outside their object's clip (``clips``, by object address)
    are left out; the ranks of the objects they belong to come back with the chars.

    This loop runs once per char of the document, most of a PDF's reading time: what
    one text object's chars share is worked out once in its :class:`_Style`, and each
    char's matrix and box (:func:`_compose`, :func:`_box`) are written out here."""
    page = _TextPage(textpage, frame.ctm, descents)
    objects: dict[int, tuple[_Style, int, Box | None]] = {}
    texts: dict[int, str] = {}
    chars: list[dict] = []
    hidden: set[int] = set()
    last: tuple[int, float, float] | None = None
    get_unicode, is_generated = pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_IsGenerated
    at, x_at, y_at, x, y = page.address, page.x_at, page.y_at, page.x, page.y
    ca, cb, cc, cd, ce, cf = frame.ctm
    x_shift, y_shift, height = frame.x_shift, frame.y_shift, frame.height
    for i in range(pdfium_c.FPDFText_CountChars(textpage)):
        code = get_unicode(textpage, i)
        if code in GENERATED_CODES and is_generated(textpage, i) == 1:
            continue
        key = _text_object_address(at, i) or 0
        known = objects.get(key)
        if known is None:
            known = objects[key] = (page.style(i, key), ranks.get(key, -1), clips.get(key))
        style, rank, clip = known
        _char_origin(at, i, x_at, y_at)
        ox, oy = x.value, y.value
        if (key, ox, oy) == last:
            chars[-1]["text"] = printed_characters(chars[-1]["text"] + chr(code))
            continue
        last = (key, ox, oy)
        advance = page.advance(i, style, code, ox, oy)
        a, b, c, d = style.placed
        e, f = ca * ox + cc * oy + ce, cb * ox + cd * oy + cf
        if not b and not c:
            x0, x1, y0, y1 = e, a * advance + e, d * style.low + f, d * style.high + f
            x0, y0, x1, y1 = min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)
        else:
            x0, y0, x1, y1 = _box((a, b, c, d, e, f), advance, style.low, style.high)
        if clip is not None and not _holds(clip, (x0 + x1) / 2, (y0 + y1) / 2):
            hidden.add(rank)
            last = None
            continue
        top = height - y1 + y_shift
        if style.may_lift:
            dx, dy = descent_shift((a, b, c, d, e, f), x0, y0, x1, y1)
            x0, x1, top = x0 + dx, x1 + dx, top - dy
        text = texts.get(code)
        if text is None:
            text = texts[code] = printed_characters(chr(code))
        chars.append(
            {
                "order": rank,
                "text": text,
                "fontname": style.fontname,
                "size": y1 - y0,
                "x0": x0 + x_shift,
                "x1": x1 + x_shift,
                "top": top,
                "bottom": top + (y1 - y0),
                "matrix": (a, b, c, d, e, f),
                "upright": style.upright,
                "non_stroking_color": style.colour,
            }
        )
    return chars, hidden


def _holds(box: Box, x: float, y: float) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _meets(box: Box, other: Box) -> bool:
    """Whether two boxes share a point: a path wholly outside its clip is not drawn (one
    partly inside is kept whole: a rule's visible part is still a rule)."""
    return not _empty(box) and box[0] <= other[2] and other[0] <= box[2] and box[1] <= other[3] and other[1] <= box[3]


def _bounds(obj, to_device: Matrix) -> Box:
    """A page object's bounds (PDFium's, in the space of the forms it is drawn in) in device space."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    pdfium_c.FPDFPageObj_GetBounds(obj, *(ctypes.byref(v) for v in (left, bottom, right, top)))
    return _placed_box((left.value, bottom.value, right.value, top.value), to_device)


def _box(matrix: Matrix, advance: float, low: float, high: float) -> tuple[float, float, float, float]:
    """pdfminer's char box: the text-space box ``(0, low)-(advance, high)`` through the
    matrix, the box around its four corners (two suffice for unturned text)."""
    a, b, c, d, e, f = matrix
    if not b and not c:
        x0, x1, y0, y1 = e, a * advance + e, d * low + f, d * high + f
        return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)
    corners = [_apply(matrix, x, y) for x, y in ((0.0, low), (advance, low), (advance, high), (0.0, high))]
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    return min(xs), min(ys), max(xs), max(ys)


def _by_address(function, restype, *argtypes):
    """``function`` (the same C function) taking and answering pointers as addresses:
    ctypes checks the type of every pointer argument on each call and builds a pointer
    object for every one answered, which in the per-char loop costs as much as the call."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(function, ctypes.c_void_p).value)


_ADDRESS, _INT = ctypes.c_void_p, ctypes.c_int
#: The text object printing a char, as an address: a key for caches.
_text_object_address = _by_address(pdfium_c.FPDFText_GetTextObject, _ADDRESS, _ADDRESS, _INT)
_text_object_font = _by_address(pdfium_c.FPDFTextObj_GetFont, _ADDRESS, _ADDRESS)
_char_origin = _by_address(pdfium_c.FPDFText_GetCharOrigin, _INT, _ADDRESS, _INT, _ADDRESS, _ADDRESS)
_loose_char_box = _by_address(pdfium_c.FPDFText_GetLooseCharBox, _INT, _ADDRESS, _INT, _ADDRESS)
_char_matrix = _by_address(pdfium_c.FPDFText_GetMatrix, _INT, _ADDRESS, _INT, _ADDRESS)
_char_fill = _by_address(pdfium_c.FPDFText_GetFillColor, _INT, _ADDRESS, _INT, _ADDRESS, _ADDRESS, _ADDRESS, _ADDRESS)
_char_font_size = _by_address(pdfium_c.FPDFText_GetFontSize, ctypes.c_double, _ADDRESS, _INT)
_page_object = _by_address(pdfium_c.FPDFPage_GetObject, _ADDRESS, _ADDRESS, _INT)
_object_type = _by_address(pdfium_c.FPDFPageObj_GetType, _INT, _ADDRESS)
_object_clip = _by_address(pdfium_c.FPDFPageObj_GetClipPath, _ADDRESS, _ADDRESS)
_form_object_count = _by_address(pdfium_c.FPDFFormObj_CountObjects, _INT, _ADDRESS)
_form_object = _by_address(pdfium_c.FPDFFormObj_GetObject, _ADDRESS, _ADDRESS, ctypes.c_ulong)
_clip_path_count = _by_address(pdfium_c.FPDFClipPath_CountPaths, _INT, _ADDRESS)
_clip_segment_count = _by_address(pdfium_c.FPDFClipPath_CountPathSegments, _INT, _ADDRESS, _INT)
_clip_segment = _by_address(pdfium_c.FPDFClipPath_GetPathSegment, _ADDRESS, _ADDRESS, _INT, _INT)
_segment_point = _by_address(pdfium_c.FPDFPathSegment_GetPoint, _INT, _ADDRESS, _ADDRESS, _ADDRESS)


def _font(font, descents: Mapping[str, list[float]]) -> tuple[str, float]:
    """The font's name and the descent its descriptor declares (share of the size).
    Where fonts of one name declare different descents, the one nearest PDFium's own
    reading of the font's descent is taken."""
    buf = ctypes.create_string_buffer(256)
    pdfium_c.FPDFFont_GetBaseFontName(font, buf, len(buf))
    name = buf.value.decode("latin-1")
    candidates = descents.get(name) or [0.0]
    if len(candidates) == 1:
        return name, candidates[0]
    own = ctypes.c_float()
    pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(1.0), ctypes.byref(own))
    return name, min(candidates, key=lambda d: abs(d - own.value))


def _load_fonts(rsrcmgr, resources: list[dict]) -> None:
    """Builds the fonts of a page's ``resources`` (:func:`resource_dicts`) as pdfminer's
    interpreter does before it reads a page, so a font pdfminer cannot make sense of
    raises here as it would there; the document's resource manager caches what it built.
    pdfminer builds a form's fonts only when the page draws the form: a broken font in a
    form the page lists but never draws stops this reader, not pdfminer's."""
    interpreter = PDFPageInterpreter(rsrcmgr, PDFDevice(rsrcmgr))
    for each in resources:
        interpreter.init_resources(each)


def font_descents(resources: list[dict]) -> dict[str, list[float]]:
    """Descents (share of the font size, negative) of the fonts a page's ``resources``
    (:func:`resource_dicts`) name, by base font name, as
    pdfminer reads them: the descriptor's /Descent (a positive one negated), a standard
    font's from its metrics, a Type3 font's from its box. PDFium names some fonts
    without their subset tag, so each is also found under its untagged name; where a
    name stands for several fonts, all their descents are listed (:func:`_font` picks one)."""
    out: dict[str, list[float]] = {}
    for each in resources:
        fonts = resolve1(each.get("Font"))
        for spec in fonts.values() if isinstance(fonts, dict) else ():
            spec = resolve1(spec)
            if not isinstance(spec, dict):
                continue
            for name, descent in _spec_descents(spec):
                for key in {name, _untagged(name)}:
                    if descent not in out.setdefault(key, []):
                        out[key].append(descent)
    return out


def resource_dicts(resources) -> list[dict]:
    """A page's resource dictionary and those of the form XObjects it lists, nested ones too."""
    return list(_resource_dicts(resources, 0, set()))


def _resource_dicts(resources, depth: int, seen: set[int]) -> Iterator[dict]:
    """A page's resource dictionary and those of the form XObjects it draws, nested ones too."""
    resources = resolve1(resources)
    if not isinstance(resources, dict) or id(resources) in seen or depth > MAX_FORM_DEPTH:
        return
    seen.add(id(resources))
    yield resources
    xobjects = resolve1(resources.get("XObject"))
    for xobj in xobjects.values() if isinstance(xobjects, dict) else ():
        attrs = getattr(resolve1(xobj), "attrs", None)
        if isinstance(attrs, dict) and _name(attrs.get("Subtype")) == "Form" and "Resources" in attrs:
            yield from _resource_dicts(attrs["Resources"], depth + 1, seen)


def _spec_descents(spec: dict) -> Iterator[tuple[str, float]]:
    base = _name(spec.get("BaseFont"))
    subtype = _name(spec.get("Subtype"))
    if subtype == "Type0":
        descendants = resolve1(spec.get("DescendantFonts"))
        if isinstance(descendants, list) and descendants:
            sub = resolve1(descendants[0])
            if isinstance(sub, dict):
                descent = _descriptor_descent(sub)
                yield base, descent
                yield _name(sub.get("BaseFont")), descent
        return
    if subtype == "Type3":
        yield base, _type3_descent(spec)
        return
    raw = _name(spec.get("BaseFont"))
    if raw in FONT_METRICS:
        yield base, -abs(float(FONT_METRICS[raw][0].get("Descent", 0))) * 0.001
        return
    yield base, _descriptor_descent(spec)


def _type3_descent(spec: dict) -> float:
    """pdfminer's Type3 descent: the bottom of the descriptor's box (the font's own box
    when it has no descriptor), scaled by the font matrix's vertical terms."""
    descriptor = resolve1(spec.get("FontDescriptor"))
    bbox = resolve1((descriptor if isinstance(descriptor, dict) else spec).get("FontBBox"))
    matrix = resolve1(spec.get("FontMatrix"))
    try:
        return float(resolve1(bbox[1])) * (float(resolve1(matrix[1])) + float(resolve1(matrix[3])))
    except (TypeError, ValueError, IndexError):
        return 0.0


def _descriptor_descent(spec: dict) -> float:
    descriptor = resolve1(spec.get("FontDescriptor"))
    if not isinstance(descriptor, dict):
        return 0.0
    try:
        descent = float(resolve1(descriptor.get("Descent", 0)))
    except (TypeError, ValueError):
        return 0.0
    return -abs(descent) * 0.001


def _name(value) -> str:
    value = resolve1(value)
    name = getattr(value, "name", value)
    if isinstance(name, bytes):
        return name.decode("latin-1")
    return name if isinstance(name, str) else ""


def _untagged(name: str) -> str:
    """A base font name without its ``ABCDEF+`` subset tag."""
    tag, plus, rest = name.partition("+")
    return rest if plus and len(tag) == 6 and tag.isupper() else name
