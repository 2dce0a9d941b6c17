"""Properties of the amount parser and of joining amounts cut across lines, over generated inputs.

The example tests (test_values.py, the corpus) pin printed forms seen in documents;
these say what must hold for every amount a table could print, and that no text at
all makes the parser fail.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from converters.grid.patterns import AMOUNT_RX
from converters.grid.wraps import amount_tail
from converters.values import MAX_DECIMALS, MAX_INTEGER_DIGITS, parse_amount

FULL_WIDTH = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")

integer_parts = st.integers(min_value=0, max_value=10**MAX_INTEGER_DIGITS - 1)
decimal_places = st.integers(min_value=0, max_value=MAX_DECIMALS)


def grouped(n: int) -> str:
    return f"{n:,}"


@st.composite
def printed_amounts(draw) -> tuple[str, Decimal]:
    """An amount as a table prints it (plain or in thousands groups, some decimals), and its value."""
    whole, places = draw(integer_parts), draw(decimal_places)
    fraction = draw(st.integers(min_value=0, max_value=10**places - 1)) if places else 0
    digits = f"{fraction:0{places}d}" if places else ""
    body = (grouped(whole) if draw(st.booleans()) else str(whole)) + (f".{digits}" if places else "")
    value = Decimal(f"{whole}.{digits}" if places else str(whole))
    return body, value


@given(printed_amounts(), st.sampled_from(["", " ", "\u3000", "\n"]))
def test_every_printed_amount_reads_as_itself(amount: tuple[str, Decimal], pad: str) -> None:
    text, value = amount
    parsed = parse_amount(pad + text + pad)
    assert parsed.value == value and parsed.reason is None
    assert str(parsed.value) == str(value)  # the decimals printed, kept (1.50 stays 1.50)
    assert parsed.printed == text


@given(printed_amounts())
def test_signs_brackets_and_full_width_forms_read_the_same(amount: tuple[str, Decimal]) -> None:
    text, value = amount
    assert parse_amount("-" + text).value == value.copy_negate()
    assert parse_amount(f"({text})").value == value.copy_negate()
    assert parse_amount(f"（{text}）").value == value.copy_negate()
    assert parse_amount(text.translate(FULL_WIDTH)).value == value


@given(st.integers(min_value=1, max_value=10**6), st.integers(min_value=0, max_value=999))
def test_two_figures_run_together_are_unreadable_not_one_number(a: int, b: int) -> None:
    """Integers side by side (100 200) could be one number or two cells: never guessed."""
    assert parse_amount(f"{a} {b:03d}").reason == "unreadable"


@given(st.integers(min_value=10**MAX_INTEGER_DIGITS, max_value=10**40))
def test_figures_longer_than_any_budget_prints_are_unreadable(n: int) -> None:
    assert parse_amount(str(n)).reason == "unreadable"


@given(st.text())
@example("１,２３")
@example("(—)")
@example("1e5")
@example("NaN")
@example("Infinity")
def test_any_text_gives_a_value_or_a_reason_never_an_error(text: str) -> None:
    parsed = parse_amount(text)
    assert (parsed.value is None) == (parsed.reason is not None)
    assert parsed.reason in (None, "blank", "not-applicable", "unreadable")
    assert parsed.printed == text.strip()
    if parsed.value is not None:
        assert parsed.value.is_finite()


@st.composite
def grouped_amounts(draw, min_places: int = 0) -> tuple[str, int]:
    """An amount printed in thousands groups with ``places`` decimals, as a budget column prints it."""
    places = draw(st.integers(min_value=min_places, max_value=4))
    whole = draw(st.integers(min_value=0, max_value=10**15))
    fraction = draw(st.integers(min_value=0, max_value=10**places - 1)) if places else 0
    return grouped(whole) + (f".{fraction:0{places}d}" if places else ""), places


@settings(max_examples=300)
@given(grouped_amounts(min_places=1), st.data())
def test_an_amount_cut_anywhere_in_a_full_column_is_joined_again(amount: tuple[str, int], data) -> None:
    """A column too narrow for an amount with decimals wraps it at any char: the two lines are one amount."""
    text, places = amount
    cut = data.draw(st.integers(min_value=1, max_value=len(text) - 1))
    upper, lower = text[:cut], text[cut:]
    assert amount_tail(upper, lower, places, full=True)


@given(grouped_amounts(), st.data())
def test_an_amount_cut_at_a_separator_is_joined_even_in_a_wide_column(amount: tuple[str, int], data) -> None:
    text, places = amount
    separators = [i for i, c in enumerate(text) if c in ".,"]
    if not separators:
        return
    i = data.draw(st.sampled_from(separators))
    cut = i + data.draw(st.sampled_from([0, 1]))  # the separator ends the upper line or starts the lower one
    assert amount_tail(text[:cut], text[cut:], places, full=False)


@given(grouped_amounts(), grouped_amounts(), st.booleans())
def test_two_whole_amounts_one_above_the_other_stay_two(a: tuple[str, int], b: tuple[str, int], full: bool) -> None:
    """Amounts of two rows, each whole as the table prints them, are never read as one."""
    (upper, places), (lower, _) = a, b
    lower = lower.split(".")[0] + ("." + "0" * places if places else "")
    if lower.startswith((".", ",")):
        return
    assert AMOUNT_RX.match(upper) and AMOUNT_RX.match(lower)
    assert not amount_tail(upper, lower, places, full)


@given(st.text(min_size=1), st.text(min_size=1), st.booleans())
def test_lines_that_are_not_numbers_are_never_joined_as_amounts(upper: str, lower: str, full: bool) -> None:
    if any(not (c.isdigit() or c in ",.%+-") for c in upper):
        assert not amount_tail(upper, lower, 2, full)
