"""The plan's scorecard: what each target's verdict counts as in the one-line answer per plan
("14th Five-Year Plan (2021-2025), 7 targets due 2025: 2 met, 3 missed, ..."), the plans in
the order every output shows them, and the ``--due`` selection (docs/method.md §18).

Pure functions of assessments; the words are the renderers'.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from cctrack.assess import Assessment
from cctrack.domain import Status


class Outcome(StrEnum):
    """What a target counts as on its plan's scorecard, in the order the line lists them."""

    met = "met"
    missed = "missed"
    unresolved = "unresolved"
    achieved_early = "achieved_early"
    no_final_figure = "no_final_figure"
    not_due = "not_due"
    no_deadline = "no_deadline"


def outcome(a: Assessment) -> Outcome:
    """The one rule of the scorecard. A final verdict counts as itself: ``met``, ``missed``, or
    ``unresolved`` when the readings of the deadline's figure disagree. Every other status is
    not final and counts by the calendar: ``achieved`` (reached on a figure before the deadline
    year's) as achieved early; otherwise no final figure once the deadline period is over, not
    due yet before, and without a deadline as such. A new non-final status needs no change."""
    t = a.target
    passed = t.deadline is not None and a.as_of > t.deadline.end
    if a.status is Status.met:
        return Outcome.met
    if a.status is Status.missed:
        return Outcome.missed
    if a.status is Status.unresolved and a.trend_status is None and (passed or not t.deadline):
        return Outcome.unresolved  # the readings disagree on the final figure (§12.7)
    if a.status is Status.achieved:
        return Outcome.achieved_early
    if t.deadline is None:
        return Outcome.no_deadline
    return Outcome.no_final_figure if passed else Outcome.not_due


def plan_groups(assessments: Sequence[Assessment]) -> list[tuple[str | None, list[Assessment]]]:
    """Targets grouped by plan (as written; None: without a plan), the newest plan first (by
    its latest deadline, then start), targets without a plan last; file order within a plan."""
    by_plan: dict[str | None, list[Assessment]] = {}
    for a in assessments:
        by_plan.setdefault(a.target.plan, []).append(a)

    def newest(item: tuple[str | None, list[Assessment]]) -> tuple[int, int, int]:
        plan, members = item
        deadlines = [a.target.deadline.year for a in members if a.target.deadline]
        starts = [a.target.start for a in members if a.target.start is not None]
        return (plan is not None, max(deadlines, default=0), max(starts, default=0))

    return sorted(by_plan.items(), key=newest, reverse=True)


def grouped(assessments: Sequence[Assessment]) -> list[Assessment]:
    """The assessments in plan order: the order of every output."""
    return [a for _, members in plan_groups(assessments) for a in members]


@dataclass(frozen=True, slots=True)
class Scorecard:
    """One plan's line: its targets by :class:`Outcome`. ``years`` is the span the targets are
    due in: the ``--due`` interval when given, else their deadlines' first and last year (None
    when none has a deadline)."""

    plan: str | None
    years: tuple[int, int] | None
    ids: dict[Outcome, list[str]] = field(default_factory=dict)
    provisional: frozenset[str] = frozenset()  # met or missed on a figure not yet final

    def provisional_count(self, o: Outcome) -> int:
        """How many of the targets that count as ``o`` the table marks provisional."""
        return sum(i in self.provisional for i in self.ids.get(o, []))

    @property
    def total(self) -> int:
        """The number of targets of the plan shown."""
        return sum(len(v) for v in self.ids.values())

    def count(self, o: Outcome) -> int:
        """How many targets count as ``o``."""
        return len(self.ids.get(o, []))


def scorecard(
    plan: str | None, members: Sequence[Assessment], due: tuple[int, int] | None = None
) -> Scorecard:
    """The scorecard of one plan's targets (those shown: after every filter)."""
    ids: dict[Outcome, list[str]] = {o: [] for o in Outcome}
    for a in members:
        ids[outcome(a)].append(a.target.id)
    years = due
    if years is None:
        deadlines = [a.target.deadline.year for a in members if a.target.deadline]
        years = (min(deadlines), max(deadlines)) if deadlines else None
    provisional = frozenset(a.target.id for a in members if a.provisional and a.override is None)
    return Scorecard(plan, years, ids, provisional)


def scorecards(
    assessments: Sequence[Assessment], due: tuple[int, int] | None = None
) -> list[Scorecard]:
    """A scorecard per plan, in plan order."""
    return [scorecard(plan, members, due) for plan, members in plan_groups(assessments)]


_SPAN = re.compile(r"\s*(\d{4})年?\s*[至到\-—–]\s*(\d{4})年?\s*")  # 2021-2025, 2021年至2025年


def parse_due(text: str) -> tuple[int, int] | None:
    """``2025`` → (2025, 2025); ``2021/2025`` (or ``2021-2025``, ``2021年至2025年``, full-width
    digits) → (2021, 2025); None when not a year or an interval of years whose first is not
    after its last. The periods' own parser reads it (the spellings of a span of years that
    only an option takes are first written as ``2021/2025``)."""
    from cctrack.period import PeriodError, PeriodKind, parse_period

    plain = _SPAN.sub(r"\1/\2", unicodedata.normalize("NFKC", text)).strip()
    plain = re.sub(r"^(\d{4})/\1$", r"\1", plain)  # 2025/2025 is the year 2025
    try:
        period = parse_period(plain)
    except PeriodError:
        return None
    if period.kind not in (PeriodKind.year, PeriodKind.years):
        return None
    return period.start.year, period.end.year


def is_due(a: Assessment, years: tuple[int, int]) -> bool:
    """True when the target's deadline falls in the years (inclusive): the deadline's year is
    the year its period ends in (a deadline of 2025-06-30 falls in 2025)."""
    d = a.target.deadline
    return d is not None and years[0] <= d.year <= years[1]


def due_and_stated(
    chosen: list[Assessment], years: tuple[int, int] | None, as_of: date
) -> tuple[list[Assessment], list[tuple[str, int, Any]]]:
    """The targets kept by ``--due`` (when given) and, of those, the ones stated by ``as_of``
    (:func:`cctrack.pipeline.stated_after`), with how many each left out: ``("due", n, years)``
    and ``("stated", n, as_of)``, for the line that says so (``status`` and ``report``)."""
    from cctrack.pipeline import stated_after

    left: list[tuple[str, int, Any]] = []
    if years is not None:
        due_ones = [a for a in chosen if is_due(a, years)]
        left.append(("due", len(chosen) - len(due_ones), years))
        chosen = due_ones
    known = [a for a in chosen if not stated_after(a.target, as_of)]
    left.append(("stated", len(chosen) - len(known), as_of))
    return known, left
