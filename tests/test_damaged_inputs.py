"""Damaged and hostile files are answered in seconds, through the CLI, the service and fuzzed mutants.

The four PDFs of tests/hostile.py ``DAMAGED`` each once held a conversion for the whole
time limit or longer; mild damage a viewer opens converts, with a warning; seeded
mutants of corpus files (tests/mutants.py) end in a package or a stable code.
"""

from __future__ import annotations

import io
import json
import os
import random
import resource
import subprocess
import sys
import time
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest
import requests

from converters.errors import ConversionError
from converters.pipeline import convert
from converters.sniff import inspect_input
from tests import hostile, mutants
from tests.test_service import assert_problem, submit

REPO = Path(__file__).resolve().parent.parent
#: CPU seconds a damaged file may cost, start to answer (about twice what the slowest takes).
ANSWER_SECONDS = 10
#: Wall seconds a damaged file may take while the suite's other process loads the machine:
#: a hang (pdfminer retrying a stream byte by byte, a loop in the file) takes minutes.
WALL_SECONDS = 3 * ANSWER_SECONDS


@pytest.fixture(scope="module")
def damaged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return hostile.write_damaged(tmp_path_factory.mktemp("damaged"))


def cli_convert(source: Path, out: Path) -> tuple[dict, float, float]:
    """The CLI's answer, its wall seconds and the CPU seconds of its process tree."""
    started, cpu_before = time.monotonic(), _children_cpu()
    proc = subprocess.run(
        [sys.executable, "-m", "service.cli", "convert", "--json", str(source), "-o", str(out)],
        cwd=REPO,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        capture_output=True,
        timeout=120,
    )
    return json.loads(proc.stdout), time.monotonic() - started, _children_cpu() - cpu_before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@pytest.mark.parametrize("name", sorted(hostile.DAMAGED))
def test_damaged_pdfs_are_answered_in_seconds_through_the_cli(damaged, tmp_path: Path, name: str) -> None:
    result, seconds, cpu = cli_convert(damaged[name], tmp_path / "out")
    assert cpu <= ANSWER_SECONDS and seconds <= WALL_SECONDS, (cpu, seconds)
    assert ("package" if result["ok"] else result["code"]) == hostile.DAMAGED[name][1], result


@pytest.mark.parametrize("name", sorted(hostile.DAMAGED))
def test_damaged_pdfs_are_answered_in_seconds_through_the_service(server, damaged, name: str) -> None:
    started = time.monotonic()
    with damaged[name].open("rb") as f:
        r = requests.post(server.url + "/api/v1/convert", files={"file": (name, f)}, timeout=120)
    assert time.monotonic() - started <= WALL_SECONDS
    if hostile.DAMAGED[name][1] == "package":
        assert r.status_code == 200, r.text[:500]
    else:
        assert_problem(r, 422, hostile.DAMAGED[name][1], server)


def tables(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def test_a_pdf_with_a_shifted_xref_table_converts_to_the_same_tables_with_a_warning(damaged, tmp_path: Path) -> None:
    good = convert(hostile.DAMAGED_BASE, tmp_path / "good")
    shifted = convert(damaged["shifted-xref.pdf"], tmp_path / "shifted")
    assert tables(tmp_path / "shifted") == tables(tmp_path / "good")
    assert shifted.report["source"]["page_count"] == good.report["source"]["page_count"] == 34
    warning = shifted.report["warnings"][0]
    assert warning["code"] == "damaged-pdf" and "cross-reference table" in warning["message"]
    assert not any(w["code"] == "damaged-pdf" for w in good.report["warnings"])


@pytest.mark.parametrize("name", ["self-containing-pages.pdf", "count-lie.pdf"])
def test_page_counts_are_the_pages_the_tree_holds(damaged, name: str) -> None:
    assert inspect_input(damaged[name], max_pages=100).page_count == 34


@pytest.mark.parametrize("count", [b"2", b"1000", b"1000000"])
def test_a_count_that_lies_is_no_reason_to_refuse(tmp_path: Path, count: bytes) -> None:
    """One page whose tree claims more: neither too many pages nor a page that cannot be read."""
    path = tmp_path / "one.pdf"
    path.write_bytes(hostile.text_pdf().replace(b"/Count 1", b"/Count " + count))
    assert inspect_input(path, max_pages=100).page_count == 1


def test_a_docm_converts_its_document_part(tmp_path: Path) -> None:
    docm = tmp_path / "budget.docm"
    docm.write_bytes(mutants.macro_enabled(hostile.CORPUS_DOCX.read_bytes(), random.Random(0)))
    convert(hostile.CORPUS_DOCX, tmp_path / "docx")
    convert(docm, tmp_path / "docm")
    assert tables(tmp_path / "docm") == tables(tmp_path / "docx")


def test_a_docx_part_with_damaged_deflate_data_is_corrupt_document(tmp_path: Path) -> None:
    data = bytearray(hostile.CORPUS_DOCX.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 100 : start + 140] = bytes(40)  # zeros in the middle of the Flate data
    path = tmp_path / "damaged.docx"
    path.write_bytes(bytes(data))
    with pytest.raises(ConversionError) as e:
        inspect_input(path, max_pages=None)
    assert e.value.code == "corrupt-document"


#: A fixed seed: the same few dozen mutants every run (bench/fuzz_readers.py runs thousands).
FUZZ_SEED, FUZZ_COUNT = 20240917, 24


def test_fuzzed_mutants_end_in_a_package_or_a_stable_code(tmp_path: Path) -> None:
    batch = list(mutants.mutants(FUZZ_SEED, FUZZ_COUNT))
    assert {m.kind for m in batch} == set(mutants.KINDS)
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda m: mutants.run_mutant(m, tmp_path), batch))
    bad = [r for r in results if r.outcome in mutants.FAILURES or r.outcome.startswith("signal") or r.traceback]
    assert not bad, bad
    assert any(r.outcome == "package" for r in results) and any(r.outcome == "corrupt-document" for r in results)


def test_the_service_stays_responsive_while_every_worker_is_busy_with_hostile_files(
    server, damaged, tmp_path: Path
) -> None:
    """Both workers get hostile uploads in turn: health checks and job polling answer
    within two seconds meanwhile, and each job frees its worker within seconds."""
    batch = [
        m
        for m in mutants.mutants(FUZZ_SEED + 1, 40, bases=[hostile.DAMAGED_BASE])
        if m.kind in ("pdf-xref-shift", "pdf-bytes-after-streams", "pdf-length-lie", "pdf-reference-loop")
    ][:4]
    for m in batch:
        (tmp_path / m.name).write_bytes(m.data)
    uploads = list(damaged.values()) + [tmp_path / m.name for m in batch]
    ids = [submit(server, path).json()["id"] for path in uploads]
    deadline = time.time() + 120
    jobs: list[dict] = []
    while time.time() < deadline:
        assert requests.get(server.url + "/healthz", timeout=2).json() == {"status": "ok"}
        jobs = [requests.get(f"{server.url}/api/v1/jobs/{i}", timeout=2).json() for i in ids]
        if all(j["status"] in ("succeeded", "failed") for j in jobs):
            break
        time.sleep(0.3)
    for path, job in zip(uploads, jobs):
        assert job["status"] in ("succeeded", "failed"), (path.name, job)
        assert job["error"] is None or job["error"]["code"] in ("corrupt-document", "no-standard-tables"), job
        took = datetime.fromisoformat(job["finished"]) - datetime.fromisoformat(job["started"])
        assert took.total_seconds() <= WALL_SECONDS, (path.name, took)


def test_damaged_flate_data_is_repaired_in_linear_time() -> None:
    """pdfminer's own fallback appends byte by byte to immutable bytes: minutes for this stream."""
    from converters.pdf_bounds import decompress_corrupted

    plain = b"".join(b"%d " % n for n in range(600_000))
    data = bytearray(zlib.compress(plain))
    data[len(data) // 2 : len(data) // 2 + 64] = bytes(64)
    started = time.process_time()
    try:
        decompress_corrupted(bytes(data))
    except zlib.error:
        pass  # an error far from the end: pdfminer's fallback gives up too
    assert time.process_time() - started < 5
    flipped = bytes(zlib.compress(plain)[:-2]) + b"\x00\x00"  # a broken checksum: everything inflated is kept
    assert decompress_corrupted(flipped) == plain


def test_long_reference_chains_end_as_corrupt_document(tmp_path: Path) -> None:
    """40 references in a row (deeper than any real file) are refused like a loop, never followed on and on."""
    chain = [b"%d 0 R" % (n + 1) for n in range(2, 42)] + [b"0"]
    path = tmp_path / "chain.pdf"
    path.write_bytes(
        hostile.pdf_bytes(
            [b"<< /Type /Catalog /Pages 2 0 R /Extra 3 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>", *chain]
        )
    )
    with pytest.raises(ConversionError) as e:
        inspect_input(path, max_pages=None)
    assert e.value.code == "corrupt-document"


def test_a_damaged_file_after_an_encrypted_one_is_still_corrupt(tmp_path: Path) -> None:
    """One process (a warm conversion process) reads an encrypted PDF, then a damaged one
    that PDFium cannot open: each gets its own code, not the error left from the one before."""
    encrypted = tmp_path / "encrypted.pdf"
    encrypted.write_bytes(hostile.encrypted_pdf())
    empty_tree = tmp_path / "empty-tree.pdf"
    empty_tree.write_bytes(
        hostile.pdf_bytes(
            [b"<< /Type /Catalog /Pages 2 0 R /Extra 3 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>", b"0"]
        )
    )
    codes = []
    for path in (empty_tree, encrypted, empty_tree):
        with pytest.raises(ConversionError) as e:
            inspect_input(path, max_pages=None)
        codes.append(e.value.code)
    assert codes == ["corrupt-document", "encrypted-document", "corrupt-document"]
