"""A cache of checked and assessed results, keyed by the exact content of the data files.

The key is a hash of the bytes that were read and then parsed (observations.yaml's by their
hash: it is hashed a block at a time, then read again to be parsed, and a second read that finds
other bytes reads again, :func:`cctrack.pipeline.run`), the inputs that change the result (the data
directory as written, which names the files in messages; the date; the method) and the bytes of
cctrack's own files (the callers pass :func:`cctrack.replay.code`, which also names Python's
version), so an edit, an append, a replaced file or a new cctrack never gets a stale answer,
while an unchanged file that was merely touched still hits. One entry is kept per data
directory (and one ``state``, what reading on after an append needs, :mod:`cctrack.incremental`),
in
``$CCTRACK_CACHE_DIR``, else ``$XDG_CACHE_HOME/cctrack``, else ``~/.cache/cctrack`` (created
with mode 0700). ``CCTRACK_NO_CACHE=1`` turns the cache off. A missing, corrupt, unreadable or
unwritable cache is ignored: the result is then computed as if there were none.

Entries are pickles: only ever read from the user's own cache directory. A result is written as
a sequence of pickles (:meth:`Stored.write`): its head, then its problems and its assessments a
part at a time, each pickled as it is written, so that storing a large result never holds it
pickled whole, nor a table of all its objects.
"""

from __future__ import annotations

import contextlib
import copy
import os
import pickle
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import starmap
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from cctrack.gcpause import gc_paused
from cctrack.notloaded import NotLoaded

if TYPE_CHECKING:
    from cctrack.assess import Assessment, Use
    from cctrack.domain import Observation, Source, Target
    from cctrack.problem import Problem
    from cctrack.quantity import Quantity


try:  # the module itself: hashlib would also load OpenSSL, a tenth of a warm run's time
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover - an interpreter without it
    from hashlib import blake2b as _blake2b


def enabled() -> bool:
    """False when ``CCTRACK_NO_CACHE`` is set to anything but empty or 0."""
    return os.environ.get("CCTRACK_NO_CACHE", "") in {"", "0"}


def cache_dir() -> Path:
    """Where entries live."""
    explicit = os.environ.get("CCTRACK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cctrack"


def key(contents: list[bytes], *inputs: str) -> str:
    """The content key of the files' ``contents`` with ``inputs`` (among them the key of
    cctrack's code, :func:`cctrack.replay.code`: the key names no code itself)."""
    digest = _blake2b(digest_size=32)
    for item in inputs:
        digest.update(b"\0" + item.encode())
    for data in contents:  # the data apart: one copy fewer of a large file
        digest.update(b"\0" + str(len(data)).encode() + b"\0")
        digest.update(data)
    return digest.hexdigest()


def _entry(directory: Path, kind: str = "result") -> Path:
    name = _blake2b(str(directory.resolve()).encode(), digest_size=16).hexdigest()
    return cache_dir() / f"{kind}-{name}.pickle"


def load(directory: Path, content_key: str, kind: str = "result") -> Any:
    """The cached payload for this key, or None (a miss, or any problem reading it); ``kind``
    names the entry (``result``, or ``state``: what reading on after an append needs)."""
    if not enabled():
        return None
    try:
        with _entry(directory, kind).open("rb") as handle, gc_paused():
            stored_key, payload = pickle.load(handle)
            if stored_key != content_key:
                return None  # (another key: the rest is not read)
            if isinstance(payload, _Layout):
                payload = Stored.read(payload, handle)
    except Exception:  # missing, truncated, corrupt or from another version: a miss
        return None
    return payload


def save(directory: Path, content_key: str, payload: Any, kind: str = "result") -> None:
    """Store a payload; any failure (read-only home, full disk) is ignored."""
    if not enabled():
        return
    from cctrack.atomic import atomic_write

    try:
        folder = cache_dir()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)

        def dump(handle: BinaryIO) -> None:  # into the file as it is made: no second copy
            with gc_paused():
                if isinstance(payload, Stored):
                    payload.write(content_key, handle)
                else:
                    pickle.dump((content_key, payload), handle, protocol=pickle.HIGHEST_PROTOCOL)

        atomic_write(_entry(directory, kind), dump)
    except Exception:
        return


def rename(directory: Path, kind: str, to: str) -> None:
    """Make the entry ``kind`` the entry ``to`` (the one there before is gone); nothing when
    there is none, and any failure is ignored."""
    if enabled():
        with contextlib.suppress(OSError):
            os.replace(_entry(directory, kind), _entry(directory, to))


def drop(directory: Path, kind: str) -> None:
    """Remove the entry ``kind``; any failure is ignored."""
    if enabled():
        with contextlib.suppress(OSError):
            _entry(directory, kind).unlink()


def save_apart(directory: Path, content_key: str, make: Callable[[], Any]) -> bool:
    """Store ``make()``'s payload (:func:`save`) from a child process (:mod:`cctrack.apart`)
    while this one goes on (``report`` writes its page meanwhile: a large result takes a
    quarter of a second to pickle); the process waits for the child when it exits, so that a
    run never ends before its result is stored. False when no child was made (the caller
    stores the payload itself)."""
    from cctrack import apart

    if not enabled():
        return False
    pid = apart.child(lambda: save(directory, content_key, make()))
    if pid is None:
        return False
    apart.wait_at_exit(pid)
    return True


# --- the result as stored ---------------------------------------------------------------------


# How much of a cached result a command reads: its problems (``validate``), also the targets and
# their assessments (the ``status`` table), also the role of every observation (the rest).
PROBLEMS, ASSESSMENTS, USES = 0, 1, 2


# Assessments pickled together (:meth:`Stored.of`): few enough that the pickler's table of the
# objects it has seen stays small, enough that the objects they share are mostly read as one.
_GROUP = 64
_ROWS = 4096  # problems pickled together (:meth:`Stored.write`), for the same reason


@dataclass(slots=True)
class _Layout:
    """The first pickle of a stored result (:meth:`Stored.write`): its head (no problems),
    its uses, and how many pickles of problems' rows and of its body follow."""

    head: Any
    uses: list[bytes | None]
    problems: int
    body: int


@dataclass(slots=True)
class Stored:
    """A result as cached, in three parts read as far as a command needs: the problems, then the
    targets and assessments (pickled apart: reading them loads the domain classes), then the
    role of every observation (most of a large result), pickled apart for each assessment: an
    append (:mod:`cctrack.incremental`) reads and writes again only those of its targets.

    The roles are stored only by a run that reads them (``show``, ``report``: the result is then
    *whole*); a run that does not (``status``, ``validate``, ``add-observation``) stores only
    those that reading on after an append may read (:func:`cctrack.assess.uses_read_across`),
    the others None: nothing is pickled that no later run of the kind reads. A run that needs the
    roles treats a result without them as a miss, and stores it whole."""

    head: Any  # the pipeline's Result, without its targets and assessments
    body: list[bytes]  # the targets, then each group of assessments (:meth:`of`)
    uses: list[bytes | None]  # None: not stored
    # made by :meth:`of` and not yet pickled: the targets and the assessments' light copies
    # (the body is pickled a part at a time as it is written, :meth:`write`)
    made: tuple[list[Any], list[Any]] | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its problems as columns (:func:`_problem_rows`): a large result's
        hundred thousand warnings are not each an object the pickler must remember. (The
        cache writes it a part at a time instead, :meth:`write`.)"""
        head = copy.copy(self.head)
        rows, head.problems = _problem_rows(head.problems), []
        return _stored, (head, rows, list(self.pieces()), self.uses)

    @classmethod
    def of(cls, result: Any, kept: Sequence[bytes | None] = (), whole: bool = True) -> Stored:
        """The result as stored; ``kept``: assessments' uses already pickled (None: not);
        ``whole``: every assessment's uses, else only those reading on after an append may read
        (:func:`cctrack.assess.uses_read_across`) and those kept. The targets and assessments
        are pickled when it is written (:meth:`write`)."""
        from cctrack.assess import uses_read_across

        at = {id(t): i for i, t in enumerate(result.targets)}
        light = [copy.copy(a) for a in result.assessments]
        for a in light:
            a.uses = []
            a.target = at.get(id(a.target), a.target)  # its target: by its place in the list
        kept = list(kept) + [None] * (len(light) - len(kept))
        wanted = range(len(light)) if whole else uses_read_across(result.assessments, True)
        with gc_paused():
            uses = list(kept)
            for i in wanted:
                if uses[i] is None and not isinstance(result.assessments[i].uses, NotLoaded):
                    uses[i] = _pickled_uses(result.assessments[i])
        head = copy.copy(result)
        head.targets, head.assessments = [], []
        return cls(head, [], uses, (result.targets, light))

    def pieces(self) -> Iterator[bytes]:
        """The body's parts, pickled: the targets, then each group of :data:`_GROUP`
        assessments (made as they are asked for, when it was made by :meth:`of`)."""
        if self.made is None:
            yield from self.body
            return
        targets, light = self.made
        with gc_paused():
            yield pickle.dumps(targets, pickle.HIGHEST_PROTOCOL)
            for i in range(0, len(light), _GROUP):
                yield pickle.dumps(light[i : i + _GROUP], pickle.HIGHEST_PROTOCOL)

    def write(self, content_key: str, handle: BinaryIO) -> None:
        """Write it to ``handle`` as a sequence of pickles, each made as it is written: the
        key and its :class:`_Layout`, the problems' rows :data:`_ROWS` at a time
        (:func:`_problem_rows`), then the body's parts (:meth:`pieces`)."""
        head = copy.copy(self.head)
        problems, head.problems = head.problems, []
        starts = range(0, len(problems), _ROWS)
        made = self.made
        size = 1 + -(-len(made[1]) // _GROUP) if made is not None else len(self.body)
        top = pickle.HIGHEST_PROTOCOL
        pickle.dump((content_key, _Layout(head, self.uses, len(starts), size)), handle, top)
        for i in starts:
            pickle.dump(_problem_rows(problems[i : i + _ROWS]), handle, top)
        for piece in self.pieces():
            pickle.dump(piece, handle, top)

    @classmethod
    def read(cls, layout: _Layout, handle: BinaryIO) -> Stored:
        """The result :meth:`write` wrote, its first pickle (``layout``) read from ``handle``."""
        from cctrack.problem import Problem

        head = layout.head
        head.problems = []
        for _ in range(layout.problems):
            head.problems += map(Problem, *pickle.load(handle))
        body = [pickle.load(handle) for _ in range(layout.body)]
        if not all(type(piece) is bytes for piece in body):
            raise ValueError("not a stored result's body")
        return cls(head, body, layout.uses)

    @property
    def whole(self) -> bool:
        """Whether every assessment's uses are stored."""
        return None not in self.uses

    def assessments(self) -> tuple[list[Target], list[Assessment]]:
        """The targets and the assessments, without their uses.

        The assessments are pickled a group at a time (:data:`_GROUP`), each naming its target
        by its place in the targets' list, so that storing a large result never memoises all
        its objects at once (the pickler's table of them was the peak of a large cold run); an
        object assessments of two groups share (a period, a source) is read as two equal ones,
        as an observation in a role (pickled apart, :meth:`uses_of`) always was."""
        with gc_paused():
            pieces = self.pieces()
            targets: list[Target] = pickle.loads(next(pieces))
            found: list[Assessment] = []
            for data in pieces:
                found += pickle.loads(data)
        for a in found:
            place: Any = a.target
            if type(place) is int:
                a.target = targets[place]
        return targets, found

    def uses_of(self, i: int) -> list[Use] | None:
        """The uses of the ``i``-th assessment (None: not stored)."""
        data = self.uses[i]
        if data is None:
            return None
        with gc_paused():
            return _unflat_uses(pickle.loads(data))[0]

    def open(self, depth: int) -> Any:
        """The result (a pipeline Result), read as deep as ``depth`` asks; None when it asks
        for the uses and they are not all stored (a miss)."""
        if depth >= USES and not self.whole:
            return None
        result = copy.copy(self.head)
        if depth < ASSESSMENTS:
            result.targets, result.assessments = NotLoaded(), NotLoaded()
            return result
        result.targets, result.assessments = self.assessments()
        for i, a in enumerate(result.assessments):
            a.uses = self.uses_of(i) if depth >= USES else NotLoaded()
        return result


def _problem_rows(problems: list[Problem]) -> tuple[Any, ...]:
    """The problems' fields as columns: each a list (the same few paths, severities and codes
    shared) or, for the numbers, an array."""
    return (
        [p.path for p in problems],
        array("q", [p.line for p in problems]),
        array("q", [p.col for p in problems]),
        [p.severity for p in problems],
        [p.code for p in problems],
        [p.said for p in problems],
    )


def _stored(head: Any, rows: tuple[Any, ...], body: list[bytes], uses: list[bytes | None]) -> Any:
    """A :class:`Stored` unpickled: its head given its problems again."""
    from cctrack.problem import Problem

    head.problems = list(map(Problem, *rows))
    return Stored(head, body, uses)


def _pickled_uses(a: Assessment) -> bytes:
    """One assessment's uses, pickled as :func:`_flat_uses` lays them out."""
    return pickle.dumps(_flat_uses([a]), pickle.HIGHEST_PROTOCOL)


def _flat_uses(assessments: list[Assessment]) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
    """The role of every observation as columns, for the pickle: each observation once, its
    fields a column each (:func:`_observation_columns`), and each assessment's uses as three
    columns (the observations' places, the roles, the periods each derives). Pickled as
    objects, each observation, quantity and use cost a call of Python and its numbers one
    each; as columns, the pickler writes lists of text and arrays of numbers."""
    uses = [u for a in assessments for u in a.uses]
    places, observations = _distinct(list(map(_OBSERVATION, uses)))
    flat = []
    start = 0
    for a in assessments:
        end = start + len(a.uses)
        flat.append((places[start:end], list(map(_ROLE, a.uses)), list(map(_DERIVES, a.uses))))
        start = end
    return _observation_columns(observations), flat


_OBSERVATION, _ROLE, _DERIVES = (attrgetter(name) for name in ("observation", "role", "derives"))


def _distinct(objects: list[Any]) -> tuple[array[int], list[Any]]:
    """Each object's place (-1: None) in the list of the distinct objects (by identity, in the
    order first met), and that list: worked out by the interpreter's own loops, not Python's."""
    ids = list(map(id, objects))
    by_id = dict(zip(ids, objects, strict=True))
    by_id.pop(id(None), None)
    place = dict(zip(by_id, range(len(by_id)), strict=True))
    place[id(None)] = -1
    return array("q", map(place.__getitem__, ids)), list(by_id.values())


_HELD = ("target", "period", "source", "value", "change", "line")
_TARGET, _PERIOD, _SOURCE, _VALUE, _CHANGE, _LINE = (attrgetter(name) for name in _HELD)


def _source_row(s: Source) -> tuple[Any, ...]:
    return (s.title, s.publisher, s.url, s.published, s.reliability)


def _quantity_row(q: Quantity | None) -> tuple[Any, ...] | None:
    return None if q is None else (str(q.value), q.unit, q.bound, q.approx, q.percent)


def _observation_columns(observations: list[Observation]) -> tuple[Any, ...]:
    """What each observation holds (:func:`cctrack.domain.held`) as columns of plain values,
    which the pickler writes with no call of Python (a Compact object's pickle is one, and a
    Decimal's or a date's one of C): its target; its period, source and quantity each as a
    place in a table of the distinct ones (:func:`_distinct`: an object two observations
    share is one again when read), each row of its fields (a date as its ordinal, a number as
    its text: ``Decimal(text)`` is the same number, written alike); its change as text; its
    line (an array); its uncommon fields (:class:`cctrack.domain.Uncommon`, or None)."""
    from cctrack.domain import Observation

    periods, period_rows = _distinct(list(map(_PERIOD, observations)))
    sources, source_rows = _distinct(list(map(_SOURCE, observations)))
    return (
        list(map(_TARGET, observations)),
        periods,
        [(p.text, p.kind, p.start.toordinal(), p.end.toordinal()) for p in period_rows],
        sources,
        list(map(_source_row, source_rows)),
        list(map(_quantity_row, map(_VALUE, observations))),
        [None if c is None else str(c) for c in map(_CHANGE, observations)],
        array("q", map(_LINE, observations)),
        [None if type(o) is Observation else o._rest for o in observations],  # type: ignore[attr-defined]
    )


def _observations(columns: tuple[Any, ...]) -> list[Observation]:
    """The observations of :func:`_observation_columns`' columns."""
    from datetime import date
    from decimal import Decimal

    from cctrack.domain import Source, assembled
    from cctrack.period import Period
    from cctrack.quantity import Quantity

    targets, periods, period_rows, sources, source_rows, values, changes, lines, rests = columns
    day = date.fromordinal
    made = [Period(text, kind, day(start), day(end)) for text, kind, start, end in period_rows]
    period = list(map(made.__getitem__, periods))
    shared: list[Source | None] = list(starmap(Source, source_rows))
    shared.append(None)  # at place -1
    source = list(map(shared.__getitem__, sources))
    value = [None if q is None else Quantity(Decimal(q[0]), *q[1:]) for q in values]
    change = [None if c is None else Decimal(c) for c in changes]
    return list(map(assembled, targets, period, source, value, change, lines, rests))


def _unflat_uses(flat: tuple[tuple[Any, ...], list[tuple[Any, ...]]]) -> list[list[Use]]:
    """Each assessment's uses from :func:`_flat_uses`' columns (an observation used by two
    assessments is one object again)."""
    from cctrack.assess import _use

    columns, uses = flat
    observations = _observations(columns)
    return [list(map(_use, map(observations.__getitem__, places), roles, derives))
            for places, roles, derives in uses]  # fmt: skip
