"""The concept map (``schemas/concepts.json``) as typed records.

Which printed table of which template family becomes which resource, and which
printed column becomes which field, is data: adding a family or a variant means
editing the JSON, not this code. The map's ``performance`` section names the two
resources the performance-target forms become, with their titles and schemas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from schemas import load_json

from .values import label_forms

#: The money unit the schemas in schemas/ are written with, and the one a table that
#: prints no unit is taken to be in.
DEFAULT_MONEY_UNIT = "万元"


@dataclass(frozen=True)
class ColumnRule:
    """Printed label (``header``, over the label with white space removed) of a
    column that goes to ``field``. A ``join`` rule may take several neighbouring
    columns whose texts join into one value: a code printed as 类 | 款 | 项. A label
    with its money unit in brackets (合计（元）) or the year before it (2025年度预算数)
    matches as the label without them."""

    field: str
    header: re.Pattern
    join: bool = False

    def matches(self, label: str) -> bool:
        return _header_matches(self.header, label)


@lru_cache(maxsize=1 << 17)
def _header_matches(header: re.Pattern, label: str) -> bool:
    """Kept per pattern and label: recognition tries every concept's columns on every
    table's labels, and the same labels come back on table after table."""
    return any(header.fullmatch(form) for form in label_forms(label))


@dataclass(frozen=True)
class Side:
    """One side of a two-sided table; single-sided tables have one side named ``None``."""

    side: str | None
    group: re.Pattern | None
    columns: tuple[ColumnRule, ...]


@dataclass(frozen=True)
class Concept:
    family: str
    resource: str
    layout: str
    title: re.Pattern
    not_title: re.Pattern | None
    label: str | None
    sides: tuple[Side, ...]
    schema_file: str
    side_field: str = "side"
    shared: tuple[ColumnRule, ...] = ()
    header_words: tuple[re.Pattern, ...] = ()
    vocabulary: bool = False
    optional: bool = False

    @property
    def schema(self) -> dict:
        return load_json(self.schema_file)

    @property
    def key(self) -> str:
        return f"{self.family}/{self.resource}"

    def header_rules(self) -> list[ColumnRule]:
        """Every column rule: those of each side and those shared by all sides (序号)."""
        return list(self.shared) + [c for s in self.sides for c in s.columns]


@dataclass(frozen=True)
class Family:
    name: str
    title: str
    document_kind: str
    markers: tuple[str, ...]
    concepts: tuple[Concept, ...]


@dataclass(frozen=True)
class PerformanceResource:
    """A resource the performance-target forms and lists become; ``key``
    (``performance/<resource>``) is how a check rule names it."""

    resource: str
    title: str
    schema_file: str

    @property
    def schema(self) -> dict:
        return load_json(self.schema_file)

    @property
    def key(self) -> str:
        return f"performance/{self.resource}"


def _rx(pattern: str | None) -> re.Pattern | None:
    return re.compile(pattern) if pattern else None


def _columns(raw: list[dict]) -> tuple[ColumnRule, ...]:
    return tuple(ColumnRule(c["field"], re.compile(c["header"]), c.get("join", False)) for c in raw)


@cache
def families() -> tuple[Family, ...]:
    data = load_json("concepts.json")
    out = []
    for name, fam in data["families"].items():
        concepts = []
        for t in fam["tables"]:
            if "sides" in t:
                sides = tuple(Side(s["side"], _rx(s.get("group")), _columns(s["columns"])) for s in t["sides"])
            else:
                sides = (Side(None, None, _columns(t["columns"])),)
            concepts.append(
                Concept(
                    name,
                    t["resource"],
                    t["layout"],
                    re.compile(t["title"]),
                    _rx(t.get("not_title")),
                    t.get("label"),
                    sides,
                    t["schema"],
                    t.get("side_field", "side"),
                    _columns(t.get("shared", [])),
                    tuple(re.compile(w) for w in t.get("header_words", [])),
                    t.get("vocabulary", False),
                    t.get("optional", False),
                )
            )
        out.append(Family(name, fam["title"], fam["document_kind"], tuple(fam["markers"]), tuple(concepts)))
    return tuple(out)


def all_concepts() -> list[Concept]:
    return [c for f in families() for c in f.concepts]


@cache
def concept_by_key(key: str) -> Concept:
    return next(c for c in all_concepts() if c.key == key)


@cache
def performance_resource(resource: str) -> PerformanceResource:
    """One of the concept map's performance resources, by name."""
    spec = next(r for r in load_json("concepts.json")["performance"]["resources"] if r["resource"] == resource)
    return PerformanceResource(spec["resource"], spec["title"], spec["schema"])
