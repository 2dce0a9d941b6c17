"""Service settings that need their own server: API key, busy, timeout, expiry, restart."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from tests import hostile
from tests.test_service import BAD, DOCX, PDF, assert_problem, convert, submit, wait_job


def test_api_key_and_busy(make_server) -> None:
    # MAX_QUEUE=0 refuses every upload as busy: a correct key gets that far, a wrong one does not.
    s = make_server(BUDGETPACK_API_KEY="s3cret", BUDGETPACK_MAX_QUEUE="0")
    assert requests.get(s.url + "/healthz", timeout=10).ok
    assert requests.get(s.url + "/openapi.json", timeout=10).ok
    assert 'id="api-key"' in requests.get(s.url + "/", timeout=10).text
    r = convert(s, PDF)
    assert_problem(r, 401, "unauthorized")
    assert r.headers["WWW-Authenticate"] == "Bearer"
    assert_problem(convert(s, PDF, headers={"Authorization": "Bearer wrong"}), 401, "unauthorized")
    assert_problem(requests.get(s.url + "/api/v1/jobs/" + "A" * 32, timeout=10), 401, "unauthorized")
    r = convert(s, PDF, headers={"Authorization": "Bearer s3cret"})
    assert_problem(r, 503, "busy")
    assert r.headers["Retry-After"]
    assert_problem(convert(s, PDF, headers={"X-API-Key": "s3cret"}), 503, "busy")


def test_timeout_then_expiry(make_server, tmp_path) -> None:
    # One second is far less than 420 pages need (a warm worker converts document 000's
    # 42 in under one second on a fast machine), so every conversion times out.
    long = tmp_path / "long.pdf"
    long.write_bytes(hostile.long_pdf())
    s = make_server(BUDGETPACK_TIMEOUT="1", BUDGETPACK_JOB_TTL="3", BUDGETPACK_MAX_PAGES="500")
    assert_problem(convert(s, long), 504, "timeout")
    job = wait_job(s, submit(s, long).json()["id"], timeout=60)
    assert job["status"] == "failed" and job["error"]["code"] == "timeout"
    assert not (s.data_dir / "jobs" / job["id"] / "input").exists()  # the upload went with the job
    deadline = time.time() + 30
    while time.time() < deadline:
        r = requests.get(f"{s.url}/api/v1/jobs/{job['id']}", timeout=10)
        if r.status_code == 404:
            break
        time.sleep(0.5)
    assert_problem(r, 404, "not-found")
    assert not (s.data_dir / "jobs" / job["id"]).exists()


def test_restart_serves_finished_jobs_and_finishes_interrupted_ones(make_server, tmp_path) -> None:
    data = tmp_path / "shared-data"
    a = make_server(data, BUDGETPACK_WORKERS="1")
    done = wait_job(a, submit(a, PDF).json()["id"])
    assert done["status"] == "succeeded"
    failed = wait_job(a, submit(a, BAD / "scanned.pdf").json()["id"])
    interrupted = submit(a, PDF).json()["id"]
    deadline = time.time() + 60
    while requests.get(f"{a.url}/api/v1/jobs/{interrupted}", timeout=10).json()["status"] != "running":
        assert time.time() < deadline
        time.sleep(0.1)
    a.stop(signal.SIGKILL)  # no graceful shutdown: the conversion child must die with its parent

    b = make_server(data, BUDGETPACK_WORKERS="1")
    r = requests.get(b.url + done["links"]["package"], timeout=30)
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert requests.get(f"{b.url}/api/v1/jobs/{failed['id']}", timeout=10).json()["error"]["code"] == "no-text-layer"
    job = wait_job(b, interrupted)
    assert job["status"] == "succeeded", job
    assert requests.get(b.url + job["links"]["package"], timeout=30).status_code == 200


def test_sync_convert_answers_timeout_even_when_no_worker_takes_the_job(make_server) -> None:
    """Another process holds the only conversion slot (as a stuck runner sharing the data dir
    would): the job is never started, yet the synchronous request ends at the time limit."""
    s = make_server(BUDGETPACK_TIMEOUT="3", BUDGETPACK_WORKERS="1")
    with (s.data_dir / "slots" / "0").open("a") as slot:
        fcntl.flock(slot, fcntl.LOCK_EX)
        started = time.monotonic()
        r = convert(s, PDF)
        elapsed = time.monotonic() - started
        p = assert_problem(r, 504, "timeout", s)
        assert 3 <= elapsed < 3 + 10, elapsed
        job_url = r.headers["Link"].partition(">")[0].lstrip("<")
        assert job_url in p["detail"] and "could not start" in p["detail"]
        assert requests.get(s.url + job_url, timeout=10).json()["status"] == "queued"
    # The slot is free again: the job the client was pointed to runs to its end.
    assert wait_job(s, job_url.rsplit("/", 1)[1])["status"] in ("succeeded", "failed")


def test_restart_reruns_a_job_cut_off_after_its_package_was_moved_into_place(make_server, tmp_path) -> None:
    """The state a runner killed between moving the package and recording the end leaves on disk:
    status running, its marker in running/, the upload, and the package already there."""
    data = tmp_path / "shared-data"
    a = make_server(data, BUDGETPACK_WORKERS="1")
    job = wait_job(a, submit(a, DOCX).json()["id"])
    assert job["status"] == "succeeded"
    a.stop()
    job_dir = data / "jobs" / job["id"]
    status = json.loads((job_dir / "status.json").read_text(encoding="utf-8"))
    status.update(status="running", finished=None, resources=[], attempts=1)
    (job_dir / "status.json").write_text(json.dumps(status), encoding="utf-8")
    shutil.copy(DOCX, job_dir / "input")
    (job_dir / "package" / "left_over.csv").write_text("from the run that was cut off\n", encoding="utf-8")
    (data / "running" / job["id"]).touch()

    b = make_server(data, BUDGETPACK_WORKERS="1")
    rerun = wait_job(b, job["id"])
    assert rerun["status"] == "succeeded", rerun
    assert {r["name"] for r in rerun["links"]["resources"]} == {r["name"] for r in job["links"]["resources"]}
    assert_problem(requests.get(f"{b.url}/api/v1/jobs/{job['id']}/left_over.csv", timeout=10), 404, "not-found")


def test_restart_queues_jobs_never_queued_and_expires_stale_jobs_in_any_state(make_server, tmp_path) -> None:
    """A process that died between recording a job and queueing it leaves the job queued with no
    marker: the next start queues it. Jobs unchanged for longer than BUDGETPACK_JOB_TTL are
    deleted whatever their state, also one queued and one cut off while running."""
    data = tmp_path / "shared-data"
    a = make_server(data, BUDGETPACK_WORKERS="1")
    with (data / "slots" / "0").open("a") as slot:
        fcntl.flock(slot, fcntl.LOCK_EX)  # nothing runs: every job stays queued
        orphan, stale_queued, stale_running = (submit(a, DOCX).json()["id"] for _ in range(3))
        a.stop(signal.SIGKILL)
    markers = {m.name.partition("-")[2]: m for m in (data / "queue").iterdir()}
    markers[orphan].unlink()
    markers[stale_running].rename(data / "running" / stale_running)
    status_file = data / "jobs" / stale_running / "status.json"
    status = json.loads(status_file.read_text(encoding="utf-8"))
    status.update(status="running", attempts=1)
    status_file.write_text(json.dumps(status), encoding="utf-8")
    now = time.time()
    for job_id, age in [(orphan, 600), (stale_queued, 7200), (stale_running, 7200)]:
        os.utime(data / "jobs" / job_id / "status.json", (now - age, now - age))

    b = make_server(data, BUDGETPACK_WORKERS="1", BUDGETPACK_JOB_TTL="3600")
    job = wait_job(b, orphan, timeout=120)
    assert job["status"] == "succeeded", job
    for job_id in (stale_queued, stale_running):
        assert_problem(requests.get(f"{b.url}/api/v1/jobs/{job_id}", timeout=10), 404, "not-found")
        assert not (data / "jobs" / job_id).exists()
    assert not list((data / "queue").iterdir()) and not list((data / "running").iterdir())


def test_waiting_sync_conversions_are_bounded_so_health_and_polling_are_served(make_server) -> None:
    """Four gunicorn threads, BUDGETPACK_MAX_SYNC=2: two synchronous conversions wait on the only
    conversion slot, held by another process. Further ones are refused as busy at once; without
    the bound they would take the last threads and /healthz and job polling would wait behind them."""
    s = make_server(threads=4, BUDGETPACK_MAX_SYNC="2", BUDGETPACK_WORKERS="1", BUDGETPACK_TIMEOUT="60")
    with (s.data_dir / "slots" / "0").open("a") as slot, ThreadPoolExecutor(2) as waiting:
        fcntl.flock(slot, fcntl.LOCK_EX)
        held = [waiting.submit(convert, s, PDF) for _ in range(2)]
        deadline = time.time() + 30
        while len(list((s.data_dir / "queue").iterdir())) < 2:
            assert time.time() < deadline
            time.sleep(0.1)
        started = time.monotonic()
        with ThreadPoolExecutor(4) as extra:
            refused = list(extra.map(lambda _: convert(s, PDF), range(4)))
            health = extra.submit(requests.get, s.url + "/healthz", timeout=10)
            waiting_jobs = [m.name.partition("-")[2] for m in (s.data_dir / "queue").iterdir()]
            polled = list(extra.map(lambda j: requests.get(f"{s.url}/api/v1/jobs/{j}", timeout=10), waiting_jobs))
            assert health.result().json() == {"status": "ok"}
        assert time.monotonic() - started < 15
        for r in refused:
            p = assert_problem(r, 503, "busy", s)
            assert r.headers["Retry-After"] and "/api/v1/jobs" in p["detail"]
        assert [r.json()["status"] for r in polled] == ["queued", "queued"]
        assert submit(s, DOCX).status_code == 202  # jobs are still accepted
        fcntl.flock(slot, fcntl.LOCK_UN)
        assert [f.result().status_code for f in held] == [200, 200]


def test_a_job_whose_status_file_is_unreadable_fails_clearly_and_the_service_goes_on(make_server) -> None:
    """Status files of queued jobs damaged on disk (cut short; valid JSON that is no job's
    record): while unreadable the jobs read as not found; when their turn comes they fail
    with internal-error under a fresh record, and the next job still converts."""
    s = make_server(BUDGETPACK_WORKERS="1")
    with (s.data_dir / "slots" / "0").open("a") as slot:
        fcntl.flock(slot, fcntl.LOCK_EX)  # nothing runs until the records are damaged
        damaged = {submit(s, DOCX).json()["id"]: b'{"id": "cut sh', submit(s, DOCX).json()["id"]: b"[]"}
        for job_id, content in damaged.items():
            (s.data_dir / "jobs" / job_id / "status.json").write_bytes(content)
            assert_problem(requests.get(f"{s.url}/api/v1/jobs/{job_id}", timeout=10), 404, "not-found")
    for job_id in damaged:
        deadline = time.time() + 60
        while (r := requests.get(f"{s.url}/api/v1/jobs/{job_id}", timeout=10)).status_code == 404:
            assert time.time() < deadline, f"job {job_id} was never failed"
            time.sleep(0.2)
        job = r.json()
        assert job["status"] == "failed" and job["error"]["code"] == "internal-error", job
        assert "submit it again" in job["error"]["detail"]
        assert not (s.data_dir / "jobs" / job_id / "input").exists()
    assert wait_job(s, submit(s, DOCX).json()["id"], timeout=120)["status"] == "succeeded"
    assert "dispatcher error" not in s.log.read_text(errors="replace")
