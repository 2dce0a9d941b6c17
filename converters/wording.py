"""Patterns for what disclosures print around their tables, built from the wording lists
of ``schemas/vocabulary.json``: a province's new wording for a label, a caption, an
empty-table note or a total line is an entry there, not a change here."""

from __future__ import annotations

import re

from schemas import load_json


def _entries(name: str) -> str:
    return "|".join(load_json("vocabulary.json")[name]["entries"])


def pattern(name: str) -> str:
    """A wording list as one pattern matching any of its entries."""
    return _entries(name)


def patterns(name: str) -> list[str]:
    """A wording list's entries, one pattern each."""
    return list(load_json("vocabulary.json")[name]["entries"])


def labelled(name: str) -> list[tuple[str, str]]:
    """A list of labels by what they fill: (pattern, field) in printed-form order."""
    return [(e["pattern"], e["field"]) for e in load_json("vocabulary.json")[name]["entries"]]


#: A table label: 预算公开表1, 公开01表, 预算01表, 表1, 表1-1, 表十二.
LABEL_BODY = (
    rf"({_entries('table_label_words')})\s*\d+(-\d+)?|({_entries('table_label_around_number')})\s*\d+\s*表"
    r"|表[一二三四五六七八九十]+"
)
CAPTION_KEY = rf"({_entries('caption_keys')})[:：]"
ORG_CAPTION_KEY = rf"(?:{_entries('organisation_caption_keys')})[:：]"
NOTE_RX = re.compile(rf"^({_entries('note_words')})\s*[:：0-9１-９]")
EMPTY_NOTE_RX = re.compile(_entries("empty_notes"))
TOTAL_LABEL_RX = re.compile(rf"^({_entries('total_labels')})$")
UNIT_RX = re.compile(rf"单位[:：]({_entries('money_units')})")
FORM_TITLE_RX = re.compile(_entries("performance_form_titles"))
WHOLE_DEPARTMENT_FORM_RX = re.compile(_entries("whole_department_form_titles"))
