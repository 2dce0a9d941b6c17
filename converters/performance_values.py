"""Indicator values (指标值) as measures: comparator, number and unit.

Performance targets are printed as free text: ``≥95%``, ``10个``, ``≤0.96万元``,
``提高``. Where the text is a measure (an optional comparator, one number, an
optional unit and nothing else) it is split so that targets can be compared and
summed; anything else (a date range, a number inside a sentence, a bare word) keeps
only its printed text, because guessing a number out of prose would invent data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

#: Printed comparators, symbols and words, to the five the schema uses.
COMPARATORS = {
    "≥": "≥",
    ">=": "≥",
    "＞=": "≥",
    "≧": "≥",
    "不低于": "≥",
    "不少于": "≥",
    "大于等于": "≥",
    "大于或等于": "≥",
    "≤": "≤",
    "<=": "≤",
    "＜=": "≤",
    "≦": "≤",
    "不高于": "≤",
    "不超过": "≤",
    "不多于": "≤",
    "小于等于": "≤",
    "小于或等于": "≤",
    ">": ">",
    "＞": ">",
    "大于": ">",
    "高于": ">",
    "超过": ">",
    "<": "<",
    "＜": "<",
    "小于": "<",
    "低于": "<",
    "=": "=",
    "＝": "=",
    "等于": "=",
}
#: Words after the unit that bound the number (90%以上 is ≥ 90 %).
SUFFIX_COMPARATORS = {"及以上": "≥", "以上": "≥", "及以下": "≤", "以下": "≤", "以内": "≤"}

_PREFIX = "|".join(re.escape(k) for k in sorted(COMPARATORS, key=len, reverse=True))
_SUFFIX = "|".join(re.escape(k) for k in sorted(SUFFIX_COMPARATORS, key=len, reverse=True))
MEASURE_RX = re.compile(
    rf"^(?P<cmp>{_PREFIX})?(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"(?P<unit>[^\d\s,，;；、。:：()（）]{{0,8}}?)(?P<suffix>{_SUFFIX})?$"
)
#: Units normalised to one spelling; the printed text stays in ``value``.
UNIT_SPELLING = {"％": "%", "百分比": "%"}


@dataclass(frozen=True)
class Measure:
    """A target read as a measure; ``number`` is None when the text is not one."""

    comparator: str | None
    number: Decimal | None
    unit: str | None


NOT_A_MEASURE = Measure(None, None, None)


def parse_measure(text: str) -> Measure:
    """``≥95%`` → (≥, 95, %); ``10个`` → (=, 10, 个); ``提高`` → no measure.

    A unit may not hold digits or punctuation, so ``2020年5月至2027年`` and
    ``1月,循环存储`` stay text; a comparator word inside the unit makes it text too.
    """
    squashed = re.sub(r"\s+", "", text or "").replace("．", ".")
    m = MEASURE_RX.match(squashed)
    if m is None:
        return NOT_A_MEASURE
    unit = m.group("unit") or None
    if unit and any(word in unit for word in COMPARATORS):
        return NOT_A_MEASURE
    comparator = COMPARATORS[m.group("cmp")] if m.group("cmp") else "="
    if m.group("suffix"):
        if m.group("cmp"):
            return NOT_A_MEASURE
        comparator = SUFFIX_COMPARATORS[m.group("suffix")]
    return Measure(comparator, Decimal(m.group("num").replace(",", "")), UNIT_SPELLING.get(unit, unit))


def column_measure(value: str, nature: str, unit: str) -> Measure:
    """A target printed over columns (指标性质 ≥ | 指标值 95 | 计量单位 %): the value
    read as a measure, its comparator from the nature column where that prints one
    (定性, qualitative, prints none), its unit from the unit column where printed."""
    measure = parse_measure(value)
    if measure.number is None:
        return NOT_A_MEASURE
    nature = re.sub(r"\s+", "", nature or "")
    return Measure(COMPARATORS.get(nature, measure.comparator), measure.number, unit or measure.unit)


#: Indicator fields read from the cell under the column of their own role.
INDICATOR_CELL_FIELDS = ("level1", "level2", "level3", "description", "basis", "weight", "core")


def indicator_record(cell: Callable[[str], str], measure_of_columns: bool, page: int | None, **carried) -> dict:
    """One indicator as forms and lists print it: ``cell(role)`` is the text under that
    role's column ("" where the table prints none). The value is a measure read over the
    nature and unit columns where the table prints a nature column
    (``measure_of_columns``), else from its own text. ``carried`` are fields a form
    carries down from lines above (the period, level1, level2), in place of the cells'."""
    value = cell("value")
    measure = column_measure(value, cell("nature"), cell("unit")) if measure_of_columns else parse_measure(value)
    record = {field: cell(field) or None for field in INDICATOR_CELL_FIELDS}
    record.update(
        period=None,
        value=value or None,
        comparator=measure.comparator,
        value_number=measure.number,
        value_unit=measure.unit,
        page=page,
    )
    record.update(carried)
    return record
