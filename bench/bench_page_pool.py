"""A long PDF converted in one process against its pages read by a pool, in one run:
    python bench/bench_page_pool.py [--repeat 12] [--workers 2]
Builds the document (seed corpus 001, 82 pages, repeated ``--repeat`` times: 984 pages)
with pypdf, then converts it with ``budgetpack convert`` twice, ``--page-workers 1``
and ``--page-workers N``, each in its own process. Wall time, and the peak resident
memory of the whole process tree (the sum of RSS of the CLI and its workers, sampled
every 50 ms from /proc; shared pages count once per process, so this overstates).
Also checks that both packages hold the same CSV files byte for byte.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from pypdf import PdfReader, PdfWriter

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "tests" / "fixtures" / "corpus" / "001_a298b7becd38ae40.pdf"


def build(target: Path, repeat: int) -> int:
    writer = PdfWriter()
    for _ in range(repeat):
        writer.append(PdfReader(SEED))
    with target.open("wb") as f:
        writer.write(f)
    return len(writer.pages)


def tree_rss(root: int) -> int:
    """Bytes resident in ``root`` and every process below it."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGESIZE")
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            parents[int(proc.name)] = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            rss[int(proc.name)] = int((proc / "statm").read_text().split()[1]) * page
        except (OSError, ValueError, IndexError):
            continue
    tree = {root}
    grew = True
    while grew:
        below = {pid for pid, parent in parents.items() if parent in tree} - tree
        grew = bool(below)
        tree |= below
    return sum(rss.get(pid, 0) for pid in tree)


def run(document: Path, out: Path, workers: int) -> tuple[float, int]:
    """Seconds and peak tree RSS of one ``budgetpack convert``."""
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "convert", str(document), "-o", str(out), "--page-workers", str(workers)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        env=dict(os.environ, PYTHONPATH=str(REPO), SOURCE_DATE_EPOCH="0"),
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    rc = proc.wait()
    seconds = time.monotonic() - started
    done.set()
    sampler.join()
    if rc:
        raise SystemExit(f"budgetpack convert failed ({rc})")
    return seconds, peak


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeat", type=int, default=12)
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        document = Path(tmp) / "long.pdf"
        pages = build(document, args.repeat)
        one = run(document, Path(tmp) / "one", 1)
        pool = run(document, Path(tmp) / "pool", args.workers)
        same = all(
            (Path(tmp) / "pool" / f.name).read_bytes() == f.read_bytes() for f in (Path(tmp) / "one").glob("*.csv")
        )
    print(f"{pages} pages, {os.cpu_count()} CPUs")
    print(f"one process : {one[0]:6.1f} s  peak tree RSS {one[1] / 2**20:6.0f} MB")
    print(f"{args.workers} page workers: {pool[0]:6.1f} s  peak tree RSS {pool[1] / 2**20:6.0f} MB")
    print(f"pool / one  : time {pool[0] / one[0]:.2f}x  memory {pool[1] / one[1]:.2f}x  CSV identical: {same}")


if __name__ == "__main__":
    main()
