"""Write a data package: CSV and Parquet per resource, datapackage.json, and a zip.

Bytes are deterministic for the same input (sorted keys, fixed zip timestamps, no
clock in any package file) so that a portal can compare packages by hash; the time of
the conversion goes only in report.json.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .values import decimals

PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass
class ResourceData:
    """One resource to write: its name, printed title, Table Schema and rows."""

    name: str
    title: str
    schema: dict
    rows: list[dict]
    extra: dict


def csv_bytes(schema: dict, rows: list[dict]) -> bytes:
    names = [f["name"] for f in schema["fields"]]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(names)
    for r in rows:
        w.writerow(["" if r.get(n) is None else _text(r[n]) for n in names])
    return buf.getvalue().encode("utf-8")


def _text(v) -> str:
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def arrow_table(schema: dict, rows: list[dict]) -> pa.Table:
    """Typed columns: money as decimal128 with the scale the document printed."""
    arrays, fields = [], []
    for f in schema["fields"]:
        values = [r.get(f["name"]) for r in rows]
        if f["type"] == "number":
            scale = max([2] + [decimals(v) for v in values if isinstance(v, Decimal)])
            typ = pa.decimal128(20 + scale, scale)
            values = [v.quantize(Decimal(1).scaleb(-scale)) if isinstance(v, Decimal) else None for v in values]
        elif f["type"] == "integer":
            typ = pa.int64()
        elif f["type"] == "boolean":
            typ = pa.bool_()
        else:
            typ = pa.string()
            values = [None if v is None else str(v) for v in values]
        meta = {k: str(f[k]) for k in ("title", "description", "unit") if k in f}
        fields.append(pa.field(f["name"], typ, metadata=meta))
        arrays.append(pa.array(values, type=typ))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def parquet_bytes(schema: dict, rows: list[dict]) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(arrow_table(schema, rows), sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def write_package(out_dir: Path, name: str, title: str, resources: list[ResourceData], extra: dict) -> dict:
    """Write every file and datapackage.json; return the descriptor."""
    out_dir.mkdir(parents=True, exist_ok=True)
    descriptors = []
    for res in resources:
        data = csv_bytes(res.schema, res.rows)
        parquet = parquet_bytes(res.schema, res.rows)
        (out_dir / f"{res.name}.csv").write_bytes(data)
        (out_dir / f"{res.name}.parquet").write_bytes(parquet)
        descriptors.append({
            "name": res.name,
            "type": "table",
            "title": res.title,
            "path": f"{res.name}.csv",
            "scheme": "file",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": len(data),
            "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
            "schema": res.schema,
            **res.extra,
            "parquet": {"path": f"{res.name}.parquet", "bytes": len(parquet),
                        "hash": "sha256:" + hashlib.sha256(parquet).hexdigest()},
        })
    descriptor = {"$schema": PACKAGE_PROFILE, "name": name, "title": title, **extra, "resources": descriptors}
    (out_dir / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2, default=_text) + "\n",
                                              encoding="utf-8")
    return descriptor


def validate_package(out_dir: Path) -> dict:
    """Validate with frictionless; the summary goes into the report."""
    from frictionless import Package, system

    with system.use_context(trusted=True):
        report = Package(str(out_dir / "datapackage.json")).validate()
    errors = [
        {"resource": task.name, "type": e.type, "message": e.message}
        for task in report.tasks for e in task.errors
    ] + [{"resource": None, "type": e.type, "message": e.message} for e in report.errors]
    return {"valid": report.valid, "errors": errors[:200], "error_count": len(errors)}


def zip_package(package_dir: Path, zip_path: Path) -> None:
    """A zip of the package folder with fixed entry dates and order."""
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for p in sorted(package_dir.rglob("*")):
            if p.is_file():
                info = zipfile.ZipInfo(p.relative_to(package_dir).as_posix(), ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                z.writestr(info, p.read_bytes())
