"""Every cell of every standard table of every corpus document, PDF and DOCX, against truth.json."""

from __future__ import annotations

import json
from decimal import Decimal

import pyarrow.parquet as pq
import pytest

from converters.pipeline import convert, read_document
from converters.recognise import recognise
from tests.truth import (
    TRUTH_CONCEPTS,
    compare_resource,
    converted,
    corpus_file,
    grid,
    load_truth,
    read_csv,
    squash,
    standard_tables,
)

DOCS = ["000", "001", "003", "004"]
FORMATS = ["pdf", "docx"]
CASES = [(d, f) for d in DOCS for f in FORMATS]


@pytest.fixture(params=CASES, ids=[f"{d}.{f}" for d, f in CASES])
def converted_pdf(request):
    doc_id, ext = request.param
    return doc_id, converted(doc_id, ext)


@pytest.mark.parametrize("doc_id,ext", CASES, ids=[f"{d}.{f}" for d, f in CASES])
def test_tables_read_exactly_as_printed(doc_id, ext):
    """Header and body grids of each standard table equal the printed ones."""
    truth = load_truth(doc_id)
    found = {t.concept.key: t for t in recognise(read_document(corpus_file(doc_id, ext))) if t.concept}
    for table in standard_tables(truth):
        key = TRUTH_CONCEPTS[table["id"]]
        assert key in found, f"{table['id']} {table['title']} not recognised"
        got = found[key]
        assert got.title == grid([[table["title"]]])[0][0]
        assert got.label == (table["label"] and grid([[table["label"]]])[0][0])
        assert grid(got.header) == grid(table["header_rows"]), table["id"]
        assert grid(got.body) == grid(table["rows"]), table["id"]
        assert (got.empty_note is not None) == (table["empty_note"] is not None), table["id"]


def test_every_number_in_its_row(converted_pdf):
    doc_id, result = converted_pdf
    truth = load_truth(doc_id)
    descriptor = json.loads((result.package_dir / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r.get("budgetpack:concept"): r for r in descriptor["resources"]}
    problems = []
    for table in standard_tables(truth):
        res = resources[TRUTH_CONCEPTS[table["id"]]]
        rows = read_csv(result.package_dir / res["path"])
        problems += compare_resource(table, rows, res["schema"])
    assert problems == []


def test_report_statuses(converted_pdf):
    doc_id, result = converted_pdf
    truth = load_truth(doc_id)
    report = result.report
    assert report["document"]["template_family"] == truth["meta"]["template_family"]
    assert report["document"]["document_kind"] == truth["meta"]["document_kind"]
    assert report["document"]["organisation"] == truth["meta"]["organisation"]
    assert report["document"]["year"] == truth["meta"]["year"]
    assert report["document"]["scope"] == truth["meta"]["scope"]
    is_pdf = report["source"]["format"] == "pdf"
    assert (report["source"]["page_count"] > 0) if is_pdf else report["source"]["page_count"] is None
    statuses = {t["concept"]: t["status"] for t in report["tables"]}
    for table in standard_tables(truth):
        want = "empty" if table["empty_note"] else "found"
        assert statuses[TRUTH_CONCEPTS[table["id"]]] == want, table["id"]
    assert all(bool(t["pages"]) == is_pdf for t in report["tables"] if t["status"] != "missing")
    assert report["validation"] == {"valid": True, "errors": [], "error_count": 0}


def test_parquet_round_trip(converted_pdf):
    """Parquet holds the same values as the CSV, money as decimals with units in metadata;
    each CSV resource has its Parquet twin, with the same fields."""
    _, result = converted_pdf
    descriptor = json.loads((result.package_dir / "datapackage.json").read_text(encoding="utf-8"))
    twins = {r["budgetpack:csv_resource"]: r for r in descriptor["resources"] if r["format"] == "parquet"}
    for res in [r for r in descriptor["resources"] if r["format"] == "csv"]:
        twin = twins.pop(res["name"])
        assert twin["path"] == res["parquet"]["path"] and twin["name"] == res["name"] + "_parquet"
        assert [f["name"] for f in twin["schema"]["fields"]] == [f["name"] for f in res["schema"]["fields"]]
        table = pq.read_table(result.package_dir / twin["path"])
        rows = read_csv(result.package_dir / res["path"])
        assert table.num_rows == len(rows)
        for f in res["schema"]["fields"]:
            col = table.column(f["name"])
            meta = table.schema.field(f["name"]).metadata or {}
            if f["type"] == "number":
                assert str(col.type).startswith("decimal128"), f["name"]
                assert meta.get(b"unit") == (f["unit"].encode() if "unit" in f else None)
                for value, row in zip(col.to_pylist(), rows):
                    assert value == (Decimal(row[f["name"]]) if row[f["name"]] else None)
            elif f["type"] == "integer":
                assert str(col.type) == "int64"
            assert meta[b"title"] == f["title"].encode()


def test_same_input_same_bytes(tmp_path, monkeypatch):
    """Data files are the same bytes; datapackage.json differs only in ``created``
    (the time of the conversion), and not at all with SOURCE_DATE_EPOCH set."""
    a = convert(corpus_file("000", "pdf"), tmp_path / "a")
    b = convert(corpus_file("000", "pdf"), tmp_path / "b")
    for name in [f"{n}.csv" for n in a.resource_names] + [f"{n}.parquet" for n in a.resource_names]:
        assert (a.package_dir / name).read_bytes() == (b.package_dir / name).read_bytes(), name
    descriptors = [json.loads((r.package_dir / "datapackage.json").read_text(encoding="utf-8")) for r in (a, b)]
    assert [{k: v for k, v in d.items() if k != "created"} for d in descriptors] == [
        {k: v for k, v in descriptors[0].items() if k != "created"}
    ] * 2
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    c = convert(corpus_file("000", "pdf"), tmp_path / "c")
    d = convert(corpus_file("000", "pdf"), tmp_path / "d")
    assert (c.package_dir / "datapackage.json").read_bytes() == (d.package_dir / "datapackage.json").read_bytes()
    assert (
        json.loads((c.package_dir / "datapackage.json").read_text(encoding="utf-8"))["created"]
        == "2023-11-14T22:13:20Z"
    )


def test_other_tables_exported_as_printed(converted_pdf):
    """Tables outside the standard set are resources too, every cell as printed."""
    doc_id, result = converted_pdf
    truth = load_truth(doc_id)
    others = {squash(t["title"]): t for t in result.report["other_tables"]}
    printed = [t for t in truth["tables"] if t["kind"] == "other"]
    assert list(others) == [squash(t["title"]) for t in printed]
    for table in printed:
        entry = others[squash(table["title"])]
        assert grid(entry["header"]) == grid(table["header_rows"])
        rows = read_csv(result.package_dir / f"{entry['resource']}.csv")
        cells = [[r[k] for k in r if k.startswith("col_")] for r in rows]
        assert grid(cells) == grid(table["rows"])
