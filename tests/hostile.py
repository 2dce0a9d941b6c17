"""Hostile and broken inputs for the sniffer and service tests.

Small ones are committed in ``tests/fixtures/bad/`` (regenerate with
``python -m tests.hostile``) so anyone can replay them with curl; big ones (a stream
that inflates to a gigabyte, an oversized upload) are made at test time, written in
chunks so the test process never holds them in memory.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).parent
BAD = ROOT / "fixtures" / "bad"
CORPUS_PDF = ROOT / "fixtures" / "corpus" / "000_a172aac8b2ce2e2e.pdf"
CORPUS_DOCX = ROOT / "fixtures" / "corpus" / "000_a172aac8b2ce2e2e.docx"


def pdf_bytes(objects: list[bytes], root: int = 1) -> bytes:
    """A well-formed PDF (header, numbered objects, xref, trailer) around raw objects."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def one_page_pdf(content: bytes, font: bytes, form: bytes | None = None) -> bytes:
    """A one-page PDF drawing ``content`` with ``font`` as its font F1, and ``form`` (its
    content, drawing with F1 too) as form XObject X1 where given."""
    xobject = b" /XObject << /X1 6 0 R >>" if form is not None else b""
    forms = []
    if form is not None:
        forms.append(
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 400 400] /Resources << /Font << /F1 5 0 R >> >>"
            b" /Length %d >>\nstream\n%s\nendstream" % (len(form), form)
        )
    return pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >>" + xobject + b" >> >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
            font,
            *forms,
        ]
    )


#: The standard Helvetica font, as F1 of :func:`one_page_pdf`.
HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def text_pdf(text: str = "Hello, this PDF has text but no budget table.") -> bytes:
    """One page of Helvetica text: readable, but not a budget disclosure."""
    return one_page_pdf(b"BT /F1 18 Tf 72 720 Td (%s) Tj ET" % text.encode("latin-1"), HELVETICA)


def loop_pdf() -> bytes:
    """A page tree whose node lists its own parent as its kid: walking it never ends."""
    return pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
        ]
    )


def broken_font_pdf() -> bytes:
    """A page whose Type0 font lists its descendant font as a number, not an array:
    the file opens (pdfium, the sniffer) but pdfminer stops on it while reading text."""
    return one_page_pdf(
        b"BT /F1 18 Tf 72 720 Td (Hello) Tj ET",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts 7 >>",
    )


def loop_ref_pdf() -> bytes:
    """A valid page whose /Contents and /Resources are references that point at each other."""
    return pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources 5 0 R >>",
            b"5 0 R",
            b"4 0 R",
        ]
    )


def write_inflating_pdf(path: Path, inflated: int = 1 << 30) -> None:
    """A one-page PDF whose content stream is ~1 MB of Flate data inflating to ``inflated`` bytes."""
    comp = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    data = bytearray()
    for _ in range(inflated // len(chunk)):
        data += comp.compress(chunk)
    data += comp.flush()
    path.write_bytes(
        pdf_bytes(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << >> >>",
                b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(data), bytes(data)),
            ]
        )
    )


def write_many_paragraphs_docx(path: Path, paragraphs: int = 500_000) -> None:
    """A valid DOCX whose ~19 MB document.xml holds ``paragraphs`` short paragraphs of random text.

    It passes the zip-bomb checks (random text barely compresses) but its parsed tree
    needs several hundred MB: a document too complex for a small memory limit, readable
    with a larger one.
    """
    import secrets

    body = b"".join(b"<w:p><w:r><w:t>%s</w:t></w:r></w:p>" % secrets.token_hex(4).encode() for _ in range(paragraphs))
    document = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w='
        b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' + body + b"</w:body></w:document>"
    )
    with (
        zipfile.ZipFile(io.BytesIO(no_tables_docx())) as template,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in template.infolist():
            out.writestr(info, document if info.filename == "word/document.xml" else template.read(info))


def write_large_pdf(path: Path, size: int) -> None:
    """A syntactically plausible PDF of ``size`` bytes (padding in a comment-free stream)."""
    with path.open("wb") as f:
        f.write(text_pdf()[:-6])  # drop the trailing %%EOF: padding goes before it
        pad = size - f.tell() - 6
        block = b"%" + b"x" * 1022 + b"\n"
        while pad > 0:
            f.write(block[:pad])
            pad -= len(block)
        f.write(b"%%EOF\n")


def _written(writer) -> bytes:
    """A pypdf writer's document as bytes."""
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def encrypted_pdf() -> bytes:
    """The text PDF encrypted with a user password (needs pypdf, a test dependency)."""
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf())))
    w.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    return _written(w)


def empty_password_pdf() -> bytes:
    """Encrypted with an empty user password: opens without asking (accepted)."""
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf())))
    w.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    return _written(w)


def long_pdf(copies: int = 10) -> bytes:
    """The corpus PDF's pages ``copies`` times over (42 pages each): a document that
    takes seconds to convert on any machine, under the default page limit."""
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter()
    for _ in range(copies):
        w.append(PdfReader(CORPUS_PDF))
    return _written(w)


def many_pages_pdf(n: int = 101) -> bytes:
    """``n`` blank pages sharing one page object number range."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    for i in range(n):
        kids.append(b"%d 0 R" % (3 + i))
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>")
    objs[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), n)
    return pdf_bytes(objs)


def outlined_pdf() -> bytes:
    """A page whose table rules and text are all drawn as shapes (text turned into
    outlines, 转曲): something is printed, but there is no text to read."""
    glyphs = b" ".join(
        b"%d 650 m %d 660 l %d 650 l %d 640 l f" % (x, x + 5, x + 10, x + 5) for x in range(100, 500, 20)
    )
    return one_page_pdf(b"1 w 72 700 m 540 700 l S 72 600 m 540 600 l S " + glyphs, HELVETICA)


def scanned_pdf() -> bytes:
    """The first two corpus pages rendered to images and saved as an image-only PDF."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(CORPUS_PDF))
    images = [pdf[i].render(scale=0.6).to_pil().convert("RGB") for i in range(2)]
    pdf.close()
    buf = io.BytesIO()
    images[0].save(buf, format="PDF", save_all=True, append_images=images[1:], resolution=43.2)
    return buf.getvalue()


_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def _docx(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def zipbomb_docx() -> bytes:
    """document.xml declared (and really) 200 MB of spaces, deflated to ~200 KB."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><w:document xmlns:w="x">')
            block = b" " * (1 << 20)
            for _ in range(200):
                f.write(block)
            f.write(b"</w:document>")
    return buf.getvalue()


def xxe_docx() -> bytes:
    """document.xml with an external entity pointing at a local file, and a billion-laughs DTD."""
    doc = (
        b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
        b'<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&xxe;&b;</w:t></w:r></w:p></w:body></w:document>"
    )
    return _docx({"[Content_Types].xml": _CONTENT_TYPES, "word/document.xml": doc})


def missing_part_docx() -> bytes:
    return _docx({"[Content_Types].xml": _CONTENT_TYPES})


_MAIN_DOCUMENT = (
    b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body/></w:document>"
)
_RELS_TO_MAIN = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Target="word/document.xml" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)


def wrong_type_docx() -> bytes:
    """Both parts the sniffer asks for, linked, but the main part typed as plain XML.

    python-docx refuses it with a message that names the file's path on the server.
    """
    return _docx(
        {"[Content_Types].xml": _CONTENT_TYPES, "_rels/.rels": _RELS_TO_MAIN, "word/document.xml": _MAIN_DOCUMENT}
    )


def unlinked_docx() -> bytes:
    """Both parts the sniffer asks for, but no relationship leads to the main part."""
    return _docx({"[Content_Types].xml": _CONTENT_TYPES, "word/document.xml": _MAIN_DOCUMENT})


def no_tables_docx() -> bytes:
    """A valid DOCX with one paragraph and no budget table (made with python-docx)."""
    import docx

    d = docx.Document()
    d.add_paragraph("这是一份没有预算表的文件。")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


#: The good document the damaged PDFs below are made from: the corpus's quickest to
#: convert (34 pages), so that "answered within seconds" measures the damage, not the document.
DAMAGED_BASE = ROOT / "fixtures" / "corpus" / "003_c5258405996ce6e5.pdf"


def shifted_xref_pdf() -> bytes:
    """:data:`DAMAGED_BASE` with every xref offset and startxref 5 bytes off: readers rebuild
    the xref table by scanning, and its streams' /Length then no longer ends exactly at
    the data (pdfminer reads up to ``endstream``). A PDF viewer opens it: it converts."""
    import re

    data = re.sub(rb"(\d{10}) (\d{5}) n", lambda m: b"%010d %s n" % (int(m[1]) + 5, m[2]), DAMAGED_BASE.read_bytes())
    return re.sub(rb"startxref\s+(\d+)", lambda m: b"startxref\n%d" % (int(m[1]) + 5), data)


def length_loop_pdf() -> bytes:
    """A page whose content stream's /Length is a reference into a loop (2 -> 3 -> 2)."""
    content = b"BT /F1 18 Tf 72 720 Td (Hello) Tj ET"
    return pdf_bytes(
        [
            b"<< /Length 2 0 R >>\nstream\n%s\nendstream" % content,
            b"3 0 R",
            b"2 0 R",
            b"<< /Type /Catalog /Pages 5 0 R >>",
            b"<< /Type /Pages /Kids [6 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 5 0 R /MediaBox [0 0 612 792] /Contents 1 0 R"
            b" /Resources << /Font << /F1 7 0 R >> >> >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ],
        root=4,
    )


def _root_pages_changed(change) -> bytes:
    """:data:`DAMAGED_BASE` with its root /Pages node changed by an incremental update, as an editor saves."""
    from tests.mutants import append_update, pages_node

    data = DAMAGED_BASE.read_bytes()
    number, body = pages_node(data)
    return append_update(data, {number: change(number, body)})


def self_containing_pages_pdf() -> bytes:
    """:data:`DAMAGED_BASE` whose root /Pages node lists itself after its pages."""
    import re

    return _root_pages_changed(lambda n, body: re.sub(rb"(/Kids\s*\[[^\]]*)\]", rb"\1 %d 0 R]" % n, body))


def count_lie_pdf() -> bytes:
    """:data:`DAMAGED_BASE` whose page tree claims 10^9 pages (it holds 34)."""
    import re

    return _root_pages_changed(lambda n, body: re.sub(rb"/Count\s+\d+", b"/Count 1000000000", body))


#: The damaged PDFs of the issue that once held a conversion slot for the whole time limit:
#: name -> (maker, the outcome now: "package" or a code), made at test time.
DAMAGED = {
    "shifted-xref.pdf": (shifted_xref_pdf, "package"),
    "length-loop.pdf": (length_loop_pdf, "corrupt-document"),
    "self-containing-pages.pdf": (self_containing_pages_pdf, "package"),
    "count-lie.pdf": (count_lie_pdf, "package"),
}


#: committed file name -> maker
SMALL = {
    "empty.pdf": lambda: b"",
    "text.pdf": lambda: "这不是PDF，只是一段文字。\n".encode() * 20,
    "truncated.pdf": lambda: CORPUS_PDF.read_bytes()[:40_000],
    "garbage.docx": lambda: b"PK\x03\x04" + bytes(range(256)) * 8,
    "encrypted.pdf": encrypted_pdf,
    "empty-password.pdf": empty_password_pdf,
    "scanned.pdf": scanned_pdf,
    "loop.pdf": loop_pdf,
    "loop-ref.pdf": loop_ref_pdf,
    "broken-font.pdf": broken_font_pdf,
    "many-pages.pdf": many_pages_pdf,
    "zipbomb.docx": zipbomb_docx,
    "xxe.docx": xxe_docx,
    "missing-part.docx": missing_part_docx,
    "no-tables.pdf": text_pdf,
    "no-tables.docx": no_tables_docx,
}

#: made at test time into a temporary folder: name -> maker
MADE = {
    "outlined.pdf": outlined_pdf,
    "wrong-type.docx": wrong_type_docx,
    "unlinked.docx": unlinked_docx,
}


def write_damaged(folder: Path) -> dict[str, Path]:
    """Write every :data:`DAMAGED` file into ``folder``; name -> path."""
    paths = {}
    for name, (make, _outcome) in DAMAGED.items():
        paths[name] = folder / name
        paths[name].write_bytes(make())
    return paths


def write_made(folder: Path) -> dict[str, Path]:
    """Write every :data:`MADE` file into ``folder``; name -> path."""
    paths = {}
    for name, make in MADE.items():
        paths[name] = folder / name
        paths[name].write_bytes(make())
    return paths


if __name__ == "__main__":
    BAD.mkdir(parents=True, exist_ok=True)
    for name, make in SMALL.items():
        (BAD / name).write_bytes(make())
        print(name, (BAD / name).stat().st_size)
