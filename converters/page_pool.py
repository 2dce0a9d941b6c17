"""Read a long PDF's pages on every core: chunks of pages in worker processes, merged in page order.

Reading (pdfminer interpreting content streams) is almost all of a conversion's time,
and each page is read on its own (:func:`converters.pdf_reader.read_page` looks at no
other page), so a long document is cut into runs of consecutive pages that worker
processes read with the same reader; the blocks and warnings come back per chunk and
are joined in page order, which makes the document, and so the package, the one a
sequential read gives.

Workers are forked from the converting process: they start with the reader already
imported, with :mod:`converters.pdf_bounds`' bounds on pdfminer installed, and with the
document (a path, or the sniff's repaired copy in memory) without copying it through a
pipe. Each worker opens the document once and reads its chunks from that one handle,
dropping each page's objects after reading it, as the sequential reader does; what
crosses back is only the blocks, so memory stays flat in pages. A document shorter
than :attr:`PagePool.min_pages` is read in the calling process: forking and opening the
document again would cost more than it saves.

The workers end with the reading: the converting process holds the document's blocks
and rows from then on, and on a 3,000-page document two more processes of ~100 MB each
next to it would take the process tree past 500 MB.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .model import Block, DocumentBlocks, Warning_

#: Pages below which a document is read in one process (at about 20 pages a second per
#: core, a shorter read takes under two seconds, near what forking and reopening cost).
MIN_PAGES = 40
#: Chunks per worker: more balance the load when pages differ in cost, fewer save
#: round trips; each chunk's blocks are held until its turn in page order.
CHUNKS_PER_WORKER = 4


@dataclass(frozen=True)
class PagePool:
    """How many processes read one PDF's pages, and from how many pages on."""

    workers: int = 1
    min_pages: int = MIN_PAGES

    def applies(self, page_count: int | None) -> bool:
        return self.workers > 1 and page_count is not None and page_count >= max(2, self.min_pages)


#: One process reads every page: the default.
SEQUENTIAL = PagePool()


@dataclass
class _Chunk:
    """What one worker read of a run of pages: its blocks and warnings, in page order."""

    blocks: list[Block]
    warnings: list[Warning_]
    page_count: int


#: The document a worker process reads: opened once per worker by :func:`_open`.
_pdf = None


class PageWorkers:
    """The worker processes reading one document's pages: forked when the document
    turns out long enough to read in them (:meth:`start`), shut down when it is read."""

    def __init__(self, pool: PagePool) -> None:
        self.pool = pool
        self.executor: ProcessPoolExecutor | None = None
        self.count = 1

    def start(self, source: Path | bytes, page_count: int | None, reader: str | None) -> bool:
        """Set up the workers if the pool applies to ``page_count`` pages (they fork at
        their first task); each opens ``source`` once, to read with ``reader``. Workers
        read one document: a second start is a mistake."""
        if self.executor is not None:
            raise RuntimeError("these page workers have a document already")
        if page_count is None or not self.pool.applies(page_count):
            return False
        self.count = min(self.pool.workers, page_count)
        self.executor = ProcessPoolExecutor(
            max_workers=self.count,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_open,
            initargs=(source, reader),
        )
        return True

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(cancel_futures=True)
            self.executor, self.count = None, 1

    def __enter__(self) -> PageWorkers:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def read_pdf_pages(workers: PageWorkers, page_count: int) -> DocumentBlocks | None:
    """The document's blocks read by the started ``workers`` (:meth:`PageWorkers.start`);
    None if the workers see another page count than ``page_count`` (then the caller
    reads it in one process)."""
    assert workers.executor is not None
    chunks = _chunks(page_count, workers.count * CHUNKS_PER_WORKER)
    blocks: list[Block] = []
    warnings: list[Warning_] = []
    for chunk in workers.executor.map(_read_chunk, chunks):
        if chunk.page_count != page_count:
            return None
        blocks.extend(chunk.blocks)
        warnings.extend(chunk.warnings)
    return DocumentBlocks("pdf", page_count, blocks, warnings)


def _chunks(pages: int, count: int) -> list[range]:
    """``pages`` page indexes cut into at most ``count`` runs of consecutive pages, as even as can be."""
    count = max(1, min(count, pages))
    bounds = [pages * k // count for k in range(count + 1)]
    return [range(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


def _open(source: Path | bytes, reader: str | None) -> None:
    """Worker start: open the document once for every chunk this worker reads."""
    from .pdf_pages import PdfPages

    global _pdf
    _pdf = PdfPages(source, reader)


def _read_chunk(pages: range) -> _Chunk:
    from .pdf_reader import read_page

    assert _pdf is not None
    blocks: list[Block] = []
    warnings: list[Warning_] = []
    for index in pages:
        objects, width = _pdf.read(index)
        blocks.extend(read_page(objects, width, index + 1, warnings))
    return _Chunk(blocks, warnings, len(_pdf))
