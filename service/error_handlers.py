"""Every error the app meets answered as a problem with a stable code: a body too
large, Flask's own 404/405/400, and anything unexpected (logged, ``internal-error``)."""

from __future__ import annotations

import logging

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from .problems import problem_response
from .views import drain_body, too_large

log = logging.getLogger(__name__)


def on_too_large(_e: HTTPException) -> Response:
    drain_body()
    return too_large()


def on_http_error(e: HTTPException) -> Response:
    if e.code == 404:
        return problem_response("not-found", "There is no such page. The API is described at /openapi.json.")
    if e.code == 405:
        return problem_response(
            "method-not-allowed",
            f"{request.method} is not allowed here; see /openapi.json.",
            {"Allow": ", ".join(e.valid_methods or [])},
        )
    if e.code and e.code < 500:
        return problem_response(
            "invalid-request", "The request could not be understood (malformed form data or headers)."
        )
    return on_error(e)


def on_error(e: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.path)
    return problem_response(
        "internal-error",
        "The service failed on this request. This is not a fault of "
        "your document; please try again, and tell the operator if it persists.",
    )


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(RequestEntityTooLarge, on_too_large)
    app.register_error_handler(HTTPException, on_http_error)
    app.register_error_handler(Exception, on_error)
