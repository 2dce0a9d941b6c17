"""The package from a DOCX equals the package from its PDF, cell by cell, except page
numbers (DOCX has no pages: null there)."""

from __future__ import annotations

import pytest

from converters.errors import ConversionError
from tests.truth import converted, package_rows

DOCS = ["000", "001", "003", "004"]
PAGE_FIELDS = {"page", "pages"}


@pytest.mark.parametrize("doc_id", DOCS)
def test_docx_package_equals_pdf_package(doc_id):
    from_pdf, from_docx = converted(doc_id, "pdf"), converted(doc_id, "docx")
    assert not isinstance(from_pdf, ConversionError), from_pdf
    assert not isinstance(from_docx, ConversionError), from_docx
    pdf_rows, docx_rows = package_rows(from_pdf), package_rows(from_docx)
    assert sorted(pdf_rows) == sorted(docx_rows)
    for name, rows in pdf_rows.items():
        other = docx_rows[name]
        assert len(rows) == len(other), name
        for a, b in zip(rows, other):
            assert {k: v for k, v in a.items() if k not in PAGE_FIELDS} == {
                k: v for k, v in b.items() if k not in PAGE_FIELDS
            }, name
            assert all(b[k] == "" for k in PAGE_FIELDS & b.keys()), name
            assert all(a[k] != "" for k in PAGE_FIELDS & a.keys()), name
    assert from_docx.report["source"]["format"] == "docx"
    assert from_docx.report["document"] == from_pdf.report["document"]

    def statuses(r):
        return [(t["concept"], t["status"], t["row_count"]) for t in r.report["tables"]]

    assert statuses(from_docx) == statuses(from_pdf)
    assert from_docx.report["validation"]["valid"]
