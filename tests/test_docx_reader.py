"""DOCX reader: corpus documents against truth.json, layout edge cases, hostile files."""

from __future__ import annotations

import json
import re
import time
import zipfile
from collections.abc import Callable
from functools import cache
from io import BytesIO
from pathlib import Path

import docx
import pytest

from converters.docx_reader import check_docx_container, read_docx
from converters.errors import ConversionError
from converters.model import DocumentBlocks, TableBlock, TextBlock

FIXTURES = Path(__file__).parent / "fixtures" / "corpus"
NAMES = sorted(p.stem for p in FIXTURES.glob("*.docx"))
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCUMENT_OPEN = f'<w:document xmlns:w="{W_NS}" xmlns:v="urn:schemas-microsoft-com:vml"><w:body>'
DOCUMENT_CLOSE = "</w:body></w:document>"


def norm(text: str) -> str:
    """truth.json says to compare with whitespace removed (cells wrap freely)."""
    return re.sub(r"\s+", "", text)


def norm_grid(rows: list[list[str]]) -> list[list[str]]:
    return [[norm(cell) for cell in row] for row in rows]


def load_truth(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.truth.json").read_text(encoding="utf-8"))


#: Documents whose truth lists the lines of a printed cover (a document may print none).
WITH_COVER = [name for name in NAMES if load_truth(name)["cover"]]


@cache
def corpus(name: str) -> tuple[DocumentBlocks, dict]:
    return read_docx(FIXTURES / f"{name}.docx"), load_truth(name)


def table_positions(doc: DocumentBlocks) -> list[int]:
    return [i for i, block in enumerate(doc.blocks) if isinstance(block, TableBlock)]


def tables_by_ref(doc: DocumentBlocks, truth: dict) -> dict[str, int]:
    """Truth table id -> block index, pairing the narrative's table references with
    the document's tables one to one, in order."""
    refs = [b["ref"] for b in truth["narrative"] if b["type"] == "table"]
    positions = table_positions(doc)
    assert len(positions) == len(refs), "one w:tbl per printed table expected"
    return dict(zip(refs, positions))


def texts_between(doc: DocumentBlocks, start: int, end: int) -> list[TextBlock]:
    return [b for b in doc.blocks[start:end] if isinstance(b, TextBlock)]


def neighbours(doc: DocumentBlocks, index: int) -> tuple[int, int]:
    """Block indices of the tables before and after the table at ``index``."""
    positions = table_positions(doc)
    k = positions.index(index)
    before = positions[k - 1] if k > 0 else -1
    after = positions[k + 1] if k + 1 < len(positions) else len(doc.blocks)
    return before, after


# --- corpus ---------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_tables_match_truth_grid_merges_and_header(name: str) -> None:
    doc, truth = corpus(name)
    where = tables_by_ref(doc, truth)
    for table in truth["tables"]:
        block = doc.blocks[where[table["id"]]]
        printed = table["header_rows"] + table["rows"]
        assert norm_grid(block.rows) == norm_grid(printed), table["id"]
        assert block.merges == [tuple(m) for m in table["merges"]], table["id"]
        assert block.repeated_header_rows == len(table["header_rows"]), table["id"]
        assert block.row_pages == [None] * len(block.rows)


@pytest.mark.parametrize("name", NAMES)
def test_tables_found_by_content_in_truth_order(name: str) -> None:
    """Independent of the narrative pairing: searching each truth table's grid after
    the previous one's finds them all, so they come in the truth's order."""
    doc, truth = corpus(name)
    grids = [norm_grid(b.rows) for b in doc.blocks if isinstance(b, TableBlock)]
    start = 0
    for table in truth["tables"]:
        wanted = norm_grid(table["header_rows"] + table["rows"])
        assert wanted in grids[start:], table["id"]
        start = grids.index(wanted, start) + 1


@pytest.mark.parametrize("name", NAMES)
def test_title_label_and_captions_precede_their_table(name: str) -> None:
    doc, truth = corpus(name)
    where = tables_by_ref(doc, truth)
    for table in truth["tables"] + truth["performance_tables"]:
        index = where[table["id"]]
        before = texts_between(doc, neighbours(doc, index)[0] + 1, index)
        texts = [norm(b.text) for b in before]
        assert norm(table["title"]) in texts, table["id"]
        title_at = texts.index(norm(table["title"]))
        for line in [table.get("label"), table.get("subtitle")]:
            if line:
                assert norm(line) in texts, (table["id"], line)
        caption_parts = [[norm(p) for p in b.parts] for b in before[title_at + 1 :]]
        for caption in table["captions"]:
            assert [norm(p) for p in caption] in caption_parts, (table["id"], caption)


@pytest.mark.parametrize("name", NAMES)
def test_notes_follow_their_table(name: str) -> None:
    doc, truth = corpus(name)
    where = tables_by_ref(doc, truth)
    for table in truth["tables"]:
        index = where[table["id"]]
        after = [norm(b.text) for b in texts_between(doc, index + 1, neighbours(doc, index)[1])]
        for note in table["notes"] + ([table["empty_note"]] if table["empty_note"] else []):
            assert norm(note) in after, (table["id"], note)


@pytest.mark.parametrize("name", NAMES)
def test_performance_tables_hold_their_project(name: str) -> None:
    doc, truth = corpus(name)
    where = tables_by_ref(doc, truth)
    for table in truth["performance_tables"]:
        cells = {norm(c) for row in doc.blocks[where[table["id"]]].rows for c in row}
        assert norm(table["fields"]["project_name"]) in cells, table["id"]


@pytest.mark.parametrize("name", NAMES)
def test_headings_paragraphs_and_contents(name: str) -> None:
    doc, truth = corpus(name)
    narrative = truth["narrative"]
    headings = [(b["level"], norm(b["text"])) for b in narrative if b["type"] == "heading"]
    found = [(b.heading_level, norm(b.text)) for b in doc.text_blocks if b.heading_level]
    assert found == headings
    texts = {norm(b.text) for b in doc.text_blocks}
    assert {norm(b["text"]) for b in narrative if b["type"] == "paragraph"} <= texts
    parts = [b.parts for b in doc.text_blocks]
    for contents in (b for b in narrative if b["type"] == "contents"):
        for entry in contents["entries"]:
            assert [entry["text"], entry["page"]] in parts, entry


@pytest.mark.parametrize("name", WITH_COVER)
def test_cover_lines_are_centered_bold_text(name: str) -> None:
    doc, truth = corpus(name)
    first = doc.text_blocks[: len(truth["cover"])]
    assert [b.text for b in first] == truth["cover"]
    assert all(b.centered and b.bold and b.size and b.size > 16 for b in first)
    assert doc.source_format == "docx" and doc.page_count is None


def test_reading_is_fast() -> None:
    """The PDF path takes ~7 s on 001; the DOCX one needs ~0.25 s of CPU. CPU time,
    not wall time, so that other work on a shared machine does not fail the test."""
    started = time.process_time()
    read_docx(FIXTURES / "001_a298b7becd38ae40.docx")
    assert time.process_time() - started < 1.0


# --- layout edge cases ------------------------------------------------------------


def write_main_part(path: Path, xml: str) -> Path:
    """A DOCX from python-docx's template whose word/document.xml is ``xml``."""
    template = BytesIO()
    docx.Document().save(template)
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            if item.filename != "word/document.xml":
                dst.writestr(item, src.read(item))
        dst.writestr("word/document.xml", xml)
    return path


def write_docx(path: Path, body: str, prolog: str = "") -> Path:
    """A DOCX whose body is ``body``; ``prolog`` goes before the root element."""
    declaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    return write_main_part(path, declaration + prolog + DOCUMENT_OPEN + body + DOCUMENT_CLOSE)


def para(text: str, ppr: str = "", rpr: str = "") -> str:
    runs = "".join(
        f"<w:r><w:rPr>{rpr}</w:rPr>" + ("<w:tab/>" if i else "") + f"<w:t>{piece}</w:t></w:r>"
        for i, piece in enumerate(text.split("\t"))
    )
    return f"<w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p>"


def tc(text: str, tcpr: str = "") -> str:
    return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{para(text)}</w:tc>"


def tbl(rows: list[str], cols: int) -> str:
    grid = "".join("<w:gridCol/>" for _ in range(cols))
    return f"<w:tbl><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"


def test_paragraph_formatting_and_tab_parts(tmp_path: Path) -> None:
    body = (
        para("第一部分 概况", '<w:pStyle w:val="Heading1"/>')
        + para("2024年预算收支总表", '<w:jc w:val="center"/>', '<w:b/><w:sz w:val="32"/>')
        + para("单位名称：X\t单位：万元")
        + para("   ")
        + para("正文", "", '<w:b w:val="0"/>')
    )
    heading, title, caption, plain = read_docx(write_docx(tmp_path / "a.docx", body)).blocks
    assert (heading.heading_level, heading.bold) == (1, True)
    assert (title.centered, title.bold, title.size) == (True, True, 16.0)
    assert title.heading_level is None
    assert caption.parts == ["单位名称：X", "单位：万元"] and caption.text == "单位名称：X 单位：万元"
    assert (plain.bold, plain.centered) == (False, False)


def test_grid_spans_vmerge_and_grid_before(tmp_path: Path) -> None:
    header = "<w:trPr><w:tblHeader/></w:trPr>"
    span2, restart, cont = '<w:gridSpan w:val="2"/>', '<w:vMerge w:val="restart"/>', "<w:vMerge/>"
    rows = [
        f"<w:tr>{header}{tc('项目', span2)}{tc('合计', restart)}{tc('A')}</w:tr>",
        f"<w:tr>{header}{tc('编码')}{tc('名称')}{tc('', cont)}{tc('B')}</w:tr>",
        f'<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>{tc("x")}{tc("1")}{tc("2")}</w:tr>',
    ]
    (block,) = read_docx(write_docx(tmp_path / "t.docx", tbl(rows, 4))).blocks
    assert block.rows == [["项目", "", "合计", "A"], ["编码", "名称", "", "B"], ["", "x", "1", "2"]]
    assert block.merges == [(0, 0, 1, 2), (0, 2, 2, 1)]
    assert block.repeated_header_rows == 2


def test_continue_without_restart_is_a_plain_cell(tmp_path: Path) -> None:
    rows = [f"<w:tr>{tc('a')}</w:tr>", f"<w:tr>{tc('b', '<w:vMerge/>')}</w:tr>"]
    (block,) = read_docx(write_docx(tmp_path / "v.docx", tbl(rows, 1))).blocks
    assert (block.rows, block.merges) == ([["a"], ["b"]], [])


def test_nested_table_and_multi_paragraph_cell(tmp_path: Path) -> None:
    inner = tbl([f"<w:tr>{tc('甲')}{tc('乙')}</w:tr>"], 2)
    cell = f"<w:tc>{para('第一段')}{para('')}{para('第二段')}{inner}</w:tc>"
    (block,) = read_docx(write_docx(tmp_path / "n.docx", tbl([f"<w:tr>{cell}</w:tr>"], 1))).blocks
    assert block.rows == [["第一段\n第二段\n甲 乙"]]


def test_text_boxes_and_header_watermarks_are_not_read(tmp_path: Path) -> None:
    textbox = (
        "<w:r><w:pict><v:shape><v:textbox><w:txbxContent>"
        f"{para('仅供内部审核')}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )
    body = f"<w:p><w:r><w:t>正文</w:t></w:r>{textbox}</w:p>"
    (block,) = read_docx(write_docx(tmp_path / "x.docx", body)).blocks
    assert block.text == "正文"

    document = docx.Document()
    document.sections[0].header.add_paragraph("仅供内部审核")
    document.add_paragraph("正文")
    document.save(tmp_path / "w.docx")
    assert [b.text for b in read_docx(tmp_path / "w.docx").blocks] == ["正文"]


def test_content_controls_revisions_and_breaks(tmp_path: Path) -> None:
    """A TOC inside w:sdt is read; deleted text is not; a page break is no text."""
    body = (
        f"<w:sdt><w:sdtPr/><w:sdtContent>{para('目录')}</w:sdtContent></w:sdt>"
        "<w:p><w:ins><w:r><w:t>新</w:t></w:r></w:ins>"
        "<w:del><w:r><w:delText>旧</w:delText></w:r></w:del>"
        '<w:r><w:br w:type="page"/><w:t>文</w:t></w:r></w:p>'
    )
    assert [b.text for b in read_docx(write_docx(tmp_path / "s.docx", body)).blocks] == ["目录", "新文"]


def test_hidden_text_is_not_read(tmp_path: Path) -> None:
    """Text formatted hidden (w:vanish) is not printed, in a paragraph or a cell: a
    template's hidden instruction or old figure is no part of the document; a run whose
    hidden is switched off is printed."""
    hidden, shown = "<w:vanish/>", '<w:vanish w:val="0"/>'
    cell = f"<w:tc><w:p><w:r><w:t>1,200.00</w:t></w:r><w:r><w:rPr>{hidden}</w:rPr><w:t>9</w:t></w:r></w:p></w:tc>"
    body = (
        f"<w:p><w:r><w:t>收支总表</w:t></w:r><w:r><w:rPr>{hidden}</w:rPr><w:t>（填表说明）</w:t></w:r></w:p>"
        + para("（隐藏行）", "", hidden)
        + para("单位：万元", "", shown)
        + tbl([f"<w:tr>{tc('合计')}{cell}</w:tr>"], 2)
    )
    title, unit, table = read_docx(write_docx(tmp_path / "h.docx", body)).blocks
    assert (title.text, unit.text) == ("收支总表", "单位：万元")
    assert table.rows == [["合计", "1,200.00"]]


# --- hostile files ------------------------------------------------------------------


def assert_corrupt(path: Path, reader: Callable[[Path], object] = read_docx) -> ConversionError:
    with pytest.raises(ConversionError) as caught:
        reader(path)
    assert caught.value.code == "corrupt-document"
    return caught.value


def test_non_zip_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_bytes(b"%PDF-1.7\n" + b"x" * 100)
    assert_corrupt(path)


def test_zip_without_main_part_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    assert_corrupt(path)


def test_broken_xml_is_corrupt(tmp_path: Path) -> None:
    assert_corrupt(write_docx(tmp_path / "b.docx", "<w:p><w:r>"))


@pytest.mark.parametrize(
    "xml",
    [
        "<foo/>",
        f'<w:document xmlns:w="{W_NS}"/>',
        '<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:body/></w:document>',
    ],
    ids=["foreign-root", "no-body", "strict-ooxml"],
)
def test_main_part_without_transitional_body_is_corrupt(tmp_path: Path, xml: str) -> None:
    assert_corrupt(write_main_part(tmp_path / "r.docx", xml))


def test_crafted_grid_spans_are_refused(tmp_path: Path) -> None:
    """A few bytes of gridSpan must not allocate a billion empty cells."""
    span = '<w:gridSpan w:val="1000000000"/>'
    row = f"<w:tr>{tc('a', span)}</w:tr>"
    assert_corrupt(write_docx(tmp_path / "g.docx", tbl([row], 1)))


def zeros_member(path: Path, size: int, level: int) -> Path:
    """A DOCX-shaped zip whose main part is ``size`` zero bytes, deflated at ``level``
    (1 keeps building the 1 GB bomb to about two seconds)."""
    chunk = bytes(8 * 1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return path


def test_zip_bomb_is_refused_before_unpacking(tmp_path: Path) -> None:
    path = zeros_member(tmp_path / "bomb.docx", 1024**3, level=1)
    assert path.stat().st_size < 8 * 1024**2
    assert "unpacks to" in assert_corrupt(path, reader=check_docx_container).detail


def test_extreme_compression_ratio_is_refused(tmp_path: Path) -> None:
    """Under the size limit, but 24 MB of zeros squeezed 1000:1 is no document."""
    error = assert_corrupt(zeros_member(tmp_path / "ratio.docx", 24 * 1024**2, level=9))
    assert "compressed" in error.detail


PASSWD = Path("/etc/passwd")


@pytest.mark.parametrize(
    "prolog, text",
    [
        (f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{PASSWD}">]>', "&xxe;"),
        (f'<!DOCTYPE w:document SYSTEM "file://{PASSWD}">', "正文"),
        (f'<!DOCTYPE w:document [<!ENTITY % x SYSTEM "file://{PASSWD}"> %x;]>', "正文"),
    ],
    ids=["entity", "external-dtd", "parameter-entity"],
)
def test_external_entities_never_leak(tmp_path: Path, prolog: str, text: str) -> None:
    path = write_docx(tmp_path / "xxe.docx", f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>", prolog)
    secret = PASSWD.read_text().splitlines()[0]
    try:
        doc = read_docx(path)
    except ConversionError as error:
        assert error.code == "corrupt-document"
        assert secret not in error.detail
        return
    printed = [b.text for b in doc.text_blocks]
    printed += [c for b in doc.blocks if isinstance(b, TableBlock) for row in b.rows for c in row]
    assert not any(secret in t for t in printed)
