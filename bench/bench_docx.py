"""DOCX against PDF conversion of the same document, in one process:
    python bench/bench_docx.py tests/fixtures/corpus/001_a298b7becd38ae40
(the path without extension; NAME.pdf and NAME.docx must both exist). Each format is
converted ``--rounds`` times, alternating, so that the machine's load and the caches
warmed by a first conversion (label matches, schemas) affect both alike; the first
round of each and the best are printed. On a machine of several cores the DOCX is also
converted as the CLI converts one document, with a worker per core (its package
validated by two processes), and that best printed too."""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from converters.page_pool import SEQUENTIAL, PagePool
from converters.pipeline import convert


def seconds(path: Path, page_pool: PagePool = SEQUENTIAL) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        convert(path, Path(tmp) / "pkg", page_pool=page_pool)
        return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("stems", nargs="+")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    cores = os.cpu_count() or 1
    for stem in args.stems:
        runs: dict[str, list[float]] = {"pdf": [], "docx": [], "docx, workers": []}
        for _ in range(args.rounds):
            for ext in ("docx", "pdf"):
                runs[ext].append(seconds(Path(f"{stem}.{ext}")))
            if cores > 1:
                runs["docx, workers"].append(seconds(Path(f"{stem}.docx"), PagePool(cores)))
        pdf, docx = runs["pdf"], runs["docx"]
        print(
            f"{Path(stem).name}: first run pdf {pdf[0]:.2f} s, docx {docx[0]:.2f} s ({pdf[0] / docx[0]:.1f}x); "
            f"best of {args.rounds} pdf {min(pdf):.2f} s, docx {min(docx):.2f} s ({min(pdf) / min(docx):.1f}x)"
        )
        if runs["docx, workers"]:
            print(
                f"{Path(stem).name}: docx as the CLI converts it ({cores} workers), best of {args.rounds}: "
                f"{min(runs['docx, workers']):.2f} s"
            )


if __name__ == "__main__":
    main()
