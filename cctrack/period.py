"""Parse, order and classify periods.

Forms: ``2023`` (year), ``2023-H1`` (half), ``2023-Q3`` (quarter), ``2023-10`` (month),
``2023-01/2023-10`` (interval of months, e.g. Jan-Oct), ``2021/2025`` (interval of whole years,
e.g. a five-year total) and ``2023-12-31`` (a date, for ``level`` targets). Periods order by
their end, then by their start (longer first). A single calendar year is *full*; anything
shorter is *partial*; a multi-year interval is neither and only ever context.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class PeriodKind(StrEnum):
    """The shape of a period."""

    year = "year"
    half = "half"
    quarter = "quarter"
    month = "month"
    months = "months"
    years = "years"
    date = "date"


class PeriodError(ValueError):
    """A period string that cannot be read."""

    code = "invalid-period"


@dataclass(frozen=True, slots=True, order=False)
class Period:
    """A span of time from ``start`` to ``end`` (inclusive), with the text it was written as."""

    text: str
    kind: PeriodKind
    start: date
    end: date

    @property
    def is_full_year(self) -> bool:
        """True for a single calendar year: the only period that feeds an annual assessment."""
        return self.kind is PeriodKind.year

    @property
    def is_partial(self) -> bool:
        """True for a span shorter than a year (half, quarter, month, months within one year)."""
        return self.kind in _PARTIAL

    @property
    def year(self) -> int:
        """The calendar year the period ends in."""
        return self.end.year

    @property
    def sort_key(self) -> tuple[date, date]:
        """Order by end, then longer periods first."""
        return (self.end, self.start)

    def __str__(self) -> str:
        return self.text


_PARTIAL = frozenset({PeriodKind.half, PeriodKind.quarter, PeriodKind.month, PeriodKind.months})


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


_YEAR = r"(\d{4})"  # patterns are compiled with re.ASCII: \d is 0-9 only, as in the JSON Schema
_PATTERNS: tuple[tuple[PeriodKind, re.Pattern[str]], ...] = (
    (PeriodKind.year, re.compile(rf"{_YEAR}", re.ASCII)),
    (PeriodKind.half, re.compile(rf"{_YEAR}-H([12])", re.ASCII)),
    (PeriodKind.quarter, re.compile(rf"{_YEAR}-Q([1-4])", re.ASCII)),
    (PeriodKind.month, re.compile(rf"{_YEAR}-(\d{{2}})", re.ASCII)),
    (PeriodKind.date, re.compile(rf"{_YEAR}-(\d{{2}})-(\d{{2}})", re.ASCII)),
    (PeriodKind.months, re.compile(rf"{_YEAR}-(\d{{2}})/{_YEAR}-(\d{{2}})", re.ASCII)),
    (PeriodKind.years, re.compile(rf"{_YEAR}/{_YEAR}", re.ASCII)),
)


def _build(kind: PeriodKind, g: tuple[str, ...], text: str) -> Period:
    n = [int(x) for x in g]
    if kind is PeriodKind.year:
        return Period(text, kind, date(n[0], 1, 1), date(n[0], 12, 31))
    if kind is PeriodKind.half:
        first = 1 + 6 * (n[1] - 1)
        return Period(text, kind, date(n[0], first, 1), _month_end(n[0], first + 5))
    if kind is PeriodKind.quarter:
        first = 1 + 3 * (n[1] - 1)
        return Period(text, kind, date(n[0], first, 1), _month_end(n[0], first + 2))
    if kind is PeriodKind.month:
        return Period(text, kind, date(n[0], n[1], 1), _month_end(n[0], n[1]))
    if kind is PeriodKind.date:
        d = date(n[0], n[1], n[2])
        return Period(text, kind, d, d)
    if kind is PeriodKind.months:
        start, end = date(n[0], n[1], 1), _month_end(n[2], n[3])
        if n[0] != n[2]:
            raise PeriodError(f"{text!r}: a month interval must lie within one year")
        if start > end:
            raise PeriodError(f"{text!r}: the interval ends before it starts")
        return Period(text, kind, start, end)
    if n[0] >= n[1]:
        raise PeriodError(f"{text!r}: a year interval must run from an earlier to a later year")
    return Period(text, kind, date(n[0], 1, 1), date(n[1], 12, 31))


def parse_period(raw: object) -> Period:
    """Parse a period written as a YAML integer year or a string; raise :class:`PeriodError`.

    Results are memoised: periods repeat across a file, and :class:`Period` is immutable.
    """
    if type(raw) is str or type(raw) is int:
        return _parse_period_cached(raw)
    return _parse_period(raw)


@functools.lru_cache(maxsize=8192)
def _parse_period_cached(raw: str | int) -> Period:
    return _parse_period(raw)


def _parse_period(raw: object) -> Period:
    if isinstance(raw, int) and not isinstance(raw, bool) and not 0 <= raw <= 9999:
        # said without str(raw), which fails past 4,300 digits
        raise PeriodError("a number other than a four-digit year is not a period")
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise PeriodError(f"{raw!r} is not a period (e.g. 2023, 2023-H1, 2023-01/2023-10)")
    text = str(raw).strip()
    for kind, pattern in _PATTERNS:
        m = pattern.fullmatch(text)
        if m:
            try:
                return _build(kind, m.groups(), text)
            except ValueError as exc:  # an impossible month or day
                if isinstance(exc, PeriodError):
                    raise
                raise PeriodError(f"{text!r} is not a real date: {exc}") from None
    raise PeriodError(
        f"{text!r} is not a period: use 2023, 2023-H1, 2023-Q3, 2023-10, 2023-01/2023-10, "
        "2021/2025 or 2023-12-31"
    )


def parse_date(raw: object) -> date:
    """Parse an ISO date (``2026-11-22``) or a year (``2025``, meaning 31 December)."""
    if isinstance(raw, date):
        return raw
    period = parse_period(raw)
    if period.kind not in {PeriodKind.date, PeriodKind.year, PeriodKind.month}:
        raise PeriodError(f"{raw!r} is not a date (e.g. 2026-11-22)")
    return period.end


# Which period kinds fit which target kind. Flows add up over any span; a stock is a point in
# time (a year, month or half means its last day); a growth rate compares any span with the same
# span a year earlier.
FITS: dict[str, frozenset[PeriodKind]] = {
    "annual": frozenset(PeriodKind) - {PeriodKind.date},
    "level": frozenset({PeriodKind.date, PeriodKind.year, PeriodKind.half, PeriodKind.quarter,
                        PeriodKind.month}),
    "growth": frozenset(PeriodKind) - {PeriodKind.date, PeriodKind.years},
}  # fmt: skip
