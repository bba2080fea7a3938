"""Progress assessment: pure functions from a target and its observations to a verdict.

The method is written out, with its reasons, in docs/method.md. The default is the ratio of
growth rates used by Eurostat's SDG monitoring and Open SDG::

    cagr_obs = (current / base) ** (1 / (t_current - t_base)) - 1
    cagr_req = (target  / base) ** (1 / (t_deadline - t_base)) - 1
    R        = sign(base) * d * cagr_obs / abs(cagr_req)      # d = +1 increase, -1 decrease

``linear`` compares the current value with a straight line from base to target instead.

An :class:`Assessment` holds data only: numbers, periods, the role of every observation, and
notes as codes with their values (:data:`NOTES`). Every word and number format a person reads
is made from it in :mod:`cctrack.render`.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise
from typing import Any

from cctrack.categories import RANKED
from cctrack.consistency import change_precision, disagreement, value_precision
from cctrack.domain import (
    Confidence,
    Direction,
    Estimate,
    Kind,
    Observation,
    Override,
    Relation,
    Release,
    Source,
    Status,
    Target,
    published_end,
)
from cctrack.notloaded import NotLoaded
from cctrack.period import Period, PeriodKind, parse_period
from cctrack.pickling import Compact
from cctrack.quantity import Bound
from cctrack.readings import WEAK_GRADE, spread, through
from cctrack.releases import Expected, latest_figure, schedule
from cctrack.series import (
    Derivation,
    Point,
    SeriesMemo,
    break_year,
    point_period,
    rank,
    select,
    value_rank,
)

ON_TRACK = 0.95
ACCELERATION = 0.60
ZERO = 0.001
# The categories a trend can take, in the order of the ranked categories (met and missed are not
# a trend's): a reading one step away is a neighbour (§12.3).
TREND_ORDER = tuple(c for c in RANKED if c not in (Status.met, Status.missed))

# The codes of the notes an assessment can carry, with the names of their values. An interface
# (JSON ``note_codes``); the words are the renderers' (cctrack.render.words).
NOTES: dict[str, tuple[str, ...]] = {
    "hidden-after-as-of": ("count", "as_of"),
    "other-scope": ("count",),
    "partial-period": ("period", "value", "change", "kind"),
    "derived": ("years",),
    "before-base-year": ("count", "base_year"),
    "base-substituted": ("base_year", "base"),
    "current-before-base": ("current", "base_year"),
    "overdue": ("year", "release", "expected"),
    "zero-replaced": ("what",),
    "negative-value": (),
    "projection-too-large": (),
    "no-full-period": (),
    "no-deadline": (),
    "too-few-values": (),
    "deadline-passed": ("deadline",),
    "year-to-date": ("period",),
    "no-change-in-years": (),
    "set-by-hand": ("reason",),
    "after-deadline": ("count", "deadline"),
    "revised": ("period", "from_value", "from_estimate", "from_published", "to_value"),
    "benchmark-missing": ("benchmark",),
    "average-from-changes": ("years",),
    "cumulative-gap": ("missing",),
    "other-measure": ("count",),
    "forecast": ("count",),
    "series-break": ("year", "count"),
    "unresolved": ("readings",),
    "no-final-figure": ("deadline", "trend", "latest"),
    "milestones-disagree": ("milestone", "deadline", "milestone_status"),
    "span-unused": ("period", "change", "since"),
    "weak-alone": ("period",),
    "no-deadline-figure": ("deadline", "years", "where"),
    "out-of-reach": ("period", "since", "needed", "largest"),
}


# The caveats of an assessment (docs/method.md §12), with the names of their values. An interface
# (JSON ``caveats``, CSV, Markdown, the table's marks).
CAVEATS: dict[str, tuple[str, ...]] = {
    "base-substituted": ("base_year", "base"),
    "base-derived": ("base", "from_period", "change"),
    "base-sensitive": ("categories",),
    "short-series": ("values", "years"),
    "weak-source": ("point", "period"),
    "provisional": ("period", "estimate", "derived", "bound"),
    "bound-value": ("period", "bound"),
    "near-threshold": ("what", "margin", "precision"),
    "overdue": ("year", "release", "expected"),
    "deadline-passed": ("deadline", "latest"),
    "projection-extreme": ("projected", "target"),
    "inconsistent-sources": ("period", "stated", "implied"),
    "mixed-sources": ("period", "from_period", "level_source", "change_source"),
    "in-year": ("period", "months"),
}
# Caveats that make a verdict low-confidence on their own, and the pairs that do together.
LOW_ALONE = frozenset({"base-sensitive", "weak-source", "inconsistent-sources", "mixed-sources"})
NEAR = 0.05  # R within this of a category boundary is near-threshold
REACH_YEARS = 3  # the fewest recorded yearly changes that can show a change out of reach
# Members read once: reading an enum class's attribute (Estimate.final) costs several times a
# global's lookup, and the loops below ask for them once per observation or use.
_FINAL, _FORECAST = Estimate.final, Estimate.forecast
_YEAR, _YEARS = PeriodKind.year, PeriodKind.years


class Role(StrEnum):
    """How the assessment treated an observation (one each; see docs/method.md §1.6)."""

    base = "base"  # its value (or one derived from its change) is the base
    current = "current"  # ... is the current value
    series = "series"  # a value between base and current
    before_base = "before-base"  # a full-period value before the base: not used
    superseded = "superseded"  # another observation of the period ranks higher
    change_unused = "change-unused"  # a change with no value beside it to derive from
    span_unused = "span-unused"  # a change over years ("翻番" since 2020), no value at its start
    partial = "partial"  # a period shorter than a year: context
    not_year_end = "not-year-end"  # a level's value before the end of a year: context
    multi_year = "multi-year"  # a total over several years (2021/2025): context
    other_scope = "other-scope"  # another scope (a zone, the province, a company): context
    judged = "judged"  # a growth target's full-year change, met or missed
    year_to_date = "year-to-date"  # a growth target's change for part of a year
    before_start = "before-start"  # a growth target's change before its years: context
    after_deadline = "after-deadline"  # a period after the target's deadline: context
    benchmark = "benchmark"  # a relative target's benchmark value
    other_measure = "other-measure"  # another measure (综合产值 for 产值): context
    forecast = "forecast"  # stated before its period ended: context, never evidence
    before_break = "before-break"  # a level before a break in the series: not comparable


USED_ROLES = frozenset(
    {Role.base, Role.current, Role.series, Role.judged, Role.year_to_date, Role.benchmark}
)


@dataclass(frozen=True, slots=True)
class Note(Compact):
    """A note on an assessment: a code of :data:`NOTES` and its values."""

    code: str
    values: tuple[tuple[str, Any], ...] = ()

    def get(self, name: str) -> Any:
        """The value called ``name``."""
        return dict(self.values)[name]


def note(code: str, **values: Any) -> Note:
    """A :class:`Note`, checked against :data:`NOTES`."""
    assert tuple(values) == NOTES[code], (code, tuple(values))
    return Note(code, tuple(values.items()))


def caveat(code: str, **values: Any) -> Note:
    """A caveat (a :class:`Note` whose code is one of :data:`CAVEATS`)."""
    assert tuple(values) == CAVEATS[code], (code, tuple(values))
    return Note(code, tuple(values.items()))


@dataclass(frozen=True, slots=True)
class Alternative(Compact):
    """The assessment repeated from another candidate base (``base-sensitive``)."""

    period: Period
    value: Decimal
    progress_ratio: float | None
    status: Status


@dataclass(frozen=True, slots=True)
class Use(Compact):
    """The role of one observation, and the periods of the values derived from its change."""

    observation: Observation
    role: Role
    derives: tuple[Period, ...] = ()


# Use's fields (all of them), each set through its slot: the frozen dataclass's __init__ sets
# each one through object.__setattr__, at twice the cost, and a run makes a use of every
# observation
_SET_OBSERVATION, _SET_ROLE, _SET_DERIVES = (
    vars(Use)[name].__set__ for name in ("observation", "role", "derives")
)


def _use(o: Observation, role: Role, derives: tuple[Period, ...] = ()) -> Use:
    """``Use(o, role, derives)``, made faster: each field set through its slot."""
    u = object.__new__(Use)
    _SET_OBSERVATION(u, o)
    _SET_ROLE(u, role)
    _SET_DERIVES(u, derives)
    return u


@dataclass(slots=True)
class GrowthYear:
    """A growth target's verdict for one period."""

    period: Period
    change: Decimal
    met: bool | None  # None: partial period or outside the target's years (context)
    partial: bool
    origin: Observation | None = field(default=None, compare=False, repr=False)
    benchmark: Decimal | None = None  # a relative target: the benchmark's value for the period
    bench_origin: Observation | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Reading(Compact):
    """One plausible reading of the figures (docs/method.md §12.6): what it assumed (``code``
    and its ``values``), the value the verdict then rests on, and the category it gives.

    Codes: ``as-recorded`` (the chosen figures), ``low-end``/``high-end`` (the deciding value at
    an end of its interval), ``base-low``/``base-high`` (the base at an end of its interval),
    ``other-source`` (another source's figure of the same period), ``year-to-date`` (the
    year-to-date change of another source as the year's), ``other-base`` (another candidate
    base), ``chained-low``/``chained-high`` (every chained change at an end of its interval).
    """

    code: str
    values: tuple[tuple[str, Any], ...]
    status: Status
    value: Decimal | float | None = None
    progress_ratio: float | None = None

    def get(self, name: str) -> Any:
        """The value called ``name``."""
        return dict(self.values)[name]


@dataclass(frozen=True, slots=True)
class InYear(Compact):
    """The figures of an in-year verdict on a level or annual target (docs/method.md §8.1):
    the figure for part of the deadline year, the same months of the year before (``previous``,
    derived back from a stated change when not stated), and the full year before, over which the
    target's required growth for the year is reckoned."""

    current: Point
    previous: Point
    year_before: Point
    growth: float
    required: float
    expected: float


@dataclass(frozen=True, slots=True)
class Milestone(Compact):
    """A target that names another as the plan target it is a step toward, with its verdict."""

    id: str
    deadline: Period | None
    status: Status


@dataclass(frozen=True, slots=True)
class Formula(Compact):
    """How a number was computed: an expression over named inputs, with their exact values."""

    expression: str
    inputs: tuple[tuple[str, Decimal | float | int], ...]


@dataclass(slots=True)
class Assessment:
    """Everything that went into a target's status, for display and for checking by hand."""

    target: Target
    method: str
    as_of: date
    status: Status = Status.no_data
    computed_status: Status = Status.no_data
    base: Point | None = None
    current: Point | None = None
    series: list[Point] = field(default_factory=list)
    uses: list[Use] = field(default_factory=list)  # every observation known at as_of
    growth_years: list[GrowthYear] = field(default_factory=list)
    # the required path's base, target, base year and deadline year (:attr:`required_path`)
    path_of: tuple[float, float, int, int] | None = None
    progress: float | None = None
    time_elapsed: float | None = None
    growth_observed: float | None = None
    growth_required: float | None = None
    progress_ratio: float | None = None
    growth_needed: float | None = None
    projected: float | None = None
    expected_now: float | None = None
    ahead_by: float | None = None
    override: Override | None = None
    notes: list[Note] = field(default_factory=list)
    caveats: list[Note] = field(default_factory=list)
    confidence: Confidence | None = None  # None when there is no verdict to weigh
    sensitivity: list[Alternative] = field(default_factory=list)
    provisional: bool = False  # met or missed on a value that is not a final, exact figure
    trend_to: int | None = None  # the deadline has passed: the category is the trend to this year
    trend_period: Period | None = None  # ... and the period of its last figure (part of a year?)
    readings: list[Reading] = field(default_factory=list)  # every plausible reading (§12.6)
    trend_status: Status | None = None  # unresolved past the deadline: the last trend, beside it
    break_year: int | None = None  # the latest year whose level starts a new basis (``break``)
    benchmark_seen: list[Observation] = field(default_factory=list)  # a relative target's
    in_year: InYear | None = None  # an in-year verdict's figures (level and annual targets)
    milestones: list[Milestone] = field(default_factory=list)  # the targets that name this one
    next_figure: Expected | None = None  # the next figure a release should bring (releases.py)
    overdue: Expected | None = None  # the latest figure a release should have brought by now

    @property
    def required_path(self) -> list[tuple[int, float]]:
        """The compound path from the base to the target, a value per year
        (:func:`compound_path`; none without a base and a deadline). Made when it is read: a
        large data set's assessments do not each hold a path no status table reads."""
        return [] if self.path_of is None else compound_path(*self.path_of)

    @property
    def direction(self) -> int:
        """+1 for an increase target, -1 for a decrease target."""
        return 1 if self.target.direction is Direction.increase else -1

    def observations(self, *roles: Role) -> list[Observation]:
        """The observations with one of ``roles`` (all of them without), in period order."""
        return [u.observation for u in self.uses if not roles or u.role in roles]

    @property
    def used(self) -> list[Observation]:
        """The observations the verdict rests on."""
        return self.observations(*USED_ROLES)

    @property
    def context(self) -> list[Observation]:
        """Observations of another scope."""
        return self.observations(Role.other_scope)

    def point_role(self, p: Point) -> Role:
        """The role of a point of the series."""
        if p is self.base or (self.base is not None and p == self.base):
            return Role.base
        if p is self.current or (self.current is not None and p == self.current):
            return Role.current
        if self.base is not None and p.year < self.base.year:
            return Role.before_base
        return Role.series

    def has_note(self, code: str) -> bool:
        """True when a note with this code was made."""
        return any(n.code == code for n in self.notes)

    def has_caveat(self, code: str) -> bool:
        """True when the verdict carries this caveat."""
        return any(c.code == code for c in self.caveats)


# --- selection -------------------------------------------------------------------------------


def visible(observations: list[Observation], as_of: date) -> list[Observation]:
    """Observations known at ``as_of``: the period has ended and the source was published.

    A source without a publication date is taken as known; a date given only as a year or month
    counts from the last day it could mean.
    """
    ended = [o for o in observations if o.period.end <= as_of]
    texts = {o.source.published for o in ended}  # by publication date: sources repeat
    later = {t for t in texts if (published := published_end(t)) is not None and published > as_of}
    return [o for o in ended if o.source.published not in later] if later else ended


# --- the maths -------------------------------------------------------------------------------


def cagr(start: float, end: float, years: int) -> float | None:
    """Compound annual growth rate; None when undefined (no years, or a non-positive ratio)."""
    if years <= 0 or start == 0 or end / start <= 0:
        return None
    try:
        return float((end / start) ** (1 / years) - 1)
    except OverflowError:
        return None


def progress_ratio(base: float, cagr_obs: float, cagr_req: float, direction: int) -> float | None:
    """R = sign(base) * d * cagr_obs / |cagr_req|; None when the required rate is zero."""
    if cagr_req == 0:
        return None
    sign = -1 if base < 0 else 1
    return sign * direction * cagr_obs / abs(cagr_req)


def category(ratio: float) -> Status:
    """The category of a progress ratio by the thresholds 0.95 and 0.60."""
    if ratio >= ON_TRACK:
        return Status.on_track
    if ratio >= ACCELERATION:
        return Status.acceleration_needed
    if ratio >= 0:
        return Status.limited_progress
    return Status.deterioration


def reaches(value: Decimal, target: Decimal, direction: int) -> bool:
    """Whether a value, taken as exact, meets the target."""
    return value >= target if direction > 0 else value <= target


def reaches_as_written(value: Decimal, bound: Bound, target: Decimal, direction: int) -> bool:
    """Whether a figure as written meets the target: a bound on the far side of the target and
    equal to it ("近260亿" recorded as ≤ 26 bn against 26 bn) lies short of it (§12.8)."""
    short = Bound.at_most if direction > 0 else Bound.at_least
    if value == target and bound is short:
        return False
    return reaches(value, target, direction)


def _growth_status(change: Decimal, goal: Decimal, direction: int, final: bool) -> Status:
    """A change judged against the goal: met or missed at the deadline (``final``), else on
    track or acceleration needed."""
    if final:
        return Status.met if reaches(change, goal, direction) else Status.missed
    return Status.on_track if reaches(change, goal, direction) else Status.acceleration_needed


def _average_status(rate: float, goal: float, direction: int, final: bool) -> Status:
    """An average rate judged against the goal: met or missed at the deadline (``final``), on
    track when it meets it, else the category of R = rate / goal (none for a goal of 0)."""
    reached = direction * (rate - goal) >= 0
    if final:
        return Status.met if reached else Status.missed
    if reached:
        return Status.on_track
    if not goal:
        return Status.not_assessable
    return category(min(direction * rate / abs(goal), ON_TRACK - 1e-12))


def _final(a: Assessment) -> bool:
    """True when the verdict is met or missed (the deadline's figure decides it)."""
    return a.computed_status in (Status.met, Status.missed)


def meets(point: Point, target: Decimal, direction: int) -> bool | None:
    """Whether a value meets the target: True, False, or None when its bound leaves it open."""
    if reaches(point.value, target, direction):
        open_bound = Bound.at_most if direction > 0 else Bound.at_least
        return None if point.bound is open_bound else True
    open_bound = Bound.at_least if direction > 0 else Bound.at_most
    return None if point.bound is open_bound else False


def _nonzero(value: float, what: str, notes: list[Note]) -> float:
    if value == 0:
        notes.append(note("zero-replaced", what=what))
        return ZERO
    return value


def compound_path(
    base: float, target: float, t_base: int, t_deadline: int
) -> list[tuple[int, float]]:
    """The compound path from base to target, a value per year: base * (target / base) ** share
    of the years gone (zeros replaced by 0.001, as for the growth rates)."""
    b, g = base or ZERO, target or ZERO
    years = t_deadline - t_base
    if years <= 0 or g / b <= 0:
        return []
    return [(y, b * (g / b) ** ((y - t_base) / years)) for y in range(t_base, t_deadline + 1)]


# --- assessment ------------------------------------------------------------------------------


def assess(
    target: Target,
    observations: list[Observation],
    as_of: date,
    method: str = "growth-ratio",
    benchmark: list[Observation] | None = None,
    releases: Sequence[Release] = (),
    *,
    memo: SeriesMemo | None = None,
) -> Assessment:
    """Assess one target from all observations of it (any scope; context is set aside).

    ``benchmark``: the observations of the target a relative target is compared with;
    ``releases``: the publications that may carry its figures (its next and overdue figure);
    ``memo``: the run's series (:class:`~cctrack.series.SeriesMemo`), shared with its checks.
    """
    tid = target.id
    mine = [o for o in observations if o.target == tid]
    return _assess(target, mine, as_of, method, benchmark, releases, memo)


def _assess(
    target: Target,
    mine: list[Observation],
    as_of: date,
    method: str,
    benchmark: list[Observation] | None,
    releases: Sequence[Release],
    memo: SeriesMemo | None,
) -> Assessment:
    """:func:`assess` of the observations of ``target`` alone (``mine``, in the file's order)."""
    memo = memo if memo is not None else SeriesMemo()
    a = Assessment(target, method, as_of, override=target.status_override)
    known = visible(mine, as_of)
    hidden = len(mine) - len(known)
    if hidden:
        a.notes.append(note("hidden-after-as-of", count=hidden, as_of=as_of))
    scope, measure = target.scope, target.measure
    own = [o for o in known if o.scope is None or o.scope == scope]
    # not same_measure(target, o), inline: none differs when the target names no measure
    measured = [] if measure is None else [
        o for o in own if o.measure is not None and o.measure != measure
    ]  # fmt: skip
    if measured:
        a.notes.append(note("other-measure", count=len(measured)))
    forecasts = [o for o in own if o.estimate is _FORECAST and o not in measured]
    if forecasts:
        a.notes.append(note("forecast", count=len(forecasts)))
    if measured or forecasts:  # by identity: equal observations are set aside alike
        aside = set(map(id, measured)) | set(map(id, forecasts))
        own = [o for o in own if id(o) not in aside]
    bench_scope = target.benchmark.scope if target.benchmark is not None else None
    compared = [] if bench_scope is None else [o for o in known if o.scope == bench_scope]
    if target.benchmark is not None and target.benchmark.target is not None:
        compared = visible(benchmark or [], as_of)
    beside = set(map(id, compared))
    context = [o for o in known
               if o.scope is not None and o.scope != scope and id(o) not in beside]  # fmt: skip
    if context:
        a.notes.append(note("other-scope", count=len(context)))
    deadline = target.deadline
    late = [] if deadline is None else [o for o in own if o.period.start > deadline.end]
    if late:
        assert deadline is not None
        after = set(map(id, late))
        own = [o for o in own if id(o) not in after]
        a.notes.append(note("after-deadline", count=len(late), deadline=deadline))
    # after the late filter, as build_series sees them: a break after the deadline is context
    cut = break_year(target, own) if target.kind is not Kind.growth else None
    if cut is not None:
        a.break_year = cut
        earlier = [o for o in own if o.value is not None and o.period.year < cut]
        a.notes.append(note("series-break", year=cut, count=len(earlier)))
    a.notes += revisions(own)
    if target.benchmark is not None:
        _assess_relative(a, own, compared)
    elif target.kind is Kind.growth and target.average:
        _assess_average(a, own, memo)
    elif target.kind is Kind.growth:
        _assess_growth(a, own)
    elif target.cumulative:
        _assess_cumulative(a, own, memo)
    else:
        _assess_trend(a, own, memo)
        _in_year(a, own)
    a.uses = _uses(a, own, context, late)
    a.uses += [Use(o, Role.benchmark) for o in compared if o.target == target.id]
    a.uses += [Use(o, Role.other_measure) for o in measured]
    a.uses += [Use(o, Role.forecast) for o in forecasts]
    a.uses.sort(key=_USE_ORDER)
    span_unused = Role.span_unused  # read once: an enum class's attribute costs several times
    for u in a.uses:  # a statement over years that the figures cannot apply: said beside them
        s = u.observation
        if u.role is span_unused:
            a.notes.append(note("span-unused", period=s.period, change=s.span_change,
                                since=s.since))  # fmt: skip
    a.next_figure, a.overdue = schedule(target, releases, latest_figure(target, own), as_of)
    if a.overdue is not None:
        o = a.overdue
        a.notes.append(note("overdue", year=o.year, release=o.release.id, expected=o.expected))
    if _pending(a):
        a.status = Status.pending
        a.progress = None  # a value before the base is no progress (docs/method.md §17)
        gone = ("too-few-values", "no-full-period", "current-before-base")  # no progress to explain
        a.notes = [n for n in a.notes if n.code not in gone]
    elif _lapsed(a):
        a.status = Status.no_data  # the period is over: no figure settles it (method.md §12.4)
    a.computed_status = a.status
    weigh(a)
    if a.override is not None:
        a.status = a.override.status
        a.notes.append(note("set-by-hand", reason=a.override.reason))
    return a


def beyond(needed: float, changes: list[tuple[float, float]], direction: int) -> float | None:
    """The largest plausible change the series records in the target's direction (the high
    end of the largest change's reading; a decrease: the low end of the lowest), when the change
    ``needed`` lies beyond it; None when it does not, or when fewer than :data:`REACH_YEARS`
    changes are recorded (docs/method.md §12.11)."""
    if len(changes) < REACH_YEARS:
        return None
    if direction > 0:
        largest = max(high for _, high in changes)
        return largest if needed > largest else None
    lowest = min(low for low, _ in changes)
    return lowest if needed < lowest else None


def _recorded_changes(a: Assessment, own: list[Observation]) -> list[tuple[float, float]]:
    """The plausible interval of every year-on-year change the target's own figures record:
    each full year's stated change (the best of its year), else each change between the levels
    of two consecutive years of the series, from the ends of their readings."""
    by_year: dict[int, Observation] = {}
    for o in sorted((o for o in own if o.change is not None and o.period.is_full_year), key=rank):
        by_year.setdefault(o.period.year, o)
    out: list[tuple[float, float]] = []
    for o in by_year.values():
        assert o.change is not None
        low, high, _ = spread(o.change, o.effective_bound, o.estimate, o.source.reliability, True)
        out.append((float(low), float(high)))
    if out or a.target.kind is Kind.growth:
        return out
    levels = [p for p in a.series if p.period.is_full_year]
    for p, q in pairwise(levels):
        if q.year != p.year + 1:
            continue
        p_low, p_high, _ = interval(a, p)
        q_low, q_high, _ = interval(a, q)
        if p_low > 0 and p_high > 0:
            out.append((float(q_low / p_high) - 1, float(q_high / p_low) - 1))
    return out


CURRENT_READINGS = frozenset(
    {
        "as-recorded",
        "low-end",
        "high-end",
        "other-source",
        "year-to-date",
        "stated-change",
        "chained-low",
        "chained-high",
    }
)  # readings of the current


def _out_of_reach(a: Assessment) -> Note | None:
    """Past the deadline without its figure, the note ``out-of-reach`` when even the most
    favourable reading of the last figure would have needed a change beyond every plausible
    change the series records (docs/method.md §12.11): for an average growth target, the
    change of the missing years that brings the average to the target; for a level or annual
    target, the yearly change from the last full-year value to the target."""
    t, d = a.target, a.direction
    deadline, current = t.deadline, a.current
    if deadline is None or current is None or not current.period.is_full_year:
        return None
    left = deadline.year - current.year
    if left < 1 or t.cumulative or t.benchmark is not None or a.in_year is not None:
        return None
    if t.kind is Kind.growth and not t.average:
        return None
    values = [
        float(r.value) for r in a.readings if r.code in CURRENT_READINGS and r.value is not None
    ]
    if not values:
        return None
    best = max(values) if d > 0 else min(values)
    goal = t.goal
    if t.target.approx:  # the easiest end of "about 6.5%"
        goal -= d * (change_precision(goal) if t.kind is Kind.growth else value_precision(goal))
    if t.kind is Kind.growth:
        assert t.base_year is not None
        since = a.base.year if a.base is not None else t.base_year
        done = len(a.growth_years) if a.growth_years else current.year - since
        reached = (1 + best) ** done
        if reached <= 0 or 1 + float(goal) <= 0:
            return None
        needed = ((1 + float(goal)) ** (done + left) / reached) ** (1 / left) - 1
    else:
        if best <= 0 or goal <= 0:
            return None
        needed = (float(goal) / best) ** (1 / left) - 1
    largest = beyond(needed, _recorded_changes(a, _own(a)), d)
    if largest is None:
        return None
    return note("out-of-reach", period=deadline, since=current.period, needed=needed,
                largest=largest)  # fmt: skip


def _pending(a: Assessment) -> bool:
    """True when the target's period has not ended at as-of and it has no figure of its own
    after its base yet: ``pending``, not ``no_data`` (docs/method.md §17)."""
    t = a.target
    if t.deadline is None or a.as_of > t.deadline.end:
        return False
    if a.status not in (Status.no_data, Status.not_assessable):
        return False
    if (t.kind is Kind.growth and not t.average) or t.benchmark is not None:
        first = _first_year(t)
        return not any(first is None or g.period.year >= first for g in a.growth_years)
    cut = t.base_year if t.base_year is not None else (a.base.year if a.base else None)
    after = [p for p in a.series if cut is None or p.year > cut]
    return not after and not a.growth_years


def _lapsed(a: Assessment) -> bool:
    """True when the target's period is over and its figures cannot be assessed (too few, none
    of the deadline's period): ``no_data`` past the deadline, never ``not_assessable`` (the
    figures there are shown with their roles; docs/method.md §12.4)."""
    t = a.target
    return (
        a.status is Status.not_assessable
        and t.deadline is not None
        and a.as_of > t.deadline.end
        and not any(p.period.end >= t.deadline.end for p in a.series if not p.derived)
    )


def revisions(own: list[Observation]) -> list[Note]:
    """Notes ``revised``: a final value that differs from a preliminary or expected one for the
    same period (Chinese statistics revise: 7200亿 preliminary, then 7002.1亿 final)."""
    out: list[Note] = []
    for group in _revisable(own):
        finals = [o for o in group if o.estimate is Estimate.final]
        if not finals:
            continue
        final = select(finals)
        assert final.value is not None
        for o in sorted(group, key=rank, reverse=True):
            assert o.value is not None
            if o.estimate is not Estimate.final and o.value.value != final.value.value:
                out.append(note("revised", period=o.period, from_value=o.value.value,
                                from_estimate=o.estimate, from_published=o.source.published,
                                to_value=final.value.value))  # fmt: skip
    return out


def _revisable(own: list[Observation]) -> list[list[Observation]]:
    """The observations with a value grouped by period (the text), in the order each period
    first appears: the groups of two or more with a figure that is not final only (a figure
    alone revises nothing, nor do finals alone)."""
    pending = {o.period.text for o in own if o.estimate is not _FINAL and o.value is not None}
    if not pending:
        return []
    groups: dict[str, list[Observation]] = {}
    for o in own:
        if o.value is not None and (text := o.period.text) in pending:
            group = groups.get(text)
            if group is None:
                groups[text] = [o]
            else:
                group.append(o)
    return [group for group in groups.values() if len(group) > 1]


def _uses(
    a: Assessment, own: list[Observation], context: list[Observation], late: list[Observation]
) -> list[Use]:
    """The role of every known observation (docs/method.md §1.6): those of ``own``, then
    ``context``, then ``late`` (:func:`assess` puts them in period order)."""
    t = a.target
    derives: dict[int, list[Period]] = {}
    by_origin: dict[int, Role] = {}
    for p in a.series:
        if p.origin is None:
            continue
        if p.derived:
            derives.setdefault(id(p.origin), []).append(p.period)
        else:
            by_origin[id(p.origin)] = a.point_role(p)
    growth = {id(g.origin): g for g in a.growth_years if g.origin is not None}
    first = _first_year(t)
    average = t.kind is Kind.growth and t.average
    yearly = t.kind is Kind.growth or t.benchmark is not None
    level = t.kind is Kind.level
    ytd_current = ytd_previous = None  # the origins of an in-year verdict's figures
    if a.in_year is not None:
        ytd_current, ytd_previous = a.in_year.current.origin, a.in_year.previous.origin
    cut = a.break_year
    short = Role.partial if t.kind is Kind.annual else Role.not_year_end  # no point's period
    multi_year, change_unused, span_unused = Role.multi_year, Role.change_unused, Role.span_unused
    out: list[Use] = []
    append = out.append
    for o in own:
        key = id(o)
        periods = derives.get(key)
        made = tuple(periods) if periods else ()
        if average and key in by_origin:
            role = by_origin[key]
        elif yearly:
            g = growth.get(id(o))
            if g is None and o.period.is_partial and not _from_january(o.period):
                role = Role.partial
            elif g is None and o.since is not None:
                role = Role.span_unused
            elif g is None:
                role = Role.superseded if o.change is not None else Role.change_unused
            elif first is not None and g.period.year < first:
                role = Role.before_start
            else:
                role = Role.year_to_date if g.partial else Role.judged
        elif key in by_origin:
            role = by_origin[key]
        elif o is ytd_current or o is ytd_previous:
            role = Role.year_to_date
        elif (
            cut is not None
            and o.period.year < cut
            and o.value is not None
            and point_period(level, o.period)
        ):
            role = Role.before_break
        elif (kind := o.period.kind) is _YEARS:
            role = multi_year
        elif (  # not point_period(level, o.period), inline (the period is not of years)
            kind is not _YEAR if not level else o.period.end.month != 12 or o.period.end.day != 31
        ):
            role = short
        elif made:
            role = next(a.point_role(p) for p in a.series if p.origin is o)
        elif o.value is None:
            role = change_unused if o.since is None else span_unused
        else:
            role = Role.superseded
        append(_use(o, role, made))
    other_scope, after_deadline = Role.other_scope, Role.after_deadline
    out += [_use(o, other_scope) for o in context]
    out += [_use(o, after_deadline) for o in late]
    return out  # put in period order by assess, with the uses it adds


def _use_order(u: Use) -> tuple[date, date, int]:
    """Uses in period order (:attr:`Period.sort_key`), then by line."""
    o = u.observation
    return (o.period.end, o.period.start, o.line)


# an observation's Period.sort_key, read in C
_PERIOD_ORDER = operator.attrgetter("period.end", "period.start")
# _use_order, read in C (it orders every use of every target)
_USE_ORDER = operator.attrgetter(
    "observation.period.end", "observation.period.start", "observation.line"
)


def _assess_trend(a: Assessment, own: list[Observation], memo: SeriesMemo) -> None:
    t = a.target
    level = t.kind is Kind.level
    partial = [o for o in own if not point_period(level, o.period)]
    if partial:
        latest = max(partial, key=_PERIOD_ORDER)  # by o.period.sort_key
        shown = latest.value.value if latest.value is not None else None
        kind = "multi-year" if latest.period.kind is PeriodKind.years else "partial"
        a.notes.append(
            note("partial-period", period=latest.period, value=shown, change=latest.change,
                 kind=kind)
        )  # fmt: skip
    if not own:
        a.status = Status.no_data
        return
    a.series = memo.series(t, own)
    derived = [p.year for p in a.series if p.derived]
    if derived:
        a.notes.append(note("derived", years=tuple(derived)))
    base = _base(a)
    after = [p for p in a.series if base is None or p.year > base.year]
    a.base, a.current = base, (after[-1] if after else (a.series[-1] if a.series else None))
    if base is None and t.base_year is not None and a.series:
        a.notes.append(
            note("current-before-base", current=a.series[-1].year, base_year=t.base_year)
        )
    target_value = t.goal
    moved = a.current is not None and a.base is not None and a.current.year != a.base.year
    if a.base is not None and a.current is not None and a.current is not a.base and moved:
        _measure(a, float(a.base.value), float(a.current.value), float(target_value))
    elif a.current is not None and a.base is None:
        a.progress = float(a.current.value / target_value) if target_value else None
    a.status = _trend_status(a)


def _base(a: Assessment) -> Point | None:
    """The explicit baseline, else the value of the base period (start-1), else the first after.

    Without ``start`` the first value of the series is the base.
    """
    t = a.target
    if t.baseline is not None:
        b = t.baseline
        return Point(b.period, b.value.value, b.value.bound, source=t.source, baseline=True)
    if not a.series:
        return None
    base_year = t.base_year
    if base_year is None:
        return a.series[0]
    candidates = [p for p in a.series if p.year >= base_year]
    if not candidates:
        return None
    earlier = [p for p in a.series if p.year < base_year]
    if earlier:
        a.notes.append(note("before-base-year", count=len(earlier), base_year=base_year))
    if candidates[0].year != base_year:
        a.notes.append(note("base-substituted", base_year=base_year, base=candidates[0].year))
    return candidates[0]


def _measure(a: Assessment, base: float, current: float, target: float, path: bool = True) -> None:
    """The progress and growth rates of ``a`` from these values; ``path``: also the required
    path (not for an assessment repeated for one figure, which reads its ratio only)."""
    t, d = a.target, a.direction
    assert a.base is not None and a.current is not None
    a.progress = (current - base) / (target - base) if target != base else None
    if t.deadline is None:
        return
    t_base, t_cur, t_dead = a.base.year, a.current.year, t.deadline.year
    span = (t.deadline.end - a.base.period.end).days
    if span > 0:
        a.time_elapsed = min(1.0, max(0.0, (a.as_of - a.base.period.end).days / span))
    if base < 0 or current < 0:
        a.notes.append(note("negative-value"))
        return
    b = _nonzero(base, "base", a.notes)
    c = _nonzero(current, "current", a.notes)
    g = _nonzero(target, "target", a.notes)
    a.growth_observed = cagr(b, c, t_cur - t_base)
    a.growth_required = cagr(b, g, t_dead - t_base)
    if path:
        a.path_of = (base, target, t_base, t_dead)  # (the path: made when it is read)
    if t_dead > t_cur:
        a.growth_needed = cagr(c, g, t_dead - t_cur)
        if a.growth_observed is not None:
            try:
                a.projected = c * (1 + a.growth_observed) ** (t_dead - t_cur)
            except OverflowError:
                a.notes.append(note("projection-too-large"))
    if a.method == "linear":
        years = t_dead - t_base
        if years > 0:
            a.expected_now = base + (target - base) * (t_cur - t_base) / years
            a.ahead_by = d * (current - a.expected_now)
            moved = a.expected_now - base
            a.progress_ratio = (current - base) / moved if moved else None
        return
    if a.growth_observed is not None and a.growth_required is not None:
        a.progress_ratio = progress_ratio(base, a.growth_observed, a.growth_required, d)


def _trend_status(a: Assessment) -> Status:
    t = a.target
    if a.current is None:
        if not a.series:
            a.notes.append(note("no-full-period"))
        return Status.not_assessable
    if t.deadline is not None:
        year = t.deadline.year
        final = next((p for p in a.series if p.period.end.year == year), None)  # p.year
        if final is not None:  # as written; a bound's far end is a reading of its own (§12.6)
            met = reaches_as_written(final.value, final.bound, t.goal, a.direction)
            return Status.met if met else Status.missed
    if (
        _in_period(a)
        and meets(a.current, t.goal, a.direction)
        and reaches_as_written(a.current.value, a.current.bound, t.goal, a.direction)
    ):
        return Status.achieved
    if t.deadline is None:
        a.notes.append(note("no-deadline"))
        return Status.not_assessable
    if a.base is None or a.current is a.base:
        a.notes.append(note("too-few-values"))
        return Status.not_assessable
    if a.as_of > t.deadline.end:
        a.notes.append(note("deadline-passed", deadline=t.deadline))
    return _pace(a)


def _in_period(a: Assessment) -> bool:
    """True when the current value is of the target's own years (``start`` or later): a figure
    of the year before a 2026 target is its base, and reaching the goal then achieves nothing
    (a yearly count above next year's goal is no count of next year)."""
    t = a.target
    return a.current is not None and (t.start is None or a.current.year >= t.start)


def _pace(a: Assessment) -> Status:
    """The trend category from R (or, linear, the position against the line)."""
    if a.method == "linear":
        if a.ahead_by is None:
            return Status.not_assessable
        if a.ahead_by >= 0:
            return Status.on_track
        r = a.progress_ratio
        return Status.not_assessable if r is None else category(min(r, ON_TRACK - 1e-12))
    if a.progress_ratio is None:
        if a.growth_observed is None or a.growth_required is None:
            return Status.not_assessable
        return Status.deterioration if a.direction * a.growth_observed < 0 else Status.on_track
    return category(a.progress_ratio)


def _from_january(period: Period) -> bool:
    """A period of months counted from January (2026-Q1, 2026-H1, 2026-01/2026-09): a
    year-to-date period."""
    return period.start.month == 1 and period.start.day == 1 and period.end.year == period.year


def months_of(period: Period) -> tuple[int, int]:
    """The first and last month a period covers (2026-01/2026-09: 1 and 9)."""
    return period.start.month, period.end.month


def in_year_verdict(growth: float, required: float, direction: int) -> tuple[Status, float | None]:
    """An in-year growth against the growth the year requires: ``on_track`` when it reaches
    it, else the category of R = d × growth / |required| below on track (``deterioration``
    for a move the wrong way when the year requires no change)."""
    r = progress_ratio(1.0, growth, required, direction)
    if direction * (growth - required) >= 0:
        return Status.on_track, r
    if r is None:
        return Status.deterioration, None
    return category(min(r, ON_TRACK - 1e-12)), r


def _in_year_figure(t: Target, period: Period, year: int) -> bool:
    """A period that gives an in-year figure for ``year``: an annual (flow) target's months from
    January, a level target's value at the end of a half, quarter or month before December."""
    if period.year != year or not period.is_partial:
        return False
    if t.kind is Kind.level:
        return period.kind is not PeriodKind.months and period.end.month != 12
    return _from_january(period)


def _same_months(t: Target, period: Period, before: Period) -> bool:
    """``before`` covers the same months as ``period``, a year earlier (a level: ends on the
    same day of the month a year earlier)."""
    if before.year != period.year - 1 or not before.is_partial:
        return False
    if t.kind is Kind.level:
        return before.kind is not PeriodKind.months and before.end.month == period.end.month
    return _from_january(before) and before.end.month == period.end.month


def _in_year(a: Assessment, own: list[Observation]) -> None:
    """An annual or level target for one year, before that year's figure: the latest figure for
    part of the year against the same months of the year before grown at the growth the target
    requires over the full year before (docs/method.md §8.1). Nothing without those figures."""
    t = a.target
    deadline = t.deadline
    if deadline is None or deadline.kind is not PeriodKind.year or t.cumulative:
        return
    y = deadline.year
    year_before = next((p for p in a.series if p.year == y - 1), None)
    if any(p.year == y for p in a.series) or year_before is None or year_before.value <= 0:
        return
    figures = [o for o in own if o.value is not None and _in_year_figure(t, o.period, y)]
    if not figures:
        return
    end = max(o.period.end for o in figures)
    o = select([o for o in figures if o.period.end == end], values=True)
    assert o.value is not None
    current = Point(o.period, o.value.value, o.effective_bound, o.estimate, o.source, o)
    earlier = [q for q in own if q.value is not None and _same_months(t, o.period, q.period)]
    if earlier:
        q = select(earlier, values=True)
        assert q.value is not None
        previous = Point(q.period, q.value.value, q.effective_bound, q.estimate, q.source, q)
    else:  # the year before's same months, derived back from a stated change of the period
        changes = [c for c in own if c.period == o.period and c.change is not None
                   and not c.real_change and not c.change_points]  # fmt: skip
        if not changes:
            return
        c = select(changes)
        assert c.change is not None
        back = Derivation(o.period, current.value, c.change, False)
        shifted = parse_period(o.period.text.replace(str(y), str(y - 1)))
        previous = Point(shifted, back.apply(), Bound.exact, c.estimate, c.source, c, back)
    if previous.value <= 0:
        return
    growth = float(current.value / previous.value) - 1
    required = float(t.goal / year_before.value) - 1
    expected = float(previous.value) * (1 + required)
    a.status, a.progress_ratio = in_year_verdict(growth, required, a.direction)
    a.in_year = InYear(current, previous, year_before, growth, required, expected)
    a.base, a.current = previous, current
    a.growth_observed, a.growth_required, a.expected_now = growth, required, expected
    a.progress = a.time_elapsed = a.growth_needed = a.projected = a.ahead_by = None
    a.path_of = None
    dropped = (
        "too-few-values",
        "current-before-base",
        "partial-period",
        "no-deadline",
        "before-base-year",
        "base-substituted",
        "zero-replaced",
        "negative-value",
        "projection-too-large",
    )  # the trend's: the in-year verdict has no plan base
    a.notes = [n for n in a.notes if n.code not in dropped]


def _change_meets(o: Observation, goal: Decimal, direction: int) -> bool | None:
    """Whether a full year's change meets a growth target; None when its bound (``bound:
    at_least`` on "over 5%") leaves it open, as for the values of the other kinds."""
    assert o.change is not None
    point = Point(o.period, o.change, o.bound or Bound.exact)
    return meets(point, goal, direction)


def _first_year(t: Target) -> int | None:
    """A growth target's first judged year: ``start``, else the deadline's year."""
    return t.start if t.start is not None else (t.deadline.year if t.deadline else None)


def _assess_growth(a: Assessment, own: list[Observation]) -> None:
    """Growth targets: each year is met or missed on its own; the year in progress is judged by
    its latest year-to-date change. Years before ``start`` are context."""
    t, d = a.target, a.direction
    goal = t.goal
    first = _first_year(t)
    with_change = [o for o in own if o.change is not None]
    if not with_change:
        a.status = Status.no_data
        return
    by_period: dict[str, list[Observation]] = {}
    for o in with_change:
        by_period.setdefault(o.period.text, []).append(o)
    for group in by_period.values():
        o = select(group)
        assert o.change is not None
        if o.period.is_partial and not _from_january(o.period):
            continue  # a quarter or half on its own is no year-to-date figure: context
        inside = first is None or o.period.year >= first
        partial = not o.period.is_full_year
        met = None if (partial or not inside) else _change_meets(o, goal, d)
        a.growth_years.append(GrowthYear(o.period, o.change, met, partial, o))
    a.growth_years.sort(key=lambda g: g.period.sort_key)
    a.growth_required = float(goal)
    judged = [g for g in a.growth_years if first is None or g.period.year >= first]
    if not judged:
        a.notes.append(note("no-change-in-years"))
        a.status = Status.no_data
        return
    latest = max(judged, key=lambda g: (g.period.end, not g.partial))  # a full year over its Q4
    a.growth_observed = float(latest.change)
    origin = latest.origin
    assert origin is not None
    a.current = Point(latest.period, latest.change, origin.effective_bound, origin.estimate,
                      origin.source, origin, rate=True)  # fmt: skip
    final = next((g for g in judged if t.deadline and g.period.text == t.deadline.text), None)
    if final is not None and not final.partial:  # as written; a bound's far end is a reading
        a.status = _growth_status(final.change, goal, d, True)
    else:
        if latest.partial:
            a.notes.append(note("year-to-date", period=latest.period))
        a.status = _growth_status(latest.change, goal, d, False)
    if a.status not in (Status.met, Status.missed) and t.deadline and a.as_of > t.deadline.end:
        a.notes.append(note("deadline-passed", deadline=t.deadline))


def _assess_average(a: Assessment, own: list[Observation], memo: SeriesMemo) -> None:
    """An average annual growth target: the compound annual rate from the base year (start - 1)
    to the latest full year, from the levels when both are known, else chained from each year's
    stated change; on track when it meets the target (R = rate / target); met or missed on the
    rate to the deadline year (docs/method.md §13.2)."""
    t, d = a.target, a.direction
    goal = float(t.goal)
    base_year = t.base_year
    assert base_year is not None  # validate requires start
    a.growth_required = goal
    a.series = memo.series(t, own)
    levels = [p for p in a.series if p.year >= base_year]
    base = levels[0] if levels else None
    if base is not None and base.year != base_year:
        a.notes.append(note("base-substituted", base_year=base_year, base=base.year))
    rate: float | None = None
    if base is not None and len(levels) > 1:
        a.base, a.current = base, levels[-1]
        rate = cagr(float(base.value), float(a.current.value), a.current.year - base.year)
    else:
        changes = _yearly_changes(own, base_year + 1)
        if changes:
            years = [o.period.year for o in changes]
            product = 1.0
            for o in changes:
                assert o.change is not None
                product *= 1 + float(o.change)
            rate = product ** (1 / len(changes)) - 1 if product > 0 else None
            last = changes[-1]
            assert last.change is not None
            a.current = Point(last.period, last.change, estimate=last.estimate,
                              source=last.source, origin=last, rate=True)  # fmt: skip
            a.notes.append(note("average-from-changes", years=tuple(years)))
            for o in changes:
                assert o.change is not None
                a.growth_years.append(GrowthYear(o.period, o.change, None, False, o))
    if a.current is None or rate is None:
        a.status = Status.no_data if not own else Status.not_assessable
        if own:
            a.notes.append(note("too-few-values"))
        return
    a.growth_observed = rate
    a.progress_ratio = d * rate / abs(goal) if goal else None
    deadline = t.deadline
    final = deadline is not None and a.current.year == deadline.year
    a.status = _average_status(rate, goal, d, final)
    if a.status not in (Status.met, Status.missed) and deadline and a.as_of > deadline.end:
        a.notes.append(note("deadline-passed", deadline=deadline))


def _yearly_changes(own: list[Observation], first: int) -> list[Observation]:
    """The selected full-year change of each year from ``first`` on, while the years follow
    each other without a gap."""
    by_year: dict[int, list[Observation]] = {}
    for o in own:
        if o.change is not None and o.period.is_full_year and not o.change_points:
            by_year.setdefault(o.period.year, []).append(o)
    out = []
    year = first
    while year in by_year:
        out.append(select(by_year[year]))
        year += 1
    return out


def _measure_of(t: Target, o: Observation) -> Decimal | None:
    """What a relative target compares: the change of a growth target, else the value."""
    if t.kind is Kind.growth:
        return o.change
    return o.value.value if o.value is not None else None


def _relative_status(
    value: Decimal, compared: Decimal, direction: int, strict: bool, final: bool
) -> Status:
    """A value judged against the benchmark's (``strict``: above it, else no lower): met or
    missed at the deadline (``final``), else on track or acceleration needed. The one rule of
    the assessment and of its readings (§13.3)."""
    diff = direction * (value - compared)
    ahead = diff > 0 if strict else diff >= 0
    if final:
        return Status.met if ahead else Status.missed
    return Status.on_track if ahead else Status.acceleration_needed


def _assess_relative(a: Assessment, own: list[Observation], bench: list[Observation]) -> None:
    """A target relative to a benchmark: each period's value (a growth target: its change) is
    compared with the benchmark's for the same period; met or missed per year, the year in
    progress on the latest comparable period, ``no_data`` naming the benchmark when it has no
    figure for any period of the target (docs/method.md §13.3)."""
    t = a.target
    assert t.benchmark is not None
    strict = t.benchmark.relation is Relation.above
    first = _first_year(t)

    def chosen(observations: list[Observation]) -> dict[str, Observation]:
        groups: dict[str, list[Observation]] = {}
        for o in observations:
            if _measure_of(t, o) is not None:
                groups.setdefault(o.period.text, []).append(o)
        return {k: select(v) for k, v in groups.items()}

    a.benchmark_seen = bench
    mine, theirs = chosen(own), chosen(bench)
    if not mine:
        a.status = Status.no_data
        return
    for text, o in mine.items():
        value = _measure_of(t, o)
        assert value is not None
        other = theirs.get(text)
        compared = _measure_of(t, other) if other is not None else None
        inside = first is None or o.period.year >= first
        met = None
        if compared is not None and inside:
            met = _relative_status(value, compared, a.direction, strict, True) is Status.met
        a.growth_years.append(GrowthYear(o.period, value, met, not o.period.is_full_year, o,
                                         compared, other))  # fmt: skip
    a.growth_years.sort(key=lambda g: g.period.sort_key)
    judged = [g for g in a.growth_years if g.met is not None]
    if not judged:
        a.notes.append(note("benchmark-missing", benchmark=t.benchmark.label()))
        a.status = Status.no_data
        return
    latest = max(judged, key=lambda g: (g.period.end, not g.partial))
    origin = latest.origin
    assert origin is not None and latest.benchmark is not None
    a.growth_observed, a.growth_required = float(latest.change), float(latest.benchmark)
    a.current = Point(latest.period, latest.change, origin.effective_bound, origin.estimate,
                      origin.source, origin, rate=t.kind is Kind.growth)  # fmt: skip
    deadline = t.deadline
    final = next((g for g in judged if deadline and g.period.text == deadline.text), None)
    decided = final or latest
    a.status = _relative_status(decided.change, decided.benchmark or Decimal(0), a.direction,
                                strict, final is not None)  # fmt: skip
    if a.status not in (Status.met, Status.missed) and deadline and a.as_of > deadline.end:
        a.notes.append(note("deadline-passed", deadline=deadline))


def _cumulative_status(
    a: Assessment, total: Decimal, years: int, final: bool
) -> tuple[Status, float | None]:
    """A total judged: met or missed on the whole period (``final``: the total as written; a
    bound's far end is a reading of its own, §12.6), else against the straight path to the
    target over ``years`` of the plan's years (R = total / (target × years / years in all)).
    The one rule of the assessment and of its readings (§13.5)."""
    t = a.target
    if final:
        return (Status.met if reaches(total, t.goal, a.direction) else Status.missed), None
    assert t.start is not None and t.deadline is not None
    expected = float(t.goal) * years / (t.deadline.year - t.start + 1)
    r = float(total) / expected if expected else None
    if r is None:
        return Status.not_assessable, None
    if a.direction * (r - 1) >= 0:
        return Status.on_track, r
    return category(min(r, ON_TRACK - 1e-12)), r


def _assess_cumulative(a: Assessment, own: list[Observation], memo: SeriesMemo) -> None:
    """A total over the plan's years (``cumulative: true``): the full-year values from ``start``
    summed while the years follow each other, or a stated total for the whole period
    (2021/2025); met or missed on the whole period, otherwise judged against the straight path
    to the target (R = sum / (target × years covered / years in all)) (docs/method.md §13.5)."""
    t = a.target
    assert t.start is not None and t.deadline is not None
    start, end = t.start, t.deadline.year
    totals = [o for o in own if o.value is not None and o.period.kind is PeriodKind.years
              and (o.period.start.year, o.period.end.year) == (start, end)]  # fmt: skip
    if totals:
        o = select(totals, values=True)
        assert o.value is not None
        a.current = Point(o.period, o.value.value, o.effective_bound, o.estimate, o.source, o)
        a.series = [a.current]
        a.progress = float(o.value.value / t.goal) if t.goal else None
        a.status = _cumulative_status(a, o.value.value, end - start + 1, True)[0]
        return
    yearly = {p.year: p for p in memo.series(t, own) if start <= p.year <= end}
    a.series = [yearly[y] for y in sorted(yearly)]
    years = []
    y = start
    while y in yearly:
        years.append(yearly[y])
        y += 1
    if len(years) < len(yearly):
        missing = tuple(y for y in range(start, max(yearly) + 1) if y not in yearly)
        a.notes.append(note("cumulative-gap", missing=missing))
    if not years:
        a.status = Status.no_data if not own else Status.not_assessable
        return
    total = sum((p.value for p in years), Decimal(0))
    last = years[-1]
    bound = Bound.at_least if any(p.bound is Bound.at_least for p in years) else Bound.exact
    period = (
        last.period
        if last.year == start
        else Period(
            "/".join((str(start), str(last.year))),
            PeriodKind.years,
            date(start, 1, 1),
            date(last.year, 12, 31),
        )
    )
    a.current = Point(period, total, bound, last.estimate, last.source, last.origin)
    a.progress = float(total / t.goal) if t.goal else None
    if last.year == end:
        a.status = _cumulative_status(a, total, len(years), True)[0]
        return
    a.expected_now = float(t.goal) * len(years) / (end - start + 1)
    a.ahead_by = a.direction * (float(total) - a.expected_now)
    a.status, a.progress_ratio = _cumulative_status(a, total, len(years), False)
    if a.as_of > t.deadline.end:
        a.notes.append(note("deadline-passed", deadline=t.deadline))


def assess_all(
    targets: list[Target],
    observations: list[Observation],
    as_of: date,
    method: str,
    releases: Sequence[Release] = (),
    *,
    memo: SeriesMemo | None = None,
    light: bool = False,
) -> list[Assessment]:
    """Assess every target, grouping observations once (linear in their number). ``memo``: the
    run's series (:class:`~cctrack.series.SeriesMemo`), to share those its checks built.
    ``light``: for a run that reads no roles (the ``status`` table, ``validate``): each
    target's roles are dropped as soon as it is assessed (``NotLoaded``, as a cached result read
    without them), but for those the passes across targets and reading on after an append may
    read (:func:`uses_read_across`), so that a large data set's roles are never all held."""
    memo = memo if memo is not None else SeriesMemo()
    by_target: dict[str, list[Observation]] = {}
    for o in observations:
        by_target.setdefault(o.target, []).append(o)
    scopes = {t.id: t.scope for t in targets}
    keep = _plans_read(targets) if light else None
    out: list[Assessment] = []
    for t in targets:  # each target's observations are grouped already: no filter is run
        a = _assess(t, by_target.get(t.id, []), as_of, method,
                    benchmark_observations(t, by_target, scopes), releases, memo)  # fmt: skip
        if keep is not None and not _uses_read(a, keep):
            a.uses = NotLoaded()
        out.append(a)
        memo.forget(t)  # (its checks and its assessment have read its series)
    across_targets(out)
    return out


def benchmark_observations(
    t: Target, by_target: Mapping[str, list[Observation]], scopes: Mapping[str, str]
) -> list[Observation] | None:
    """The observations of ``t``'s benchmark target of that target's own scope (those without a
    scope too); None when ``t`` is not set against another target. ``by_target``: the
    observations by target; ``scopes``: each target's scope."""
    other = t.benchmark.target if t.benchmark is not None else None
    if other is None:
        return None
    own_scope = scopes.get(other)
    return [o for o in by_target.get(other, []) if o.scope in (None, own_scope)]


# The notes only the passes across targets add (:func:`across_targets`).
PASS_NOTES = frozenset({"milestones-disagree", "no-deadline-figure"})


def across_targets(assessments: list[Assessment]) -> None:
    """The passes that look across targets, once every assessment is made: the milestones
    (:func:`link_milestones`), then what a target without data is missing
    (:func:`explain_no_data`). What an earlier run of them set is removed first, so they can run
    again over assessments kept from before (the append-aware cache, :mod:`cctrack.incremental`):
    each assessment gets a new list of notes, never an edit of one it may share."""
    for a in assessments:
        a.notes = [n for n in a.notes if n.code not in PASS_NOTES]
    link_milestones(assessments)
    explain_no_data(assessments)


def explain_no_data(assessments: list[Assessment]) -> None:
    """A target without data whose period has figures elsewhere says what is missing (note
    ``no-deadline-figure``): the periods its own figures are of, else those recorded against
    the plan target it is a milestone of (``where``), none of the deadline's (method §6.3)."""
    by_id = {a.target.id: a for a in assessments}
    for a in assessments:
        t = a.target
        if a.computed_status is not Status.no_data or t.deadline is None:
            continue
        where = None
        periods = _figure_periods(a)
        parent = by_id.get(t.milestone_of or "")
        if not periods and parent is not None and parent is not a:
            periods, where = _figure_periods(parent), parent.target.id
        if periods and t.deadline not in periods:  # else a figure of it exists, not usable
            a.notes.append(note("no-deadline-figure", deadline=t.deadline, years=periods,
                                where=where))  # fmt: skip


def uses_read_across(assessments: list[Assessment], possible: bool = False) -> list[int]:
    """The indices of the assessments whose uses :func:`explain_no_data` reads: each target
    without data that has a deadline, and the plan target it is a milestone of. ``possible``:
    also every plan target of a milestone with a deadline, whose uses it reads once the
    milestone has no data (after an append, :mod:`cctrack.incremental`)."""
    if possible:
        plans = _plans_read([a.target for a in assessments])
        return [i for i, a in enumerate(assessments) if _uses_read(a, plans)]
    at = {a.target.id: i for i, a in enumerate(assessments)}
    read: dict[int, None] = {}
    for i, a in enumerate(assessments):
        if a.target.deadline is not None and a.computed_status is Status.no_data:
            read[i] = None
            parent = at.get(a.target.milestone_of or "")
            if parent is not None:
                read[parent] = None
    return list(read)


def _plans_read(targets: Sequence[Target]) -> frozenset[str]:
    """The plan targets of the milestones with a deadline: :func:`explain_no_data` reads their
    uses once the milestone has no data."""
    return frozenset(t.milestone_of for t in targets if t.deadline is not None and t.milestone_of)


def _uses_read(a: Assessment, plans: frozenset[str]) -> bool:
    """Whether :func:`explain_no_data` may read ``a``'s uses, now or after an append:
    ``plans`` is :func:`_plans_read` of every target."""
    t = a.target
    return t.id in plans or (t.deadline is not None and a.computed_status is Status.no_data)


def _figure_periods(a: Assessment) -> tuple[Period, ...]:
    """The distinct periods of the figures (a value or a yearly change) of a target's own scope
    and measure, in order."""
    figures = [o for o in _own(a) if o.value is not None or o.change is not None]
    seen = sorted({o.period for o in figures}, key=lambda p: p.sort_key)
    return tuple(seen)


FAVOURABLE = frozenset({Status.met, Status.achieved, Status.on_track})
UNFAVOURABLE = frozenset(
    {Status.missed, Status.acceleration_needed, Status.limited_progress, Status.deterioration}
)


def link_milestones(assessments: list[Assessment]) -> None:
    """A pass over every assessment, once each is made: a plan target lists the targets that
    name it in ``milestone_of`` (``milestones``, by deadline), and its verdict carries the note
    ``milestones-disagree`` when the latest milestone with a verdict reads on the other side
    (met, achieved or on track against missed or a pace below on track) (docs/method.md §15)."""
    by_id = {a.target.id: a for a in assessments}
    for a in assessments:
        a.milestones = []
    for m in assessments:
        plan = by_id.get(m.target.milestone_of or "")
        if plan is not None and plan is not m:
            d = m.target.deadline
            plan.milestones.append(Milestone(m.target.id, d, m.status))
    for a in assessments:
        a.milestones.sort(key=lambda m: (m.deadline.sort_key if m.deadline else (date.max,), m.id))
        disagree = milestone_disagreement(a.status, a.milestones)
        if disagree is not None:
            step, d = disagree, disagree.deadline
            a.notes.append(note("milestones-disagree", milestone=step.id, deadline=d,
                                milestone_status=step.status))  # fmt: skip


def milestone_disagreement(status: Status, milestones: list[Milestone]) -> Milestone | None:
    """The latest milestone with a verdict (by deadline), when it reads on the other side of
    the plan target's verdict: one favourable (met, achieved, on track), the other not (missed,
    acceleration needed, limited progress, deterioration); None when they agree, or either has
    no such verdict (no data, not assessable, unresolved)."""
    judged = [m for m in milestones if m.deadline is not None
              and m.status in FAVOURABLE | UNFAVOURABLE]  # fmt: skip
    if not judged or status not in FAVOURABLE | UNFAVOURABLE:
        return None
    latest = max(judged, key=lambda m: (m.deadline.sort_key if m.deadline else (), m.id))
    return latest if (latest.status in FAVOURABLE) != (status in FAVOURABLE) else None


# --- formulas --------------------------------------------------------------------------------


def target_formula(t: Target) -> Formula | None:
    """A target written as a multiple of its baseline (``翻一番``): ``baseline * factor``."""
    if t.multiple is None or t.baseline is None:
        return None
    return Formula("baseline * factor", (("baseline", t.baseline.value.value),
                                         ("factor", t.multiple)))  # fmt: skip


def formulas(a: Assessment) -> dict[str, Formula]:
    """The formula behind each computed number, over named inputs with their exact values (and
    the target's own, ``target``, when it is a multiple of the baseline)."""
    out = _formulas(a)
    made = target_formula(a.target)
    return out if made is None else {"target": made, **out}


def _formulas(a: Assessment) -> dict[str, Formula]:
    """The formulas of the computed numbers."""
    t = a.target
    if a.in_year is not None:
        return _in_year_formulas(a, a.in_year)
    if a.base is None or a.current is None or t.deadline is None or t.kind is Kind.growth:
        return {}
    b, c, g = a.base.value, a.current.value, t.goal
    tb, tc, td = a.base.year, a.current.year, t.deadline.year

    def zero(x: Decimal) -> Decimal | float:  # a 0 in a ratio is replaced by 0.001
        return x or ZERO

    out = {
        "progress": Formula("(current - base) / (target - base)",
                            (("current", c), ("base", b), ("target", g))),
        "growth_observed": Formula("(current / base) ** (1 / (t_current - t_base)) - 1",
                                   (("current", zero(c)), ("base", zero(b)), ("t_current", tc),
                                    ("t_base", tb))),
        "growth_required": Formula("(target / base) ** (1 / (t_deadline - t_base)) - 1",
                                   (("target", zero(g)), ("base", zero(b)), ("t_deadline", td),
                                    ("t_base", tb))),
    }  # fmt: skip
    if a.method == "linear":
        out["expected_now"] = Formula(
            "base + (target - base) * (t_current - t_base) / (t_deadline - t_base)",
            (("base", b), ("target", g), ("t_current", tc), ("t_base", tb), ("t_deadline", td)),
        )
        if a.expected_now is not None:
            out["ahead_by"] = Formula(
                "d * (current - expected_now)",
                (("d", a.direction), ("current", c), ("expected_now", a.expected_now)),
            )
            out["progress_ratio"] = Formula(
                "(current - base) / (expected_now - base)",
                (("current", c), ("base", b), ("expected_now", a.expected_now)),
            )
    elif a.growth_observed is not None and a.growth_required is not None:
        sign = -1 if b < 0 else 1
        out["progress_ratio"] = Formula(
            "sign * d * growth_observed / abs(growth_required)",
            (("sign", sign), ("d", a.direction), ("growth_observed", a.growth_observed),
             ("growth_required", a.growth_required)),
        )  # fmt: skip
    if td > tc:
        out["growth_needed"] = Formula(
            "(target / current) ** (1 / (t_deadline - t_current)) - 1",
            (("target", zero(g)), ("current", zero(c)), ("t_deadline", td), ("t_current", tc)),
        )
        if a.growth_observed is not None:
            out["projected"] = Formula(
                "current * (1 + growth_observed) ** (t_deadline - t_current)",
                (("current", zero(c)), ("growth_observed", a.growth_observed), ("t_deadline", td),
                 ("t_current", tc)),
            )  # fmt: skip
    # a formula only for a number the assessment gives (none where base and current coincide)
    return {key: f for key, f in out.items() if getattr(a, key) is not None}


def _in_year_formulas(a: Assessment, iy: InYear) -> dict[str, Formula]:
    """The formulas of an in-year verdict (docs/method.md §8.1)."""
    c, p, y, g = iy.current.value, iy.previous.value, iy.year_before.value, a.target.goal
    out = {
        "growth_observed": Formula("current / previous - 1", (("current", c), ("previous", p))),
        "growth_required": Formula("target / year_before - 1",
                                   (("target", g), ("year_before", y))),
        "expected_now": Formula("previous * (1 + growth_required)",
                                (("previous", p), ("growth_required", iy.required))),
    }  # fmt: skip
    if a.progress_ratio is not None:
        out["progress_ratio"] = Formula(
            "d * growth_observed / abs(growth_required)",
            (("d", a.direction), ("growth_observed", iy.growth),
             ("growth_required", iy.required)),
        )  # fmt: skip
    return out


# --- evidence: caveats, confidence, sensitivity ----------------------------------------------


def _derived_from(p: Point, series: list[Point]) -> list[Point]:
    """The stated value a derived point was derived from (none for a stated point)."""
    d = p.derivation
    if d is None:
        return []
    return [q for q in series if q.period == d.from_period and not q.derived]


def _publisher(source: Source) -> str:
    """Who published a figure: sources of one publisher are one voice."""
    return (source.publisher or source.title or source.url or "").casefold()


def _weak(source: Source | None) -> bool:
    """A source graded C (an aggregator's copy)."""
    return source is not None and source.reliability is WEAK_GRADE


def _rests_on_weak(p: Point, series: list[Point]) -> bool:
    """True when a point rests on a source graded C: its own, or the value it was derived from."""
    return any(_weak(s) for s in (p.source, *(q.source for q in _derived_from(p, series))))


def _mixed(p: Point, series: list[Point]) -> Note | None:
    """``mixed-sources`` when ``p`` is derived from a level of one publisher and a change of
    another: nothing says the two measure the same series (a statistics bureau's revenue and a
    work report's spending growth, say)."""
    for q in _derived_from(p, series):
        if (
            p.source is not None
            and q.source is not None
            and _publisher(q.source) != _publisher(p.source)
        ):
            level, change = q.source.label(), p.source.label()
            return caveat("mixed-sources", period=p.period, from_period=q.period,
                          level_source=level, change_source=change)  # fmt: skip
    return None


def _boundary(ratio: float, method: str) -> float:
    """The distance from R to the nearest category boundary of the method."""
    top = 1.0 if method == "linear" else ON_TRACK
    return min(abs(ratio - b) for b in (top, ACCELERATION, 0.0))


def _alternative(a: Assessment, p: Point) -> Alternative:
    """The assessment repeated with ``p`` as the base (same current value, target, method)."""
    b = Assessment(a.target, a.method, a.as_of, series=a.series, base=p, current=a.current)
    assert a.current is not None
    _measure(b, float(p.value), float(a.current.value), float(a.target.goal), path=False)
    status = _trend_status(b)
    return Alternative(p.period, p.value, b.progress_ratio, status)


def inconsistencies(series: list[Point], observations: list[Observation]) -> list[Note]:
    """Stated changes that disagree with the two values they connect (direct, or derived from
    another entry), beyond the precision of the figures as written (docs/method.md §12.2)."""
    points = {p.year: p for p in series}
    out = []
    for o in observations:
        if o.change is None or o.real_change or not o.period.is_full_year:
            continue
        before, after = points.get(o.period.year - 1), points.get(o.period.year)
        if (
            before is None
            or after is None
            or (o in (before.origin, after.origin) and (before.derived or after.derived))
        ):
            continue  # a value derived from this very change agrees with it by construction
        found = disagreement(before.value, after.value, o.change, before.bound, after.bound)
        if found is not None:
            out.append(caveat("inconsistent-sources", period=o.period, stated=o.change,
                              implied=found.implied))  # fmt: skip
    return out


def weigh(a: Assessment) -> None:
    """The caveats of a verdict, its sensitivity to the base, and its confidence, from the
    rules of docs/method.md §12; ``unresolved`` where the readings disagree (§12.7)."""
    status = a.computed_status
    if status in (Status.no_data, Status.not_assessable, Status.pending):
        return
    t = a.target
    out: list[Note] = []
    final_verdict = _final(a)
    deciding = _deciding(a)
    trend = not final_verdict and status is not Status.achieved and t.kind is not Kind.growth
    trend = trend and a.in_year is None  # an in-year verdict has no base of the plan's
    if trend and a.base is not None and a.current is not None and not a.base.baseline:
        base_year = t.base_year
        if base_year is not None and a.base.year != base_year:
            out.append(caveat("base-substituted", base_year=base_year, base=a.base.period))
        d = a.base.derivation
        if d is not None:
            out.append(caveat("base-derived", base=a.base.period, from_period=d.from_period,
                              change=d.change))  # fmt: skip
        first = (base_year if base_year is not None else a.base.year) - 5
        candidates = [p for p in a.series if first <= p.year < a.current.year and p != a.base]
        a.sensitivity = [_alternative(a, p) for p in candidates]
        other = sorted({alt.status.value for alt in a.sensitivity if alt.status != status})
        if other:
            out.append(caveat("base-sensitive", categories=tuple(other)))
    if trend and a.base is not None and a.current is not None:
        window = [p for p in a.series if a.base.year <= p.year <= a.current.year]
        years = a.current.year - a.base.year
        if len(window) < 3 or years < 2:
            out.append(caveat("short-series", values=len(window), years=years))
    for name, p in (("base", a.base if trend else None), ("current", deciding)):
        if p is not None and _rests_on_weak(p, a.series):
            out.append(caveat("weak-source", point=name, period=p.period))
    if t.average and not any(c.code == "weak-source" for c in out):  # every chained change counts
        weak = [g for g in a.growth_years if g.origin is not None and _weak(g.origin.source)]
        if weak:
            out.append(caveat("weak-source", point="chained", period=weak[0].period))
    if deciding is not None:
        bound = deciding.bound
        not_final = deciding.estimate is not Estimate.final or deciding.derived
        if not_final or (final_verdict and bound is not Bound.exact):
            out.append(caveat("provisional", period=deciding.period,
                              estimate=deciding.estimate, derived=deciding.derived,
                              bound=bound))  # fmt: skip
            a.provisional = final_verdict
        if bound is not Bound.exact:
            out.append(caveat("bound-value", period=deciding.period, bound=bound))
        mixed = _mixed(deciding, a.series)
        if mixed is not None:
            out.append(mixed)
        out += _near(a, deciding, final_verdict or status is Status.achieved)
    unfigured = _unfigured(a)  # said once, by the note no-final-figure (see _settle)
    if a.overdue is not None and not unfigured:
        o = a.overdue
        out.append(caveat("overdue", year=o.year, release=o.release.id, expected=o.expected))
    if t.deadline is not None and a.as_of > t.deadline.end and not final_verdict:
        latest = a.current.period if a.current is not None else None
        if not unfigured:
            out.append(caveat("deadline-passed", deadline=t.deadline, latest=latest))
        a.trend_to = a.current.year if a.current is not None else None
        a.trend_period = a.current.period if a.current is not None else None
    if a.projected is not None and _extreme(a.projected, float(t.goal), a.direction):
        out.append(caveat("projection-extreme", projected=a.projected, target=t.goal))
    if t.kind is not Kind.growth and a.base is not None and a.current is not None:
        used = [u.observation for u in a.uses if u.role in USED_ROLES or u.derives]
        window_years = {p.year for p in a.series if a.base.year <= p.year <= a.current.year}
        out += [c for c in inconsistencies(a.series, used) if c.get("period").year in window_years]
    in_year = t.kind is Kind.growth or a.in_year is not None
    if deciding is not None and not deciding.period.is_full_year and in_year:
        out.append(caveat("in-year", period=deciding.period, months=months_of(deciding.period)))
    a.caveats = out
    a.readings = readings(a)
    _settle(a)
    if a.status is Status.unresolved:
        a.confidence = Confidence.low
    else:
        a.confidence = robustness(a) if len(a.readings) > 1 else confidence(out)
    if a.has_caveat("in-year") and a.confidence is Confidence.high:
        a.confidence = Confidence.medium
    if a.has_note("out-of-reach") and a.confidence is Confidence.high:  # no deadline figure
        a.confidence = Confidence.medium
    if deciding is not None and a.confidence is Confidence.high and _weak_alone(a, deciding):
        a.confidence = Confidence.medium
        a.notes.append(note("weak-alone", period=deciding.period))


def _weak_alone(a: Assessment, p: Point) -> bool:
    """True when the deciding figure rests on a source graded C and no figure of a source
    graded A or B of the same period stands beside it: a verdict on it is at most ``medium``
    (docs/method.md §12.10)."""
    if not _rests_on_weak(p, a.series):
        return False
    return not any(
        o.period == p.period and not _weak(o.source) and (o.value, o.change) != (None, None)
        for o in _own(a)
    )


def _deciding(a: Assessment) -> Point | None:
    """The value the verdict rests on: the deadline's value for met or missed, else current."""
    t = a.target
    if t.cumulative:
        return a.current  # the total, not the deadline year's own value
    if _final(a) and t.deadline is not None:
        if t.kind is Kind.growth:
            g = next((g for g in a.growth_years if g.period.text == t.deadline.text), None)
            if g is not None and g.origin is not None:
                o = g.origin
                return Point(g.period, g.change, o.effective_bound, o.estimate, o.source, o,
                             rate=True)  # fmt: skip
        return next((p for p in a.series if p.year == t.deadline.year), a.current)
    return a.current


def _extreme(projected: float, target: float, direction: int) -> bool:
    """The projection overshoots the target by more than a factor of two."""
    if direction > 0:
        return target > 0 and projected > 2 * target
    return projected < target / 2 if target > 0 else projected < target - abs(target)


def _near(a: Assessment, p: Point, settled: bool) -> list[Note]:
    """``near-threshold``: R within 0.05 of a boundary, or a value that meets or misses the
    target by less than the precision of the figures as written (a target is a threshold, exact
    as stated, unless it is approximate: "about 5%")."""
    t = a.target
    if a.in_year is not None:
        return []  # the readings weigh the in-year figures (§8.1)
    if settled and at_written_precision(a, p):
        return []  # compared at the precision both are written to (§12.9)
    if settled or t.kind is Kind.growth:
        goal = t.goal
        if t.benchmark is not None:  # a relative target's threshold is the benchmark's figure
            g = next((g for g in a.growth_years if g.period == p.period), None)
            if g is None or g.benchmark is None:
                return []
            goal = g.benchmark
        margin = abs(p.value - goal)
        low, high, _ = reading_interval(a, p)
        # the reading's distance toward the other verdict: below a value meeting a rise, ...
        downward = reaches_as_written(p.value, p.bound, goal, a.direction) == (a.direction > 0)
        precision = p.value - low if downward else high - p.value
        if precision > 0 and margin <= precision:
            return [caveat("near-threshold", what="target", margin=margin, precision=precision)]
        return []
    r = a.progress_ratio
    if r is not None and _boundary(r, a.method) < NEAR:
        distance = Decimal(repr(_boundary(r, a.method)))
        return [caveat("near-threshold", what="ratio", margin=distance, precision=Decimal(NEAR))]
    return []


# --- readings (docs/method.md §12.6) -----------------------------------------------------------

CONTEXT_ROLES = frozenset(
    {Role.other_scope, Role.other_measure, Role.forecast, Role.after_deadline, Role.benchmark}
)
PACE = frozenset(Status(c) for c in TREND_ORDER if c != Status.achieved)  # a trend's pace


def _own(a: Assessment) -> list[Observation]:
    """The observations of the target's own scope and measure (not forecasts) known at as-of."""
    return [u.observation for u in a.uses if u.role not in CONTEXT_ROLES]


def _own_of(a: Assessment, period: Period) -> list[Observation]:
    """The observations of :func:`_own` of ``period`` (:func:`_same_period`), in one pass."""
    end = period.end
    out = []
    for u in a.uses:
        q = u.observation.period
        if (q is period or (q.end == end and q == period)) and u.role not in CONTEXT_ROLES:
            out.append(u.observation)
    return out


def _final_known(a: Assessment, period: Period, rate: bool) -> bool:
    """True when a final figure of ``period`` is known (a value; for a rate, a change)."""
    end = period.end
    for u in a.uses:  # the cheapest tests first (all are pure): most uses fail on the period
        o = u.observation
        q = o.period
        if q is not period and (q.end != end or q != period):  # not _same_period(q, period)
            continue
        if (
            o.estimate is _FINAL
            and u.role not in CONTEXT_ROLES
            and (o.change if rate else o.value) is not None
        ):
            return True
    return False


def _same_period(p: Period, q: Period) -> bool:
    """``p == q``, the ends compared first (most periods of a target differ there)."""
    return p is q or (p.end == q.end and p == q)


def interval(a: Assessment, p: Point) -> tuple[Decimal, Decimal, tuple[str, ...]]:
    """The plausible interval of a point of the series, and the rules that made it: its own,
    or for a derived value those of the value and the change it comes from."""
    rate = p.rate or a.target.percent
    d = p.derivation
    grade = p.source.reliability if p.source is not None else None
    if d is None:
        known = not p.baseline and _final_known(a, p.period, p.rate)
        return spread(p.value, p.bound, p.estimate, grade, rate, known)
    stated = next((q for q in a.series if q.period == d.from_period and not q.derived), None)
    if stated is None:
        f_low, f_high, f_rules = spread(d.from_value, p.bound, rate=rate)
    else:
        f_low, f_high, f_rules = interval(a, stated)
    known = _final_known(a, p.period, True) if d.forward else _final_known(a, d.from_period, True)
    c_low, c_high, c_rules = spread(d.change, Bound.exact, p.estimate, grade, True, known)
    low, high = through(f_low, f_high, c_low, c_high, d.forward, d.points)
    return low, high, tuple(dict.fromkeys((*f_rules, *c_rules)))


def _recorded(
    a: Assessment, p: Point, progress: float | None = None
) -> tuple[list[Reading], tuple[tuple[str, Decimal], ...], tuple[str, ...]]:
    """How the readings of a deciding figure open, for a level and for a growth target: the
    figure as recorded (with its ``progress``), then, when it is written at the target's own
    precision (:func:`at_written_precision`), that reading and no other; else the ends of its
    interval (:func:`reading_interval`) to be judged, with the rules that made it."""
    fields = (("period", p.period), ("value", p.value))
    out = [Reading("as-recorded", fields, a.computed_status, p.value, progress)]
    low, high, rules = reading_interval(a, p)
    if at_written_precision(a, p):
        out.append(Reading("written-precision", fields, a.computed_status, p.value))
        return out, (), rules
    return out, (("low-end", low), ("high-end", high)), rules


def at_written_precision(a: Assessment, p: Point) -> bool:
    """True when a deciding figure, exact and final, is written at the target's own precision
    and meets it as written (200万亩 against 200万亩): the two are compared at that precision, so
    half a unit of the last digit is no reading of it (docs/method.md §12.9)."""
    t = a.target
    if not _final(a) or p.bound is not Bound.exact or p.derivation is not None:
        return False
    if interval(a, p)[2] != ("precision",):  # an estimate's or a weak grade's error still counts
        return False
    rate = p.rate or t.percent
    precision = change_precision if rate else value_precision
    same = precision(p.value) == precision(t.goal)
    return same and reaches(p.value, t.goal, a.direction)


def reading_interval(a: Assessment, p: Point) -> tuple[Decimal, Decimal, tuple[str, ...]]:
    """The interval a point is judged on: :func:`interval`, widened by the target's own
    precision when the target is approximate ("about 5%" is only as exact as written: judging
    a value against the target's far end is judging it shifted by that much)."""
    t = a.target
    low, high, rules = interval(a, p)
    if not t.target.approx:
        return low, high, rules
    slack = change_precision(t.goal) if t.kind is Kind.growth else value_precision(t.goal)
    return low - slack, high + slack, (*rules, "approximate")


def _judge(
    a: Assessment,
    base: Decimal | None,
    current: Decimal,
    final: bool,
    bound: Bound = Bound.exact,
) -> tuple[Status, float | None]:
    """The category the figures give with ``base`` and ``current`` read as these values
    (``bound``: the side ``current`` is a bound on, which its end of the interval keeps)."""
    t = a.target
    if final:
        met = reaches_as_written(current, bound, t.goal, a.direction)
        return (Status.met if met else Status.missed), None
    if _in_period(a) and reaches_as_written(current, bound, t.goal, a.direction):
        return Status.achieved, None
    if base is None or a.base is None or a.current is None or t.deadline is None:
        return a.computed_status, a.progress_ratio
    b = Assessment(t, a.method, a.as_of, base=a.base, current=a.current)
    _measure(b, float(base), float(current), float(t.goal), path=False)
    undefined = b.growth_observed is None or b.growth_required is None
    if b.progress_ratio is None and a.method != "linear" and undefined:
        return Status.not_assessable, None
    return _pace(b), b.progress_ratio


def _others(
    chosen: Observation | None, group: list[Observation], values: bool
) -> list[Observation]:
    """The best figure of each other publisher among ``group`` (one period): a figure is
    superseded only by a better-ranked one of its own publisher (§1.4)."""
    best: dict[str, Observation] = {}
    for o in sorted(group, key=value_rank if values else rank):
        best.setdefault(_publisher(o.source), o)
    mine = _publisher(chosen.source) if chosen is not None else None
    return [o for key, o in best.items() if key != mine and o is not chosen]


def readings(a: Assessment) -> list[Reading]:
    """Every plausible reading of the figures behind a verdict, with the category each gives:
    the figures as recorded, each end of the deciding value's interval (and, for a trend, of
    the base's), every other publisher's figure of the same period, a year-to-date change of
    another source, and every other candidate base (docs/method.md §12.6)."""
    t = a.target
    p = _deciding(a)
    if p is None:
        return []
    if t.benchmark is not None:
        return _relative_readings(a, p)
    if t.cumulative:
        return _cumulative_readings(a, p)
    if a.in_year is not None:
        return _in_year_readings(a, a.in_year)
    if t.kind is Kind.growth:
        return _average_readings(a) if t.average else _growth_readings(a, p)
    final = _final(a)
    out, ends, rules = _recorded(a, p, a.progress_ratio)
    base = a.base.value if a.base is not None and a.base is not a.current else None
    for code, v in ends:
        status, r = _judge(a, base, v, final, p.bound if v == p.value else Bound.exact)
        out.append(Reading(code, (("period", p.period), ("value", v), ("rules", rules)), status,
                           v, r))  # fmt: skip
    trend = not final and a.computed_status is not Status.achieved
    if trend and base is not None and a.base is not None and not a.base.baseline:
        b_low, b_high, b_rules = interval(a, a.base)
        for code, v in (("base-low", b_low), ("base-high", b_high)):
            status, r = _judge(a, v, p.value, False)
            out.append(Reading(code, (("period", a.base.period), ("value", v),
                                      ("rules", b_rules)), status, v, r))  # fmt: skip
    for alt in a.sensitivity:
        out.append(Reading("other-base", (("period", alt.period), ("value", alt.value)),
                           alt.status, alt.value, alt.progress_ratio))  # fmt: skip
    own = _own_of(a, p.period)
    if p.derivation is None:
        group = [o for o in own if o.value is not None]
        for o in _others(p.origin, group, True):
            assert o.value is not None
            status, r = _judge(a, base, o.value.value, final)
            out.append(Reading("other-source", (("period", o.period), ("value", o.value.value),
                                                ("source", o.source.label())), status,
                               o.value.value, r))  # fmt: skip
        out += _stated_change(a, p, own, base, final)
    else:
        d = p.derivation
        group = [o for o in own if o.change is not None and not o.real_change]
        for o in _others(p.origin, group, False):
            assert o.change is not None
            how = Derivation(d.from_period, d.from_value, o.change, d.forward, o.change_points)
            value = how.apply()
            status, r = _judge(a, base, value, final)
            out.append(Reading("other-source", (("period", o.period), ("value", value),
                                                ("source", o.source.label())), status,
                               value, r))  # fmt: skip
        out += _year_to_date(a, p, base, final)
    return out


def _stated_change(
    a: Assessment, p: Point, own: list[Observation], base: Decimal | None, final: bool
) -> list[Reading]:
    """A stated value whose period also has a stated change: the year before's value times that
    change is another reading of it (they disagree when the sources do, §12.2)."""
    before = next((q for q in a.series if q.year == p.year - 1), None)
    if before is None or not p.period.is_full_year:
        return []
    out = []
    for o in own:
        if o.change is None or o.real_change:
            continue
        if before.derived and before.origin is o:
            continue  # the year before was derived from this very change: it agrees by construction
        v = Derivation(before.period, before.value, o.change, True, o.change_points).apply()
        status, r = _judge(a, base, v, final)
        out.append(Reading("stated-change", (("period", o.period), ("change", o.change),
                                             ("source", o.source.label()), ("value", v)),
                           status, v, r))  # fmt: skip
    return out


def _year_to_date(a: Assessment, p: Point, base: Decimal | None, final: bool) -> list[Reading]:
    """A year whose value is derived forward from a full-year change: the latest year-to-date
    change of the same year from another publisher, read as the year's change."""
    d = p.derivation
    if d is None or not d.forward or d.points or p.origin is None:
        return []
    ytd = [o for o in _own(a) if o.change is not None and not o.real_change
           and not o.period.is_full_year and o.period.start.year == p.year
           and o.period.end.year == p.year
           and _publisher(o.source) != _publisher(p.origin.source)]  # fmt: skip
    if not ytd:
        return []
    latest = max(o.period.end for o in ytd)
    o = select([o for o in ytd if o.period.end == latest])
    assert o.change is not None
    v = Derivation(d.from_period, d.from_value, o.change, True).apply()
    status, r = _judge(a, base, v, final)
    # the value is the year's; the months its change was read from are named beside it
    values = (("period", p.period), ("ytd", o.period), ("change", o.change),
              ("source", o.source.label()), ("value", v))  # fmt: skip
    return [Reading("year-to-date", values, status, v, r)]


def _in_year_readings(a: Assessment, iy: InYear) -> list[Reading]:
    """An in-year verdict's readings: the in-year figure and the same months of the year before
    each at an end of its interval (``low-end``, ``base-low`` ...), the full year before at an
    end of its (``required-low``, ``required-high``: it sets the growth required), and every
    other publisher's figure of the in-year period."""
    goal, d = a.target.goal, a.direction

    def judge(
        current: Decimal, previous: Decimal, year_before: Decimal
    ) -> tuple[Status, float | None]:
        if previous <= 0 or year_before <= 0:
            return Status.not_assessable, None
        growth = float(current / previous) - 1
        return in_year_verdict(growth, float(goal / year_before) - 1, d)

    cur, prev, before = iy.current, iy.previous, iy.year_before
    out = [Reading("as-recorded", (("period", cur.period), ("value", cur.value)),
                   a.computed_status, cur.value, a.progress_ratio)]  # fmt: skip
    for (low_code, high_code), p in ((("low-end", "high-end"), cur),
                                     (("base-low", "base-high"), prev),
                                     (("required-low", "required-high"), before)):  # fmt: skip
        low, high, rules = interval(a, p)
        for code, v in ((low_code, low), (high_code, high)):
            status, r = judge(v if p is cur else cur.value, v if p is prev else prev.value,
                              v if p is before else before.value)  # fmt: skip
            out.append(Reading(code, (("period", p.period), ("value", v), ("rules", rules)),
                               status, v, r))  # fmt: skip
    group = [o for o in _own(a) if o.period == cur.period and o.value is not None]
    for o in _others(cur.origin, group, True):
        assert o.value is not None
        status, r = judge(o.value.value, prev.value, before.value)
        out.append(Reading("other-source", (("period", o.period), ("value", o.value.value),
                                            ("source", o.source.label())), status,
                           o.value.value, r))  # fmt: skip
    # each stated change of the in-year period (but the one the year before was derived from)
    # is another reading of the same months of the year before: current / (1 + change)
    changes = [o for o in _own(a) if o.period == cur.period and o.change is not None
               and not o.real_change and not o.change_points]  # fmt: skip
    for o in _others(prev.origin if prev.derived else None, changes, False):
        assert o.change is not None
        if 1 + o.change <= 0:
            continue
        v = Derivation(cur.period, cur.value, o.change, False).apply()
        status, r = judge(cur.value, v, before.value)
        values = (("period", prev.period), ("value", v), ("source", o.source.label()))
        out.append(Reading("other-source", values, status, v, r))
    return out


def _growth_readings(a: Assessment, p: Point) -> list[Reading]:
    """A growth target's readings: its deciding change at each end of its interval, and every
    other publisher's change of the same period."""
    t, d = a.target, a.direction
    final = _final(a)
    o = p.origin
    if o is None:
        return []

    def judge(change: Decimal) -> Status:
        return _growth_status(change, t.goal, d, final)

    out, ends, rules = _recorded(a, p)
    for code, v in ends:
        out.append(Reading(code, (("period", p.period), ("value", v), ("rules", rules)),
                           judge(v), v))  # fmt: skip
    group = [q for q in _own(a) if q.period == p.period and q.change is not None]
    for q in _others(o, group, False):
        assert q.change is not None
        out.append(Reading("other-source", (("period", q.period), ("value", q.change),
                                            ("source", q.source.label())), judge(q.change),
                           q.change))  # fmt: skip
    return out


def _average_readings(a: Assessment) -> list[Reading]:
    """An average growth target's readings: the average with every chained change (or the two
    levels) at the low and at the high end of its interval."""
    t, d = a.target, a.direction
    if a.current is None or a.growth_observed is None:
        return []
    final = _final(a)
    goal = float(t.goal)

    def judge(rate: float) -> Status:
        return _average_status(rate, goal, d, final)

    out = [Reading("as-recorded", (("period", a.current.period), ("value", a.growth_observed)),
                   a.computed_status, a.growth_observed)]  # fmt: skip
    ends: list[tuple[str, float | None, tuple[str, ...]]] = []
    if a.growth_years:
        spans = [spread(g.change, g.origin.effective_bound if g.origin else Bound.exact,
                        g.origin.estimate if g.origin else Estimate.final,
                        g.origin.source.reliability if g.origin else None, True)
                 for g in a.growth_years]  # fmt: skip
        rules = tuple(dict.fromkeys(r for s in spans for r in s[2]))
        for code, pick in (("chained-low", 0), ("chained-high", 1)):
            product = 1.0
            for low, high, _ in spans:
                product *= 1 + float(low if pick == 0 else high)
            rate = product ** (1 / len(spans)) - 1 if product > 0 else None
            ends.append((code, rate, rules))
    elif a.base is not None:
        b_low, b_high, b_rules = interval(a, a.base)
        c_low, c_high, c_rules = interval(a, a.current)
        years = a.current.year - a.base.year
        rules = tuple(dict.fromkeys((*b_rules, *c_rules)))
        ends.append(("chained-low", cagr(float(b_high), float(c_low), years), rules))
        ends.append(("chained-high", cagr(float(b_low), float(c_high), years), rules))
    for code, rate, rules in ends:
        if rate is not None:
            out.append(Reading(code, (("period", a.current.period), ("value", rate),
                                      ("rules", rules)), judge(rate), rate))  # fmt: skip
    return out


def _relative_readings(a: Assessment, p: Point) -> list[Reading]:
    """A relative target's readings: its deciding value at each end of its interval, the
    benchmark's value of the same period at each end of its (each figure moved alone), and
    every other publisher's figure of the period, its own and the benchmark's (§13.3)."""
    t = a.target
    assert t.benchmark is not None
    g = next((g for g in a.growth_years if g.period == p.period), None)
    if g is None or g.benchmark is None or g.origin is None:
        return []
    bench, strict, final = g.benchmark, t.benchmark.relation is Relation.above, _final(a)
    rate = t.kind is Kind.growth

    def judge(value: Decimal, compared: Decimal) -> Status:
        return _relative_status(value, compared, a.direction, strict, final)

    out = [Reading("as-recorded", (("period", p.period), ("value", p.value)), a.computed_status,
                   p.value)]  # fmt: skip
    low, high, rules = interval(a, p)
    for code, v in (("low-end", low), ("high-end", high)):
        out.append(Reading(code, (("period", p.period), ("value", v), ("rules", rules)),
                           judge(v, bench), v))  # fmt: skip
    theirs = g.bench_origin
    if theirs is not None:
        known = any(o.period == p.period and o.estimate is Estimate.final
                    and _measure_of(t, o) is not None for o in a.benchmark_seen)  # fmt: skip
        grade = theirs.source.reliability
        b_low, b_high, b_rules = spread(bench, theirs.effective_bound, theirs.estimate, grade,
                                        rate or t.percent, known)  # fmt: skip
        for code, v in (("benchmark-low", b_low), ("benchmark-high", b_high)):
            out.append(Reading(code, (("period", p.period), ("value", v), ("rules", b_rules)),
                               judge(p.value, v), v))  # fmt: skip
    mine = [o for o in _own(a) if o.period == p.period and _measure_of(t, o) is not None]
    for o in _others(g.origin, mine, not rate):
        mv = _measure_of(t, o)
        assert mv is not None
        out.append(Reading("other-source", (("period", o.period), ("value", v),
                                            ("source", o.source.label())), judge(mv, bench),
                           mv))  # fmt: skip
    group = [o for o in a.benchmark_seen if o.period == p.period and _measure_of(t, o) is not None]
    for o in _others(theirs, group, not rate):
        bv = _measure_of(t, o)
        assert bv is not None
        out.append(Reading("benchmark-source", (("period", o.period), ("value", bv),
                                                ("source", o.source.label())),
                           judge(p.value, bv), bv))  # fmt: skip
    return out


def _cumulative_readings(a: Assessment, p: Point) -> list[Reading]:
    """A cumulative target's readings: the total with every figure at the low and at the high
    end of its interval (a stated total: its own interval), and every other publisher's stated
    total of the whole period (§13.5)."""
    t = a.target
    final = _final(a)
    o = p.origin
    stated = o is not None and o.period == p.period and p.period.kind is PeriodKind.years
    summed = [p] if stated else [q for q in a.series if q.period.start >= p.period.start
                                 and q.period.end <= p.period.end]  # fmt: skip
    years = 1 if stated else len(summed)
    if stated and t.start is not None and t.deadline is not None:
        years = t.deadline.year - t.start + 1
    spans = [interval(a, q) for q in summed]
    low = sum((s[0] for s in spans), Decimal(0))
    high = sum((s[1] for s in spans), Decimal(0))
    rules = tuple(dict.fromkeys(r for s in spans for r in s[2]))

    def judge(total: Decimal) -> tuple[Status, float | None]:
        return _cumulative_status(a, total, years, final)

    out = [Reading("as-recorded", (("period", p.period), ("value", p.value)), a.computed_status,
                   p.value, a.progress_ratio)]  # fmt: skip
    for code, v in (("low-end", low), ("high-end", high)):
        status, r = judge(v)
        out.append(Reading(code, (("period", p.period), ("value", v), ("rules", rules)), status,
                           v, r))  # fmt: skip
    if stated:
        group = [o for o in _own(a) if o.period == p.period and o.value is not None]
        for o in _others(p.origin, group, True):
            assert o.value is not None
            status, r = judge(o.value.value)
            out.append(Reading("other-source", (("period", o.period), ("value", o.value.value),
                                                ("source", o.source.label())), status,
                               o.value.value, r))  # fmt: skip
    return out


def _settle(a: Assessment) -> None:
    """``unresolved`` where the readings disagree on met or missed, or where the deadline has
    passed without a figure for it (the last trend is kept beside it, ``trend_status``)."""
    status = a.computed_status
    t = a.target
    seen = {r.status for r in a.readings}
    if _final(a) and {Status.met, Status.missed} <= seen:
        disagreeing = tuple(r for r in a.readings if r.status is not status)
        a.notes.append(note("unresolved", readings=len(disagreeing)))
        a.status = a.computed_status = Status.unresolved
        a.provisional = False
    elif _unfigured(a) and (reach := _out_of_reach(a)) is not None:
        a.notes = [n for n in a.notes if n.code not in ("deadline-passed", "overdue")]
        a.notes.append(reach)  # every reading, the most favourable too, falls short: missed
        a.readings = [replace(r, status=Status.missed) for r in a.readings]
        a.status = a.computed_status = Status.missed
        a.trend_to = a.trend_period = None
    elif _unfigured(a):
        assert t.deadline is not None
        latest = a.current.period if a.current is not None else None
        # the one statement of it: not also "final figure awaited" nor "overdue"
        a.notes = [n for n in a.notes if n.code not in ("deadline-passed", "overdue")]
        a.notes.append(note("no-final-figure", deadline=t.deadline, trend=status, latest=latest))
        a.trend_status = status
        a.status = a.computed_status = Status.unresolved


def _unfigured(a: Assessment) -> bool:
    """True when the deadline has passed without a figure for it and the verdict is a trend:
    the outcome is ``unresolved`` with the last trend beside it (note ``no-final-figure``)."""
    t = a.target
    return a.computed_status in PACE and t.deadline is not None and a.as_of > t.deadline.end


def robustness(a: Assessment) -> Confidence:
    """``high`` when no plausible reading changes the category; ``medium`` when some reach only
    a neighbouring one (on track ↔ acceleration needed); ``low`` otherwise (docs/method.md
    §12.3; ``unresolved`` is low before any reading is weighed)."""
    head = a.computed_status
    seen = {r.status for r in a.readings} | {alt.status for alt in a.sensitivity}
    seen.discard(Status.not_assessable)
    if seen <= {head}:
        return Confidence.high
    if head.value in TREND_ORDER and all(
        s.value in TREND_ORDER
        and abs(TREND_ORDER.index(s.value) - TREND_ORDER.index(head.value)) <= 1
        for s in seen
    ):
        return Confidence.medium
    return Confidence.low


def confidence(caveats: list[Note]) -> Confidence:
    """``low`` for base-sensitive, weak-source, inconsistent or mixed sources, a one-year window,
    a target met or missed within the figures' precision, or a passed deadline with an overdue
    figure;
    ``high`` with no caveat; ``medium`` otherwise."""
    codes = {c.code for c in caveats}
    one_year = any(c.code == "short-series" and c.get("years") <= 1 for c in caveats)
    # met or missed by less than the figures' precision: the figures cannot settle it
    unsettled = any(c.code == "near-threshold" and c.get("what") != "ratio" for c in caveats)
    if codes & LOW_ALONE or one_year or unsettled or {"deadline-passed", "overdue"} <= codes:
        return Confidence.low
    return Confidence.medium if codes else Confidence.high
