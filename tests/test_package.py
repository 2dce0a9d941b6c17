"""Parquet columns hold every printed amount exactly, whatever its size."""

from __future__ import annotations

import io
import json
import os
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq

from converters import package as package_module
from converters.package import ResourceData, parquet_bytes, validate_package, write_package
from converters.values import parse_amount

SCHEMA = {"fields": [{"name": "total", "type": "number"}]}


def read_back(data: bytes) -> pa.Table:
    return pq.read_table(io.BytesIO(data))


def test_longest_printed_amounts_fit_exactly() -> None:
    """28 digits before the point (a 万元 figure decimal128(22, 2) overflowed on) and 10
    after it, in one column: both come back digit for digit."""
    printed = ["1,234,567,890,123,456,789,012,345,678", "0.1234567891", "－51,753.36"]
    rows = [{"total": parse_amount(p).value} for p in printed]
    table = read_back(parquet_bytes(SCHEMA, rows))
    assert table.schema.field("total").type == pa.decimal128(38, 10)
    assert table.column("total").to_pylist() == [
        Decimal("1234567890123456789012345678"),
        Decimal("0.1234567891"),
        Decimal("-51753.36"),
    ]


def test_figures_longer_than_any_budget_prints_are_unreadable() -> None:
    assert parse_amount("1" * 29).reason == "unreadable"
    assert parse_amount("0." + "1" * 11).reason == "unreadable"


def test_computed_value_too_long_for_parquet_is_a_warning(tmp_path) -> None:
    """A figure no printed cell can give (a check's sum of absurd values) is null in the
    Parquet file and named in a warning; the CSV keeps it; nothing crashes."""
    rows = [{"total": Decimal("9" * 37)}, {"total": Decimal(1) / Decimal(3)}]
    warnings = write_package(tmp_path, "p", "p", [ResourceData("checks", "checks", SCHEMA, rows, {})], {}).warnings
    assert read_back((tmp_path / "checks.parquet").read_bytes()).column("total").to_pylist() == [
        None,
        Decimal("0.3333333333333333333333333333"),
    ]
    assert "9" * 37 in (tmp_path / "checks.csv").read_text()
    assert [(w.code, w.table) for w in warnings] == [("value-not-in-parquet", "checks")]
    assert "row 1" in warnings[0].message


def test_parquet_bytes_are_deterministic() -> None:
    rows = [{"total": Decimal("12.5")}, {"total": None}]
    assert parquet_bytes(SCHEMA, rows) == parquet_bytes(SCHEMA, rows)


def test_one_value_too_long_leaves_the_rest_of_its_column_alone() -> None:
    """A computed fraction of 39 digits fits no Parquet decimal: it alone is null, and the
    column keeps the scale its ordinary values print (100 written 1E+2 included)."""
    rows = [
        {"total": Decimal("1E+2")},
        {"total": Decimal("0." + "1" * 39)},
        {"total": Decimal("1" * 28)},
        {"total": Decimal("3.25")},
    ]
    left_out: list[str] = []
    table = read_back(parquet_bytes(SCHEMA, rows, left_out))
    assert table.schema.field("total").type == pa.decimal128(38, 2)
    assert table.column("total").to_pylist() == [Decimal("100.00"), None, Decimal("1" * 28), Decimal("3.25")]
    assert len(left_out) == 1 and "row 2" in left_out[0]


CHECKS_SCHEMA = {
    "fields": [
        {"name": "name", "type": "string"},
        {"name": "total", "type": "number", "constraints": {"required": True}},
    ]
}


def written_checks(tmp_path, rows: list[dict]) -> None:
    write_package(tmp_path, "p", "p", [ResourceData("checks", "checks", CHECKS_SCHEMA, rows, {})], {})


def errors_of(tmp_path) -> list[tuple[str, str]]:
    return [(e["resource"], e["type"]) for e in validate_package(tmp_path)["errors"]]


def test_a_parquet_file_that_breaks_its_schema_fails_validation(tmp_path) -> None:
    """The Parquet files are validated themselves, not taken on trust from their CSV
    twins: a required amount missing from the Parquet file alone is reported on it."""
    written_checks(tmp_path, [{"name": "合计", "total": Decimal("1.5")}])
    assert validate_package(tmp_path) == {"valid": True, "errors": [], "error_count": 0}
    broken = pa.table({"name": ["合计"], "total": pa.array([None], pa.decimal128(38, 1))})
    pq.write_table(broken, tmp_path / "checks.parquet")
    report = validate_package(tmp_path)
    assert [(e["resource"], e["type"]) for e in report["errors"]] == [("checks_parquet", "parquet-value-error")]
    assert "row 1, field 'total'" in report["errors"][0]["message"]


def test_a_parquet_value_other_than_the_csv_one_fails_validation(tmp_path) -> None:
    """An amount the schema allows but the CSV file does not hold (1.6 for 1.5) is an
    error: the two files must hold one table."""
    written_checks(tmp_path, [{"name": "合计", "total": Decimal("1.5")}])
    pq.write_table(
        pa.table({"name": ["合计"], "total": pa.array([Decimal("1.6")], pa.decimal128(38, 1))}),
        tmp_path / "checks.parquet",
    )
    assert errors_of(tmp_path) == [("checks_parquet", "parquet-value-error")]


def test_a_parquet_column_of_another_type_fails_validation(tmp_path) -> None:
    """Money written as text, or columns out of the schema's order, are errors even
    where the text reads as the same amount."""
    written_checks(tmp_path, [{"name": "合计", "total": Decimal("1.5")}])
    pq.write_table(pa.table({"name": ["合计"], "total": ["1.5"]}), tmp_path / "checks.parquet")
    assert errors_of(tmp_path) == [("checks_parquet", "parquet-column-error")]
    pq.write_table(
        pa.table({"total": pa.array([Decimal("1.5")], pa.decimal128(38, 1)), "name": ["合计"]}),
        tmp_path / "checks.parquet",
    )
    assert errors_of(tmp_path) == [("checks_parquet", "parquet-column-error")]


def test_a_csv_error_is_listed_for_its_parquet_twin_too(tmp_path) -> None:
    """The Parquet file holds the CSV file's values under the same schema, so what is
    wrong with one is wrong with the other: both are named."""
    written_checks(tmp_path, [{"name": "合计", "total": None}])
    assert errors_of(tmp_path) == [("checks", "constraint-error"), ("checks_parquet", "constraint-error")]


def test_nulls_a_csv_file_cannot_tell_apart_are_the_same_value(tmp_path) -> None:
    """A figure too long for the Parquet decimal (null there, warned of) and an empty
    string (a missing value in the CSV file) do not make the package invalid, unless
    the field is required: then the Parquet file breaks its schema."""
    rows = [{"name": "", "total": Decimal("9" * 37)}, {"name": "合计", "total": Decimal(1) / Decimal(3)}]
    write_package(tmp_path, "p", "p", [ResourceData("checks", "checks", SCHEMA, rows, {})], {})
    assert validate_package(tmp_path) == {"valid": True, "errors": [], "error_count": 0}
    written_checks(tmp_path, rows)
    report = validate_package(tmp_path)
    assert [(e["resource"], e["type"]) for e in report["errors"]] == [("checks_parquet", "constraint-error")]
    assert "row 1, field 'total'" in report["errors"][0]["message"]


def test_a_parquet_resource_with_a_schema_of_its_own_is_validated_by_frictionless(tmp_path) -> None:
    """Only a twin with its CSV's schema is checked against the CSV: a constraint the
    Parquet resource alone states is applied to its own file."""
    written_checks(tmp_path, [{"name": "合计", "total": Decimal("1.5")}])
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    twin = next(r for r in descriptor["resources"] if r["name"] == "checks_parquet")
    twin["schema"]["fields"][1]["constraints"]["maximum"] = 1
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    assert errors_of(tmp_path) == [("checks_parquet", "constraint-error")]


def test_a_parquet_file_that_cannot_be_read_is_a_validation_error(tmp_path) -> None:
    """A Parquet file pyarrow cannot read (here cut short) makes the package invalid,
    with the resource named, instead of stopping the validation."""
    schema = {"fields": [{"name": "name", "type": "string"}, {"name": "total", "type": "number"}]}
    rows = [{"name": "合计", "total": Decimal("1.5")}]
    write_package(tmp_path, "p", "p", [ResourceData("checks", "checks", schema, rows, {})], {})
    parquet = tmp_path / "checks.parquet"
    parquet.write_bytes(parquet.read_bytes()[:40])
    report = validate_package(tmp_path)
    assert not report["valid"]
    assert {e["resource"] for e in report["errors"]} == {"checks_parquet"}


def test_an_invalid_descriptor_stops_the_validation_with_its_own_errors(tmp_path) -> None:
    """A descriptor frictionless refuses (a field of no known type) is the package's
    error: reported on no resource, no file read against it; the errors of the
    resources come in the descriptor's order otherwise."""
    tables = [
        ResourceData(name, name, CHECKS_SCHEMA, [{"name": name, "total": total}], {})
        for name, total in (("a", Decimal("1.5")), ("b", None), ("c", Decimal("2")), ("d", None))
    ]
    write_package(tmp_path, "p", "p", tables, {})
    assert [(e["resource"], e["type"]) for e in validate_package(tmp_path)["errors"]] == [
        ("b", "constraint-error"),
        ("d", "constraint-error"),
        ("b_parquet", "constraint-error"),
        ("d_parquet", "constraint-error"),
    ]
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    descriptor["resources"][0]["schema"]["fields"][0]["type"] = "no-such-type"
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    report = validate_package(tmp_path)
    assert not report["valid"] and {e["resource"] for e in report["errors"]} == {None}


def test_validation_shared_with_a_forked_process_finds_the_same_errors(tmp_path, monkeypatch) -> None:
    """With two workers a forked process validates part of the resources: the errors
    are the same, in the descriptor's order, wherever each resource was validated."""
    tables = [
        ResourceData(name, name, CHECKS_SCHEMA, [{"name": name, "total": None if k % 3 else Decimal(k)}] * (k + 1), {})
        for k, name in enumerate("abcdefghijk")
    ]
    write_package(tmp_path / "p", "p", "p", tables, {})
    alone = validate_package(tmp_path / "p")
    assert alone["error_count"] == 2 * sum(k + 1 for k in range(11) if k % 3)
    validated_by = tmp_path / "pids"
    errors = package_module._Validation.errors

    def noting_the_process(self, resources):
        with validated_by.open("a") as f:
            f.write(f"{os.getpid()} {len(resources)}\n")
        return errors(self, resources)

    monkeypatch.setattr(package_module._Validation, "errors", noting_the_process)
    assert validate_package(tmp_path / "p", workers=2) == alone
    shares = [line.split() for line in validated_by.read_text().splitlines()]
    assert len({pid for pid, _ in shares}) == 2 and sum(int(n) for _, n in shares) == 11
    resources = [r["resource"] for r in alone["errors"]]
    assert resources == sorted(resources, key=lambda name: (name.endswith("_parquet"), name))
