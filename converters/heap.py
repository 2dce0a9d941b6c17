"""Giving memory a stage has freed back to the system.

CPython hands what it frees to the C allocator, and glibc's keeps it in its heap for
later: a process that parsed a long document once (the sniff walking every object of a
3,000-page PDF, the stages of a long document) stays as large as its peak, and worker
processes forked from it start that large. On a long document that is most of the
process tree's memory.
"""

from __future__ import annotations

import ctypes
import gc

#: Pages from which a conversion gives back what its stages freed. A full collection
#: walks every object the process holds, the imported stack's ~110,000 too: about 0.05 s,
#: a tenth of an 82-page conversion on two cores, for a heap that short a document
#: hardly grows (peak process-tree RSS 230 MB at 82 pages, 250 MB at 328, 280 MB at 984).
GIVE_BACK_MIN_PAGES = 400


def give_back_freed_memory() -> None:
    """Collect garbage, then have glibc return its free pages (``malloc_trim``); where the
    C library is not glibc, only the collection is done."""
    gc.collect()
    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)
