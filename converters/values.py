"""Printed cell text to values, exactly: a number keeps every digit it was printed with.

Amounts become :class:`~decimal.Decimal` (never float) so that 51,753.36 stays
51753.36 in CSV and Parquet alike.

A cell is read as one number or not at all: separators are accepted only where they
group thousands (``1,234.56``, ``1 234.56``), so two figures the reader ran together
(``100 200``), a misprint (``1,23``) or a figure longer than any budget prints are
``unreadable`` and reach the report as a warning instead of becoming a different
number.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from .text import CODE_RX, WHITESPACE_RX

NOT_APPLICABLE = {"—", "——", "———", "-", "--", "/", "…", "x", "X", "×", "＊", "*"}
#: Full-width digits, point, comma and plus, and the minus signs fonts print (full-width
#: －, U+2212 −, U+2012 ‒), as their ASCII forms.
_NORMAL_FORMS = str.maketrans("０１２３４５６７８９．，＋－−‒", "0123456789.,+---")
_PAREN_NEGATIVE_RX = re.compile(r"^[(（]\s*(.*?)\s*[)）]$")
_SIGN_RX = re.compile(r"^([+-]?)\s*(.*)$", re.S)
#: Digits with no separator, with commas grouping thousands, or with single spaces
#: grouping thousands. Space groups need a decimal part: ``100 200`` reads as well as
#: two integers side by side as one number, ``1 234.56`` only as one number.
_AMOUNT_RX = re.compile(
    r"^(?:(?P<plain>\d+(?:\.\d*)?|\.\d+)"
    r"|(?P<comma>\d{1,3}(?:,\d{3})+(?:\.\d*)?)"
    r"|(?P<space>\d{1,3}(?:[^\S\r\n]\d{3})+\.\d+))$"
)
#: The most digits a printed amount may have before and after the point: together the
#: 38 of Parquet's decimal128, so any column of printed amounts fits it exactly. No
#: budget prints more; a longer figure is digits of several cells run together.
MAX_INTEGER_DIGITS = 28
MAX_DECIMALS = 10
#: A money unit printed in brackets at the end of a header label: 合计（元）, 金额(万元),
#: 价值（金额单位：万元）.
LABEL_UNIT_RX = re.compile(r"[(（](?:(?:金额)?单位[:：])?(万元|千元|亿元|元)[)）]$")


@dataclass(frozen=True)
class Amount:
    """A parsed amount cell: ``value`` or, when null, why (``blank``,
    ``not-applicable``, ``unreadable``), with the printed text."""

    value: Decimal | None
    reason: str | None
    printed: str


def parse_amount(text: str) -> Amount:
    printed = text.strip()
    normal = printed.translate(_NORMAL_FORMS)
    compact = re.sub(r"\s", "", normal)
    if compact == "":
        return Amount(None, "blank", printed)
    if compact in NOT_APPLICABLE or set(compact) <= {"—", "-"}:
        return Amount(None, "not-applicable", printed)
    value = _number(normal)
    return Amount(value, None, printed) if value is not None else Amount(None, "unreadable", printed)


def _number(text: str) -> Decimal | None:
    """The one number ``text`` prints (ASCII forms, stripped), or None."""
    negative = _PAREN_NEGATIVE_RX.match(text)
    sign, body = ("-", negative.group(1)) if negative else _SIGN_RX.match(text).groups()
    if not _AMOUNT_RX.match(body):
        return None
    digits = re.sub(r"[,\s]", "", body)
    whole, _, fraction = digits.partition(".")
    if len(whole.lstrip("0")) > MAX_INTEGER_DIGITS or len(fraction) > MAX_DECIMALS:
        return None
    try:
        return Decimal(sign + digits)
    except InvalidOperation:
        return None


def code_level(code: str) -> int | None:
    """1 类 (3 digits), 2 款 (5), 3 项 (7)."""
    return {3: 1, 5: 2, 7: 3}.get(len(code)) if CODE_RX.match(code) else None


def parent_code(code: str) -> str | None:
    return code[:-2] if CODE_RX.match(code) and len(code) > 3 else None


def decimals(value: Decimal) -> int:
    exp = value.as_tuple().exponent
    return -exp if isinstance(exp, int) and exp < 0 else 0


def last_digit(values: Iterable[Decimal]) -> Decimal:
    """One unit of the last digit any of ``values`` prints (0.01 for 12.3 and 4.56): the
    rounding a sum of printed figures may be off by, per figure."""
    return Decimal(1).scaleb(-max(map(decimals, values), default=0))


_GAP_RX = re.compile(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])|(?<=[(\[]) | (?=[)\],.;:!?])")


def clean_text(text: str) -> str:
    """Cell text with the white space layout put there left out: line breaks and runs
    of spaces become one space, and no space stays next to a CJK character or inside
    brackets, since PDF and DOCX renderings of one table space them differently."""
    return _GAP_RX.sub("", WHITESPACE_RX.sub(" ", text).strip())


@lru_cache(maxsize=1 << 14)
def label_unit(label: str) -> tuple[str, str | None]:
    """A header label without the money unit it prints in brackets, and that unit:
    合计（元） is the column 合计, in 元."""
    m = LABEL_UNIT_RX.search(label)
    return (label[: m.start()], m.group(1)) if m else (label, None)


YEAR_PREFIX_RX = re.compile(r"^\d{4}年度?(?=.)")


@lru_cache(maxsize=1 << 16)
def label_forms(label: str) -> tuple[str, ...]:
    """The forms a header label is matched in: as printed, without its money unit in
    brackets, and both without a leading year (2025年度预算数 is the column 预算数 of
    the edition's year)."""
    core = label_unit(label)[0]
    return tuple(dict.fromkeys(f for text in (label, core) for f in (text, YEAR_PREFIX_RX.sub("", text))))


#: Kangxi radicals and CJK radical supplement forms that some PDF producers put in the
#: text layer for ordinary characters (Noto Sans CJK printed by Chromium: 采购品⽬⼤类
#: for 采购品目大类), mapped to the characters they print.
RADICAL_CHARACTERS = {
    c: unicodedata.normalize("NFKC", chr(c))
    for c in [*range(0x2E80, 0x2EF4), *range(0x2F00, 0x2FD6)]
    if unicodedata.normalize("NFKC", chr(c)) != chr(c)
}


def printed_characters(text: str) -> str:
    """Text with radical forms read as the characters they stand for; nothing else changes
    (full-width brackets and colons stay as printed)."""
    return text.translate(RADICAL_CHARACTERS)
