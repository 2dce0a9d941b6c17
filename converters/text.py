"""Printed text as budgetpack compares it, and the shapes every stage shares.

How a label is normalised (white space, full-width brackets) and what a
classification code, a year or a column number looks like are decided once here, so
that recognition, mapping, checks, the narrative and the performance readers agree;
a stage that needs a stricter form of one of them builds it from these.
"""

from __future__ import annotations

import re
from functools import lru_cache

WHITESPACE_RX = re.compile(r"\s+")
#: A budget classification code as printed whole: 类 (3 digits), 款 (5) or 项 (7).
CODE_RX = re.compile(r"^\d{3}(\d{2}){0,2}$")
#: A year in a title or a sentence (2026年, 2026 年度).
YEAR_RX = re.compile(r"(20\d{2})\s*年")
#: One cell of a header row of column numbers: 1 2 3, A B C, or the word 栏次.
COLUMN_NUMBER_RX = re.compile(r"^(\d{1,2}|栏次|[A-Z])$")
#: Full-width brackets and colon written as ASCII: labels print either.
ASCII_BRACKETS = str.maketrans("（）：", "():")
#: ASCII_BRACKETS and the full-width comma, for labels of forms (其中：财政拨款, 项目资金（万元）).
ASCII_PUNCTUATION = str.maketrans("（）：，", "():,")
#: How an organisation's name ends: 局, 委员会, 办公室 … (本级 or 机关 after it).
ORG_SUFFIX_RX = re.compile(
    r"(局|院|厅|委|委员会|办公室|办事处|中心|所|站|队|馆|部|署|会|处|室|政府|街道|法院|检察院|分局)(本级|机关)?$"
)


@lru_cache(maxsize=1 << 16)
def squash(text: str) -> str:
    """Text with all white space removed: how printed labels are compared (a PDF
    spaces out 合  计 or wraps a label where a DOCX does not). Cached: every header
    cell is compared with every concept's labels."""
    return WHITESPACE_RX.sub("", text)
