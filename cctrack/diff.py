"""Which verdicts changed between two states of the data, and why: pure functions.

A *state* is the targets and observations of one side, with the date it is assessed at. For each
target, a small :class:`Snapshot` of its assessment (category, confidence, current value) is
compared; a target whose snapshot moved gets one :class:`Change`. Its causes are found by
recomputation, never guessed (docs/method.md §16): the target's inputs on each side are split
into *components* (an observation added, removed or revised, one field of the target edited,
the benchmark's figures, the as-of date), and the target is assessed again from the "before"
inputs with one component of the "after" side swapped in at a time. The components whose swap
moves the snapshot are the causes; when none gives the "after" snapshot alone, the pairs that do
are causes together (when none moves it at all, the pairs that move it); when no pair does, all
the components together are the cause.

Linear in the number of targets: both sides are assessed once, and only the targets whose
snapshot moved are assessed again, once per component (and per pair of at most
:data:`MAX_PAIRED` components).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from cctrack.assess import Assessment, assess, assess_all, visible
from cctrack.domain import Observation, Target
from cctrack.period import Period

MAX_PAIRED = 8  # pairs are tried among at most this many components (28 assessments)
# the kinds of a component: an interface (JSON ``causes[].components[].kind``)
KINDS = ("observation-added", "observation-removed", "observation-revised", "target-edited",
         "benchmark", "as-of")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What ``diff`` compares of one assessment."""

    category: str
    confidence: str | None
    current: tuple[str, Decimal, str] | None  # period, value, bound
    next_figure: tuple[int, str, date] | None  # year, release id, expected date
    # a new compared quantity is one field here and its line in snapshot(): FIELDS and JSON
    # ``fields``/``before``/``after`` follow


# what a snapshot holds, in the order the output names them
FIELDS = tuple(f.name for f in dataclasses.fields(Snapshot))


def snapshot(a: Assessment) -> Snapshot:
    """The snapshot of an assessment: the one place that says what ``diff`` compares."""
    c, e = a.current, a.next_figure
    return Snapshot(
        category=a.status.value,
        confidence=a.confidence.value if a.confidence is not None else None,
        current=None if c is None else (c.period.text, c.value, c.bound.value),
        next_figure=None if e is None else (e.year, e.release.id, e.expected),
    )


def moved(before: Snapshot, after: Snapshot) -> tuple[str, ...]:
    """The fields of the snapshot that differ."""
    return tuple(f for f in FIELDS if getattr(before, f) != getattr(after, f))


@dataclass(frozen=True, slots=True)
class State:
    """One side: the targets and observations of a data set, assessed as of a date."""

    targets: tuple[Target, ...]
    observations: tuple[Observation, ...]
    as_of: date
    method: str


@dataclass(frozen=True, slots=True)
class Inputs:
    """Everything one target's assessment depends on."""

    target: Target
    observations: tuple[Observation, ...]
    benchmark: tuple[Observation, ...] | None
    as_of: date
    method: str

    def assess(self) -> Assessment:
        """The assessment of these inputs."""
        bench = list(self.benchmark) if self.benchmark is not None else None
        return assess(self.target, list(self.observations), self.as_of, self.method, bench)


@dataclass(frozen=True, slots=True)
class Component:
    """One difference between a target's inputs on the two sides.

    ``old`` and ``new``: the observations (``observation-*``; None for the side without one),
    the field's two values (``target-edited``, the field named in ``fields``), the benchmark's
    two lists of observations, or the two dates (``as-of``)."""

    kind: str
    old: Any = None
    new: Any = None
    fields: tuple[str, ...] = ()
    # ``as-of`` only, what the move of the date brings with it: the observations known at one
    # date and not the other (published or ended in between), and the deadline passed between
    released: tuple[Observation, ...] = ()
    deadline: Period | None = None

    def apply(self, inputs: Inputs) -> Inputs:
        """``inputs`` with this component of the "after" side swapped in."""
        if self.kind == "as-of":
            return dataclasses.replace(inputs, as_of=self.new)
        if self.kind == "benchmark":
            return dataclasses.replace(inputs, benchmark=self.new)
        if self.kind == "target-edited":
            target = dataclasses.replace(inputs.target, **{self.fields[0]: self.new})
            return dataclasses.replace(inputs, target=target)
        observations = [o for o in inputs.observations if o is not self.old]
        if self.new is not None:
            observations.append(self.new)
        return dataclasses.replace(inputs, observations=tuple(observations))


@dataclass(frozen=True, slots=True)
class Cause:
    """Components whose swap moves the verdict: one alone, or two only together (``together``),
    or all of them only together. ``whole``: the swap alone gives the "after" snapshot."""

    components: tuple[Component, ...]
    whole: bool
    together: bool = False


@dataclass(slots=True)
class Change:
    """One line of the diff: a target ``changed``, ``added``, ``removed`` or ``renamed``
    (``old_id``: its id before)."""

    id: str
    kind: str
    before: Assessment | None
    after: Assessment | None
    fields: tuple[str, ...] = ()
    causes: list[Cause] = field(default_factory=list)
    components: list[Component] = field(default_factory=list)
    old_id: str | None = None


_IGNORED = frozenset({"line"})  # where an entry stands in its file is not a difference


def _differing(old: Any, new: Any, ignored: frozenset[str] = _IGNORED) -> tuple[str, ...]:
    return tuple(
        f.name
        for f in dataclasses.fields(old)
        if f.name not in ignored and getattr(old, f.name) != getattr(new, f.name)
    )


def _plain(o: Observation) -> Observation:
    return dataclasses.replace(o, line=0)


def _revision_key(o: Observation) -> tuple[Any, ...]:
    """What an observation revised in place keeps: its target, period and scope."""
    return (o.target, o.period.text, o.scope)


def observation_components(
    old: Iterable[Observation], new: Iterable[Observation]
) -> list[Component]:
    """The observations added, removed and revised. Entries equal but for their line are the
    same; of those left over, one of the "after" side is a revision of the one of the "before"
    side with the same target, period and scope that differs from it in the fewest fields (the
    first in file order among equals), each paired once."""
    old, new = list(old), list(new)
    same = Counter(map(_plain, old)) & Counter(map(_plain, new))
    left: dict[str, list[Observation]] = {"old": [], "new": []}
    for side, items in (("old", old), ("new", new)):
        kept = Counter(same)
        for o in items:
            p = _plain(o)
            if kept[p] > 0:
                kept[p] -= 1
            else:
                left[side].append(o)
    removed: dict[tuple[Any, ...], list[Observation]] = {}
    for o in left["old"]:
        removed.setdefault(_revision_key(o), []).append(o)
    out: list[Component] = []
    for o in left["new"]:
        pool = removed.get(_revision_key(o))
        if pool:
            prior = min(pool, key=lambda p: len(_differing(p, o)))  # the first among equals
            pool.remove(prior)
            out.append(Component("observation-revised", prior, o, _differing(prior, o)))
        else:
            out.append(Component("observation-added", None, o))
    out += [Component("observation-removed", o, None) for pool in removed.values() for o in pool]
    return out


def components(before: Inputs, after: Inputs) -> list[Component]:
    """Every difference between a target's inputs on the two sides, in a fixed order:
    observations, target fields, benchmark, as-of date."""
    out = observation_components(before.observations, after.observations)
    for name in _differing(before.target, after.target, _IGNORED | {"id"}):
        out.append(Component("target-edited", getattr(before.target, name),
                             getattr(after.target, name), (name,)))  # fmt: skip
    if before.benchmark != after.benchmark and (
        before.benchmark is None
        or after.benchmark is None
        or Counter(map(_plain, before.benchmark)) != Counter(map(_plain, after.benchmark))
    ):
        out.append(Component("benchmark", before.benchmark, after.benchmark))
    if before.as_of != after.as_of:
        out.append(as_of_component(before.as_of, after.as_of, after))
    return out


def as_of_component(old: date, new: date, inputs: Inputs) -> Component:
    """The move of the as-of date, with the observations it shows or hides and the deadline it
    passes (of the "after" side's target and observations)."""
    early, late = sorted((old, new))
    mine = list(inputs.observations)
    seen = set(map(id, visible(mine, early)))
    released = tuple(o for o in visible(mine, late) if id(o) not in seen)
    deadline = inputs.target.deadline
    passed = deadline if deadline is not None and early <= deadline.end < late else None
    return Component("as-of", old, new, released=released, deadline=passed)


def attribute(
    before: Inputs,
    after: Inputs,
    parts: list[Component],
    known: tuple[Snapshot, Snapshot] | None = None,
) -> list[Cause]:
    """The causes of a change, by recomputation (module docstring); ``known``: the snapshots of
    ``before`` and ``after`` when already made."""
    start, goal = known or (snapshot(before.assess()), snapshot(after.assess()))

    def result(swapped: Iterable[Component]) -> Snapshot:
        inputs = before
        for c in swapped:
            inputs = c.apply(inputs)
        return snapshot(inputs.assess())

    causes = []
    for c in parts:
        got = result([c])
        if got != start:
            causes.append(Cause((c,), got == goal))
    if any(c.whole for c in causes) or len(parts) < 2:
        return causes
    # no component alone gives the "after" verdict: the pairs that do (or, when none alone
    # moves it at all, that move it), and failing those all the components together
    paired = []
    if len(parts) <= MAX_PAIRED:
        for pair in itertools.combinations(parts, 2):
            got = result(pair)
            if got == goal or (not causes and got != start):
                paired.append(Cause(pair, got == goal, together=True))
    if causes or paired:
        return causes + paired
    return [Cause(tuple(parts), True, together=True)]


class _Side:
    """A state with its observations grouped by target and its targets by id."""

    def __init__(self, state: State, assessments: list[Assessment] | None = None) -> None:
        self.state = state
        self.by_id = {t.id: t for t in state.targets}
        self.by_target: dict[str, list[Observation]] = {}
        for o in state.observations:
            self.by_target.setdefault(o.target, []).append(o)
        if assessments is None:
            targets, observations = list(state.targets), list(state.observations)
            assessments = assess_all(targets, observations, state.as_of, state.method)
        self.assessments = {a.target.id: a for a in assessments}

    def inputs(self, target: Target, rename: str | None = None) -> Inputs:
        """A target's inputs (``rename``: its observations as if of this id)."""
        mine = tuple(self.by_target.get(target.id, ()))
        if rename is not None:
            target = dataclasses.replace(target, id=rename)
            mine = tuple(dataclasses.replace(o, target=rename) for o in mine)
        bench = None
        other = target.benchmark.target if target.benchmark is not None else None
        if other is not None:  # as assess_all: the benchmark target's own scope
            own = self.by_id[other].scope if other in self.by_id else None
            bench = tuple(o for o in self.by_target.get(other, ()) if o.scope in (None, own))
        return Inputs(target, mine, bench, self.state.as_of, self.state.method)


def _known(side: _Side) -> dict[str, Target]:
    """The side's targets by id, less those stated (published) only after its date."""
    from cctrack.pipeline import stated_after

    return {k: t for k, t in side.by_id.items() if not stated_after(t, side.state.as_of)}


def renames(old: dict[str, Target], new: dict[str, Target]) -> dict[str, str]:
    """Targets removed and added with the same source and the same quote: new id → old id.

    Only a target with a quote can be recognised (many targets share a plan as their source);
    a match must be the only one either way."""
    gone = [t for i, t in old.items() if i not in new and t.quote]
    came = [t for i, t in new.items() if i not in old and t.quote]
    out = {}
    for t in came:
        found = [g for g in gone if g.quote == t.quote and g.source == t.source]
        if len(found) == 1 and sum(c.quote == t.quote and c.source == t.source for c in came) == 1:
            out[t.id] = found[0].id
    return out


def compare(
    before: State,
    after: State,
    assessed: tuple[list[Assessment], list[Assessment]] | None = None,
) -> list[Change]:
    """The diff: one change per target whose snapshot moved, added, removed or renamed, in the
    order of the "after" targets, then the removed ones in their order. ``assessed``: both sides'
    assessments when already made (the same as :func:`assess_all` of each state). A target whose
    source was published after a side's date was not known then and is not on that side (one
    stated between the two dates is "added")."""
    old = _Side(before, assessed[0] if assessed else None)
    new = _Side(after, assessed[1] if assessed else None)
    known_old, known_new = (_known(side) for side in (old, new))
    renamed = renames(known_old, known_new)
    out: list[Change] = []
    for t in after.targets:
        if t.id not in known_new:
            continue
        prior_id = t.id if t.id in known_old else renamed.get(t.id)
        a_new = new.assessments[t.id]
        if prior_id is None:
            out.append(Change(t.id, "added", None, a_new))
            continue
        a_old = old.assessments[prior_id]
        ends = (snapshot(a_old), snapshot(a_new))
        fields = moved(*ends)
        kind = "changed" if prior_id == t.id else "renamed"
        if not fields and kind == "changed":
            continue
        was = old.inputs(old.by_id[prior_id], rename=t.id if kind == "renamed" else None)
        now = new.inputs(t)
        parts = components(was, now)
        causes = attribute(was, now, parts, ends) if fields else []
        old_id = prior_id if kind == "renamed" else None
        out.append(Change(t.id, kind, a_old, a_new, fields, causes, parts, old_id))
    kept = set(known_new) | set(renamed.values())
    seen: set[str] = set()
    for t in before.targets:
        if t.id in known_old and t.id not in kept and t.id not in seen:
            seen.add(t.id)
            out.append(Change(t.id, "removed", old.assessments[t.id], None))
    return out
