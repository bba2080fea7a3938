"""The assessment categories and their order, as plain strings (no models needed)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from cctrack.vocabulary import Status


class _Target(Protocol):
    @property
    def id(self) -> str: ...


class _Assessed(Protocol):
    """What ``failing`` reads of an assessment (a protocol: cctrack.assess imports this module)."""

    @property
    def target(self) -> _Target: ...
    @property
    def status(self) -> Status: ...
    @property
    def trend_status(self) -> Status | None: ...


# The categories of cctrack.vocabulary.Status, as plain strings, best first. --fail-on C
# triggers for C and every ranked category after it; the last four are not ranked and trigger
# only when named themselves (a target unresolved past its deadline is ranked by its last trend).
CATEGORIES: tuple[str, ...] = tuple(s.value for s in Status)
RANKED = tuple(
    c
    for c in CATEGORIES
    if c not in {Status.unresolved, Status.not_assessable, Status.pending, Status.no_data}
)


def fails(status: str, threshold: str) -> bool:
    """True when ``status`` is ``threshold`` or worse (for ``--fail-on``)."""
    if status not in RANKED or threshold not in RANKED:
        return status == threshold
    return RANKED.index(status) >= RANKED.index(threshold)


def failing(assessments: Iterable[_Assessed], threshold: str) -> list[str]:
    """The ids of the targets that make ``--fail-on threshold`` fail: a target ``unresolved`` past
    its deadline is ranked by its last trend, and ``unresolved`` itself triggers only when named."""
    return [
        a.target.id
        for a in assessments
        if fails(a.status, threshold)
        or (a.trend_status is not None and fails(a.trend_status, threshold))
    ]
