"""The OpenAPI 3.1 description served at ``/openapi.json``, written by hand.

It states the limits in force, so a client can read them before uploading.
"""

from __future__ import annotations

import re

from converters.errors import ERROR_CODES

from .callbacks import MAX_URL_LENGTH
from .config import Config

_PROBLEM = {"$ref": "#/components/responses/Problem"}


def _problems(*statuses: int) -> dict:
    return {str(s): _PROBLEM for s in statuses}


#: A TCP port as urlsplit() reads it: digits (leading zeros allowed) up to 65535.
_PORT = r"0*(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}|0)"


def _caseless(text: str) -> str:
    """A regex matching ``text`` in any letter case (JSON Schema patterns have no flags)."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in text)


def callback_pattern(hosts: frozenset[str]) -> str:
    """Exactly the callback URLs :func:`service.callbacks.check_callback` accepts, or empty.

    A bare ``host`` allows any port on it, ``host:port`` that port only; no credentials,
    no spaces or control characters.
    """
    options = []
    for entry in sorted(hosts):
        host, colon, port = entry.rpartition(":") if ":" in entry and not entry.endswith("]") else (entry, "", "")
        if colon and port.isdigit():
            options.append(f"{_caseless(host)}:0*{int(port)}")
        else:
            options.append(f"{_caseless(entry)}(?::(?:{_PORT})?)?")
    return r"^(?:|[hH][tT][tT][pP][sS]?://(?:" + "|".join(options) + r")(?:[/?#][^\x00-\x20\x7f]*)?)$"


def openapi_spec(config: Config) -> dict:
    properties: dict = {
        "file": {
            "type": "string",
            "format": "binary",
            "description": "The disclosure, PDF or DOCX (type judged by content, not by name or media type).",
        },
    }
    if config.callback_hosts:
        properties["callback"] = {
            "type": "string",
            "maxLength": MAX_URL_LENGTH,
            "pattern": callback_pattern(config.callback_hosts),
            "description": "POSTed the job JSON when the job ends; an http(s) URL without credentials, to one of "
            "the hosts this operator allows (BUDGETPACK_CALLBACK_HOSTS): "
            + ", ".join(sorted(config.callback_hosts))
            + ". Empty means none.",
        }
    upload = {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {"type": "object", "required": ["file"], "properties": properties},
                "encoding": {
                    "file": {
                        "contentType": "application/pdf, application/vnd.openxmlformats-officedocument"
                        ".wordprocessingml.document, application/octet-stream"
                    }
                },
            }
        },
    }
    job_id = {
        "name": "job_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{32}$"},
    }
    secured = [{}, {"bearer": []}, {"apiKey": []}] if not config.api_key else [{"bearer": []}, {"apiKey": []}]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "budgetpack",
            "version": "1",
            "description": (
                "Converts Chinese government budget disclosures (PDF or DOCX) into validated Frictionless "
                f"data packages. Limits: {config.max_bytes} bytes per file, {config.max_pages} pages, "
                f"{config.timeout} s and {config.max_memory_mb} MB of memory per conversion, "
                f"{config.workers} conversions at once. Jobs are deleted {config.job_ttl} s after their last change. "
                "Errors are RFC 9457 problems with a stable `code`."
            ),
        },
        "paths": {
            "/healthz": {
                "get": {
                    "operationId": "healthz",
                    "summary": "Liveness",
                    "responses": {
                        "200": {
                            "description": "Alive",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["status"],
                                        "properties": {"status": {"const": "ok"}},
                                    }
                                }
                            },
                        }
                    },
                }
            },
            "/api/v1/convert": {
                "post": {
                    "operationId": "convert",
                    "summary": "Convert synchronously and return the package zip",
                    "security": secured,
                    "requestBody": upload,
                    "responses": {
                        "200": {
                            "description": "The data package (datapackage.json, CSV and Parquet per table, "
                            "report.json) as a zip",
                            "headers": {
                                "Content-Location": {
                                    "description": "The job, for its report and files",
                                    "schema": {"type": "string"},
                                }
                            },
                            "content": {
                                "application/zip": {"schema": {"type": "string", "contentMediaType": "application/zip"}}
                            },
                        },
                        **_problems(400, 401, 413, 415, 422, 500, 503, 504),
                    },
                }
            },
            "/api/v1/jobs": {
                "post": {
                    "operationId": "submitJob",
                    "summary": "Queue a conversion",
                    "security": secured,
                    "requestBody": upload,
                    "responses": {
                        "202": {
                            "description": "Queued",
                            "headers": {"Location": {"description": "The job's URL", "schema": {"type": "string"}}},
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Job"}}},
                        },
                        **_problems(400, 401, 413, 415, 500, 503),
                    },
                }
            },
            "/api/v1/jobs/{job_id}": {
                "delete": {
                    "operationId": "deleteJob",
                    "security": secured,
                    "parameters": [job_id],
                    "summary": "Delete a job, its upload and its files now, before they expire; then the job is "
                    "not found. A job being converted cannot be deleted until it ends (409).",
                    "responses": {"204": {"description": "Deleted"}, **_problems(401, 404, 409, 500)},
                },
                "get": {
                    "operationId": "getJob",
                    "summary": "A job's state and links",
                    "security": secured,
                    "parameters": [job_id],
                    "responses": {
                        "200": {
                            "description": "The job",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Job"}}},
                        },
                        **_problems(401, 404, 500),
                    },
                },
            },
            "/api/v1/jobs/{job_id}/{name}": {
                "get": {
                    "operationId": "getJobFile",
                    "security": secured,
                    "summary": "A file of a succeeded job: package.zip, datapackage.json, report.json, "
                    "or a table's CSV or Parquet (names as in the job's links)",
                    "description": "Not found (404) until the job has succeeded, and for any name its links do not "
                    "list. The package zip is sent as an attachment named after the package "
                    "(budgetpack-<family>-<year>-<digest>.zip).",
                    "parameters": [
                        job_id,
                        {
                            "name": "name",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "pattern": r"^[A-Za-z0-9_.-]+\.(zip|json|csv|parquet)$"},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "The file",
                            "content": {
                                "application/zip": {
                                    "schema": {"type": "string", "contentMediaType": "application/zip"}
                                },
                                "application/json": {"schema": {"type": "object"}},
                                "text/csv": {"schema": {"type": "string"}},
                                "application/vnd.apache.parquet": {
                                    "schema": {"type": "string", "contentMediaType": "application/vnd.apache.parquet"}
                                },
                            },
                        },
                        **_problems(401, 404, 500),
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            },
            "responses": {
                "Problem": {
                    "description": "An RFC 9457 problem",
                    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
                }
            },
            "schemas": {
                "Problem": {
                    "type": "object",
                    "required": ["type", "title", "status", "detail", "code"],
                    "properties": {
                        "type": {"type": "string", "format": "uri-reference"},
                        "title": {"type": "string"},
                        "status": {"type": "integer"},
                        "detail": {"type": "string"},
                        "code": {"enum": sorted(ERROR_CODES)},
                    },
                },
                "Job": {
                    "type": "object",
                    "required": ["id", "status", "error", "links"],
                    "properties": {
                        "id": {"type": "string"},
                        "status": {"enum": ["queued", "running", "succeeded", "failed"]},
                        "filename": {"type": ["string", "null"]},
                        "created": {"type": "string", "format": "date-time"},
                        "started": {"type": ["string", "null"], "format": "date-time"},
                        "finished": {"type": ["string", "null"], "format": "date-time"},
                        "error": {"oneOf": [{"$ref": "#/components/schemas/Problem"}, {"type": "null"}]},
                        "links": {
                            "type": "object",
                            "required": ["self"],
                            "properties": {
                                "self": {"type": "string"},
                                "package": {"type": "string"},
                                "datapackage": {"type": "string"},
                                "report": {"type": "string"},
                                "resources": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["name", "csv"],
                                        "properties": {
                                            "name": {"type": "string"},
                                            "title": {"type": ["string", "null"]},
                                            "csv": {"type": "string"},
                                            "parquet": {"type": ["string", "null"]},
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    }
