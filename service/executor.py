"""Run one conversion in a limited child process and say how it ended.

A hostile document can make a parser loop, allocate without end or crash in C code.
None of that may reach the web process, so every conversion runs in
``python -m service.runner`` (a fresh interpreter: no inherited locks or threads)
with an address-space limit, a CPU-seconds limit and a wall-clock limit enforced
here; the process group is killed when time is up.

Starting that interpreter and importing the stack costs about a second, so a queue
that runs many jobs keeps its processes warm (:attr:`Limits.warm_jobs`): each thread
that converts keeps one started process, which imports the stack while no job waits,
and runs its next conversion. A process is used again only after a conversion that
ended in an answer and left it small; after a crash, a timeout, a memory limit hit, an
internal error or ``warm_jobs`` conversions it is ended and a fresh one started in its
place. The kernel kills a process whose starting thread ends (``PR_SET_PDEATHSIG``), so
only long-lived threads (a queue's dispatchers) should keep one.
"""

from __future__ import annotations

import json
import logging
import os
import select
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

#: The folder that holds the ``service`` and ``converters`` packages, so the child
#: imports the same code as the parent whether or not the project is installed.
_PROJECT_ROOT = str(Path(__file__).resolve().parent.parent)
#: Share of the address-space limit a warm process may keep resident after a job and
#: still run the next: a heap grown by one large document is not carried into the next.
REUSE_MEMORY_SHARE = 0.5
#: Outcomes after which a process is not used again: it hit a limit or failed in our code.
RETIRE_CODES = frozenset({"too-complex", "internal-error", "timeout"})


@dataclass(frozen=True)
class Limits:
    timeout: int
    max_pages: int
    memory_mb: int
    max_output_bytes: int = 1024 * 1024 * 1024
    #: Conversions one pre-started process runs before a fresh one replaces it; 0 starts
    #: a process for each conversion when the conversion comes (no warm process).
    warm_jobs: int = 0


@dataclass
class Outcome:
    ok: bool
    code: str | None = None
    detail: str | None = None
    resource_names: list[str] = field(default_factory=list)


#: Return codes of a child that crashed in a reader: the document's structure broke it.
CRASH_SIGNALS = {-signal.SIGSEGV, -signal.SIGBUS, -signal.SIGILL, -signal.SIGFPE}

_local = threading.local()


@dataclass
class ConversionProcess:
    """One started ``service.runner`` and the conversions it has run."""

    proc: subprocess.Popen
    limits: Limits
    jobs: int = 0

    @classmethod
    def start(cls, limits: Limits) -> ConversionProcess:
        # A CPU budget for the process's life: each job's own limit is set inside it.
        lifetime = max(1, limits.warm_jobs) * (limits.timeout + 5) + 60
        cmd = [
            sys.executable,
            "-m",
            "service.runner",
            f"--memory-mb={limits.memory_mb}",
            f"--cpu-seconds={lifetime}",
            f"--max-file-bytes={limits.max_output_bytes}",
        ]
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [_PROJECT_ROOT, os.environ.get("PYTHONPATH")])))
        proc = subprocess.Popen(
            cmd, cwd="/", env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0, start_new_session=True
        )
        return cls(proc, limits)

    def run(self, job: dict, deadline: float) -> tuple[Outcome, bool]:
        """Run one job; its outcome, and whether this process may run another."""
        self.jobs += 1
        work = Path(job["work"])
        try:
            self.proc.stdin.write(json.dumps(job, ensure_ascii=False).encode() + b"\n")
        except BrokenPipeError:  # it died before the job came; how is said by its return code
            pass
        answered = self._answer(deadline)
        if answered is None:
            return _timeout(self.limits), False
        if not answered:
            return _ended(self.proc.wait(), self.limits), False
        result = _result(work)
        if result is None:
            return Outcome(False, "internal-error", NO_RESULT), False
        outcome = Outcome(result["ok"], result.get("code"), result.get("detail"), result.get("resource_names", []))
        return outcome, outcome.code not in RETIRE_CODES and self.jobs < self.limits.warm_jobs and self._small()

    def _answer(self, deadline: float) -> bool | None:
        """True when the process answered, False when it ended first, None when time ran out."""
        fd = self.proc.stdout.fileno()
        while (left := deadline - time.monotonic()) > 0:
            if not select.select([fd], [], [], left)[0]:
                continue
            chunk = os.read(fd, 64)
            if not chunk:
                return False
            if chunk.endswith(b"\n"):
                return True
        return None

    def _small(self) -> bool:
        """Resident memory still under :data:`REUSE_MEMORY_SHARE` of the address-space limit."""
        try:
            resident = int(Path(f"/proc/{self.proc.pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGESIZE")
        except (OSError, ValueError, IndexError):
            return False
        return resident < REUSE_MEMORY_SHARE * self.limits.memory_mb * 2**20

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        """End the process and anything it started, now; it holds nothing worth a graceful exit."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            pipe.close()


def prestart(limits: Limits) -> None:
    """Start this thread's warm process now, so its first conversion finds the stack imported."""
    if limits.warm_jobs and getattr(_local, "process", None) is None:
        try:
            _local.process = ConversionProcess.start(limits)
        except OSError:  # no process now (out of pids, say): the next conversion starts its own
            log.exception("a warm conversion process could not be started")


def run_conversion(source: Path, work: Path, limits: Limits, original_name: str | None = None) -> Outcome:
    """Convert ``source`` into ``work/package`` and ``work/package.zip``."""
    deadline = time.monotonic() + limits.timeout
    work.mkdir(parents=True, exist_ok=True)
    process = _take(limits)
    # The upload's name is the client's text: it travels as a JSON string, never as an option.
    job = {
        "source": str(source),
        "work": str(work),
        "original_name": original_name,
        "max_pages": limits.max_pages,
        "cpu_seconds": limits.timeout,
    }
    outcome, reusable = process.run(job, deadline)
    if not reusable:
        process.kill()
        _local.process = None
        prestart(limits)
    return outcome


def _take(limits: Limits) -> ConversionProcess:
    """This thread's warm process if it is alive and has these limits, else a new one."""
    process: ConversionProcess | None = getattr(_local, "process", None)
    if process is not None and (process.limits != limits or not process.alive()):
        process.kill()
        process = None
    if process is None:
        process = ConversionProcess.start(limits)
    _local.process = process if limits.warm_jobs else None
    return process


def _result(work: Path) -> dict | None:
    try:
        return json.loads((work / "result.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


NO_RESULT = (
    "The converter failed to start. This is a fault of the service, not of your document; please try "
    "again later or tell the operator."
)


def _ended(rc: int, limits: Limits) -> Outcome:
    """The outcome of a process that ended before it answered, from how it ended."""
    if rc == -signal.SIGXCPU:
        return _timeout(limits)
    if rc == -signal.SIGKILL:
        # Not the wall-clock kill above: the kernel's out-of-memory killer is what
        # ends a process that way on its own.
        log.warning("conversion child was killed (SIGKILL), most likely by the out-of-memory killer")
        return Outcome(
            False,
            "too-complex",
            (
                "The conversion was stopped by the system because the machine ran short of memory while "
                f"converting this document. {memory_advice(limits.memory_mb)}"
            ),
        )
    if rc in CRASH_SIGNALS:
        log.warning("conversion child crashed with signal %s", -rc)
        return Outcome(
            False,
            "corrupt-document",
            (
                "The reader crashed on this document: its structure is probably damaged. If the file opens "
                "normally in a viewer, please report it."
            ),
        )
    if rc == -signal.SIGABRT:
        # Under the address-space limit a failed allocation in a C reader ends it with
        # an abort (pdfium's, for instance) rather than Python's MemoryError.
        log.warning("conversion child aborted (SIGABRT)")
        return Outcome(
            False,
            "too-complex",
            (
                "The reader stopped abruptly while converting this document, most likely because it needed more "
                f"than the {limits.memory_mb} MB of memory this service allows per conversion. "
                f"{memory_advice(limits.memory_mb)}"
            ),
        )
    if rc < 0:
        log.error("conversion child was stopped by signal %s", -rc)
        return Outcome(
            False,
            "internal-error",
            "The conversion was interrupted by the service's machine. This is "
            "not a fault of your document; please try again later.",
        )
    log.error("conversion child exited with status %s without a result", rc)
    return Outcome(False, "internal-error", NO_RESULT)


def memory_advice(memory_mb: int) -> str:
    """What a client (and an operator) can do about a document that needs too much memory."""
    return (
        f"A conversion may use {memory_mb} MB (BUDGETPACK_MAX_MEMORY_MB); real disclosures need far less, "
        "so the file may be malformed or unusually large. If it is a genuine disclosure, ask the operator "
        "to raise the limit."
    )


def _timeout(limits: Limits) -> Outcome:
    return Outcome(
        False,
        "timeout",
        (
            f"The conversion did not finish within {limits.timeout} seconds and was stopped. Real disclosures "
            "convert in well under a minute; the file may be malformed, or much larger than usual."
        ),
    )
