"""Seconds per page and peak memory of a conversion, next to bare pdfplumber.

Both run in this one process, alternating, so the machine's load affects them alike:
    python bench/bench_pdf.py tests/fixtures/corpus/*.pdf
Peak memory is Python allocations traced by tracemalloc during each run.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from pathlib import Path

import pdfplumber

from converters.pipeline import convert, read_document


def bare_extract_tables(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        return sum(len(page.extract_tables()) for page in pdf.pages)


def budgetpack_convert(path: Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        return len(convert(path, Path(tmp) / "pkg").resource_names)


def budgetpack_read(path: Path) -> int:
    return len(read_document(path).blocks)


def measure(fn, path: Path) -> tuple[float, float]:
    """Seconds of an untraced run, then peak MiB of a traced one (tracing slows a run)."""
    t0 = time.perf_counter()
    fn(path)
    seconds = time.perf_counter() - t0
    tracemalloc.start()
    fn(path)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("pdfs", nargs="+", type=Path)
    ap.add_argument("--rounds", type=int, default=1)
    args = ap.parse_args()
    print(f"{'document':34} {'pages':>5} {'run':22} {'s/page':>8} {'peak MiB':>9} {'ratio':>6}")
    for path in args.pdfs:
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
        for _ in range(args.rounds):
            base_s, base_m = measure(bare_extract_tables, path)
            for name, fn in (("budgetpack convert", budgetpack_convert), ("budgetpack read only", budgetpack_read)):
                s, m = measure(fn, path)
                print(f"{path.name[:34]:34} {pages:5d} {name:22} {s / pages:8.4f} {m:9.1f} {s / base_s:6.2f}")
            print(
                f"{path.name[:34]:34} {pages:5d} {'pdfplumber extract_tables':22} {base_s / pages:8.4f} {base_m:9.1f} {1:6.2f}"
            )


if __name__ == "__main__":
    main()
