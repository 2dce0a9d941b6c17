"""The command line, run as a user runs it: the installed ``budgetpack`` script."""
from __future__ import annotations

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
    return subprocess.run([*BUDGETPACK, *args], capture_output=True, text=True, timeout=300, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(REPO)})


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
    assert by_input["notes.pdf"] == {"input": str(bad), "ok": False, "code": "unsupported-media-type",
                                     "detail": by_input["notes.pdf"]["detail"]}
    assert (tmp_path / "out" / "a" / "datapackage.json").exists()
    assert (tmp_path / "out" / "b" / "datapackage.json").exists()


def test_input_named_like_an_option(tmp_path):
    """After "--", a file called -x.pdf is an input like any other, and its name reaches the report."""
    shutil.copy(corpus_file("000", "pdf"), tmp_path / "-x.pdf")
    done = run("convert", "-o", "out", "--", "-x.pdf", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["source"]["name"] == "-x.pdf" and report["validation"]["valid"]
