"""A target's series: the value that counts for each full period, stated or derived.

Below both :mod:`cctrack.check` (which compares a stated value with the one its neighbour's
change implies) and :mod:`cctrack.assess` (which judges the series), so the road from files to
output runs one way: read → model → check → assess → render. The method is docs/method.md
§1.4–§1.5.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from cctrack.domain import (
    Estimate,
    Kind,
    Observation,
    PriceBasis,
    Reliability,
    Source,
    Target,
    published_end,
)
from cctrack.period import MIN_YEAR, Period, PeriodKind
from cctrack.pickling import Compact
from cctrack.quantity import Bound
from cctrack.readings import WEAK_GRADE

ESTIMATE_RANK = {Estimate.final: 0, Estimate.preliminary: 1, Estimate.expected: 2,
                 Estimate.forecast: 3}  # fmt: skip
# A over B over C; an ungraded source ranks with B (a reprint: not checked either way).
GRADE_RANK = {Reliability.A: 0, Reliability.B: 1, None: 1, WEAK_GRADE: 2}
# Members read once: an enum class's attribute costs several times a global's lookup, and these
# are asked for once per observation of every series.
_YEAR, _YEARS, _LEVEL, _EXACT = PeriodKind.year, PeriodKind.years, Kind.level, Bound.exact
_REAL = PriceBasis.real
_POINT_YEAR = operator.attrgetter("period.end.year")  # Point.year, read in C


@dataclass(frozen=True, slots=True)
class Derivation(Compact):
    """How a value was derived: ``from_value`` (of ``from_period``) times ``1 + change``
    (``forward``), or divided by it (the year before a value stated with its change)."""

    from_period: Period
    from_value: Decimal
    change: Decimal
    forward: bool
    points: bool = False  # the change is in percentage points: added, not multiplied

    def apply(self) -> Decimal:
        """The derived value."""
        if self.points:
            return self.from_value + self.change if self.forward else self.from_value - self.change
        factor = 1 + self.change
        return self.from_value * factor if self.forward else self.from_value / factor


@dataclass(frozen=True, slots=True)
class Point(Compact):
    """One value of a series: stated by ``origin``, derived from ``origin``'s change, or the
    target's explicit baseline."""

    period: Period
    value: Decimal
    bound: Bound = Bound.exact
    estimate: Estimate = Estimate.final
    source: Source | None = None
    origin: Observation | None = field(default=None, compare=False, repr=False)
    derivation: Derivation | None = None
    baseline: bool = False
    rate: bool = False  # the value is a change (a growth target's), not a level

    @property
    def year(self) -> int:
        """The whole period the value counts for."""
        return self.period.end.year  # Period.year, read directly (asked for very often)

    @property
    def derived(self) -> bool:
        """True for a value derived from a year-on-year change."""
        return self.derivation is not None


@functools.lru_cache(maxsize=4096)
def _published_ordinal(text: str | None) -> int:
    """The last day a publication date can mean, as an ordinal (:data:`date.min`'s without)."""
    return (published_end(text) or date.min).toordinal()


def rank(o: Observation) -> tuple[int, int, int]:
    """Final over preliminary over expected over forecast, then the grade, then the latest."""
    source = o.source
    return (
        ESTIMATE_RANK[o.estimate],
        GRADE_RANK[source.reliability],
        -_published_ordinal(source.published),
    )


def value_rank(o: Observation) -> tuple[int, int, bool, int]:
    """:func:`rank`, with an exact value before a bound after the grade."""
    estimate, grade, published = rank(o)
    return (estimate, grade, o.effective_bound is not _EXACT, published)


def select(observations: list[Observation], values: bool = False) -> Observation:
    """The observation that counts among several for one period: final over preliminary over
    expected, then the grade (A over B over C), then (``values``: choosing a value) an exact
    value over a bound, then the most recently published (docs/method.md §1.4)."""
    if len(observations) == 1:
        return observations[0]
    return min(observations, key=value_rank if values else rank)


def counts_as_point(target: Target, period: Period) -> bool:
    """Which periods make a point of the series.

    Annual: a full calendar year. Level: a value at the end of a year (a year, or a date, month,
    quarter or half ending 31 December); a mid-year level is shown as context, not used.
    """
    return point_period(target.kind is Kind.level, period)


def point_period(level: bool, period: Period) -> bool:
    """:func:`counts_as_point` for a level target (``level``) or another (fast: per observation)."""
    if not level:  # annual flows, and the levels behind a growth target
        return period.kind is _YEAR
    end = period.end
    return end.month == 12 and end.day == 31 and period.kind is not _YEARS


def year_period(year: int) -> Period:
    """The calendar year ``year`` as a period."""
    return Period(str(year), PeriodKind.year, date(year, 1, 1), date(year, 12, 31))


# Point's fields (all of them), each set through its slot: the frozen dataclass's __init__ sets
# each one through object.__setattr__, at twice the cost, and a series makes a point of each
# year's figure
_POINT_SLOTS = tuple(
    vars(Point)[name].__set__
    for name in ("period", "value", "bound", "estimate", "source", "origin", "derivation",
                 "baseline", "rate")
)  # fmt: skip


def _stated(o: Observation, value: Decimal) -> Point:
    """``Point(o.period, value, o.effective_bound, o.estimate, o.source, o)``, made faster
    (:data:`_POINT_SLOTS`)."""
    period, val, bound, estimate, source, origin, derivation, baseline, rate = _POINT_SLOTS
    p = object.__new__(Point)
    period(p, o.period)
    val(p, value)
    bound(p, o.effective_bound)
    estimate(p, o.estimate)
    source(p, o.source)
    origin(p, o)
    derivation(p, None)
    baseline(p, False)
    rate(p, False)
    return p


def build_series(target: Target, observations: list[Observation]) -> list[Point]:
    """The selected value per full period, plus values derived from year-on-year changes.

    A change at year Y next to a direct value at Y-1 gives Y = value * (1 + change); a value
    with its change at Y gives Y-1 = value / (1 + change). Derivation is one step from direct
    values only, and never replaces a direct value (docs/method.md §1.5). A change stated over
    several years (``since``) gives the period's value from the direct value of the ``since``
    year the same way, forward only; without that value it derives nothing.
    """
    # point_period, inline: once per observation of every series
    if target.kind is _LEVEL:
        points = [o for o in observations
                  if (end := o.period.end).month == 12 and end.day == 31
                  and o.period.kind is not _YEARS]  # fmt: skip
    else:
        points = [o for o in observations if o.period.kind is _YEAR]
    spans = [o for o in observations if o.since is not None]
    cut = _break_year(points)
    by_year: dict[int, list[Observation]] = {}
    for o in points:
        year = o.period.end.year
        if cut is None or year >= cut:
            group = by_year.get(year)
            if group is None:
                by_year[year] = [o]
            else:
                group.append(o)
    direct: dict[int, Point] = {}
    changes: dict[int, Observation] = {}
    for year, group in by_year.items():
        if len(group) == 1:  # the usual case: one figure, which select() would choose
            o = group[0]
            if o.value is not None:
                direct[year] = _stated(o, o.value.value)
            if o.change is not None and o.price_basis is not _REAL:  # not o.real_change
                changes[year] = o
            continue
        with_value = [o for o in group if o.value is not None]
        if with_value:
            chosen = select(with_value, values=True)
            assert chosen.value is not None
            direct[year] = _stated(chosen, chosen.value.value)
        with_change = [o for o in group if o.change is not None and not o.real_change]
        if with_change:  # a change at comparable prices never derives a level at current prices
            changes[year] = select(with_change)
    derived: dict[int, Point] = {}
    for year, o in changes.items():
        assert o.change is not None
        if not o.change_points and 1 + o.change <= 0:
            continue
        if year - 1 in direct and year not in direct:
            prev = direct[year - 1]
            how = Derivation(prev.period, prev.value, o.change, True, o.change_points)
            derived[year] = Point(o.period, how.apply(), prev.bound, o.estimate, o.source, o, how)
        backward = year - 1 not in direct and year - 1 not in derived and year - 1 >= MIN_YEAR
        if year in direct and backward:
            cur = direct[year]
            how = Derivation(cur.period, cur.value, o.change, False, o.change_points)
            derived[year - 1] = Point(
                year_period(year - 1), how.apply(), cur.bound, o.estimate, o.source, o, how
            )
    for o in spans:  # a change over several years ("翻番" since 2020), from its start
        if o.since is None or o.span_change is None or 1 + o.span_change <= 0:
            continue
        year, start = o.period.year, direct.get(o.since)
        if start is None or not counts_as_point(target, o.period) or year in direct:
            continue
        if year in derived and rank(derived[year].origin or o) <= rank(o):
            continue
        how = Derivation(start.period, start.value, o.span_change, True)
        derived[year] = Point(o.period, how.apply(), start.bound, o.estimate, o.source, o, how)
    return sorted([*direct.values(), *derived.values()], key=_POINT_YEAR)


def break_year(target: Target, observations: list[Observation]) -> int | None:
    """The latest year whose level is marked ``break: true``: the levels before it are on
    another basis and take no part in the series; its own change, stated like for like, bridges
    the break (the year before, on the new basis, is derived from it)."""
    level = target.kind is Kind.level
    breaks = [o for o in observations if o.series_break and point_period(level, o.period)]
    return _break_year(breaks)


def _break_year(points: Sequence[Observation]) -> int | None:
    """:func:`break_year` among observations that each make a point of the series."""
    latest: int | None = None
    for o in points:
        if o.series_break and o.value is not None:
            year = o.period.end.year
            latest = year if latest is None or year > latest else latest
    return latest


def same_measure(target: Target, o: Observation) -> bool:
    """True when the observation reports the target's measure: either names none, or both
    name the same one (exact text, as for scopes)."""
    return o.measure is None or target.measure is None or o.measure == target.measure


def series_inputs(target: Target, observations: Sequence[Observation]) -> list[Observation]:
    """The observations :func:`build_series` reads, in order: those whose period makes a point
    of the series (:func:`point_period`; a change over years too, which derives nothing from
    another period): ``build_series(target, series_inputs(target, obs))`` is
    ``build_series(target, obs)``."""
    if target.kind is _LEVEL:
        return [o for o in observations
                if (end := o.period.end).month == 12 and end.day == 31
                and o.period.kind is not _YEARS]  # fmt: skip
    return [o for o in observations if o.period.kind is _YEAR]


_Built = tuple[Target, tuple[Observation, ...], list[Point]]  # a series and what it was built of


class SeriesMemo:
    """The series of one run, each built once: :func:`build_series` memoised by the identity of
    its inputs (the target, and each observation it reads, :func:`series_inputs`, in order), so
    that the checks and the assessment of one run share a series built from the same
    observations (figures of part of a year, which the one sees and the other not, make no
    difference). Made for a run and dropped with it; it holds its inputs, so no identity is
    reused while it lives."""

    __slots__ = ("_built",)

    def __init__(self) -> None:
        # by the target's identity, then the hash of its inputs' identities: the series of each
        # set of inputs built (its inputs are compared one by one, by identity, when found)
        self._built: dict[int, dict[int, list[tuple[Target, tuple[Observation, ...], list[Point]]]]]
        self._built = {}

    def series(self, target: Target, observations: Sequence[Observation]) -> list[Point]:
        """``build_series(target, observations)``, built at most once for the same inputs. The
        key holds no number for each input (a large data set's hundreds of thousands of series
        inputs were each a number held by the memo): the inputs are found by the hash of their
        identities, then compared one by one."""
        read = tuple(series_inputs(target, observations))
        by_inputs = self._built.setdefault(id(target), {})
        found = by_inputs.setdefault(hash(tuple(map(id, read))), [])
        for built, inputs, points in found:
            if (
                built is target
                and len(inputs) == len(read)
                and all(map(operator.is_, inputs, read))
            ):
                return list(points)
        points = build_series(target, list(read))
        found.append((target, read, points))
        return list(points)

    def forget(self, target: Target) -> None:
        """Let go of the series built for ``target`` (once it is assessed: built again if
        asked for later)."""
        self._built.pop(id(target), None)
