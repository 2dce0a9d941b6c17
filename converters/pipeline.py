"""document → blocks → recognised tables → schema rows → package → report.

The one entry point the CLI and the service call. Each stage is its own module; this
one only runs them in order and writes what they produced.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from . import VERSION
from .checks import checks_resource, evaluate
from .classify import classify
from .descriptor import descriptor_meta
from .errors import ConversionError
from .facts import facts_resource
from .heap import GIVE_BACK_MIN_PAGES, give_back_freed_memory
from .mapping import map_table, standard_resources
from .meta import read_meta
from .model import DocumentBlocks, Warning_
from .other_tables import other_tables
from .package import validate_package, write_package, zip_package
from .page_pool import SEQUENTIAL, PagePool, PageWorkers, read_pdf_pages
from .partial import partial_read_warnings
from .performance import extract_performance
from .recognise import detect_family
from .report import build_report, write_report
from .sniff import InputInfo, inspect_input

log = logging.getLogger(__name__)

__all__ = ["convert", "ConversionResult", "zip_package", "read_document", "PagePool"]


@dataclass
class ConversionResult:
    package_dir: Path
    report: dict
    resource_names: list[str]


def read_document(
    source: Path,
    *,
    max_pages: int | None = None,
    page_pool: PagePool = SEQUENTIAL,
    pdf_reader: str | None = None,
) -> DocumentBlocks:
    """Check the input, then read it with the reader for its type.

    A damaged PDF that the sniff had PDFium repair is read from the repaired copy, with
    a warning saying what was damaged. A PDF of many pages is read by ``page_pool``'s
    processes when it has more than one (converters/page_pool.py); the blocks are the same.
    ``pdf_reader`` names the PDF reader (converters/pdf_pages.py; None: the environment's
    ``BUDGETPACK_PDF_READER`` or the default).

    Whatever the parsers (pdfminer, python-docx) raise on the document is the
    document's fault: ``corrupt-document``. Exceptions in the later stages are ours,
    and reach the caller as they are (the service reports them as ``internal-error``).
    """
    info = inspect_input(source, max_pages=max_pages)
    if (info.page_count or 0) >= GIVE_BACK_MIN_PAGES:
        give_back_freed_memory()  # what the sniff's walk over every object held, before workers fork
    try:
        if info.format == "pdf":
            with PageWorkers(page_pool) as workers:
                doc = _read_pdf(source, info, workers, pdf_reader)
            if info.damage:
                doc.warnings.insert(0, Warning_("damaged-pdf", info.damage))
            return doc
        from .docx_reader import read_docx

        return read_docx(source)
    except (ConversionError, MemoryError):
        raise
    except Exception as e:
        # Our own reading code could be at fault too: the cause goes to the log.
        log.warning("reading %s failed", source.name, exc_info=True)
        raise ConversionError(
            "corrupt-document",
            (
                "The document could not be read: the reader stopped on an unexpected structure. "
                "If the file opens normally in a viewer, please report it."
            ),
        ) from e


def _read_pdf(source: Path, info: InputInfo, workers: PageWorkers, reader: str | None) -> DocumentBlocks:
    """The PDF (or the sniff's repaired copy of it) read in one process or, when long, by the workers."""
    from .pdf_reader import read_pdf

    copy = info.repaired if info.repaired is not None else source
    if workers.start(copy, info.page_count, reader):
        doc = read_pdf_pages(workers, info.page_count)
        if doc is not None:
            return doc
    return read_pdf(io.BytesIO(info.repaired) if info.repaired is not None else source, reader)


def convert(
    source: Path,
    out_dir: Path,
    *,
    max_pages: int | None = None,
    original_name: str | None = None,
    page_pool: PagePool = SEQUENTIAL,
    pdf_reader: str | None = None,
) -> ConversionResult:
    """Convert ``source`` into a package in ``out_dir``; ``page_pool`` says how many
    processes read a long PDF's pages and validate the package of a document under
    :data:`GIVE_BACK_MIN_PAGES` pages (one by default: the service runs a conversion per
    CPU), ``pdf_reader`` which reader interprets them (see :func:`read_document`)."""
    source, out_dir = Path(source), Path(out_dir)
    doc = read_document(source, max_pages=max_pages, page_pool=page_pool, pdf_reader=pdf_reader)
    long = (doc.page_count or 0) >= GIVE_BACK_MIN_PAGES
    report, resource_names = _write(doc, source, out_dir, original_name)
    del doc
    if long:
        give_back_freed_memory()  # what of the stages' heap can go back before validation
    # a long document's validation stays in this process: a forked one would count its heap twice
    report["validation"] = validate_package(out_dir, workers=1 if long else page_pool.workers)
    write_report(report, out_dir)
    return ConversionResult(out_dir, report, resource_names)


def _write(doc: DocumentBlocks, source: Path, out_dir: Path, original_name: str | None) -> tuple[dict, list[str]]:
    """Every stage from recognition to the written package, and the report on them (its
    ``validation`` still to come) with the package's resource names. What the stages
    made is dropped when this returns, so that validating the package reuses its memory
    rather than adding to it (on 3,034 pages, the blocks and rows are over 100 MB; most
    of the freed heap stays the process's, fragmented, but validation fills it again)."""
    tables = classify(doc)
    family = detect_family(doc, tables.found)
    if family is None:
        raise ConversionError(
            "no-standard-tables",
            "No standard budget or final-accounts table was recognised in "
            "this document. budgetpack reads the tables of 预决算公开 documents by their titles and "
            "column headers; check that this is such a disclosure with a text layer.",
        )
    meta = read_meta(doc, tables.found)
    mapped = [map_table(t, t.concept, meta.organisation, meta.year) for t in tables.standard]
    performance = extract_performance(tables.forms)
    partial = partial_read_warnings(mapped, performance)
    checked = evaluate(mapped, doc, performance=performance)
    findings = checked.findings
    standard = standard_resources(mapped)
    others = other_tables(tables.others(performance.consumed))
    resources = (
        standard
        + [facts_resource(mapped, standard)]
        + performance.resources()
        + [o.resource for o in others]
        + [checks_resource(findings)]
    )
    with source.open("rb") as f:
        digest = hashlib.file_digest(f, "sha256").hexdigest()
    package_name = _package_name(family.name, meta.year, digest)
    kind = meta.document_kind or family.document_kind
    source_name = original_name or source.name
    title, descriptor_extra = descriptor_meta(meta, family, kind, source_name, digest, doc.page_count)
    file_meta = {
        "organisation": meta.organisation,
        "year": meta.year,
        "template_family": family.name,
        "document_kind": kind,
        "source_name": source_name,
        "source_sha256": digest,
        "budgetpack_version": VERSION,
    }
    written = write_package(
        out_dir,
        package_name,
        title,
        resources,
        descriptor_extra,
        {k: str(v) for k, v in file_meta.items() if v is not None},
    )
    report = build_report(
        doc,
        source_name,
        digest,
        family,
        meta,
        mapped,
        resources,
        performance,
        others,
        checked,
        [*doc.warnings, *partial, *written.warnings],
    )
    return report, [r.name for r in resources]


def _package_name(family: str, year: int | None, digest: str) -> str:
    name = f"budgetpack-{family}-{year or 'unknown'}-{digest[:12]}"
    return re.sub(r"[^a-z0-9._-]", "-", name.lower())
