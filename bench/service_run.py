"""What the service benches share: the Procfile's web line started on a free local port,
and a batch of jobs submitted at once and timed to the last one's end."""

from __future__ import annotations

import shlex
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def web_command(port: int) -> list[str]:
    """The Procfile's web line bound to 127.0.0.1:port, with this interpreter's gunicorn."""
    line = next(ln for ln in (REPO / "Procfile").read_text().splitlines() if ln.startswith("web:"))
    args = shlex.split(line.removeprefix("web:"))
    return [sys.executable, "-m", *(f"127.0.0.1:{port}" if a.startswith("0.0.0.0:") else a for a in args)]


def start(cmd: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        cmd, cwd=REPO, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True
    )


def wait_until(check, what: str, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if check():
                return
        except (requests.ConnectionError, OSError):
            pass
        time.sleep(0.1)
    raise SystemExit(f"{what} did not start within {timeout} s")


def run_jobs(url: str, docs: list[Path], poll: float = 0.05) -> float:
    """Seconds from submitting ``docs`` at once (as jobs) to the last job's end, all succeeded."""

    def submit(path: Path) -> str:
        with path.open("rb") as f:
            r = requests.post(url + "/api/v1/jobs", files={"file": (path.name, f)}, timeout=60)
        r.raise_for_status()
        return r.json()["id"]

    t0 = time.perf_counter()
    with ThreadPoolExecutor(min(len(docs), 16)) as pool:
        pending = set(pool.map(submit, docs))
    while pending:
        for job_id in list(pending):
            job = requests.get(f"{url}/api/v1/jobs/{job_id}", timeout=10).json()
            if job["status"] == "failed":
                raise SystemExit(f"job {job_id} failed: {job['error']}")
            if job["status"] == "succeeded":
                pending.discard(job_id)
        time.sleep(poll)
    return time.perf_counter() - t0
