"""A long PDF read by a pool of processes gives the package one process gives.

The pool is forced on short fixtures with a low page threshold so the tests stay fast;
the CLI test uses the real threshold on the 42-page corpus document.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

from converters.page_pool import PagePool, PageWorkers, read_pdf_pages
from converters.pdf_reader import read_pdf
from converters.pipeline import convert, read_document
from tests import hostile

REPO = Path(__file__).resolve().parent.parent
SHORT_PDF = REPO / "tests" / "fixtures" / "corpus" / "003_c5258405996ce6e5.pdf"
FORCED = PagePool(workers=2, min_pages=2)


def package_files(folder: Path) -> dict[str, bytes]:
    """Every file of a package; the report without the time it was written."""
    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
    report = json.loads(files.pop("report.json"))
    report.pop("generated_at")
    files["report.json"] = json.dumps(report, sort_keys=True).encode()
    return files


def test_the_pool_reads_the_blocks_one_process_reads() -> None:
    sequential = read_pdf(SHORT_PDF)
    with PageWorkers(FORCED) as workers:
        assert workers.start(SHORT_PDF, sequential.page_count, None)
        pooled = read_pdf_pages(workers, sequential.page_count)
    assert pooled is not None and sequential.page_count == 34
    assert pooled == sequential


def test_a_package_read_by_the_pool_equals_the_sequential_one(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the descriptor's creation time
    convert(SHORT_PDF, tmp_path / "one")
    convert(SHORT_PDF, tmp_path / "pool", page_pool=FORCED)
    one, pool = package_files(tmp_path / "one"), package_files(tmp_path / "pool")
    assert any(name.endswith(".csv") for name in one)
    assert one == pool


def test_a_repaired_copy_is_read_by_the_pool_with_its_warning(tmp_path: Path) -> None:
    """A PDF whose xref table is shifted is read from PDFium's repaired copy (bytes in
    memory), which the forked workers get as they are."""
    damaged = hostile.write_damaged(tmp_path)["shifted-xref.pdf"]
    one = convert(damaged, tmp_path / "one")
    pool = convert(damaged, tmp_path / "pool", page_pool=FORCED)
    assert pool.report["warnings"][0]["code"] == "damaged-pdf"
    assert pool.report["warnings"] == one.report["warnings"]
    assert {p.name: p.read_bytes() for p in (tmp_path / "pool").glob("*.csv")} == {
        p.name: p.read_bytes() for p in (tmp_path / "one").glob("*.csv")
    }


@pytest.mark.parametrize("pages, workers, applies", [(41, 2, True), (39, 2, False), (500, 1, False)])
def test_short_documents_and_one_worker_stay_in_one_process(pages: int, workers: int, applies: bool) -> None:
    assert PagePool(workers, min_pages=40).applies(pages) is applies


def test_the_cli_reads_pages_in_parallel_with_the_same_package(tmp_path: Path) -> None:
    """``--page-workers 1`` against ``BUDGETPACK_PAGE_WORKERS=2`` on a document above the threshold."""
    assert PagePool(2).applies(42)
    env = dict(os.environ, PYTHONPATH=str(REPO), SOURCE_DATE_EPOCH="1700000000")
    for name, extra, page_env in (("one", ["--page-workers", "1"], {}), ("pool", [], {"BUDGETPACK_PAGE_WORKERS": "2"})):
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "service.cli",
                "convert",
                str(hostile.CORPUS_PDF),
                "-o",
                str(tmp_path / name),
                *extra,
            ],
            cwd=REPO,
            env={**env, **page_env},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr
    assert package_files(tmp_path / "one") == package_files(tmp_path / "pool")


def test_the_workers_end_with_the_reading() -> None:
    """Page workers read a long document's pages and end there: the converting process
    goes on alone, so the process tree holds the blocks and rows once."""
    doc = read_document(SHORT_PDF, page_pool=FORCED)
    assert doc.page_count == 34 and doc.blocks
    assert not multiprocessing.active_children()
