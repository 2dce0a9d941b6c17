"""DOCX against PDF conversion of the same document, in one process:
    python bench/bench_docx.py tests/fixtures/corpus/001_a298b7becd38ae40
(the path without extension; NAME.pdf and NAME.docx must both exist)."""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from converters.pipeline import convert


def seconds(path: Path, rounds: int = 3) -> float:
    best = float("inf")
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            convert(path, Path(tmp) / "pkg")
            best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    for stem in sys.argv[1:]:
        pdf, docx = seconds(Path(stem + ".pdf"), rounds=1), seconds(Path(stem + ".docx"))
        print(f"{Path(stem).name}: pdf {pdf:.2f} s, docx {docx:.2f} s (best of 3), pdf/docx {pdf / docx:.1f}x")


if __name__ == "__main__":
    main()
