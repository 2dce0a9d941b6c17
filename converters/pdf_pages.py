"""A PDF opened for reading page by page, with the reader chosen for its content streams.

Two readers give the same records (chars and shapes as dicts, see
:func:`converters.pdf_reader.page_objects`): ``pdfplumber`` interprets content streams
with pdfminer in Python; ``pdfium`` has PDFium do it in C
(:mod:`converters.pdfium_objects`), several times faster. Either way pdfplumber opens
the document for the page tree, each page's boxes and rotation and its font
resources, which costs little next to interpreting the pages. The reader comes from
the caller, else ``BUDGETPACK_PDF_READER``, else :data:`DEFAULT_READER`.

Where PDFium and pdfminer count the pages differently the document is read with
pdfplumber: pages are paired by index, and the sniff vouched for pdfminer's count.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import BinaryIO

import pdfplumber

from .pdf_reader import page_objects
from .pdf_turn import upright_page

READERS = ("pdfium", "pdfplumber")
DEFAULT_READER = "pdfium"
READER_ENV = "BUDGETPACK_PDF_READER"
#: Pages PDFium reads before its document is opened afresh: PDFium keeps every object it
#: parsed (fonts, resources, their glyph caches) until the document closes, about 3 MB
#: per 100 pages of a long disclosure, and opening it again costs under a millisecond.
PDFIUM_RENEWAL_PAGES = 100


def chosen_reader(reader: str | None = None) -> str:
    """``reader``, else the environment's choice, else the default; an unknown name is an error."""
    name = (reader or os.environ.get(READER_ENV) or DEFAULT_READER).strip().lower()
    if name not in READERS:
        raise ValueError(f"unknown PDF reader {name!r}; choose one of {', '.join(READERS)}")
    return name


class PdfPages:
    """The document's pages, read one at a time; each page's parsed objects are dropped after it."""

    def __init__(self, source: Path | BinaryIO | bytes, reader: str | None = None) -> None:
        if isinstance(source, bytes):
            source = io.BytesIO(source)
        self.reader = chosen_reader(reader)
        self._source = source
        self._plumber = pdfplumber.open(source)
        self._pdfium = None
        self._pdfium_pages = 0
        if self.reader == "pdfium":
            self._pdfium = _open_pdfium(source)
            if len(self._pdfium) != len(self._plumber.pages):
                self._pdfium.close()
                self._pdfium, self.reader = None, "pdfplumber"

    def __len__(self) -> int:
        return len(self._plumber.pages)

    def read(self, index: int) -> tuple[tuple[list[dict], list[dict]], float]:
        """The chars and shapes of page ``index`` (from 0), and the page's width; a page
        printed sideways comes turned upright (:mod:`converters.pdf_turn`)."""
        page = self._plumber.pages[index]
        if self._pdfium is None:
            chars, shapes = page_objects(page)
            page.flush_cache()
            page.close()
        else:
            from .pdfium_objects import page_objects as pdfium_page_objects

            if self._pdfium_pages >= PDFIUM_RENEWAL_PAGES:
                self._pdfium.close()
                self._pdfium, self._pdfium_pages = _open_pdfium(self._source), 0
            self._pdfium_pages += 1
            pdfium_page = self._pdfium[index]
            try:
                chars, shapes = pdfium_page_objects(pdfium_page, page)
            finally:
                pdfium_page.close()
        chars, shapes, width = upright_page(chars, shapes, page.width, page.height)
        return (chars, shapes), width

    def close(self) -> None:
        if self._pdfium is not None:
            self._pdfium.close()
        self._plumber.close()

    def __enter__(self) -> PdfPages:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _open_pdfium(source: Path | BinaryIO):
    """PDFium's view of the same file; an in-memory copy is handed over as bytes, so the
    two parsers never share one file position."""
    import pypdfium2 as pdfium

    if isinstance(source, io.BytesIO):
        return pdfium.PdfDocument(source.getvalue())
    if isinstance(source, (str, Path)):
        return pdfium.PdfDocument(source)
    position = source.tell()
    source.seek(0)
    data = source.read()
    source.seek(position)
    return pdfium.PdfDocument(data)
