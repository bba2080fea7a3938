"""Periods: every form, ordering, full vs partial, rejections."""

from __future__ import annotations

from datetime import date

import pytest

from cctrack.period import FITS, PeriodError, PeriodKind, parse_date, parse_period

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
        "２０２３",  # full-width digits: the JSON Schema's \d is ASCII only
        "",
        True,
        False,
        None,
        2023.0,
        12345,
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
    ],
)
def test_parse_date(raw: object, day: date) -> None:
    assert parse_date(raw) == day


@pytest.mark.parametrize("raw", ["2025-H1", "2025-Q1", "2021/2025", "someday"])
def test_parse_date_rejections(raw: str) -> None:
    with pytest.raises(PeriodError):
        parse_date(raw)


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
