"""Periods: every form, ordering, full vs partial, rejections."""

from __future__ import annotations

from datetime import date

import pytest

from cctrack.period import (
    FITS,
    MAX_YEAR,
    MIN_YEAR,
    PeriodError,
    PeriodKind,
    parse_date,
    parse_period,
)

K = PeriodKind


@pytest.mark.parametrize(
    ("raw", "kind", "start", "end"),
    [
        (2023, K.year, date(2023, 1, 1), date(2023, 12, 31)),
        ("2023", K.year, date(2023, 1, 1), date(2023, 12, 31)),
        ("2023-H1", K.half, date(2023, 1, 1), date(2023, 6, 30)),
        ("2023-H2", K.half, date(2023, 7, 1), date(2023, 12, 31)),
        ("2023-Q1", K.quarter, date(2023, 1, 1), date(2023, 3, 31)),
        ("2023-Q3", K.quarter, date(2023, 7, 1), date(2023, 9, 30)),
        ("2023-Q4", K.quarter, date(2023, 10, 1), date(2023, 12, 31)),
        ("2023-10", K.month, date(2023, 10, 1), date(2023, 10, 31)),
        ("2023-02", K.month, date(2023, 2, 1), date(2023, 2, 28)),
        ("2024-02", K.month, date(2024, 2, 1), date(2024, 2, 29)),
        ("2023-01/2023-10", K.months, date(2023, 1, 1), date(2023, 10, 31)),
        ("2023-10/2023-10", K.months, date(2023, 10, 1), date(2023, 10, 31)),
        ("2021/2025", K.years, date(2021, 1, 1), date(2025, 12, 31)),
        ("2023-12-31", K.date, date(2023, 12, 31), date(2023, 12, 31)),
        ("2024-02-29", K.date, date(2024, 2, 29), date(2024, 2, 29)),
        (" 2023 ", K.year, date(2023, 1, 1), date(2023, 12, 31)),
    ],
)
def test_parse(raw: object, kind: PeriodKind, start: date, end: date) -> None:
    p = parse_period(raw)
    assert (p.kind, p.start, p.end) == (kind, start, end)
    assert p.text == str(raw).strip()
    assert p.year == end.year


@pytest.mark.parametrize(
    ("raw", "full", "partial"),
    [
        ("2023", True, False),
        ("2023-H1", False, True),
        ("2023-Q3", False, True),
        ("2023-10", False, True),
        ("2023-01/2023-10", False, True),
        ("2021/2025", False, False),
        ("2023-12-31", False, False),
    ],
)
def test_full_and_partial(raw: str, full: bool, partial: bool) -> None:
    p = parse_period(raw)
    assert (p.is_full_year, p.is_partial) == (full, partial)


def test_order_by_end_then_longer_first() -> None:
    texts = ["2023", "2023-Q1", "2022", "2023-01/2023-10", "2023-H1", "2023-10", "2023-12-31"]
    ordered = sorted((parse_period(t) for t in texts), key=lambda p: p.sort_key)
    assert [p.text for p in ordered] == [
        "2022",
        "2023-Q1",
        "2023-H1",
        "2023-01/2023-10",  # ends 31 October, like 2023-10, but is longer
        "2023-10",
        "2023",  # ends 31 December, like 2023-12-31, but is longer
        "2023-12-31",
    ]


def test_int_and_string_years_are_equal() -> None:
    assert parse_period(2023) == parse_period("2023")


@pytest.mark.parametrize("raw", [1000, "1000", 9999, "9999-12-31", "1000/9999"])
def test_years_run_from_1000_to_9999(raw: object) -> None:
    assert MIN_YEAR <= parse_period(raw).start.year <= parse_period(raw).end.year <= MAX_YEAR


@pytest.mark.parametrize(
    ("raw", "advice"),
    [
        ("2024年度", "for the year write 2024 (or 2024年); for part of it 2024-H1, 2024年上半年"),
        ("2023-1", "write the month with two digits: 2023-01"),
        ("2023-h1", "write 2023-H1"),
        ("0999", "years run from 1000 to 9999"),
        (999, "a year is a number from 1000 to 9999"),
        ("2024年全年", "write 2024年, 2024年上半年, 2024年三季度, 2024年10月, 2024年1-10月"),
        ("last year", "use 2024, 2024-H1, 2024-Q3, 2024-10, 2024-01/2024-10, 2020/2024"),
    ],
)
def test_a_refused_period_says_what_to_write(raw: object, advice: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse_period(raw)
    assert advice in str(info.value)


def test_a_long_text_is_refused_with_a_short_message() -> None:
    with pytest.raises(PeriodError) as info:
        parse_period("2024年" * 100_000)
    assert len(str(info.value)) < 400


@pytest.mark.parametrize(
    "raw",
    [
        "2023-13",
        "2023-00",
        "2023-02-30",
        "2023-H3",
        "2023-Q0",
        "2023-10/2023-01",
        "2023-01/2024-02",
        "2025/2021",
        "2023/2023",
        "23",
        "2023-1",
        "2023-h1",
        "0000",
        "0999",  # a year before 1000: the year before it would be no period
        "0999-H1",
        "0999/2025",
        "٢٠٢٣",  # digits of another script
        "２０２３-Ｈ１",  # full-width letters are not read (full-width digits are)
        "2024年度",
        "2024年第五季度",
        "2024年10-1月",
        "2024年13月",
        "2024年2月30日",
        "2023-01/2024年2月",
        "2025.2.25",
        "2023 - H1",  # spaces inside are read only in the Chinese forms
        "",
        True,
        False,
        None,
        2023.0,
        12345,
        999,
        0,
        -2023,
        pytest.param(10**5000, id="huge-int"),  # too long for str(): refused without it
    ],
)
def test_rejections(raw: object) -> None:
    with pytest.raises(PeriodError) as info:
        parse_period(raw)
    assert info.value.code == "invalid-period"


@pytest.mark.parametrize(
    ("raw", "day"),
    [
        ("2026-11-22", date(2026, 11, 22)),
        ("2025", date(2025, 12, 31)),
        (2025, date(2025, 12, 31)),
        ("2024-02", date(2024, 2, 29)),
        (date(2020, 1, 1), date(2020, 1, 1)),
        ("2025-2-25", date(2025, 2, 25)),
        ("2025/02/25", date(2025, 2, 25)),
        ("2025/2/25", date(2025, 2, 25)),
        ("2025年2月25日", date(2025, 2, 25)),
        ("２０２５年２月２５日", date(2025, 2, 25)),
        ("2025年", date(2025, 12, 31)),
        ("2024年2月", date(2024, 2, 29)),
    ],
)
def test_parse_date(raw: object, day: date) -> None:
    assert parse_date(raw) == day


@pytest.mark.parametrize(
    "raw", ["2025-H1", "2025-Q1", "2021/2025", "someday", "2025年上半年", "2025.2.25", "0999-01-01"]
)
def test_parse_date_rejections(raw: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse_date(raw)
    assert "is not a date: write 2026-11-22, 2026/11/22 or 2026年11月22日" in str(info.value) or (
        "years run from 1000 to 9999" in str(info.value)
    )


@pytest.mark.parametrize(
    ("target_kind", "period", "fits"),
    [
        ("annual", "2023", True),
        ("annual", "2023-01/2023-10", True),
        ("annual", "2021/2025", True),
        ("annual", "2023-12-31", False),
        ("level", "2023-12-31", True),
        ("level", "2023", True),
        ("level", "2023-01/2023-10", False),
        ("level", "2021/2025", False),
        ("growth", "2023-H1", True),
        ("growth", "2021/2025", False),
        ("growth", "2023-12-31", False),
    ],
)
def test_period_fits_target_kind(target_kind: str, period: str, fits: bool) -> None:
    assert (parse_period(period).kind in FITS[target_kind]) is fits
