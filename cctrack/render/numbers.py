"""How numbers read: humanised quantities, percentages and bound marks, in English or Chinese.

Every number a person reads is formatted here, so the table, ``show``, Markdown, CSV and the
HTML report write the same value the same way.
"""

from __future__ import annotations

from decimal import Decimal

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
    pct = Decimal(str(fraction)) * 100
    text = f"{pct:+.{digits}f}%" if signed else f"{pct:.{digits}f}%"
    return text


def bound_mark(bound: Bound) -> str:
    """The sign shown before a bounded value: ``≥``, ``≤`` or nothing."""
    return {Bound.at_least: "≥ ", Bound.at_most: "≤ "}.get(bound, "")
