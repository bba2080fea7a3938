"""Do the figures agree with each other? Pure functions shared by ``validate`` (the warnings
``inconsistent-change`` and ``implausible-jump``) and the assessment (the caveat
``inconsistent-sources``), so both find the same disagreements (docs/method.md §12.2).

A figure is taken as exact to half a unit in its last written digit, and to at least three
significant digits; a percentage to half a unit in its last written digit, whole percentages
± 0.5 points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from cctrack.pickling import Compact
from cctrack.quantity import Bound, normalise_text

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
    ± 0.5 points, "+6.6%" and "+5.0%" ± 0.05 points (the change keeps the digits it was
    written with: a written zero counts)."""
    exponent = min(int(c.as_tuple().exponent) + 2, 0)  # of the percentage's last digit
    return Decimal(5).scaleb(exponent - 1) / 100


_NUMERAL = re.compile(r"\d[\d,]*(?:\.\d+)?")


def written_precision(text: str, value: Decimal) -> Decimal:
    """Half a unit of the last digit of ``text``, the figure as written, read as ``value``:
    ``46万`` is 460,000 ± 5,000 and ``3165.4亿`` ± 0.05亿. Trailing zeros of a whole number may
    be rounding or exact, so they count as written up to three significant digits ("300亿"
    ± 0.5亿, "700,000" ± 500), as in :func:`value_precision`; unlike it, a figure written with
    fewer digits is not taken as more precise than it is written."""
    m = _NUMERAL.search(normalise_text(text))
    numeral = Decimal(m.group(0).replace(",", "")) if m else Decimal(0)
    if not numeral or not value:
        return value_precision(value)
    digits = m.group(0).replace(",", "") if m else ""
    if "." in digits:
        last = -len(digits.split(".")[1])
    else:
        zeros = len(digits) - len(digits.rstrip("0"))
        last = min(zeros, max(len(digits.lstrip("0")) - SIGNIFICANT, 0))
    return Decimal(5).scaleb(last - 1) * abs(value / numeral)


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
    precision: tuple[Decimal | None, Decimal | None] = (None, None),
) -> Disagreement | None:
    """The disagreement of a stated change with the values before and after it, when it is
    larger than the precision of the three figures as written; None when they agree.
    ``precision`` gives the values' precisions where their written form is known
    (:func:`written_precision`); :func:`value_precision` otherwise.

    A bound widens what the values imply: "over 85,000" before and 115,000 after imply at most
    +35.3%, so a stated +43.7% disagrees while +30% does not.
    """
    if before <= 0 or after < 0:
        return None
    implied = after / before - 1
    was, now = precision
    was = value_precision(before) if was is None else was
    now = value_precision(after) if now is None else now
    tolerance = change_precision(stated) + (now / max(after, Decimal(1)) + was / before) * (
        1 + implied
    )
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
