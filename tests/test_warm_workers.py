"""Warm conversion processes through a real gunicorn: reused while healthy, replaced after
a crash, a memory-limit hit, a timeout or their number of jobs, and the service goes on."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import requests

from tests import hostile
from tests.test_service import DOCX, assert_problem, convert, submit, wait_job


def runners(server) -> set[int]:
    """Pids of the conversion processes (``python -m service.runner``) under this server's gunicorn."""
    parents: dict[int, int] = {}
    commands: dict[int, list[bytes]] = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            parents[int(proc.name)] = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            commands[int(proc.name)] = (proc / "cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError, IndexError):
            continue

    def under_server(pid: int) -> bool:
        while pid > 1:
            pid = parents.get(pid, 1)
            if pid == server.proc.pid:
                return True
        return False

    return {pid for pid, cmd in commands.items() if b"service.runner" in cmd and under_server(pid)}


def one_runner(server, other_than: int | None = None, timeout: float = 30) -> int:
    """The server's only conversion process, once it is not ``other_than``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = runners(server)
        if len(found) == 1 and other_than not in found:
            return found.pop()
        time.sleep(0.1)
    raise AssertionError(f"no single conversion process other than {other_than}: {runners(server)}")


def running_job(server, path: Path) -> str:
    """Submit ``path`` and return its id once the job is being converted."""
    job_id = submit(server, path).json()["id"]
    deadline = time.monotonic() + 30
    while requests.get(f"{server.url}/api/v1/jobs/{job_id}", timeout=10).json()["status"] != "running":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    return job_id


def gone(pid: int) -> bool:
    return not Path(f"/proc/{pid}").exists()


def test_a_warm_process_runs_jobs_until_its_count_and_is_replaced_after_each_failure(
    make_server, tmp_path: Path
) -> None:
    s = make_server(
        BUDGETPACK_WORKERS="1", BUDGETPACK_WARM_JOBS="2", BUDGETPACK_TIMEOUT="15", BUDGETPACK_MAX_MEMORY_MB="1024"
    )
    first = one_runner(s)  # started before any job

    # Reused: two jobs in the same process, then a fresh one after its second.
    assert convert(s, DOCX).status_code == 200
    assert runners(s) == {first}
    assert convert(s, DOCX).status_code == 200
    second = one_runner(s, other_than=first)
    assert gone(first)

    # A crash in a reader: the job fails as the document's fault, the next job runs in a fresh process.
    job = running_job(s, DOCX)
    os.kill(second, signal.SIGSEGV)
    assert wait_job(s, job)["error"]["code"] == "corrupt-document"
    third = one_runner(s, other_than=second)
    assert convert(s, DOCX).status_code == 200 and runners(s) == {third}

    # The memory limit: pdfium aborts on a stream inflating past 1024 MB.
    balloon = tmp_path / "balloon.pdf"
    hostile.write_inflating_pdf(balloon, 480 << 20)
    assert_problem(convert(s, balloon), 422, "too-complex", s)
    fourth = one_runner(s, other_than=third)
    assert gone(third)

    # A process that stops answering is killed at the time limit and replaced.
    job = running_job(s, DOCX)
    os.kill(fourth, signal.SIGSTOP)
    assert wait_job(s, job, timeout=60)["error"]["code"] == "timeout"
    fifth = one_runner(s, other_than=fourth)
    assert gone(fourth)
    assert convert(s, DOCX).status_code == 200 and runners(s) == {fifth}
    assert requests.get(s.url + "/healthz", timeout=10).ok


def test_cold_processes_start_per_job(make_server) -> None:
    """BUDGETPACK_WARM_JOBS=0: no process waits between jobs, as before warm processes."""
    s = make_server(BUDGETPACK_WORKERS="1", BUDGETPACK_WARM_JOBS="0")
    assert convert(s, DOCX).status_code == 200
    assert runners(s) == set()
