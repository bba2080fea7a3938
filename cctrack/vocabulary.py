"""The closed vocabularies of cctrack: every field of the files, every option of the command line
and every verdict that takes one of a fixed set of words.

A module of enumerations only, importing nothing of cctrack's, so that the command line can
build its choices from them without loading the core (``cctrack --help`` stays fast); the rest
of the code imports them from :mod:`cctrack.domain` and :mod:`cctrack.quantity`, where they
belong in the reading.
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    """What a target measures."""

    annual = "annual"
    level = "level"
    growth = "growth"


class Direction(StrEnum):
    """Whether the target is to be reached from below or from above."""

    increase = "increase"
    decrease = "decrease"


class Estimate(StrEnum):
    """How final a figure is; ``final`` outranks ``preliminary``, which outranks ``expected``.
    ``forecast``: stated before its period ended ("预计到年末"), never evidence for a verdict."""

    final = "final"
    preliminary = "preliminary"
    expected = "expected"
    forecast = "forecast"


class Reliability(StrEnum):
    """A: official original; B: reprint or secondary; C: aggregator."""

    A = "A"
    B = "B"
    C = "C"


class PriceBasis(StrEnum):
    """What a stated change measures: ``real`` (at comparable prices, as GDP and value-added
    growth are in Chinese statistics) or ``nominal`` (at current prices, the default)."""

    real = "real"
    nominal = "nominal"


class Bound(StrEnum):
    """How a stated value relates to the true one."""

    exact = "exact"
    at_least = "at_least"
    at_most = "at_most"


class Relation(StrEnum):
    """How a relative target compares with its benchmark."""

    above = "above"  # strictly higher ("above the national average")
    at_least = "at_least"  # no lower than ("no lower than the province's")


class Confidence(StrEnum):
    """How much weight a verdict bears (docs/method.md §12)."""

    high = "high"
    medium = "medium"
    low = "low"


class Status(StrEnum):
    """Assessment categories, best first within each group."""

    achieved = "achieved"
    met = "met"
    on_track = "on_track"
    acceleration_needed = "acceleration_needed"
    limited_progress = "limited_progress"
    deterioration = "deterioration"
    missed = "missed"
    unresolved = "unresolved"  # plausible readings of the figures disagree (docs/method.md §12)
    not_assessable = "not_assessable"
    pending = "pending"  # the period has not ended and no figure of its own has come yet
    no_data = "no_data"  # the period is over and no figure was found


class Cadence(StrEnum):
    """How often a release publishes figures (its ``cadence:``)."""

    annual = "annual"
    quarterly = "quarterly"
    monthly = "monthly"


class Method(StrEnum):
    """How progress is assessed (docs/method.md): the ratio of growth rates, or the straight
    line from base to target."""

    growth_ratio = "growth-ratio"
    linear = "linear"
