"""How a failed conversion is named: the document's fault or the service's.

Each case runs the real child process (``python -m service.runner``) through the
executor, as the service does.
"""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from service.executor import Limits, run_conversion
from tests.hostile import BAD, CORPUS_PDF, write_many_paragraphs_docx

LIMITS = Limits(timeout=120, max_pages=100, memory_mb=1024)


def test_parser_failure_is_a_corrupt_document(tmp_path: Path) -> None:
    """pdfminer stops on a font of this file after the sniffer let it through."""
    outcome = run_conversion(BAD / "broken-font.pdf", tmp_path / "work", LIMITS)
    assert (outcome.ok, outcome.code) == (False, "corrupt-document")


def test_a_package_file_over_the_output_limit_is_too_complex(tmp_path: Path) -> None:
    """A document read without fault whose package would hold a file over the output
    size limit (smaller here than one CSV) outgrew a limit: too-complex, saying which."""
    limits = Limits(timeout=120, max_pages=100, memory_mb=1024, max_output_bytes=2000)
    outcome = run_conversion(CORPUS_PDF, tmp_path / "work", limits)
    assert (outcome.ok, outcome.code) == (False, "too-complex")
    assert "per output file" in outcome.detail


def test_a_fault_of_the_service_is_an_internal_error(tmp_path: Path) -> None:
    """The package folder cannot be made (a file stands where it goes): the service's
    fault, not the document's."""
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "package").write_text("in the way", encoding="utf-8")
    outcome = run_conversion(CORPUS_PDF, tmp_path / "work", LIMITS)
    assert (outcome.ok, outcome.code) == (False, "internal-error")
    assert "not of your document" in outcome.detail


def test_running_out_of_memory_is_too_complex(tmp_path: Path) -> None:
    """A DOCX whose parsed tree needs more than 600 MB: under that limit Python's MemoryError
    ends the conversion as too-complex; with 1024 MB the same file reads (and has no tables)."""
    docx = tmp_path / "many-paragraphs.docx"
    write_many_paragraphs_docx(docx)
    small = run_conversion(docx, tmp_path / "small", Limits(timeout=120, max_pages=100, memory_mb=600))
    assert (small.ok, small.code) == (False, "too-complex")
    assert "600 MB" in small.detail and "BUDGETPACK_MAX_MEMORY_MB" in small.detail
    large = run_conversion(docx, tmp_path / "large", Limits(timeout=120, max_pages=100, memory_mb=1024))
    assert (large.ok, large.code) == (False, "no-standard-tables")


def test_a_child_killed_from_outside_is_too_complex_not_timeout(tmp_path: Path) -> None:
    """SIGKILL is how the kernel's out-of-memory killer ends a process; the executor kills only
    on its own time limit, far away here, so the child's death is named for memory."""
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(run_conversion, CORPUS_PDF, tmp_path / "work", LIMITS)
        child = _wait_for_child("service.runner")
        os.kill(child, signal.SIGKILL)
        outcome = running.result()
    assert (outcome.ok, outcome.code) == (False, "too-complex")
    assert "ran short of memory" in outcome.detail


def _wait_for_child(module: str, timeout: float = 30) -> int:
    """The pid of this process's child running ``python -m module``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for proc in Path("/proc").iterdir():
            try:
                ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
                cmdline = (proc / "cmdline").read_bytes().split(b"\0")
            except (OSError, ValueError, IndexError):
                continue
            if ppid == os.getpid() and module.encode() in cmdline:
                return int(proc.name)
        time.sleep(0.05)
    raise AssertionError(f"no child running {module} within {timeout} s")


def test_a_reader_crash_is_a_corrupt_document_and_an_outside_stop_an_internal_error(tmp_path: Path) -> None:
    """A segmentation fault is how a C reader dies on a broken structure: the document's
    fault. SIGTERM is the machine stopping the conversion: the service's."""
    for sig, code in ((signal.SIGSEGV, "corrupt-document"), (signal.SIGTERM, "internal-error")):
        with ThreadPoolExecutor(1) as pool:
            running = pool.submit(run_conversion, CORPUS_PDF, tmp_path / sig.name, LIMITS)
            os.kill(_wait_for_child("service.runner"), sig)
            outcome = running.result()
        assert (outcome.ok, outcome.code) == (False, code), sig.name
