"""The HTTP service: upload a disclosure, get a validated data package.

A thin layer over ``converters.pipeline``: it receives uploads (size checked while
streaming), queues jobs (service.queue), serves their files, and turns every refusal
into an RFC 9457 problem with a stable code. It holds no table logic and never
converts in the request worker. The routes are listed in ``service.views.ROUTES`` and
the error handlers live in ``service.error_handlers``. Run it with
``gunicorn 'service.app:create_app()'`` (see the Procfile and README).
"""

from __future__ import annotations

from flask import Flask

from .callbacks import notify
from .config import Config
from .error_handlers import register_error_handlers
from .jobs import FileJobStore
from .queue import JobQueue, make_queue
from .views import EXTENSION, ROUTES, Service, job_view, start_and_authorize

__all__ = ["create_app", "job_view"]

#: Multipart boundaries, headers and the callback field on top of the file itself.
FORM_OVERHEAD = 64 * 1024


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
    app.extensions[EXTENSION] = Service(config, store, queue)
    app.before_request(start_and_authorize)
    for rule, method, view in ROUTES:
        app.add_url_rule(rule, view_func=view, methods=[method], endpoint=f"{view.__name__}")
    register_error_handlers(app)
    queue.start()
    return app
