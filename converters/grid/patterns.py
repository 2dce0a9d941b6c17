"""What a run's text looks like: a number, a column number, a classification code, an
amount, or what only a table's body prints (the classification code is text.CODE_RX)."""

from __future__ import annotations

import re

NUMBER_RX = re.compile(r"^[-+]?[\d,.%]+$")
#: A run that may be a column's number (1 … 99); text.COLUMN_NUMBER_RX, used on whole
#: header cells, also takes 栏次 and A B C.
NUMERAL_RX = re.compile(r"^\d{1,2}$")
# what only a table's body prints: an amount, or a classification code (3, 5 or 7 digits)
AMOUNT_RX = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")  # with its thousands groups whole
BODY_RX = re.compile(r"^([-+]?(\d{1,3}(,\d{3})+(\.\d+)?|\d+\.\d+)|\d{3}(\d{2}){0,2})$")
