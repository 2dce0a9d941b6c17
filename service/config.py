"""Service settings, read once from ``BUDGETPACK_*`` environment variables.

Every setting has a default that works out of the box on one machine, so
``gunicorn 'service.app:create_app()'`` serves without any configuration.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


def cpu_count() -> int:
    """CPUs this process may run on (its affinity mask, e.g. a container's cpuset), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Config:
    data_dir: Path = Path("data")
    max_bytes: int = 50 * 1024 * 1024
    max_pages: int = 500
    timeout: int = 300
    #: Conversions at once on this machine. A conversion is a CPU-bound child process and
    #: the web process only waits on it, so one per CPU keeps every core busy without
    #: oversubscribing; set BUDGETPACK_WORKERS lower to leave CPUs for other work.
    workers: int = cpu_count()
    job_ttl: int = 24 * 3600
    api_key: str | None = None
    max_queue: int = 50
    #: Synchronous conversions one process lets wait at once: each holds a gunicorn thread
    #: until its job ends, so this must stay below gunicorn's --threads (16 in the Procfile)
    #: for health checks, job polling and uploads to find a thread.
    max_sync: int = 8
    max_memory_mb: int = 2048
    #: Conversions one warm process (started ahead, the stack imported) runs before a fresh
    #: one replaces it; 0 starts a process for each conversion when it comes.
    warm_jobs: int = 50
    callback_hosts: frozenset[str] = frozenset()
    #: ``redis://host:port/db``: jobs go to RQ workers (``budgetpack worker``) instead of this process.
    queue_url: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Config:
        """Build from the environment; a malformed number stops the start with a clear message."""

        def num(name: str, default: int, minimum: int) -> int:
            raw = env.get(name, "").strip()
            if not raw:
                return default
            try:
                value = int(raw)
            except ValueError:
                raise ValueError(f"{name} must be an integer, got {raw!r}") from None
            if value < minimum:
                raise ValueError(f"{name} must be at least {minimum}, got {value}")
            return value

        d = cls()
        hosts = env.get("BUDGETPACK_CALLBACK_HOSTS", "")
        queue_url = env.get("BUDGETPACK_QUEUE", "").strip() or None
        if queue_url and not queue_url.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError(f"BUDGETPACK_QUEUE must be a redis://host:port/db URL, got {queue_url!r}")
        return cls(
            data_dir=Path(env.get("BUDGETPACK_DATA_DIR") or d.data_dir).resolve(),
            max_bytes=num("BUDGETPACK_MAX_BYTES", d.max_bytes, 1),
            max_pages=num("BUDGETPACK_MAX_PAGES", d.max_pages, 1),
            timeout=num("BUDGETPACK_TIMEOUT", d.timeout, 1),
            workers=num("BUDGETPACK_WORKERS", d.workers, 1),
            job_ttl=num("BUDGETPACK_JOB_TTL", d.job_ttl, 1),
            api_key=env.get("BUDGETPACK_API_KEY") or None,
            max_queue=num("BUDGETPACK_MAX_QUEUE", d.max_queue, 0),
            max_sync=num("BUDGETPACK_MAX_SYNC", d.max_sync, 1),
            max_memory_mb=num("BUDGETPACK_MAX_MEMORY_MB", d.max_memory_mb, 256),
            warm_jobs=num("BUDGETPACK_WARM_JOBS", d.warm_jobs, 0),
            callback_hosts=frozenset(h.strip().lower() for h in hosts.split(",") if h.strip()),
            queue_url=queue_url,
        )
