"""The web service through HTTP against a real gunicorn: endpoints, errors, concurrency.

Success paths run the real pipeline on corpus document 000 (PDF and DOCX); refusals
use the hostile inputs of tests/hostile.py.
"""

from __future__ import annotations

import http.client
import io
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
import requests

from tests import hostile
from tests.conftest import _free_port

PDF = hostile.CORPUS_PDF
DOCX = hostile.CORPUS_DOCX
BAD = hostile.BAD


def convert(server, path: Path, **kw) -> requests.Response:
    with path.open("rb") as f:
        return requests.post(server.url + "/api/v1/convert", files={"file": (path.name, f)}, timeout=300, **kw)


def submit(server, path: Path, data: dict | None = None) -> requests.Response:
    with path.open("rb") as f:
        return requests.post(server.url + "/api/v1/jobs", files={"file": (path.name, f)}, data=data, timeout=60)


def wait_job(server, job_id: str, timeout: float = 300) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        job = requests.get(f"{server.url}/api/v1/jobs/{job_id}", timeout=10).json()
        if job["status"] in ("succeeded", "failed"):
            return job
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} did not end within {timeout} s")


def assert_plain_detail(problem: dict, server=None) -> None:
    """A problem's detail is plain words: no traceback, no path on the server."""
    detail = problem["detail"]
    assert "Traceback" not in detail and "/tmp" not in detail and "/work" not in detail, detail
    if server is not None:
        assert str(server.data_dir) not in detail and str(server.data_dir.resolve()) not in detail, detail


def assert_problem(r: requests.Response, status: int, code: str, server=None) -> dict:
    assert r.status_code == status, r.text[:500]
    assert r.headers["Content-Type"].startswith("application/problem+json")
    p = r.json()
    assert p["code"] == code and p["status"] == status
    assert {"type", "title", "detail"} <= p.keys()
    assert_plain_detail(p, server)
    if server is not None:
        assert str(server.data_dir) not in r.text
    return p


def package_members(zip_bytes: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_healthz(server) -> None:
    r = requests.get(server.url + "/healthz", timeout=10)
    assert r.status_code == 200 and r.json() == {"status": "ok"}


def test_openapi_describes_every_endpoint(server) -> None:
    spec = requests.get(server.url + "/openapi.json", timeout=10).json()
    assert spec["openapi"].startswith("3.1")
    assert {
        "/healthz",
        "/api/v1/convert",
        "/api/v1/jobs",
        "/api/v1/jobs/{job_id}",
        "/api/v1/jobs/{job_id}/{name}",
    } <= spec["paths"].keys()


def test_upload_page_is_served(server) -> None:
    r = requests.get(server.url + "/", timeout=10)
    assert r.status_code == 200 and 'type="file"' in r.text
    assert requests.get(server.url + "/static/app.js", timeout=10).status_code == 200


@pytest.mark.parametrize("path", [PDF, DOCX], ids=["pdf", "docx"])
def test_sync_convert_returns_the_package_zip(server, path: Path) -> None:
    r = convert(server, path)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["Content-Type"] == "application/zip"
    members = package_members(r.content)
    descriptor = json.loads(members["datapackage.json"])
    assert descriptor["resources"]
    for res in descriptor["resources"]:
        assert res["path"] in members and (res["format"] == "parquet" or res["parquet"]["path"] in members)
    report = json.loads(members["report.json"])
    assert report["source"]["name"] == path.name
    assert r.headers["Content-Location"].startswith("/api/v1/jobs/")


@pytest.mark.parametrize("name", ["-x.pdf", "--original-name=y.pdf", "-- -h.pdf"])
def test_upload_names_that_look_like_options_convert(server, name: str) -> None:
    with PDF.open("rb") as f:
        r = requests.post(server.url + "/api/v1/convert", files={"file": (name, f)}, timeout=300)
    assert r.status_code == 200, r.text[:500]
    assert json.loads(package_members(r.content)["report.json"])["source"]["name"] == name


@contextmanager
def callback_receiver() -> Iterator[tuple[str, list[dict]]]:
    """An HTTP server on 127.0.0.1 that records the JSON POSTed to it."""
    received: list[dict] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    hook = HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{hook.server_port}/done", received
    finally:
        hook.shutdown()


def test_async_job_links_every_file_and_calls_back(server) -> None:
    with callback_receiver() as (hook_url, received):
        r = submit(server, PDF, {"callback": hook_url + "?x=1"})
        assert r.status_code == 202, r.text
        body = r.json()
        assert r.headers["Location"] == f"/api/v1/jobs/{body['id']}"
        assert body["status"] in ("queued", "running") and len(body["id"]) >= 22
        job = wait_job(server, body["id"])
        assert job["status"] == "succeeded" and job["error"] is None
        links = job["links"]
        for key, kind in [
            ("package", "application/zip"),
            ("datapackage", "application/json"),
            ("report", "application/json"),
        ]:
            f = requests.get(server.url + links[key], timeout=30)
            assert f.status_code == 200 and f.headers["Content-Type"].startswith(kind)
        descriptor = json.loads(requests.get(server.url + links["datapackage"]).content)
        # A link per table: its CSV resource, its Parquet twin named in the link.
        names = {r["name"] for r in descriptor["resources"] if r.get("format", "csv") == "csv"}
        assert {r["name"] for r in links["resources"]} == names
        for res in links["resources"]:
            csv = requests.get(server.url + res["csv"], timeout=30)
            assert csv.status_code == 200 and csv.headers["Content-Type"].startswith("text/csv")
            parquet = requests.get(server.url + res["parquet"], timeout=30)
            assert parquet.status_code == 200 and parquet.content[:4] == b"PAR1"
        deadline = time.time() + 30
        while not received and time.time() < deadline:
            time.sleep(0.2)
        assert received and received[0]["id"] == body["id"] and received[0]["status"] == "succeeded"


def test_async_docx_job(server) -> None:
    job = wait_job(server, submit(server, DOCX).json()["id"])
    assert job["status"] == "succeeded" and job["links"]["resources"]


def test_failed_job_carries_its_problem(server) -> None:
    job = wait_job(server, submit(server, BAD / "encrypted.pdf").json()["id"])
    assert job["status"] == "failed"
    assert job["error"]["code"] == "encrypted-document" and job["error"]["status"] == 422
    r = requests.get(f"{server.url}/api/v1/jobs/{job['id']}/package.zip", timeout=10)
    assert_problem(r, 404, "not-found")


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/hook",
        "file:///etc/passwd",
        "gopher://127.0.0.1/",
        "http://user:pw@127.0.0.1/hook",
        "not a url",
        "http://127.0.0.1/hook\r\nX-Injected: 1",
        "http://127.0.0.1/a b",
        "http://127.0.0.1/" + "a" * 2000,
    ],
)
def test_callbacks_only_to_allowed_hosts(server, url: str) -> None:
    assert_problem(submit(server, PDF, {"callback": url}), 400, "invalid-request")


def test_unknown_jobs_and_files_are_404(server) -> None:
    job = wait_job(server, submit(server, BAD / "no-tables.pdf").json()["id"])
    base = f"{server.url}/api/v1/jobs"
    for path in [
        "/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "/short",
        "/..%2F..%2Fetc%2Fpasswd",
        "/%2e%2e",
        f"/{job['id']}/status.json",
        f"/{job['id']}/lock",
        f"/{job['id']}/input",
        f"/{job['id']}/..%2Fstatus.json",
        f"/{job['id']}/%2e%2e",
    ]:
        assert_problem(requests.get(base + path, timeout=10), 404, "not-found", server)


def test_missing_file_field(server) -> None:
    for endpoint in ("/api/v1/convert", "/api/v1/jobs"):
        assert_problem(
            requests.post(server.url + endpoint, files={"other": ("a.pdf", b"%PDF-")}, timeout=10), 400, "missing-file"
        )
        assert_problem(requests.post(server.url + endpoint, data=b"%PDF-1.7", timeout=10), 400, "missing-file")
        # A browser form with no file picked sends the field with an empty name and body.
        assert_problem(requests.post(server.url + endpoint, files={"file": ("", b"")}, timeout=10), 400, "missing-file")


def test_wrong_method_is_a_problem(server) -> None:
    assert_problem(requests.delete(server.url + "/api/v1/convert", timeout=10), 405, "method-not-allowed")


HOSTILE = [
    ("empty.pdf", 415, "unsupported-media-type"),
    ("text.pdf", 415, "unsupported-media-type"),
    ("truncated.pdf", 422, "corrupt-document"),
    ("garbage.docx", 422, "corrupt-document"),
    ("encrypted.pdf", 422, "encrypted-document"),
    ("scanned.pdf", 422, "no-text-layer"),
    ("loop.pdf", 422, "corrupt-document"),
    ("loop-ref.pdf", 422, "corrupt-document"),
    ("many-pages.pdf", 422, "too-many-pages"),
    ("zipbomb.docx", 422, "corrupt-document"),
    ("xxe.docx", 422, "corrupt-document"),
    ("missing-part.docx", 422, "corrupt-document"),
    ("no-tables.pdf", 422, "no-standard-tables"),
    ("no-tables.docx", 422, "no-standard-tables"),
]


#: made at test time by tests/hostile.py (MADE)
HOSTILE_MADE = [
    ("outlined.pdf", 422, "no-text-layer"),
    ("wrong-type.docx", 422, "corrupt-document"),
    ("unlinked.docx", 422, "corrupt-document"),
]


def test_hostile_barrage_gets_4xx_and_the_service_keeps_serving(server, tmp_path: Path) -> None:
    giga = tmp_path / "inflates-to-1GB.pdf"
    hostile.write_inflating_pdf(giga)
    large = tmp_path / "large.pdf"
    hostile.write_large_pdf(large, 5 * 1024 * 1024 + 1)
    made = hostile.write_made(tmp_path)
    cases = [(BAD / name, status, code) for name, status, code in HOSTILE]
    cases += [(made[name], status, code) for name, status, code in HOSTILE_MADE]
    cases += [(giga, 422, "corrupt-document"), (large, 413, "file-too-large")]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda c: (c, convert(server, c[0])), cases))
    for (_, status, code), r in results:
        assert_problem(r, status, code, server)
    # Renamed files are judged by content, not by name.
    with (BAD / "text.pdf").open("rb") as f:
        r = requests.post(server.url + "/api/v1/convert", files={"file": ("budget.docx", f)}, timeout=60)
    assert_problem(r, 415, "unsupported-media-type")
    assert convert(server, PDF).status_code == 200
    assert requests.get(server.url + "/healthz", timeout=10).ok


def test_failed_jobs_say_why_in_plain_words(server, tmp_path: Path) -> None:
    """The job JSON of every refused hostile upload: its code, and no path or traceback in its detail."""
    made = hostile.write_made(tmp_path)
    cases = [(BAD / name, code) for name, _status, code in HOSTILE if code != "unsupported-media-type"]
    cases += [(made[name], code) for name, _status, code in HOSTILE_MADE]
    ids = {path.name: (submit(server, path).json()["id"], code) for path, code in cases}
    for name, (job_id, code) in ids.items():
        job = wait_job(server, job_id)
        assert job["status"] == "failed" and job["error"]["code"] == code, (name, job)
        assert_plain_detail(job["error"], server)


def test_a_document_that_needs_more_memory_than_allowed_is_too_complex(server, tmp_path: Path) -> None:
    """A content stream inflating to 480 MB passes the compression-bomb check (512 MB) but
    needs more than the test server's 1024 MB per conversion: pdfium aborts on a failed
    allocation, which is named for memory, not for time or a damaged file. The synchronous
    answer and the job say so alike."""
    balloon = tmp_path / "balloon.pdf"
    hostile.write_inflating_pdf(balloon, 480 << 20)
    p = assert_problem(convert(server, balloon), 422, "too-complex", server)
    assert "1024 MB" in p["detail"] and "BUDGETPACK_MAX_MEMORY_MB" in p["detail"]
    job = wait_job(server, submit(server, balloon).json()["id"])
    assert job["status"] == "failed" and job["error"]["code"] == "too-complex"
    assert requests.get(server.url + "/healthz", timeout=10).ok


def test_too_large_is_refused_while_streaming(server) -> None:
    """A chunked body has no Content-Length: the limit must stop it while it is read.
    The client keeps sending up to 256 MB and looks for an answer after every MB: the
    refusal comes before the body ends (a server that stored the whole body first
    would answer only after the last byte)."""
    total = 256 << 20
    host, port = server.url.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=60) as sock:
        part = b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n\r\n%PDF-1.7\n'
        sock.sendall(
            b"POST /api/v1/convert HTTP/1.1\r\nHost: budgetpack\r\nTransfer-Encoding: chunked\r\n"
            b"Content-Type: multipart/form-data; boundary=b\r\n\r\n" + chunk(part)
        )
        sent = 0
        while sent < total and not select.select([sock], [], [], 0)[0]:
            try:
                sock.sendall(chunk(bytes(1 << 20)))
            except OSError:  # the server closed the connection after answering
                break
            sent += 1 << 20
        answer = http.client.HTTPResponse(sock)
        answer.begin()
        body = answer.read()
        # The rest of the body was never read: the server ends the connection rather than
        # keep it for a next request it could not find the start of.
        sock.settimeout(15)
        try:
            after = sock.recv(1024)
        except ConnectionResetError:
            after = b""
    assert sent < total, "the server read the whole body before answering"
    assert answer.status == 413 and answer.getheader("Content-Type").startswith("application/problem+json")
    assert json.loads(body)["code"] == "file-too-large"
    assert after == b"", after[:200]


def test_too_large_body_within_the_drain_limit_leaves_the_connection_usable(server) -> None:
    """A 6 MB upload (over the 5 MB limit) is refused as soon as its length is known; the app
    reads the rest of it, so the same connection serves the next request."""
    host, port = server.url.split("//")[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    body = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n\r\n%PDF-1.7\n'
        + bytes(6 << 20)
        + b"\r\n--b--\r\n"
    )
    conn.request("POST", "/api/v1/convert", body, {"Content-Type": "multipart/form-data; boundary=b"})
    answer = conn.getresponse()
    assert answer.status == 413 and json.loads(answer.read())["code"] == "file-too-large"
    sock = conn.sock
    conn.request("GET", "/healthz")
    health = conn.getresponse()
    assert (health.status, json.loads(health.read())) == (200, {"status": "ok"})
    assert conn.sock is sock, "the connection was not kept"
    conn.close()


def chunk(data: bytes) -> bytes:
    """One chunk of a chunked HTTP/1.1 body."""
    return b"%x\r\n" % len(data) + data + b"\r\n"


def test_eight_simultaneous_conversions_give_identical_packages(server) -> None:
    with ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(lambda _: convert(server, PDF), range(8)))
    assert [r.status_code for r in responses] == [200] * 8
    packages = [package_members(r.content) for r in responses]
    for members in packages:
        # The conversion time is the only thing allowed to differ: in the report and the descriptor.
        for name, stamp in (("report.json", "generated_at"), ("datapackage.json", "created")):
            record = json.loads(members.pop(name))
            record.pop(stamp)
            members[name] = json.dumps(record, sort_keys=True).encode()
    assert all(p == packages[0] for p in packages[1:])
    assert len({r.headers["Content-Location"] for r in responses}) == 8


def test_delete_removes_a_job_and_its_files(server) -> None:
    job = wait_job(server, submit(server, PDF).json()["id"])
    assert job["status"] == "succeeded"
    url = f"{server.url}/api/v1/jobs/{job['id']}"
    assert requests.get(server.url + job["links"]["report"], timeout=10).status_code == 200
    r = requests.delete(url, timeout=10)
    assert r.status_code == 204 and r.content == b""
    assert_problem(requests.get(url, timeout=10), 404, "not-found")
    assert_problem(requests.get(server.url + job["links"]["report"], timeout=10), 404, "not-found")
    assert_problem(requests.delete(url, timeout=10), 404, "not-found")
    assert not (server.data_dir / "jobs" / job["id"]).exists()
    spec = requests.get(server.url + "/openapi.json", timeout=10).json()
    assert set(spec["paths"]["/api/v1/jobs/{job_id}"]["delete"]["responses"]) >= {"204", "404", "409"}


def test_package_zips_are_named_after_the_package(server) -> None:
    """The job's zip downloads under the same descriptive name as the synchronous answer's."""
    sync = convert(server, PDF)
    name = sync.headers["Content-Disposition"].split("filename=")[1]
    assert name.startswith("budgetpack-shanxi_budget-2024-") and name.endswith(".zip"), name
    job = wait_job(server, submit(server, PDF).json()["id"])
    r = requests.get(server.url + job["links"]["package"], timeout=30)
    assert r.headers["Content-Disposition"] == f"attachment; filename={name}"
    descriptor = json.loads(package_members(r.content)["datapackage.json"])
    assert name == f"{descriptor['name']}.zip"


def test_answers_are_utf8_with_one_charset(server, tmp_path: Path) -> None:
    named = tmp_path / "单位预算.pdf"
    named.write_bytes(PDF.read_bytes())
    job = wait_job(server, submit(server, named).json()["id"])
    raw = requests.get(f"{server.url}/api/v1/jobs/{job['id']}", timeout=10).content
    assert "单位预算.pdf".encode() in raw and b"\\u" not in raw
    for res in job["links"]["resources"]:
        csv = requests.get(server.url + res["csv"], timeout=30)
        assert csv.headers["Content-Type"] == "text/csv; charset=utf-8"
    report = requests.get(server.url + job["links"]["report"], timeout=30).content
    assert "单位预算.pdf".encode() in report and b"\\u" not in report


def test_favicon(server) -> None:
    r = requests.get(server.url + "/favicon.ico", timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/vnd.microsoft.icon"
    assert r.content[:4] == b"\x00\x00\x01\x00"  # an ICO header
    assert 'rel="icon"' in requests.get(server.url + "/", timeout=10).text


def _unparsable_font_boxes(source: Path, target: Path) -> None:
    """``source`` with every font's FontBBox cut to three numbers, which pdfminer cannot parse."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, NameObject, NumberObject

    writer = PdfWriter(clone_from=str(source))
    for page in writer.pages:
        for font in page["/Resources"].get_object()["/Font"].get_object().values():
            font = font.get_object()
            fonts = [font] + [d.get_object() for d in font.get("/DescendantFonts", [])]
            for f in fonts:
                if "/FontDescriptor" in f:
                    f["/FontDescriptor"].get_object()[NameObject("/FontBBox")] = ArrayObject([NumberObject(0)] * 3)
    writer.write(str(target))


def test_pdfminer_font_box_noise_stays_out_of_the_log(server, tmp_path: Path) -> None:
    noisy = tmp_path / "noisy.pdf"
    _unparsable_font_boxes(PDF, noisy)
    plain = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, pdfplumber\nwith pdfplumber.open(sys.argv[1]) as p: p.pages[0].extract_words()",
            str(noisy),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Could not get FontBBox" in plain.stderr  # what pdfminer says on its own
    job = wait_job(server, submit(server, noisy).json()["id"])
    assert job["status"] == "succeeded"
    assert "FontBBox" not in server.log.read_text(errors="replace")


def test_default_workers_are_the_cpus(make_server) -> None:
    s = make_server(BUDGETPACK_WORKERS="")
    description = requests.get(s.url + "/openapi.json", timeout=10).json()["info"]["description"]
    assert f"{len(os.sched_getaffinity(0))} conversions at once" in description


def test_readme_runs_the_procfile_command_which_logs_requests(tmp_path: Path) -> None:
    """One run command: the Procfile's ``web:`` line, word for word in the README, with an access log."""
    repo = Path(__file__).resolve().parent.parent
    web = next(line for line in (repo / "Procfile").read_text(encoding="utf-8").splitlines() if line.startswith("web:"))
    command = web.removeprefix("web:").strip()
    assert f"\n    {command}\n" in (repo / "README.md").read_text(encoding="utf-8")
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "BUDGETPACK_DATA_DIR": str(tmp_path / "data"),
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }
    proc = subprocess.Popen(
        ["bash", "-c", f"exec {command}"],
        cwd=repo,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.time() + 60
        while True:
            try:
                assert requests.get(f"http://127.0.0.1:{port}/healthz?probe=1", timeout=2).ok
                break
            except requests.ConnectionError:
                assert time.time() < deadline and proc.poll() is None, "the Procfile command did not serve"
                time.sleep(0.2)
        ready, _, _ = select.select([proc.stdout], [], [], 10)
        assert ready and b'"GET /healthz?probe=1 HTTP/1.1" 200' in proc.stdout.readline()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)
