"""Throughput of the service on Redis (documents per minute) with 1 and 2 ``budgetpack worker``s:
    python bench/bench_queue.py [--docs 16] [--workers 1 2] [--embedded]
Starts a redis-server (Debian package) on a free port, the Procfile's web line bound to
127.0.0.1, and the workers, all in a temporary data dir; submits ``--docs`` jobs at once
(corpus documents 000-004, PDF and DOCX in turn) and times them from the first upload
to the last job's end. ``--embedded`` also times the default embedded queue with as many
conversion slots (BUDGETPACK_WORKERS), for comparison.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from service_run import REPO, free_port, run_jobs, start, wait_until, web_command  # noqa: E402

CORPUS = REPO / "tests" / "fixtures" / "corpus"
DOCS = [
    CORPUS / f"{stem}.{ext}"
    for stem in ("000_a172aac8b2ce2e2e", "001_a298b7becd38ae40", "003_c5258405996ce6e5", "004_fafbd4f86c979bb4")
    for ext in ("pdf", "docx")
]


def run(folder: Path, docs: int, workers: int, queue_url: str | None) -> float:
    """Seconds for ``docs`` jobs submitted at once to end, all succeeded."""
    data = folder / "data"
    port = free_port()
    env = {
        **os.environ,
        "BUDGETPACK_DATA_DIR": str(data),
        "BUDGETPACK_MAX_QUEUE": str(docs),
        "BUDGETPACK_WORKERS": str(workers),
    }
    if queue_url:
        env["BUDGETPACK_QUEUE"] = queue_url
    procs = [start(web_command(port), env, folder / "web.log")]
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until(lambda: requests.get(url + "/healthz", timeout=2).ok, "the web process")
        if queue_url:
            for k in range(workers):
                log = folder / f"worker{k}.log"
                procs.append(start([str(Path(sys.executable).with_name("budgetpack")), "worker"], env, log))
                wait_until(lambda log=log: "Listening on" in log.read_text(errors="replace"), "a worker")

        return run_jobs(url, [DOCS[i % len(DOCS)] for i in range(docs)], poll=0.2)
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            p.wait(60)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=16)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--embedded", action="store_true")
    args = ap.parse_args()
    exe = shutil.which("redis-server") or sys.exit("redis-server is missing: apt-get install redis-server")
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        redis = subprocess.Popen(
            [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", tmp],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            for n in args.workers:
                for queue in [f"redis://127.0.0.1:{port}/{n}"] + ([None] if args.embedded else []):
                    folder = Path(tmp) / f"{'redis' if queue else 'embedded'}-{n}"
                    folder.mkdir()
                    seconds = run(folder, args.docs, n, queue)
                    what = f"{n} worker{'s' if n > 1 else ''}" if queue else f"embedded, {n} slot{'s' if n > 1 else ''}"
                    print(
                        f"{what}: {args.docs} documents in {seconds:.1f} s = {args.docs / seconds * 60:.1f} "
                        f"documents/minute",
                        flush=True,
                    )
        finally:
            redis.terminate()
            redis.wait(10)


if __name__ == "__main__":
    main()
