"""Run one conversion in a limited child process and say how it ended.

A hostile document can make a parser loop, allocate without end or crash in C code.
None of that may reach the web process, so every conversion runs in
``python -m service.runner`` (a fresh interpreter: no inherited locks or threads)
with an address-space limit, a CPU-seconds limit and a wall-clock limit enforced
here; the process group is killed when time is up.
"""
from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

#: The folder that holds the ``service`` and ``converters`` packages, so the child
#: imports the same code as the parent whether or not the project is installed.
_PROJECT_ROOT = str(Path(__file__).resolve().parent.parent)


@dataclass(frozen=True)
class Limits:
    timeout: int
    max_pages: int
    memory_mb: int
    max_output_bytes: int = 1024 * 1024 * 1024


@dataclass
class Outcome:
    ok: bool
    code: str | None = None
    detail: str | None = None
    resource_names: list[str] = field(default_factory=list)


#: Return codes of a child that crashed in a reader: the document's structure broke it.
CRASH_SIGNALS = {-signal.SIGSEGV, -signal.SIGBUS, -signal.SIGILL, -signal.SIGFPE}


def run_conversion(source: Path, work: Path, limits: Limits, original_name: str | None = None) -> Outcome:
    """Convert ``source`` into ``work/package`` and ``work/package.zip``."""
    work.mkdir(parents=True, exist_ok=True)
    # Options as --name=value and positionals after "--": the upload's name is the
    # client's text, and one starting with "-" must not read as an option.
    cmd = [
        sys.executable, "-m", "service.runner",
        f"--max-pages={limits.max_pages}", f"--memory-mb={limits.memory_mb}",
        f"--cpu-seconds={limits.timeout}", f"--max-file-bytes={limits.max_output_bytes}",
    ]
    if original_name:
        cmd.append(f"--original-name={original_name}")
    cmd += ["--", str(source), str(work)]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [_PROJECT_ROOT, os.environ.get("PYTHONPATH")])))
    proc = subprocess.Popen(cmd, cwd=work, env=env, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        rc = proc.wait(timeout=limits.timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return _timeout(limits)
    try:
        result = json.loads((work / "result.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        result = None
    if rc == 0 and result is not None:
        return Outcome(result["ok"], result.get("code"), result.get("detail"), result.get("resource_names", []))
    if rc == -signal.SIGXCPU:
        return _timeout(limits)
    if rc == -signal.SIGKILL:
        # Not the wall-clock kill above: the kernel's out-of-memory killer is what
        # ends a process that way on its own.
        log.warning("conversion child was killed (SIGKILL), most likely by the out-of-memory killer")
        return Outcome(False, "too-complex", (
            "The conversion was stopped by the system because the machine ran short of memory while "
            f"converting this document. {memory_advice(limits.memory_mb)}"))
    if rc in CRASH_SIGNALS:
        log.warning("conversion child crashed with signal %s", -rc)
        return Outcome(False, "corrupt-document", (
            "The reader crashed on this document: its structure is probably damaged. If the file opens "
            "normally in a viewer, please report it."))
    if rc == -signal.SIGABRT:
        # Under the address-space limit a failed allocation in a C reader ends it with
        # an abort (pdfium's, for instance) rather than Python's MemoryError.
        log.warning("conversion child aborted (SIGABRT)")
        return Outcome(False, "too-complex", (
            "The reader stopped abruptly while converting this document, most likely because it needed more "
            f"than the {limits.memory_mb} MB of memory this service allows per conversion. "
            f"{memory_advice(limits.memory_mb)}"))
    if rc < 0:
        log.error("conversion child was stopped by signal %s", -rc)
        return Outcome(False, "internal-error", "The conversion was interrupted by the service's machine. This is "
                       "not a fault of your document; please try again later.")
    log.error("conversion child exited with status %s without a result", rc)
    return Outcome(False, "internal-error", "The converter failed to start. This is a fault of the service, "
                   "not of your document; please try again later or tell the operator.")


def memory_advice(memory_mb: int) -> str:
    """What a client (and an operator) can do about a document that needs too much memory."""
    return (f"A conversion may use {memory_mb} MB (BUDGETPACK_MAX_MEMORY_MB); real disclosures need far less, "
            "so the file may be malformed or unusually large. If it is a genuine disclosure, ask the operator "
            "to raise the limit.")


def _timeout(limits: Limits) -> Outcome:
    return Outcome(False, "timeout", (
        f"The conversion did not finish within {limits.timeout} seconds and was stopped. Real disclosures "
        "convert in well under a minute; the file may be malformed, or much larger than usual."))
