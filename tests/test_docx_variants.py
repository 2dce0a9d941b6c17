"""DOCX files written differently from the corpus ones, read straight by the DOCX
reader: tables cut in two Word tables by hand (page break between, header repeated),
merged cells written as separate cells, no tblHeader marks, a watermark shape in the
body, other amounts and names. ``fixtures/variants/manifest.json`` lists them with the
truth that describes each."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from converters.docx_reader import read_docx
from converters.model import DocumentBlocks, TableBlock
from converters.pipeline import ConversionResult, convert
from converters.recognise import recognise
from tests.truth import standard_tables
from tests.variants import (
    MANIFEST,
    VARIANTS_DIR,
    assert_package_as_printed,
    assert_tables_read_as_printed,
    variant_truth,
    variants_of,
)

VARIANTS = variants_of("docx")
IDS = [Path(v).stem for v in VARIANTS]


@cache
def blocks(name: str) -> DocumentBlocks:
    return read_docx(VARIANTS_DIR / name)


@pytest.fixture(scope="module", params=VARIANTS, ids=IDS)
def converted(request, tmp_path_factory) -> tuple[str, ConversionResult]:
    name = request.param
    return name, convert(VARIANTS_DIR / name, tmp_path_factory.mktemp(Path(name).stem) / "package")


def test_variants_change_what_they_say():
    """The fixtures are what the manifest says: split tables give more Word tables
    than the truth has tables, unmerged ones no merges in the standard tables."""
    for entry in MANIFEST:
        if not entry["file"].endswith(".docx"):
            continue
        truth = variant_truth(entry["file"])
        printed = sum(1 for b in truth["narrative"] if b["type"] == "table")
        tables = [b for b in blocks(entry["file"]).blocks if isinstance(b, TableBlock)]
        if entry["options"].get("split_tables"):
            assert len(tables) > printed, entry["file"]
        if entry["options"].get("unmerge"):
            assert all(not t.merges for t in tables[: len(standard_tables(truth))]), entry["file"]


@pytest.mark.parametrize("name", VARIANTS, ids=IDS)
def test_tables_read_exactly_as_printed(name):
    """Every standard table is recognised, its header and body grids as printed."""
    assert_tables_read_as_printed(recognise(blocks(name)), variant_truth(name))


def test_every_number_in_its_row(converted):
    """Package level: every printed number and label in the CSV row of its line, and
    the document's template family, organisation and year."""
    assert_package_as_printed(*converted)
