"""The HTTP routes: one small view per route, listed in :data:`ROUTES` (as datasette
does), each reading the service's state from :func:`service`. Refusals are RFC 9457
problems with stable codes (service.problems)."""

from __future__ import annotations

import hmac
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import Response, current_app, jsonify, render_template, request, send_file

from converters.errors import ERROR_CODES, ConversionError
from converters.sniff import check_head

from .callbacks import check_callback
from .config import Config
from .i18n import HTML_LANG, LANGUAGES, MESSAGES, language
from .jobs import TERMINAL, FileJobStore
from .openapi import openapi_spec
from .problems import problem_response
from .queue import JobQueue

#: After refusing a request before reading its body (too large, or busy), read and drop
#: up to this much of it so the client sees the answer instead of a connection reset.
#: Whether the connection then stays open is the server's decision, not the app's:
#: gunicorn drops an application's Connection header, keeps the connection if the body
#: was read to its end, and otherwise drains at most 64 KB more and closes it.
DRAIN_LIMIT = 64 * 1024 * 1024
#: Seconds a synchronous request waits beyond BUDGETPACK_TIMEOUT (for queueing, the
#: child's start and the package zip) before it answers 504 ``timeout``.
SYNC_GRACE = 5
#: Flask adds "; charset=utf-8" to text/* types itself: naming it here too would say it twice.
MEDIA_TYPES = {
    ".csv": "text/csv",
    ".parquet": "application/vnd.apache.parquet",
    ".json": "application/json",
    ".zip": "application/zip",
}
EXTENSION = "budgetpack"


@dataclass
class Service:
    """What every view needs: the settings, the job store, the queue, and the bound
    on synchronous requests waiting at once."""

    config: Config
    store: FileJobStore
    queue: JobQueue
    sync_slots: threading.BoundedSemaphore = field(init=False)

    def __post_init__(self) -> None:
        self.sync_slots = threading.BoundedSemaphore(self.config.max_sync)


def service() -> Service:
    return current_app.extensions[EXTENSION]


def start_and_authorize() -> Response | None:
    """Before every request: start the queue (after gunicorn's fork, once per worker
    process) and check the API key on ``/api/*`` when one is set."""
    svc = service()
    svc.queue.start()
    if svc.config.api_key and request.path.startswith("/api/"):
        given = request.headers.get("X-API-Key") or ""
        auth = request.headers.get("Authorization", "")
        if auth.lower().startswith("bearer "):
            given = auth[7:].strip()
        if not hmac.compare_digest(given.encode(), svc.config.api_key.encode()):
            return problem_response(
                "unauthorized",
                "Send the API key in an 'Authorization: Bearer <key>' or 'X-API-Key: <key>' header.",
                {"WWW-Authenticate": "Bearer"},
            )
    return None


def index() -> Response:
    config = service().config
    lang = language(request)
    page = render_template(
        "index.html",
        api_key_required=bool(config.api_key),
        t=MESSAGES[lang],
        messages=MESSAGES[lang],
        html_lang=HTML_LANG[lang],
        other_lang=next(x for x in LANGUAGES if x != lang),
        max_mb=config.max_bytes / 1024 / 1024,
        max_pages=config.max_pages,
    )
    return Response(
        page, mimetype="text/html", headers={"Content-Language": HTML_LANG[lang], "Vary": "Accept-Language"}
    )


def favicon() -> Response:
    return send_file(
        Path(current_app.static_folder) / "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=86400
    )


def healthz() -> Response:
    return jsonify(status="ok")


def openapi() -> Response:
    return jsonify(openapi_spec(service().config))


def problem_type(code: str) -> Response:
    if code not in ERROR_CODES:
        return problem_response("not-found", "There is no such problem type.")
    status, title = ERROR_CODES[code]
    return jsonify(code=code, status=status, title=title)


def convert_sync() -> Response:
    """Each synchronous request holds its thread until the job ends; beyond the bound it
    is refused at once, so the remaining threads serve health checks and polling."""
    svc = service()
    if not svc.sync_slots.acquire(blocking=False):
        drain_body()
        return problem_response(
            "busy",
            f"{svc.config.max_sync} synchronous conversions are already waiting. "
            "Try again in a minute, or submit the document as a job (POST /api/v1/jobs) "
            "and poll it.",
            {"Retry-After": "30"},
        )
    try:
        return _convert_sync(svc)
    finally:
        svc.sync_slots.release()


def _convert_sync(svc: Service) -> Response:
    received = _receive_job(svc)
    if isinstance(received, Response):
        return received
    status = _wait(svc, received["id"])
    if status is None:
        return no_job()
    if status["status"] not in TERMINAL:
        url = f"/api/v1/jobs/{status['id']}"
        what = (
            "The conversion did not finish"
            if status["status"] == "running"
            else "The conversion could not start (other documents held every conversion slot)"
        )
        return problem_response(
            "timeout",
            f"{what} within {svc.config.timeout} seconds. "
            f"It goes on as a job whose state is at {url}; poll it there rather than "
            "sending the document again.",
            {"Link": f'<{url}>; rel="monitor"'},
        )
    if status["status"] == "failed":
        e = status["error"]
        return problem_response(e["code"], e["detail"])
    job_dir = svc.store.jobs / status["id"]
    resp = send_file(
        job_dir / "package.zip", mimetype="application/zip", as_attachment=True, download_name=zip_name(job_dir)
    )
    resp.headers["Content-Location"] = f"/api/v1/jobs/{status['id']}"
    return resp


def submit_job() -> Response | tuple:
    received = _receive_job(service())
    if isinstance(received, Response):
        return received
    return job_view(received), 202, {"Location": f"/api/v1/jobs/{received['id']}"}


def get_job(job_id: str) -> Response | dict:
    status = service().store.load(job_id)
    if status is None:
        return no_job()
    return job_view(status)


def delete_job(job_id: str) -> Response | tuple:
    deleted = service().store.delete(job_id)
    if deleted is None:
        return no_job()
    if not deleted:
        return problem_response(
            "job-running",
            "The document is being converted right now; delete the job "
            "once it has ended (at most the conversion time limit).",
            {"Retry-After": "10"},
        )
    return "", 204


def get_job_file(job_id: str, name: str) -> Response:
    store = service().store
    status = store.load(job_id)
    if status is None:
        return no_job()
    if status["status"] != "succeeded":
        return problem_response(
            "not-found", f"The job is {status['status']}; its files exist only once it has succeeded."
        )
    path = store.file(job_id, name)
    if path is None:
        return problem_response("not-found", "The job has no file of that name; its links list every file.")
    download = zip_name(path.parent) if name == "package.zip" else name
    return send_file(
        path,
        mimetype=MEDIA_TYPES.get(path.suffix, "application/octet-stream"),
        as_attachment=path.suffix in (".zip", ".parquet"),
        download_name=download,
    )


#: Every route: (rule, method, view).
ROUTES: list[tuple[str, str, Callable]] = [
    ("/", "GET", index),
    ("/favicon.ico", "GET", favicon),
    ("/healthz", "GET", healthz),
    ("/openapi.json", "GET", openapi),
    ("/problems/<code>", "GET", problem_type),
    ("/api/v1/convert", "POST", convert_sync),
    ("/api/v1/jobs", "POST", submit_job),
    ("/api/v1/jobs/<job_id>", "GET", get_job),
    ("/api/v1/jobs/<job_id>", "DELETE", delete_job),
    ("/api/v1/jobs/<job_id>/<name>", "GET", get_job_file),
]


def _receive_job(svc: Service) -> dict | Response:
    """Stream the upload to disk, check it, and queue a job; or a problem."""
    config, store = svc.config, svc.store
    upload = request.files.get("file")
    missing = problem_response(
        "missing-file",
        "Send the document as multipart/form-data in a field named 'file', e.g. curl -F file=@budget.pdf URL.",
    )
    if upload is None:
        return missing
    callback = request.form.get("callback") or None
    if callback:
        reason = check_callback(callback, config.callback_hosts)
        if reason:
            return problem_response("invalid-request", reason)
    tmp = store.tmp / secrets.token_hex(16)
    try:
        upload.save(tmp)
        size = tmp.stat().st_size
        if size == 0 and not upload.filename:  # what a browser sends when no file was picked
            return missing
        if size > config.max_bytes:
            return too_large()
        with tmp.open("rb") as f:
            check_head(f.read(1024))
        if svc.queue.pending() >= config.max_queue:
            return problem_response(
                "busy", "Too many documents are waiting to be converted. Try again in a minute.", {"Retry-After": "30"}
            )
        status = store.create(tmp, upload.filename, callback)
    except ConversionError as e:
        return problem_response(e.code, e.detail)
    finally:
        tmp.unlink(missing_ok=True)
    svc.queue.submit(status["id"])
    return status


def _wait(svc: Service, job_id: str) -> dict | None:
    """Poll the job until it ends or the conversion time limit (and a grace) has passed since it was queued.

    The executor bounds each run, but not the time a job waits for a free slot, and
    a dispatcher that died or a slot held by a stuck process would leave the job
    queued for ever: the request must not wait with it. None if the job vanished.
    """
    deadline = time.monotonic() + svc.config.timeout + SYNC_GRACE
    while True:
        status = svc.store.load(job_id)
        if status is None or status["status"] in TERMINAL or time.monotonic() >= deadline:
            return status
        time.sleep(0.2)


def too_large() -> Response:
    mb = service().config.max_bytes / 1024 / 1024
    return problem_response(
        "file-too-large",
        f"The file is larger than {mb:g} MB, the most this service "
        "accepts. Real disclosures are far smaller; check that this is the right file.",
    )


def no_job() -> Response:
    hours = service().config.job_ttl / 3600
    return problem_response(
        "not-found",
        f"There is no job with that id. Jobs are deleted {hours:g} hours "
        "after their last change; submit the document again.",
    )


def drain_body() -> None:
    """Read and drop the unread request body, up to :data:`DRAIN_LIMIT`, before an early refusal."""
    stream = request.environ.get("wsgi.input")
    drained = 0
    while stream is not None and drained < DRAIN_LIMIT:
        chunk = stream.read(64 * 1024)
        if not chunk:
            break
        drained += len(chunk)


def zip_name(job_dir: Path) -> str:
    """The package zip's download name: the package's own name (family, year, digest), as
    the command line would call it, rather than the same ``package.zip`` for every job."""
    descriptor = json.loads((job_dir / "package" / "datapackage.json").read_text("utf-8"))
    return f"{descriptor['name']}.zip"


def job_view(status: dict) -> dict:
    """The public JSON of a job: its state, its problem if it failed, and links to its files."""
    base = f"/api/v1/jobs/{status['id']}"
    links: dict = {"self": base}
    if status["status"] == "succeeded":
        links.update(
            package=f"{base}/package.zip",
            datapackage=f"{base}/datapackage.json",
            report=f"{base}/report.json",
            resources=[
                {
                    "name": r["name"],
                    "title": r["title"],
                    "csv": f"{base}/{r['csv']}",
                    "parquet": f"{base}/{r['parquet']}" if r.get("parquet") else None,
                }
                for r in status["resources"]
            ],
        )
    return {k: status.get(k) for k in ("id", "status", "filename", "created", "started", "finished", "error")} | {
        "links": links
    }
