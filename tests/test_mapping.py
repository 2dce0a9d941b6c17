"""Mapping printed cells to schema rows: whole numbers, units, warnings a publisher can read."""
from __future__ import annotations

import pytest

from converters.mapping import whole_number


@pytest.mark.parametrize("printed,value", [("12", 12), (" 7 ", 7), ("１２", 12), ("①", None), ("²", None),
                                           ("1.0", None), ("", None), ("十", None)])
def test_whole_numbers_are_decimal_digits_only(printed: str, value: int | None) -> None:
    """① and ² are digits to str.isdigit() but int() raises on them: no number, no crash."""
    assert whole_number(printed) == value
