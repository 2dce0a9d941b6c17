"""The command line, run as a user runs it: the installed ``budgetpack`` script."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.truth import corpus_file

REPO = Path(__file__).resolve().parent.parent
BUDGETPACK = [sys.executable, "-m", "service.cli"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*BUDGETPACK, *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def test_one_input_writes_a_package_folder(tmp_path):
    out = tmp_path / "out"
    done = run("convert", str(corpus_file("000", "docx")), "-o", str(out))
    assert done.returncode == 0, done.stderr
    names = {p.name for p in out.iterdir()}
    assert {"datapackage.json", "report.json", "income_by_function.csv", "income_by_function.parquet"} <= names
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["validation"]["valid"]


def test_zip_option_writes_one_file(tmp_path):
    done = run("convert", str(corpus_file("003", "docx")), "-o", str(tmp_path / "pkg"), "--zip")
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(tmp_path / "pkg.zip") as z:
        assert "datapackage.json" in z.namelist() and "report.json" in z.namelist()


def test_batch_converts_in_parallel_and_exit_code_says_one_failed(tmp_path):
    bad = tmp_path / "notes.pdf"
    bad.write_text("not a pdf at all", encoding="utf-8")
    inputs = [tmp_path / "a.docx", tmp_path / "b.docx", bad]
    shutil.copy(corpus_file("000", "docx"), inputs[0])
    shutil.copy(corpus_file("004", "docx"), inputs[1])
    done = run("convert", *map(str, inputs), "-o", str(tmp_path / "out"), "--json", "-j", "2")
    assert done.returncode == 1
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    by_input = {Path(r["input"]).name: r for r in lines}
    assert by_input["a.docx"]["ok"] and by_input["a.docx"]["family"] == "shanxi_budget"
    assert by_input["b.docx"]["ok"] and by_input["b.docx"]["family"] == "hebei_budget"
    assert by_input["notes.pdf"] == {
        "input": str(bad),
        "ok": False,
        "code": "unsupported-media-type",
        "detail": by_input["notes.pdf"]["detail"],
    }
    assert (tmp_path / "out" / "a" / "datapackage.json").exists()
    assert (tmp_path / "out" / "b" / "datapackage.json").exists()


#: Fields of report.json that say when the package was made.
TIME_FIELDS = {"generated_at"}


def untimed(report: dict) -> dict:
    return {k: v for k, v in report.items() if k not in TIME_FIELDS}


def test_zip_bytes_do_not_depend_on_the_hash_seed(tmp_path):
    """Two processes with different PYTHONHASHSEED (so sets of strings iterate in other
    orders) write the same zip: same entries in the same order, the same bytes in each,
    report.json the same but for when it was made (the descriptor's ``created`` is
    pinned by SOURCE_DATE_EPOCH)."""
    procs = [
        subprocess.Popen(
            [*BUDGETPACK, "convert", str(corpus_file("000", "pdf")), "-o", str(tmp_path / seed), "--zip"],
            env={**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1767225600"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for seed in ("1", "4242")
    ]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()
    with zipfile.ZipFile(tmp_path / "1.zip") as a, zipfile.ZipFile(tmp_path / "4242.zip") as b:
        assert a.namelist() == b.namelist()
        assert len(a.namelist()) > 2
        for name in a.namelist():
            if name == "report.json":
                first, second = (json.loads(z.read(name)) for z in (a, b))
                assert first.keys() >= TIME_FIELDS
                assert untimed(first) == untimed(second)
            else:
                assert a.read(name) == b.read(name), name
                assert a.getinfo(name).date_time == b.getinfo(name).date_time, name


def test_input_named_like_an_option(tmp_path):
    """After "--", a file called -x.pdf is an input like any other, and its name reaches the report."""
    shutil.copy(corpus_file("000", "pdf"), tmp_path / "-x.pdf")
    done = run("convert", "-o", "out", "--", "-x.pdf", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["source"]["name"] == "-x.pdf" and report["validation"]["valid"]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_same_stems_get_distinct_folders_and_a_rerun_replaces_them(tmp_path):
    inputs = [tmp_path / "a" / "x.docx", tmp_path / "b" / "x.docx", tmp_path / "c" / "x.pdf"]
    for path, (doc, kind) in zip(inputs, [("000", "docx"), ("004", "docx"), ("003", "pdf")]):
        path.parent.mkdir()
        shutil.copy(corpus_file(doc, kind), path)
    out = tmp_path / "out"
    first = run("convert", *map(str, inputs), "-o", str(out), "-j", "2")
    assert first.returncode == 0, first.stderr
    expected = {inputs[0]: out / "x_docx", inputs[1]: out / "x_docx_2", inputs[2]: out / "x_pdf"}
    for src, folder in expected.items():
        assert f"{src} -> {folder}" in first.stdout
        report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
        assert report["source"]["sha256"] == sha256(src)
    earlier_table(out / "x_docx")

    again = run("convert", *map(str, reversed(inputs)), "-o", str(out), "--json")
    assert again.returncode == 0, again.stderr
    assert {r["input"]: r["output"] for r in map(json.loads, again.stdout.splitlines())} == {
        str(src): str(folder) for src, folder in expected.items()
    }
    assert not (out / "x_docx" / "stale_table.csv").exists()
    assert (out / "x_docx" / "datapackage.json").exists()
    assert sorted(p.name for p in out.iterdir()) == ["x_docx", "x_docx_2", "x_pdf"]  # no staging folders left


def earlier_table(package: Path) -> None:
    """Make ``package`` look like one an earlier run wrote with one more table."""
    (package / "stale_table.csv").write_text("left from an earlier run\n", encoding="utf-8")
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"].append({"name": "stale_table", "path": "stale_table.csv"})
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def test_a_folder_with_a_package_and_other_files_is_left_alone(tmp_path):
    """A project folder that holds a datapackage.json among the user's own files is no
    package budgetpack may replace: nothing in it is touched."""
    first = run("convert", str(corpus_file("003", "docx")), "-o", str(tmp_path / "project"))
    assert first.returncode == 0, first.stderr
    (tmp_path / "project" / "thesis.tex").write_text("mine", encoding="utf-8")
    before = sorted(p.name for p in (tmp_path / "project").iterdir())
    done = run("convert", str(corpus_file("000", "docx")), "-o", str(tmp_path / "project"))
    assert done.returncode == 1
    assert "invalid-request" in done.stderr and "left alone" in done.stderr
    assert sorted(p.name for p in (tmp_path / "project").iterdir()) == before


def test_one_file_named_twice_keeps_the_batch_layout(tmp_path):
    """Two arguments mean one folder per input inside -o, even when both name one file."""
    shutil.copy(corpus_file("003", "docx"), tmp_path / "a.docx")
    done = run("convert", "a.docx", "./a.docx", "-o", "out", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a"]


def test_a_folder_that_is_not_a_package_is_left_alone(tmp_path):
    mine = tmp_path / "documents"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine", encoding="utf-8")
    done = run("convert", str(corpus_file("003", "docx")), "-o", str(mine))
    assert done.returncode == 1
    assert "invalid-request" in done.stderr and "left alone" in done.stderr
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


def test_an_unexpected_error_in_one_input_does_not_stop_the_others(tmp_path):
    """Reading /proc/self/mem from its start fails with an I/O error, as a failing disk would."""
    good = tmp_path / "good.docx"
    shutil.copy(corpus_file("003", "docx"), good)
    done = run("convert", "/proc/self/mem", str(good), "-o", str(tmp_path / "out"), "--json", "-j", "2")
    assert done.returncode == 1
    by_input = {r["input"]: r for r in map(json.loads, done.stdout.splitlines())}
    assert by_input[str(good)]["ok"] and (tmp_path / "out" / "good" / "datapackage.json").exists()
    failed = by_input["/proc/self/mem"]
    assert not failed["ok"] and failed["code"] == "internal-error" and "OSError" in failed["detail"]
    assert "Traceback" in done.stderr  # for a bug report, on stderr only


def test_a_partial_read_is_said_in_the_summary_line(tmp_path):
    """Shanghai 2023's performance forms lose their funds and indicator values: the
    summary line and report.warnings say so; a document read whole says nothing of it."""
    partial = REPO / "tests/fixtures/real/sh_putuo_wanli_2023_dept_budget.pdf"
    done = run("convert", str(partial), "-o", str(tmp_path / "sh"))
    assert done.returncode == 0, done.stderr
    assert "5 of 5 performance forms read in part: 5 without funds, 0 of 65 indicator values read" in done.stdout
    warnings = json.loads((tmp_path / "sh" / "report.json").read_text(encoding="utf-8"))["warnings"]
    partial_reads = [w for w in warnings if w["code"] == "partial-read"]
    assert len(partial_reads) == 1 and partial_reads[0]["message_zh"].startswith("5 张绩效目标表中 5 张只读出部分")
    whole = run("convert", str(corpus_file("000", "pdf")), "-o", str(tmp_path / "whole"), "--json")
    assert json.loads(whole.stdout)["partly_read"] == []
    assert "read in part" not in run("convert", str(corpus_file("000", "pdf")), "-o", str(tmp_path / "w2")).stdout
