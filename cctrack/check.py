"""The validation rules of DESIGN §5 that span entries and files.

Every rule is ``check_x(ds, today) -> Iterator[Problem]``, listed in :data:`RULES` and run by
:func:`check`. Field-level rules (types, required fields, quantities, periods) are applied while
modelling (see :mod:`cctrack.dataset`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from cctrack.dataset import Dataset, Entry, ObservationEntry, TargetEntry, load_dataset
from cctrack.location import TARGETS_FILE
from cctrack.model import Estimate, Kind, Observation, Source, published_start
from cctrack.period import FITS, PeriodKind
from cctrack.problem import ERROR, WARNING, Problem, suggest
from cctrack.quantity import Bound, Quantity, units_agree
from cctrack.yaml_reader import Document, YMap, YSeq

Rule = Callable[[Dataset, date], Iterator[Problem]]


def _at(ds: Dataset, entry: Entry, severity: str, code: str, message: str, *loc: str) -> Problem:
    doc = ds.targets_doc if isinstance(entry, TargetEntry) else ds.observations_doc
    line, col = entry.at(*loc)
    return Problem(doc.path, line, col, severity, code, message)


def check_duplicate_ids(ds: Dataset, today: date) -> Iterator[Problem]:
    """Target ids are unique."""
    first: dict[str, int] = {}
    for entry in ds.targets:
        tid = entry.model.id
        if tid in first:
            msg = f"duplicate target id {tid!r} (first at line {first[tid]})"
            yield _at(ds, entry, ERROR, "duplicate-id", msg, "id")
        else:
            first[tid] = entry.at("id")[0]


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


def check_target_values(ds: Dataset, today: date) -> Iterator[Problem]:
    """Target quantities agree with the unit and kind; deadlines and starts make sense."""
    for entry in ds.targets:
        t = entry.model
        growth, level = t.kind is Kind.growth, t.kind is Kind.level
        yield from _quantity_problems(ds, entry, t.target, t.unit, growth, "target")
        if t.baseline is not None:
            yield from _quantity_problems(
                ds, entry, t.baseline.value, t.unit, False, "baseline", "value"
            )
        if t.deadline is not None and t.deadline.kind not in {PeriodKind.year, PeriodKind.date}:
            msg = f"deadline {t.deadline} must be a year (or a date for a level target)"
            yield _at(ds, entry, ERROR, "period-kind-mismatch", msg, "deadline")
        elif t.deadline is not None and t.deadline.kind is PeriodKind.date and not level:
            msg = f"deadline {t.deadline} is a date: only a level target can have one"
            yield _at(ds, entry, ERROR, "period-kind-mismatch", msg, "deadline")
        if t.start is not None and t.deadline is not None and t.start > t.deadline.year:
            msg = f"start {t.start} is after the deadline {t.deadline}"
            yield _at(ds, entry, ERROR, "invalid-field", msg, "start")


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
    for entry in ds.observations:
        o = entry.model
        t = by_id.get(o.target)
        if t is None and (not items or written is None or o.target in written):
            continue  # targets.yaml is unreadable or empty, or the target has errors of its own
        if t is None:
            msg = f"unknown target {o.target!r}{suggest(o.target, ids)}"
            yield _at(ds, entry, ERROR, "unknown-target", msg, "target")
            continue
        if o.period.kind not in FITS[t.kind.value]:
            kind = t.kind.value
            msg = f"period {o.period} ({o.period.kind.value}) does not fit "
            msg += f"{_article(kind)} {kind} target"
            yield _at(ds, entry, ERROR, "period-kind-mismatch", msg, "period")
        if o.value is not None:
            yield from _quantity_problems(ds, entry, o.value, t.unit, False, "value")
            if o.bound is not None and o.value.bound not in {Bound.exact, o.bound}:
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
    """Warn when values of equal standing (same estimate, same publication) disagree."""
    groups: dict[tuple[object, ...], list[ObservationEntry]] = defaultdict(list)
    by_id = ds.targets_by_id()
    for entry in ds.observations:
        o = entry.model
        t = by_id.get(o.target)
        if t is None or o.value is None:
            continue
        key = (o.target, o.period.text, o.scope or t.scope, o.estimate, o.source.published)
        groups[key].append(entry)
    for entries in groups.values():
        seen: dict[Decimal, int] = {}
        for entry in entries:
            value = entry.model.value
            assert value is not None
            if seen and value.value not in seen:
                other = next(iter(seen.values()))
                msg = (
                    f"{entry.model.target} {entry.model.period}: value {value.value} conflicts "
                    f"with line {other} of equal standing; {_conflict_advice(entry.model)}"
                )
                yield _at(ds, entry, WARNING, "conflicting-values", msg, "value")
            seen.setdefault(value.value, entry.at()[0])


def check_periods_ended(ds: Dataset, today: date) -> Iterator[Problem]:
    """Warn about observations for periods that have not ended."""
    for entry in ds.observations:
        o = entry.model
        if o.period.end >= today and o.estimate is not Estimate.expected:
            msg = f"period {o.period} has not ended yet (it ends {o.period.end}); is it 'expected'?"
            yield _at(ds, entry, WARNING, "period-not-ended", msg, "period")


def _usable(ds: Dataset) -> dict[str, list[ObservationEntry]]:
    """Observations in the target's own scope with a value (or, for growth, a change)."""
    by_id = ds.targets_by_id()
    out: dict[str, list[ObservationEntry]] = defaultdict(list)
    for entry in ds.observations:
        o = entry.model
        t = by_id.get(o.target)
        if t is None or (o.scope not in (None, t.scope)):
            continue
        if (o.change if t.kind is Kind.growth else o.value) is not None:
            out[o.target].append(entry)
    return out


def check_staleness(ds: Dataset, today: date) -> Iterator[Problem]:
    """Warn about stale targets and passed deadlines without a final figure.

    Not when observations.yaml could not be read: the figures may be there all the same.
    """
    if not _observations_read(ds):
        return
    usable = _usable(ds)
    for entry in ds.targets:
        t = entry.model
        obs = [e.model for e in usable.get(t.id, [])]
        full = [
            o.period.year for o in obs if o.period.is_full_year or o.period.kind is PeriodKind.date
        ]
        live = t.deadline is None or t.deadline.year >= today.year - 2
        if live and (not full or max(full) < today.year - 2):
            latest = f"latest full-period value is {max(full)}" if full else "no full-period value"
            msg = f"{t.id}: stale data ({latest}; none in the last two years)"
            yield _at(ds, entry, WARNING, "stale-target", msg, "id")
        if t.deadline is not None and t.deadline.end < today:
            finals = [
                o for o in obs if o.estimate is Estimate.final and o.period.end == t.deadline.end
            ]
            if not finals:
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
        yield from _source_problem(ds, o, o.model.source)


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
    for o in ds.observations:
        yield from _published_problem(ds, o, o.model.source, today)


RULES: tuple[Rule, ...] = (
    check_has_targets,
    check_duplicate_ids,
    check_target_values,
    check_observations,
    check_conflicts,
    check_periods_ended,
    check_staleness,
    check_sources,
    check_published,
)


def check(ds: Dataset, today: date) -> list[Problem]:
    """All problems of a loaded dataset (reading, modelling and every rule), sorted."""
    problems = list(ds.problems)
    for rule in RULES:
        problems.extend(rule(ds, today))
    return sorted(set(problems))


def validate(directory: str | None, today: date) -> tuple[Dataset, list[Problem]]:
    """Load a data directory (found as ``find_data_dir`` does) and check it."""
    from cctrack.dataset import find_data_dir

    ds = load_dataset(find_data_dir(directory))
    return ds, check(ds, today)
