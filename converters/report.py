"""report.json: what a publisher reads first — what was found, empty or missing, what
could not be read, what the checks found, and whether the package validates.

Built from what the stages returned; no stage writes into another's records.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from . import VERSION
from .checks import CheckRun, checks_report
from .concepts import Family
from .mapping import MappedTable
from .meta import DocumentMeta
from .model import DocumentBlocks, Warning_
from .other_tables import OtherTable
from .package import ResourceData
from .performance import PerformanceResult


def build_report(
    doc: DocumentBlocks,
    source_name: str,
    digest: str,
    family: Family,
    meta: DocumentMeta,
    mapped: list[MappedTable],
    resources: list[ResourceData],
    performance: PerformanceResult,
    others: list[OtherTable],
    checked: CheckRun,
    warnings: list[Warning_],
) -> dict:
    """report.json: the source, the document read, each table of the family found,
    printed empty or missing, the other tables, every warning, the performance
    section, the checks, and last the package's own validation, None until the caller
    has validated the written package. ``warnings`` are every stage's own: the
    reader's, what was read only in part, the package's."""
    tables = []
    by_key = {m.concept.key: (m, r) for m, r in zip(mapped, resources)}
    for concept in family.concepts:
        hit = by_key.get(concept.key)
        if hit is None and concept.optional:
            continue
        if hit is None:
            tables.append(
                {
                    "concept": concept.key,
                    "label": concept.label,
                    "resource": None,
                    "status": "missing",
                    "pages": [],
                    "row_count": 0,
                    "warnings": [],
                }
            )
            continue
        m, res = hit
        tables.append(
            {
                "concept": concept.key,
                "label": concept.label,
                "resource": res.name,
                "title": m.found.title,
                "printed_label": m.found.label,
                "status": m.status,
                "empty_note": m.found.empty_note,
                "pages": m.found.pages,
                "row_count": len(m.rows),
                "warnings": [w.as_dict() for w in m.warnings],
            }
        )
    extra_found = [(m, r) for m, r in zip(mapped, resources) if m.concept.family != family.name]
    for m, res in extra_found:
        tables.append(
            {
                "concept": m.concept.key,
                "label": m.concept.label,
                "resource": res.name,
                "title": m.found.title,
                "status": m.status,
                "pages": m.found.pages,
                "row_count": len(m.rows),
                "warnings": [w.as_dict() for w in m.warnings],
            }
        )
    return {
        "budgetpack_version": VERSION,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": {"name": source_name, "format": doc.source_format, "page_count": doc.page_count, "sha256": digest},
        "document": {
            "organisation": meta.organisation,
            "year": meta.year,
            "template_family": family.name,
            "document_kind": meta.document_kind or family.document_kind,
            "scope": meta.scope,
        },
        "tables": tables,
        "other_tables": [o.report() for o in others],
        "warnings": [w.as_dict() for w in warnings],
        "performance": performance.report(),
        **checks_report(checked.findings, checked.evaluated),
        "validation": None,
    }


def write_report(report: dict, out_dir: Path) -> None:
    (out_dir / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
