"""What the reporting commands need from a data directory, computed once and cached.

``checked`` gives the problems of ``validate`` and, given a method, every target's record
(:mod:`cctrack.summary`) for ``status``. Both are the same values the uncached path computes (a test
compares them); the cache only spares reading, modelling, checking and assessing again when
the files have not changed (see :mod:`cctrack.cache`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from cctrack import cache
from cctrack.location import data_files
from cctrack.problem import Problem

if TYPE_CHECKING:
    from cctrack.summary import Record


@dataclass(slots=True)
class Checked:
    """The outcome of checking a data directory."""

    directory: Path
    problems: list[Problem]
    n_targets: int
    n_observations: int
    records: list[Record] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """The problems that are errors."""
        return [p for p in self.problems if p.is_error]


def _files(directory: Path) -> list[Path]:
    return data_files(directory)


def _compute(directory: Path, today: date, method: str | None) -> Checked:
    """Read, check and assess, with the garbage collector paused throughout."""
    from cctrack.assess import assess_all
    from cctrack.check import validate
    from cctrack.dataset import gc_paused
    from cctrack.summary import summarise

    with gc_paused():
        ds, problems = validate(str(directory), today)
        result = Checked(directory, problems, len(ds.targets), len(ds.observations))
        if method is not None and not result.errors:
            targets = [e.model for e in ds.targets]
            observations = [e.model for e in ds.observations]
            assessed = assess_all(targets, observations, today, method)
            result.records = [summarise(a) for a in assessed]
    return result


def select(
    tags_by_id: dict[str, list[str]], ids: list[str] | None, tag: str | None
) -> tuple[list[str], str | None]:
    """The ids to show: those named (in the order given, once each) or all, then those with
    ``tag``. Returns the ids, or an error message for an unknown id or a tag no target has (a
    mistyped tag must not pass a CI gate on an empty table)."""
    from cctrack.problem import suggest

    known = list(tags_by_id)
    for tid in ids or []:
        if tid not in known:
            return [], f"unknown target {tid!r}{suggest(tid, known)}"
    chosen = list(dict.fromkeys(ids)) if ids else known
    if tag is None:
        return chosen, None
    tags = sorted({t for ts in tags_by_id.values() for t in ts})
    if tag not in tags:
        return [], f"--tag: no target has the tag {tag!r}{suggest(tag, tags)}"
    return [i for i in chosen if tag in tags_by_id[i]], None


def checked(directory: Path, today: date, method: str | None = None) -> Checked:
    """Problems (and, given a method, assessments of every target) for a data directory."""
    kind = "status" if method else "validate"
    content_key = cache.key(_files(directory), today.isoformat(), method or "")
    hit = cache.load(directory, kind, content_key)
    if isinstance(hit, Checked):
        hit.directory = directory
        return hit
    result = _compute(directory, today, method)
    cache.save(directory, kind, content_key, result)
    return result
