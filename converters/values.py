"""Printed cell text to values, exactly: a number keeps every digit it was printed with.

Amounts become :class:`~decimal.Decimal` (never float) so that 51,753.36 stays
51753.36 in CSV and Parquet alike.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

NOT_APPLICABLE = {"—", "——", "———", "-", "--", "－", "－－", "/", "…", "x", "X", "×", "＊", "*"}
NUMBER_RX = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
PAREN_NEGATIVE_RX = re.compile(r"^[(（](.+)[)）]$")
CODE_RX = re.compile(r"^\d{3}(\d{2}){0,2}$")


@dataclass(frozen=True)
class Amount:
    """A parsed amount cell: ``value`` or, when null, why (``blank``,
    ``not-applicable``, ``unreadable``), with the printed text."""

    value: Decimal | None
    reason: str | None
    printed: str


def parse_amount(text: str) -> Amount:
    printed = text.strip()
    cleaned = re.sub(r"[\s,，]", "", printed).replace("．", ".")
    if cleaned == "":
        return Amount(None, "blank", printed)
    if cleaned in NOT_APPLICABLE or set(cleaned) <= {"—", "-", "－"}:
        return Amount(None, "not-applicable", printed)
    negative = PAREN_NEGATIVE_RX.match(cleaned)
    if negative:
        cleaned = "-" + negative.group(1)
    if cleaned.endswith("%"):
        return Amount(None, "unreadable", printed)
    if NUMBER_RX.match(cleaned):
        try:
            return Amount(Decimal(cleaned), None, printed)
        except InvalidOperation:
            pass
    return Amount(None, "unreadable", printed)


def code_level(code: str) -> int | None:
    """1 类 (3 digits), 2 款 (5), 3 项 (7)."""
    return {3: 1, 5: 2, 7: 3}.get(len(code)) if CODE_RX.match(code) else None


def parent_code(code: str) -> str | None:
    return code[:-2] if CODE_RX.match(code) and len(code) > 3 else None


def decimals(value: Decimal) -> int:
    exp = value.as_tuple().exponent
    return -exp if isinstance(exp, int) and exp < 0 else 0


_SPACE_RX = re.compile(r"\s+")
_GAP_RX = re.compile(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])|(?<=[(\[]) | (?=[)\],.;:!?])")


def clean_text(text: str) -> str:
    """Cell text with the white space layout put there left out: line breaks and runs
    of spaces become one space, and no space stays next to a CJK character or inside
    brackets, since PDF and DOCX renderings of one table space them differently."""
    return _GAP_RX.sub("", _SPACE_RX.sub(" ", text).strip())
