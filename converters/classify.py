"""Every table recognition found, classed once: a standard table (it has a concept), a
performance-target table (joined over its page fragments into a :class:`FormTable`),
or another table.

Later stages start from these classes and do not class again: mapping reads the
standard tables, the performance reader the joined forms, ``other_tables`` the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from .form_stitch import FormTable, form_tables
from .model import DocumentBlocks
from .recognise import FoundTable, recognise


@dataclass
class ClassedTables:
    """The found tables in document order, and the performance tables among them."""

    found: list[FoundTable]
    forms: list[FormTable]

    @property
    def standard(self) -> list[FoundTable]:
        return [t for t in self.found if t.concept is not None]

    def others(self, read_as_forms: set[int]) -> list[FoundTable]:
        """Tables neither standard nor read as performance forms (``read_as_forms``: their
        indexes in :attr:`found`). A form the performance reader could not read stays
        here as another table, so that nothing printed is dropped."""
        return [t for i, t in enumerate(self.found) if t.concept is None and i not in read_as_forms]


def classify(doc: DocumentBlocks) -> ClassedTables:
    found = recognise(doc)
    return ClassedTables(found, form_tables(found))
