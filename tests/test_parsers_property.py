"""The value, period and YAML scalar parsers: properties over arbitrary input, and bounded work.

Properties (hypothesis, derandomized: the same examples every run): any text raises nothing but
the parser's own error; what is parsed round-trips. Then hostile sizes read through the whole
command line: a clean, positioned problem each; and the work grows like the input, never like
its square (:func:`conftest.growth`: no wall-clock bound, a ratio measured in the same run).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from datetime import date
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from conftest import GROWTH_BOUND, OBSERVATIONS, TARGETS, MakeData, growth
from hypothesis import example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cctrack import quantity
from cctrack.cli import app
from cctrack.period import MAX_YEAR, MIN_YEAR, PeriodError, parse_date, parse_period
from cctrack.problem import suggest
from cctrack.quantity import (
    MAX_DIGITS,
    QuantityError,
    normalise_text,
    parse_percent,
    parse_quantity,
    written,
)
from cctrack.yaml_reader import resolve_plain

# 80 examples a property in the quick suite; CCTRACK_HYPOTHESIS=long searches 2,000
PROPERTY = settings(
    derandomize=True,
    database=None,
    max_examples=2_000 if os.environ.get("CCTRACK_HYPOTHESIS") == "long" else 80,
    deadline=None,  # no wall-clock bound: growth is guarded by ratios (test_*_grows_linearly)
)

# Pieces of the inputs these parsers meet, to make soups of more interest than random text.
TOKENS = [
    *"0123456789０１２３４５６７８９",
    *"+-.,_%eE ＋－，．％\u3000~～/—年月日季度上下半第一二三四QHq万亿千元辆人次٢",
    "over ", "or less", "about ", "以上", "以下", "左右", "突破", "billion", "bn", "k", "trillion",
    "1e99999999999999999999", "0o", "0x", ".inf", ".nan", "nan", "true", "null",
    "2024", "2024-", "H1", "Q3", "10", "/", "-01", "1000", "0999", "9999",
]  # fmt: skip
soup = st.lists(st.sampled_from(TOKENS), max_size=12).map("".join)
any_text = st.text(max_size=60) | soup


def within_range(d: Decimal) -> bool:
    return d.is_finite() and (not d or -30 <= d.adjusted() < 30)


def full_width(text: str) -> str:
    """``text`` as a Chinese input method in full-width mode types it."""
    table: dict[str, str | int | None] = {str(i): chr(0xFF10 + i) for i in range(10)}
    table.update({",": "，", ".": "．", "%": "％", "+": "＋", "-": "－"})
    return text.translate(str.maketrans(table))


# --- nothing but the parser's own error, fast ----------------------------------------------------


def timed(parse: Any, raw: object, error: type[Exception]) -> None:
    """Parse ``raw``: its own ``error`` is the only exception let through (any other fails)."""
    with contextlib.suppress(error):
        parse(raw)


@PROPERTY
@given(any_text)
def test_quantity_text_raises_only_quantity_error(text: str) -> None:
    timed(parse_quantity, text, QuantityError)
    timed(parse_percent, text, QuantityError)


@PROPERTY
@given(any_text)
def test_period_text_raises_only_period_error(text: str) -> None:
    timed(parse_period, text, PeriodError)
    timed(parse_date, text, PeriodError)


@PROPERTY
@given(any_text | st.from_regex(r"[-+]?(0o|0x)?[0-9a-f]{0,600}(\.[0-9]*)?(e[-+]?[0-9]{1,25})?"))
@example("1e99999999999999999999")  # Decimal() refuses it
@example("-1.5E-99999999999999999999")
@example("0o" + "7" * 20_000)  # Decimal(int) of it: quadratic
@example("1" * 5000)
def test_yaml_scalars_never_raise_and_parse_cleanly(text: str) -> None:
    value = resolve_plain(text)  # raises nothing
    written(value)
    timed(parse_quantity, value, QuantityError)
    timed(parse_percent, value, QuantityError)
    timed(parse_period, value, PeriodError)


@PROPERTY
@given(any_text)
def test_normalise_text_is_idempotent_and_keeps_length(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert len(once) == len(text)


# --- round trips ----------------------------------------------------------------------------------

decimals = st.decimals(allow_nan=False, allow_infinity=False).filter(within_range)


@PROPERTY
@given(decimals)
def test_a_decimal_reads_back_as_itself(d: Decimal) -> None:
    assert parse_quantity(str(d)).value == d  # 1.5E+7, -0.001, 0E-9 ...
    fixed = format(d, "f")
    if len(fixed) <= MAX_DIGITS:
        assert parse_quantity(fixed).value == d
        assert parse_quantity(full_width(fixed)).value == d


@PROPERTY
@given(st.integers(min_value=-(10**30) + 1, max_value=10**30 - 1))
def test_an_integer_reads_back_with_separators(n: int) -> None:
    assert parse_quantity(n).value == n
    assert parse_quantity(f"{n:,}").value == n
    assert parse_quantity(f"{n:_}").value == n
    assert parse_quantity(full_width(f"{n:,}")).value == n


@PROPERTY
@given(st.decimals(min_value=-999_999, max_value=999_999, places=6))
def test_a_percentage_reads_back(d: Decimal) -> None:
    fraction = d.scaleb(-2)
    assert parse_percent(f"{d:+}%") == fraction
    assert parse_percent(full_width(f"{d:+f}%")) == fraction


@PROPERTY
@given(st.integers(min_value=-(10**399) + 1, max_value=10**399 - 1), decimals)
def test_yaml_numbers_read_back(n: int, d: Decimal) -> None:
    assert resolve_plain(str(n)) == n
    if "E" in str(d) or "." in str(d):  # a YAML float, not an int
        assert resolve_plain(str(d)) == d


CN_QUARTER = "一二三四"


@st.composite
def periods(draw: st.DrawFn) -> tuple[str, list[object]]:
    """A canonical period text and other spellings of it."""
    y = draw(st.integers(MIN_YEAR, MAX_YEAR))
    kind = draw(st.sampled_from(["year", "half", "quarter", "month", "months", "years", "date"]))
    if kind == "year":
        return f"{y}", [f"{y}年", full_width(str(y)), y]
    if kind == "half":
        h = draw(st.integers(1, 2))
        return f"{y}-H{h}", [f"{y}年{'上下'[h - 1]}半年"]
    if kind == "quarter":
        q = draw(st.integers(1, 4))
        return f"{y}-Q{q}", [f"{y}年第{CN_QUARTER[q - 1]}季度", f"{y}年{q}季度", f"{y}年Q{q}"]
    if kind == "month":
        m = draw(st.integers(1, 12))
        return f"{y}-{m:02d}", [f"{y}年{m}月"]
    if kind == "months":
        a = draw(st.integers(1, 12))
        b = draw(st.integers(a, 12))
        return f"{y}-{a:02d}/{y}-{b:02d}", [f"{y}年{a}-{b}月", f"{y}年{a}至{b}月"]
    if kind == "years":
        z = draw(st.integers(y + 1, MAX_YEAR)) if y < MAX_YEAR else y
        return (f"{y}/{z}", []) if z > y else (f"{y}", [])
    day = draw(st.dates(date(max(y, 1000), 1, 1), date(y, 12, 31)))
    return day.isoformat(), [f"{y}/{day.month}/{day.day}", f"{y}年{day.month}月{day.day}日"]


@PROPERTY
@given(periods())
def test_a_period_reads_back_as_its_canonical_text(case: tuple[str, list[object]]) -> None:
    canonical, others = case
    period = parse_period(canonical)
    assert period.text == canonical
    assert parse_period(period.text) == period
    for other in others:
        assert parse_period(other) == period, other


# --- hostile sizes through the command line ------------------------------------------------------


def validate(directory: Any) -> list[dict[str, Any]]:
    args = ["validate", "--data", str(directory), "--as-of", "2024-06-01", "--format", "json"]
    result = CliRunner().invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    problems: list[dict[str, Any]] = json.loads(result.stdout)
    return problems


def errors(problems: list[dict[str, Any]]) -> list[tuple[str, int, int, str]]:
    return [
        (p["code"], p["line"], p["col"], p["message"]) for p in problems if p["severity"] == "error"
    ]


@pytest.mark.parametrize(
    "number",
    [
        "1e99999999999999999999",
        "-1e99999999999999999999",
        "1e-99999999999999999999",
        "1.5e999999999999999999",
        "0o" + "7" * 1_000_000,  # 17 s when converted to a Decimal
        "0x" + "f" * 1_000_000,
        "9" * 1_000_000,
        "0." + "0" * 1_000_000 + "1",
    ],
    ids=[
        "huge-exp",
        "neg-huge-exp",
        "tiny-exp",
        "fraction-huge-exp",
        "octal",
        "hex",
        "dec",
        "frac",
    ],
)
def test_a_huge_number_is_a_clean_out_of_range_problem(number: str, make_data: MakeData) -> None:
    directory = make_data(TARGETS, OBSERVATIONS.replace("500000", number))
    [(code, line, col, message)] = errors(validate(directory))
    assert (code, line, col) == ("invalid-quantity", 4, 12)
    assert "out of range" in message and len(message) < 300


@pytest.mark.parametrize(
    ("targets", "observations", "error"),
    [
        ("targets: 1e99999999999999999999\n", OBSERVATIONS, ("wrong-type", 1, 10)),
        (
            TARGETS,
            OBSERVATIONS.replace("    value: 500000\n", "    value: 5\n    colour: 1e99999999\n"),
            ("unknown-field", 5, 5),
        ),
        (TARGETS.replace("start: 2021", "start: 1e99999999999999999999"), OBSERVATIONS,
         ("wrong-type", 8, 12)),
        (TARGETS, OBSERVATIONS.replace("period: 2023", "period: 1e99999999999999999999"),
         ("invalid-period", 3, 13)),
        (TARGETS, OBSERVATIONS.replace("period: 2023", "period: 0o" + "7" * 100_000),
         ("invalid-period", 3, 13)),
        (TARGETS, OBSERVATIONS.replace("value: 500000", 'value: "1e29 trillion yuan"'),
         ("invalid-quantity", 4, 12)),
        (TARGETS, OBSERVATIONS.replace("value: 500000", "value: 1e29 trillion yuan"),
         ("invalid-quantity", 4, 12)),
        (TARGETS, OBSERVATIONS.replace("value: 500000", 'value: 5\n    change: "+1e28%"'),
         ("invalid-quantity", 5, 13)),
        (TARGETS, OBSERVATIONS.replace("value: 500000", "value: 5\n    change: 1e99999999999"),
         ("invalid-percent", 5, 13)),
        (TARGETS, OBSERVATIONS.replace("value: 500000", 'value: "' + "~" * 120_000 + '5"'),
         ("invalid-quantity", 4, 12)),
        (TARGETS, OBSERVATIONS.replace("value: 500000", 'value: "over 300 or less"'),
         ("invalid-quantity", 4, 12)),
        (TARGETS, OBSERVATIONS.replace("value: 500000", 'value: "1٢3"'),
         ("invalid-quantity", 4, 12)),
    ],
    ids=["root", "unknown-key", "start", "period", "period-octal", "scaled", "scaled-plain",
         "change", "change-number", "tildes", "contradiction", "arabic-indic"],
)  # fmt: skip
def test_hostile_values_are_positioned_problems(
    targets: str, observations: str, error: tuple[str, int, int], make_data: MakeData
) -> None:
    found = errors(validate(make_data(targets, observations)))
    assert error in [e[:3] for e in found], found
    assert all(len(e[3]) < 300 for e in found)


@pytest.mark.parametrize("prefix, digit", [("0o", "7"), ("0x", "f"), ("", "9"), ("0.", "0")])
def test_a_long_number_is_read_in_linear_time(prefix: str, digit: str) -> None:
    assert growth(lambda n: resolve_plain(prefix + digit * n), 100_000) < GROWTH_BOUND
    value = resolve_plain(prefix + digit * 1_000_000 + ("1" if prefix == "0." else ""))
    with pytest.raises(QuantityError) as info:
        parse_quantity(value)
    assert "out of range" in info.value.message


def test_the_growth_guard_tells_linear_from_quadratic() -> None:
    """The guard can fail: the square of the size is caught, the size itself passes."""

    def linear(n: int) -> object:
        return sum(range(n * 2000))

    def quadratic(n: int) -> object:
        return sum(i ^ j for i in range(n * 8) for j in range(n * 8))

    assert growth(linear, 100) < GROWTH_BOUND
    assert growth(quadratic, 20) > GROWTH_BOUND


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("9" * MAX_DIGITS, int("9" * MAX_DIGITS)),  # as long as is read: an exact int
        ("0x" + "f" * (MAX_DIGITS - 2), int("f" * (MAX_DIGITS - 2), 16)),
        ("1e10000", Decimal("1E+10000")),  # exact, and out of range for a quantity
    ],
)
def test_numbers_up_to_the_bound_stay_exact(text: str, value: object) -> None:
    assert resolve_plain(text) == value
    with pytest.raises(QuantityError):
        parse_quantity(resolve_plain(text))


# --- did you mean: bounded work ------------------------------------------------------------------


def test_suggestions_over_many_ids_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Among 500 ids each unknown word is compared in full with at most 16 (counted, not timed:
    14 s when each word met every id)."""
    import difflib

    compared: list[int] = []
    close_matches = difflib.get_close_matches

    def counting(word: str, possibilities: list[str], *args: Any, **kwargs: Any) -> list[str]:
        compared.append(len(possibilities))
        return close_matches(word, possibilities, *args, **kwargs)

    monkeypatch.setattr(difflib, "get_close_matches", counting)
    ids = [f"goal-{i:04d}" for i in range(500)]
    for i in range(200):  # distinct words: nothing is served from the cache
        suggest(f"gaol-{i:04d}", ids)
    assert len(compared) == 200
    assert max(compared) <= 16
    assert "'goal-0142'" in suggest("gaol-0142", ids)


def test_many_observations_of_renamed_targets_validate_fast(make_data: MakeData) -> None:
    """500 targets renamed, 5,000 observations still naming the old ids: 17 s before."""
    targets = "targets:\n" + "".join(
        TARGETS.removeprefix("targets:\n").replace("id: nev", f"id: goal-{i:03d}")
        for i in range(500)
    )
    entry = OBSERVATIONS.removeprefix("observations:\n")
    observations = "observations:\n" + "".join(
        entry.replace("target: nev", f"target: target-{i % 500:03d}").replace("2023", str(y))
        for y in range(2014, 2024)
        for i in range(500)
    )
    problems = validate(make_data(targets, observations))
    unknown = [p for p in problems if p["code"] == "unknown-target"]
    assert len(unknown) == 5000
    assert "did you mean 'goal-" in unknown[0]["message"]


@pytest.mark.parametrize(
    ("word", "choices", "expected"),
    [
        ("nev-outptu", ["nev-output", "tourism-revenue", "gdp"], " (did you mean 'nev-output'?)"),
        ("tourism-revneue", [f"id-{i}" for i in range(18)] + ["tourism-revenue"],
         " (did you mean 'tourism-revenue'?)"),
        ("tourism-revneue", [f"id-{i:03d}" for i in range(300)] + ["tourism-revenue"],
         " (did you mean 'tourism-revenue'?)"),
        ("zzz", ["nev-output", "gdp"], ""),
        ("n" * 10_000, ["nev-output"], ""),
    ],
)  # fmt: skip
def test_suggestions_for_the_usual_cases(word: str, choices: list[str], expected: str) -> None:
    assert suggest(word, choices) == expected


@PROPERTY
@given(text=st.from_regex(quantity._PLAIN, fullmatch=True))
def test_the_fast_path_reads_as_the_full_reader(text: str) -> None:
    """``parse_quantity`` reads the common spellings ("+5.5%", "217.10 billion") directly; the
    full reader gives the same quantity, to the representation of the number."""

    def read() -> object:
        try:
            q = quantity._parse_text.__wrapped__(text)
        except QuantityError as exc:  # out of range: the same refusal
            return (exc.code, str(exc))
        return (q, str(q.value))

    fast = read()
    with mock.patch.object(quantity, "_PLAIN", re.compile("(?!)")):
        assert read() == fast


# --- quotes of any length and script; changes and ranges with extreme values ------------------

QUOTE_PIECES = ["下降", "增长", "fell ", "，", "、", ",", "%", "个百分点", "pp", "千亿", "亿", "万",
                "千", "约", "超过", "以上", "左右", "分别", "2024年", "1.5", "120", "٣", "০",
                "１２", "\u202e", " ", "億", "萬"]  # fmt: skip


@PROPERTY
@given(st.lists(st.sampled_from(QUOTE_PIECES) | st.text(max_size=4), max_size=60),
       st.integers(1, 200))  # fmt: skip
def test_quote_reading_is_total_and_looks_back_a_bounded_window(
    pieces: list[str], repeat: int
) -> None:
    """Any quote, in any script, is read without an error; the fall detector sees at most a
    fixed window before each figure, so reading stays linear however long the quote."""
    from cctrack import quotes

    quote = "".join(pieces) * repeat
    seen = 0
    real = quotes._FALL

    class Counting:
        def search(self, text: str) -> Any:
            nonlocal seen
            seen += len(text)
            return real.search(text)

    with mock.patch.object(quotes, "_FALL", Counting()):
        found = quotes.figures(quote)
    assert seen <= quotes._FALL_REACH * max(len(found), 1)
    assert all(f.value.is_finite() for f in found)
    quotes.check_quote(quote, Decimal(1), Decimal("0.05"))


@PROPERTY
@given(st.sampled_from(["", "+", "-"]), st.text("0123456789.e٠١٢", min_size=1, max_size=400),
       st.sampled_from(["pp", " pp", "个百分点", " percentage points"]))  # fmt: skip
def test_a_change_in_points_is_refused_or_in_range(sign: str, digits: str, unit: str) -> None:
    try:
        change = quantity.parse_change(sign + digits + unit)
    except quantity.QuantityError:
        return
    assert change.points and abs(change.value) < quantity.MAX_PERCENT / 100
    assert digits.isascii()


@PROPERTY
@given(st.decimals(0, 1000, places=2), st.decimals(0, 1000, places=2), st.booleans(),
       st.booleans())  # fmt: skip
def test_a_range_end_without_percent_takes_the_other_ends(
    low: Decimal, high: Decimal, low_pct: bool, high_pct: bool
) -> None:
    from pydantic_core import PydanticCustomError

    from cctrack.model import _range

    text = f"{low}{'%' * low_pct}-{high}{'%' * high_pct}"
    try:
        first, last = _range(text)
    except PydanticCustomError:
        assert high <= low
        return
    assert last is not None
    percent = low_pct or high_pct
    assert first.percent == last.percent == percent
    scale = Decimal("0.01") if percent else Decimal(1)
    assert (first.value, last.value) == (low * scale, high * scale)


@PROPERTY
@given(text=st.from_regex(quantity._PLAIN, fullmatch=True))
def test_a_plain_change_reads_as_by_the_full_reader(text: str) -> None:
    """``parse_change`` reads a plain spelling ("+5.5%") without looking for a multiple, a
    points word or a qualifier; with that shortcut off it gives the same change, or the same
    refusal."""

    def read() -> object:
        try:
            c = quantity.parse_change(text)
        except QuantityError as exc:
            return (exc.code, str(exc))
        return (c, str(c.value))

    fast = read()
    full = quantity._parse_text.__wrapped__  # not a quantity memoised by the shortcut
    with (
        mock.patch.object(quantity, "_PLAIN", re.compile("(?!)")),
        mock.patch.object(quantity, "_parse_text", full),
    ):
        assert read() == fast
