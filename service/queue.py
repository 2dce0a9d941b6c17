"""The job queue: the interface the web layer uses, its factory, and the embedded default.

The web layer only calls :meth:`JobQueue.submit`, :meth:`JobQueue.pending` and
:meth:`JobQueue.start`; job state lives in the :class:`~service.jobs.FileJobStore`,
and running a claimed job is :func:`service.jobrun.run_job`, whichever queue claims
it. :func:`make_queue` picks the queue: this embedded one by default, the RQ queue
(service.redis_queue, workers on any number of machines) when ``BUDGETPACK_QUEUE``
names a Redis server.

The embedded queue keeps everything in ``DATA_DIR`` so that it survives restarts and
works across several gunicorn worker processes without a broker:

* ``queue/<ns-time>-<id>``: an empty marker per waiting job, oldest first.
* ``running/<id>``: the marker moves here (an atomic rename: one claimer wins) while
  a dispatcher holds the flock on ``jobs/<id>/lock``.
* ``slots/<k>``: at most ``BUDGETPACK_WORKERS`` conversions run at once machine-wide;
  a dispatcher holds the flock on one slot file while it converts.

Locks held with flock() vanish when their process dies, so a marker in ``running/``
whose lock is free belongs to a runner that crashed or was restarted: the sweeper
re-queues it once, and fails it clearly the second time (a document that brings the
service down twice is not tried a third time). A job recorded as queued with no marker
at all was created by a process that died before queueing it; the sweeper queues it
once it is :data:`ORPHAN_GRACE` seconds old (younger ones may be between
``JobStore.create`` and :meth:`EmbeddedQueue.submit` in a live process). The sweeper
runs when a process starts and every :data:`SWEEP_SECONDS`, first expiring every job
older than ``BUDGETPACK_JOB_TTL`` whatever its state.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from typing import IO, Protocol

from .config import Config
from .executor import Limits, prestart
from .jobrun import LOST_RECORD, UPLOAD_LOST, fail, requeue_or_fail, run_job
from .jobs import FileJobStore, try_lock
from .problems import problem

log = logging.getLogger(__name__)

POLL_SECONDS = 0.2
SWEEP_SECONDS = 30
#: Seconds a job may be recorded as queued without a marker before the sweeper queues it.
ORPHAN_GRACE = 60


class JobQueue(Protocol):
    def submit(self, job_id: str) -> None:
        """Queue a job already recorded in the store as ``queued``."""

    def pending(self) -> int:
        """How many jobs wait for a worker (for the ``busy`` refusal)."""

    def start(self) -> None:
        """Start consuming in this process (idempotent; called after gunicorn forks)."""


def make_queue(store: FileJobStore, config: Config, on_finish: Callable[[dict], None]) -> JobQueue:
    """The queue ``config`` asks for: RQ on ``BUDGETPACK_QUEUE``'s Redis, else the embedded one.

    ``on_finish`` is called in this process with each job that ended here; RQ workers
    notify from their own processes (service.redis_queue).
    """
    if config.queue_url:
        from .redis_queue import RedisQueue  # only a service that uses Redis needs rq installed and imported

        return RedisQueue(store, config)
    return EmbeddedQueue(store, config, on_finish=on_finish)


class EmbeddedQueue:
    def __init__(self, store: FileJobStore, config: Config, on_finish: Callable[[dict], None] | None = None) -> None:
        self.store = store
        self.config = config
        self.on_finish = on_finish
        self.limits = Limits(
            timeout=config.timeout,
            max_pages=config.max_pages,
            memory_mb=config.max_memory_mb,
            warm_jobs=config.warm_jobs,
        )
        self.queue_dir = store.root / "queue"
        self.running_dir = store.root / "running"
        self.slots_dir = store.root / "slots"
        for d in (self.queue_dir, self.running_dir, self.slots_dir):
            d.mkdir(parents=True, exist_ok=True)
        self._started_pid: int | None = None
        self._start_lock = threading.Lock()

    def submit(self, job_id: str) -> None:
        (self.queue_dir / f"{time.time_ns():020d}-{job_id}").touch()

    def pending(self) -> int:
        return len(os.listdir(self.queue_dir))

    def start(self) -> None:
        with self._start_lock:
            if self._started_pid == os.getpid():
                return
            self._started_pid = os.getpid()
        self._sweep_once()  # before dispatching, so no job past its TTL or left behind by a crash is run as is
        for i in range(self.config.workers):
            threading.Thread(target=self._dispatch, name=f"budgetpack-dispatch-{i}", daemon=True).start()
        threading.Thread(target=self._sweep, name="budgetpack-sweep", daemon=True).start()

    # -- dispatching -------------------------------------------------------------

    def _dispatch(self) -> None:
        """Take a slot, claim a job, run it; forever. The thread keeps its warm conversion
        process (service.executor) from one job to the next, started before the first."""
        prestart(self.limits)
        while True:
            ran = False
            try:
                slot = self._take_slot()
                if slot is not None:
                    with slot:
                        claimed = self._claim()
                        if claimed is not None:
                            self.run_job(*claimed)
                            ran = True
            except Exception:
                log.exception("dispatcher error")
            if not ran:
                time.sleep(POLL_SECONDS)

    def _take_slot(self) -> IO | None:
        for k in range(self.config.workers):
            f = open(self.slots_dir / str(k), "a")
            if try_lock(f):
                return f
            f.close()
        return None

    def _claim(self) -> tuple[str, IO] | None:
        for marker in sorted(os.listdir(self.queue_dir)):
            job_id = marker.partition("-")[2]
            job_dir = self.store.dir(job_id)
            if job_dir is None:  # expired or never fully created
                (self.queue_dir / marker).unlink(missing_ok=True)
                continue
            try:
                lock = open(job_dir / "lock", "a")
            except OSError:  # expired meanwhile
                continue
            if not try_lock(lock):
                lock.close()
                continue
            try:
                os.rename(self.queue_dir / marker, self.running_dir / job_id)
            except FileNotFoundError:  # another dispatcher won the race
                lock.close()
                continue
            return job_id, lock

    def run_job(self, job_id: str, lock: IO) -> None:
        """Run one claimed job (:func:`service.jobrun.run_job`), release it, then notify."""
        try:
            status = run_job(self.store, job_id, self.limits)
        finally:
            (self.running_dir / job_id).unlink(missing_ok=True)
            lock.close()
        if status is not None and self.on_finish:
            self.on_finish(status)

    # -- recovery and expiry -----------------------------------------------------

    def _sweep(self) -> None:
        while True:
            time.sleep(min(SWEEP_SECONDS, self.config.job_ttl))
            self._sweep_once()

    def _sweep_once(self) -> None:
        try:
            self.store.expire(self.config.job_ttl)
            self._recover()
            self._queue_orphans()
        except Exception:
            log.exception("sweeper error")

    def _queue_orphans(self) -> None:
        """Queue jobs recorded as queued, at least :data:`ORPHAN_GRACE` seconds old, that have no marker."""
        for job_id, job_dir, status in self.store.unchanged_for(ORPHAN_GRACE):
            if status["status"] != "queued":
                continue
            try:
                with open(job_dir / "lock", "a") as lock:
                    # Under the lock no dispatcher can claim the job, so the markers cannot move.
                    if not try_lock(lock) or self._has_marker(job_id):
                        continue
                    status = self.store.load(job_id)
                    if status is None or status["status"] != "queued":
                        continue
                    if (job_dir / "input").is_file():
                        log.warning("queueing job %s: the process that created it stopped before queueing it", job_id)
                        self.submit(job_id)
                        continue
                    log.warning("failing job %s: it was never queued and its upload is gone", job_id)
                    self.store.finish(status, error=problem("internal-error", UPLOAD_LOST))
                if self.on_finish:
                    self.on_finish(status)
            except OSError:  # expired meanwhile
                continue

    def _has_marker(self, job_id: str) -> bool:
        suffix = f"-{job_id}"
        return (self.running_dir / job_id).exists() or any(m.endswith(suffix) for m in os.listdir(self.queue_dir))

    def _recover(self) -> None:
        """Re-queue (once) or fail jobs whose runner died: their lock is free but their marker remains."""
        for job_id in os.listdir(self.running_dir):
            job_dir = self.store.dir(job_id)
            if job_dir is None:
                (self.running_dir / job_id).unlink(missing_ok=True)
                continue
            with open(job_dir / "lock", "a") as lock:
                if not try_lock(lock) or not (self.running_dir / job_id).exists():
                    continue
                status = self.store.load(job_id)
                if status is None:
                    log.error("job %s: its runner stopped and its status file cannot be read; failing it", job_id)
                    status = fail(self.store, self.store.recovered(job_id), LOST_RECORD)
                elif requeue_or_fail(self.store, status):
                    os.rename(self.running_dir / job_id, self.queue_dir / f"{time.time_ns():020d}-{job_id}")
                    continue
                (self.running_dir / job_id).unlink(missing_ok=True)
                shutil.rmtree(job_dir / "work", ignore_errors=True)
                if self.on_finish:
                    self.on_finish(status)
