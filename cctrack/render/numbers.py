"""How numbers read: humanised quantities, percentages and bound marks, in English or Chinese.

Every number a person reads is formatted here, so the table, ``show``, Markdown, CSV and the
HTML report write the same value the same way.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

from cctrack.quantity import Bound, canonical_unit

_EN_SHOW = ((12, "tn"), (9, "bn"), (6, "M"), (3, "k"))
_ZH_SHOW = ((12, "万亿"), (8, "亿"), (4, "万"))
_ZH_UNIT = {"yuan": "元", "vehicles": "辆", "people": "人", "visits": "人次", "enterprises": "家"}


def _trim(number: Decimal, digits: int) -> str:
    text = f"{number:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def humanize(value: Decimal | None, unit: str | None = None, lang: str = "en") -> str:
    """Format a value for people: ``316.5 bn yuan``, ``1.56 M vehicles`` or ``3165亿元``."""
    if value is None:
        return "—"
    if not value.is_finite():
        return str(value)
    with localcontext() as ctx:  # enough digits for any float (a projection can reach 1e308)
        ctx.prec = 400
        return _humanize(value, unit, lang)


def _humanize(value: Decimal, unit: str | None, lang: str) -> str:
    sign = "-" if value < 0 else ""
    mag = abs(value)
    if lang == "zh":
        zh_unit = _ZH_UNIT.get(canonical_unit(unit), f" {unit}") if unit else ""
        for exp, word in _ZH_SHOW:  # compare as rounded for display: 9999.999万 is 1亿
            if round(mag.scaleb(-exp), 2) >= 1:
                return f"{sign}{_trim(mag.scaleb(-exp), 2).replace(',', '')}{word}{zh_unit}"
        return f"{sign}{_trim(mag, 2).replace(',', '')}{zh_unit}"
    tail = f" {unit}" if unit else ""
    for exp, word in _EN_SHOW:  # compare as rounded for display: 999,999.9 is 1 M, not 1,000 k
        if round(mag.scaleb(-exp), 2) >= Decimal(10) ** (max(exp, 4) - exp):
            return f"{sign}{_trim(mag.scaleb(-exp), 2)} {word}{tail}"
    return f"{sign}{_trim(mag, 2)}{tail}"


def format_percent(fraction: Decimal | float | None, signed: bool = True, digits: int = 1) -> str:
    """Format a fraction as a percentage: ``0.0856`` → ``+8.6%``."""
    if fraction is None:
        return "—"
    with localcontext() as ctx:
        ctx.prec = 400
        pct = Decimal(str(fraction)) * 100
        return f"{pct:+.{digits}f}%" if signed else f"{pct:.{digits}f}%"


def bound_mark(bound: Bound) -> str:
    """The sign shown before a bounded value: ``≥``, ``≤`` or nothing."""
    return {Bound.at_least: "≥ ", Bound.at_most: "≤ "}.get(bound, "")


def approx_mark(approx: bool) -> str:
    """``≈ `` before an approximate value ("about 500")."""
    return "≈ " if approx else ""


def value_text(
    value: Decimal | float | None,
    bound: Bound = Bound.exact,
    unit: str | None = None,
    lang: str = "en",
    *,
    percent: bool = False,
    approx: bool = False,
) -> str:
    """A value with its bound or approximation mark: ``≥ 300 bn yuan``, ``≈ 500 people``."""
    if value is None:
        return "—"
    mark = bound_mark(bound) or approx_mark(approx)
    if percent or (unit is not None and unit.strip().lower() in {"percent", "%"}):
        return mark + format_percent(value, signed=False)  # a share: 58.0%, never "0.58 percent"
    return mark + humanize(decimal(value), unit, lang)


def points_text(
    change: Decimal | float, digits: int = 1, lang: str = "en", signed: bool = True
) -> str:
    """A change in percentage points: ``+1.2 pp`` (``+1.2个百分点``); ``signed=False`` for a
    margin (``0.20 pp``)."""
    shown = f"{Decimal(str(change)) * 100:{'+' if signed else ''}.{digits}f}"
    return f"{shown}个百分点" if lang == "zh" else f"{shown} pp"


def change_text(
    change: Decimal | float | None, points: bool = False, digits: int = 1, lang: str = "en"
) -> str:
    """A stated change: ``+8.6%``, or ``+1.2 pp`` in percentage points."""
    if change is None:
        return "—"
    if points:
        return points_text(change, digits, lang)
    return format_percent(change, digits=digits)


def decimal(value: Decimal | float) -> Decimal:
    """A float as the Decimal of its shortest repr (for display); a Decimal as it is."""
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(value)) if value == value and abs(value) != float("inf") else Decimal(0)
