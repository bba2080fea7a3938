"""The interval of plausible true values a figure stands for (docs/method.md §12.6).

Pure functions on plain numbers, shared by the assessment's readings. The rules, each calibrated
on the shipped data (the evidence is written in docs/method.md §12.6):

- an exact figure: ± half a unit of its last written digit (:func:`value_precision`; a
  percentage: :func:`change_precision`);
- a bound: from its stated side to a far end :data:`BOUND_FAR` beyond it ("突破300亿" reaches
  330亿); a bound on a rate :data:`BOUND_FAR_POINTS` beyond it;
- a preliminary or expected figure, while no final figure of its period is known: ±
  :data:`ESTIMATE_ERROR` (a value) or ± :data:`ESTIMATE_POINTS` (a rate);
- a figure of a source graded C: ± :data:`GRADE_ERROR` / :data:`GRADE_POINTS` (graded A or B:
  nothing beyond the above).
"""

from __future__ import annotations

from decimal import Decimal

from cctrack.consistency import change_precision, value_precision
from cctrack.domain import Estimate, Reliability
from cctrack.quantity import Bound

BOUND_FAR = Decimal("0.10")  # "over X" stands for X to X × 1.10
BOUND_FAR_POINTS = Decimal("0.01")  # "over 5%" stands for 5% to 6%
ESTIMATE_ERROR = Decimal("0.03")  # a preliminary or expected value: ± 3%
ESTIMATE_POINTS = Decimal("0.005")  # a preliminary or expected rate: ± 0.5 points
WEAK_GRADE = Reliability.C  # the one weak grade (an aggregator's copy): ranked last, widened
GRADE_ERROR: dict[Reliability | None, Decimal] = {WEAK_GRADE: Decimal("0.03")}
GRADE_POINTS: dict[Reliability | None, Decimal] = {WEAK_GRADE: Decimal("0.005")}


def spread(
    value: Decimal,
    bound: Bound = Bound.exact,
    estimate: Estimate = Estimate.final,
    grade: Reliability | None = None,
    rate: bool = False,
    final_known: bool = False,
) -> tuple[Decimal, Decimal, tuple[str, ...]]:
    """The plausible interval ``(low, high)`` of a figure as written, and the rules that made
    it (``precision``, ``bound``, ``estimate``, ``grade``). ``rate``: a change or share, whose
    errors are in points; ``final_known``: a final figure of the same period exists, so a
    preliminary one's possible revision is known and adds nothing."""
    precision = change_precision(value) if rate else value_precision(value)
    low, high = value - precision, value + precision
    rules = ["precision"]
    if bound is not Bound.exact:
        far = BOUND_FAR_POINTS if rate else abs(value) * BOUND_FAR
        low, high = (value, value + far) if bound is Bound.at_least else (value - far, value)
        rules = ["bound"]
    widen = Decimal(0)
    if estimate in (Estimate.preliminary, Estimate.expected) and not final_known:
        widen += ESTIMATE_POINTS if rate else abs(value) * ESTIMATE_ERROR
        rules.append("estimate")
    grade_error = (GRADE_POINTS if rate else GRADE_ERROR).get(grade)
    if grade_error:
        widen += grade_error if rate else abs(value) * grade_error
        rules.append("grade")
    low, high = low - widen, high + widen
    if not rate:
        low = max(low, Decimal(0))
    return low, high, tuple(rules)


def through(
    low: Decimal, high: Decimal, c_low: Decimal, c_high: Decimal, forward: bool, points: bool
) -> tuple[Decimal, Decimal]:
    """The interval of a value derived from an interval of values and one of changes: forward
    ``v × (1 + c)`` (or ``v + c`` in points), backward ``v / (1 + c)`` (or ``v - c``)."""
    if points:
        return (low + c_low, high + c_high) if forward else (low - c_high, high - c_low)
    if forward:
        return low * (1 + c_low), high * (1 + c_high)
    if 1 + c_low <= 0:
        return low / (1 + c_high), high / (1 + c_high)
    return low / (1 + c_high), high / (1 + c_low)
