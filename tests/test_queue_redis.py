"""The service on Redis (BUDGETPACK_QUEUE): a real redis-server, gunicorn as the Procfile runs it,
and ``budgetpack worker`` processes, killed with SIGKILL as a lost machine would be.

Each test has its own Redis database and data dir. Conversions use corpus document 000
(DOCX: the fastest; PDF where a run must last long enough to be killed).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis
import requests

from tests.conftest import REPO, SMALL_LIMITS, _free_port
from tests.test_service import (
    DOCX,
    PDF,
    assert_problem,
    callback_receiver,
    convert,
    package_members,
    submit,
    wait_job,
)

BUDGETPACK = Path(sys.executable).with_name("budgetpack")


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real redis-server on a free port; yields its URL without a database number."""
    exe = shutil.which("redis-server")
    assert exe, "redis-server is missing: scripts/test.sh installs it (apt-get install redis-server)"
    port = _free_port()
    folder = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=(folder / "redis.log").open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"redis://127.0.0.1:{port}"
    deadline = time.time() + 20
    while True:
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            assert proc.poll() is None and time.time() < deadline, "redis-server did not start"
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(10)


class Workers:
    """``budgetpack worker`` processes on one queue and data dir, all stopped after the test."""

    def __init__(self, folder: Path, data_dir: Path, queue_url: str) -> None:
        self.folder, self.data_dir, self.queue_url = folder, data_dir, queue_url
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str) -> subprocess.Popen:
        log = self.folder / f"worker-{name}.log"
        env = {
            **os.environ,
            **SMALL_LIMITS,
            "BUDGETPACK_DATA_DIR": str(self.data_dir),
            "BUDGETPACK_QUEUE": self.queue_url,
        }
        proc = subprocess.Popen(
            [str(BUDGETPACK), "worker", "--name", name],
            cwd=REPO,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.time() + 30
        while "Listening on" not in log.read_text(errors="replace"):
            assert proc.poll() is None, log.read_text(errors="replace")
            assert time.time() < deadline, "the worker did not start listening within 30 s"
            time.sleep(0.1)
        self.procs[name] = proc
        return proc

    def busy(self, name: str) -> int | None:
        """The pid of the work horse the worker forked for its current job, once that runs its conversion child."""
        horses = _children(self.procs[name].pid)
        return horses[0] if horses and _children(horses[0]) else None

    def wait_busy(self, names: list[str], timeout: float = 60) -> str:
        deadline = time.time() + timeout
        while time.time() < deadline:
            for name in names:
                if self.busy(name):
                    return name
            time.sleep(0.05)
        raise AssertionError(f"none of {names} took a job within {timeout} s")

    def kill(self, name: str) -> None:
        """SIGKILL the worker alone, mid-job; its work horse and conversion child must die with it."""
        horse = self.busy(name)
        assert horse, f"worker {name} is not converting"
        family = [horse, *_children(horse)]
        self.procs[name].kill()
        self.procs[name].wait()
        deadline = time.time() + 10
        while any(_alive(pid) for pid in family):
            assert time.time() < deadline, f"the work horse or conversion of killed worker {name} lives on"
            time.sleep(0.05)

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:  # it has ended
        return []


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.fixture
def workers(tmp_path: Path) -> Iterator:
    started: list[Workers] = []

    def make(data_dir: Path, queue_url: str) -> Workers:
        w = Workers(tmp_path, data_dir, queue_url)
        started.append(w)
        return w

    yield make
    for w in started:
        w.stop()


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.time() + timeout
    while not predicate():
        assert time.time() < deadline, f"{what} did not happen within {timeout} s"
        time.sleep(0.2)


def attempts(data_dir: Path, job_id: str) -> int:
    return json.loads((data_dir / "jobs" / job_id / "status.json").read_text(encoding="utf-8"))["attempts"]


def test_sync_convert_waits_on_a_worker_and_a_job_calls_back(redis_server, make_server, workers, tmp_path) -> None:
    queue = f"{redis_server}/0"
    data = tmp_path / "data"
    web = make_server(data, BUDGETPACK_QUEUE=queue)
    w = workers(data, queue)
    w.start("a")
    r = convert(web, DOCX)
    assert r.status_code == 200, r.text[:500]
    members = package_members(r.content)
    assert json.loads(members["report.json"])["source"]["name"] == DOCX.name
    assert {res["path"] for res in json.loads(members["datapackage.json"])["resources"]} <= members.keys()
    with callback_receiver() as (url, received):
        job_id = submit(web, DOCX, {"callback": url}).json()["id"]
        assert wait_job(web, job_id, 60)["status"] == "succeeded"
        wait_for(lambda: received, 30, "the callback")
        assert received[0]["id"] == job_id and received[0]["status"] == "succeeded"


def test_twelve_jobs_succeed_though_a_worker_is_killed_and_the_web_restarts(
    redis_server, make_server, workers, tmp_path
) -> None:
    queue = f"{redis_server}/1"
    data = tmp_path / "data"
    web = make_server(data, BUDGETPACK_QUEUE=queue)
    w = workers(data, queue)
    w.start("a")
    w.start("b")
    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(lambda _: submit(web, DOCX), range(12)))
    assert [r.status_code for r in answers] == [202] * 12, [r.text for r in answers]
    ids = [r.json()["id"] for r in answers]

    def done() -> int:
        return sum(requests.get(f"{web.url}/api/v1/jobs/{i}", timeout=10).json()["status"] == "succeeded" for i in ids)

    wait_for(lambda: done() >= 2, 60, "two jobs ending")
    w.wait_busy(["a"])
    w.kill("a")
    web.stop(signal.SIGKILL)  # the web process goes too: the jobs live in Redis and the data dir
    web = make_server(data, BUDGETPACK_QUEUE=queue)

    jobs = [wait_job(web, i, 120) for i in ids]
    assert [j["status"] for j in jobs] == ["succeeded"] * 12, [j["error"] for j in jobs]
    for job in jobs:
        r = requests.get(web.url + job["links"]["package"], timeout=30)
        assert r.status_code == 200 and r.content[:2] == b"PK"
    # The job the killed worker was converting ran once more, on the other worker.
    assert sorted(attempts(data, i) for i in ids) == [1] * 11 + [2]


def test_a_job_recorded_but_never_queued_is_queued_by_the_next_web_process(
    redis_server, make_server, workers, tmp_path
) -> None:
    """The state a web process killed between recording a job and enqueueing it leaves: the job's
    folder and upload, its record queued (and older than a minute), nothing in Redis."""
    queue = f"{redis_server}/4"
    data = tmp_path / "data"
    job_id = secrets.token_urlsafe(24)
    job_dir = data / "jobs" / job_id
    job_dir.mkdir(parents=True)
    shutil.copy(DOCX, job_dir / "input")
    (job_dir / "status.json").write_text(
        json.dumps(
            {
                "id": job_id,
                "status": "queued",
                "filename": DOCX.name,
                "created": "2026-01-01T00:00:00+00:00",
                "started": None,
                "finished": None,
                "attempts": 0,
                "error": None,
                "resources": [],
                "callback": None,
            }
        )
    )
    two_minutes_ago = time.time() - 120
    os.utime(job_dir / "status.json", (two_minutes_ago, two_minutes_ago))
    web = make_server(data, BUDGETPACK_QUEUE=queue)
    workers(data, queue).start("a")
    job = wait_job(web, job_id, 60)
    assert job["status"] == "succeeded", job
    assert requests.get(web.url + job["links"]["package"], timeout=30).content[:2] == b"PK"


def test_a_conversion_killed_under_a_live_worker_runs_again(redis_server, make_server, workers, tmp_path) -> None:
    """The out-of-memory killer's way: the work horse dies, its worker lives on and RQ retries
    the job at once, whose record still says running."""
    queue = f"{redis_server}/5"
    data = tmp_path / "data"
    web = make_server(data, BUDGETPACK_QUEUE=queue)
    w = workers(data, queue)
    w.start("a")
    job_id = submit(web, PDF).json()["id"]
    w.wait_busy(["a"])
    os.kill(w.busy("a"), signal.SIGKILL)
    job = wait_job(web, job_id, 60)
    assert job["status"] == "succeeded", job
    assert attempts(data, job_id) == 2


@pytest.mark.parametrize(
    "queue, message", [(None, "set BUDGETPACK_QUEUE"), ("http://127.0.0.1:1/0", "must be a redis://host:port/db URL")]
)
def test_a_worker_without_a_redis_queue_says_so(queue: str | None, message: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "BUDGETPACK_QUEUE"}
    env["BUDGETPACK_DATA_DIR"] = str(tmp_path)
    if queue:
        env["BUDGETPACK_QUEUE"] = queue
    r = subprocess.run([str(BUDGETPACK), "worker"], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and message in r.stderr, r.stderr
    assert "Traceback" not in r.stderr


def test_busy_and_expiry_hold_on_redis(redis_server, make_server, tmp_path) -> None:
    """No worker takes jobs here: one waits, the next is refused as busy, and the waiting one
    expires after BUDGETPACK_JOB_TTL like any other, which makes room for the next."""
    web = make_server(
        tmp_path / "data", BUDGETPACK_QUEUE=f"{redis_server}/2", BUDGETPACK_MAX_QUEUE="1", BUDGETPACK_JOB_TTL="3"
    )
    first = submit(web, DOCX)
    assert first.status_code == 202, first.text
    r = submit(web, DOCX)
    assert_problem(r, 503, "busy")
    assert r.headers["Retry-After"]
    assert_problem(convert(web, DOCX), 503, "busy")
    url = f"{web.url}/api/v1/jobs/{first.json()['id']}"
    wait_for(lambda: requests.get(url, timeout=10).status_code == 404, 30, "expiry of the waiting job")
    assert_problem(requests.get(url, timeout=10), 404, "not-found")
    # The expired job no longer counts as waiting.
    wait_for(lambda: submit(web, DOCX).status_code == 202, 30, "a free place in the queue")


def test_a_job_whose_worker_dies_twice_fails_as_internal_error(redis_server, make_server, workers, tmp_path) -> None:
    queue = f"{redis_server}/3"
    data = tmp_path / "data"
    web = make_server(data, BUDGETPACK_QUEUE=queue)
    w = workers(data, queue)
    w.start("a")
    w.start("b")
    with callback_receiver() as (url, received):
        job_id = submit(web, PDF, {"callback": url}).json()["id"]
        first = w.wait_busy(["a", "b"])
        w.kill(first)
        second = "b" if first == "a" else "a"
        w.wait_busy([second], timeout=60)
        w.kill(second)
        job = wait_job(web, job_id, 60)
        assert job["status"] == "failed", job
        assert job["error"]["code"] == "internal-error" and job["error"]["status"] == 500
        assert "twice" in job["error"]["detail"]
        assert attempts(data, job_id) == 2
        wait_for(lambda: received, 30, "the callback")
        assert received[0]["id"] == job_id and received[0]["error"]["code"] == "internal-error"
