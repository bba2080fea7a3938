"""How numbers read: humanised quantities, percentages and bound marks.

Every number a person reads is formatted here, so the table, ``show``, Markdown, CSV and the
HTML report write the same value the same way. The forms that differ by language (the scales
``bn`` or ``亿``, the units, percentage points) are the words object's
(:class:`cctrack.render.catalogue.Words`), which every caller passes.
"""

from __future__ import annotations

import functools
from decimal import Context, Decimal, getcontext, setcontext

from cctrack.quantity import Bound
from cctrack.render.catalogue import Words

# Enough digits for any float (a projection can reach 1e308): the numbers are rounded only
# where they are written. Otherwise the default context (as every thread of cctrack has).
_WIDE = Context(prec=400)


def humanize(
    value: Decimal | None, unit: str | None, w: Words, significant: int | None = None
) -> str:
    """Format a value for people: ``316.5 bn yuan``, ``1.56 M vehicles`` or ``3165亿元``
    (``significant``: to that many significant digits rather than two decimals)."""
    if value is None:
        return "—"
    if not value.is_finite():
        return str(value)
    sign = "-" if value < 0 else ""
    around = _unit_words(w, unit) if unit else None
    outer = getcontext()
    setcontext(_WIDE)
    try:
        if around is None:
            return sign + w.humanize(abs(value), unit, significant)
        return sign + around[0] + w.humanize(abs(value), None, significant) + around[1]
    finally:
        setcontext(outer)


# Values that find the unit's words: without a scale, with a fraction, with a scale.
_PROBES = (Decimal(0), Decimal("1.5"), Decimal("12.25"), Decimal(1234567))


@functools.lru_cache(maxsize=256)
def _unit_words(w: Words, unit: str) -> tuple[str, str] | None:
    """The words the catalogue writes before and after a number in ``unit`` (``("", " yuan")``,
    ``("", "元")``), found once per unit from how it writes a few values; None when no single
    pair writes them all (then every value is written whole by the catalogue)."""
    bare = [w.humanize(p, None) for p in _PROBES]
    full = [w.humanize(p, unit) for p in _PROBES]
    start = full[0].find(bare[0])
    while start >= 0:
        before, after = full[0][:start], full[0][start + len(bare[0]) :]
        if all(f == before + b + after for b, f in zip(bare, full, strict=True)):
            return before, after
        start = full[0].find(bare[0], start + 1)
    return None


def format_percent(fraction: Decimal | float | None, signed: bool = True, digits: int = 1) -> str:
    """Format a fraction as a percentage: ``0.0856`` → ``+8.6%``."""
    if fraction is None:
        return "—"
    # a Decimal's text is the same Decimal: only a float goes through its text
    pct = _WIDE.multiply(fraction if isinstance(fraction, Decimal) else Decimal(str(fraction)), 100)
    return f"{pct:+.{digits}f}%" if signed else f"{pct:.{digits}f}%"


def ratio_text(ratio: float | None) -> str:
    """A progress ratio, to two decimals: ``0.54`` (the figure one checks by hand)."""
    return "—" if ratio is None else f"{ratio:.2f}"


_BOUND_MARKS = {Bound.at_least: "≥ ", Bound.at_most: "≤ "}


def bound_mark(bound: Bound) -> str:
    """The sign shown before a bounded value: ``≥``, ``≤`` or nothing."""
    return _BOUND_MARKS.get(bound, "")


def approx_mark(approx: bool) -> str:
    """``≈ `` before an approximate value ("about 500")."""
    return "≈ " if approx else ""


def value_text(
    value: Decimal | float | None,
    bound: Bound = Bound.exact,
    unit: str | None = None,
    *,
    w: Words,
    percent: bool = False,
    approx: bool = False,
    significant: int | None = None,
) -> str:
    """A value with its bound or approximation mark: ``≥ 300 bn yuan``, ``≈ 500 people``."""
    if value is None:
        return "—"
    mark = _BOUND_MARKS.get(bound) or approx_mark(approx)
    if percent or (unit is not None and unit.strip().lower() in {"percent", "%"}):
        return mark + format_percent(value, signed=False)  # a share: 58.0%, never "0.58 percent"
    return mark + humanize(value if isinstance(value, Decimal) else decimal(value), unit, w,
                           significant)  # fmt: skip


def points_text(change: Decimal | float, digits: int, w: Words, signed: bool = True) -> str:
    """A change in percentage points: ``+1.2 pp`` (``+1.2个百分点``); ``signed=False`` for a
    margin (``0.20 pp``)."""
    shown = f"{Decimal(str(change)) * 100:{'+' if signed else ''}.{digits}f}"
    return w("number.points", change=shown)


def change_text(
    change: Decimal | float | None, points: bool = False, digits: int = 1, *, w: Words
) -> str:
    """A stated change: ``+8.6%``, or ``+1.2 pp`` in percentage points."""
    if change is None:
        return "—"
    if points:
        return points_text(change, digits, w)
    return format_percent(change, digits=digits)


def decimal(value: Decimal | float) -> Decimal:
    """A float as the Decimal of its shortest repr (for display); a Decimal as it is."""
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(value)) if value == value and abs(value) != float("inf") else Decimal(0)


def derived_digits(value: Decimal, source: Decimal, w: Words) -> int:
    """How many significant digits a value derived from ``source`` is shown with: one more than
    the source as shown at most, no more than the value's own two decimals of its scale, and never
    a fraction of a unit (``2,050 × 1.71`` is ``3,506``, not ``3,505.5``)."""
    whole = max(1, abs(value).adjusted() + 1) if value else 1
    return max(1, min(w.significant(abs(source)) + 1, w.significant(abs(value)), whole))
