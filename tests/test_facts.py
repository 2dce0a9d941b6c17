"""What a data user meets: the facts resource adds up, amounts in 元 are right, the
Parquet resources validate and carry their metadata, the descriptor says what the
package is, and packages merge into one dataset DuckDB queries across organisations.

Seed 001 (Shanxi, 万元) and the real Shanghai / Jiangsu documents (元 and 万元)."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from frictionless import Package, system

from converters.facts import countable_rows
from converters.merge import merge_packages
from converters.pipeline import ConversionResult, convert
from tests.truth import FIXTURES, converted_pdf, corpus_file, read_csv

REAL_PDFS = sorted((FIXTURES / "real").glob("*.pdf"))
DOCUMENTS = [corpus_file("001", "pdf"), *REAL_PDFS]
#: Other provinces' disclosures whose tables the countable rule captures: Chongqing prints
#: each summary's 合计 above its lines, Yantai 一般公共预算收入 under 一、财政拨款收入,
#: Suzhou a procurement category over its unit over its item; Guangzhou, Zhuhai and
#: 国家信访局 print columns outside their schemas, which the check adds up too.
NATIONAL = [
    FIXTURES / "real2" / f"{name}.pdf"
    for name in (
        "cq_qixiang_2026_dept_budget",
        "qz_zhengfuban_2026_dept_budget",
        "yt_shenji_2026_dept_budget",
        "suzhou_yingji_2026_dept_budget",
        "gz_fagai_2026_dept_budget",
        "zh_gongwu_2026_dept_budget",
        "national_xinfangju_2026_dept_budget",
    )
]
YUAN = {"元": Decimal(1), "万元": Decimal(10000)}


def result_of(path: Path) -> ConversionResult:
    return converted_pdf(path)


def descriptor(result: ConversionResult) -> dict:
    return json.loads((result.package_dir / "datapackage.json").read_text(encoding="utf-8"))


def facts(result: ConversionResult) -> list[dict]:
    return read_csv(result.package_dir / "facts.csv")


@pytest.mark.parametrize("path", DOCUMENTS + NATIONAL, ids=lambda p: p.stem)
def test_countable_facts_add_up_to_every_printed_total(path: Path) -> None:
    """Per table, side, part and field: the countable amounts sum to the last total
    line (总计), within one unit of the last printed digit per summed amount."""
    rows = facts(result_of(path))
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for f in rows:
        groups[(f["resource"], f["side"], f["part"], f["field"])].append(f)
    compared = 0
    for key, members in groups.items():
        totals = [f for f in members if f["row_kind"] == "total"]
        if not totals:
            continue
        total = max(totals, key=lambda f: int(f["line_no"]))
        counted = [Decimal(f["value"]) for f in members if f["countable"] == "true"]
        digits = max(-Decimal(f["value"]).as_tuple().exponent for f in members)
        tolerance = max(1, len(counted)) * Decimal(1).scaleb(-digits)
        assert abs(sum(counted, Decimal(0)) - Decimal(total["value"])) <= tolerance, key
        compared += 1
    assert compared >= 10
    report = result_of(path).report
    assert report["checks_summary"]["evaluated"]["countable_facts_add_up"] == compared
    assert not [c for c in report["checks"] if c["rule"] == "countable_facts_add_up"]


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_countable_never_counts_a_parent_or_a_total(path: Path) -> None:
    """No countable line is a total, nor the parent of another printed code; and
    summing every line instead would count some tables twice (why the flag exists)."""
    rows = facts(result_of(path))
    parents = defaultdict(set)
    for resource in {f["resource"] for f in rows}:
        table = read_csv(result_of(path).package_dir / f"{resource}.csv")
        parents[resource] = {r["parent_code"] for r in table if r.get("parent_code")}
    countable = [f for f in rows if f["countable"] == "true"]
    assert countable and all(f["row_kind"] != "total" for f in countable)
    assert all(f["code"] not in parents[f["resource"]] for f in countable if f["code"])
    by_function = [f for f in rows if f["resource"] == "expenditure_by_function" and f["field"] == "total"]
    if any(f["level"] == "1" for f in by_function) and any(f["level"] == "3" for f in by_function):
        total = next(Decimal(f["value"]) for f in by_function if f["row_kind"] == "total")
        assert sum(Decimal(f["value"]) for f in by_function if f["row_kind"] != "total") > total


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_facts_are_the_printed_amounts_in_yuan(path: Path) -> None:
    """Every fact is the amount in its table's CSV, at its line and field, with the
    table's unit; amount_yuan is it times 1 (元) or 10000 (万元), exactly; every
    printed amount of the standard tables is a fact."""
    result = result_of(path)
    resources = {
        r["name"]: r for r in descriptor(result)["resources"] if r["format"] == "csv" and "budgetpack:money_unit" in r
    }
    by_place = {(f["resource"], f["line_no"], f["side"], f["part"], f["field"]): f for f in facts(result)}
    expected = 0
    for name, res in resources.items():
        money = [f["name"] for f in res["schema"]["fields"] if f["type"] == "number" and "unit" in f]
        for row in read_csv(result.package_dir / res["path"]):
            part = next((row[k] for k in ("stage", "category", "column_group") if row.get(k)), "")
            for field in money:
                if row[field] == "":
                    continue
                expected += 1
                fact = by_place[(name, row["line_no"], row.get("side", ""), part, field)]
                assert fact["value"] == row[field] and fact["unit"] == res["budgetpack:money_unit"]
                assert Decimal(fact["amount_yuan"]) == Decimal(row[field]) * YUAN[fact["unit"]]
    assert expected == len(by_place) > 0


def test_both_units_occur_and_convert() -> None:
    """The real documents print tables in 元 and in 万元: 1.5 万元 is 15000 元."""
    units = {f["unit"] for p in REAL_PDFS for f in facts(result_of(p))}
    assert units == {"元", "万元"}
    wan = next(f for p in REAL_PDFS for f in facts(result_of(p)) if f["unit"] == "万元" and "." in f["value"])
    assert Decimal(wan["amount_yuan"]) == Decimal(wan["value"]) * 10000


@pytest.mark.parametrize("path", [corpus_file("001", "pdf"), REAL_PDFS[0]], ids=lambda p: p.stem)
def test_frictionless_validates_csv_and_parquet_resources(path: Path) -> None:
    result = result_of(path)
    resources = descriptor(result)["resources"]
    csv_names = {r["name"] for r in resources if r["format"] == "csv"}
    parquet = [r for r in resources if r["format"] == "parquet"]
    assert {r["name"] for r in parquet} == {n + "_parquet" for n in csv_names}
    assert all(r["mediatype"] == "application/vnd.apache.parquet" for r in parquet)
    with system.use_context(trusted=True):
        report = Package(str(result.package_dir / "datapackage.json")).validate()
    assert report.valid, report.flatten(["resourceName", "type", "message"])[:5]
    validated = {t.name: t.stats.get("rows") for t in report.tasks}
    assert validated["facts_parquet"] == validated["facts"] == len(facts(result)) > 0


def test_a_damaged_parquet_resource_fails_validation(tmp_path: Path) -> None:
    """frictionless reads the Parquet data itself: a file whose amounts differ in type
    from the schema is invalid (the validation is not of the descriptor only)."""
    package = tmp_path / "package"
    shutil.copytree(result_of(REAL_PDFS[0]).package_dir, package)
    table = pq.read_table(package / "facts.parquet")
    broken = table.set_column(
        table.schema.get_field_index("line_no"), pa.field("line_no", pa.string()), pa.array(["x"] * table.num_rows)
    )
    pq.write_table(broken, package / "facts.parquet")
    with system.use_context(trusted=True):
        report = Package(str(package / "datapackage.json")).validate()
    assert not report.valid
    assert {t.name for t in report.tasks if not t.valid} == {"facts_parquet"}


@pytest.mark.parametrize("path", DOCUMENTS[:2], ids=lambda p: p.stem)
def test_duckdb_reads_parquet_metadata(path: Path) -> None:
    """Every Parquet file names its document, edition, source and table; fields carry
    title and unit; DuckDB reads the key-value metadata and sums decimals."""
    result = result_of(path)
    table = next(r for r in descriptor(result)["resources"] if r["format"] == "csv" and "budgetpack:money_unit" in r)
    meta = dict(
        duckdb.sql(
            "SELECT decode(key), decode(value) FROM parquet_kv_metadata(?) WHERE decode(key) NOT LIKE 'ARROW%'",
            params=[str(result.package_dir / table["parquet"]["path"])],
        ).fetchall()
    )
    assert meta["title"] == table["title"] and meta["unit"] == table["budgetpack:money_unit"]
    assert meta["resource"] == table["name"]
    doc = result.report["document"]
    assert meta["organisation"] == doc["organisation"] and meta["year"] == str(doc["year"])
    assert meta["template_family"] == doc["template_family"] and meta["document_kind"] == doc["document_kind"]
    assert meta["source_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert meta["budgetpack_version"] == result.report["budgetpack_version"]
    fields = pq.read_schema(result.package_dir / "facts.parquet")
    assert fields.field("amount_yuan").metadata[b"unit"] == "元".encode()
    assert fields.field("amount_yuan").metadata[b"title"] == "金额（元）".encode()
    query = "SELECT resource, side, part, field, sum(amount_yuan) FROM read_parquet(?) WHERE countable GROUP BY ALL"
    sums = duckdb.sql(query, params=[str(result.package_dir / "facts.parquet")]).fetchall()
    assert sums and all(isinstance(s[-1], Decimal) for s in sums)


def test_descriptor_metadata(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("BUDGETPACK_LICENSE", "CC-BY-4.0=https://creativecommons.org/licenses/by/4.0/")
    path = REAL_PDFS[0]
    result = convert(path, tmp_path / "p", original_name="原件.pdf")
    d = descriptor(result)
    assert d["sources"] == [
        {
            "title": "原件.pdf",
            "budgetpack:sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "budgetpack:pages": result.report["source"]["page_count"],
        }
    ]
    assert d["licenses"] == [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}]
    assert d["created"].endswith("Z") and d["description"]
    assert d["budgetpack:document_kind"] == result.report["document"]["document_kind"]
    assert not any("a" <= ch.lower() <= "z" for ch in d["title"]) and "disclosure data" in d["budgetpack:title_en"]
    checks = next(r for r in d["resources"] if r["name"] == "checks")
    assert checks["title"] == "检查结果" and checks["budgetpack:title_en"].startswith("Checks")
    monkeypatch.delenv("BUDGETPACK_LICENSE")
    assert "licenses" not in descriptor(convert(path, tmp_path / "q"))


def test_performance_projects_unit_is_the_printed_one() -> None:
    units = set()
    for path in DOCUMENTS:
        res = next((r for r in descriptor(result_of(path))["resources"] if r["name"] == "performance_projects"), None)
        if res is None:
            continue
        money = [f for f in res["schema"]["fields"] if f["type"] == "number" and "unit" in f]
        printed = {r["money_unit"] for r in read_csv(result_of(path).package_dir / "performance_projects.csv")}
        assert money and {f["unit"] for f in money} - {"%"} == printed
        units |= printed
    assert units and "money_unit" not in units


def test_merge_of_the_real_packages_is_one_dataset(tmp_path: Path) -> None:
    """Four documents, three template editions: every resource holds every document's
    rows, resources only some have are reported, the package validates, and DuckDB
    sums countable facts per organisation in 元."""
    packages = [result_of(p).package_dir for p in REAL_PDFS]
    merged = merge_packages(packages, tmp_path / "merged")
    assert merged.report["validation"]["valid"], merged.report["validation"]["errors"][:5]
    d = descriptor(merged)
    assert len(d["sources"]) == 4 and len(d["budgetpack:documents"]) == 4
    inputs = [descriptor(result_of(p)) for p in REAL_PDFS]
    for name, summary in merged.report["resources"].items():
        having = [i for i in inputs if any(r["name"] == name for r in i["resources"])]
        assert summary["documents"] == len(having) and len(summary["absent_from"]) == 4 - len(having)
        rows = read_csv(tmp_path / "merged" / f"{name}.csv")
        assert (
            len(rows)
            == summary["rows"]
            == sum(
                len(read_csv(result_of(p).package_dir / f"{name}.csv"))
                for p in REAL_PDFS
                if (result_of(p).package_dir / f"{name}.csv").exists()
            )
        )
    assert any(s["absent_from"] for s in merged.report["resources"].values())
    facts_file = str(tmp_path / "merged" / "facts.parquet")
    per_org = duckdb.sql(
        "SELECT organisation, year, document_kind, count(*), sum(amount_yuan) FROM read_parquet(?) "
        "WHERE countable GROUP BY ALL ORDER BY organisation",
        params=[facts_file],
    ).fetchall()
    assert len({r[0] for r in per_org}) == 4
    for path in REAL_PDFS:
        org = result_of(path).report["document"]["organisation"]
        own = [f for f in facts(result_of(path)) if f["countable"] == "true"]
        row = next(r for r in per_org if r[0] == org)
        assert row[3] == len(own) and row[4] == sum(Decimal(f["amount_yuan"]) for f in own)
    columns = [
        c[0]
        for c in duckdb.sql(
            "DESCRIBE SELECT * FROM read_parquet(?)",
            params=[str(tmp_path / "merged" / "income_expenditure_summary.parquet")],
        ).fetchall()
    ]
    assert columns[:5] == ["organisation", "year", "document_kind", "source", "money_unit"]


def test_cli_merge_and_convert_merge(tmp_path: Path) -> None:
    cli = [sys.executable, "-m", "service.cli"]
    root = Path(__file__).resolve().parent.parent
    packages = [str(result_of(p).package_dir) for p in REAL_PDFS[:2]]
    run = subprocess.run(
        [*cli, "merge", *packages, "-o", str(tmp_path / "m")], cwd=root, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr
    assert "merged 2 packages" in run.stdout and "only in some documents" in run.stdout
    run = subprocess.run(
        [*cli, "convert", str(REAL_PDFS[2]), str(REAL_PDFS[3]), "--merge", "-o", str(tmp_path / "c"), "--json"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert [line["input"] for line in lines][-1] == "merge" and all(line["ok"] for line in lines)
    with (tmp_path / "c" / "facts.csv").open(encoding="utf-8", newline="") as f:
        assert len({r["source"] for r in csv.DictReader(f)}) == 2


def lines(*printed: tuple[str, str]) -> list[dict]:
    """Unnumbered data lines (name, total) under a 合计 line printing their sum."""
    rows = [{"row_kind": "data", "name": name, "total": Decimal(total)} for name, total in printed]
    return [{"row_kind": "total", "name": "合计", "total": sum(r["total"] for r in rows) / 2}, *rows]


def test_unnumbered_units_over_their_classes_count_and_the_classes_do_not() -> None:
    """Lines that are the sums of the lines under them, up to the next such line, head
    groups (a unit over its economic classes): the heads count, what is under them does
    not; one unit of the last digit per summed line is the document's rounding."""
    rows = lines(
        ("本级", "11463.44"),
        ("工资福利支出", "7655.91"),
        ("商品和服务支出", "810.96"),
        ("对个人和家庭的补助", "2996.57"),
        ("储备粮管理中心", "1862.24"),
        ("工资福利支出", "1662.06"),
        ("商品和服务支出", "133.31"),
        ("资本性支出", "7.00"),
        ("对个人和家庭的补助", "59.86"),
    )
    assert [r["name"] for r in countable_rows(rows, ["total"])] == ["本级", "储备粮管理中心"]


def test_unnumbered_lines_under_a_numbered_line_that_they_add_up_to_do_not_count() -> None:
    """Shenzhen Bao'an's 收支总表 numbers each 类 (一、) and prints its 款 and 项 below it
    unnumbered, told apart only by indenting: the numbered lines count. An unnumbered
    line that does not add up to the numbered line above it is a line of its own."""
    printed = [
        ("一、社会保障和就业支出", "705.00"),
        ("行政事业单位养老支出", "705.00"),
        ("行政单位离退休", "264.00"),
        ("机关事业单位基本养老保险缴费支出", "304.00"),
        ("机关事业单位职业年金缴费支出", "137.00"),
        ("二、卫生健康支出", "124.00"),
        ("行政单位医疗", "124.00"),
        ("三、其他支出", "10.00"),
        ("其他收入安排的支出", "4.00"),
    ]
    rows = [{"row_kind": "data", "name": name, "total": Decimal(total)} for name, total in printed]
    total = {"row_kind": "total", "name": "支出总计", "total": Decimal("843.00")}
    counted = countable_rows([*rows, total], ["total"])
    assert [r["name"] for r in counted] == [
        "一、社会保障和就业支出",
        "二、卫生健康支出",
        "三、其他支出",
        "其他收入安排的支出",
    ]


def test_groups_within_groups_count_by_their_outermost_heads() -> None:
    """A unit over its economic classes, each over its items (or a procurement category
    over its units over their items), told apart only by indenting: the unit counts."""
    rows = lines(
        ("服务", "30.00"),
        ("甲单位", "20.00"),
        ("物业管理", "12.00"),
        ("印刷", "8.00"),
        ("乙单位", "10.00"),
        ("物业管理", "10.00"),
        ("货物", "5.00"),
        ("甲单位", "5.00"),
        ("办公设备", "5.00"),
    )
    assert [r["name"] for r in countable_rows(rows, ["total"])] == ["服务", "货物"]


def test_suzhou_procurement_and_operating_expenses_count_each_amount_once() -> None:
    """Suzhou's 公开13表 prints a category over its unit over its item (named in its
    专项名称 and 采购品目名称 columns): the item counts. Its 机关运行经费 table codes a
    class (302) over its items (30201 …) in a table whose rows keep no parent code,
    under a column headed 机关运行经费支出 (the table's total): the items count."""
    result = result_of(FIXTURES / "real2" / "suzhou_yingji_2026_dept_budget.pdf")
    counted = defaultdict(list)
    for f in facts(result):
        if f["countable"] == "true":
            counted[f["resource"], f["field"]].append((f["name"], Decimal(f["value"])))
    assert counted["government_procurement", "total"] == [("公共安全服务", Decimal("1099.35"))]
    operating = counted["operating_expenses", "total"]
    assert ("商品和服务支出", Decimal("474.89")) not in operating
    assert sum(v for _, v in operating) == Decimal("474.89")
    assert not [c for c in result.report["checks"] if c["rule"] == "countable_facts_add_up"]


def test_a_long_table_that_falls_into_no_groups_is_given_up_on() -> None:
    """The search for groups is bounded: 400 lines of which none makes up the lines
    under it all count, at once."""
    rows = lines(*((f"第{n}行", f"{n}.{n % 7}1") for n in range(1, 401)))
    assert countable_rows(rows, ["total"]) == rows[1:]


@pytest.mark.parametrize(
    "printed",
    [
        (("甲", "5.00"), ("乙", "3.00"), ("丙", "1.00")),
        (("甲", "5.00"), ("乙", "5.00"), ("丙", "2.00")),
        (("甲", "5.00"), ("乙", "2.00"), ("丙", "3.00"), ("丁", "1.00")),
    ],
    ids=["flat", "a pair alike", "a group then a line alone"],
)
def test_lines_that_do_not_fall_into_groups_all_count(printed) -> None:
    """Where the lines are not all heads and the lines under them, every line counts."""
    rows = lines(*printed)
    assert countable_rows(rows, ["total"]) == rows[1:]


def test_guangzhou_units_count_over_their_economic_classes() -> None:
    """Guangzhou's 表11 (部门预算基本支出预算表) lists six units, each over its economic
    classes, unnumbered: the units are the countable lines and sum to the printed 合计
    (16,877.61 万元), so no check reports the table."""
    result = result_of(FIXTURES / "real2" / "gz_fagai_2026_dept_budget.pdf")
    basic = [f for f in facts(result) if f["resource"] == "basic_expenditure" and f["field"] == "total"]
    counted = [f for f in basic if f["countable"] == "true"]
    assert [f["name"] for f in counted] == [
        "广州市发展和改革委员会（本级）",
        "广州市节能中心",
        "广州市政府投资项目研究评审中心",
        "广州市价格监测和成本调查中心",
        "广州市发展和改革委员会价格认定中心",
        "广州市储备粮管理中心",
    ]
    assert sum(Decimal(f["value"]) for f in counted) == Decimal("16877.61")
    assert not [c for c in result.report["checks"] if c["rule"] == "countable_facts_add_up"]
