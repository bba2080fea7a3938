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

from cctrack.dataset import Dataset, Entry, ObservationEntry, TargetEntry, load_dataset
from cctrack.model import Estimate, Kind, Source, Target
from cctrack.period import FITS, PeriodKind
from cctrack.problem import ERROR, WARNING, Problem, suggest
from cctrack.quantity import Bound, Quantity, units_agree
from cctrack.store import YMap, YSeq

Rule = Callable[[Dataset, date], Iterator[Problem]]


def _at(ds: Dataset, entry: Entry, severity: str, code: str, message: str, *loc: str) -> Problem:
    doc = ds.targets_doc if isinstance(entry, TargetEntry) else ds.observations_doc
    line, col = entry.at(*loc)
    return Problem(doc.path, line, col, severity, code, message)


def targets_by_id(ds: Dataset) -> dict[str, Target]:
    """Targets by id; the first wins when an id repeats (the repeat is an error)."""
    out: dict[str, Target] = {}
    for entry in ds.targets:
        out.setdefault(entry.model.id, entry.model)
    return out


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


def _written_ids(ds: Dataset) -> set[str] | None:
    """Every id written in targets.yaml, valid entry or not; None when it could not be read.

    Observations of such targets are not 'unknown': the target's own errors say what is wrong.
    """
    root = ds.targets_doc.root
    if root is None:  # empty, or unreadable (then its problem is already reported)
        return None if ds.targets_doc.problems or not ds.targets_doc.exists else set()
    items = root.get("targets") if isinstance(root, YMap) else []
    if items is None:
        return set()
    if not isinstance(items, YSeq):  # not the shape of a targets file: wrong-type says so
        return None
    return {i["id"] for i in items if isinstance(i, YMap) and isinstance(i.get("id"), str)}


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def check_observations(ds: Dataset, today: date) -> Iterator[Problem]:
    """Observations name a known target, fit its kind and agree with its unit."""
    by_id = targets_by_id(ds)
    ids = list(by_id)
    written = _written_ids(ds)
    for entry in ds.observations:
        o = entry.model
        t = by_id.get(o.target)
        if t is None and (written is None or o.target in written):
            continue  # targets.yaml is unreadable, or the target has errors of its own
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


def check_conflicts(ds: Dataset, today: date) -> Iterator[Problem]:
    """Warn when values of equal standing (same estimate, same publication) disagree."""
    groups: dict[tuple[object, ...], list[ObservationEntry]] = defaultdict(list)
    by_id = targets_by_id(ds)
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
                    f"with line {other} of equal standing; mark one preliminary or give its date"
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
    by_id = targets_by_id(ds)
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
    """Warn about stale targets and passed deadlines without a final figure."""
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


RULES: tuple[Rule, ...] = (
    check_duplicate_ids,
    check_target_values,
    check_observations,
    check_conflicts,
    check_periods_ended,
    check_staleness,
    check_sources,
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
