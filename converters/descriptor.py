"""The package's own metadata in datapackage.json: titles in both languages, a
description, the source document, when, what kind, and the licence.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from . import VERSION
from .concepts import Family
from .meta import DocumentMeta

KIND_ZH = {"budget": "部门预算", "final_accounts": "部门决算"}
KIND_EN = {"budget": "budget", "final_accounts": "final accounts"}
LICENSE_ENV = "BUDGETPACK_LICENSE"


def descriptor_meta(
    meta: DocumentMeta, family: Family, kind: str, source_name: str, digest: str, pages: int | None
) -> tuple[str, dict]:
    """The package's title (Chinese) and the rest of its metadata: the English title
    beside it, a description, the source document, when, what kind, and the licence
    the operator publishes under (``BUDGETPACK_LICENSE``: a name such as CC-BY-4.0,
    or ``name=URL``)."""
    org, year = meta.organisation or "", meta.year
    title = f"{org}{year or ''}{'年' if year else ''}{KIND_ZH.get(kind, '预决算')}公开数据"
    title_en = " ".join(str(x) for x in (org, year, KIND_EN.get(kind, kind), "disclosure data") if x)
    description = (
        f"Tables of the {KIND_EN.get(kind, kind)} disclosure {source_name!r} ({org or 'organisation not read'}, "
        f"{year or 'year not read'}; template {family.name}), converted by budgetpack {VERSION}. One resource "
        "per standard table as printed (CSV, and its Parquet twin named <table>_parquet), `facts` (every "
        "printed amount, also in 元: sum rows where countable is true, per resource, side, part and field), "
        "performance targets, other tables cell by cell, and `checks` (where the document disagrees with "
        "itself). Amounts are exact decimals in the unit each table prints (budgetpack:money_unit)."
    )
    extra = {
        "budgetpack:template_family": family.name,
        "budgetpack:organisation": meta.organisation,
        "budgetpack:year": meta.year,
        "budgetpack:title_en": title_en,
        "budgetpack:document_kind": kind,
        "description": description,
        "created": _created(),
        "sources": [{"title": source_name, "budgetpack:sha256": digest, "budgetpack:pages": pages}],
    }
    licence = os.environ.get(LICENSE_ENV, "").strip()
    if licence:
        name, _, url = licence.partition("=")
        extra["licenses"] = [{"name": name.strip(), **({"path": url.strip()} if url.strip() else {})}]
    return title, extra


def _created() -> str:
    """Now, or ``SOURCE_DATE_EPOCH`` where set (reproducible builds: the same input
    then gives the same datapackage.json)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC)
    return when.isoformat(timespec="seconds").replace("+00:00", "Z")
