"""The assessment categories and their order, as plain strings (no models needed)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cctrack.assess import Assessment

# Best first. --fail-on C triggers for C and every ranked category after it; the last two are
# not ranked and trigger only when named themselves.
RANKED = ("achieved", "met", "on_track", "acceleration_needed", "limited_progress",
          "deterioration", "missed")  # fmt: skip
CATEGORIES = (*RANKED, "unresolved", "not_assessable", "no_data")


def fails(status: str, threshold: str) -> bool:
    """True when ``status`` is ``threshold`` or worse (for ``--fail-on``)."""
    if status not in RANKED or threshold not in RANKED:
        return status == threshold
    return RANKED.index(status) >= RANKED.index(threshold)


def failing(assessments: Iterable[Assessment], threshold: str) -> list[str]:
    """The ids of the targets that make ``--fail-on threshold`` fail."""
    return [a.target.id for a in assessments if fails(a.status, threshold)]
