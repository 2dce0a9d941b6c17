"""Cheap checks on an uploaded file before any reader touches it.

The pipeline calls :func:`inspect_input` first, so every refusal that can be decided
from the file's structure gets its stable code (see :mod:`converters.errors`) before
pdfplumber or python-docx spend time on it. The type is decided from the content,
never from the file name: publishers rename files, and hostile clients lie.

Rules (documented here because clients see their codes):

* **Type.** ``%PDF-`` within the first 1024 bytes is a PDF (the limit readers accept).
  A ZIP with ``[Content_Types].xml`` and ``word/document.xml`` is a DOCX. Anything
  else, including an empty file, is ``unsupported-media-type``. A ZIP that has one of
  the two parts but not the other is a broken DOCX: ``corrupt-document``.
* **PDF, corrupt.** No ``%%EOF`` in the last 1024 bytes (a truncated download or
  upload), a file PDFium cannot open or finds no page in, a page tree in which
  pdfminer (the reader) finds no page even in PDFium's repaired copy, a chain of
  references that loops back on itself, or Flate streams that inflate to more than
  :data:`MAX_PDF_INFLATED` in total (a compression bomb): ``corrupt-document``.
* **PDF, damaged but readable.** Where pdfminer and PDFium disagree, what can be
  read is trusted. When pdfminer stumbles on the file as it is (an xref table it has
  to rebuild or whose offsets miss the objects, objects it cannot parse, Flate streams
  that break off because a /Length is wrong), PDFium, which repairs such files as
  viewers do, saves it anew; if pdfminer reads that copy better, the readers read the
  copy (:attr:`InputInfo.repaired`). Either way the damage is named in the report
  (:attr:`InputInfo.damage`), and the file converts.
* **PDF, encrypted.** A PDF that needs a password to open is ``encrypted-document``.
  A PDF encrypted with an *empty* user password (the usual "permissions only"
  protection against editing or copying) opens in every viewer without a password,
  and disclosures are public documents, so it is accepted: the readers decrypt it
  with the empty password, as viewers do.
* **Pages.** The pages pdfminer's walk of the page tree finds (each node once, so a
  tree that contains itself ends), never a /Count, which may lie. More than
  ``max_pages`` pages: ``too-many-pages``.
* **Scanned PDF.** Up to :data:`TEXT_SAMPLE_PAGES` pages spread evenly over the
  document are looked at. A page is *without text* when it carries fewer than
  :data:`MIN_PAGE_CHARS` non-blank text characters but shows something: an image (a
  scan) or drawn paths (text turned into outlines, 转曲, drawn as shapes). If at least
  half the sampled pages are without text, the document is ``no-text-layer``:
  budgetpack reads the text layer and does no OCR. (Blank pages do not count.)
* **DOCX.** At most :data:`MAX_DOCX_MEMBERS` parts, each stored or deflated; declared
  uncompressed size at most :data:`MAX_DOCX_UNPACKED` in total and
  :data:`MAX_DOCX_XML_PART` per XML part; no part of 1 MiB or more that inflates more
  than :data:`MAX_DOCX_RATIO` times (a zip bomb). Python's zipfile stops at the
  declared size, so declared sizes bound what the reader will inflate. These limits
  (:func:`check_docx_zip`) are the only ones: the DOCX reader applies the same. Every XML part must be
  well-formed and have no DTD (OOXML never uses one; a DTD is how XXE and
  "billion laughs" attacks start). Entities are never resolved. DOCX has no pages:
  ``page_count`` is None.

Every loop here is bounded, and :mod:`converters.pdf_bounds` bounds the ones inside
pdfminer that damaged files are known to send spinning. Parsers can still balloon on
inputs these checks let through (a content stream that inflates to a gigabyte, say);
the service runs the whole conversion, including this module, in a child process
with memory, CPU and wall-clock limits.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from xml.parsers import expat

from converters.errors import ConversionError

TEXT_SAMPLE_PAGES = 12
MIN_PAGE_CHARS = 10
MAX_PDF_INFLATED = 512 * 1024 * 1024
#: Unreadable objects after which pdfminer's view of a PDF is given up for PDFium's repaired copy.
MAX_UNREADABLE_OBJECTS = 16
DOCX_REQUIRED_PARTS = ("[Content_Types].xml", "word/document.xml")
#: Real disclosures have fewer than 20 parts.
MAX_DOCX_MEMBERS = 5000
MAX_DOCX_UNPACKED = 200 * 1024 * 1024
#: XML is parsed into a tree several times its size; the 82-page corpus document's
#: main part is 2.5 MB.
MAX_DOCX_XML_PART = 32 * 1024 * 1024
#: Real DOCX parts compress 10-40 times (at most 25 in the corpus); zip bombs thousands.
MAX_DOCX_RATIO = 100
_RATIO_MIN_SIZE = 1024 * 1024
#: OPC packages use only these; others (bzip2, lzma) inflate without Python's size bound.
_DOCX_ZIP_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
#: What zipfile raises on a damaged archive; zlib.error from a member whose deflated data is damaged.
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError, zlib.error)
_UNPACK_FAILED = "The DOCX document cannot be unpacked: the file is damaged or truncated."
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class InputInfo:
    format: Literal["pdf", "docx"]
    #: PDF pages the page tree really holds (a /Count may lie); None for DOCX.
    page_count: int | None
    #: The PDF as PDFium saved it anew, when pdfminer reads that copy better than the
    #: file (a damaged xref table, streams whose /Length is wrong): read this instead.
    repaired: bytes | None = None
    #: What was damaged in a PDF converted all the same, in plain words for the report.
    damage: str | None = None


def inspect_input(path: Path, *, max_pages: int | None) -> InputInfo:
    """Decide the format and refuse what cannot or must not be converted.

    Raises :class:`ConversionError` with ``unsupported-media-type``,
    ``corrupt-document``, ``encrypted-document``, ``too-many-pages`` or
    ``no-text-layer``.
    """
    path = Path(path)
    with path.open("rb") as f:
        kind = check_head(f.read(1024))
    if kind == "pdf":
        return _inspect_pdf(path, max_pages)
    _inspect_docx(path)
    return InputInfo("docx", None)


def check_head(head: bytes) -> Literal["pdf", "zip"]:
    """What the first 1024 bytes say the file is, or ``unsupported-media-type``.

    Only looks at bytes, parses nothing: cheap and safe enough for the web process to
    refuse plainly wrong uploads before a conversion process is started for them.
    """
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if not head:
        raise ConversionError("unsupported-media-type", "The file is empty. Upload a PDF or DOCX document.")
    raise ConversionError(
        "unsupported-media-type",
        "The file is neither a PDF nor a DOCX document (judged by its content, not its name). "
        "Upload the disclosure as PDF or DOCX; convert .doc, .wps or .xls files to one of these first.",
    )


def _inspect_pdf(path: Path, max_pages: int | None) -> InputInfo:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    _check_end_marker(path)
    pdf = _open_pdfium(path, pdfium, pdfium_c)
    try:
        if len(pdf) == 0:
            raise ConversionError(
                "corrupt-document", "The PDF has no readable pages: its page tree is damaged or loops onto itself."
            )
        found = view = _pdfminer_view(path.read_bytes())
        repaired = None
        if found.damage:
            rewritten = _rewritten(pdf)
            fixed = _pdfminer_view(rewritten)
            if fixed.rank < found.rank:
                view, repaired = fixed, rewritten
        if view.pages == 0:
            raise ConversionError(
                "corrupt-document", "The PDF's object structure cannot be parsed: the file is damaged."
            )
        n = view.pages
        if max_pages is not None and n > max_pages:
            raise ConversionError(
                "too-many-pages",
                f"The PDF has {n} pages; this service converts at most {max_pages}. "
                "Split the document or run budgetpack on your own machine.",
            )
        _check_text_layer(pdf, min(n, len(pdf)), pdfium, pdfium_c)
        return InputInfo("pdf", n, repaired, _damage_note(found.damage, repaired is not None))
    finally:
        pdf.close()


def _check_end_marker(path: Path) -> None:
    """A PDF without ``%%EOF`` near its end was cut off: refuse it rather than guess what is missing."""
    with path.open("rb") as f:
        f.seek(max(0, path.stat().st_size - 1024))
        if b"%%EOF" not in f.read():
            raise ConversionError(
                "corrupt-document",
                "The PDF is incomplete: its end marker is missing, so the file was probably cut off "
                "during download or upload. Get a complete copy and try again.",
            )


def _open_pdfium(path: Path, pdfium, pdfium_c):
    """The document as PDFium opens it (rebuilding a damaged xref table, as viewers do).

    PDFium leaves its last error as it was when some loads fail, so after an encrypted
    file the process's next damaged one would report a password error too (a warm
    conversion process reads many files): a password error counts only where the file
    names an /Encrypt dictionary, which an encrypted PDF's trailer always does in the clear.
    """
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        if e.err_code == pdfium_c.FPDF_ERR_PASSWORD and b"/Encrypt" in path.read_bytes():
            raise ConversionError(
                "encrypted-document",
                "The PDF is protected by a password. Upload an unprotected copy "
                "(print it to a new PDF or ask the publisher for one).",
            ) from None
        raise ConversionError(
            "corrupt-document", "The PDF cannot be opened: its internal structure is damaged."
        ) from None


def _rewritten(pdf) -> bytes:
    """The document as PDFium saves it anew: every object it could read, at offsets a
    fresh xref table states, each stream with the /Length of the data it really holds."""
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def _check_text_layer(pdf, n: int, pdfium, pdfium_c) -> None:
    """Refuse a scan, or text drawn as outlines: half or more of up to
    :data:`TEXT_SAMPLE_PAGES` pages spread over the document show images or drawings
    and no text."""
    if n == 0:
        return
    sample = sorted({i * n // min(n, TEXT_SAMPLE_PAGES) for i in range(min(n, TEXT_SAMPLE_PAGES))})
    shown = [_without_text(pdf, i, pdfium, pdfium_c) for i in sample]
    if sum(kind is not None for kind in shown) * 2 >= len(sample):
        scanned, drawn = shown.count("image"), shown.count("drawing")
        what = (
            f"{scanned} of {len(sample)} sampled pages are scanned images without a text layer"
            if scanned >= drawn
            else f"{drawn} of {len(sample)} sampled pages draw their text as shapes (outlines) without a text layer"
        )
        raise ConversionError(
            "no-text-layer",
            f"{what}. budgetpack reads the text of the PDF and does no OCR: upload the PDF "
            "exported from Word, WPS or Excel, with its text kept as text, instead.",
        )


@dataclass(frozen=True)
class _PdfView:
    """The document as pdfminer (the reader) sees it: the pages its page-tree walk
    finds and what it found damaged, in plain words."""

    pages: int
    damage: tuple[str, ...]

    @property
    def rank(self) -> tuple[bool, int]:
        """Lower is better read: pages first, then the fewest kinds of damage."""
        return self.pages == 0, len(self.damage)


def _pdfminer_view(data: bytes) -> _PdfView:
    """Walk every object once as pdfminer sees it, then the page tree.

    Refuses (with ``corrupt-document``) Flate streams that inflate past
    :data:`MAX_PDF_INFLATED` in total (a compression bomb), measured by inflating in
    chunks that are thrown away, and chains of references that loop
    (:mod:`converters.pdf_bounds` stops them wherever pdfminer resolves one). Object
    streams are measured before their members are parsed, since parsing them inflates
    them. Everything else pdfminer stumbles on is damage, noted for the caller to try
    PDFium's repair: an xref table it had to rebuild by scanning, objects it cannot
    find or parse, Flate streams that end early or break off (a wrong /Length), no page.
    """
    from pdfminer.pdfdocument import PDFDocument, PDFXRefFallback
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    import converters.pdf_bounds  # noqa: F401 (bounds pdfminer's reference chains)

    try:
        doc = PDFDocument(PDFParser(io.BytesIO(data)), password="")
    except (ConversionError, MemoryError):
        raise
    except Exception:
        return _PdfView(0, ("its object structure cannot be parsed",))
    damage = []
    if any(isinstance(x, PDFXRefFallback) for x in doc.xrefs):
        damage.append("its cross-reference table could not be read and was rebuilt")
    misplaced = _misplaced_objects(doc, data)
    if misplaced:
        # pdfminer would tokenise from each wrong offset onwards, through stream data: slow, and in vain.
        return _PdfView(0, (*damage, f"its cross-reference table misses {misplaced} of its objects"))
    unreadable, broken_streams = _walk_objects(doc)
    if unreadable >= MAX_UNREADABLE_OBJECTS:
        return _PdfView(0, (*damage, f"{unreadable} or more of its objects could not be read"))
    if unreadable:
        damage.append(f"{unreadable} of its objects could not be read")
    if broken_streams:
        damage.append(f"{broken_streams} of its compressed streams break off")
    try:
        pages = sum(1 for _ in PDFPage.create_pages(doc))
    except (ConversionError, MemoryError):
        raise
    except Exception:
        pages = 0
    if not pages:
        damage.append("no page could be found in its page tree")
    return _PdfView(pages, tuple(damage))


def _misplaced_objects(doc, data: bytes) -> int:
    """Objects whose xref offset does not point at their ``N G obj`` header."""
    count = 0
    for xref in doc.xrefs:
        for objid in xref.get_objids():
            try:
                strmid, offset, genno = xref.get_pos(objid)
            except KeyError:
                continue
            header = b"%d %d obj" % (objid, genno)
            if strmid is None and data[offset : offset + len(header) + 8].lstrip()[: len(header)] != header:
                count += 1
    return count


def _walk_objects(doc) -> tuple[int, int]:
    """Objects that cannot be read and Flate streams that break off, measuring every stream.

    Stops after :data:`MAX_UNREADABLE_OBJECTS` unreadable objects: pdfminer may spend a
    long time failing on each, and a file that damaged is read from PDFium's copy or not at all.
    """
    from pdfminer.pdftypes import PDFStream, resolve1

    ids: set[int] = set()
    streams: set[int] = set()
    for xref in doc.xrefs:
        for objid in xref.get_objids():
            ids.add(objid)
            try:
                strmid = xref.get_pos(objid)[0]
            except KeyError:
                continue
            if strmid is not None:
                streams.add(strmid)
    budget = [MAX_PDF_INFLATED]
    unreadable = broken = 0
    for objid in sorted(streams) + sorted(ids - streams):
        try:
            obj = resolve1(doc.getobj(objid))
        except (ConversionError, MemoryError):
            raise
        except Exception:
            unreadable += 1
            if unreadable >= MAX_UNREADABLE_OBJECTS:
                break
            continue
        if isinstance(obj, PDFStream) and obj.rawdata is not None:
            broken += not _measure(obj, budget)
    return unreadable, broken


def _measure(stream, budget: list[int]) -> bool:
    """Take what the stream inflates to from ``budget``; False if its Flate data breaks off."""
    data = stream.rawdata
    if stream.decipher and stream.objid is not None:
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    flates = 0
    for f, _params in stream.get_filters():
        if getattr(f, "name", f) not in ("FlateDecode", "Fl"):
            break
        flates += 1
    size, complete = _inflated_size(data, flates, budget[0])
    budget[0] -= size
    if budget[0] < 0:
        raise ConversionError(
            "corrupt-document",
            "The PDF holds compressed data that inflates to more than "
            f"{MAX_PDF_INFLATED >> 20} MB (a compression bomb or a damaged file); it was not read.",
        )
    return complete


def _damage_note(damage: tuple[str, ...], repaired: bool) -> str | None:
    """The report's warning for a damaged PDF that is converted all the same."""
    if not damage:
        return None
    how = "it was read as PDF viewers repair it" if repaired else "it was read as far as it could be"
    return f"The PDF is damaged ({'; '.join(damage)}); {how}. Check the tables against the printed document."


def _inflated_size(data: bytes, stages: int, cap: int) -> tuple[int, bool]:
    """Size of ``data`` after ``stages`` rounds of Flate decoding, counting at most ``cap + 1``,
    and whether every round reached the end of its Flate data.

    Chunks flow through a chain of decompressors and are dropped after counting, so
    memory stays small however far the data would inflate. Each round stops at the end
    of its Flate data: bytes after it (an end-of-line counted in /Length, or more when
    a rebuilt xref table lets a stream run up to ``endstream``) are not Flate data.
    Broken Flate data counts as what inflated before the error (the readers are
    lenient the same way).
    """
    if stages == 0:
        return len(data), True
    ended = [False] * stages

    def inflate(chunks, stage: int):
        d = zlib.decompressobj()
        try:
            for chunk in chunks:
                while chunk and not d.eof:
                    yield d.decompress(chunk, _CHUNK)
                    chunk = d.unconsumed_tail
                if d.eof:
                    break
            yield d.flush()
        except zlib.error:
            return
        ended[stage] = d.eof

    chunks = iter([data])
    for stage in range(stages):
        chunks = inflate(chunks, stage)
    total = 0
    for chunk in chunks:
        total += len(chunk)
        if total > cap:
            break
    return total, all(ended)


def _without_text(pdf, index: int, pdfium, pdfium_c) -> str | None:
    """``"image"`` when the page has (almost) no text but shows an image, ``"drawing"``
    when it shows only drawn paths (text in outlines), None otherwise (text, or blank).

    A page PDFium cannot load is no scan: pdfminer found it in the page tree, and the
    reader reads what it can of it.
    """
    try:
        page = pdf[index]
    except pdfium.PdfiumError:
        return None
    try:
        textpage = page.get_textpage()
        try:
            chars = sum(not c.isspace() for c in textpage.get_text_range())
        finally:
            textpage.close()
        if chars >= MIN_PAGE_CHARS:
            return None
        if any(True for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,))):
            return "image"
        return "drawing" if any(True for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,))) else None
    finally:
        page.close()


def _inspect_docx(path: Path) -> None:
    check_docx_zip(path)
    try:
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                if info.filename.endswith((".xml", ".rels")):
                    _check_xml(z, info)
    except _ZIP_ERRORS:
        raise ConversionError("corrupt-document", _UNPACK_FAILED) from None


def check_docx_zip(path: Path) -> None:
    """Refuse a zip that is no DOCX, lacks a required part, or would balloon when unpacked.

    Reads only the zip directory, so nothing is inflated. The one place the DOCX
    container limits live: the DOCX reader calls it too, since it can be used without
    :func:`inspect_input`.
    """
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except _ZIP_ERRORS:
        raise ConversionError("corrupt-document", _UNPACK_FAILED) from None
    names = {i.filename for i in infos}
    if not names & set(DOCX_REQUIRED_PARTS):
        raise ConversionError(
            "unsupported-media-type",
            "The file is a ZIP archive but not a DOCX document. Upload a PDF or DOCX document.",
        )
    _check_zip_members(infos)
    for part in DOCX_REQUIRED_PARTS:
        if part not in names:
            raise ConversionError("corrupt-document", f"The DOCX document lacks its required part {part}.")


def _check_zip_members(infos: list[zipfile.ZipInfo]) -> None:
    """Count, compression method, declared sizes and compression ratios of the parts."""
    if len(infos) > MAX_DOCX_MEMBERS:
        raise ConversionError("corrupt-document", f"The DOCX document has more than {MAX_DOCX_MEMBERS} parts.")
    if any(i.compress_type not in _DOCX_ZIP_METHODS for i in infos):
        raise ConversionError(
            "corrupt-document", "The DOCX document uses a compression method Word never writes; it was not unpacked."
        )
    too_big = sum(i.file_size for i in infos) > MAX_DOCX_UNPACKED or any(
        i.file_size > (MAX_DOCX_XML_PART if i.filename.endswith((".xml", ".rels")) else MAX_DOCX_UNPACKED)
        for i in infos
    )
    if too_big:
        raise ConversionError(
            "corrupt-document",
            "The DOCX document unpacks to far more data than a real document holds "
            "(a zip bomb or a damaged file); it was not unpacked.",
        )
    if any(i.file_size >= _RATIO_MIN_SIZE and i.file_size > MAX_DOCX_RATIO * max(i.compress_size, 1) for i in infos):
        raise ConversionError(
            "corrupt-document",
            "A part of the DOCX document is compressed far more tightly than real documents are "
            "(a zip bomb); it was not unpacked.",
        )


class _DtdFound(Exception):
    pass


def _check_xml(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Parse one XML part with expat, refusing any DTD before its entities are seen."""
    parser = expat.ParserCreate()

    def refuse(*_args) -> None:
        raise _DtdFound

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        with z.open(info) as f:
            while chunk := f.read(_CHUNK):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _DtdFound:
        raise ConversionError(
            "corrupt-document",
            "The DOCX document declares a DTD; Word never writes one, and it is how "
            "entity-expansion and XXE attacks start. The document was not read.",
        ) from None
    except expat.ExpatError:
        raise ConversionError("corrupt-document", "A part of the DOCX document is not well-formed XML.") from None
