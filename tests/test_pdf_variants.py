"""PDF renderings the reader was not tuned on: other fonts, landscape pages, thin rules,
no inner vertical rules, only the outer box, watermarks (slanted, flat, drawn as shapes),
smaller margins, other amounts and names, merges written as separate cells.

``fixtures/variants/manifest.json`` names each rendering's source document; the source's
truth.json describes what every rendering prints, watermark aside, unless the manifest
names the variant's own truth (content edited: amounts scaled, organisation renamed).
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfWriter, Transformation
from pypdf.generic import ContentStream, FloatObject, NameObject, RectangleObject

from converters.grid import find_regions, page_segments
from converters.model import DocumentBlocks, TextBlock
from converters.pdf_reader import is_rule, is_visible_fill, page_objects, read_pdf
from converters.pdf_turn import upright_page
from converters.pipeline import ConversionResult, convert
from converters.recognise import group_tables, recognise
from tests.truth import FIXTURES, grid
from tests.variants import (
    MANIFEST,
    VARIANTS_DIR,
    assert_package_as_printed,
    assert_tables_read_as_printed,
    variant_truth,
    variants_of,
)

VARIANTS = variants_of("pdf")
WATERMARK = {v["file"]: v["options"].get("watermark") for v in MANIFEST}
#: Renderings printed with a watermark.
TEXT_WATERMARKED = [name for name in VARIANTS if WATERMARK[name] is not None]


@cache
def blocks(name: str) -> DocumentBlocks:
    """One read per rendering for the whole session."""
    return read_pdf(VARIANTS_DIR / name)


@pytest.fixture(scope="module", params=VARIANTS, ids=[Path(v).stem for v in VARIANTS])
def converted(request, tmp_path_factory) -> tuple[str, ConversionResult]:
    name = request.param
    return name, convert(VARIANTS_DIR / name, tmp_path_factory.mktemp(Path(name).stem) / "package")


def block_text(block) -> str:
    return block.text if isinstance(block, TextBlock) else "".join("".join(r) for r in block.rows)


def contains_run(rows: list[list[str]], run: list[list[str]]) -> bool:
    """``run`` appears in ``rows`` as consecutive rows."""
    return any(rows[k : k + len(run)] == run for k in range(len(rows) - len(run) + 1))


@pytest.mark.parametrize("name", TEXT_WATERMARKED, ids=[Path(v).stem for v in TEXT_WATERMARKED])
def test_watermark_left_out(name):
    """Exactly the watermark's chars are left out: of each char of the watermark text,
    the blocks hold as many fewer than the page prints as the watermark has (its chars
    also occur in real text: 内部, 审核)."""
    mark = WATERMARK[name]
    observed = next(v["observed"] for v in MANIFEST if v["file"] == name)
    with pdfplumber.open(VARIANTS_DIR / name) as pdf:
        on_pages = Counter(c["text"] for page in pdf.pages for c in page.chars if c["text"] in mark)
    read = Counter(ch for b in blocks(name).blocks for ch in block_text(b) if ch in mark)
    per_char = observed["watermark_chars"] // len(mark)
    assert {ch: on_pages[ch] - read[ch] for ch in mark} == {ch: per_char for ch in mark}


@pytest.mark.parametrize("name", VARIANTS, ids=[Path(v).stem for v in VARIANTS])
def test_body_rows_printed_in_order(name):
    """Reader level, every template family: each standard table's body rows are the
    consecutive rows of one table (its page fragments joined)."""
    grids = [grid(g.table.rows) for g in group_tables(blocks(name))]
    standard = [t for t in variant_truth(name)["tables"] if t["kind"] == "standard" and grid(t["rows"])]
    assert [t["id"] for t in standard if not any(contains_run(g, grid(t["rows"])) for g in grids)] == []


@pytest.mark.parametrize("name", VARIANTS, ids=[Path(v).stem for v in VARIANTS])
def test_tables_read_exactly_as_printed(name):
    """Every standard table is recognised, its header and body grids as printed."""
    assert_tables_read_as_printed(recognise(blocks(name)), variant_truth(name))


def test_every_number_in_its_row(converted):
    """Package level: every printed number and label in the CSV row of its line, and
    the document's template family, organisation and year."""
    assert_package_as_printed(*converted)


def test_wordart_watermark_is_no_rule():
    """A watermark drawn as filled shapes (pdfplumber reports them black) gives no
    rules: the rendering draws each table's outer box only (open at a page break), and
    every page that draws one has a table with no inner rules."""
    name = next(v["file"] for v in MANIFEST if v["options"].get("watermark_style") == "wordart")
    with pdfplumber.open(VARIANTS_DIR / name) as pdf:
        for page in pdf.pages:
            assert page.curves, "the watermark shapes are there"
            regions = find_regions(*page_segments(page_objects(page)[1], is_rule, is_visible_fill))
            assert bool(regions) == bool(page.lines), page.page_number
            assert all((r.inner_hrules(), r.inner_vrules()) == ([], []) for r in regions), page.page_number


def test_landscape_tables_drawn_turned_on_portrait_pages(tmp_path):
    """Some producers print a landscape page as a portrait page whose content is drawn
    turned by 90° and shown turned back (/Rotate 90): the same package as the landscape
    rendering it was made from."""
    name = "003_landscape_novert_wm.pdf"
    writer = PdfWriter(clone_from=str(VARIANTS_DIR / name))
    turned = 0
    for page in writer.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        if width > height:
            page.add_transformation(Transformation().rotate(90).translate(height, 0))
            page.mediabox = page.cropbox = RectangleObject([0, 0, height, width])
            page.rotate(90)
            turned += 1
    assert turned > 5
    path = tmp_path / "turned.pdf"
    writer.write(path)
    assert_package_as_printed(name, convert(path, tmp_path / "package"))


def rerendered(source: Path, how: str, path: Path) -> Path:
    """``source`` with each page's content redrawn so that it displays as before:
    ``turned`` drawn a quarter turn left and shown turned back by /Rotate 90 (the
    turn's cosine written 6.1e-17, as producers write it), ``turned back`` the other
    way (/Rotate 270), ``sideways`` turned on a sheet turned with it and no /Rotate
    (read by turning the paper), ``enlarged`` on a sheet 1.6 times as large (A4
    printed on A3 and then some), ``grey rules`` with every stroke in a grey border
    style (#BFBFBF)."""
    writer = PdfWriter(clone_from=str(source))
    for page in writer.pages:
        if how == "grey rules":
            content = ContentStream(page.get_contents(), writer)
            content.operations = [_grey_stroke(operands, op) for operands, op in content.operations]
            page.replace_contents(content)
            continue
        x0, y0, x1, y1 = (float(v) for v in page.mediabox)
        width, height = x1 - x0, y1 - y0
        moved = Transformation().translate(-x0, -y0)
        if how == "enlarged":
            page.add_transformation(moved.scale(1.6, 1.6))
            page.mediabox = page.cropbox = RectangleObject([0, 0, width * 1.6, height * 1.6])
            continue
        quarter, shift, turn = (-90, (0, width), 270) if how == "turned back" else (90, (height, 0), 90)
        page.add_transformation(moved.rotate(quarter).translate(*shift))
        page.mediabox = page.cropbox = RectangleObject([0, 0, height, width])
        if how != "sideways":
            page.rotation = (page.rotation + turn) % 360
    writer.write(path)
    return path


def _grey_stroke(operands: list, op: bytes) -> tuple[list, bytes]:
    """A content stream operation with its stroking colour made 75 % grey."""
    grey = FloatObject(0.75)
    if op in (b"RG", b"G", b"K", b"SC", b"SCN") and not any(isinstance(o, NameObject) for o in operands):
        return [grey], b"G"
    if op == b"CS":
        return [NameObject("/DeviceGray")], op
    return operands, op


@pytest.mark.parametrize(
    "document, how",
    [
        ("real2/cq_qixiang_2026_dept_budget.pdf", "turned"),  # its digits' font hangs low: lifted all the same
        ("real/sh_putuo_czj_2024_dept_final.pdf", "turned back"),  # a rule at 303.0 drawn in pieces
        ("real/js_gaoyuan_2019_dept_budget.pdf", "enlarged"),  # a column line drawn offset under its header
        ("real2/yt_shenji_2026_dept_budget.pdf", "grey rules"),
        ("variants/001_scaled_noinner.pdf", "turned"),  # a —— glyph, whose width its Unicode value does not find
        ("real2/cq_qixiang_2026_dept_budget.pdf", "sideways"),  # and its low-hanging digits lifted along the turn
    ],
)
def test_a_document_redrawn_gives_the_same_tables(document, how, tmp_path):
    """The same pages drawn another way (turned and shown turned back, on a larger sheet,
    in grey rules) give the same CSV files, byte for byte: the reader's thresholds do not sit where a
    renderer's rounding decides."""
    source = FIXTURES / document
    plain = convert(source, tmp_path / "plain")
    redrawn = convert(rerendered(source, how, tmp_path / "redrawn.pdf"), tmp_path / "redrawn")
    files = sorted(p.name for p in plain.package_dir.glob("*.csv"))
    assert len(files) > 5
    assert sorted(p.name for p in redrawn.package_dir.glob("*.csv")) == files
    for name in files:
        assert (redrawn.package_dir / name).read_bytes() == (plain.package_dir / name).read_bytes(), name


def test_a_page_turns_upright_only_where_most_of_its_text_runs_up_or_down() -> None:
    """Text running up the page is turned clockwise to run left to right, with the
    page's shapes; a page of upright text with a few vertical labels stays as it is."""

    def char(x0: float, top: float, matrix: tuple) -> dict:
        return {"text": "字", "x0": x0, "x1": x0 + 10, "top": top, "bottom": top + 10, "size": 10, "matrix": matrix}

    up, right = (0, 10, -10, 0, 0, 0), (10, 0, 0, 10, 0, 0)
    sideways = [char(100, 50 + 12 * k, up) for k in range(5)] + [char(20, 20, right)]
    chars, shapes, width = upright_page(sideways, [{"pts": [(0, 0), (200, 0)]}], 200, 300)
    assert width == 300
    assert (chars[0]["x0"], chars[0]["x1"], chars[0]["top"], chars[0]["bottom"]) == (240, 250, 100, 110)
    assert chars[0]["matrix"][:4] == (10, 0, 0, 10)
    assert shapes[0]["pts"] == [(300, 0), (300, 200)]
    upright = [char(20, 20 + 12 * k, right) for k in range(5)] + sideways[:2]
    assert upright_page(upright, [], 200, 300)[0] is upright


def test_grey_lines_are_rules_and_grey_outlines_are_not() -> None:
    """A table ruled in grey lines keeps its grid; a light watermark drawn as outlined
    shapes (a 口 whose sides run straight across and down) gives no rules: only lines
    and rectangles may be light, a stroked path must be dark to be a rule."""
    grey = (0.75, 0.75, 0.75)

    def shape(kind: str, pts: list[tuple[float, float]]) -> dict:
        return {"object_type": kind, "pts": pts, "stroke": True, "fill": False, "stroking_color": grey}

    lines = [shape("line", [(50, y), (350, y)]) for y in (100, 130, 160)]
    outline = shape("curve", [(200, 300), (300, 300), (300, 400), (200, 400), (200, 300)])
    hs, vs = page_segments(lines + [outline], is_rule, is_visible_fill)
    assert [s.pos for s in hs] == [100, 130, 160] and vs == []
