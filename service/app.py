"""The HTTP service: upload a disclosure, get a validated data package.

A thin layer over ``converters.pipeline``: it receives uploads (size checked while
streaming), queues jobs (service.queue), serves their files, and turns every refusal
into an RFC 9457 problem with a stable code. It holds no table logic and never
converts in the request worker. Run it with
``gunicorn 'service.app:create_app()'`` (see the Procfile and README).
"""
from __future__ import annotations

import hmac
import json
import logging
import secrets
import threading
import time
from pathlib import Path

from flask import Flask, Response, jsonify, render_template, request, send_file
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from converters.errors import ERROR_CODES, ConversionError
from converters.sniff import check_head

from .callbacks import check_callback, notify
from .config import Config
from .i18n import HTML_LANG, LANGUAGES, MESSAGES, language
from .jobs import TERMINAL, FileJobStore
from .openapi import openapi_spec
from .problems import problem_response
from .queue import JobQueue, make_queue

log = logging.getLogger(__name__)

#: Multipart boundaries, headers and the callback field on top of the file itself.
FORM_OVERHEAD = 64 * 1024
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
MEDIA_TYPES = {".csv": "text/csv", ".parquet": "application/vnd.apache.parquet",
               ".json": "application/json", ".zip": "application/zip"}


def create_app(config: Config | None = None, queue: JobQueue | None = None) -> Flask:
    """Build the app; ``config`` defaults to the environment, ``queue`` to the one it names (service.queue)."""
    config = config or Config.from_env()
    store = FileJobStore(config.data_dir)

    def _callback(status: dict) -> None:
        if status.get("callback"):
            notify(status["callback"], job_view(status))

    if queue is None:
        queue = make_queue(store, config, on_finish=_callback)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.max_bytes + FORM_OVERHEAD
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    @app.before_request
    def _start_and_authorize() -> Response | None:
        queue.start()  # after gunicorn's fork, once per worker process
        if config.api_key and request.path.startswith("/api/"):
            given = request.headers.get("X-API-Key") or ""
            auth = request.headers.get("Authorization", "")
            if auth.lower().startswith("bearer "):
                given = auth[7:].strip()
            if not hmac.compare_digest(given.encode(), config.api_key.encode()):
                return problem_response("unauthorized", "Send the API key in an 'Authorization: Bearer <key>' "
                                        "or 'X-API-Key: <key>' header.", {"WWW-Authenticate": "Bearer"})
        return None

    @app.get("/")
    def index() -> Response:
        lang = language(request)
        page = render_template("index.html", api_key_required=bool(config.api_key), t=MESSAGES[lang],
                               messages=MESSAGES[lang], html_lang=HTML_LANG[lang],
                               other_lang=next(x for x in LANGUAGES if x != lang),
                               max_mb=config.max_bytes / 1024 / 1024, max_pages=config.max_pages)
        return Response(page, mimetype="text/html", headers={"Content-Language": HTML_LANG[lang],
                                                             "Vary": "Accept-Language"})

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return send_file(Path(app.static_folder) / "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=86400)

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify(status="ok")

    @app.get("/openapi.json")
    def openapi() -> Response:
        return jsonify(openapi_spec(config))

    @app.get("/problems/<code>")
    def problem_type(code: str) -> Response:
        if code not in ERROR_CODES:
            return problem_response("not-found", "There is no such problem type.")
        status, title = ERROR_CODES[code]
        return jsonify(code=code, status=status, title=title)

    sync_slots = threading.BoundedSemaphore(config.max_sync)

    @app.post("/api/v1/convert")
    def convert_sync() -> Response:
        # Each synchronous request holds its thread until the job ends; beyond the bound
        # it is refused at once, so the remaining threads serve health checks and polling.
        if not sync_slots.acquire(blocking=False):
            _drain_body()
            return problem_response("busy", f"{config.max_sync} synchronous conversions are already waiting. "
                                    "Try again in a minute, or submit the document as a job (POST /api/v1/jobs) "
                                    "and poll it.", {"Retry-After": "30"})
        try:
            return _convert_sync()
        finally:
            sync_slots.release()

    def _convert_sync() -> Response:
        received = _receive_job()
        if isinstance(received, Response):
            return received
        status = _wait(received["id"])
        if status is None:
            return _no_job()
        if status["status"] not in TERMINAL:
            url = f"/api/v1/jobs/{status['id']}"
            what = ("The conversion did not finish" if status["status"] == "running" else
                    "The conversion could not start (other documents held every conversion slot)")
            return problem_response("timeout", f"{what} within {config.timeout} seconds. "
                                    f"It goes on as a job whose state is at {url}; poll it there rather than "
                                    "sending the document again.", {"Link": f'<{url}>; rel="monitor"'})
        if status["status"] == "failed":
            e = status["error"]
            return problem_response(e["code"], e["detail"])
        resp = send_file(store.jobs / status["id"] / "package.zip", mimetype="application/zip",
                         as_attachment=True, download_name=zip_name(store.jobs / status["id"]))
        resp.headers["Content-Location"] = f"/api/v1/jobs/{status['id']}"
        return resp

    @app.post("/api/v1/jobs")
    def submit_job() -> Response | tuple:
        received = _receive_job()
        if isinstance(received, Response):
            return received
        return job_view(received), 202, {"Location": f"/api/v1/jobs/{received['id']}"}

    @app.get("/api/v1/jobs/<job_id>")
    def get_job(job_id: str) -> Response | dict:
        status = store.load(job_id)
        if status is None:
            return _no_job()
        return job_view(status)

    @app.delete("/api/v1/jobs/<job_id>")
    def delete_job(job_id: str) -> Response | tuple:
        deleted = store.delete(job_id)
        if deleted is None:
            return _no_job()
        if not deleted:
            return problem_response("job-running", "The document is being converted right now; delete the job "
                                    "once it has ended (at most the conversion time limit).", {"Retry-After": "10"})
        return "", 204

    @app.get("/api/v1/jobs/<job_id>/<name>")
    def get_job_file(job_id: str, name: str) -> Response:
        status = store.load(job_id)
        if status is None:
            return _no_job()
        if status["status"] != "succeeded":
            return problem_response("not-found", f"The job is {status['status']}; its files exist only once it "
                                    "has succeeded.")
        path = store.file(job_id, name)
        if path is None:
            return problem_response("not-found", "The job has no file of that name; its links list every file.")
        download = zip_name(path.parent) if name == "package.zip" else name
        return send_file(path, mimetype=MEDIA_TYPES.get(path.suffix, "application/octet-stream"),
                         as_attachment=path.suffix in (".zip", ".parquet"), download_name=download)

    def _receive_job() -> dict | Response:
        """Stream the upload to disk, check it, and queue a job; or a problem."""
        upload = request.files.get("file")
        missing = problem_response("missing-file", "Send the document as multipart/form-data in a field named "
                                   "'file', e.g. curl -F file=@budget.pdf URL.")
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
                return _too_large()
            with tmp.open("rb") as f:
                check_head(f.read(1024))
            if queue.pending() >= config.max_queue:
                return problem_response("busy", "Too many documents are waiting to be converted. Try again in "
                                        "a minute.", {"Retry-After": "30"})
            status = store.create(tmp, upload.filename, callback)
        except ConversionError as e:
            return problem_response(e.code, e.detail)
        finally:
            tmp.unlink(missing_ok=True)
        queue.submit(status["id"])
        return status

    def _wait(job_id: str) -> dict | None:
        """Poll the job until it ends or the conversion time limit (and a grace) has passed since it was queued.

        The executor bounds each run, but not the time a job waits for a free slot, and
        a dispatcher that died or a slot held by a stuck process would leave the job
        queued for ever: the request must not wait with it. None if the job vanished.
        """
        deadline = time.monotonic() + config.timeout + SYNC_GRACE
        while True:
            status = store.load(job_id)
            if status is None or status["status"] in TERMINAL or time.monotonic() >= deadline:
                return status
            time.sleep(0.2)

    def _too_large() -> Response:
        mb = config.max_bytes / 1024 / 1024
        return problem_response("file-too-large", f"The file is larger than {mb:g} MB, the most this service "
                                "accepts. Real disclosures are far smaller; check that this is the right file.")

    def _no_job() -> Response:
        hours = config.job_ttl / 3600
        return problem_response("not-found", f"There is no job with that id. Jobs are deleted {hours:g} hours "
                                "after their last change; submit the document again.")

    def _drain_body() -> None:
        """Read and drop the unread request body, up to :data:`DRAIN_LIMIT`, before an early refusal."""
        stream = request.environ.get("wsgi.input")
        drained = 0
        while stream is not None and drained < DRAIN_LIMIT:
            chunk = stream.read(64 * 1024)
            if not chunk:
                break
            drained += len(chunk)

    @app.errorhandler(RequestEntityTooLarge)
    def _on_too_large(_e: HTTPException) -> Response:
        _drain_body()
        return _too_large()

    @app.errorhandler(HTTPException)
    def _on_http_error(e: HTTPException) -> Response:
        if e.code == 404:
            return problem_response("not-found", "There is no such page. The API is described at /openapi.json.")
        if e.code == 405:
            return problem_response("method-not-allowed", f"{request.method} is not allowed here; see "
                                    "/openapi.json.", {"Allow": ", ".join(e.valid_methods or [])})
        if e.code and e.code < 500:
            return problem_response("invalid-request", "The request could not be understood (malformed form "
                                    "data or headers).")
        return _on_error(e)

    @app.errorhandler(Exception)
    def _on_error(e: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return problem_response("internal-error", "The service failed on this request. This is not a fault of "
                                "your document; please try again, and tell the operator if it persists.")

    queue.start()
    return app


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
        links.update(package=f"{base}/package.zip", datapackage=f"{base}/datapackage.json",
                     report=f"{base}/report.json", resources=[
                         {"name": r["name"], "title": r["title"], "csv": f"{base}/{r['csv']}",
                          "parquet": f"{base}/{r['parquet']}" if r.get("parquet") else None}
                         for r in status["resources"]])
    return {k: status.get(k) for k in ("id", "status", "filename", "created", "started", "finished", "error")} | {
        "links": links}
