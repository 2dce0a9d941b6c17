"""Conversion errors with stable codes.

The codes are an interface: the HTTP service turns them into RFC 9457 problems and
the CLI prints them, so scripts can branch on them. Never rename a code.
"""

from __future__ import annotations

from dataclasses import dataclass

#: code -> (HTTP status, short title). The service reads this table; keep it the only copy.
ERROR_CODES: dict[str, tuple[int, str]] = {
    "missing-file": (400, "No file was uploaded"),
    "unsupported-media-type": (415, "Not a PDF or DOCX document"),
    "file-too-large": (413, "The file is too large"),
    "corrupt-document": (422, "The document cannot be read"),
    "encrypted-document": (422, "The document is encrypted"),
    "no-text-layer": (422, "The document has no text layer"),
    "too-many-pages": (422, "The document has too many pages"),
    "no-standard-tables": (422, "No standard budget table was found"),
    "too-complex": (422, "The document needs more memory than this service allows"),
    "timeout": (504, "The conversion took too long"),
    "busy": (503, "The service is busy"),
    "not-found": (404, "Not found"),
    # Service-only codes: about the request, not the document.
    "invalid-request": (400, "The request is not valid"),
    "unauthorized": (401, "A valid API key is required"),
    "method-not-allowed": (405, "Method not allowed"),
    "job-running": (409, "The job is being converted"),
    "internal-error": (500, "The service failed"),
}


@dataclass
class ConversionError(Exception):
    """A document the pipeline refuses, with a code a client can script against."""

    code: str
    detail: str

    def __post_init__(self) -> None:
        if self.code not in ERROR_CODES:
            raise ValueError(f"unknown error code {self.code!r}")
        super().__init__(f"{self.code}: {self.detail}")

    @property
    def status(self) -> int:
        return ERROR_CODES[self.code][0]

    @property
    def title(self) -> str:
        return ERROR_CODES[self.code][1]
