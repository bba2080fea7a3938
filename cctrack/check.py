"""The validation rules that span entries and files (docs/data-format.md lists them all).

Every rule is ``check_x(ds, today) -> Iterator[Problem]``, listed in :data:`RULES` and run by
:func:`check`. Field-level rules (types, required fields, quantities, periods) are applied while
modelling (see :mod:`cctrack.dataset`).
"""

from __future__ import annotations

import bisect
import operator
import re
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from cctrack.consistency import disagreement, jump, written_precision
from cctrack.dataset import Dataset, Entry, ObservationEntry, ReleaseEntry, TargetEntry
from cctrack.domain import (
    Estimate,
    Kind,
    Observation,
    PriceBasis,
    Source,
    Target,
    published_end,
    published_start,
)
from cctrack.location import TARGETS_FILE
from cctrack.period import FITS, Period, PeriodKind
from cctrack.problem import ERROR, INFO, WARNING, Problem, suggest
from cctrack.quantity import Bound, Quantity, units_agree, written, written_like
from cctrack.quotes import check_quote, listed
from cctrack.releases import GRACE_DAYS, latest_figure, schedule
from cctrack.series import Point, SeriesMemo
from cctrack.yaml_reader import Document, YMap, YSeq, locate

Rule = Callable[[Dataset, date], Iterator[Problem]]

# Members read once: reading an enum class's attribute (Kind.growth) costs several times a
# global's lookup, and the rules below ask for them once per entry.
_GROWTH, _FINAL, _FORECAST = Kind.growth, Estimate.final, Estimate.forecast
_YEAR, _REAL, _EXACT = PeriodKind.year, PriceBasis.real, Bound.exact
_ZERO, _MINUS_ONE = Decimal(0), Decimal(-1)
_TEN_THOUSAND, _MINUS_TEN_THOUSAND = Decimal(10**4), Decimal(-(10**4))


def _at(ds: Dataset, entry: Entry, severity: str, code: str, message: str, *loc: str) -> Problem:
    doc = ds.targets_doc if isinstance(entry, TargetEntry | ReleaseEntry) else ds.observations_doc
    line, col = entry.at(*loc)
    return Problem(doc.path, line, col, severity, code, message)


def _duplicate_ids(
    ds: Dataset, entries: Sequence[Any], what: str, first: dict[str, int]
) -> Iterator[Problem]:
    """``duplicate-id`` for each entry whose id an earlier one has; ``first`` collects the line
    where each id first stands."""
    for entry in entries:
        eid = entry.model.id
        if eid in first:
            msg = f"duplicate {what} id {eid!r} (first at line {first[eid]})"
            yield _at(ds, entry, ERROR, "duplicate-id", msg, "id")
        else:
            first[eid] = entry.at("id")[0]


def check_releases(ds: Dataset, today: date) -> Iterator[Problem]:
    """Release ids are unique, and a target names only releases the file lists."""
    first: dict[str, int] = {}
    yield from _duplicate_ids(ds, ds.releases, "release", first)
    ids = list(first)
    for entry in ds.targets:
        for i, rid in enumerate(entry.model.releases or ()):
            if rid not in first:
                msg = f"unknown release {rid!r}{suggest(rid, ids)} (the file's 'releases:' lists"
                msg += " " + (", ".join(ids) if ids else "none") + ")"
                line, col = locate(entry.node, ("releases", i))
                yield Problem(ds.targets_doc.path, line, col, ERROR, "unknown-release", msg)


def check_duplicate_ids(ds: Dataset, today: date) -> Iterator[Problem]:
    """Target ids are unique."""
    yield from _duplicate_ids(ds, ds.targets, "target", {})


def _quantity_problems(
    ds: Dataset, entry: Entry, q: Quantity, unit: str, percent_expected: bool, *loc: str
) -> Iterator[Problem]:
    if not units_agree(q.unit, unit):
        msg = f"unit {q.unit!r} does not match the target's unit {unit!r}"
        yield _at(ds, entry, ERROR, "unit-mismatch", msg, *loc)
    if percent_expected and not q.percent:
        msg = "a growth target is a percentage, e.g. '5.5%'"
        yield _at(ds, entry, ERROR, "percent-expected", msg, *loc)
    elif not percent_expected and q.percent:
        msg = f"a percentage is not a value in {unit!r}: put year-on-year changes in 'change'"
        yield _at(ds, entry, ERROR, "unexpected-percent", msg, *loc)
    elif not percent_expected and q.value < 0:
        msg = f"{q.value} is negative: an amount or count cannot be below zero"
        yield _at(ds, entry, ERROR, "value-negative", msg, *loc)


def _quantity_fine(q: Quantity, unit: str, percent_expected: bool) -> bool:
    """True when :func:`_quantity_problems` finds nothing (tested first: it is rarely not)."""
    if q.unit is not None and not units_agree(q.unit, unit):
        return False
    if q.percent:
        return percent_expected
    return not percent_expected and q.value >= _ZERO


def _share_problems(
    ds: Dataset, entry: Entry, values: list[Decimal | None], *loc: str
) -> Iterator[Problem]:
    """A share (a target in percent that is not a growth rate) lies between 0% and 100%."""
    for value in values:
        if value is not None and not 0 <= value <= 1:
            msg = f"{value * 100:f}% is not a share: a share lies between 0% and 100%"
            yield _at(ds, entry, ERROR, "invalid-percent", msg, *loc)
            return


def check_target_values(ds: Dataset, today: date) -> Iterator[Problem]:
    """Target quantities agree with the unit and kind; deadlines and starts make sense."""
    for entry in ds.targets:
        t = entry.model
        growth, level = t.kind is Kind.growth, t.kind is Kind.level
        share = t.percent and not growth
        yield from _quantity_problems(ds, entry, t.target, t.unit, growth or share, "target")
        if share and t.target.percent:
            yield from _share_problems(ds, entry, [t.target.value, t.range_high], "target")
        if t.baseline is not None:
            yield from _quantity_problems(
                ds, entry, t.baseline.value, t.unit, share, "baseline", "value"
            )
        yield from _kind_problems(ds, entry, t)
        if t.deadline is not None and t.deadline.kind not in {PeriodKind.year, PeriodKind.date}:
            msg = f"deadline {t.deadline} must be a year (or a date for a level target)"
            yield _at(ds, entry, ERROR, "period-kind-mismatch", msg, "deadline")
        elif t.deadline is not None and t.deadline.kind is PeriodKind.date and not level:
            msg = f"deadline {t.deadline} is a date: only a level target can have one"
            yield _at(ds, entry, ERROR, "period-kind-mismatch", msg, "deadline")
        if t.start is not None and t.deadline is not None and t.start > t.deadline.year:
            msg = f"start {t.start} is after the deadline {t.deadline}"
            yield _at(ds, entry, ERROR, "invalid-field", msg, "start")


def _kind_problems(ds: Dataset, entry: TargetEntry, t: Target) -> Iterator[Problem]:
    """The fields of the 15th plan's target kinds fit the target (docs/data-format.md §2.7)."""
    growth = t.kind is Kind.growth
    if t.average and not growth:
        msg = "'average: true' is for growth targets (an average annual growth rate)"
        yield _at(ds, entry, ERROR, "invalid-field", msg, "average")
    if t.average and t.base_year is None:
        msg = "an average growth target needs 'start' (its base year is start - 1)"
        yield _at(ds, entry, ERROR, "missing-field", msg, "average")
    if t.cumulative and (t.kind is not Kind.annual or t.deadline is None or t.start is None):
        msg = "'cumulative: true' is for annual targets with a start and a deadline"
        yield _at(ds, entry, ERROR, "invalid-field", msg, "cumulative")
    if t.benchmark is not None and t.benchmark.target is not None:
        ids = [e.model.id for e in ds.targets]
        if t.benchmark.target not in ids:
            msg = (
                f"unknown benchmark target {t.benchmark.target!r}{suggest(t.benchmark.target, ids)}"
            )
            yield _at(ds, entry, ERROR, "unknown-target", msg, "benchmark", "target")
        elif t.benchmark.target == t.id:
            msg = "a target cannot be its own benchmark"
            yield _at(ds, entry, ERROR, "invalid-field", msg, "benchmark", "target")
    if t.benchmark is not None and t.benchmark.scope == t.scope:
        msg = f"the benchmark scope {t.scope!r} is the target's own scope"
        yield _at(ds, entry, ERROR, "invalid-field", msg, "benchmark", "scope")
    if t.range_high is not None and t.cumulative:
        msg = "a cumulative target cannot be a range"
        yield _at(ds, entry, ERROR, "invalid-field", msg, "target")


def unreadable(doc: Document) -> bool:
    """True when a data file could not be read in full: missing, or with reading problems.

    Rules that draw conclusions from what a file does *not* hold (stale targets, passed
    deadlines, unknown targets) are then skipped: the reading problem is the one to report.
    """
    return not doc.exists or bool(doc.problems)


def _observations_read(ds: Dataset) -> bool:
    """True when observations.yaml was read in full and has the shape of an observations file."""
    doc = ds.observations_doc
    if unreadable(doc):
        return False
    if doc.root is None:
        return True
    return isinstance(doc.root, YMap) and isinstance(doc.root.get("observations"), YSeq | None)


def _written_targets(ds: Dataset) -> list[Any] | None:
    """Every item written under ``targets:``, valid or not; None when the file is unreadable
    or not of the shape of a targets file (its problem is then already reported)."""
    root = ds.targets_doc.root
    if root is None:  # empty (or only comments), or unreadable (then its problem is reported)
        return None if unreadable(ds.targets_doc) else []
    if not isinstance(root, YMap):  # not the shape of a targets file: wrong-type says so
        return None
    items = root.get("targets")
    if items is None:
        return []
    return items if isinstance(items, YSeq) else None


def _written_ids(ds: Dataset) -> set[str] | None:
    """Every id written in targets.yaml, valid entry or not; None when it could not be read.

    Observations of such targets are not 'unknown': the target's own errors say what is wrong.
    """
    items = _written_targets(ds)
    if items is None:
        return None
    return {i["id"] for i in items if isinstance(i, YMap) and isinstance(i.get("id"), str)}


def check_has_targets(ds: Dataset, today: date) -> Iterator[Problem]:
    """targets.yaml, when it can be read, holds at least one target."""
    if _written_targets(ds) == []:
        path = ds.targets_doc.path
        yield Problem(path, 1, 1, ERROR, "no-targets", f"{TARGETS_FILE} has no targets")


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def check_observations(ds: Dataset, today: date) -> Iterator[Problem]:
    """Observations name a known target, fit its kind and agree with its unit."""
    by_id = ds.targets_by_id()
    ids = list(by_id)
    items = _written_targets(ds)
    written = _written_ids(ds)
    # per target: the periods that fit its kind, whether it is in percent, and a share
    facts = {
        tid: (FITS[t.kind.value], t.percent, t.percent and t.kind is not _GROWTH, t.kind is _GROWTH)
        for tid, t in by_id.items()
    }
    for entry in ds.observations:
        o = entry.model
        t = by_id.get(o.target)
        if t is None and (not items or written is None or o.target in written):
            continue  # targets.yaml is unreadable or empty, or the target has errors of its own
        if t is None:
            msg = f"unknown target {o.target!r}{suggest(o.target, ids)}"
            yield _at(ds, entry, ERROR, "unknown-target", msg, "target")
            continue
        fits, percent, share, growth = facts[o.target]
        if o.period.kind not in fits:
            kind = t.kind.value
            msg = f"period {o.period} ({o.period.kind.value}) does not fit "
            msg += f"{_article(kind)} {kind} target"
            yield _at(ds, entry, ERROR, "period-kind-mismatch", msg, "period")
        if o.change_points and not percent:
            msg = (
                f"a change in percentage points fits a share (unit percent), not {t.unit!r}: "
                "write it in percent ('+1.2%')"
            )
            yield _at(ds, entry, ERROR, "invalid-percent", msg, "change")
        elif o.change is not None and not growth and o.change < _MINUS_ONE:
            msg = (
                f"a change below -100%: {_article(t.kind.value)} {t.kind.value} target cannot "
                "fall by more than 100% (a fall of 100% leaves nothing)"
            )
            yield _at(ds, entry, ERROR, "invalid-percent", msg, "change")
        value = o.value
        if value is not None:
            usual = value.unit is None and not value.percent and not share  # fine if not < 0
            if not (usual and value.value >= _ZERO) and not _quantity_fine(value, t.unit, share):
                yield from _quantity_problems(ds, entry, value, t.unit, share, "value")
            if share and value.percent:
                yield from _share_problems(ds, entry, [value.value], "value")
            if o.bound is not None and value.bound is not _EXACT and value.bound is not o.bound:
                msg = f"'bound: {o.bound.value}' contradicts the value's qualifier"
                yield _at(ds, entry, ERROR, "bound-conflict", msg, "bound")


def _conflict_advice(o: Observation) -> str:
    """How to settle a conflict between entries with this observation's estimate and date.

    The later publication wins among equal estimates, and a final figure over a preliminary
    one; a preliminary or expected figure has no standing below it that would be true.
    """
    ways = [] if o.source.published else ["give each its publication date"]
    if o.estimate is Estimate.final:
        ways.insert(0, "mark one preliminary")
    return f"{', '.join(ways)}, or keep one" if ways else "keep one"


def check_conflicts(ds: Dataset, today: date) -> Iterator[Problem]:
    """Warn when values of equal standing (same estimate, same publication) disagree. Looked
    for target by target (:func:`_places_by_target`): a table of every observation's standing
    at once was a large file's peak of memory."""
    observations = ds.observations
    scopes = {tid: t.scope for tid, t in ds.targets_by_id().items()}
    for tid, places in _shared(ds, _places_by_target).items():
        scope = scopes.get(tid)
        if scope is None:
            continue
        first: dict[tuple[object, ...], ObservationEntry] = {}  # the first of each standing
        groups: dict[tuple[object, ...], list[ObservationEntry]] = {}  # those with several
        for i in places:
            entry = observations[i]
            o = entry.model
            if o.value is None:
                continue
            key = (o.period.text, o.scope or scope, o.estimate, o.source.published)
            earlier = first.setdefault(key, entry)
            if earlier is not entry:  # one value conflicts with none: only repeats are grouped
                group = groups.get(key)
                if group is None:
                    groups[key] = [earlier, entry]
                else:
                    group.append(entry)
        for entries in groups.values():
            yield from _conflicting(ds, entries)


def _conflicting(ds: Dataset, entries: list[ObservationEntry]) -> Iterator[Problem]:
    """The warnings of entries of equal standing whose values differ."""
    seen: dict[Decimal, ObservationEntry] = {}  # the first entry of each value
    for entry in entries:
        value = entry.model.value
        assert value is not None
        if seen and value.value not in seen:
            other = next(iter(seen.values())).at()[0]
            msg = (
                f"{entry.model.target} {entry.model.period}: value {value.value} conflicts "
                f"with line {other} of equal standing; {_conflict_advice(entry.model)}"
            )
            yield _at(ds, entry, WARNING, "conflicting-values", msg, "value")
        seen.setdefault(value.value, entry)


def _places_by_target(ds: Dataset) -> dict[str, array[int]]:
    """Where each target's observations stand in the data set's list, in order: a packed array
    a target (four bytes an observation, not a list of entries)."""
    places: dict[str, array[int]] = {}
    for i, entry in enumerate(ds.observations):
        tid = entry.model.target
        found = places.get(tid)
        if found is None:
            found = places[tid] = array("I")
        found.append(i)
    return places


_UNSEEN: Any = object()  # a key not yet looked up (None is an answer)


def check_periods_ended(ds: Dataset, today: date) -> Iterator[Problem]:
    """Warn about observations for periods that have not ended."""
    ends: dict[str | None, date | None] = {}  # by publication date: sources repeat
    for entry in ds.observations:
        o = entry.model
        if o.estimate is _FORECAST:
            continue  # a forecast is marked as one: neither warning is for it
        end = o.period.end
        if end >= today:
            msg = (
                f"period {o.period} has not ended yet (it ends {o.period.end}): a figure for it "
                "is a forecast; mark it 'estimate: forecast'"
            )
            yield _at(ds, entry, WARNING, "period-not-ended", msg, "period")
            continue
        text = o.source.published
        published = ends.get(text, _UNSEEN)
        if published is _UNSEEN:
            published = ends[text] = published_end(text)
        if published is not None and published < end:
            msg = (
                f"published {o.source.published}, before the period {o.period} ended: a figure "
                "stated before its period ended is a forecast; mark it 'estimate: forecast'"
            )
            yield _at(ds, entry, WARNING, "forecast-unmarked", msg, "source")


def _usable(ds: Dataset) -> dict[str, list[ObservationEntry]]:
    """Observations in the target's own scope with a value (or, for growth, a change)."""
    by_id = ds.targets_by_id()
    out: dict[str, list[ObservationEntry]] = defaultdict(list)
    for entry in ds.observations:
        o = entry.model
        t = by_id.get(o.target)
        if t is None or (o.scope not in (None, t.scope)):
            continue
        if (o.change if t.kind is _GROWTH else o.value) is not None:
            out[o.target].append(entry)
    return out


def check_staleness(ds: Dataset, today: date) -> Iterator[Problem]:
    """Warn about figures a release should have brought by now (``overdue-release``, see
    :mod:`cctrack.releases`) and passed deadlines without a final figure.

    Not when observations.yaml could not be read: the figures may be there all the same.
    """
    if not _observations_read(ds):
        return
    releases = [r.model for r in ds.releases]
    by_target: dict[str, list[Observation]] = defaultdict(list)
    for oentry in ds.observations:
        o = oentry.model
        if o.period.end <= today:
            by_target[o.target].append(o)
    usable: dict[str, list[ObservationEntry]] | None = None  # made for a passed deadline
    for entry in ds.targets:
        t = entry.model
        _, late = schedule(t, releases, latest_figure(t, by_target[t.id]), today)
        passed = t.deadline is not None and t.deadline.end < today
        if passed:
            assert t.deadline is not None
            usable = _usable(ds) if usable is None else usable
            end = t.deadline.end
            passed = not any(
                e.model.estimate is _FINAL and e.model.period.end == end
                for e in usable.get(t.id, [])
            )
        # one missing final figure is one warning: an overdue deadline-year figure says both
        deadline_year = t.deadline.year if t.deadline is not None else None
        both = passed and late is not None and late.year == deadline_year
        if late is not None:
            name = late.release.name
            msg = (
                f"{t.id}: the {late.year} figure was due from {name!r} about {late.expected} "
                f"(grace {GRACE_DAYS} days) and is not in the data"
            )
            if both:
                msg += f"; its deadline {t.deadline} has passed without a final figure for it"
            yield _at(ds, entry, WARNING, "overdue-release", msg, "id")
        if passed and not both:
            msg = f"{t.id}: deadline {t.deadline} has passed without a final figure for it"
            yield _at(ds, entry, WARNING, "deadline-passed", msg, "deadline")


def _source_problem(ds: Dataset, entry: Entry, source: Source) -> Iterator[Problem]:
    missing = [name for name in ("url", "published") if getattr(source, name) is None]
    if missing:
        msg = f"source {source.label()!r} has no {' or '.join(missing)}"
        yield _at(ds, entry, WARNING, "source-incomplete", msg, "source")


def check_sources(ds: Dataset, today: date) -> Iterator[Problem]:
    """Warn about sources without a URL or a publication date."""
    for t in ds.targets:
        yield from _source_problem(ds, t, t.model.source)
    for o in ds.observations:
        source = o.model.source
        if source.url is None or source.published is None:
            yield from _source_problem(ds, o, source)


def _published_problem(ds: Dataset, entry: Entry, source: Source, today: date) -> Iterator[Problem]:
    first = published_start(source.published)  # 2026-11 is not after any day of November 2026
    if first is not None and first > today:
        msg = f"source {source.label()!r}: published {source.published} is after the as-of date"
        ignored = ", so this observation is ignored" if isinstance(entry, ObservationEntry) else ""
        msg += f" {today}{ignored} (a typo?)"
        yield _at(ds, entry, WARNING, "published-in-future", msg, "source", "published")


def check_published(ds: Dataset, today: date) -> Iterator[Problem]:
    """Warn about sources published after the as-of date: a typo, or a past --as-of (as of
    which the observation is not yet known, see ``assess.visible``)."""
    for t in ds.targets:
        yield from _published_problem(ds, t, t.model.source, today)
    later: dict[str | None, bool] = {}  # by publication date: sources repeat
    for o in ds.observations:
        text = o.model.source.published
        if text not in later:
            first = published_start(text)
            later[text] = first is not None and first > today
        if later[text]:
            yield from _published_problem(ds, o, o.model.source, today)


def check_price_basis(ds: Dataset, today: date) -> Iterator[Problem]:
    """Warn where a target's changes mix comparable prices (``price_basis: real``) with changes
    not so marked: a series of growth rates that measure different things."""
    by_target: dict[str, list[ObservationEntry]] = defaultdict(list)
    mixed: set[str] = set()  # the targets with a real change
    for entry in ds.observations:
        o = entry.model
        if o.change is not None:
            by_target[o.target].append(entry)
            if o.price_basis is _REAL:  # o.real_change
                mixed.add(o.target)
    for tid, entries in by_target.items():
        if tid not in mixed:
            continue
        real = [e for e in entries if e.model.real_change]
        other = [e for e in entries if not e.model.real_change]
        if real and other:
            first = real[0].at()[0]
            for entry in other:
                msg = (
                    f"{entry.model.target} {entry.model.period}: a change not marked "
                    f"'price_basis: real' beside real changes (line {first}); mark its basis"
                )
                yield _at(ds, entry, WARNING, "mixed-price-basis", msg, "change")


def check_milestones(ds: Dataset, today: date) -> Iterator[Problem]:
    """``milestone_of`` names another target, and following it never comes back (one error
    per target of a cycle, naming the cycle)."""
    nxt: dict[str, str | None] = {}
    for e in ds.targets:
        nxt.setdefault(e.model.id, e.model.milestone_of)
    ids = list(nxt)
    for entry in ds.targets:
        t = entry.model
        parent = t.milestone_of
        if parent is None:
            continue
        if parent not in nxt:
            msg = f"unknown plan target {parent!r} in milestone_of{suggest(parent, ids)}"
            yield _at(ds, entry, ERROR, "unknown-target", msg, "milestone_of")
            continue
        if parent == t.id:
            msg = "a target cannot be a milestone of itself"
            yield _at(ds, entry, ERROR, "invalid-field", msg, "milestone_of")
            continue
        chain, seen = [t.id], {t.id}
        step: str | None = parent
        while step is not None and step in nxt and step not in seen:
            chain.append(step)
            seen.add(step)
            step = nxt[step]
        if step == t.id:
            cycle = " → ".join([*chain, t.id])
            msg = f"milestone_of makes a cycle: {cycle}"
            yield _at(ds, entry, ERROR, "invalid-field", msg, "milestone_of")


RULES: tuple[Rule, ...] = (
    check_has_targets,
    check_duplicate_ids,
    check_releases,
    check_milestones,
    check_target_values,
    check_observations,
    check_conflicts,
    check_periods_ended,
    check_staleness,
    check_sources,
    check_published,
    check_price_basis,
)


@dataclass(slots=True)
class _Run:
    """What the rules of one :func:`check` of ``ds`` share: groupings made once, and the
    series (:class:`~cctrack.series.SeriesMemo`, which the assessment may share too)."""

    ds: Dataset
    memo: SeriesMemo
    made: dict[str, Any] = field(default_factory=dict)


_RUN: ContextVar[_Run | None] = ContextVar("cctrack_check_run", default=None)


def _shared(ds: Dataset, make: Callable[[Dataset], Any]) -> Any:
    """``make(ds)``, made once per :func:`check` of ``ds`` (each time for a rule run alone)."""
    run = _RUN.get()
    if run is None or run.ds is not ds:
        return make(ds)
    name = make.__name__
    if name not in run.made:
        run.made[name] = make(ds)
    return run.made[name]


def _memo(ds: Dataset) -> SeriesMemo:
    """The series of this :func:`check` of ``ds`` (a new memo for a rule run alone)."""
    run = _RUN.get()
    return run.memo if run is not None and run.ds is ds else SeriesMemo()


_PROBLEM_FIELDS = ("path", "line", "col", "severity", "code", "said")


def check(ds: Dataset, today: date, *, memo: SeriesMemo | None = None) -> list[Problem]:
    """All problems of a loaded dataset (reading, modelling and every rule), sorted. ``memo``:
    the run's series, to share with its assessment (:func:`cctrack.assess.assess_all`)."""
    problems = list(ds.problems)
    token = _RUN.set(_Run(ds, memo if memo is not None else SeriesMemo()))
    try:
        for rule in RULES:
            problems.extend(rule(ds, today))
    finally:
        _RUN.reset(token)
    return sorted_unique(problems)


def sorted_unique(problems: list[Problem]) -> list[Problem]:
    """``sorted(set(problems))``: by path, line, column, severity, code and message (the
    fields' order is Problem's own), each once. Sorted by one field at a time, from the last
    (the sort is stable), then repeats dropped: no tuple of its fields is made for each of a
    large file's hundred thousand warnings (they were a cold run's peak of memory)."""
    out = list(problems)
    for name in reversed(_PROBLEM_FIELDS):
        out.sort(key=operator.attrgetter(name))
    kept: list[Problem] = []
    last: Problem | None = None
    for p in out:
        if last is None or not (
            p.said == last.said and p.line == last.line and p.col == last.col
            and p.code == last.code and p.path == last.path and p.severity == last.severity
        ):  # fmt: skip
            kept.append(p)
            last = p
    return kept


# --- plausibility (docs/data-format.md §9.2) ----------------------------------------------------

_SCALE_WORD = re.compile(r"[万亿千百kKmMbBtT]|thousand|million|billion|trillion", re.I)


def _as_written(entry: ObservationEntry) -> str:
    """The value as it is written in the file."""
    raw = entry.raw("value")
    return raw if isinstance(raw, str) else written(raw)


def _pct(x: Decimal) -> str:
    return f"{x * 100:+.1f}%"


def _change_shown(o: Observation) -> str:
    """A change for a message: ``+6.5%``, or ``+1.2 points`` for one in percentage points."""
    c = o.change if o.change is not None else Decimal(0)
    return f"{c * 100:+.1f} points" if o.change_points else _pct(c)


def _own_series(ds: Dataset) -> dict[tuple[str, str], list[ObservationEntry]]:
    """Observations with a value or a change, by target and scope, for targets that exist."""
    by_id = ds.targets_by_id()
    out: dict[tuple[str, str], list[ObservationEntry]] = defaultdict(list)
    # the key of each (target, scope, measure) written, made once: most entries share a few
    keys: dict[tuple[str, str | None, str | None], tuple[str, str] | None] = {}
    for entry in ds.observations:
        o = entry.model
        if o.estimate is _FORECAST:
            continue
        written_as = (o.target, o.scope, o.measure)
        key = keys.get(written_as, _UNSEEN)
        if key is _UNSEEN:
            key = keys[written_as] = _series_key(by_id.get(o.target), o.scope, o.measure)
        if key is not None:
            out[key].append(entry)
    return out


def _series_key(t: Target | None, scope: str | None, measure: str | None) -> tuple[str, str] | None:
    """The key of :func:`_own_series` for an observation of ``t`` with this scope and measure;
    None when it belongs to no series (no such target, or a growth target)."""
    if t is None or t.kind is _GROWTH:
        return None
    measure = measure if t.measure is not None and measure is not None else t.measure
    return (t.id, f"{scope or t.scope}\x00{measure or ''}")


_MODEL = operator.attrgetter("model")


def _stated_changes(models: list[Observation]) -> list[int]:
    """The indices of the observations that state a full year's change at current prices: those
    :func:`check_changes` weighs."""
    return [
        i
        for i, o in enumerate(models)
        if o.change is not None and o.period.kind is _YEAR and o.price_basis is not _REAL
    ]


def check_changes(ds: Dataset, today: date) -> Iterator[Problem]:
    """Warn where a stated change disagrees with the two values it connects, beyond the
    precision of the figures as written (``inconsistent-change``): once for one change stated
    by several entries (the first names the others), never for a preliminary that a final of
    its period with a change supersedes (:func:`_final_changes`)."""

    by_id = ds.targets_by_id()
    memo = _memo(ds)
    for (tid, _), entries in _shared(ds, _own_series).items():
        models = list(map(_MODEL, entries))
        stated = _stated_changes(models)
        if not stated:
            continue  # no change to weigh: the series is not needed
        t = by_id[tid]
        entry_of = dict(zip(map(id, models), entries, strict=True))
        series = {p.year: p for p in memo.series(t, models)}
        finals: set[Period] | None = None  # made when a preliminary needs it
        levels = _Levels(series, entry_of)
        found: dict[tuple[Any, ...], list[tuple[ObservationEntry, str]]] = {}
        repeated: dict[tuple[Any, ...], list[ObservationEntry]] = defaultdict(list)
        for i in stated:
            entry, o = entries[i], models[i]
            change = o.change
            assert change is not None
            year = o.period.end.year
            before, after = series.get(year - 1), series.get(year)
            if before is None or after is None:
                continue
            if (before.derived and before.origin is o) or (after.derived and after.origin is o):
                continue
            said = (year, change, o.change_points)
            mate = after.origin if after.origin is not o else None  # the year's level's entry
            if mate is not None and (mate.change == change and mate.price_basis is not _REAL):
                repeated[said].append(entry)  # the same change on the year's own entry
                continue
            if o.estimate in _SUPERSEDED:
                if finals is None:  # as _final_changes(entries): only full years are asked
                    finals = _final_changes([entries[j] for j in stated])
                if o.period in finals:
                    continue  # a final states the year's change: the year is checked there
            if _revises(before, o):
                continue  # the level before is another estimate's: a revision, not a warning
            if mate is not None and mate.estimate != o.estimate and o.value is not None:
                # a preliminary's change against its own level, not against the final's
                after = replace(after, value=o.value.value, bound=o.effective_bound, origin=o)
            precision = (levels.precision(before), levels.precision(after))
            gap = disagreement(before.value, after.value, change, before.bound, after.bound,
                               precision)  # fmt: skip
            if gap is None:
                continue
            hint = ""
            if after.origin is o and _new_basis(gap.stated, gap.implied):
                hint = (
                    "; if the basis changed (口径, such as above-size industry each year), mark "
                    "this entry 'break: true'"
                )
            was, now = levels.shown(before), levels.shown(after)
            msg = (
                f"{o.target} {o.period} {_pct(change)} disagrees with {was} → {now}: that is "
                f"{_pct(gap.implied)} (tolerance ± "
                f"{gap.tolerance * 100:.2f} points for the figures as written){hint}"
            )
            found.setdefault((*said, before.value, after.value), []).append((entry, msg))
        for key, warned in found.items():
            (entry, msg), others = warned[0], [e for e, _ in warned[1:]] + repeated[key[:3]]
            lines = sorted({e.at()[0] for e in others})
            if lines:
                shown = ", ".join(str(n) for n in lines)
                msg += f"; the same change is stated on line{'s' if len(lines) > 1 else ''} {shown}"
            yield _at(ds, entry, WARNING, "inconsistent-change", msg, "change")


_SUPERSEDED = frozenset({Estimate.preliminary, Estimate.expected})


class _Levels:
    """The precision and the words of each level of one series, each found once: a level is
    "after" for one change and "before" for the next. A point that is not the series' own (one
    made anew for a preliminary's level) is not kept: its identity may be reused."""

    __slots__ = ("_entry_of", "_precise", "_series", "_shown")

    def __init__(self, series: dict[int, Point], entry_of: dict[int, ObservationEntry]) -> None:
        self._series, self._entry_of = series, entry_of
        self._precise: dict[int, Decimal | None] = {}
        self._shown: dict[int, str] = {}

    def precision(self, p: Point) -> Decimal | None:
        """:func:`_precision` of a level."""
        if self._series.get(p.year) is not p:
            return _precision(p, self._entry_of)
        if id(p) not in self._precise:
            self._precise[id(p)] = _precision(p, self._entry_of)
        return self._precise[id(p)]

    def shown(self, p: Point) -> str:
        """:func:`_point_shown` of a level."""
        if self._series.get(p.year) is not p:
            return _point_shown(p, self._entry_of)
        if id(p) not in self._shown:
            self._shown[id(p)] = _point_shown(p, self._entry_of)
        return self._shown[id(p)]


def _final_changes(entries: list[ObservationEntry]) -> set[Period]:
    """The periods of a series of which a final figure states the year's change: a preliminary
    or expected figure of such a period is superseded (the year is checked on the final, so
    the superseded entry does not repeat its warning). The publisher may differ: the speech as
    a news service reprinted it, superseded by the report the government posted."""
    return {
        e.model.period
        for e in entries
        if e.model.change is not None
        and e.model.estimate is _FINAL
        and e.model.price_basis is not _REAL
    }


def _precision(p: Point, entry_of: dict[int, ObservationEntry]) -> Decimal | None:
    """The precision of a stated level as its line writes it (46万: ± 5,000); None for a
    derived level or a baseline (then the value's own, :func:`value_precision`)."""
    entry = entry_of.get(id(p.origin))
    if p.derived or entry is None or entry.model.value is None:
        return None
    if entry.model.value.value != p.value:
        return None
    return written_precision(_as_written(entry), p.value)


BREAK_GAP = Decimal("0.10")  # 10 points between a stated change and the levels': a new basis


def _new_basis(stated: Decimal, implied: Decimal) -> bool:
    """Whether a change and the levels it connects disagree as a new basis (口径) makes them:
    in direction (+8.9% stated, -5.4% implied) or by :data:`BREAK_GAP` or more. A smaller gap
    is a rounding, a revision or a bound, which ``break: true`` would not explain."""
    return (stated > 0) != (implied > 0) or abs(stated - implied) >= BREAK_GAP


def _revises(before: Point, o: Observation) -> bool:
    """Whether the level before is derived from another entry of ``o``'s year with another
    estimate (a final beside ``o``'s preliminary): then ``o`` states that year's change as
    another estimate, a revision, not a disagreement with the levels."""
    mate = before.origin
    if not before.derived or mate is None or mate is o:
        return False
    return mate.period.year == o.period.year and mate.estimate != o.estimate


def _point_shown(p: Point, entry_of: dict[int, ObservationEntry]) -> str:
    """``75 billion yuan (2023, line 31)``: a value as written, or as derived, for a message. A
    derived level is written as its line writes its value (:func:`written_like`): ``6907.62亿元``
    beside ``7522.4亿元``, ``242.08 billion yuan`` beside ``302.6 billion yuan``."""
    entry = entry_of.get(id(p.origin))
    if p.derived or entry is None:
        mark = {Bound.at_least: "≥ ", Bound.at_most: "≤ "}.get(p.bound, "")
        shown = written_like(p.value, _as_written(entry) if entry is not None else "")
        where = f", derived from line {entry.at()[0]}" if entry is not None else ""
        return f"{mark}{shown} ({p.period}{where})"
    return f"{_as_written(entry)} ({p.period}, line {entry.at()[0]})"


def check_jumps(ds: Dataset, today: date) -> Iterator[Problem]:
    """Warn about a value 10 times larger or smaller than the nearest full-period value of the
    same target and scope and than the target itself (or than the target alone when there is no
    other value): ``implausible-jump``. Both tests must fail, so that of two values the one that
    is off is named, not its good neighbour."""
    by_id = ds.targets_by_id()
    for (tid, _), entries in _shared(ds, _own_series).items():
        t = by_id[tid]
        valued = [e for e in entries if e.model.value is not None]  # neither test weighs others
        texts = [e.model.period.text for e in valued]
        by_period: dict[str, list[ObservationEntry]] = {}
        if len(set(texts)) < len(texts):  # some period has several values: siblings to weigh
            for e, text in zip(valued, texts, strict=True):
                by_period.setdefault(text, []).append(e)
        full = [e for e in valued if e.model.period.kind is _YEAR]  # in the order of the file
        nearest = sorted(full, key=_year_of)  # the same, by year (for the nearest value)
        for entry in full:
            problem = jump_problem(ds, entry, t, nearest)
            if problem is None and len(by_period.get(entry.model.period.text, ())) > 1:
                problem = _sibling_jump(ds, entry, t, by_period)
            if problem is not None:
                yield problem
        for group in by_period.values():
            if len(group) < 2:
                continue  # no sibling
            for entry in group:
                if entry.model.period.kind is not _YEAR:  # a full year's is weighed above
                    problem = _sibling_jump(ds, entry, t, by_period)
                    if problem is not None:
                        yield problem


def _year_of(entry: ObservationEntry) -> int:
    return entry.model.period.year


def _sibling_jump(
    ds: Dataset, entry: ObservationEntry, t: Target, by_period: dict[str, list[ObservationEntry]]
) -> Problem | None:
    """``implausible-jump`` for a value 10 times larger or smaller than another entry's value of
    the same target, scope, measure and period (a lost 万 or 亿 beside the right figure). Of the
    two, only the one further from the target is named (both when the target cannot tell: a
    value of another scope, or the two equally far)."""
    o = entry.model
    if o.value is None:
        return None
    own_scope = o.scope is None or o.scope == t.scope
    for other in by_period.get(o.period.text, []):
        assert other.model.value is not None
        factor = None if other is entry else jump(o.value.value, other.model.value.value)
        if factor is None:
            continue
        if own_scope and _off(other.model.value.value, t) > _off(o.value.value, t):
            continue  # the other is the one that is off: it is named, not this one
        times = f"{factor:.0f} times" if factor >= 1 else f"1/{1 / factor:.0f} of"
        msg = (
            f"{o.target} {o.period}: {_as_written(entry)} is {times} "
            f"{_as_written(other)} of the same period (line {other.at()[0]}); is a scale "
            "word or unit missing?"
        )
        return _at(ds, entry, WARNING, "implausible-jump", msg, "value")
    return None


def _off(value: Decimal, t: Target) -> Decimal:
    """How many times ``value`` is off the target, larger or smaller (1 when equal)."""
    goal = t.target.value
    if value <= 0 or goal <= 0:
        return Decimal(1)
    return max(value / goal, goal / value)


def _nearest(entry: ObservationEntry, full: list[ObservationEntry]) -> ObservationEntry | None:
    """The full-period value nearest in time to ``entry`` (the later entry of two), found by
    bisection in ``full`` sorted by year: linear overall, even for a long series."""
    year = entry.model.period.year
    at = bisect.bisect_left(full, year, key=_year_of)
    candidates = [e for e in full[max(0, at - 2) : at + 2] if e is not entry]
    same = [e for e in full[at : at + 3] if e.model.period.year == year and e is not entry]
    pool = same or candidates
    if not pool:
        return None
    return min(pool, key=lambda e: (abs(e.model.period.year - year), -e.at()[0]))


def jump_problem(
    ds: Dataset, entry: ObservationEntry, t: Target, full: list[ObservationEntry]
) -> Problem | None:
    """``implausible-jump`` for one entry against its nearest neighbour and the target."""
    o = entry.model
    if o.value is None or not o.period.is_full_year:
        return None
    # the target measures its own scope: a figure of another scope (a province beside a city)
    # is compared with its own scope's values only
    own_scope = o.scope is None or o.scope == t.scope
    off_target = jump(o.value.value, t.target.value) if own_scope else None
    if own_scope and off_target is None:
        return None
    near = _nearest(entry, full)
    if near is not None:
        assert near.model.value is not None
        factor = jump(o.value.value, near.model.value.value)
    else:
        factor = off_target
    if factor is None:
        return None
    if near is not None:
        what = f"{_as_written(near)} ({near.model.period}, line {near.at()[0]})"
    else:
        what = f"the target {written(t.target.value)} {t.unit}"
    times = f"{factor:.0f} times" if factor >= 1 else f"1/{1 / factor:.0f} of"
    number = f"{o.value.value.normalize():,f}"
    msg = (
        f"{o.target} {o.period}: {_as_written(entry)} is {times} {what}; is a scale word or unit "
        f"missing, or is it another measure? {_as_written(entry)!r} is read as {number} {t.unit}"
    )
    return _at(ds, entry, WARNING, "implausible-jump", msg, "value")


def bare_rate(t: Target, o: Observation) -> bool:
    """Whether ``o``'s value is a rate written as a value: a number under 100 with neither ``%``
    nor a unit on a growth target ("4.9" read as 4.9 yuan, where "+4.9%" was meant)."""
    v = o.value
    small = v is not None and not v.percent and v.unit is None and abs(v.value) < 100
    return t.kind is Kind.growth and small


def check_bare_numbers(ds: Dataset, today: date) -> Iterator[Problem]:
    """Warn about a short number with no unit or scale word on a target in the millions or more:
    "300" on a target of 360 billion yuan is read as 300 yuan, and a lost "billion" or "亿"
    is the likely story (``bare-number``). Numbers of five digits or more are not ambiguous.
    On a growth target, a rate written as a value (:func:`bare_rate`), which ``add-observation``
    refuses."""
    by_id = ds.targets_by_id()
    growth = {tid for tid, t in by_id.items() if t.kind is _GROWTH}
    large = {tid for tid, t in by_id.items() if tid not in growth and t.target.value >= 10**6}
    for entry in ds.observations:
        o = entry.model
        q = o.value
        if q is None:
            continue  # no value
        if o.target in large:
            if q.value >= _TEN_THOUSAND or q.value <= _MINUS_TEN_THOUSAND:
                continue  # five digits or more (abs(value) >= 10**4): not ambiguous
            raw = entry.raw("value")
            if isinstance(raw, str) and (_SCALE_WORD.search(raw) or q.unit is not None):
                continue
            t = by_id[o.target]
            number = f"{q.value.normalize():f}"
            msg = (
                f"{o.target} {o.period}: {_as_written(entry)!r} has no unit or scale word and is "
                f"read as {number} {t.unit} on a target of {written(t.target.value)} {t.unit}; "
                f"write '{number} {t.unit}' if that is meant, else add the scale ('{number} "
                f"billion', '{number}亿')"
            )
            yield _at(ds, entry, WARNING, "bare-number", msg, "value")
        elif o.target in growth:  # else a target whose values no short number can mistake
            t = by_id[o.target]
            if bare_rate(t, o):
                number = f"{q.value.normalize():f}"
                msg = (
                    f"{o.target} {o.period}: {_as_written(entry)!r} on a growth target is read as "
                    f"{number} {t.unit}, not a rate; a rate goes in 'change' ('+{number}%')"
                )
                yield _at(ds, entry, WARNING, "bare-number", msg, "value")


def check_after_deadline(ds: Dataset, today: date) -> Iterator[Problem]:
    """Warn about an observation of a period after its target's deadline: context, never used
    for the verdict (``after-deadline``)."""
    by_id = ds.targets_by_id()
    ends = {tid: t.deadline.end for tid, t in by_id.items() if t.deadline is not None}
    for entry in ds.observations:
        o = entry.model
        end = ends.get(o.target)
        if end is None or o.period.start <= end:
            continue
        t = by_id[o.target]
        msg = (
            f"{o.target} {o.period} is after the target's deadline {t.deadline}: shown as "
            "context, never used for the verdict (another target's figure?)"
        )
        yield _at(ds, entry, WARNING, "after-deadline", msg, "period")


# --- quotes (docs/data-format.md §11) -------------------------------------------------------------


def _quote_problems(
    ds: Dataset, entry: Entry, quote: str, value: Decimal | None, change: Decimal | None,
    bound: Bound, approx: bool, points: bool, what: str,
) -> Iterator[Problem]:  # fmt: skip
    found = check_quote(quote, value, change, bound, approx, points)
    if found.mismatch is not None:
        stated = {"value": "the value", "change": "the change", "pair": "the value and change"}
        msg = (
            f"{what}: {stated[found.mismatch]} recorded is not what the quote says"
            + (
                " (it pairs the figures 'respectively' in order)"
                if found.mismatch == "pair"
                else ""
            )
            + f"; the quote states {listed(quote)}"
        )
        yield _at(ds, entry, WARNING, "quote-mismatch", msg, "quote")
    elif found.bound is not None:
        recorded = {Bound.at_least: "at least", Bound.at_most: "at most"}.get(bound, "exact")
        recorded = "approximate" if approx and bound is Bound.exact else recorded
        msg = (
            f"{what}: the quote says {found.bound!r}, the entry records the value as {recorded}: "
            "set 'bound' (or 'about') to match the source"
        )
        yield _at(ds, entry, WARNING, "quote-bound-mismatch", msg, "quote")


def unquoted(ds: Dataset) -> list[Problem]:
    """Entries without a quote (and not ``stated: false``), listed by ``validate --strict``
    (``quote-missing``, an "info" finding: not a warning of ``validate`` without it)."""
    out = [_at(ds, e, INFO, "quote-missing", f"target {e.model.id} has no quote", "id")
           for e in ds.targets if e.model.quote is None]  # fmt: skip
    for e in ds.observations:
        if e.model.quote is None and e.model.stated:
            msg = f"{e.model.target} {e.model.period} has no quote"
            out.append(_at(ds, e, INFO, "quote-missing", msg, "target"))
    return out


def check_quotes(ds: Dataset, today: date) -> Iterator[Problem]:
    """Each quote states the figure recorded beside it (``quote-mismatch``), qualified the same
    way (``quote-bound-mismatch``); a relative target's quote (a benchmark's) is not checked."""
    by_id = ds.targets_by_id()
    for tentry in ds.targets:
        target = tentry.model
        what = f"target {target.id}"
        if target.quote is None or target.benchmark is not None:
            continue  # a relative target ("above the national average") states no number
        if target.multiple is not None:  # "翻一番": the quote states the multiple, as a change
            yield from _quote_problems(ds, tentry, target.quote, None, target.multiple - 1,
                                       Bound.exact, False, False, what)  # fmt: skip
            continue
        rate = target.kind is Kind.growth or target.percent
        goal = target.target
        yield from _quote_problems(ds, tentry, target.quote, None if rate else goal.value,
                                   goal.value if rate else None, goal.bound, goal.approx, False,
                                   what)  # fmt: skip
    for entry in ds.observations:
        o = entry.model
        if not o.stated or o.quote is None:
            continue
        t = by_id.get(o.target)
        what = f"{o.target} {o.period}"
        share = t is not None and t.percent
        value = o.value.value if o.value is not None and not share else None
        change = o.change
        if share and o.value is not None and o.change is None:
            change = o.value.value
        approx = o.value.approx if o.value is not None else False
        if share and o.value is not None and o.change is not None:  # the share is a % too
            yield from _quote_problems(ds, entry, o.quote, None, o.value.value,
                                       o.effective_bound, approx, False, what)  # fmt: skip
        yield from _quote_problems(ds, entry, o.quote, value, change, o.effective_bound, approx,
                                   o.change_points, what)  # fmt: skip


def check_change_qualifiers(ds: Dataset, today: date) -> Iterator[Problem]:
    """Warn where a change carries a qualifier (``over 5%``, ``24%以上``, ``约5%``): a change is
    used as the figure it states, so the qualifier is not used (``change-qualifier``)."""
    for entry in ds.observations:
        o = entry.model
        if o.change is None or not o.change_qualified:
            continue
        msg = (
            f"{o.target} {o.period}: change {entry.raw('change')!r} is used as "
            f"{_change_shown(o)}; a change has no bound, so its qualifier is not used (keep the "
            "words in 'quote', or put the bound on the value)"
        )
        yield _at(ds, entry, WARNING, "change-qualifier", msg, "change")


PLAUSIBILITY: tuple[Rule, ...] = (
    check_changes, check_jumps, check_bare_numbers, check_after_deadline, check_quotes,
    check_change_qualifiers,
)  # fmt: skip
RULES = RULES + PLAUSIBILITY
