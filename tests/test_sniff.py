"""converters.sniff: type from content, and a stable code for every refused input."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from converters.errors import ConversionError
from converters.sniff import inspect_input
from tests import hostile

BAD = hostile.BAD


@pytest.mark.parametrize(
    "name, code",
    [
        ("empty.pdf", "unsupported-media-type"),
        ("text.pdf", "unsupported-media-type"),
        ("truncated.pdf", "corrupt-document"),
        ("garbage.docx", "corrupt-document"),
        ("encrypted.pdf", "encrypted-document"),
        ("scanned.pdf", "no-text-layer"),
        ("loop.pdf", "corrupt-document"),
        ("loop-ref.pdf", "corrupt-document"),
        ("many-pages.pdf", "too-many-pages"),
        ("zipbomb.docx", "corrupt-document"),
        ("xxe.docx", "corrupt-document"),
        ("missing-part.docx", "corrupt-document"),
    ],
)
def test_refused(name: str, code: str) -> None:
    with pytest.raises(ConversionError) as e:
        inspect_input(BAD / name, max_pages=100)
    assert e.value.code == code
    assert "/" not in e.value.detail.replace("word/document.xml", "")  # no server paths


def test_text_drawn_as_outlines_has_no_text_layer(tmp_path: Path) -> None:
    """A PDF that prints its text as shapes is refused as a scan is, and says so."""
    path = tmp_path / "outlined.pdf"
    path.write_bytes(hostile.outlined_pdf())
    with pytest.raises(ConversionError) as e:
        inspect_input(path, max_pages=100)
    assert e.value.code == "no-text-layer" and "outlines" in e.value.detail


def test_inflating_stream_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "giga.pdf"
    hostile.write_inflating_pdf(path)
    with pytest.raises(ConversionError) as e:
        inspect_input(path, max_pages=100)
    assert e.value.code == "corrupt-document"


@pytest.mark.parametrize(
    "path, fmt, pages",
    [
        (hostile.CORPUS_PDF, "pdf", 42),
        (hostile.CORPUS_DOCX, "docx", None),
        (BAD / "empty-password.pdf", "pdf", 1),  # opens without a password: accepted
        (BAD / "no-tables.pdf", "pdf", 1),
        (BAD / "no-tables.docx", "docx", None),
    ],
)
def test_accepted(path: Path, fmt: str, pages: int | None) -> None:
    info = inspect_input(path, max_pages=100)
    assert (info.format, info.page_count) == (fmt, pages)


def test_type_comes_from_content_not_name(tmp_path: Path) -> None:
    renamed = tmp_path / "budget.txt"
    shutil.copy(hostile.CORPUS_DOCX, renamed)
    assert inspect_input(renamed, max_pages=None).format == "docx"
    fake = tmp_path / "budget.pdf"
    fake.write_bytes(b"<html>not a pdf</html>")
    with pytest.raises(ConversionError) as e:
        inspect_input(fake, max_pages=None)
    assert e.value.code == "unsupported-media-type"


def test_page_limit_is_optional() -> None:
    assert inspect_input(BAD / "many-pages.pdf", max_pages=None).page_count == 101


def test_details_never_echo_part_names(tmp_path: Path) -> None:
    """Part names are the uploader's words: a refusal must not repeat them (they could look like paths)."""
    path = tmp_path / "named.docx"
    xml = hostile.xxe_docx()
    with zipfile.ZipFile(io.BytesIO(xml)) as src, zipfile.ZipFile(path, "w") as dst:
        dst.writestr("/tmp/Traceback.xml", src.read("word/document.xml"))  # checked first: first in the zip
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    with pytest.raises(ConversionError) as e:
        inspect_input(path, max_pages=None)
    assert e.value.code == "corrupt-document"
    assert "tmp" not in e.value.detail and "Traceback" not in e.value.detail


def _docx_with_main_part(path: Path, data: bytes, method: int, level: int | None = None) -> Path:
    with (
        zipfile.ZipFile(io.BytesIO(hostile.no_tables_docx())) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info.filename, src.read(info))
        dst.writestr("word/document.xml", data, compress_type=method, compresslevel=level)
    return path


@pytest.mark.parametrize(
    "data, method, level, words",
    [
        (bytes(24 << 20), zipfile.ZIP_DEFLATED, 9, "compressed far more tightly"),  # under the size limits
        (b" " * (33 << 20), zipfile.ZIP_STORED, None, "unpacks to far more"),  # one XML part over 32 MB
        (hostile.no_tables_docx(), zipfile.ZIP_BZIP2, None, "compression method"),
    ],
    ids=["ratio", "xml-part-size", "bzip2"],
)
def test_sniffer_and_docx_reader_share_one_set_of_zip_limits(
    tmp_path: Path, data: bytes, method: int, level: int | None, words: str
) -> None:
    from converters.docx_reader import read_docx

    path = _docx_with_main_part(tmp_path / "bomb.docx", data, method, level)
    with pytest.raises(ConversionError) as sniffed:
        inspect_input(path, max_pages=None)
    with pytest.raises(ConversionError) as read:
        read_docx(path)
    assert sniffed.value == read.value
    assert sniffed.value.code == "corrupt-document" and words in sniffed.value.detail
