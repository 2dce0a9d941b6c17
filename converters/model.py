"""Records that cross stage boundaries: document blocks, found tables, package rows.

Readers (PDF, DOCX) produce a :class:`DocumentBlocks`; every later stage works on it
and never looks at the source file again, so both formats share recognition,
mapping, packaging and checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SourceFormat = Literal["pdf", "docx"]


@dataclass
class TextBlock:
    """One printed line (PDF) or paragraph (DOCX) outside any table.

    ``parts`` holds the pieces printed apart on one line (left / centre / right), as
    captions like ``单位名称：X        单位：万元`` are; ``text`` is them joined by a space.
    """

    text: str
    page: int | None
    parts: list[str] = field(default_factory=list)
    size: float | None = None
    bold: bool = False
    centered: bool = False
    heading_level: int | None = None

    def __post_init__(self) -> None:
        if not self.parts:
            self.parts = [self.text]


@dataclass
class TableBlock:
    """A table as a full grid: merged cells keep their text in the top-left position
    and ``""`` in the positions they cover, ``merges`` lists them as
    ``(row, col, rowspan, colspan)``.

    A PDF table that runs over several pages arrives as one block per page; the
    stitcher joins them. ``row_pages`` is the page each grid row was printed on (None
    for DOCX, which has no pages). ``repeated_header_rows`` is how many leading rows
    the source marks as a header repeated on each page (DOCX ``tblHeader``), if known.
    """

    rows: list[list[str]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    row_pages: list[int | None] = field(default_factory=list)
    repeated_header_rows: int | None = None

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    @property
    def pages(self) -> list[int]:
        return sorted({p for p in self.row_pages if p is not None})


Block = TextBlock | TableBlock


@dataclass
class Warning_:
    """Something the reader or mapper could not do; it always reaches the report."""

    code: str
    message: str
    page: int | None = None
    table: str | None = None
    #: The message in Chinese, for readers of the upload page in Chinese; ``message`` is English.
    message_zh: str | None = None

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class DocumentBlocks:
    """What a reader hands to recognition: blocks in reading order."""

    source_format: SourceFormat
    page_count: int | None
    blocks: list[Block]
    warnings: list[Warning_] = field(default_factory=list)

    @property
    def text_blocks(self) -> list[TextBlock]:
        return [b for b in self.blocks if isinstance(b, TextBlock)]
