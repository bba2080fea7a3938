"""What the reporting commands need from a data directory, computed once and cached.

``checked`` gives the problems of ``validate`` and, given a method, every target's record
(:mod:`cctrack.summary`) for ``status``. Both are the same values the uncached path computes (a test
compares them); the cache only spares reading, modelling, checking and assessing again when
the files have not changed (see :mod:`cctrack.cache`).
"""

from __future__ import annotations

import gc
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
    """Read, check and assess, with the garbage collector paused (see ``load_dataset``)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return _compute_now(directory, today, method)
    finally:
        if paused:
            gc.enable()


def _compute_now(directory: Path, today: date, method: str | None) -> Checked:
    from cctrack.assess import assess_all
    from cctrack.check import check
    from cctrack.dataset import load_dataset
    from cctrack.summary import summarise

    ds = load_dataset(directory)
    problems = check(ds, today)
    result = Checked(directory, problems, len(ds.targets), len(ds.observations))
    if method is not None and not result.errors:
        targets = [e.model for e in ds.targets]
        observations = [e.model for e in ds.observations]
        result.records = [summarise(a) for a in assess_all(targets, observations, today, method)]
    return result


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
