"""Jobs on disk: one folder per job under ``DATA_DIR/jobs/<id>/``.

::

    status.json   id, status, times, error, resources (rewritten atomically)
    input         the upload; deleted as soon as the job ends
    lock          flock()ed by whoever runs the job, so a crashed runner is visible
    package/      datapackage.json, report.json, one CSV and one Parquet per table
    package.zip

Ids are 192 random bits in URL-safe base64; an id is checked against that shape
before it touches a path, and files are served only by name from a listing of the
job's own package folder, so no id or file name reaches another file.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

ID_RE = re.compile(r"[A-Za-z0-9_-]{32}")
TERMINAL = ("succeeded", "failed")
STATES = ("queued", "running", *TERMINAL)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def try_lock(f: IO) -> bool:
    """Take the flock on ``f`` without waiting; False if another process (or file object) holds it."""
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def safe_name(name: str | None) -> str | None:
    """The upload's base name without control characters, for the report only."""
    if not name:
        return None
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(c for c in name if c.isprintable()).strip()[:200]
    return name or None


class FileJobStore:
    """Jobs as folders under ``DATA_DIR``: the :class:`~service.jobrun.JobStore` every queue uses.

    With ``DATA_DIR`` on a filesystem every machine mounts, web processes and workers
    on several machines share it.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.jobs = root / "jobs"
        self.tmp = root / "tmp"
        for d in (self.jobs, self.tmp):
            d.mkdir(parents=True, exist_ok=True)

    def dir(self, job_id: str) -> Path | None:
        """The job's folder, or None if the id is malformed or unknown."""
        if not isinstance(job_id, str) or not ID_RE.fullmatch(job_id):
            return None
        d = self.jobs / job_id
        return d if (d / "status.json").is_file() else None

    def create(self, upload: Path, original_name: str | None, callback: str | None) -> dict:
        """Move ``upload`` into a new job folder and record the job as queued."""
        job_id = secrets.token_urlsafe(24)
        d = self.jobs / job_id
        d.mkdir()
        os.replace(upload, d / "input")
        status = {
            "id": job_id,
            "status": "queued",
            "filename": safe_name(original_name),
            "created": now(),
            "started": None,
            "finished": None,
            "attempts": 0,
            "error": None,
            "resources": [],
            "callback": callback,
        }
        self.save(status)
        return status

    def load(self, job_id: str) -> dict | None:
        """The job's status record; None if the job is unknown or its record unreadable or not a job's."""
        d = self.dir(job_id)
        if d is None:
            return None
        try:
            status = json.loads((d / "status.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(status, dict) or status.get("id") != job_id or status.get("status") not in STATES:
            return None
        return status

    def recovered(self, job_id: str) -> dict:
        """A fresh record for a job whose status file cannot be read, so that it can be failed clearly.

        What the lost record held (file name, callback, times) is gone; the creation
        time is the job folder's. Raises OSError if the folder itself is gone.
        """
        created = datetime.fromtimestamp((self.jobs / job_id).stat().st_mtime, UTC)
        return {
            "id": job_id,
            "status": "queued",
            "filename": None,
            "created": created.isoformat(timespec="seconds"),
            "started": None,
            "finished": None,
            "attempts": 0,
            "error": None,
            "resources": [],
            "callback": None,
        }

    def save(self, status: dict) -> None:
        d = self.jobs / status["id"]
        tmp = d / f".status.{os.getpid()}.{secrets.token_hex(4)}"
        tmp.write_text(json.dumps(status, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, d / "status.json")

    def finish(self, status: dict, *, error: dict | None = None, resources: list[dict] | None = None) -> dict:
        """Record the end of a job and drop its upload: it is kept only as long as the job runs."""
        status.update(status="failed" if error else "succeeded", finished=now(), error=error, resources=resources or [])
        self.save(status)
        (self.jobs / status["id"] / "input").unlink(missing_ok=True)
        return status

    def input(self, job_id: str) -> Path:
        return self.jobs / job_id / "input"

    def work(self, job_id: str) -> Path:
        return self.jobs / job_id / "work"

    def publish(self, job_id: str, work: Path) -> list[dict]:
        """Move the package and its zip from ``work`` into the job's folder; its resources from its descriptor."""
        d = self.jobs / job_id
        # A run cut off after this move but before finish() left its package here.
        shutil.rmtree(d / "package", ignore_errors=True)
        os.replace(work / "package", d / "package")
        os.replace(work / "package.zip", d / "package.zip")
        descriptor = json.loads((d / "package" / "datapackage.json").read_text(encoding="utf-8"))
        return [
            {
                "name": r["name"],
                "title": r.get("title"),
                "csv": r["path"],
                "parquet": (r.get("parquet") or {}).get("path"),
            }
            for r in descriptor.get("resources", [])
            if r.get("format", "csv") == "csv"
        ]

    def file(self, job_id: str, name: str) -> Path | None:
        """A downloadable file of a finished job, looked up by exact name in its own listing."""
        d = self.dir(job_id)
        if d is None:
            return None
        if name == "package.zip":
            p = d / name
            return p if p.is_file() else None
        package = d / "package"
        try:
            names = set(os.listdir(package))
        except OSError:
            return None
        p = package / name
        return p if name in names and p.is_file() and not p.is_symlink() else None

    def delete(self, job_id: str) -> bool | None:
        """Delete a job that no runner holds: True when deleted, None if unknown, False if being converted.

        Under the job's lock no dispatcher can claim it; the folder is first renamed out
        of ``jobs/`` (atomic), so from then on the job reads as unknown, and only then
        removed. A queue marker left behind is dropped by the dispatcher, which finds no
        job for it.
        """
        d = self.dir(job_id)
        if d is None:
            return None
        try:
            with open(d / "lock", "a") as lock:
                if not try_lock(lock):
                    return False
                gone = self.tmp / f"deleted-{job_id}"
                os.replace(d, gone)
        except OSError:  # expired or deleted meanwhile
            return None
        shutil.rmtree(gone, ignore_errors=True)
        return True

    def unchanged_for(self, seconds: float) -> Iterator[tuple[str, Path, dict]]:
        """Jobs whose status has not changed for ``seconds``: id, folder and status. The
        queues' sweepers look at these only, since younger ones may be between being
        recorded and being queued in a live process."""
        cutoff = time.time() - seconds
        for job_id in os.listdir(self.jobs):
            job_dir = self.dir(job_id)
            try:
                if job_dir is None or (job_dir / "status.json").stat().st_mtime > cutoff:
                    continue
            except OSError:  # expired meanwhile
                continue
            status = self.load(job_id)
            if status is not None:
                yield job_id, job_dir, status

    def expire(self, ttl: int) -> None:
        """Delete jobs unchanged for ``ttl`` seconds, whatever their state, and stale partial uploads.

        A job whose runner holds its lock is left alone (the runner is bounded by the
        conversion time limit and records the end, which starts the count again). Any
        other job expires too: one left queued or running by a process that died must
        not stay on disk for ever. The lock is held while deleting, so no dispatcher
        claims a job half-deleted.
        """
        cutoff = time.time() - ttl
        for d in self.jobs.iterdir():
            try:
                # Without a readable status file (a create() that died half-way) the folder's time counts.
                changed = (d / "status.json").stat().st_mtime if (d / "status.json").is_file() else d.stat().st_mtime
                if changed >= cutoff:
                    continue
                with open(d / "lock", "a") as lock:
                    if try_lock(lock):
                        shutil.rmtree(d, ignore_errors=True)
            except OSError:  # removed meanwhile by another process
                continue
        for f in self.tmp.iterdir():
            try:
                if f.stat().st_mtime < time.time() - 3600:
                    f.unlink()
            except OSError:
                continue
