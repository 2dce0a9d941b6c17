"""Bounds on pdfminer for damaged and hostile PDFs, installed when this module is imported.

pdfminer trusts the file it reads. Two of its habits never end, or end after minutes, on
a few crafted or damaged bytes, and both sit below any loop of ours:

* ``resolve1`` follows a chain of references until it reaches something else, so a
  chain that loops (``2 0 obj 3 0 R``, ``3 0 obj 2 0 R``) spins forever, wherever it is
  reached: a stream's ``/Length`` while the parser reads the stream, the page tree, a
  font. Every resolution goes through ``PDFObjRef.resolve``; here it follows the
  whole chain itself, with a depth limit and a set of the objects seen.
* Flate data that does not inflate cleanly (a flipped byte, a ``/Length`` a few bytes
  short) is inflated again one byte at a time, appending each piece to an immutable
  ``bytes``: quadratic, 11 CPU seconds for a damaged 400 KB stream, many minutes for a
  few megabytes. Here the same result (what inflated before the error) is had in
  linear time.

The sniff and the PDF reader import this module, so both read with these bounds.
"""

from __future__ import annotations

import zlib
from typing import Any

from pdfminer import pdftypes
from pdfminer.pdftypes import PDFObjectNotFound, PDFObjRef

from converters.errors import ConversionError

#: References one resolution may follow; real files chain at most two or three.
MAX_REFERENCE_CHAIN = 32
_CHUNK = 64 * 1024
#: pdfminer forgives an error in the last bytes of Flate data (the Adler-32 checksum).
_CHECKSUM_BYTES = 3


def resolve_chain(ref: PDFObjRef, default: object = None) -> Any:
    """What ``ref`` finally points to, ``default`` for a missing object; a chain that
    loops or runs deeper than :data:`MAX_REFERENCE_CHAIN` is ``corrupt-document``.

    Replaces ``PDFObjRef.resolve``: the loop in pdfminer's ``resolve1`` then runs once,
    since what this returns is never a reference.
    """
    seen: set[int] = set()
    obj: object = ref
    while isinstance(obj, PDFObjRef):
        if obj.objid in seen or len(seen) >= MAX_REFERENCE_CHAIN:
            raise ConversionError(
                "corrupt-document", "The PDF's objects refer to each other in a loop, so it cannot be read."
            )
        seen.add(obj.objid)
        assert obj.doc is not None
        try:
            obj = obj.doc.getobj(obj.objid)
        except PDFObjectNotFound:
            return default
    return obj


def decompress_corrupted(data: bytes) -> bytes:
    """What ``data`` inflates to before its error, as pdfminer's own fallback returns it.

    Like pdfminer's, raises ``zlib.error`` unless the error is in the last three bytes
    (a broken checksum). The data goes through in chunks; only the chunk holding the
    error is inflated again byte by byte, from a copy of the state before it.
    """
    d = zlib.decompressobj()
    out = bytearray()
    for start in range(0, len(data), _CHUNK):
        before = d.copy()
        try:
            out += d.decompress(data[start : start + _CHUNK])
        except zlib.error:
            d = before
            for i in range(start, min(start + _CHUNK, len(data))):
                try:
                    out += d.decompress(data[i : i + 1])
                except zlib.error:
                    if i < len(data) - _CHECKSUM_BYTES:
                        raise
                    return bytes(out)
    return bytes(out)


PDFObjRef.resolve = resolve_chain  # type: ignore[method-assign]
pdftypes.decompress_corrupted = decompress_corrupted
