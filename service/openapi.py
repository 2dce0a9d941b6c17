"""The OpenAPI 3.1 description served at ``/openapi.json``, written by hand.

It states the limits in force, so a client can read them before uploading.
"""
from __future__ import annotations

from converters.errors import ERROR_CODES

from .config import Config

_PROBLEM = {"$ref": "#/components/responses/Problem"}


def _problems(*statuses: int) -> dict:
    return {str(s): _PROBLEM for s in statuses}


def openapi_spec(config: Config) -> dict:
    upload = {
        "required": True,
        "content": {"multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {"type": "string", "format": "binary",
                             "description": "The disclosure, PDF or DOCX (type judged by content)."},
                    "callback": {"type": "string", "format": "uri",
                                 "description": "POSTed the job JSON when the job ends; only hosts the "
                                                "operator allows (BUDGETPACK_CALLBACK_HOSTS)."},
                },
            },
            "encoding": {"file": {"contentType": "application/pdf, application/vnd.openxmlformats-officedocument"
                                                 ".wordprocessingml.document, application/octet-stream"}},
        }},
    }
    job_id = {"name": "job_id", "in": "path", "required": True,
              "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{32}$"}}
    secured = [{}, {"bearer": []}, {"apiKey": []}] if not config.api_key else [{"bearer": []}, {"apiKey": []}]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "budgetpack",
            "version": "1",
            "description": (
                "Converts Chinese government budget disclosures (PDF or DOCX) into validated Frictionless "
                f"data packages. Limits: {config.max_bytes} bytes per file, {config.max_pages} pages, "
                f"{config.timeout} s and {config.max_memory_mb} MB of memory per conversion. Jobs are deleted {config.job_ttl} s after their last change. "
                "Errors are RFC 9457 problems with a stable `code`."),
        },
        "paths": {
            "/healthz": {"get": {"operationId": "healthz", "summary": "Liveness",
                                 "responses": {"200": {"description": "Alive", "content": {"application/json": {
                                     "schema": {"type": "object", "required": ["status"],
                                                "properties": {"status": {"const": "ok"}}}}}}}}},
            "/api/v1/convert": {"post": {
                "operationId": "convert", "summary": "Convert synchronously and return the package zip",
                "security": secured, "requestBody": upload,
                "responses": {
                    "200": {"description": "The data package (datapackage.json, CSV and Parquet per table, "
                                           "report.json) as a zip",
                            "headers": {"Content-Location": {"description": "The job, for its report and files",
                                                             "schema": {"type": "string"}}},
                            "content": {"application/zip": {"schema": {"type": "string",
                                                                       "contentMediaType": "application/zip"}}}},
                    **_problems(400, 401, 413, 415, 422, 500, 503, 504)}}},
            "/api/v1/jobs": {"post": {
                "operationId": "submitJob", "summary": "Queue a conversion",
                "security": secured, "requestBody": upload,
                "responses": {
                    "202": {"description": "Queued",
                            "headers": {"Location": {"description": "The job's URL", "schema": {"type": "string"}}},
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Job"}}}},
                    **_problems(400, 401, 413, 415, 500, 503)}}},
            "/api/v1/jobs/{job_id}": {"get": {
                "operationId": "getJob", "summary": "A job's state and links", "security": secured,
                "parameters": [job_id],
                "responses": {"200": {"description": "The job", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Job"}}}}, **_problems(401, 404, 500)}}},
            "/api/v1/jobs/{job_id}/{name}": {"get": {
                "operationId": "getJobFile", "security": secured,
                "summary": "A file of a succeeded job: package.zip, datapackage.json, report.json, "
                           "or a table's CSV or Parquet (names as in the job's links)",
                "parameters": [job_id, {"name": "name", "in": "path", "required": True,
                                        "schema": {"type": "string"}}],
                "responses": {"200": {"description": "The file", "content": {
                    "application/zip": {}, "application/json": {}, "text/csv": {},
                    "application/vnd.apache.parquet": {}}}, **_problems(401, 404, 500)}}},
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"},
                                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}},
            "responses": {"Problem": {"description": "An RFC 9457 problem", "content": {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}},
            "schemas": {
                "Problem": {
                    "type": "object", "required": ["type", "title", "status", "detail", "code"],
                    "properties": {"type": {"type": "string", "format": "uri-reference"},
                                   "title": {"type": "string"}, "status": {"type": "integer"},
                                   "detail": {"type": "string"}, "code": {"enum": sorted(ERROR_CODES)}}},
                "Job": {
                    "type": "object", "required": ["id", "status", "error", "links"],
                    "properties": {
                        "id": {"type": "string"},
                        "status": {"enum": ["queued", "running", "succeeded", "failed"]},
                        "filename": {"type": ["string", "null"]},
                        "created": {"type": "string", "format": "date-time"},
                        "started": {"type": ["string", "null"], "format": "date-time"},
                        "finished": {"type": ["string", "null"], "format": "date-time"},
                        "error": {"oneOf": [{"$ref": "#/components/schemas/Problem"}, {"type": "null"}]},
                        "links": {"type": "object", "required": ["self"], "properties": {
                            "self": {"type": "string"}, "package": {"type": "string"},
                            "datapackage": {"type": "string"}, "report": {"type": "string"},
                            "resources": {"type": "array", "items": {
                                "type": "object", "required": ["name", "csv"],
                                "properties": {"name": {"type": "string"}, "title": {"type": ["string", "null"]},
                                               "csv": {"type": "string"},
                                               "parquet": {"type": ["string", "null"]}}}}}},
                    },
                },
            },
        },
    }
