"""Quantities: numbers, scale words, Chinese scales, units, percentages, qualifiers, display."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from conftest import GROWTH_BOUND, growth

from cctrack.quantity import (
    MAX_DIGITS,
    Bound,
    QuantityError,
    canonical_unit,
    normalise_text,
    parse_percent,
    parse_quantity,
    units_agree,
)
from cctrack.render.catalogue import words
from cctrack.render.numbers import humanize

D = Decimal
EXACT, AT_LEAST, AT_MOST = Bound.exact, Bound.at_least, Bound.at_most


@pytest.mark.parametrize(
    ("text", "value", "unit", "bound"),
    [
        ("3165亿元", D("316500000000"), "yuan", EXACT),
        ("156万辆", D("1560000"), "vehicles", EXACT),
        ("1.7 million", D("1700000"), None, EXACT),
        ("over 300 billion", D("300000000000"), None, AT_LEAST),
        ("突破1000亿元", D("100000000000"), "yuan", AT_LEAST),
        ("700,000", D("700000"), None, EXACT),
        ("700_000", D("700000"), None, EXACT),
        ("1.5e+6", D("1500000"), None, EXACT),
        ("1e6", D("1000000"), None, EXACT),
        ("1.7e6", D("1700000"), None, EXACT),
        ("70万", D("700000"), None, EXACT),
        ("1 trillion", D("1000000000000"), None, EXACT),
        ("2亿人次", D("200000000"), "visits", EXACT),
        ("1,000+", D("1000"), None, AT_LEAST),
        ("约300万以上", D("3000000"), None, AT_LEAST),
        ("under 5 bn", D("5000000000"), None, AT_MOST),
        ("700k", D("700000"), None, EXACT),
        ("3600亿元", D("360000000000"), "yuan", EXACT),
        ("1.5万亿元", D("1500000000000"), "yuan", EXACT),
        ("100万人", D("1000000"), "people", EXACT),
        ("5000户", D("5000"), "enterprises", EXACT),
        ("more than 1 million people", D("1000000"), "people", AT_LEAST),
        ("241.11 billion yuan", D("241110000000"), "yuan", EXACT),
        ("241.11 Billion Yuan", D("241110000000"), "yuan", EXACT),
        ("1.7 Million", D("1700000"), None, EXACT),
        ("5 BN", D("5000000000"), None, EXACT),
        ("3 tn", D("3000000000000"), None, EXACT),
        ("≥ 5", D("5"), None, AT_LEAST),
        ("< 5", D("5"), None, AT_MOST),
        ("300万以下", D("3000000"), None, AT_MOST),
        ("  1,000.5  ", D("1000.5"), None, EXACT),
        ("0", D("0"), None, EXACT),
        ("-5", D("-5"), None, EXACT),
        # YAML numbers reach the parser as int / Decimal / float
        (700000, D("700000"), None, EXACT),
        (D("1E+6"), D("1000000"), None, EXACT),
        (D("241.11"), D("241.11"), None, EXACT),
        (1.5, D("1.5"), None, EXACT),
    ],
)
def test_parse_quantity(text: object, value: Decimal, unit: str | None, bound: Bound) -> None:
    q = parse_quantity(text)
    assert isinstance(q.value, Decimal)
    assert (q.value, q.unit, q.bound, q.percent) == (value, unit, bound, False)


def test_scaled_values_are_exact_integers() -> None:
    q = parse_quantity("1.7 million")
    assert str(q.value) == "1700000"  # not 1.7E+6
    assert parse_quantity("0.1 billion").value == D("100000000")


@pytest.mark.parametrize(
    ("text", "approx"),
    [("约300万以上", True), ("about 5", True), ("~5", True), ("5左右", True), ("5", False)],
)
def test_approx_qualifier(text: str, approx: bool) -> None:
    assert parse_quantity(text).approx is approx


@pytest.mark.parametrize(
    ("text", "fraction"),
    [("+208.56%", D("2.0856")), ("-4.5%", D("-0.045")), ("5.5%", D("0.055")), ("0%", D("0"))],
)
def test_percentages(text: str, fraction: Decimal) -> None:
    assert parse_percent(text) == fraction
    q = parse_quantity(text)
    assert (q.value, q.percent) == (fraction, True)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("abc", "invalid-quantity"),
        ("1,00,0", "invalid-quantity"),
        ("3oo bn", "invalid-quantity"),  # a letter o typed for a zero: not a unit "oo bn"
        ("12abc", "invalid-quantity"),
        ("10 000", "invalid-quantity"),
        ("1.2.3", "invalid-quantity"),
        ("5%%", "invalid-quantity"),
        ("", "invalid-quantity"),
        ("   ", "invalid-quantity"),
        ("yes", "invalid-quantity"),
        ("nan", "value-not-finite"),
        ("NaN", "value-not-finite"),
        ("-inf", "value-not-finite"),
        (".inf", "value-not-finite"),
        (float("nan"), "value-not-finite"),
        (float("inf"), "value-not-finite"),
        (D("NaN"), "value-not-finite"),
        (True, "value-boolean"),
        (False, "value-boolean"),
        (None, "value-not-number"),
        ([1, 2], "value-not-number"),
        # numbers so large that exact arithmetic on them would overflow
        ("1e999999 bn", "invalid-quantity"),
        ("1e40", "invalid-quantity"),
        (D("1E+999999999"), "invalid-quantity"),
        (10**40, "invalid-quantity"),
    ],
)
def test_rejections(raw: object, code: str) -> None:
    with pytest.raises(QuantityError) as info:
        parse_quantity(raw)
    assert info.value.code == code


@pytest.mark.parametrize("raw", ["5.5", "5", D("5.5"), 5, True, "abc%"])
def test_percent_requires_a_percent_sign(raw: object) -> None:
    with pytest.raises(QuantityError) as info:
        parse_percent(raw)
    assert info.value.code in {"invalid-percent", "invalid-quantity"}
    if raw != "abc%":
        assert info.value.code == "invalid-percent"


def test_unknown_unit_parses_but_does_not_agree() -> None:
    q = parse_quantity("5 apples")
    assert (q.value, q.unit) == (D("5"), "apples")
    assert units_agree(q.unit, "yuan") is False


@pytest.mark.parametrize(
    ("value_unit", "target_unit", "agree"),
    [
        (None, "yuan", True),
        ("yuan", "yuan", True),
        ("元", "yuan", True),
        ("RMB", "yuan", True),
        ("辆", "vehicles", True),
        ("vehicles", "Vehicles", True),
        ("人次", "visits", True),
        ("人次", "people", False),
        ("家", "enterprises", True),
        ("yuan", "vehicles", False),
        ("apples", "yuan", False),
    ],
)
def test_units_agree(value_unit: str | None, target_unit: str, agree: bool) -> None:
    assert units_agree(value_unit, target_unit) is agree


def test_unit_written_with_value_is_canonical() -> None:
    assert parse_quantity("3165亿元").unit == canonical_unit("yuan") == "yuan"
    assert parse_quantity("5 bn RMB").unit == "yuan"


@pytest.mark.parametrize(
    ("value", "unit", "lang", "text"),
    [
        (D("316500000000"), "yuan", "en", "316.5 bn yuan"),
        (D("1560000"), "vehicles", "en", "1.56 M vehicles"),
        (D("316500000000"), "yuan", "zh", "3165亿元"),
        (D("1560000"), "vehicles", "zh", "156万辆"),
        (D("1000000000000"), "yuan", "en", "1 tn yuan"),
        (D("1000000000000"), "yuan", "zh", "1万亿元"),
        (D("200000000"), "visits", "zh", "2亿人次"),
        (D("5000"), None, "en", "5,000"),
        (D("12500"), None, "en", "12.5 k"),
        (D("0.5"), "yuan", "en", "0.5 yuan"),
        (D("-2500000"), None, "en", "-2.5 M"),
        # rounding for display must not produce "1,000 k" or "10000万"
        (D("999999"), None, "en", "1 M"),
        (D("999999999"), None, "en", "1 bn"),
        (D("99999999"), None, "zh", "1亿"),
        (None, "yuan", "en", "—"),
    ],
)
def test_humanize(value: Decimal | None, unit: str | None, lang: str, text: str) -> None:
    assert humanize(value, unit, words(lang)) == text


@pytest.mark.parametrize("text", ["3165亿元", "156万辆", "1.7 million", "over 300 billion"])
def test_humanized_zh_round_trips(text: str) -> None:
    q = parse_quantity(text)
    assert parse_quantity(humanize(q.value, q.unit or "yuan", words("zh"))).value == q.value


# --- range, exactness and bounded work ---------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "1e29 trillion yuan",  # the range applies to the value, after its scale word
        "1e27 亿元",
        "1e-31",  # too tiny
        "+1e28%",
        "1000000%",
        "-1e6%",
        "1e-29%",
        "1" * (MAX_DIGITS + 1),
        "0" * MAX_DIGITS + "5",
        "1e99999999999999999999",
        "1e10001",
        10**30,
        -(10**30),
        pytest.param(10**100_000, id="huge-int"),  # refused before a (quadratic) Decimal(int)
        D("9.999E+29") * 10,
    ],
)
def test_out_of_range(raw: object) -> None:
    with pytest.raises(QuantityError) as info:
        parse_quantity(raw)
    assert info.value.code == "invalid-quantity"
    assert "out of range" in info.value.message
    assert len(info.value.message) < 300


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("9.99e29", D("9.99E+29")),
        ("1e17 trillion", D("1E+29")),
        ("999999%", D("9999.99")),
        ("-999999.99%", D("-9999.9999")),
        ("1e-28%", D("1E-30")),
        ("0.000000000000000000000000000000001 trillion", D("1E-21")),  # tiny, then scaled
        (10**30 - 1, D(10**30 - 1)),
    ],
)
def test_just_in_range(raw: object, value: Decimal) -> None:
    assert parse_quantity(raw).value == value


def test_a_percentage_change_out_of_range_is_refused() -> None:
    with pytest.raises(QuantityError) as info:
        parse_percent("+1e28%")
    assert "a percentage must be below 1,000,000%" in info.value.message
    assert parse_percent("+999999%") == D("9999.99")


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        # more significant digits than Decimal's default context keeps (28): still exact
        ("1.0000000000000000000000000000001 billion", D("1000000000.0000000000000000000001")),
        ("1.23456789012345678901234567891%", D("0.0123456789012345678901234567891")),
        ("12345678901234567890.123456789亿", D("1234567890123456789012345678.9")),
    ],
)
def test_scales_and_percentages_are_exact(raw: str, value: Decimal) -> None:
    assert parse_quantity(raw).value == value


HOSTILE: dict[str, Callable[[int], str]] = {
    "tildes": lambda n: "~" * n + "5",  # 33 s for 120,000 '~' when stripped one by one
    "yue": lambda n: "约" * n + "5",
    "zuoyou": lambda n: "5" + "左右" * (n // 2),
    "overs": lambda n: "over " * (n // 2) + "5",
    "digits": lambda n: "1" * (8 * n),
    "commas": lambda n: "1," * (2 * n) + "000",
    "long-mantissa": lambda n: "1" + "0" * (4 * n) + "e5",
    "long-unit": lambda n: "5 " + "a" * (8 * n) + "1",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_text_is_refused_in_linear_time(name: str) -> None:
    make = HOSTILE[name]

    def refuse(n: int) -> None:
        with pytest.raises(QuantityError):
            parse_quantity(make(n))

    assert growth(refuse, 15_000) < GROWTH_BOUND  # 15,000 to 120,000 repeats
    with pytest.raises(QuantityError) as info:
        parse_quantity(make(120_000))
    assert len(info.value.message) < 300  # the message quotes the text cut short


# --- qualifiers and digits ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("over 300 or less", ("'over' (at least)", "'or less' (at most)")),
        ("≥ ≤ 5", ("'≥' (at least)", "'≤' (at most)")),
        ("超过300以下", ("'超过' (at least)", "'以下' (at most)")),
        ("under 5+", ("'under' (at most)", "'+' (at least)")),
    ],
)
def test_contradictory_qualifiers_are_refused(raw: str, words: tuple[str, str]) -> None:
    with pytest.raises(QuantityError) as info:
        parse_quantity(raw)
    assert info.value.code == "invalid-quantity"
    assert all(w in info.value.message for w in words)
    assert "contradict each other" in info.value.message


@pytest.mark.parametrize(
    ("raw", "bound", "approx"),
    [
        ("约300万以上", AT_LEAST, True),
        ("超过300万以上", AT_LEAST, False),  # the same bound twice: redundant, not contradictory
        ("about 5 or more", AT_LEAST, True),
        ("约5左右", EXACT, True),
    ],
)
def test_two_qualifiers_that_agree(raw: str, bound: Bound, approx: bool) -> None:
    q = parse_quantity(raw)
    assert (q.bound, q.approx) == (bound, approx)


@pytest.mark.parametrize(("raw", "word"), [("over over 90", "over"), ("约约5", "约"), ("~~5", "~")])
def test_a_qualifier_written_twice_is_refused(raw: str, word: str) -> None:
    with pytest.raises(QuantityError) as info:
        parse_quantity(raw)
    assert info.value.message == f"{raw!r}: {word!r} is written twice: keep one"


@pytest.mark.parametrize(
    ("raw", "said"),
    [("over 超过 90", "'over' and '超过' both say 'at least' before the number"),
     ("about ~5", "'about' and '~' both say 'about' before the number"),
     ("5 or more 以上", "'以上' and 'or more' both say 'at least' after the number")],
)  # fmt: skip
def test_two_words_of_one_meaning_on_one_side_are_refused(raw: str, said: str) -> None:
    with pytest.raises(QuantityError) as info:
        parse_quantity(raw)
    assert info.value.message == f"{raw!r}: {said}: keep one"


@pytest.mark.parametrize("raw", ["about over 5 or more", "约超过300万以上", "约超过300以上"])
def test_more_than_two_qualifiers_are_refused(raw: str) -> None:
    with pytest.raises(QuantityError) as info:
        parse_quantity(raw)
    assert "more than 2 qualifiers" in info.value.message


@pytest.mark.parametrize(
    ("raw", "digit"),
    [
        ("1٢3", "arabic-indic digit two"),
        ("١٢٣", "arabic-indic digit one"),
        ("१२३ 万", "devanagari digit one"),
        ("5.٥%", "arabic-indic digit five"),
        ("𝟓", "mathematical bold digit five"),
    ],
)
def test_digits_of_other_scripts_are_refused(raw: str, digit: str) -> None:
    with pytest.raises(QuantityError) as info:
        parse_quantity(raw)
    assert info.value.code == "invalid-quantity"
    assert digit in info.value.message
    assert "write the digits 0-9" in info.value.message


@pytest.mark.parametrize(
    ("text", "ascii"),
    [
        ("３１６５亿元", "3165亿元"),
        ("1，000", "1,000"),
        ("＋24．4％", "+24.4%"),
        ("－5％", "-5%"),
        ("1\u3000000", "1 000"),
        ("٢ ２ 2 ～ 。", "٢ 2 2 ～ 。"),  # only the listed characters change
    ],
)
def test_normalise_text(text: str, ascii: str) -> None:
    assert normalise_text(text) == ascii


@pytest.mark.parametrize(
    ("text", "value", "points", "qualified"),
    [("+5.5%", "0.055", False, False), ("24%以上", "0.24", False, True),
     ("约5%", "0.05", False, True), ("+1.2pp", "0.012", True, False),
     ("1.2个百分点", "0.012", True, False), ("约1.2个百分点", "0.012", True, True),
     ("~1.2pp", "0.012", True, True), ("over1.2pp", "0.012", True, True),
     ("over 1.2pp", "0.012", True, True), ("1.2 Percentage Points", "0.012", True, False),
     # a qualifier after the points word, as after a percentage ("6.5%以上")
     ("1.2个百分点以上", "0.012", True, True), ("1.2 pp or more", "0.012", True, True),
     ("约1.2个百分点以上", "0.012", True, True), ("1.2个百分点左右", "0.012", True, True)],
)  # fmt: skip
def test_a_change_says_whether_it_was_written_with_a_qualifier(
    text: str, value: str, points: bool, qualified: bool
) -> None:
    from cctrack.quantity import parse_change

    c = parse_change(text)
    assert (c.value, c.points, c.qualified) == (Decimal(value), points, qualified)


@pytest.mark.parametrize(
    ("text", "said"),
    [("RMB5pp", "'RMB5pp': a yuan amount (RMB) cannot be a percentage"),
     ("RMB5%", "'RMB5%': a yuan amount (RMB) cannot be a percentage"),
     ("x1.2pp", "'x1.2pp': no number where one is expected"),
     ("5000000pp", "'5000000pp' is out of range: a percentage must be below 1,000,000% in size")],
)  # fmt: skip
def test_a_change_in_points_is_refused_naming_the_text_as_typed(text: str, said: str) -> None:
    from cctrack.quantity import parse_change

    with pytest.raises(QuantityError) as exc:
        parse_change(text)
    assert exc.value.message == said


def test_traditional_characters_read_as_the_quote_reader_reads_them() -> None:
    q = parse_quantity("約300億元")  # 約 is 约 here as in a quote: one table for both
    assert (q.value, q.unit, q.approx) == (Decimal("30000000000"), "yuan", True)
    assert parse_quantity("300萬餘").bound is Bound.at_least


@pytest.mark.parametrize(
    ("value", "like", "shown"),
    [("690762167126.3", "7522.4亿元", "6907.62亿元"), ("242080000000", "3026亿元", "2420.8亿元"),
     ("242080000000", "302.6 billion yuan", "242.08 billion yuan"),
     ("1335047.2", "155.8万辆", "133.5万辆"), ("1335047.2", "411,777", "1,335,047"),
     ("85000", "突破45万辆", "8.5万辆"), ("3e10", "RMB 300 billion", "RMB 30 billion")],
)  # fmt: skip
def test_a_derived_value_is_written_as_its_line_writes_values(
    value: str, like: str, shown: str
) -> None:
    from cctrack.quantity import written_like

    assert written_like(Decimal(value), like) == shown
