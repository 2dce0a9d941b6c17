"""The PDFium reader and the pdfplumber reader give the same packages and the same page records.

Each corpus PDF is converted with both readers: the CSV files are byte-identical and
the reports equal apart from when they were written. Page by page, the chars and
shapes PDFium gives match pdfminer's (boxes within a hundredth of a point), on a
document whose fonts declare broken descents too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from converters import pdfium_objects
from converters.pdf_pages import READER_ENV, PdfPages, chosen_reader
from converters.pdf_reader import USUAL_DESCENT, mark_spaced, page_objects
from converters.pipeline import convert
from tests.test_page_pool import SHORT_PDF

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS_PDFS = sorted((FIXTURES / "corpus").glob("*.pdf"))
#: Chongqing: a digits font declaring a descent of -0.87 of its size (lifted by the reader).
BROKEN_DESCENT_PDF = FIXTURES / "real2" / "cq_qixiang_2026_dept_budget.pdf"
TOLERANCE = 0.01


def csv_and_report(folder: Path) -> tuple[dict[str, bytes], dict]:
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    report.pop("generated_at")
    report.pop("timings", None)
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}, report


@pytest.mark.parametrize("pdf", CORPUS_PDFS, ids=lambda p: p.name[:3])
def test_both_readers_give_the_same_package(pdf: Path, tmp_path: Path) -> None:
    convert(pdf, tmp_path / "pdfium", pdf_reader="pdfium")
    convert(pdf, tmp_path / "pdfplumber", pdf_reader="pdfplumber")
    pdfium_csv, pdfium_report = csv_and_report(tmp_path / "pdfium")
    plumber_csv, plumber_report = csv_and_report(tmp_path / "pdfplumber")
    assert len(pdfium_csv) > 3
    assert pdfium_csv == plumber_csv
    assert pdfium_report == plumber_report


def ink(chars: list[dict]) -> list[dict]:
    mark_spaced(chars)
    return [c for c in chars if not c["text"].isspace()]


@pytest.mark.parametrize("pdf", [BROKEN_DESCENT_PDF, SHORT_PDF], ids=["cq", "003"])
def test_pdfium_gives_pdfminers_chars_and_shapes(pdf: Path) -> None:
    document = pdfium.PdfDocument(pdf)
    with pdfplumber.open(pdf) as plumber:
        for index in range(0, len(plumber.pages), 3):
            page = plumber.pages[index]
            old_chars, old_shapes = page_objects(page)
            new_chars, new_shapes = pdfium_objects.page_objects(document[index], page)
            old, new = ink(old_chars), ink(new_chars)
            assert [c["text"] for c in new] == [c["text"] for c in old]
            for a, b in zip(old, new):
                assert all(abs(a[k] - b[k]) <= TOLERANCE for k in ("x0", "x1", "top", "bottom", "size")), (a, b)
                assert a.get("spaced") == b.get("spaced")
            assert [(s["object_type"], s["stroke"], s["fill"]) for s in new_shapes] == [
                (s["object_type"], s["stroke"], s["fill"]) for s in old_shapes
            ]
            for a, b in zip(old_shapes, new_shapes):
                assert all(abs(p - q) <= TOLERANCE for u, v in zip(a["pts"], b["pts"]) for p, q in zip(u, v))
    document.close()


def test_a_broken_descent_is_read_from_the_font_and_lifted() -> None:
    """The Chongqing digits font declares a descent of about a size below the baseline
    (PDFium reads its own, smaller one): its boxes end where a usual font's end,
    0.12 of the size below the baseline, as in the pdfplumber reader."""
    document = pdfium.PdfDocument(BROKEN_DESCENT_PDF)
    with pdfplumber.open(BROKEN_DESCENT_PDF) as plumber:
        page = plumber.pages[1]
        broken = {
            n
            for n, ds in pdfium_objects.font_descents(pdfium_objects.resource_dicts(page.page_obj.resources)).items()
            if min(ds) < -0.5
        }
        chars, _ = pdfium_objects.page_objects(document[1], page)
        height, top_shift = page.height, page.mediabox[1]
    document.close()
    lifted = [c for c in chars if c["fontname"] in broken and not c["text"].isspace()]
    assert len(lifted) > 50
    for c in lifted:
        baseline = height - c["matrix"][5] + top_shift
        assert c["bottom"] == pytest.approx(baseline + USUAL_DESCENT * c["size"], abs=TOLERANCE)


def test_the_reader_comes_from_the_caller_then_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(READER_ENV, "pdfplumber")
    assert chosen_reader() == "pdfplumber"
    assert chosen_reader("pdfium") == "pdfium"
    monkeypatch.delenv(READER_ENV)
    assert chosen_reader() == "pdfium"
    with pytest.raises(ValueError):
        chosen_reader("pdfbox")
    with PdfPages(SHORT_PDF, "pdfium") as pages:
        assert pages.reader == "pdfium" and len(pages) == 34


def clip_test_pdf(path: Path, page: bytes, form: bytes | None = None) -> Path:
    """A one-page PDF drawing ``page`` in Helvetica (F1), with ``form`` as form XObject X1."""
    from tests.hostile import HELVETICA, one_page_pdf

    path.write_bytes(one_page_pdf(page, HELVETICA, form))
    return path


#: Text and rules inside (y 20, 50) and outside (y 150, 300) a clip of 0 0 200 100.
CLIPPED = (
    b"BT /F1 12 Tf 20 20 Td (Inside) Tj ET BT /F1 12 Tf 20 150 Td (Hidden) Tj ET"
    b" 10 50 m 190 50 l S 10 300 m 190 300 l S"
)
CLIP = b"0 0 200 100 re W n "


@pytest.mark.parametrize(
    "where", ["on the page", "in a form XObject", "around a form XObject"], ids=lambda w: w.replace(" ", "-")
)
def test_what_its_clipping_path_hides_is_not_read(where: str, tmp_path: Path) -> None:
    """Text drawn under a clip that hides it is not on paper (a merged cell's text printed
    again above a page's table, a wrapped cell's line cut at its border), nor is a rule
    wholly outside its clip: PDFium's reader leaves both out, also inside a form XObject
    drawn moved, clipped inside the form or where the page draws it; text and a rule
    inside the clip are read."""
    from converters.pdf_reader import read_pdf

    if where == "on the page":
        path = clip_test_pdf(tmp_path / "clipped.pdf", b"q " + CLIP + CLIPPED + b" Q")
        x_ends, y = (10, 190), 50
    elif where == "in a form XObject":
        path = clip_test_pdf(tmp_path / "clipped.pdf", b"q 1 0 0 1 50 500 cm /X1 Do Q", b"q " + CLIP + CLIPPED + b" Q")
        x_ends, y = (60, 240), 550
    else:
        path = clip_test_pdf(tmp_path / "clipped.pdf", b"q 50 500 200 100 re W n 1 0 0 1 50 500 cm /X1 Do Q", CLIPPED)
        x_ends, y = (60, 240), 550
    assert [b.text for b in read_pdf(path, "pdfium").blocks] == ["Inside"]
    assert sorted(b.text for b in read_pdf(path, "pdfplumber").blocks) == ["Hidden", "Inside"]
    with PdfPages(path, "pdfium") as pages:
        (_, shapes), _ = pages.read(0)
    assert [[(round(x), round(y)) for x, y in s["pts"]] for s in shapes] == [[(x, 792 - y) for x in x_ends]]


def test_clips_that_do_not_overlap_hide_everything_under_them(tmp_path: Path) -> None:
    """Two clips with nothing in common leave nothing visible: neither the text, nor a
    text object printing only a space, nor a rule spanning the gap between the clips is
    read; what is drawn after the clip is restored is."""
    from converters.pdf_reader import read_pdf

    page = (
        b"q 0 0 100 100 re W n 200 0 100 100 re W n BT /F1 12 Tf 20 20 Td (Gone) Tj ET"
        b" BT /F1 12 Tf 20 60 Td ( ) Tj ET 0 50 m 400 50 l S Q"
        b" BT /F1 12 Tf 20 400 Td (Kept) Tj ET"
    )
    path = clip_test_pdf(tmp_path / "empty-clip.pdf", page)
    assert [b.text for b in read_pdf(path, "pdfium").blocks] == ["Kept"]
    with PdfPages(path, "pdfium") as pages:
        (chars, shapes), _ = pages.read(0)
    assert ("".join(c["text"] for c in chars), shapes) == ("Kept", [])


def test_text_set_in_a_negative_size_has_pdfminers_boxes(tmp_path: Path) -> None:
    """A negative font size turns a char's box over, below its baseline: pdfminer's box,
    lifted where it hangs more than half its height below the baseline, is PDFium's too."""
    path = clip_test_pdf(tmp_path / "negative.pdf", b"BT /F1 -12 Tf 1 0 0 1 100 400 Tm (Upside) Tj ET")
    document = pdfium.PdfDocument(path)
    with pdfplumber.open(path) as plumber:
        old, _ = page_objects(plumber.pages[0])
        new, _ = pdfium_objects.page_objects(document[0], plumber.pages[0])
    document.close()
    assert [c["text"] for c in new] == [c["text"] for c in old] == list("Upside")
    for a, b in zip(old, new):
        assert all(abs(a[k] - b[k]) <= TOLERANCE for k in ("x0", "x1", "top", "bottom", "size")), (a, b)


def test_pdfium_opened_afresh_every_few_pages_reads_the_same_records(monkeypatch: pytest.MonkeyPatch) -> None:
    """PDFium's document is opened again every PDFIUM_RENEWAL_PAGES pages (it keeps what it
    parsed until closed); every page's chars and shapes are those read without renewal,
    also when pages are read out of order or from a copy in memory."""
    from converters import pdf_pages

    def records(source) -> list:
        with PdfPages(source, "pdfium") as pages:
            return [pages.read(index) for index in (*range(len(pages)), 5, 0)]

    whole = records(SHORT_PDF)
    monkeypatch.setattr(pdf_pages, "PDFIUM_RENEWAL_PAGES", 3)
    with PdfPages(SHORT_PDF, "pdfium") as pages:
        first = pages._pdfium
        for index in range(4):
            pages.read(index)
        assert pages._pdfium is not first
    assert records(SHORT_PDF) == whole
    assert records(SHORT_PDF.read_bytes()) == whole
