"""The child process that runs one conversion: ``python -m service.runner``.

It limits itself (address space, CPU seconds, file size, no core dumps) and asks the
kernel to kill it if its parent dies, *before* it imports a parser or opens the
document, so whatever the document does to pdfium, pdfminer or python-docx happens
inside those limits. It writes the package, its zip and ``result.json`` into the work
folder it is given; the parent (service.executor) turns that, or the way the process
died, into the job's outcome. Tracebacks go to stderr, i.e. the server log, never to
the client.
"""
from __future__ import annotations

import argparse
import ctypes
import errno
import json
import os
import resource
import signal
import sys
import traceback
from pathlib import Path

from service.executor import memory_advice


def _limit_self(memory_mb: int, cpu_seconds: int, max_file_bytes: int) -> None:
    mem = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_bytes, max_file_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("source", type=Path)
    p.add_argument("work", type=Path)
    p.add_argument("--original-name")
    p.add_argument("--max-pages", type=int, required=True)
    p.add_argument("--memory-mb", type=int, required=True)
    p.add_argument("--cpu-seconds", type=int, required=True)
    p.add_argument("--max-file-bytes", type=int, required=True)
    args = p.parse_args(argv)
    _limit_self(args.memory_mb, args.cpu_seconds, args.max_file_bytes)

    from converters.errors import ConversionError
    from converters.pipeline import convert, zip_package

    package = args.work / "package"
    try:
        result = convert(args.source, package, max_pages=args.max_pages, original_name=args.original_name)
        zip_package(package, args.work / "package.zip")
        outcome = {"ok": True, "resource_names": result.resource_names}
    except ConversionError as e:
        outcome = {"ok": False, "code": e.code, "detail": e.detail}
    except Exception as e:  # MemoryError and OSError included
        outcome = {"ok": False, **_failure(e, args.memory_mb, args.max_file_bytes)}
    (args.work / "result.json").write_text(json.dumps(outcome, ensure_ascii=False), encoding="utf-8")
    return 0


def _failure(error: Exception, memory_mb: int, max_file_bytes: int) -> dict:
    """The problem code and detail for a conversion that raised: the document outgrew a
    limit (memory, the size of one output file) or the service is at fault."""
    if isinstance(error, MemoryError):
        return {"code": "too-complex", "detail": (
            "Converting this document needed more memory than this service allows per conversion. "
            f"{memory_advice(memory_mb)}")}
    if isinstance(error, OSError) and error.errno == errno.EFBIG:
        return {"code": "too-complex", "detail": (
            f"The package of this document would hold a file larger than the {max_file_bytes // 2**20} MB "
            "this service allows per output file; the document is unusually large or malformed.")}
    traceback.print_exception(error)
    return {"code": "internal-error", "detail": (
        "The conversion failed on a fault of the service, not of your document. "
        "Please report it together with the job id.")}


if __name__ == "__main__":
    sys.exit(main())
