"""How a failed conversion is named: the document's fault or the service's.

Each case runs the real child process (``python -m service.runner``) through the
executor, as the service does.
"""
from __future__ import annotations

from pathlib import Path

from service.executor import Limits, run_conversion
from tests.hostile import BAD, CORPUS_PDF

LIMITS = Limits(timeout=120, max_pages=100, memory_mb=1024)


def test_parser_failure_is_a_corrupt_document(tmp_path: Path) -> None:
    """pdfminer stops on a font of this file after the sniffer let it through."""
    outcome = run_conversion(BAD / "broken-font.pdf", tmp_path / "work", LIMITS)
    assert (outcome.ok, outcome.code) == (False, "corrupt-document")


def test_failure_after_reading_is_an_internal_error(tmp_path: Path) -> None:
    """A document read without fault, whose package cannot be written (the output
    size limit is smaller than one CSV), failed on the service's side."""
    limits = Limits(timeout=120, max_pages=100, memory_mb=1024, max_output_bytes=2000)
    outcome = run_conversion(CORPUS_PDF, tmp_path / "work", limits)
    assert (outcome.ok, outcome.code) == (False, "internal-error")
    assert "not of your document" in outcome.detail
