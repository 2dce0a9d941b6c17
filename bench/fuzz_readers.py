"""Convert thousands of seeded mutants of corpus files as the service does; print outcomes by kind.

    .venv/bin/python -m bench.fuzz_readers --count 2000 --seed 1 --jobs 2 [--max-minutes 30]

Each mutant (tests/mutants.py: bytes flipped in and out of streams, truncation, xref
and trailer damage, /Length lies, duplicated object numbers, cyclic page trees, count
lies, reference loops; damaged zip entries and XML, .docm) runs in ``python -m
service.runner`` under a CPU limit (``--cpu-seconds``, default 10). A hang shows as
``timeout``; ``timeout``, ``internal-error``, ``no-result``, a signal or a traceback in
what a client is told are failures, and the exit code is 1 if there is any. Files
that failed are kept in ``--keep`` to replay.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path

from tests.mutants import FAILURES, Result, mutants, run_mutant


def is_failure(r: Result) -> bool:
    return r.outcome in FAILURES or r.outcome.startswith("signal") or r.traceback


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--count", type=int, default=2000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--cpu-seconds", type=int, default=10)
    p.add_argument("--keep", type=Path, default=Path("fuzz-failures"), help="folder for the files that failed")
    p.add_argument(
        "--max-minutes",
        type=float,
        default=None,
        help="start no mutant after this many minutes; report those converted",
    )
    args = p.parse_args()
    started = time.monotonic()
    results: list[Result] = []

    def collect(done) -> None:
        for future in done:
            r = future.result()
            results.append(r)
            if is_failure(r):
                args.keep.mkdir(parents=True, exist_ok=True)
                shutil.copy(tmp / r.mutant, args.keep / r.mutant)
                print(f"FAILURE {r}", flush=True)
            if len(results) % 100 == 0:
                print(f"{len(results)}/{args.count} in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
            shutil.rmtree(tmp / (r.mutant + ".work"), ignore_errors=True)
            (tmp / r.mutant).unlink(missing_ok=True)

    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder, ThreadPoolExecutor(args.jobs) as pool:
        tmp = Path(folder)
        pending: set = set()
        try:
            for m in mutants(args.seed, args.count):
                if args.max_minutes is not None and time.monotonic() - started > 60 * args.max_minutes:
                    break
                pending.add(pool.submit(run_mutant, m, tmp, args.cpu_seconds))
                if len(pending) >= 2 * args.jobs:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    collect(done)
            collect(wait(pending).done)
        except KeyboardInterrupt:  # a long run cut short still reports what it converted
            print("interrupted: reporting the mutants converted so far", file=sys.stderr)
            pool.shutdown(cancel_futures=True)
    report(results, time.monotonic() - started)
    return 1 if any(is_failure(r) for r in results) else 0


def report(results: list[Result], seconds: float) -> None:
    by_kind: dict[str, Counter] = {}
    for r in results:
        by_kind.setdefault(r.kind, Counter())[r.outcome] += 1
    print(f"{len(results)} mutants in {seconds:.0f} s")
    for kind in sorted(by_kind):
        print(f"  {kind:32} " + ", ".join(f"{o} {n}" for o, n in by_kind[kind].most_common()))
    totals = Counter(r.outcome for r in results)
    print("outcomes: " + ", ".join(f"{o} {n}" for o, n in totals.most_common()))
    print(f"failures (hangs, internal errors, crashes, tracebacks): {sum(is_failure(r) for r in results)}")
    slowest = max(results, key=lambda r: r.cpu_seconds)
    print(
        f"slowest: {slowest.mutant} ({slowest.kind}): {slowest.cpu_seconds} s CPU, {slowest.wall_seconds} s wall, "
        f"{slowest.outcome}"
    )


if __name__ == "__main__":
    sys.exit(main())
