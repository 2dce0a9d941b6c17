"""The process that runs conversions: ``python -m service.runner``, started by service.executor.

It limits itself (address space, file size, no core dumps, a CPU budget for its whole
life) and asks the kernel to kill it if its parent dies, *before* it imports a parser
or opens a document, so whatever a document does to pdfium, pdfminer or python-docx
happens inside those limits. Then it imports the conversion stack and waits: a started
process is warm, and a conversion it runs does not pay the second of imports.

Each job is one JSON line on stdin (source, work folder, original name, max pages, CPU
seconds). Before a job its CPU limit is set to what it has used so far plus the job's
seconds, so each conversion has its own CPU limit however many ran before it. It
writes the package, its zip and ``result.json`` into the work folder, then answers
``done`` on stdout; the parent (service.executor) turns that, or the way the process
died, into the job's outcome, and decides whether the process runs another job. The
process ends at the end of stdin. Tracebacks go to stderr, i.e. the server log, never
to the client; so does anything a library prints, since stdout is the answer channel.
"""

from __future__ import annotations

import argparse
import ctypes
import errno
import gc
import json
import os
import resource
import signal
import sys
import traceback
from pathlib import Path
from typing import IO

from service.executor import memory_advice

#: CPU seconds a process may spend outside its jobs (starting, importing the stack).
START_CPU_SECONDS = 60


def _limit_self(memory_mb: int, lifetime_cpu_seconds: int, max_file_bytes: int) -> None:
    mem = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    resource.setrlimit(resource.RLIMIT_CPU, (min(START_CPU_SECONDS, lifetime_cpu_seconds), lifetime_cpu_seconds))
    resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_bytes, max_file_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


def _limit_job_cpu(seconds: int) -> None:
    """SIGXCPU (which ends the process) once this job has used ``seconds`` of CPU; the
    hard limit, the process's lifetime budget, is never raised."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = int(usage.ru_utime + usage.ru_stime) + 1 + seconds
    resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--memory-mb", type=int, required=True)
    p.add_argument("--cpu-seconds", type=int, required=True, help="CPU seconds for the process's whole life")
    p.add_argument("--max-file-bytes", type=int, required=True)
    args = p.parse_args(argv)
    _limit_self(args.memory_mb, args.cpu_seconds, args.max_file_bytes)
    answers: IO[str] = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)

    from converters.errors import ConversionError
    from converters.pipeline import convert, zip_package

    for line in sys.stdin:
        job = json.loads(line)
        _limit_job_cpu(job["cpu_seconds"])
        work = Path(job["work"])
        os.chdir(work)
        try:
            result = convert(
                Path(job["source"]),
                work / "package",
                max_pages=job["max_pages"],
                original_name=job.get("original_name"),
            )
            zip_package(work / "package", work / "package.zip")
            outcome = {"ok": True, "resource_names": result.resource_names}
        except ConversionError as e:
            outcome = {"ok": False, "code": e.code, "detail": e.detail}
        except Exception as e:  # MemoryError and OSError included
            outcome = {"ok": False, **_failure(e, args.memory_mb, args.max_file_bytes)}
        (work / "result.json").write_text(json.dumps(outcome, ensure_ascii=False), encoding="utf-8")
        os.chdir("/")
        gc.collect()  # the document's objects, before the parent reads this process's size
        answers.write("done\n")
        answers.flush()
    return 0


def _failure(error: Exception, memory_mb: int, max_file_bytes: int) -> dict:
    """The problem code and detail for a conversion that raised: the document outgrew a
    limit (memory, the size of one output file) or the service is at fault."""
    if isinstance(error, MemoryError):
        return {
            "code": "too-complex",
            "detail": (
                "Converting this document needed more memory than this service allows per conversion. "
                f"{memory_advice(memory_mb)}"
            ),
        }
    if isinstance(error, OSError) and error.errno == errno.EFBIG:
        return {
            "code": "too-complex",
            "detail": (
                f"The package of this document would hold a file larger than the {max_file_bytes // 2**20} MB "
                "this service allows per output file; the document is unusually large or malformed."
            ),
        }
    traceback.print_exception(error)
    return {
        "code": "internal-error",
        "detail": (
            "The conversion failed on a fault of the service, not of your document. "
            "Please report it together with the job id."
        ),
    }


if __name__ == "__main__":
    sys.exit(main())
