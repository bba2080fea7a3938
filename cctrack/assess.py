"""Progress assessment: pure functions from a target and its observations to a verdict.

The default method is the ratio of growth rates used by Eurostat's SDG monitoring and Open SDG::

    cagr_obs = (current / base) ** (1 / (t_current - t_base)) - 1
    cagr_req = (target  / base) ** (1 / (t_deadline - t_base)) - 1
    R        = sign(base) * d * cagr_obs / abs(cagr_req)      # d = +1 increase, -1 decrease

``linear`` compares the current value with a straight line from base to target instead.
Every input and intermediate number is kept on the :class:`Assessment` so ``show`` and JSON can
expose it. Choices where the spec is silent are documented on the function that makes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from cctrack.categories import fails as fails
from cctrack.model import Direction, Estimate, Kind, Observation, Override, Source, Status, Target
from cctrack.model import published_end as _published_end
from cctrack.period import Period, PeriodKind, parse_period
from cctrack.quantity import Bound
from cctrack.render.numbers import bound_mark, format_percent, humanize

ON_TRACK = 0.95
ACCELERATION = 0.60
ZERO = 0.001
ESTIMATE_RANK = {Estimate.final: 0, Estimate.preliminary: 1, Estimate.expected: 2}
METHODS = ("growth-ratio", "linear")


@dataclass(frozen=True, slots=True)
class Point:
    """One value in a series: observed directly or derived from a year-on-year change."""

    period: Period
    value: Decimal
    bound: Bound = Bound.exact
    estimate: Estimate = Estimate.final
    derived: bool = False
    source: Source | None = None
    how: str = ""
    origin: Observation | None = field(default=None, compare=False, repr=False)

    @property
    def year(self) -> int:
        """The whole period the value counts for."""
        return self.period.year

    def label(self, unit: str | None = None, lang: str = "en") -> str:
        """``≥ 316.5 bn yuan (2023)``."""
        return f"{bound_mark(self.bound)}{humanize(self.value, unit, lang)}"


@dataclass(slots=True)
class GrowthYear:
    """A growth target's verdict for one period."""

    period: Period
    change: Decimal
    met: bool | None  # None: partial period or outside the target's years (context)
    partial: bool


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
    partial: list[Observation] = field(default_factory=list)
    context: list[Observation] = field(default_factory=list)
    known: list[Observation] = field(default_factory=list)  # all visible at as_of, for `show`
    used: list[Observation] = field(default_factory=list)
    growth_years: list[GrowthYear] = field(default_factory=list)
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
    notes: list[str] = field(default_factory=list)

    @property
    def direction(self) -> int:
        """+1 for an increase target, -1 for a decrease target."""
        return 1 if self.target.direction is Direction.increase else -1


# --- selection -------------------------------------------------------------------------------


def visible(observations: list[Observation], as_of: date) -> list[Observation]:
    """Observations known at ``as_of``: the period has ended and the source was published.

    A source without a publication date is taken as known; a date given only as a year or month
    counts from the last day it could mean.
    """
    out = []
    for o in observations:
        published = _published_end(o.source.published)
        if o.period.end <= as_of and (published is None or published <= as_of):
            out.append(o)
    return out


def _rank(o: Observation) -> tuple[int, int]:
    published = _published_end(o.source.published) or date.min
    return (ESTIMATE_RANK[o.estimate], -published.toordinal())


def select(observations: list[Observation]) -> Observation:
    """The observation that counts among several for one period: final over preliminary over
    expected, then the most recently published."""
    return min(observations, key=_rank)


def _counts_as_point(target: Target, period: Period) -> bool:
    """Which periods make a point of the series.

    Annual: a full calendar year. Level: a value at the end of a year (a year, or a date, month,
    quarter or half ending 31 December); a mid-year level is shown as context, not used.
    """
    if target.kind is Kind.annual:
        return period.is_full_year
    return period.kind is not PeriodKind.years and (period.end.month, period.end.day) == (12, 31)


def _point(o: Observation, value: Decimal, derived: bool = False, how: str = "") -> Point:
    return Point(
        o.period if not derived else parse_period(str(int(o.period.year) - 1)),
        value, o.effective_bound, o.estimate, derived, o.source, how, o,
    )  # fmt: skip


def build_series(target: Target, observations: list[Observation]) -> tuple[list[Point], list[str]]:
    """The selected value per full period, plus values derived from year-on-year changes.

    A change at year Y next to a direct value at Y-1 gives Y = value * (1 + change); a value
    with its change at Y gives Y-1 = value / (1 + change). Derivation is one step from direct
    values only, and never replaces a direct value.
    """
    notes: list[str] = []
    by_year: dict[int, list[Observation]] = {}
    for o in observations:
        if _counts_as_point(target, o.period):
            by_year.setdefault(o.period.year, []).append(o)
    direct: dict[int, Point] = {}
    changes: dict[int, Observation] = {}
    for year, group in by_year.items():
        with_value = [o for o in group if o.value is not None]
        if with_value:
            chosen = select(with_value)
            assert chosen.value is not None
            direct[year] = _point(chosen, chosen.value.value)
        with_change = [o for o in group if o.change is not None]
        if with_change:
            changes[year] = select(with_change)
    derived: dict[int, Point] = {}
    for year, o in changes.items():
        assert o.change is not None
        factor = 1 + o.change
        if factor <= 0:
            continue
        if year - 1 in direct and year not in direct:
            prev = direct[year - 1]
            change = format_percent(o.change, digits=2)
            how = f"{prev.year} value {humanize(prev.value)} × (1 {change})"
            derived[year] = Point(
                o.period, prev.value * factor, prev.bound, o.estimate, True, o.source, how, o
            )
        if year in direct and year - 1 not in direct and year - 1 not in derived:
            cur = direct[year]
            how = f"{year} value {humanize(cur.value)} ÷ (1 {format_percent(o.change, digits=2)})"
            derived[year - 1] = _point(o, cur.value / factor, True, how)
    series = sorted([*direct.values(), *derived.values()], key=lambda p: p.year)
    if derived:
        years = ", ".join(str(p.year) for p in series if p.derived)
        notes.append(f"derived from year-on-year changes: {years}")
    return series, notes


# --- the maths -------------------------------------------------------------------------------


def cagr(start: float, end: float, years: int) -> float | None:
    """Compound annual growth rate; None when undefined (no years, or a non-positive ratio)."""
    if years <= 0 or start == 0 or end / start <= 0:
        return None
    return float((end / start) ** (1 / years) - 1)


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


def meets(point: Point, target: Decimal, direction: int) -> bool | None:
    """Whether a value meets the target: True, False, or None when its bound leaves it open."""
    reached = point.value >= target if direction > 0 else point.value <= target
    if reached:
        open_bound = Bound.at_most if direction > 0 else Bound.at_least
        return None if point.bound is open_bound else True
    open_bound = Bound.at_least if direction > 0 else Bound.at_most
    return None if point.bound is open_bound else False


def _nonzero(value: float, what: str, notes: list[str]) -> float:
    if value == 0:
        notes.append(f"{what} is 0: replaced by {ZERO} to compute growth rates")
        return ZERO
    return value


# --- assessment ------------------------------------------------------------------------------


def assess(
    target: Target, observations: list[Observation], as_of: date, method: str = "growth-ratio"
) -> Assessment:
    """Assess one target from all observations of it (any scope; context is set aside)."""
    a = Assessment(target, method, as_of, override=target.status_override)
    mine = [o for o in observations if o.target == target.id]
    known = a.known = visible(mine, as_of)
    hidden = len(mine) - len(known)
    if hidden:
        a.notes.append(f"{hidden} observation(s) after {as_of} ignored (--as-of)")
    own = [o for o in known if o.scope in (None, target.scope)]
    a.context = [o for o in known if o.scope not in (None, target.scope)]
    if a.context:
        a.notes.append(f"{len(a.context)} observation(s) of another scope shown as context only")
    if target.kind is Kind.growth:
        _assess_growth(a, own)
    else:
        _assess_trend(a, own)
    a.computed_status = a.status
    if a.override is not None:
        a.status = a.override.status
        a.notes.append(f"status set by hand: {a.override.reason}")
    return a


def _assess_trend(a: Assessment, own: list[Observation]) -> None:
    t = a.target
    a.partial = [o for o in own if not _counts_as_point(t, o.period)]
    if a.partial:
        latest = max(a.partial, key=lambda o: o.period.sort_key)
        shown = latest.value.value if latest.value is not None else None
        change = f" ({format_percent(latest.change)})" if latest.change is not None else ""
        a.notes.append(
            f"partial-period figure {latest.period}: {humanize(shown, t.unit)}{change}, not used"
        )
    if not own:
        a.status = Status.no_data
        return
    series, notes = build_series(t, own)
    a.series, a.notes = series, a.notes + notes
    base = _base(a)
    after = [p for p in series if base is None or p.year > base.year]
    a.base, a.current = base, (after[-1] if after else (series[-1] if series else None))
    if base is None and t.base_year is not None and series:
        a.notes.append(
            f"the current value ({series[-1].year}) is from before the base year "
            f"{t.base_year}: progress is current / target, with no trend"
        )
    window = [p for p in series if base is None or p.year >= base.year]
    a.used = list({id(p.origin): p.origin for p in window if p.origin is not None}.values())
    target_value = t.target.value
    if a.current is not None and a.current.year < a.as_of.year - 2:
        a.notes.append(f"stale: the latest full-period value is for {a.current.year}")
    if a.base is not None and a.current is not None and a.current is not a.base:
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
        return Point(b.period, b.value.value, b.value.bound, source=t.source, how="baseline")
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
        a.notes.append(f"{len(earlier)} value(s) before the base year {base_year} not used")
    if candidates[0].year != base_year:
        a.notes.append(f"no value for the base year {base_year}: base is {candidates[0].year}")
    return candidates[0]


def _measure(a: Assessment, base: float, current: float, target: float) -> None:
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
        a.notes.append("a negative value makes growth rates undefined")
        return
    b = _nonzero(base, "the base value", a.notes)
    c = _nonzero(current, "the current value", a.notes)
    g = _nonzero(target, "the target", a.notes)
    a.growth_observed = cagr(b, c, t_cur - t_base)
    a.growth_required = cagr(b, g, t_dead - t_base)
    if t_dead > t_cur:
        a.growth_needed = cagr(c, g, t_dead - t_cur)
        if a.growth_observed is not None:
            try:
                a.projected = c * (1 + a.growth_observed) ** (t_dead - t_cur)
            except OverflowError:
                a.notes.append("the projection is too large to compute")
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
            a.notes.append("no full-period value: only changes or partial-period figures")
        return Status.not_assessable
    if t.deadline is not None:
        final = next((p for p in a.series if p.year == t.deadline.year), None)
        if final is not None:
            verdict = meets(final, t.target.value, a.direction)
            if verdict is not None:
                return Status.met if verdict else Status.missed
            a.notes.append(f"the {final.year} value is a bound: it cannot settle met or missed")
    if meets(a.current, t.target.value, a.direction):
        return Status.achieved
    if t.deadline is None:
        a.notes.append("no deadline: progress is shown, with no on-track category")
        return Status.not_assessable
    if a.base is None or a.current is a.base:
        a.notes.append("fewer than two usable values")
        return Status.not_assessable
    if a.as_of > t.deadline.end:
        a.notes.append(f"deadline {t.deadline} has passed: final figure awaited")
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


def _assess_growth(a: Assessment, own: list[Observation]) -> None:
    """Growth targets: each year is met or missed on its own; the year in progress is judged by
    its latest year-to-date change. Years before ``start`` are context."""
    t, d = a.target, a.direction
    goal = t.target.value
    first = t.start if t.start is not None else (t.deadline.year if t.deadline else None)
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
        inside = first is None or o.period.year >= first
        partial = not o.period.is_full_year
        met = None if (partial or not inside) else (d * (o.change - goal) >= 0)
        a.growth_years.append(GrowthYear(o.period, o.change, met, partial))
        if inside:
            a.used.append(o)
    a.growth_years.sort(key=lambda g: g.period.sort_key)
    a.growth_required = float(goal)
    judged = [g for g in a.growth_years if first is None or g.period.year >= first]
    if not judged:
        a.notes.append("no change observed within the target's years")
        a.status = Status.no_data
        return
    latest = max(judged, key=lambda g: (g.period.end, not g.partial))  # a full year over its Q4
    a.growth_observed = float(latest.change)
    origin = next(o for o in a.used if o.period == latest.period)
    a.current = Point(
        latest.period, latest.change, estimate=origin.estimate, source=origin.source,
        how="year-on-year change", origin=origin,
    )  # fmt: skip
    final = next((g for g in judged if t.deadline and g.period.text == t.deadline.text), None)
    if final is not None:
        a.status = Status.met if final.met else Status.missed
    elif latest.partial:
        a.notes.append(f"year-to-date change for {latest.period}")
        a.status = (
            Status.on_track if d * (latest.change - goal) >= 0 else Status.acceleration_needed
        )
    else:
        a.status = Status.on_track if latest.met else Status.acceleration_needed
    if a.status not in (Status.met, Status.missed) and t.deadline and a.as_of > t.deadline.end:
        a.notes.append(f"deadline {t.deadline} has passed: final figure awaited")


def assess_all(
    targets: list[Target], observations: list[Observation], as_of: date, method: str
) -> list[Assessment]:
    """Assess every target, grouping observations once (linear in their number)."""
    by_target: dict[str, list[Observation]] = {}
    for o in observations:
        by_target.setdefault(o.target, []).append(o)
    return [assess(t, by_target.get(t.id, []), as_of, method) for t in targets]
