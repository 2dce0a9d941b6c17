"""Seconds per page and peak memory of a conversion with each PDF reader, next to bare pdfplumber.

All run in this one process, alternating, so the machine's load affects them alike:
    python bench/bench_pdf.py tests/fixtures/corpus/001*.pdf --rounds 3
Each row's seconds are the best of ``--rounds`` runs, its ratio to the best bare
``extract_tables()`` of the same rounds. The last row converts as the CLI converts one
document on this machine: its pages (from 40) read by one worker process per core
(peak memory there is the converting process's only). Peak memory is Python allocations traced by
tracemalloc during one more run (PDFium's own allocations, in C, are not traced).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import tracemalloc
from pathlib import Path

import pdfplumber

from converters.page_pool import SEQUENTIAL, PagePool
from converters.pdf_pages import READERS
from converters.pipeline import convert, read_document


def bare_extract_tables(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        return sum(len(page.extract_tables()) for page in pdf.pages)


def budgetpack_convert(reader: str, page_pool: PagePool = SEQUENTIAL):
    def run(path: Path) -> int:
        with tempfile.TemporaryDirectory() as tmp:
            return len(convert(path, Path(tmp) / "pkg", pdf_reader=reader, page_pool=page_pool).resource_names)

    return run


def budgetpack_read(reader: str):
    def run(path: Path) -> int:
        return len(read_document(path, pdf_reader=reader).blocks)

    return run


def seconds(fn, path: Path) -> float:
    t0 = time.perf_counter()
    fn(path)
    return time.perf_counter() - t0


def peak_mib(fn, path: Path) -> float:
    tracemalloc.start()
    fn(path)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return peak


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("pdfs", nargs="+", type=Path)
    ap.add_argument("--rounds", type=int, default=3, help="runs of each; the best counts")
    args = ap.parse_args()
    runs = {"pdfplumber extract_tables": bare_extract_tables}
    for reader in READERS:
        runs[f"convert, {reader}"] = budgetpack_convert(reader)
        runs[f"read only, {reader}"] = budgetpack_read(reader)
    cores = os.cpu_count() or 1
    if cores > 1:
        runs[f"convert, pdfium, {cores} workers"] = budgetpack_convert("pdfium", PagePool(cores))
    print(f"{'document':34} {'pages':>5} {'run':26} {'s':>7} {'s/page':>8} {'peak MiB':>9} {'ratio':>6}")
    for path in args.pdfs:
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
        best = {name: seconds(fn, path) for name, fn in runs.items()}
        for _ in range(args.rounds - 1):
            for name, fn in runs.items():
                best[name] = min(best[name], seconds(fn, path))
        base = best["pdfplumber extract_tables"]
        for name, fn in runs.items():
            s = best[name]
            print(
                f"{path.name[:34]:34} {pages:5d} {name:26} {s:7.2f} {s / pages:8.4f} "
                f"{peak_mib(fn, path):9.1f} {s / base:6.2f}"
            )


if __name__ == "__main__":
    main()
