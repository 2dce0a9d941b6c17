"""The variant fixtures (tests/fixtures/variants): renderings and edited DOCX files made
from the corpus by tests/fixtures/render_variants.py, listed in its manifest."""

from __future__ import annotations

import json
from functools import cache

from converters.pipeline import ConversionResult
from converters.recognise import FoundTable
from tests.truth import FIXTURES, TRUTH_CONCEPTS, compare_resource, grid, load_truth, read_csv, standard_tables

VARIANTS_DIR = FIXTURES / "variants"
MANIFEST: list[dict] = json.loads((VARIANTS_DIR / "manifest.json").read_text(encoding="utf-8"))["variants"]


def variants_of(ext: str) -> list[str]:
    """File names of the variants of one format (``pdf`` or ``docx``)."""
    return [v["file"] for v in MANIFEST if v["file"].endswith("." + ext)]


@cache
def variant_truth(name: str) -> dict:
    """What the variant prints: its own truth when its content was edited (amounts
    scaled, organisation renamed, years shifted), else its source document's."""
    entry = next(v for v in MANIFEST if v["file"] == name)
    if entry.get("truth_file"):
        return json.loads((VARIANTS_DIR / entry["truth_file"]).read_text(encoding="utf-8"))
    return load_truth(entry["source"][:3])


def assert_tables_read_as_printed(found_tables: list[FoundTable], truth: dict) -> None:
    """Every standard table of the truth is recognised, its title, header and body grids
    as printed, and an empty one declared empty."""
    found = {t.concept.key: t for t in found_tables if t.concept}
    for table in standard_tables(truth):
        key = TRUTH_CONCEPTS[table["id"]]
        assert key in found, f"{table['id']} {table['title']} not recognised"
        got = found[key]
        assert got.title == grid([[table["title"]]])[0][0], table["id"]
        assert grid(got.header) == grid(table["header_rows"]), table["id"]
        assert grid(got.body) == grid(table["rows"]), table["id"]
        assert (got.empty_note is not None) == (table["empty_note"] is not None), table["id"]


def assert_package_as_printed(name: str, result: ConversionResult) -> None:
    """Every printed number and label of the variant in the CSV row and field of its
    line, and the document's template family, organisation and year."""
    truth = variant_truth(name)
    descriptor = json.loads((result.package_dir / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r.get("budgetpack:concept"): r for r in descriptor["resources"]}
    problems = []
    for table in standard_tables(truth):
        res = resources[TRUTH_CONCEPTS[table["id"]]]
        problems += compare_resource(table, read_csv(result.package_dir / res["path"]), res["schema"])
    assert problems == []
    document = result.report["document"]
    assert (document["template_family"], document["organisation"], document["year"]) == (
        truth["meta"]["template_family"],
        truth["meta"]["organisation"],
        truth["meta"]["year"],
    )
