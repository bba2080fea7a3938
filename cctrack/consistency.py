"""Do the figures agree with each other? Pure functions shared by ``validate`` (the warnings
``inconsistent-change`` and ``implausible-jump``) and the assessment (the caveat
``inconsistent-sources``), so both find the same disagreements (docs/method.md §12.2).

A figure is taken as exact to half a unit in its last written digit, and to at least three
significant digits; a percentage to half a unit in its last written digit, whole percentages
± 0.5 points.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from cctrack.pickling import Compact
from cctrack.quantity import Bound

SIGNIFICANT = 3
JUMP = 10  # a value 10 times larger or smaller than its neighbour is implausible


def value_precision(x: Decimal) -> Decimal:
    """Half a unit of the last digit a value was written with, taking any figure as exact to
    at least three significant digits ("300 bn" is 300 ± 0.5 bn; "241.11 bn" ± 0.005 bn)."""
    if not x:
        return Decimal(0)
    t = abs(x).normalize()
    exponent = min(int(t.as_tuple().exponent), t.adjusted() - (SIGNIFICANT - 1))
    return Decimal(5).scaleb(exponent - 1)


def change_precision(c: Decimal) -> Decimal:
    """Half a unit of the last digit of a percentage as written, as a fraction: "+20%" is
    ± 0.5 points, "+6.6%" ± 0.05 points."""
    pct = (c * 100).normalize()
    exponent = min(int(pct.as_tuple().exponent), 0)
    return Decimal(5).scaleb(exponent - 1) / 100


@dataclass(frozen=True, slots=True)
class Disagreement(Compact):
    """A stated change and the change its two values imply."""

    stated: Decimal
    implied: Decimal
    tolerance: Decimal


def disagreement(
    before: Decimal,
    after: Decimal,
    stated: Decimal,
    before_bound: Bound = Bound.exact,
    after_bound: Bound = Bound.exact,
) -> Disagreement | None:
    """The disagreement of a stated change with the values before and after it, when it is
    larger than the precision of the three figures as written; None when they agree.

    A bound widens what the values imply: "over 85,000" before and 115,000 after imply at most
    +35.3%, so a stated +43.7% disagrees while +30% does not.
    """
    if before <= 0 or after < 0:
        return None
    implied = after / before - 1
    tolerance = change_precision(stated) + (
        value_precision(after) / max(after, Decimal(1)) + value_precision(before) / before
    ) * (1 + implied)  # fmt: skip
    low, high = implied - tolerance, implied + tolerance
    if before_bound is Bound.at_least or after_bound is Bound.at_most:
        low = Decimal(-1)  # the true change can be anything below
    if before_bound is Bound.at_most or after_bound is Bound.at_least:
        high = Decimal("Infinity")
    if low <= stated <= high:
        return None
    return Disagreement(stated, implied, tolerance)


def jump(value: Decimal, reference: Decimal) -> Decimal | None:
    """The factor by which ``value`` is 10 or more times larger or smaller than ``reference``
    (the nearest full-period value, or the target); None within that."""
    if value <= 0 or reference <= 0:
        return None
    ratio = value / reference
    if ratio >= JUMP:
        return ratio
    if ratio <= Decimal(1) / JUMP:
        return ratio
    return None
