"""Printed cell texts to amounts: one number or a reason, never a different number."""

from __future__ import annotations

from decimal import Decimal

import pytest

from converters.values import parse_amount


@pytest.mark.parametrize(
    "printed,value",
    [
        ("51,753.36", "51753.36"),
        ("1，234.00", "1234.00"),
        ("1,234,567", "1234567"),
        ("1 234.56", "1234.56"),
        ("12 345 678.90", "12345678.90"),
        ("１２３．４５", "123.45"),
        ("－５", "-5"),
        ("−12.50", "-12.50"),
        ("‒3", "-3"),
        ("（1,234.00）", "-1234.00"),
        ("- 1,000.00", "-1000.00"),
        (" 0.00 ", "0.00"),
    ],
)
def test_printed_numbers_keep_their_digits(printed: str, value: str) -> None:
    amount = parse_amount(printed)
    assert (amount.value, amount.reason) == (Decimal(value), None)
    assert str(amount.value) == value


@pytest.mark.parametrize(
    "printed",
    [
        "100 200",  # two figures the reader ran together: not 100200
        "100.00 200.00",
        "1 234",  # a space group without decimals reads as two integers as well
        "1,23",  # a comma group of two digits is a misprint, not 123
        "1234,567.00",
        "1,234 567.00",  # two kinds of separator
        "1\n234.56",  # two lines of a cell
        "12%",
        "１２％",
        "①",
    ],
)
def test_cells_that_are_not_one_number_are_unreadable(printed: str) -> None:
    amount = parse_amount(printed)
    assert (amount.value, amount.reason, amount.printed) == (None, "unreadable", printed.strip())


@pytest.mark.parametrize("printed", ["-", "－", "－－", "—", "——", "/", "x", "×", "*"])
def test_dashes_and_crosses_are_not_applicable(printed: str) -> None:
    assert parse_amount(printed).reason == "not-applicable"


def test_blank() -> None:
    assert parse_amount(" \n ").reason == "blank"
