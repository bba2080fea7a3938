"""The one road from a data directory to a result: read → model → check → assess.

Every command gets its data through :func:`run` (``add-observation`` through
:func:`result_of`, with the text it is about to write): the problems, the targets, and one
assessment per target holding the role of every observation. :func:`run` is wrapped by the
result cache (:mod:`cctrack.cache`) the way beancount's loader wraps its uncached loader: the
cache key is made from the very bytes that are parsed, so a cached result is always the one the
files produce. Results hold plain values (:mod:`cctrack.domain`, :mod:`cctrack.assess`), so a
cached run imports neither pydantic nor the YAML reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cctrack import cache
from cctrack.cache import Stored as _Stored
from cctrack.location import (
    OBSERVATIONS_FILE,
    TARGETS_FILE,
    Changed,
    Streamed,
    Unread,
    digest_of,
    misnamed,
    part,
    read_data,
    read_streamed,
)
from cctrack.problem import Problem
from cctrack.vocabulary import Confidence

if TYPE_CHECKING:
    from cctrack.assess import Assessment
    from cctrack.dataset import Dataset
    from cctrack.domain import Observation, Target
    from cctrack.incremental import Extended
    from cctrack.series import SeriesMemo

DEFAULT_METHOD = "growth-ratio"
# How much of a cached result a command reads (:data:`cctrack.cache.PROBLEMS` ...).
PROBLEMS, ASSESSMENTS, USES = cache.PROBLEMS, cache.ASSESSMENTS, cache.USES


@dataclass(slots=True)
class Result:
    """What checking and assessing a data directory found."""

    directory: Path
    as_of: date
    method: str
    problems: list[Problem]
    targets: list[Target]
    n_observations: int
    assessments: list[Assessment] = field(default_factory=list)  # none when there are errors
    # entries without a quote: listed by ``validate --strict`` only, so found only for it (a
    # large data set without quotes would otherwise cache one record per entry for nothing)
    unquoted: list[Problem] = field(default_factory=list)
    n_targets: int = 0  # also known when a cached result is read for its problems only
    digest: str = ""  # of the bytes this result was made from (cctrack.replay.digest)

    @property
    def errors(self) -> list[Problem]:
        """The problems that are errors."""
        return [p for p in self.problems if p.is_error]

    def assessment(self, target_id: str) -> Assessment | None:
        """The assessment of one target."""
        return next((a for a in self.assessments if a.target.id == target_id), None)


def result_of(
    ds: Dataset,
    problems: list[Problem],
    as_of: date,
    method: str,
    strict: bool = False,
    memo: SeriesMemo | None = None,
    light: bool = False,
    observations: list[Observation] | None = None,
) -> Result:
    """Assess a data set already read and checked (nothing is assessed when it has errors);
    ``strict`` also lists the entries without a quote; ``memo``: the series its check built
    (:func:`checked_result`), so that none is built twice; ``light``: for a run that reads no
    roles (:func:`cctrack.assess.assess_all`); ``observations``: the data set's, when its
    entries were let go once checked (:func:`_compute`)."""
    from cctrack.assess import assess_all
    from cctrack.check import unquoted

    if observations is None:
        observations = [e.model for e in ds.observations]
    targets = [e.model for e in ds.targets]
    result = Result(ds.directory, as_of, method, problems, targets, len(observations),
                    n_targets=len(targets))  # fmt: skip
    if not result.errors:
        if strict:  # entries without a quote are listed once the data reads cleanly
            result.unquoted = unquoted(ds)
        releases = [r.model for r in ds.releases]
        result.assessments = assess_all(
            targets, observations, as_of, method, releases, memo=memo, light=light
        )
    return result


def checked_result(
    ds: Dataset, as_of: date, method: str, strict: bool = False, light: bool = False
) -> Result:
    """Check and assess a data set read, each target's series built once for both; ``light``:
    for a run that reads no roles (:func:`result_of`)."""
    from cctrack.check import check
    from cctrack.series import SeriesMemo

    memo = SeriesMemo()
    return result_of(ds, check(ds, as_of, memo=memo), as_of, method, strict, memo, light)


Raw = list["bytes | Streamed | Unread"]  # the two files as read (:func:`_read`)


def _read(directory: Path, stream: bool = True) -> tuple[Raw, list[bytes]]:
    """Both files as read (:func:`~cctrack.location.read_data`): their bytes or why there are
    none, and what the key is made of (:func:`key_parts`). With ``stream``, the observations
    file is not held but hashed a block at a time
    (:func:`~cctrack.location.read_streamed`), and read again to be parsed: that reading raises
    :class:`~cctrack.location.Changed` if its bytes are no longer those keyed, so a file that
    appears, vanishes or changes during a run can never have the result of one content cached
    under the key of another. Plain reads: the YAML reader is not loaded for a cached run."""
    raw: Raw = [read_data(directory / TARGETS_FILE)]
    path = directory / OBSERVATIONS_FILE
    raw.append(read_streamed(path) if stream else read_data(path))
    return raw, key_parts(directory, raw)


def key_parts(directory: Path, raw: Raw) -> list[bytes]:
    """What the result cache and the replay key the two files by: the targets file's bytes, the
    observations file's hash (:func:`cctrack.location.part`), and for a file that gave none,
    why."""
    parts: list[bytes] = []
    for name, data in zip((TARGETS_FILE, OBSERVATIONS_FILE), raw, strict=True):
        if isinstance(data, Unread):
            hint = misnamed(directory, name)
            parts.append(f"\0unread:{data.reason}:{data.detail}:{hint}".encode())
        elif isinstance(data, Streamed):
            parts.append(data.part)
        else:
            parts.append(part(data) if name == OBSERVATIONS_FILE else data)
    return parts


def _compute(
    directory: Path,
    raw: Raw,
    as_of: date,
    method: str,
    strict: bool,
    key: str,
    depth: int,
) -> Result:
    """The result read cold (and, with the cache on, what an append can be read on from,
    :mod:`cctrack.incremental`), with the roles of every observation when ``depth`` reads them
    (else those of :func:`cctrack.assess.uses_read_across` only, as the cache stores it).

    ``raw`` is emptied once the data set is read: the files' bytes are not held while it is
    checked and assessed (the caller holds no other reference to them); raises
    :class:`~cctrack.location.Changed` when a streamed file changed since it was keyed."""
    from cctrack.check import check
    from cctrack.dataset import let_go, load_dataset, observations_only
    from cctrack.gcpause import gc_paused
    from cctrack.incremental import Scan
    from cctrack.series import SeriesMemo

    with gc_paused():
        keep = cache.enabled() and not strict
        streamed = raw[1]  # (not the bytes, when they are held: let go below)
        if keep and isinstance(streamed, Streamed):
            streamed.observer = Scan()  # (what the state needs of the bytes, as read)
        del streamed
        ds = load_dataset(directory, raw)
        state = state_of(key, ds, raw) if keep else None
        raw.clear()  # the bytes: not held while the state is stored, nor after
        let_go(ds)
        if keep:
            _keep_state(directory, state, as_of, method)
        del state  # (a large file's positions: not held while checking)
        memo = SeriesMemo()
        problems = check(ds, as_of, memo=memo)
        # (--strict lists the entries without a quote after the checks: it keeps them)
        models = None if strict else observations_only(ds)
        return result_of(ds, problems, as_of, method, strict, memo, depth < USES, models)


def state_of(key: str, ds: Dataset, raw: Raw) -> Any:
    """What reading on after an append needs of a data set just read (None: it cannot be
    read on), from the targets file's bytes and what was seen of the observations file's
    (:func:`cctrack.incremental.capture`)."""
    from cctrack import incremental

    targets, observations = raw
    if not isinstance(targets, bytes):
        return None
    if isinstance(observations, Streamed):
        scan = observations.observer
        if not isinstance(scan, incremental.Scan):
            return None
        return incremental.capture(key, ds, targets, scan, observations.digest)
    if isinstance(observations, bytes):
        scan = incremental.scan_of(observations)
        return incremental.capture(key, ds, targets, scan, digest_of(observations))
    return None


# The state of a new file made by ``add-observation``, stored before the file is put in place
# (:func:`keep_pending`): then it is the state (:func:`remember`), else it is removed.
PENDING = "state-pending"


def keep_pending(directory: Path, state: Any, as_of: date, method: str) -> None:
    """Store the state of a new observations file not yet in place (``add-observation``
    stores it as soon as the file is read, so that it is not held while it is checked)."""
    from cctrack import incremental

    cache.save(directory, incremental.state_key(directory, as_of, method), state, PENDING)


def _keep_state(directory: Path, state: Any, as_of: date, method: str) -> None:
    """Store the state (None: reading on cannot apply) of the result about to be stored; one
    of data with an error is stored too, and never read on from (the stored result's errors
    say so, :func:`cctrack.incremental.extend`)."""
    from cctrack import incremental

    incremental.last_road.append("cold")
    cache.save(directory, incremental.state_key(directory, as_of, method), state, "state")


def _key(directory: Path, parts: list[bytes], as_of: date, method: str, strict: bool) -> str:
    """The result cache's key: the files' bytes, the options, and the bytes of cctrack's own
    files (:func:`cctrack.replay.code`; the cache's own stamp sees sizes and times only, blind
    to a file rewritten within one tick of the clock to the same size)."""
    from cctrack.replay import code

    inputs = (str(directory), as_of.isoformat(), method, "strict" * strict, code())
    return cache.key(parts, *inputs)


def result_key(directory: Path, contents: Raw, as_of: date, method: str) -> str:
    """The cache key of the result of these two files (``add-observation``'s: their bytes, or
    the new observations file as written, :class:`~cctrack.location.Streamed`)."""
    return _key(directory, key_parts(directory, list(contents)), as_of, method, False)


def remember(
    result: Result,
    contents: Raw,
    ds: Dataset | None = None,
    read_on: Extended | None = None,
    pending: bool = False,
) -> None:
    """Cache a result computed from these two files (``add-observation``'s new data), with
    what a next append is read on from: the state ``read_on`` made, or one of ``ds``, the data
    set read whole, or with ``pending`` the one stored when it was read
    (:func:`keep_pending`)."""
    if not cache.enabled():  # nothing pickled for a cache that is off
        return
    from cctrack import incremental

    directory = result.directory
    key = result_key(directory, contents, result.as_of, result.method)
    if read_on is not None and read_on.stored is not None:
        cache.save(directory, key, read_on.stored)
        skey = incremental.state_key(directory, result.as_of, result.method)
        cache.save(directory, skey, read_on.state, "state")
        return
    cache.save(directory, key, _Stored.of(result, whole=False))  # the roles: not read after it
    if ds is not None:
        _keep_state(directory, state_of(key, ds, list(contents)), result.as_of, result.method)
    elif pending:
        incremental.last_road.append("cold")
        cache.rename(directory, PENDING, "state")


def _extended(
    directory: Path,
    raw: Raw,
    as_of: date,
    method: str,
    strict: bool,
    key: str,
    depth: int,
) -> Result | None:
    """The result read on from the cached one of a prefix of observations.yaml (stored with
    its state, so that the next append reads on too); None: it must be read cold."""
    if not cache.enabled() or strict:
        return None
    from cctrack import incremental
    from cctrack.gcpause import gc_paused

    with gc_paused():
        found = incremental.extend(directory, raw, as_of, method, key, depth)
        if found is None:
            return None
        result: Result = found.result
        stored, state = found.stored, found.state
        assert result is not None and stored is not None
        cache.save(directory, key, stored)
    cache.save(directory, incremental.state_key(directory, as_of, method), state, "state")
    return result


def run(
    directory: Path,
    as_of: date,
    method: str = DEFAULT_METHOD,
    strict: bool = False,
    depth: int = USES,
    apart: bool = False,
) -> Result:
    """Read, model, check and assess a data directory, or the same result from the cache;
    ``strict`` (``validate --strict``) also lists the entries without a quote. ``depth`` says
    how much of a cached result to read: ``PROBLEMS`` (``validate``: no target, no assessment),
    ``ASSESSMENTS`` (the ``status`` table: not the role of each observation, most of a large
    result) or ``USES`` (everything). A result computed cold holds and stores the roles only
    when ``depth`` reads them, and those reading on after an append may read
    (:class:`~cctrack.cache.Stored`: a later run that needs them computes again); one read on
    after an append (:mod:`cctrack.incremental`) reads the other targets' uses as deep as
    asked. ``apart``: a result computed is stored by a child process while the caller goes on
    (:func:`cctrack.cache.save_apart`: ``report``, which writes its page meanwhile)."""
    for _ in range(_TRIES - 1):
        try:
            return _run(directory, as_of, method, strict, depth, stream=True, apart=apart)
        except Changed:  # the file changed while it was read: read it again
            pass
    return _run(directory, as_of, method, strict, depth, stream=False, apart=apart)  # held


_TRIES = 3  # reads of a file that keeps changing, the last holding it whole (:func:`run`)


def _run(
    directory: Path,
    as_of: date,
    method: str,
    strict: bool,
    depth: int,
    stream: bool,
    apart: bool = False,
) -> Result:
    """:func:`run`, the observations file streamed or not (:func:`_read`)."""
    from cctrack.replay import digest

    raw, parts = _read(directory, stream)
    key = _key(directory, parts, as_of, method, strict)
    files = digest(parts)
    hit = cache.load(directory, key)
    result: Result | None = hit.open(depth) if isinstance(hit, _Stored) else None
    if result is None:  # a miss, or a result stored without the uses asked for
        read_on = _extended(directory, raw, as_of, method, strict, key, depth)
        if read_on is not None:
            result = read_on
        else:
            result = _compute(directory, raw, as_of, method, strict, key, depth)
            if cache.enabled():  # nothing pickled for a cache that is off
                whole = depth >= USES  # what this kind of run reads

                def stored(made: Result = result) -> _Stored:
                    return _Stored.of(made, whole=whole)

                if not (apart and cache.save_apart(directory, key, stored)):
                    cache.save(directory, key, stored())
    result.digest = files
    return result


CONFIDENCE_ORDER = tuple(c.value for c in reversed(Confidence))  # lowest first


def choose_plan(plans: list[str], text: str) -> tuple[str | None, str | None]:
    """The plan ``--plan text`` names: the one equal to it (ignoring case), else the one plan
    that contains it (ignoring case). A part contained in several plans names none of them, even
    the one it starts ("14th" is in "14th Five-Year Plan ..." and in "FAW Group 14th Five-Year
    Plan ..."): the error lists them all, so that no plan is picked behind the user's back.
    Returns the plan, or an error message (none or several match)."""
    from cctrack.problem import suggest

    folded = text.casefold()
    exact = [p for p in plans if p.casefold() == folded]
    found = exact or [p for p in plans if folded in p.casefold()]
    if len(found) == 1:
        return found[0], None
    if not found:
        return None, f"--plan: no plan matches {text!r}{suggest(text, plans)}"
    listed = "; ".join(repr(p) for p in found)
    return None, f"--plan: {text!r} matches several plans: {listed} (give one's full name)"


def select(
    result: Result,
    ids: list[str] | None,
    tag: str | None,
    min_confidence: str | None = None,
    plan: str | None = None,
) -> tuple[list[Assessment], str | None]:
    """The assessments to show: those named (in the order given, once each) or all, then those
    with ``tag``, then those of the plan ``plan`` names (:func:`choose_plan`), then those whose
    verdict has at least ``min_confidence`` (targets with no
    verdict, no_data and not_assessable, have no confidence and are left out too). Returns them,
    or an error message for an unknown id or for a tag no target has (a mistyped tag must not
    pass a CI gate on an empty table)."""
    from cctrack.problem import suggest

    by_id = {a.target.id: a for a in result.assessments}
    known = list(by_id)
    for tid in ids or []:
        if tid not in by_id:
            return [], f"unknown target {tid!r}{suggest(tid, known)}"
    chosen = [by_id[i] for i in dict.fromkeys(ids)] if ids else list(by_id.values())
    if tag is not None:
        tags = sorted({t for a in result.assessments for t in a.target.tags})
        if tag not in tags:
            return [], f"--tag: no target has the tag {tag!r}{suggest(tag, tags)}"
        chosen = [a for a in chosen if tag in a.target.tags]
    if plan is not None:
        plans = sorted({a.target.plan for a in result.assessments if a.target.plan})
        chosen_plan, error = choose_plan(plans, plan)
        if error is not None:
            return [], error
        chosen = [a for a in chosen if a.target.plan == chosen_plan]
    if min_confidence is not None:
        floor = CONFIDENCE_ORDER.index(min_confidence)
        chosen = [
            a for a in chosen
            if a.confidence is not None and CONFIDENCE_ORDER.index(a.confidence.value) >= floor
        ]  # fmt: skip
    return chosen, None


def dropped(
    result: Result,
    ids: list[str] | None,
    tag: str | None,
    min_confidence: str | None = None,
    plan: str | None = None,
) -> list[tuple[str, int, Any]]:
    """How many targets each filter of :func:`select` left out, in the order it applies them:
    ``(option, count, value)`` for ``tag``, ``plan`` and ``min-confidence``, each counted
    among the targets the filters before it kept (the ids named are asked for, not filtered).
    Call it once :func:`select` has found no error."""
    stages = [(None, None, None), (tag, None, None), (tag, None, plan), (tag, min_confidence, plan)]
    sizes = [len(select(result, ids, t, c, p)[0]) for t, c, p in stages]
    return [
        ("tag", sizes[0] - sizes[1], tag),
        ("plan", sizes[1] - sizes[2], plan),
        ("min-confidence", sizes[2] - sizes[3], min_confidence),
    ]


def stated_after(target: Target, as_of: date) -> bool:
    """Whether the source stating ``target`` was published after ``as_of``, by the rule of the
    observations (docs/method.md §1.1: a year or a month counts from the last day it can mean):
    the target was not known on that date, so an assessment as of then leaves it out."""
    from cctrack.domain import published_end

    known = published_end(target.source.published)
    return known is not None and known > as_of
