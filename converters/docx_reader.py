"""DOCX reader: the body of a Word document as text and table blocks in reading order.

python-docx opens the package and resolves styles; the body itself is walked as raw
XML, because python-docx's ``row.cells`` repeats merged cells (the grid and merges
must come from ``w:gridSpan``/``w:vMerge``) and its per-cell wrappers make a document
with thousands of cells slow. Only the body is read: watermarks live in section
headers, and text boxes drawn over the page are not part of the text flow.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.exceptions import OpcError
from docx.opc.part import PartFactory
from docx.package import Package
from docx.parts.document import DocumentPart
from docx.styles.style import BaseStyle
from lxml import etree

from converters.errors import ConversionError
from converters.model import DocumentBlocks, TableBlock, TextBlock
from converters.sniff import check_docx_zip
from converters.values import printed_characters

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STRICT_W_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


W_DOCUMENT, W_BODY = _w("document"), _w("body")
W_P, W_TBL, W_TR, W_TC, W_R = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("r")
W_T, W_TAB, W_BR, W_CR, W_NB_HYPHEN = _w("t"), _w("tab"), _w("br"), _w("cr"), _w("noBreakHyphen")
W_VAL, W_TYPE = _w("val"), _w("type")
W_TR_PR, W_TC_PR = _w("trPr"), _w("tcPr")
W_RPR, W_VANISH = _w("rPr"), _w("vanish")
W_GRID_BEFORE, W_GRID_AFTER, W_TBL_HEADER = _w("gridBefore"), _w("gridAfter"), _w("tblHeader")
W_GRID_SPAN, W_VMERGE = _w("gridSpan"), _w("vMerge")
_FLOW_TAGS = frozenset({W_P, W_TBL})
_ROW_TAGS = frozenset({W_TR})
_CELL_TAGS = frozenset({W_TC})

#: Wrappers (content controls, custom XML) that hold paragraphs, tables, rows or cells
#: as if they were not there; a Word table of contents is usually inside a w:sdt.
_BLOCK_WRAPPERS = frozenset(_w(t) for t in ("sdt", "sdtContent", "customXml"))
#: Wrappers that hold runs inside a paragraph. Deleted text (w:del, w:moveFrom) is
#: deliberately absent: it is not printed.
_RUN_WRAPPERS = frozenset(
    _w(t)
    for t in ("hyperlink", "ins", "moveTo", "smartTag", "customXml", "sdt", "sdtContent", "fldSimple", "dir", "bdo")
)
_BREAKS_IGNORED = frozenset({"page", "column"})
_HEADING_STYLE = re.compile(r"^heading ([1-9])$", re.IGNORECASE)

#: Main parts read as a Word document's body. A .docm (Word with macros) holds its
#: document in the same XML as a .docx, typed macro-enabled: its body is converted and
#: its macros (a separate binary part) are never run, nor read.
WORD_MAIN_PARTS = frozenset({CT.WML_DOCUMENT_MAIN, "application/vnd.ms-word.document.macroEnabled.main+xml"})
for _content_type in WORD_MAIN_PARTS:  # python-docx's own way to say which class a part type loads as
    PartFactory.part_type_for[_content_type] = DocumentPart

#: Grid positions allowed over all tables of a document (the corpus needs ~12,000):
#: w:gridSpan and w:tblGrid multiply rows by columns, so without a bound a few
#: kilobytes of crafted XML could allocate gigabytes of empty cells.
MAX_GRID_CELLS = 2_000_000


def read_docx(path: Path) -> DocumentBlocks:
    """Read a DOCX body into blocks; refuses unsafe or unreadable containers."""
    check_docx_container(path)
    document = _open_document(path)
    styles = _Styles(document)
    body = _body(document)
    _drop_hidden_runs(body)
    blocks = list(_body_blocks(body, styles, _GridBudget(MAX_GRID_CELLS)))
    return DocumentBlocks(source_format="docx", page_count=None, blocks=blocks, warnings=[])


# --- container -------------------------------------------------------------------


def check_docx_container(path: Path) -> None:
    """Refuse what is not a DOCX zip, or a zip that would balloon when unpacked.

    Uploads are untrusted, and this reader can be called without the pipeline's
    :func:`~converters.sniff.inspect_input`, so it applies the same container limits
    (one set, in :mod:`converters.sniff`) before python-docx inflates anything; they
    read only the zip directory, so checking twice costs nothing.
    """
    check_docx_zip(path)


def _open_document(path: Path) -> DocxDocument:
    """Open with python-docx, turning its parse failures into ``corrupt-document``.

    What ``docx.Document`` does, but accepting every main part in :data:`WORD_MAIN_PARTS`.

    python-docx parses with ``resolve_entities=False`` (and lxml does no network
    access), so external entities are never read; a DOCTYPE is refused outright
    anyway, since OPC packages may not contain DTDs and only crafted files do.
    """
    try:
        part = Package.open(str(path)).main_document_part
        if part.content_type not in WORD_MAIN_PARTS:
            raise ValueError(part.content_type)
        document = part.document
    except (OpcError, KeyError, ValueError, etree.XMLSyntaxError, zipfile.BadZipFile) as e:
        if isinstance(e, etree.XMLSyntaxError) and e.code == etree.ErrorTypes.ERR_NO_MEMORY:
            # libxml2 out of memory under the conversion's limit: the document is too big, not broken.
            raise MemoryError("the XML parser ran out of memory") from None
        # The exception's text names the file's path on this machine: never pass it on.
        raise ConversionError(
            "corrupt-document",
            "The DOCX document's parts do not fit together as Word writes them (its main "
            "part is missing, of the wrong type or not linked), so it cannot be read.",
        ) from None
    if document.element.getroottree().docinfo.doctype:
        raise ConversionError(
            "corrupt-document",
            "The DOCX document declares a DTD; Word never writes one, and "
            "it is how entity-expansion and XXE attacks start. The document was not read.",
        )
    return document


def _body(document: DocxDocument) -> etree._Element:
    """The w:body, checked by hand: python-docx assumes a transitional w:document."""
    root = document.element
    if root.tag == f"{{{STRICT_W_NS}}}document":
        raise ConversionError(
            "corrupt-document",
            "The DOCX document is saved as Strict Open XML, which "
            "budgetpack does not read; save it again as an ordinary Word document.",
        )
    body = next(root.iterchildren(W_BODY), None) if root.tag == W_DOCUMENT else None
    if body is None:
        raise ConversionError("corrupt-document", "The DOCX document's main part holds no document body.")
    return body


# --- styles ----------------------------------------------------------------------


@dataclass(frozen=True)
class _StyleFormat:
    """What a style chain (style and the styles it is based on) says, None if silent."""

    bold: bool | None
    size: float | None
    centered: bool | None
    outline_level: int | None


class _Styles:
    """Resolves bold, size, alignment and heading level through style inheritance.

    Run formatting falls back from the run to its character style, the paragraph
    style and the document defaults, as Word does (table styles are ignored: they only
    affect tables, whose formatting is not read).
    """

    def __init__(self, document: DocxDocument) -> None:
        self._by_id: dict[str, BaseStyle] = {s.style_id: s for s in document.styles}
        default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        self._default_paragraph_id = default.style_id if default is not None else None
        self._default_size = _default_font_size(document.styles.element)
        self._resolved: dict[str | None, _StyleFormat] = {}

    def paragraph_style_id(self, p: etree._Element) -> str | None:
        return _child_val(p, "pPr", "pStyle") or self._default_paragraph_id

    def heading_level(self, style_id: str | None) -> int | None:
        """Heading N style, else the outline level the style chain declares."""
        style = self._by_id.get(style_id) if style_id else None
        match = _HEADING_STYLE.match(style.name or "") if style is not None else None
        if match:
            return int(match.group(1))
        level = self.resolve(style_id).outline_level
        return level + 1 if level is not None and level < 9 else None

    @property
    def default_size(self) -> float | None:
        return self._default_size

    def resolve(self, style_id: str | None) -> _StyleFormat:
        """The style chain's formatting, computed once per style."""
        if style_id not in self._resolved:
            self._resolved[style_id] = self._walk(style_id)
        return self._resolved[style_id]

    def _walk(self, style_id: str | None) -> _StyleFormat:
        """Walk the basedOn chain; the first style that sets a property wins."""
        bold = size = centered = outline = None
        seen: set[str] = set()
        style = self._by_id.get(style_id) if style_id else None
        while style is not None and style.style_id not in seen:
            seen.add(style.style_id)
            font = getattr(style, "font", None)
            if font is not None:
                bold = font.bold if bold is None else bold
                size = font.size.pt if size is None and font.size is not None else size
            fmt = getattr(style, "paragraph_format", None)
            if centered is None and fmt is not None and fmt.alignment is not None:
                centered = fmt.alignment == WD_PARAGRAPH_ALIGNMENT.CENTER
            if outline is None:
                outline = _int_or_none(_child_val(style.element, "pPr", "outlineLvl"))
            style = style.base_style
        return _StyleFormat(bold, size, centered, outline)


def _default_font_size(styles_element: etree._Element) -> float | None:
    """Document default size (w:docDefaults), used when no style sets one."""
    path = "/".join(_w(t) for t in ("docDefaults", "rPrDefault", "rPr", "sz"))
    sz = styles_element.find(path)
    value = _int_or_none(sz.get(W_VAL) if sz is not None else None)
    return value / 2 if value is not None else None


# --- body ------------------------------------------------------------------------


def _body_blocks(body: etree._Element, styles: _Styles, budget: _GridBudget) -> Iterator[TextBlock | TableBlock]:
    """Paragraphs and tables in document order; empty paragraphs are dropped."""
    for element in _children(body, _FLOW_TAGS):
        if element.tag == W_TBL:
            yield _table_block(element, budget)
        else:
            block = _text_block(element, styles)
            if block is not None:
                yield block


def _drop_hidden_runs(body: etree._Element) -> None:
    """Take out of the parsed body the runs formatted hidden (w:vanish: Word's Font >
    Hidden), which are not printed: a template's hidden instruction or old figure is
    no part of the document. Looked for once, so a document without any costs nothing
    per run."""
    for vanish in list(body.iter(W_VANISH)):
        props = vanish.getparent()
        run = props.getparent() if props is not None else None
        if run is not None and run.tag == W_R and props.tag == W_RPR and _on_off(vanish):
            run.getparent().remove(run)


def _children(parent: etree._Element, tags: frozenset[str]) -> Iterator[etree._Element]:
    """Children with one of ``tags``, looking through content-control wrappers."""
    for child in parent:
        if child.tag in tags:
            yield child
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _children(child, tags)


def _text_block(p: etree._Element, styles: _Styles) -> TextBlock | None:
    """One paragraph; tab-separated pieces (captions, TOC lines) become ``parts``."""
    texts = [(run, _run_text(run)) for run in _runs(p)]
    parts = _split_parts("".join(text for _, text in texts))
    if not parts:
        return None
    style_id = styles.paragraph_style_id(p)
    paragraph_style = styles.resolve(style_id)
    inked = [run for run, text in texts if text.strip()]
    sizes = [s for s in (_run_size(r, paragraph_style, styles) for r in inked) if s]
    return TextBlock(
        text=" ".join(parts),
        page=None,
        parts=parts,
        size=max(sizes, default=None),
        bold=all(_run_bold(r, paragraph_style, styles) for r in inked),
        centered=_centered(p, paragraph_style),
        heading_level=styles.heading_level(style_id),
    )


def _runs(parent: etree._Element) -> Iterator[etree._Element]:
    """Runs of a paragraph in order, through hyperlinks, insertions and fields."""
    for child in parent:
        if child.tag == W_R:
            yield child
        elif child.tag in _RUN_WRAPPERS:
            yield from _runs(child)


def _run_text(run: etree._Element) -> str:
    """Printed text of a run: only its direct text children, so drawings, text boxes
    (w:txbxContent) and field codes inside the run never leak in."""
    pieces: list[str] = []
    for child in run:
        tag = child.tag
        if tag == W_T:
            pieces.append(printed_characters(child.text or ""))
        elif tag == W_TAB:
            pieces.append("\t")
        elif tag in (W_BR, W_CR) and child.get(W_TYPE) not in _BREAKS_IGNORED:
            pieces.append("\n")
        elif tag == W_NB_HYPHEN:
            pieces.append("-")
    return "".join(pieces)


def _split_parts(text: str) -> list[str]:
    """Tab-separated pieces, stripped, empty ones (leading indents) dropped."""
    return [part.strip() for part in text.split("\t") if part.strip()]


def _run_bold(run: etree._Element, paragraph_style: _StyleFormat, styles: _Styles) -> bool:
    direct = _on_off(_grandchild(run, "rPr", "b"))
    if direct is not None:
        return direct
    character = styles.resolve(_child_val(run, "rPr", "rStyle")).bold
    if character is not None:
        return character
    return bool(paragraph_style.bold)


def _run_size(run: etree._Element, paragraph_style: _StyleFormat, styles: _Styles) -> float | None:
    half_points = _int_or_none(_child_val(run, "rPr", "sz"))
    if half_points is not None:
        return half_points / 2
    character = styles.resolve(_child_val(run, "rPr", "rStyle")).size
    return character or paragraph_style.size or styles.default_size


def _centered(p: etree._Element, paragraph_style: _StyleFormat) -> bool:
    jc = _child_val(p, "pPr", "jc")
    if jc is not None:
        return jc == "center"
    return bool(paragraph_style.centered)


# --- tables ----------------------------------------------------------------------


@dataclass(frozen=True)
class _GridCell:
    """A w:tc placed on the table grid. ``vmerge`` is None (not vertically merged),
    ``"restart"`` (top of a vertical merge) or ``"continue"`` (covered by the cell above)."""

    col: int
    colspan: int
    vmerge: str | None
    text: str


@dataclass(frozen=True)
class _Row:
    """A w:tr: its cells on the grid, the grid columns it leaves empty at its end
    (w:gridAfter) and whether it is a header row repeated on every page."""

    cells: list[_GridCell]
    grid_after: int
    header: bool


class _GridBudget:
    """Grid positions the document's tables may still fill (see MAX_GRID_CELLS)."""

    def __init__(self, cells: int) -> None:
        self.left = cells

    def spend(self, cells: int) -> None:
        self.left -= cells
        if self.left < 0:
            raise ConversionError(
                "corrupt-document",
                f"The DOCX document's tables span more than {MAX_GRID_CELLS} cells, far "
                "more than a real disclosure; it was not read.",
            )


def _table_block(tbl: etree._Element, budget: _GridBudget) -> TableBlock:
    rows = [_read_row(tr, budget) for tr in _children(tbl, _ROW_TAGS)]
    width = _grid_width(tbl, rows)
    budget.spend(width * len(rows))
    grid, merges = _build_grid([row.cells for row in rows], width)
    return TableBlock(
        rows=grid,
        merges=merges,
        row_pages=[None] * len(grid),
        repeated_header_rows=_repeated_header_rows(rows),
    )


def _read_row(tr: etree._Element, budget: _GridBudget) -> _Row:
    """Cells at their grid columns; w:gridBefore skips leading columns."""
    row_props = _props(tr, W_TR_PR)
    col = _count(row_props.get(W_GRID_BEFORE), default=0)
    cells: list[_GridCell] = []
    for tc in _children(tr, _CELL_TAGS):
        cell_props = _props(tc, W_TC_PR)
        colspan = max(_count(cell_props.get(W_GRID_SPAN), default=1), 1)
        vmerge = _vmerge(cell_props.get(W_VMERGE))
        cells.append(_GridCell(col, colspan, vmerge, _cell_text(tc, budget)))
        col += colspan
    return _Row(
        cells=cells,
        grid_after=_count(row_props.get(W_GRID_AFTER), default=0),
        header=bool(_on_off(row_props.get(W_TBL_HEADER))),
    )


def _count(element: etree._Element | None, default: int) -> int:
    """A non-negative integer property (gridSpan, gridBefore, gridAfter)."""
    value = _int_or_none(_val(element))
    return default if value is None else max(value, 0)


def _props(element: etree._Element, props_tag: str) -> dict[str, etree._Element]:
    """The children of a property element (w:trPr, w:tcPr) by tag, read in one pass:
    this runs for every cell, and separate lookups per property cost more."""
    props = next(element.iterchildren(props_tag), None)
    return {} if props is None else {child.tag: child for child in props}


def _vmerge(element: etree._Element | None) -> str | None:
    """A w:vMerge without a value means "continue", per the spec."""
    if element is None:
        return None
    return "restart" if element.get(W_VAL) == "restart" else "continue"


def _grid_width(tbl: etree._Element, rows: list[_Row]) -> int:
    """Columns of w:tblGrid, widened if a row (with its w:gridAfter) is wider."""
    declared = len(tbl.findall(f"{_w('tblGrid')}/{_w('gridCol')}"))
    ends = [row.cells[-1].col + row.cells[-1].colspan + row.grid_after for row in rows if row.cells]
    return max([declared, *ends])


def _build_grid(placed: list[list[_GridCell]], width: int) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """Full grid plus merges. A "continue" cell extends the vertical merge open in its
    column in the row above; one with nothing to continue is kept as a plain cell."""
    grid = [[""] * width for _ in placed]
    spans: dict[tuple[int, int], list[int]] = {}
    open_merges: dict[int, tuple[int, int]] = {}
    for r, cells in enumerate(placed):
        still_open: dict[int, tuple[int, int]] = {}
        for cell in cells:
            origin = open_merges.get(cell.col) if cell.vmerge == "continue" else None
            if origin is not None:
                spans[origin][0] += 1
                still_open[cell.col] = origin
                continue
            grid[r][cell.col] = cell.text
            spans[(r, cell.col)] = [1, cell.colspan]
            if cell.vmerge is not None:
                still_open[cell.col] = (r, cell.col)
        open_merges = still_open
    merges = [(r, c, rs, cs) for (r, c), (rs, cs) in spans.items() if rs > 1 or cs > 1]
    return grid, merges


def _repeated_header_rows(rows: list[_Row]) -> int:
    """Leading rows marked w:tblHeader (repeated at the top of every page)."""
    count = 0
    while count < len(rows) and rows[count].header:
        count += 1
    return count


def _cell_text(tc: etree._Element, budget: _GridBudget) -> str:
    """Non-empty paragraphs joined by newlines; a nested table is flattened to one
    line per row, its cells separated by spaces."""
    lines: list[str] = []
    for child in _children(tc, _FLOW_TAGS):
        if child.tag == W_TBL:
            lines.extend(" ".join(c for c in row if c) for row in _table_block(child, budget).rows)
        else:
            lines.append(" ".join(_split_parts("".join(_run_text(r) for r in _runs(child)))))
    return "\n".join(line for line in lines if line)


# --- XML helpers -----------------------------------------------------------------


def _grandchild(element: etree._Element, props: str, name: str) -> etree._Element | None:
    """``element/props/name`` (e.g. ``pPr/jc``). Child iteration is several times
    faster than ``find`` with a path, and this runs several times for every cell."""
    container = next(element.iterchildren(_w(props)), None)
    return next(container.iterchildren(_w(name)), None) if container is not None else None


def _child_val(element: etree._Element, props: str, name: str) -> str | None:
    """``w:val`` of ``element/props/name``, None if absent."""
    return _val(_grandchild(element, props, name))


def _val(element: etree._Element | None) -> str | None:
    return element.get(W_VAL) if element is not None else None


def _on_off(element: etree._Element | None) -> bool | None:
    """A WordprocessingML toggle: present means on unless its value says off."""
    if element is None:
        return None
    return element.get(W_VAL) not in ("0", "false", "off")


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
