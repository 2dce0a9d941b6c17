"""Running one job: the seam every queue shares.

A queue decides *when* and *where* a job runs (the embedded file queue in the web
process, RQ workers on any machine); what running it means is here, once: mark it
running, convert in the limited child (service.executor), put the package in place
and record the end. Both queues call :func:`run_job` after they have claimed a job
(holding its lock), and :func:`requeue_or_fail` when they find a job whose runner
died, so a job's states, attempts and error codes are the same whichever queue ran it.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Protocol

from .executor import Limits, run_conversion
from .jobs import now
from .problems import problem

log = logging.getLogger(__name__)

#: Runs a job may start: a job whose runner died is run once more, then failed.
MAX_ATTEMPTS = 2
LOST_RECORD = (
    "The service lost this job's record before it could convert the document. This is not a fault of "
    "your document; please submit it again."
)
RUNNER_FAILED = (
    "The service failed while running this job. This is not a fault of your document; please submit "
    "it again, and tell the operator if it happens again."
)
UPLOAD_LOST = (
    "The service stopped while accepting this document, before it was queued, and the upload was lost. "
    "Please submit it again."
)
RUNNER_LOST_TWICE = (
    "The service restarted while converting this document, twice. It was not tried again; please "
    "check the document, and tell the operator."
)


class JobStore(Protocol):
    """Where jobs are kept: their status records and their files (service.jobs.FileJobStore)."""

    def load(self, job_id: str) -> dict | None:
        """The job's status record; None if unknown or unreadable."""

    def save(self, status: dict) -> None:
        """Replace the job's status record as a whole."""

    def finish(self, status: dict, *, error: dict | None = None, resources: list[dict] | None = None) -> dict:
        """Record the end of a job (failed with ``error``, else succeeded) and drop its upload."""

    def recovered(self, job_id: str) -> dict:
        """A fresh queued record for a job whose record cannot be read; OSError if the job is gone."""

    def input(self, job_id: str) -> Path:
        """The uploaded document."""

    def work(self, job_id: str) -> Path:
        """A scratch folder for one run, emptied before and after it."""

    def publish(self, job_id: str, work: Path) -> list[dict]:
        """Put the package a run left in ``work`` in place; its resources (name, title, file names)."""


def run_job(store: JobStore, job_id: str, limits: Limits) -> dict | None:
    """Convert one claimed job and record its end; the ended job's status, to notify, or None.

    A job whose record cannot be read is failed with a fresh record (or, if even that
    cannot be written, left to read as not found); one that is no longer queued (a
    stray second claim) is not run again. Nothing raises: a queue's loop goes on.
    """
    try:
        status = store.load(job_id)
        if status is None:
            log.error("job %s: its status file cannot be read; failing it", job_id)
            return fail(store, store.recovered(job_id), LOST_RECORD)
        if status["status"] != "queued":
            log.warning("job %s was claimed while %s; not run again", job_id, status["status"])
            return None
        _convert(store, status, limits)
        return status
    except Exception:
        log.exception("job %s could not be run or failed", job_id)
        return None


def _convert(store: JobStore, status: dict, limits: Limits) -> None:
    job_id = status["id"]
    work = store.work(job_id)
    try:
        status.update(status="running", started=now(), attempts=status.get("attempts", 0) + 1)
        store.save(status)
        shutil.rmtree(work, ignore_errors=True)
        outcome = run_conversion(store.input(job_id), work, limits, status.get("filename"))
        if outcome.ok:
            store.finish(status, resources=store.publish(job_id, work))
        else:
            store.finish(status, error=problem(outcome.code, outcome.detail))
    except Exception:
        log.exception("job %s could not be run", job_id)
        fail(store, status, RUNNER_FAILED)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def requeue_or_fail(store: JobStore, status: dict) -> bool:
    """A job whose runner died mid-run: back to queued if it may run again (True), else failed.

    The caller holds the job's lock, so no runner is converting it, and puts it back
    on its queue when this says True. A document that brought the service down
    :data:`MAX_ATTEMPTS` times is not tried again.
    """
    if status.get("attempts", 0) < MAX_ATTEMPTS:
        requeue(store, status)
        return True
    log.warning("failing job %s: its runner stopped %d times", status["id"], status["attempts"])
    fail(store, status, RUNNER_LOST_TWICE)
    shutil.rmtree(store.work(status["id"]), ignore_errors=True)
    return False


def requeue(store: JobStore, status: dict) -> None:
    """Record a job whose runner died as queued again (its attempts stay counted)."""
    log.warning("re-queueing job %s: its runner stopped", status["id"])
    status.update(status="queued", started=None)
    store.save(status)


def fail(store: JobStore, status: dict, detail: str) -> dict:
    """Record the job as failed with ``internal-error``; if even that cannot be written, log it and go on."""
    try:
        store.finish(status, error=problem("internal-error", detail))
    except OSError:
        log.exception("the failure of job %s could not be recorded", status["id"])
    return status
