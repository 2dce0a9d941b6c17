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
import shlex
import signal
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_queue import free_port, start, wait_until  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "tests" / "fixtures" / "corpus" / "000_a172aac8b2ce2e2e.docx"


def web_command(port: int) -> list[str]:
    """The Procfile's web line bound to 127.0.0.1:port, with this interpreter's gunicorn."""
    line = next(ln for ln in (REPO / "Procfile").read_text().splitlines() if ln.startswith("web:"))
    args = shlex.split(line.removeprefix("web:"))
    return [sys.executable, "-m", *(f"127.0.0.1:{port}" if a.startswith("0.0.0.0:") else a for a in args)]


def jobs(url: str, doc: Path, count: int) -> float:
    """Seconds for ``count`` jobs of ``doc`` submitted at once to end, all succeeded."""

    def submit(_: int) -> str:
        with doc.open("rb") as f:
            r = requests.post(url + "/api/v1/jobs", files={"file": (doc.name, f)}, timeout=60)
        r.raise_for_status()
        return r.json()["id"]

    t0 = time.perf_counter()
    with ThreadPoolExecutor(min(count, 16)) as pool:
        pending = set(pool.map(submit, range(count)))
    while pending:
        for job_id in list(pending):
            job = requests.get(f"{url}/api/v1/jobs/{job_id}", timeout=10).json()
            if job["status"] == "failed":
                raise SystemExit(f"job {job_id} failed: {job['error']}")
            if job["status"] == "succeeded":
                pending.discard(job_id)
        time.sleep(0.05)
    return time.perf_counter() - t0


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
        jobs(url, doc, 1)
        single = min(jobs(url, doc, 1) for _ in range(3))
        return single, jobs(url, doc, docs), workers
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
