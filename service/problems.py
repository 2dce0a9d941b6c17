"""RFC 9457 problem details built from the stable codes in converters.errors."""

from __future__ import annotations

import json

from flask import Response

from converters.errors import ERROR_CODES


def problem(code: str, detail: str) -> dict:
    """The problem object for ``code``; ``detail`` must be plain words, never a path or traceback."""
    status, title = ERROR_CODES[code]
    return {"type": f"/problems/{code}", "title": title, "status": status, "detail": detail, "code": code}


def problem_response(code: str, detail: str, headers: dict[str, str] | None = None) -> Response:
    body = problem(code, detail)
    return Response(
        json.dumps(body, ensure_ascii=False), body["status"], headers=headers, mimetype="application/problem+json"
    )
