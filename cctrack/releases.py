"""When a target's next figure is due, from the releases that carry it (docs/method.md §17).

Pure functions over plain values. A release (the targets file's ``releases:``) brings the figure
of a year about ``delay_days`` after the year ends, whatever its cadence: an annual release with
its edition, a quarterly one with its fourth quarter (January to December), a monthly one with
December. A target is carried by the releases it names, else by those whose ``kinds`` hold its
kind. Its next figure is that of the first year after its latest figure of its own (from its
first year, to its deadline's year) whose expected date, plus :data:`GRACE_DAYS`, has not passed;
a year whose date and grace have passed without its figure makes the release ``overdue``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from cctrack.domain import Estimate, Kind, Observation, Release, Target
from cctrack.period import PeriodKind
from cctrack.pickling import Compact
from cctrack.series import counts_as_point, same_measure

# The delays are "about": a release is overdue only this many days after its usual date.
GRACE_DAYS = 30


@dataclass(frozen=True, slots=True)
class Expected(Compact):
    """A figure a release should bring: the year it is for, the release, and about when."""

    year: int
    release: Release
    expected: date

    @property
    def overdue_from(self) -> date:
        """The first day the figure counts as overdue (the expected date and the grace)."""
        return self.expected + timedelta(days=GRACE_DAYS + 1)


def carriers(target: Target, releases: Sequence[Release]) -> list[Release]:
    """The releases that carry a target: those it names (unknown ids are the check's; ``[]``:
    none), else those whose ``kinds`` hold its kind, in the order of the file."""
    if target.releases is not None:
        by_id = {r.id: r for r in releases}
        return [by_id[i] for i in target.releases if i in by_id]
    return [r for r in releases if target.kind in r.kinds]


def expected_date(release: Release, year: int) -> date:
    """About when ``release`` brings the figure of ``year``."""
    return date(year, 12, 31) + timedelta(days=release.delay_days)


def is_figure(target: Target, o: Observation) -> bool:
    """True when an observation is a year's figure of the target's own: its scope and measure,
    not a forecast, a value or a change (a growth target: a change) for a full year, a year's
    end, or a total over years."""
    if o.scope not in (None, target.scope) or not same_measure(target, o):
        return False
    if o.estimate is Estimate.forecast:
        return False
    if o.change is None and (target.kind is Kind.growth or o.value is None):
        return False  # a growth target's figure is a change; another's, a value or a change
    return o.period.kind is PeriodKind.years or counts_as_point(target, o.period)


def latest_figure(target: Target, observations: Iterable[Observation]) -> int | None:
    """The year of the target's latest figure of its own (:func:`is_figure`), if any."""
    # is_figure's tests, with the target's fields read once (called for every observation)
    scope, measure, growth = target.scope, target.measure, target.kind is Kind.growth
    level = target.kind is Kind.level
    # the members read once (an enum class's attribute costs several times a local's lookup)
    years, year, forecast = PeriodKind.years, PeriodKind.year, Estimate.forecast
    # the period first, by comprehension: most observations are of part of a year (a total
    # over years, else a point's period)
    if level:
        points = [o for o in observations
                  if (period := o.period).kind is years
                  or ((end := period.end).month == 12 and end.day == 31)]  # fmt: skip
    else:
        points = [o for o in observations if (kind := o.period.kind) is year or kind is years]
    latest: int | None = None
    for o in points:
        if o.scope is not None and o.scope != scope:
            continue
        if o.measure is not None and measure is not None and o.measure != measure:
            continue
        if o.estimate is forecast:
            continue
        if o.change is None and (growth or o.value is None):
            continue
        ends = o.period.end.year
        if latest is None or ends > latest:
            latest = ends
    return latest


def first_year(target: Target, as_of: date) -> int:
    """The first year whose figure a target awaits when it has none: ``start`` (or the year
    after an explicit baseline), else the deadline's year for a growth target (the one year it
    judges), else the latest year that can have a figure at ``as_of`` (the year before it, the
    deadline's at the latest): a trend needs a recent value."""
    if target.start is not None:
        return target.start
    if target.baseline is not None:
        return target.baseline.period.year + 1
    if target.deadline is not None and target.kind is Kind.growth and not target.average:
        return target.deadline.year
    year = as_of.year - 1
    return year if target.deadline is None else min(year, target.deadline.year)


def _last_passed(release: Release, as_of: date) -> int:
    """The latest year whose figure from ``release`` is overdue at ``as_of``."""
    year = as_of.year
    while Expected(year, release, expected_date(release, year)).overdue_from > as_of:
        year -= 1
    return year


def schedule(
    target: Target, releases: Sequence[Release], latest: int | None, as_of: date
) -> tuple[Expected | None, Expected | None]:
    """The target's next expected figure and its overdue one (each None when there is none).

    Next: of the years from the one after ``latest`` (the latest figure of its own) to the
    deadline's, the first whose figure is not yet overdue, from the release that brings it
    first. Overdue: the latest of those years whose figure is overdue, from the release that
    should have brought it first.
    """
    first = first_year(target, as_of)
    if latest is not None:
        first = max(first, latest + 1)
    last = target.deadline.year if target.deadline is not None else None
    upcoming: list[Expected] = []
    late: list[Expected] = []
    for r in carriers(target, releases):
        passed = _last_passed(r, as_of)
        year = passed if last is None else min(passed, last)
        if year >= first:
            late.append(Expected(year, r, expected_date(r, year)))
        year = max(first, passed + 1)
        if last is None or year <= last:
            upcoming.append(Expected(year, r, expected_date(r, year)))
    nxt = min(upcoming, key=lambda e: (e.expected, e.year), default=None)
    overdue = min(late, key=lambda e: (-e.year, e.expected), default=None)
    return nxt, overdue
