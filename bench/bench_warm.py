"""Simultaneous service conversions with cold processes (one started per job) and warm ones, in one run:
    python bench/bench_warm.py [--docs 16] [--doc tests/fixtures/corpus/000_a172aac8b2ce2e2e.docx]
Starts the Procfile's web line (gunicorn, 127.0.0.1) twice, with ``BUDGETPACK_WARM_JOBS=0``
(cold: a process is started for each conversion, as before warm processes) and with
the default (warm). In each: one job alone (best of 3, after one to settle), then
``--docs`` jobs submitted at once, timed from the first upload to the last job's end;
the ideal for those is ``docs x single / BUDGETPACK_WORKERS`` (the CPUs).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from service_run import REPO, free_port, run_jobs, start, wait_until, web_command  # noqa: E402

DOC = REPO / "tests" / "fixtures" / "corpus" / "000_a172aac8b2ce2e2e.docx"


def measure(folder: Path, doc: Path, docs: int, warm_jobs: str | None) -> tuple[float, float, int]:
    """Single-job seconds (best of 3), seconds for ``docs`` at once, and the conversion slots."""
    port = free_port()
    env = {**os.environ, "BUDGETPACK_DATA_DIR": str(folder / "data"), "BUDGETPACK_MAX_QUEUE": str(docs)}
    env.pop("BUDGETPACK_WARM_JOBS", None)
    if warm_jobs is not None:
        env["BUDGETPACK_WARM_JOBS"] = warm_jobs
    web = start(web_command(port), env, folder / "web.log")
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until(lambda: requests.get(url + "/healthz", timeout=2).ok, "the web process")
        workers = int(
            requests.get(url + "/openapi.json", timeout=10)
            .json()["info"]["description"]
            .split(" conversions at once")[0]
            .split()[-1]
        )
        run_jobs(url, [doc])
        single = min(run_jobs(url, [doc]) for _ in range(3))
        return single, run_jobs(url, [doc] * docs), workers
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        web.wait(60)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=16)
    ap.add_argument("--doc", type=Path, default=DOC)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for name, warm in (("cold", "0"), ("warm", None)):
            (Path(tmp) / name).mkdir()
            results[name] = measure(Path(tmp) / name, args.doc, args.docs, warm)
    cold_single = results["cold"][0]
    for name, (single, many, workers) in results.items():
        ideal = args.docs * single / workers
        print(
            f"{name}: one job {single:.2f} s; {args.docs} at once {many:.1f} s on {workers} slots = "
            f"{many / ideal:.2f}x of {args.docs} x its single / {workers}, "
            f"{many / (args.docs * cold_single / workers):.2f}x of {args.docs} x the cold single / {workers}"
        )
    print(f"warm / cold, {args.docs} at once: {results['warm'][1] / results['cold'][1]:.2f}x")


if __name__ == "__main__":
    main()
