"""Parse, order and classify periods.

Forms: ``2023`` (year), ``2023-H1`` (half), ``2023-Q3`` (quarter), ``2023-10`` (month),
``2023-01/2023-10`` (interval of months, e.g. Jan-Oct), ``2021/2025`` (interval of whole years,
e.g. a five-year total) and ``2023-12-31`` (a date, for ``level`` targets). Periods order by
their end, then by their start (longer first). A single calendar year is *full*; anything
shorter is *partial*; a multi-year interval is neither and only ever context. Years run from
1000 to 9999 (:data:`MIN_YEAR`, :data:`MAX_YEAR`), whichever way they are written.

Chinese forms read as the same periods: ``2024年`` (2024), ``2024年上半年`` (2024-H1),
``2024年第三季度``/``2024年三季度``/``2024年Q3`` (2024-Q3), ``2024年10月`` (2024-10),
``2024年1-10月``/``2024年1—10月``/``2024年1至10月`` (2024-01/2024-10); and dates also as
``2025-2-25``, ``2025/2/25`` and ``2025年2月25日`` (2025-02-25). Full-width digits and ``－`` read
as ASCII (:func:`~cctrack.quantity.normalise_text`). A period keeps its canonical ``text``
(``2024-H1``), whatever its spelling, so it is displayed, compared and written out one way.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from cctrack.pickling import Compact
from cctrack.quantity import normalise_text, written


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


MIN_YEAR, MAX_YEAR = 1000, 9999  # four-digit years: the year before MIN_YEAR is no period


@dataclass(frozen=True, slots=True, order=False)
class Period(Compact):
    """A span of time from ``start`` to ``end`` (inclusive), with its canonical ``text``
    (``2024-H1`` also when written ``2024年上半年``)."""

    text: str
    kind: PeriodKind
    start: date
    end: date

    @property
    def is_full_year(self) -> bool:
        """True for a single calendar year: the only period that feeds an annual assessment."""
        return self.kind is _FULL_YEAR

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
# Looked up once: reading an attribute of an enum class (PeriodKind.year) costs several times a
# global's lookup, and is_full_year is asked for every point of every series.
_FULL_YEAR = PeriodKind.year


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


_YEAR = r"(\d{4})"  # compiled with re.ASCII: \d is 0-9 only (full-width digits are mapped first)
# The canonical forms: the text of every Period matches one of these.
_PATTERNS: tuple[tuple[PeriodKind, re.Pattern[str]], ...] = (
    (PeriodKind.year, re.compile(rf"{_YEAR}", re.ASCII)),
    (PeriodKind.half, re.compile(rf"{_YEAR}-H([12])", re.ASCII)),
    (PeriodKind.quarter, re.compile(rf"{_YEAR}-Q([1-4])", re.ASCII)),
    (PeriodKind.month, re.compile(rf"{_YEAR}-(\d{{2}})", re.ASCII)),
    (PeriodKind.date, re.compile(rf"{_YEAR}-(\d{{2}})-(\d{{2}})", re.ASCII)),
    (PeriodKind.months, re.compile(rf"{_YEAR}-(\d{{2}})/{_YEAR}-(\d{{2}})", re.ASCII)),
    (PeriodKind.years, re.compile(rf"{_YEAR}/{_YEAR}", re.ASCII)),
)


# Other spellings, each mapped to its canonical text. Matched after normalise_text, and with
# the spaces inside a Chinese form (one with 年) removed; digits are ASCII (re.ASCII). A month
# or day may have one digit here.
_CN_NUMBER = {"一": "1", "二": "2", "三": "3", "四": "4"}
_TO = r"(?:-|–|—|~|～|至|到)"  # 1-10月, 1—10月, 1至10月 ...
_ALIASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.ASCII), canonical)
    for pattern, canonical in (
        (rf"{_YEAR}年", r"\1"),
        (rf"{_YEAR}年上半年", r"\1-H1"),
        (rf"{_YEAR}年下半年", r"\1-H2"),
        (rf"{_YEAR}年(?:第?([1-4一二三四])季度?|Q([1-4]))", "quarter"),
        (rf"{_YEAR}年(\d{{1,2}})月", "month"),
        (rf"{_YEAR}年(\d{{1,2}})月?{_TO}(\d{{1,2}})月", "months"),
        (rf"{_YEAR}年(\d{{1,2}})月(\d{{1,2}})日", "date"),
        (rf"{_YEAR}-(\d{{1,2}})-(\d{{1,2}})", "date"),
        (rf"{_YEAR}/(\d{{1,2}})/(\d{{1,2}})", "date"),
    )
)


def _canonical(text: str) -> str | None:
    """The canonical spelling of a period written another way, or None."""
    for pattern, canonical in _ALIASES:
        m = pattern.fullmatch(text)
        if not m:
            continue
        g = m.groups()
        if canonical == "quarter":
            return f"{g[0]}-Q{_CN_NUMBER.get(g[1] or g[2], g[1] or g[2])}"
        if canonical == "month":
            return f"{g[0]}-{int(g[1]):02d}"
        if canonical == "months":
            return f"{g[0]}-{int(g[1]):02d}/{g[0]}-{int(g[2]):02d}"
        if canonical == "date":
            return f"{g[0]}-{int(g[1]):02d}-{int(g[2]):02d}"
        return m.expand(canonical)
    return None


def _build(kind: PeriodKind, g: tuple[str, ...], text: str, shown: str) -> Period:
    """The period of the canonical ``text`` (its pattern's groups ``g``); messages name the
    period as the user wrote it (``shown``). Raises PeriodError, or ValueError for an impossible
    month or day."""
    n = [int(x) for x in g]
    years = n[::2] if kind is PeriodKind.months else n if kind is PeriodKind.years else n[:1]
    if any(not MIN_YEAR <= y <= MAX_YEAR for y in years):
        raise PeriodError(f"{shown} is not a period: years run from {MIN_YEAR} to {MAX_YEAR}")
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
            raise PeriodError(f"{shown}: a month interval must lie within one year")
        if start > end:
            raise PeriodError(f"{shown}: the interval ends before it starts")
        return Period(text, kind, start, end)
    if n[0] >= n[1]:
        raise PeriodError(f"{shown}: a year interval must run from an earlier to a later year")
    return Period(text, kind, date(n[0], 1, 1), date(n[1], 12, 31))


class _NoSuchForm(PeriodError):
    """Text that is no spelling of any period at all (rather than an impossible one)."""


def parse_period(raw: object) -> Period:
    """Parse a period written as a YAML integer year or a string; raise :class:`PeriodError`.

    Every spelling gives the same Period, with the canonical ``text``: ``2024年1-10月`` and
    ``2024-01/2024-10`` are equal. Results are memoised: periods repeat across a file, and
    :class:`Period` is immutable.
    """
    if type(raw) is str or type(raw) is int:
        return _parse_period_cached(raw)
    return _parse_period(raw)


@functools.lru_cache(maxsize=8192)
def _parse_period_cached(raw: str | int) -> Period:
    return _parse_period(raw)


_MAX_LENGTH = 40  # longer text is no period; it is refused without being matched


def _parse_period(raw: object) -> Period:
    if isinstance(raw, int) and not isinstance(raw, bool) and not MIN_YEAR <= raw <= MAX_YEAR:
        # written() says a huge number without str(raw), which fails past 4,300 digits
        msg = f"{written(raw)} is not a period: a year is a number from {MIN_YEAR} to {MAX_YEAR}"
        raise PeriodError(msg)
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise PeriodError(f"{written(raw)} is not a period (e.g. 2023, 2023-H1, 2023-01/2023-10)")
    text = str(raw).strip()
    shown = written(text)
    if len(text) <= _MAX_LENGTH:
        ascii_text = normalise_text(text).strip()  # full-width digits and '－'
        chinese = "".join(ascii_text.split()) if "年" in ascii_text else ascii_text
        for canonical in (ascii_text, _canonical(chinese) or ""):
            for kind, pattern in _PATTERNS:
                m = pattern.fullmatch(canonical)
                if m:
                    try:
                        return _build(kind, m.groups(), canonical, shown)
                    except ValueError as exc:  # an impossible month or day
                        if isinstance(exc, PeriodError):
                            raise
                        raise PeriodError(f"{shown} is not a real date: {exc}") from None
    raise _NoSuchForm(f"{shown} is not a period: {_advice(text)}")


def _advice(text: str) -> str:
    """What to write instead of ``text``, which is no period."""
    m = re.match(r"\s*(\d{4})", normalise_text(text[:_MAX_LENGTH]), re.ASCII)
    y = int(m.group(1)) if m and MIN_YEAR <= int(m.group(1)) <= MAX_YEAR else 2024
    chinese = f"{y}年, {y}年上半年, {y}年三季度, {y}年10月, {y}年1-10月"
    ascii_forms = f"{y}, {y}-H1, {y}-Q3, {y}-10, {y}-01/{y}-10, {y - 4}/{y} or {y}-12-31"
    if re.fullmatch(r"\d{4}-[hq][1-4]", text, re.ASCII):
        return f"write {text.upper()}"
    if re.fullmatch(r"\d{4}-\d", text, re.ASCII):
        return f"write the month with two digits: {text[:5]}0{text[5:]}"
    if re.search(r"\d年度", text):
        return f"for the year write {y} (or {y}年); for part of it {y}-H1, {y}年上半年 …"
    if re.search(r"[\u4e00-\u9fff]", text):
        return f"write {chinese} (or {ascii_forms})"
    return f"use {ascii_forms} (or {chinese})"


def parse_date(raw: object) -> date:
    """Parse a date (``2026-11-22``, also ``2026/11/22``, ``2026-1-5``, ``2026年11月22日``) or a
    year or month (``2025``, ``2025-06``: its last day)."""
    if isinstance(raw, date):
        return raw
    try:
        period = parse_period(raw)
    except _NoSuchForm:
        period = None
    if period is None or period.kind not in {PeriodKind.date, PeriodKind.year, PeriodKind.month}:
        raise PeriodError(
            f"{written(raw)} is not a date: write 2026-11-22, 2026/11/22 or 2026年11月22日 "
            "(a year or month means its last day)"
        )
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
