"""Many packages, one dataset: ``budgetpack merge PKG... -o OUT``.

A portal wants all departments of a city, or all years of one, in one table. Resource
names are shared across template editions and a field name means the same everywhere
(``schemas/tools/build_schemas.py``), so the merged package has one resource per name
holding every document's rows, each row prefixed with ``organisation``, ``year``,
``document_kind`` and ``source`` (the original file name; ``document_source`` … in a
table with a field of that name itself), and ``money_unit`` for
tables with money (documents print 元 or 万元; ``facts.amount_yuan`` is in 元 for all).

What does not fit is reported in the merged ``report.json`` instead of guessed at: a
resource only some documents have (it holds the rows of those that have it), a field
whose type differs between documents (kept as text), and the ``other_NN`` tables,
numbered per document and so not one table across documents (left out).
"""

from __future__ import annotations

import csv
import hashlib
import json
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from .package import ResourceData, validate_package, write_package

MERGE_FIELDS = [
    {
        "name": "organisation",
        "type": "string",
        "title": "单位名称",
        "description": "Organisation the document is of, as read from it.",
    },
    {
        "name": "year",
        "type": "integer",
        "title": "年度",
        "description": "Budget or final-accounts year of the document.",
    },
    {
        "name": "document_kind",
        "type": "string",
        "title": "文件类型",
        "description": "budget (预算) or final_accounts (决算).",
    },
    {
        "name": "source",
        "type": "string",
        "title": "来源文件",
        "description": "File name of the document the row was read from; its SHA-256 is in the package's sources.",
    },
]
UNIT_FIELD = {
    "name": "money_unit",
    "type": "string",
    "title": "金额单位",
    "description": "Money unit of this row's amounts as its document printed the table (元 or 万元).",
}
PER_DOCUMENT_PREFIX = "other_"
#: Fields whose unit is the same in every document (facts.amount_yuan is in 元).
FIXED_UNIT = {"amount_yuan"}


@dataclass
class SourcePackage:
    """One input package: its descriptor and where its files are."""

    folder: Path
    descriptor: dict

    @property
    def label(self) -> str:
        return self.descriptor["sources"][0]["title"] if self.descriptor.get("sources") else self.folder.name

    def row_prefix(self) -> dict:
        d = self.descriptor
        return {
            "organisation": d.get("budgetpack:organisation"),
            "year": d.get("budgetpack:year"),
            "document_kind": d.get("budgetpack:document_kind"),
            "source": self.label,
        }


@dataclass
class MergeResult:
    package_dir: Path
    report: dict
    resource_names: list[str] = field(default_factory=list)


def load_package(path: Path, scratch: Path) -> SourcePackage:
    """A package folder, or a package zip (unpacked into ``scratch``)."""
    if path.is_file() and zipfile.is_zipfile(path):
        folder = scratch / hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]
        with zipfile.ZipFile(path) as z:
            z.extractall(folder)
        path = folder
    descriptor = json.loads((path / "datapackage.json").read_text(encoding="utf-8"))
    return SourcePackage(path, descriptor)


def typed(value: str, kind: str):
    """A CSV cell back to the value budgetpack wrote (exact decimals, integers, booleans)."""
    if value == "":
        return None
    if kind == "number":
        return Decimal(value)
    if kind == "integer":
        return int(value)
    if kind == "boolean":
        return value == "true"
    return value


def _rows(pkg: SourcePackage, res: dict) -> list[dict]:
    kinds = {f["name"]: f["type"] for f in res["schema"]["fields"]}
    with (pkg.folder / res["path"]).open(encoding="utf-8", newline="") as f:
        return [{k: typed(v, kinds.get(k, "string")) for k, v in r.items()} for r in csv.DictReader(f)]


def document_field(name: str, own: dict) -> str:
    """The name of a document column: ``name``, or ``document_<name>`` in a table
    that has a field of that name itself (Hebei's 资金来源 is ``source``)."""
    return f"document_{name}" if name in own else name


def money_unit(res: dict) -> str | None:
    """The unit of a resource's money fields: its ``budgetpack:money_unit``, or the one
    unit its schema's money fields name (performance_projects)."""
    units = {
        f["unit"]
        for f in res["schema"]["fields"]
        if f["type"] == "number" and f.get("unit") and f["name"] not in FIXED_UNIT
    }
    return res.get("budgetpack:money_unit") or (units.pop() if len(units) == 1 else None)


def _merged_schema(name: str, schemas: list[dict], units: set[str | None], conflicts: list[dict]) -> dict:
    """Fields of every document's schema in order of first appearance, after the
    document fields; a field printed with different types becomes text; money fields
    keep their ``unit`` only where every document printed the same one."""
    fields: dict[str, dict] = {}
    for schema in schemas:
        for f in schema["fields"]:
            have = fields.get(f["name"])
            if have is None:
                fields[f["name"]] = json.loads(json.dumps(f))
            elif have["type"] != f["type"]:
                conflicts.append({"resource": name, "field": f["name"], "types": sorted({have["type"], f["type"]})})
                have["type"] = "string"
                have.pop("constraints", None)
                have.pop("unit", None)
    money = any("unit" in f and f["type"] == "number" and f["name"] not in FIXED_UNIT for f in fields.values())
    for f in fields.values():
        if not all(any(g["name"] == f["name"] for g in s["fields"]) for s in schemas):
            f.get("constraints", {}).pop("required", None)
        if "unit" in f and len(units) != 1 and f["name"] not in FIXED_UNIT:
            del f["unit"]
    extra = [UNIT_FIELD] if money and "money_unit" not in fields else []
    first = schemas[0]
    keys = [s.get("primaryKey") for s in schemas]
    out = {k: v for k, v in first.items() if k not in ("fields", "primaryKey")}
    out["fields"] = (
        [{**f, "name": document_field(f["name"], fields)} for f in MERGE_FIELDS] + extra + list(fields.values())
    )
    if all(k == keys[0] for k in keys) and keys[0]:
        out["primaryKey"] = [document_field("source", fields), *keys[0]]
    return out


def merge_packages(paths: list[Path], out_dir: Path, *, name: str | None = None) -> MergeResult:
    """Write one package in ``out_dir`` holding every resource of the packages at
    ``paths`` (folders or zips), validated; what could not be merged is in its report."""
    with tempfile.TemporaryDirectory(prefix="budgetpack-merge-") as scratch:
        packages = [load_package(Path(p), Path(scratch)) for p in paths]
        return _merge(packages, Path(out_dir), name)


def _merge(packages: list[SourcePackage], out_dir: Path, name: str | None) -> MergeResult:
    order: list[str] = []
    by_name: dict[str, list[tuple[SourcePackage, dict]]] = {}
    left_out: list[dict] = []
    for pkg in packages:
        for res in pkg.descriptor["resources"]:
            if res.get("format", "csv") != "csv":
                continue
            if res["name"].startswith(PER_DOCUMENT_PREFIX):
                left_out.append({"resource": res["name"], "source": pkg.label, "title": res.get("title")})
                continue
            if res["name"] not in by_name:
                order.append(res["name"])
            by_name.setdefault(res["name"], []).append((pkg, res))
    conflicts: list[dict] = []
    resources: list[ResourceData] = []
    summary: dict[str, dict] = {}
    for res_name in order:
        hits = by_name[res_name]
        units = {money_unit(r) for _, r in hits}
        schema = _merged_schema(res_name, [r["schema"] for _, r in hits], units, conflicts)
        has_unit_field = any(f is UNIT_FIELD for f in schema["fields"])
        names = {f["name"] for _, r in hits for f in r["schema"]["fields"]}
        rows = []
        for pkg, res in hits:
            unit = {"money_unit": money_unit(res)} if has_unit_field else {}
            prefix = {document_field(k, names): v for k, v in pkg.row_prefix().items()}
            rows += [{**prefix, **unit, **r} for r in _rows(pkg, res)]
        present = {pkg.label for pkg, _ in hits}
        summary[res_name] = {
            "rows": len(rows),
            "documents": len(hits),
            "absent_from": [p.label for p in packages if p.label not in present],
        }
        first = hits[0][1]
        extra = {k: v for k, v in first.items() if k in ("budgetpack:concept", "budgetpack:title_en")}
        if len(units) == 1 and None not in units:
            extra["budgetpack:money_unit"] = next(iter(units))
        resources.append(ResourceData(res_name, first.get("title", res_name), schema, rows, extra))
    sources = [s for p in packages for s in p.descriptor.get("sources", [])]
    digest = hashlib.sha256("".join(sorted(s.get("budgetpack:sha256", "") for s in sources)).encode()).hexdigest()
    documents = [
        {
            **p.row_prefix(),
            "template_family": p.descriptor.get("budgetpack:template_family"),
            "package": p.descriptor.get("name"),
        }
        for p in packages
    ]
    orgs = sorted({d["organisation"] for d in documents if d["organisation"]})
    extra = {
        "budgetpack:template_family": "merged",
        "budgetpack:title_en": f"{len(packages)} budget disclosures merged ({', '.join(orgs)})",
        "description": (
            "Several budgetpack packages merged: every resource holds the rows of every document that "
            "has it, with organisation, year, document_kind and source in front (and money_unit where "
            "documents print different units). Sum amounts across documents with facts.amount_yuan "
            "(in 元) where countable is true."
        ),
        "created": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "sources": sources,
        "budgetpack:documents": documents,
    }
    licences = [lic for p in packages for lic in p.descriptor.get("licenses", [])]
    if licences:
        extra["licenses"] = list({json.dumps(x, sort_keys=True): x for x in licences}.values())
    out_dir.mkdir(parents=True, exist_ok=True)
    write_package(
        out_dir,
        name or f"budgetpack-merged-{digest[:12]}",
        f"{len(packages)} 份预决算公开数据合并",
        resources,
        extra,
        {"merged_documents": str(len(packages))},
    )
    report = {
        "documents": documents,
        "resources": summary,
        "type_conflicts": conflicts,
        "not_merged": left_out,
        "validation": validate_package(out_dir),
    }
    (out_dir / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return MergeResult(out_dir, report, [r.name for r in resources])
