"""The job queue on Redis with RQ: web processes enqueue, ``budgetpack worker`` processes convert.

Chosen with ``BUDGETPACK_QUEUE=redis://host:port/db``. RQ (rather than Celery) because
the work is one kind of task on one queue: RQ's queue, per-job retries, worker
heartbeats and its registry of started jobs are exactly what the embedded queue does
with files, with nothing else to configure. Every machine reaches the same Redis and
mounts the same ``BUDGETPACK_DATA_DIR``; job records and packages stay files there
(service.jobs), RQ carries only job ids, so the HTTP API reads jobs as it always did
and a web restart loses nothing.

One RQ job per budgetpack job, under the same id. A worker forks a work horse per job
(RQ's default), which runs :func:`convert_job`: the job's lock, then
:func:`service.jobrun.run_job`, whose limited child converts as on one machine. The
horse dies with its worker (``PR_SET_PDEATHSIG``), and the child with the horse, so a
killed worker leaves nothing converting. A worker that stops (SIGKILL, machine gone)
stops its heartbeat; the web process's sweeper then hands the job to RQ's own
abandoned-job handling (:meth:`StartedJobRegistry.cleanup`), which calls
:func:`runner_lost` and, because jobs are enqueued with one retry, queues it once more;
the second time it is failed with ``internal-error``, as the embedded queue does.
The same sweeper expires jobs past ``BUDGETPACK_JOB_TTL`` and queues jobs that a web
process recorded but died before enqueueing (:meth:`RedisQueue.reconcile`).
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import threading
import time

from redis import Redis
from rq import Callback, Queue, Retry, Worker
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry
from rq.timeouts import TimerDeathPenalty

from .callbacks import deliver, notify
from .config import Config
from .executor import Limits
from .jobrun import MAX_ATTEMPTS, RUNNER_LOST_TWICE, UPLOAD_LOST, fail, requeue, requeue_or_fail, run_job
from .jobs import TERMINAL, FileJobStore, try_lock
from .problems import problem
from .queue import ORPHAN_GRACE
from .views import job_view

log = logging.getLogger(__name__)

QUEUE_NAME = "budgetpack"
#: Seconds between a busy worker's heartbeats (RQ's ``job_monitoring_interval``).
HEARTBEAT_SECONDS = 2
#: Seconds without a heartbeat after which a job's worker is taken for dead.
LOST_AFTER = 10
#: RQ keeps a started job's entry this many seconds past its heartbeat's interval
#: before its own cleanup calls the job abandoned; the sweeper looks that far ahead
#: less :data:`LOST_AFTER`, so a dead worker is noticed in seconds, not minutes.
RQ_HEARTBEAT_MARGIN = 60
#: Seconds between the sweeper's looks for abandoned jobs.
REAP_SECONDS = 2
#: Seconds between expiries of jobs older than ``BUDGETPACK_JOB_TTL``.
SWEEP_SECONDS = 30
#: RQ's own time limit on a job, beyond the conversion's: the executor always ends first.
JOB_GRACE = 60
#: States in which RQ will still run a job, or its worker is still watched by :meth:`RedisQueue.reap`.
RQ_HOLDS = (JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED)


class RedisQueue:
    """The web side: enqueue, count waiting jobs, and sweep (expiry, abandoned jobs)."""

    def __init__(self, store: FileJobStore, config: Config) -> None:
        self.store = store
        self.config = config
        # No warm conversion processes (Limits.warm_jobs): RQ forks a work horse per job,
        # and a process kept by the horse would die with it.
        self.limits = Limits(timeout=config.timeout, max_pages=config.max_pages, memory_mb=config.max_memory_mb)
        self.redis = Redis.from_url(config.queue_url)
        self.rq = Queue(QUEUE_NAME, connection=self.redis)
        self._started_pid: int | None = None
        self._start_lock = threading.Lock()

    def submit(self, job_id: str) -> None:
        self.rq.enqueue(
            convert_job,
            job_id,
            self.limits,
            job_id=job_id,
            job_timeout=self.limits.timeout + JOB_GRACE,
            retry=Retry(max=MAX_ATTEMPTS - 1),
            on_failure=Callback(runner_lost),
            result_ttl=self.config.job_ttl,
            failure_ttl=self.config.job_ttl,
        )

    def pending(self) -> int:
        return self.rq.count

    def start(self) -> None:
        with self._start_lock:
            if self._started_pid == os.getpid():
                return
            self._started_pid = os.getpid()
        threading.Thread(target=self._sweep, name="budgetpack-sweep", daemon=True).start()

    def _sweep(self) -> None:
        expired_at = float("-inf")
        while True:
            try:
                if time.monotonic() - expired_at >= min(SWEEP_SECONDS, self.config.job_ttl):
                    expired_at = time.monotonic()
                    self.store.expire(self.config.job_ttl)
                    self.forget_expired()
                    self.reconcile()
                self.reap()
            except Exception:
                log.exception("sweeper error")
            time.sleep(REAP_SECONDS)

    def reap(self) -> None:
        """Hand jobs whose worker sent no heartbeat for :data:`LOST_AFTER` seconds to RQ's abandoned-job cleanup.

        One sweeper at a time across all web processes (a short Redis lock), so no
        abandoned job is retried twice.
        """
        lock = self.redis.lock("budgetpack:reaper", timeout=REAP_SECONDS * 10, blocking=False)
        if not lock.acquire():
            return
        try:
            registry = StartedJobRegistry(queue=self.rq, death_penalty_class=TimerDeathPenalty)
            registry.cleanup(timestamp=time.time() + RQ_HEARTBEAT_MARGIN - LOST_AFTER)
        finally:
            lock.release()

    def forget_expired(self) -> None:
        """Take jobs that expired while waiting out of RQ's queue, so they no longer count as waiting (``busy``)."""
        for job_id in self.rq.get_job_ids():
            if self.store.dir(job_id) is None:
                rq_job = self.rq.fetch_job(job_id)
                if rq_job is not None:
                    rq_job.delete()
                else:
                    self.rq.remove(job_id)

    def reconcile(self) -> None:
        """Queue or fail jobs that are waiting or running in the store but that RQ no longer holds.

        A web process that died between recording a job and enqueueing it left it
        queued without an RQ job: it is enqueued once :data:`ORPHAN_GRACE` seconds old
        (younger ones may be between the two in a live process). One RQ stopped
        without calling :func:`runner_lost` (a work horse killed under a live worker,
        its retry used) is re-run once or failed, as any job whose runner died.
        """
        for job_id, job_dir, status in self.store.unchanged_for(ORPHAN_GRACE):
            if status["status"] in TERMINAL:
                continue
            try:
                rq_job = self.rq.fetch_job(job_id)
                if rq_job is not None and rq_job.get_status() in RQ_HOLDS:
                    continue
                with open(job_dir / "lock", "a") as lock:
                    if not try_lock(lock):
                        continue
                    status = self.store.load(job_id)
                    if status is None or status["status"] in TERMINAL:
                        continue
                    if status["status"] == "running" and requeue_or_fail(self.store, status):
                        self.submit(job_id)
                        continue
                    if status["status"] == "queued" and self.store.input(job_id).is_file():
                        log.warning("queueing job %s: it was recorded but never reached the queue", job_id)
                        self.submit(job_id)
                        continue
                    if status["status"] == "queued":
                        log.warning("failing job %s: it was never queued and its upload is gone", job_id)
                        self.store.finish(status, error=problem("internal-error", UPLOAD_LOST))
                if status.get("callback"):
                    notify(status["callback"], job_view(status))
            except OSError:  # expired meanwhile
                continue


def convert_job(job_id: str, limits: Limits) -> None:
    """The RQ task, run in a work horse: convert one job on the data dir this machine mounts."""
    _die_with_worker()
    store = FileJobStore(Config.from_env().data_dir)
    job_dir = store.dir(job_id)
    if job_dir is None:
        log.warning("job %s is gone (expired, or its upload was never recorded); nothing to run", job_id)
        return
    try:
        lock = open(job_dir / "lock", "a")
    except OSError:  # expired meanwhile
        return
    with lock:
        if not try_lock(lock):
            log.warning("job %s is held by another runner; not run again", job_id)
            return
        status = store.load(job_id)
        if status is not None and status["status"] == "running":
            # Its last runner died without RQ calling runner_lost (a work horse killed
            # under a live worker): RQ retried it, so it may run once more.
            requeue(store, status)
        ended = run_job(store, job_id, limits)
    if ended is not None and ended.get("callback"):
        deliver(ended["callback"], job_view(ended))  # now: the work horse exits when this returns


def runner_lost(job: Job, connection: Redis, *exc_info: object) -> None:
    """RQ's failure callback, called when a job's run ended without :func:`convert_job` returning.

    Mostly from the sweeper's :meth:`RedisQueue.reap` (the worker died). With a retry
    left RQ queues the job again, so its record goes back to queued; without one it
    is failed with ``internal-error`` and its client called back.
    """
    store = FileJobStore(Config.from_env().data_dir)
    job_dir = store.dir(job.id)
    if job_dir is None:
        return
    with open(job_dir / "lock", "a") as lock:
        if not try_lock(lock):  # a runner holds it after all, and records the end itself
            return
        status = store.load(job.id)
        if status is None or status["status"] in TERMINAL:
            return
        if job.retries_left:
            if status["status"] == "running":
                requeue(store, status)
            return
        log.warning("failing job %s: its worker stopped %d times", job.id, MAX_ATTEMPTS)
        fail(store, status, RUNNER_LOST_TWICE)
    if status.get("callback"):
        notify(status["callback"], job_view(status))


def _die_with_worker() -> None:
    """Have the kernel kill this work horse when its worker dies, as the conversion child dies with it.

    RQ puts the horse in its own process group, so a worker killed outright would
    otherwise leave it converting a job that RQ is about to give to another worker.
    A worker that dies before this call leaves the horse to finish: harmless, since
    the horse holds the job's lock and the job's next runner then leaves it alone.
    """
    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


def work(config: Config, name: str | None = None) -> None:
    """Run one RQ worker (one conversion at a time) until it is told to stop (SIGTERM: after its job)."""
    redis = Redis.from_url(config.queue_url)
    worker = Worker(
        [Queue(QUEUE_NAME, connection=redis)], connection=redis, name=name, job_monitoring_interval=HEARTBEAT_SECONDS
    )
    worker.work(logging_level="INFO")
