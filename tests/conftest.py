"""Fixtures that start the real service: gunicorn on a free 127.0.0.1 port, in its own data dir.

Service tests talk HTTP to it and never import its internals, so they test what a
portal or a browser gets. Limits are small (5 MB, 100 pages) so refusals are quick.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parent.parent

SMALL_LIMITS = {
    "BUDGETPACK_MAX_BYTES": str(5 * 1024 * 1024),
    "BUDGETPACK_MAX_PAGES": "100",
    "BUDGETPACK_TIMEOUT": "90",
    "BUDGETPACK_WORKERS": "2",
    "BUDGETPACK_MAX_MEMORY_MB": "1024",
    "BUDGETPACK_CALLBACK_HOSTS": "127.0.0.1",
}


@dataclass
class Server:
    url: str
    data_dir: Path
    log: Path
    proc: subprocess.Popen

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop gunicorn (master and workers: they share a session)."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, threads: int = 16, **env: str) -> Server:
    """Start gunicorn as the Procfile does (``threads`` request threads), with ``SMALL_LIMITS`` overridden by ``env``."""
    port = _free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    log = data_dir.parent / f"{data_dir.name}-gunicorn-{port}.log"
    full_env = {**os.environ, **SMALL_LIMITS, "BUDGETPACK_DATA_DIR": str(data_dir), **env}
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--worker-class",
        "gthread",
        "--workers",
        "1",
        "--threads",
        str(threads),
        "--timeout",
        "60",
        "--no-control-socket",
        "service.app:create_app()",
    ]
    proc = subprocess.Popen(
        cmd, cwd=REPO, env=full_env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True
    )
    server = Server(f"http://127.0.0.1:{port}", data_dir, log, proc)
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if requests.get(server.url + "/healthz", timeout=2).ok:
                return server
        except requests.ConnectionError:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The shared service with small limits."""
    s = start_server(tmp_path_factory.mktemp("service") / "data")
    yield s
    s.stop()


@pytest.fixture
def make_server(tmp_path: Path) -> Iterator:
    """Start extra servers with their own settings; all are stopped after the test."""
    started: list[Server] = []

    def make(data_dir: Path | None = None, threads: int = 16, **env: str) -> Server:
        s = start_server(data_dir or tmp_path / f"data{len(started)}", threads, **env)
        started.append(s)
        return s

    yield make
    for s in started:
        s.stop()
