"""Write a data package: CSV and Parquet per resource, datapackage.json, and a zip.

Every table is two resources with one schema: ``<name>`` (CSV) and ``<name>_parquet``
(Data Package v2 ``format: parquet``), so that frictionless and portals list and
validate both. The CSV resource keeps its ``parquet`` key (path, bytes, hash of its
Parquet twin) for scripts written before.

Data files are byte-for-byte the same for the same input (fixed zip timestamps, no
clock in any CSV or Parquet file) so that a portal can compare them by hash; the only
clock is datapackage.json's ``created`` (``SOURCE_DATE_EPOCH`` fixes it) and
report.json's ``generated_at``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import multiprocessing
import zipfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import Context, Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from frictionless import FrictionlessException, Package, Resource, system
from frictionless.errors import RowError

from .model import Warning_
from .values import decimals

PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
PRECISION = 38  # digits of Parquet's decimal128
#: Room for any value decimal128 holds, to quantize a figure to its column's scale without rounding.
PARQUET_CONTEXT = Context(prec=PRECISION + 2)
PARQUET_SUFFIX = "_parquet"
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"
#: frictionless reads Parquet through pandas, where a null integer becomes NaN (a
#: float column): the Parquet resources' integer fields name it a missing value.
PANDAS_NULLS = ["", "nan"]
#: What a Parquet resource repeats of its CSV twin's own keys; the rest (concept,
#: pages …) is said once, on the CSV resource that ``budgetpack:csv_resource`` names.
TWIN_KEYS = ("budgetpack:status", "budgetpack:money_unit", "budgetpack:title_en")


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


def arrow_table(schema: dict, rows: list[dict], left_out: list[str] | None = None) -> pa.Table:
    """Typed columns: money as decimal128(38, s) with the scale s the document printed.

    Printed amounts always fit (parse_amount reads at most MAX_INTEGER_DIGITS digits
    before the point and MAX_DECIMALS after). A computed figure that does not (a check's
    sum or ratio) is null in the Parquet file, and said so in ``left_out``, rather
    than stopping the conversion; the CSV keeps it."""
    arrays, fields = [], []
    for f in schema["fields"]:
        values = [r.get(f["name"]) for r in rows]
        if f["type"] == "number":
            scale = _scale([v for v in values if isinstance(v, Decimal)])
            typ = pa.decimal128(PRECISION, scale)
            values = [_fitted(v, scale, f["name"], i, left_out) for i, v in enumerate(values, start=1)]
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


def _scale(values: list[Decimal]) -> int:
    """Digits after the point for a column: the scale at which most of its values fit
    decimal128(38, s) exactly (among equals the fewest digits, but 2 at least where
    that costs nothing), so that one figure too long to fit is left out alone rather
    than pushing the column's ordinary values out. A column's values come in few
    shapes (digits after the point, magnitude): each is weighed once."""
    shapes = Counter((decimals(v), v.adjusted() if v else None) for v in values)

    def fitting(scale: int) -> int:
        return sum(
            count
            for (places, magnitude), count in shapes.items()
            if places <= scale and (magnitude is None or magnitude + 1 + scale <= PRECISION)
        )

    candidates = (
        {2}
        | {min(places, PRECISION) for places, _ in shapes}
        | {max(0, PRECISION - magnitude - 1) for _, magnitude in shapes if magnitude is not None}
    )
    return max(candidates, key=lambda s: (fitting(s), s >= 2, -s))


def _fitted(value, scale: int, name: str, row: int, left_out: list[str] | None) -> Decimal | None:
    """``value`` at ``scale`` if it fits decimal128(38, scale) exactly, else None."""
    if not isinstance(value, Decimal):
        return None
    if value.adjusted() + 1 + scale <= PRECISION and decimals(value) <= scale:
        return value.quantize(Decimal(1).scaleb(-scale), context=PARQUET_CONTEXT)
    if left_out is not None:
        left_out.append(
            f"row {row}, field {name!r}: {format(value, 'f')} has more digits than a Parquet decimal "
            f"holds ({PRECISION}, {scale} after the point); it is null in the Parquet file, in full in the CSV"
        )
    return None


def parquet_bytes(
    schema: dict, rows: list[dict], left_out: list[str] | None = None, file_meta: dict[str, str] | None = None
) -> bytes:
    """The rows as a Parquet file; ``file_meta`` goes into its key-value metadata."""
    table = arrow_table(schema, rows, left_out)
    if file_meta:
        table = table.replace_schema_metadata(
            {**(table.schema.metadata or {}), **{k.encode(): v.encode() for k, v in file_meta.items()}}
        )
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def resource_meta(doc_meta: dict[str, str], res: ResourceData) -> dict[str, str]:
    """Key-value metadata of one Parquet file: the document's, with the table's title
    and money unit."""
    unit = res.extra.get("budgetpack:money_unit") or next(
        (f["unit"] for f in res.schema["fields"] if f.get("unit") and f["unit"] != "money_unit"), None
    )
    own = {"resource": res.name, "title": res.title, "unit": unit}
    return {k: str(v) for k, v in {**doc_meta, **own}.items() if v is not None}


def parquet_descriptor(csv_descriptor: dict) -> dict:
    """The Parquet twin of a CSV resource: same schema (integer fields also reading
    pandas' NaN as null), its own path and format."""
    schema = json.loads(json.dumps(csv_descriptor["schema"]))
    for f in schema["fields"]:
        if f["type"] == "integer":
            f["missingValues"] = PANDAS_NULLS
    keep = {k: v for k, v in csv_descriptor.items() if k in TWIN_KEYS}
    return {
        "name": csv_descriptor["name"] + PARQUET_SUFFIX,
        "type": "table",
        "title": csv_descriptor["title"],
        "path": csv_descriptor["parquet"]["path"],
        "scheme": "file",
        "format": "parquet",
        "mediatype": PARQUET_MEDIATYPE,
        "schema": schema,
        **keep,
        "budgetpack:csv_resource": csv_descriptor["name"],
    }


@dataclass
class WrittenPackage:
    """The descriptor written, and the values the Parquet files could not hold."""

    descriptor: dict
    warnings: list[Warning_]


def write_package(
    out_dir: Path,
    name: str,
    title: str,
    resources: list[ResourceData],
    extra: dict,
    file_meta: dict[str, str] | None = None,
) -> WrittenPackage:
    """Write every file and datapackage.json. ``file_meta`` (organisation, year …)
    goes into every Parquet file with the table's title and unit."""
    out_dir.mkdir(parents=True, exist_ok=True)
    descriptors = []
    warnings: list[Warning_] = []
    for res in resources:
        data = csv_bytes(res.schema, res.rows)
        left_out: list[str] = []
        parquet = parquet_bytes(
            res.schema, res.rows, left_out, resource_meta(file_meta, res) if file_meta is not None else None
        )
        warnings.extend(Warning_("value-not-in-parquet", m, table=res.name) for m in left_out)
        (out_dir / f"{res.name}.csv").write_bytes(data)
        (out_dir / f"{res.name}.parquet").write_bytes(parquet)
        descriptors.append(
            {
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
                "parquet": {
                    "path": f"{res.name}.parquet",
                    "bytes": len(parquet),
                    "hash": "sha256:" + hashlib.sha256(parquet).hexdigest(),
                },
            }
        )
    descriptors += [parquet_descriptor(d) for d in descriptors]
    descriptor = {"$schema": PACKAGE_PROFILE, "name": name, "title": title, **extra, "resources": descriptors}
    (out_dir / "datapackage.json").write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2, default=_text) + "\n", encoding="utf-8"
    )
    return WrittenPackage(descriptor, warnings)


def validate_package(out_dir: Path, workers: int = 1) -> dict:
    """Validate the package; the summary goes into the report.

    frictionless validates the descriptor (every resource's metadata, the Parquet
    resources' too) and every CSV file's rows. A Parquet file whose resource has the
    schema of its CSV twin is checked against the twin instead (:func:`parquet_errors`):
    its columns must be the schema's fields with Parquet types for their Table Schema
    types, and its rows, as pyarrow reads them, the values frictionless read from the
    valid CSV file; then it has the CSV's verdict, and the CSV's row and cell errors are
    listed for it too. frictionless would read each Parquet file through pandas cell by
    cell and validate every field's metadata over again: as long as the rest of a
    conversion. Any other Parquet resource frictionless validates, its rows as pyarrow
    reads them. The descriptor's own errors stop the validation; the resources' errors
    are listed in the descriptor's order of resources.

    With ``workers`` above one, a forked process validates part of the resources (the
    largest first, each to the process with less to do) while this one validates the
    rest: the same errors, in the same order, in less time on two cores.
    """
    descriptor = json.loads((out_dir / "datapackage.json").read_text(encoding="utf-8"))
    resources = descriptor["resources"]
    with system.use_context(trusted=True):
        try:
            package = Package(descriptor, basepath=str(out_dir))
        except FrictionlessException as exception:
            return _validation_summary([_error(None, e) for e in exception.to_errors()])
        twins = _twins(resources)
        checked_with_twin = set(twins.values())
        todo = [r for r in package.resources if r.name not in checked_with_twin]
        validation = _Validation(out_dir, package, twins)
        if workers > 1 and len(todo) >= SPLIT_MIN_RESOURCES:
            errors = _validated_in_two(validation, todo)
        else:
            errors = validation.errors(todo)
    return _validation_summary([e for r in resources for e in errors.get(r.get("name"), [])])


#: Resources to validate from which a second process takes part of them: forking and
#: sending the errors back cost about what validating three small resources does.
SPLIT_MIN_RESOURCES = 8


@dataclass
class _Validation:
    """One package's validation, resource by resource (see :func:`validate_package`)."""

    out_dir: Path
    package: Package
    twins: dict[str, str]

    def errors(self, resources: list) -> dict[str, list[dict]]:
        """The errors of each of ``resources`` and of their Parquet twins, by resource name."""
        errors: dict[str, list[dict]] = {}
        for resource in resources:
            name = resource.name
            if resource.format == "parquet":
                errors[name] = _inline_parquet_errors(self.out_dir, resource)
                continue
            rows: list[list] = []
            found = _report_errors(resource.validate(on_row=_typed_into(rows)))
            errors[name] = [_error(name, e) for e in found]
            if name in self.twins:
                twin = self.package.get_resource(self.twins[name])
                errors[self.twins[name]] = _twin_errors(self.out_dir, resource, twin, found, rows)
        return errors


#: Bytes of CSV rows that take frictionless as long to validate as opening a resource
#: does (about 5 ms): the weight by which each process gets its share of the resources.
OPENING_BYTES = 16_000

#: What the forked process validates: set just before it forks, so it starts with it.
_forked_share: tuple[_Validation, list] | None = None


def _validated_in_two(validation: _Validation, resources: list) -> dict[str, list[dict]]:
    """``validation``'s errors of ``resources``, part of them found by a forked process."""
    global _forked_share
    mine: list = []
    theirs: list = []
    weights = [0, 0]
    sizes = {r.name: OPENING_BYTES + ((validation.out_dir / r.path).stat().st_size if r.path else 0) for r in resources}
    for resource in sorted(resources, key=lambda r: -sizes[r.name]):
        side = 0 if weights[0] <= weights[1] else 1
        (mine, theirs)[side].append(resource)
        weights[side] += sizes[resource.name]
    _forked_share = (validation, theirs)
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as executor:
            forked = executor.submit(_validate_forked_share)
            errors = validation.errors(mine)
            errors.update(forked.result())
    finally:
        _forked_share = None
    return errors


def _validate_forked_share() -> dict[str, list[dict]]:
    assert _forked_share is not None
    validation, resources = _forked_share
    with system.use_context(trusted=True):
        return validation.errors(resources)


def _twins(resources: list[dict]) -> dict[str, str]:
    """The Parquet twin of each CSV resource that names one (``parquet`` key), by the CSV's name."""
    names = {r.get("name") for r in resources}
    return {
        r["name"]: r["name"] + PARQUET_SUFFIX
        for r in resources
        if r.get("format") != "parquet" and "parquet" in r and r["name"] + PARQUET_SUFFIX in names
    }


def _twin_errors(out_dir: Path, csv, parquet, csv_errors: list, rows: list[list]) -> list[dict]:
    """A Parquet twin's errors: checked against the CSV's values where it has the CSV's
    schema (the row and cell errors of an invalid CSV listed for it), validated by
    frictionless where its schema is its own."""
    schema = parquet.schema.to_descriptor()
    if _comparable(schema) != _comparable(csv.schema.to_descriptor()):
        return _inline_parquet_errors(out_dir, parquet)
    path = out_dir / parquet.path
    if csv_errors:
        mirrored = [_error(parquet.name, e) for e in csv_errors if isinstance(e, RowError)]
        return mirrored + parquet_errors(path, parquet.name, schema, None)
    return parquet_errors(path, parquet.name, schema, rows)


def _comparable(schema: dict) -> dict:
    """A schema without its fields' missing values: a Parquet twin's integer fields
    also name pandas' ``nan`` (:data:`PANDAS_NULLS`), which pyarrow never gives."""
    return {
        **schema,
        "fields": [{k: v for k, v in f.items() if k != "missingValues"} for f in schema.get("fields", [])],
    }


def _read_parquet(path: Path) -> pa.Table:
    """The Parquet file's table (not pq.read_table: the dataset module it loads costs 40 MB)."""
    with pq.ParquetFile(path) as parquet:
        return parquet.read()


def _inline_parquet_errors(out_dir: Path, resource) -> list[dict]:
    """frictionless's validation of a Parquet resource, its rows as pyarrow reads them
    given inline (a file pyarrow cannot read is left to frictionless)."""
    descriptor = resource.to_descriptor()
    try:
        table = _read_parquet(out_dir / resource.path)
    except (OSError, pa.ArrowException):
        inline = descriptor
    else:
        rows = [table.column_names] + [list(r.values()) for r in table.to_pylist()]
        keep = {k: v for k, v in descriptor.items() if k not in ("path", "scheme", "format", "mediatype")}
        inline = {**keep, "data": rows}
    with system.use_context(trusted=True):
        report = Resource(inline, basepath=str(out_dir)).validate()
    return [_error(resource.name, e) for e in _report_errors(report)]


def _report_errors(report) -> list:
    """Every error of a frictionless report: its tasks' and its own."""
    return [e for task in report.tasks for e in task.errors] + list(report.errors)


def _typed_into(rows: list[list]):
    """A frictionless ``on_row`` callback keeping each row's values as frictionless typed them."""
    return lambda row: rows.append(row.to_list())


def _error(resource: str | None, error) -> dict:
    return {"resource": resource, "type": error.type, "message": error.message}


def _validation_summary(errors: list[dict]) -> dict:
    return {"valid": not errors, "errors": errors[:200], "error_count": len(errors)}


#: The Parquet type (a pyarrow type test) of each Table Schema type :func:`arrow_table` writes.
PARQUET_TYPES = {
    "number": pa.types.is_decimal,
    "integer": pa.types.is_int64,
    "boolean": pa.types.is_boolean,
}


def parquet_errors(path: Path, name: str, schema: dict, csv_rows: list[list] | None) -> list[dict]:
    """What a Parquet file gets wrong against its Table Schema and its CSV twin's rows
    (typed as frictionless read them; None: the CSV is invalid, only the columns are
    checked): a file pyarrow cannot read, columns other than the schema's fields or of
    another type, a value other than the CSV's. A Parquet file may hold null where a
    computed figure is too long for its decimal column (said by a ``value-not-in-parquet``
    warning), unless the field is required, and null where the CSV holds an empty string."""
    try:
        table = _read_parquet(path)
    except (OSError, pa.ArrowException) as e:
        return [{"resource": name, "type": "parquet-error", "message": f"The Parquet file cannot be read: {e}"}]
    fields = schema["fields"]
    if table.column_names != [f["name"] for f in fields]:
        message = f"The Parquet file's columns {table.column_names} are not the schema's fields"
        return [{"resource": name, "type": "parquet-column-error", "message": message}]
    errors = []
    for field, column in zip(fields, table.schema):
        expected = PARQUET_TYPES.get(field["type"], pa.types.is_string)
        if not expected(column.type):
            message = f"Column {column.name!r} is {column.type} in the Parquet file, not a {field['type']}"
            errors.append({"resource": name, "type": "parquet-column-error", "message": message})
    if errors or csv_rows is None:
        return errors
    if table.num_rows != len(csv_rows):
        message = f"The Parquet file holds {table.num_rows} rows, the CSV file {len(csv_rows)}"
        return [{"resource": name, "type": "parquet-value-error", "message": message}]
    keys = schema.get("primaryKey") or []
    for index, field in enumerate(fields):
        scale = getattr(table.schema.field(index).type, "scale", None)
        required = field.get("constraints", {}).get("required") or field["name"] in keys
        for row, (value, csv_row) in enumerate(zip(table.column(index).to_pylist(), csv_rows), start=1):
            csv_value = csv_row[index]
            if _same_value(value, csv_value) or (value is None and not required and _too_long(csv_value, scale)):
                continue
            where = f"row {row}, field {field['name']!r}"
            if value is None and _too_long(csv_value, scale):
                message = (
                    f"{where}: null in the Parquet file (too long for its decimal column), where the field is required"
                )
                errors.append({"resource": name, "type": "constraint-error", "message": message})
            else:
                message = f"{where}: {value!r} in the Parquet file, {csv_value!r} in the CSV file"
                errors.append({"resource": name, "type": "parquet-value-error", "message": message})
    return errors


def _same_value(parquet, csv_value) -> bool:
    """Whether a Parquet cell holds the CSV cell's value: equal and of one type, or an
    empty string (which a CSV file cannot tell from a missing value)."""
    if parquet == csv_value and type(parquet) is type(csv_value):
        return True
    return parquet == "" and csv_value is None


def _too_long(csv_value, scale: int | None) -> bool:
    """Whether a CSV figure does not fit its Parquet decimal column (null there)."""
    return isinstance(csv_value, Decimal) and scale is not None and _fitted(csv_value, scale, "", 0, None) is None


def zip_package(package_dir: Path, zip_path: Path) -> None:
    """A zip of the package folder with fixed entry dates and order."""
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for p in sorted(package_dir.rglob("*")):
            if p.is_file():
                info = zipfile.ZipInfo(p.relative_to(package_dir).as_posix(), ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                z.writestr(info, p.read_bytes())
