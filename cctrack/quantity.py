"""Parse and format quantities: numbers, scale words, Chinese scales, units, percents, qualifiers.

A quantity is an exact :class:`~decimal.Decimal` with the unit and the bound its text implied.
Parsing never uses floats; display rounds.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum


class Bound(StrEnum):
    """How a stated value relates to the true one."""

    exact = "exact"
    at_least = "at_least"
    at_most = "at_most"


class QuantityError(ValueError):
    """A quantity string that cannot be read; ``code`` is a stable problem code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Quantity:
    """A parsed value: exact number, implied unit (canonical) and bound; ``approx`` for 'about'."""

    value: Decimal
    unit: str | None = None
    bound: Bound = Bound.exact
    approx: bool = False
    percent: bool = False


ENGLISH_SCALES: dict[str, int] = {
    "thousand": 3, "k": 3, "K": 3,
    "million": 6, "mn": 6, "m": 6, "M": 6,
    "billion": 9, "bn": 9, "B": 9,
    "trillion": 12, "tn": 12, "T": 12,
}  # fmt: skip
CHINESE_SCALES: dict[str, int] = {
    "千": 3, "万": 4, "十万": 5, "百万": 6, "千万": 7, "亿": 8, "万亿": 12,
}  # fmt: skip

# Unit words (English and Chinese) mapped to a canonical unit name.
UNIT_SYNONYMS: dict[str, str] = {
    "yuan": "yuan", "rmb": "yuan", "cny": "yuan", "元": "yuan", "yuan rmb": "yuan",
    "vehicle": "vehicles", "vehicles": "vehicles", "cars": "vehicles", "units": "vehicles",
    "辆": "vehicles",
    "people": "people", "person": "people", "persons": "people", "人": "people",
    "visits": "visits", "visit": "visits", "tourist visits": "visits", "trips": "visits",
    "人次": "visits",
    "enterprises": "enterprises", "enterprise": "enterprises", "firms": "enterprises",
    "firm": "enterprises", "companies": "enterprises", "户": "enterprises", "家": "enterprises",
    "percent": "percent", "%": "percent",
}  # fmt: skip

KNOWN_UNITS = frozenset(UNIT_SYNONYMS.values())

_AT_LEAST_PREFIX = (
    "more than", "at least", "over", "above", ">=", "≥", ">", "突破", "超过", "超", "逾",
)  # fmt: skip
_AT_MOST_PREFIX = ("less than", "at most", "under", "below", "<=", "≤", "<", "不超过", "不到")
_APPROX_PREFIX = ("approximately", "about", "around", "nearly", "almost", "~", "约", "近")
_AT_LEAST_SUFFIX = ("or more", "and above", "以上", "多", "余", "+")
_AT_MOST_SUFFIX = ("or less", "or fewer", "以下", "以内")
_APPROX_SUFFIX = ("左右",)

_NUMBER = re.compile(
    r"""(?P<sign>[+-])?
        (?P<int>\d{1,3}(?:,\d{3})+|\d+(?:_\d+)*)
        (?P<frac>\.\d+(?:_\d+)*)?
        (?P<exp>[eE][+-]?\d+)?""",
    re.VERBOSE,
)
_CN_SCALE = re.compile("万亿|十万|百万|千万|千|万|亿")
_EN_SCALE = re.compile(r"((?i:thousand|million|billion|trillion|mn|bn|tn)|[kKmMBT])(?![A-Za-z])")
MAX_EXPONENT = 30  # |value| below 10**30 (world GDP is about 10**14): far past any real figure


def canonical_unit(unit: str) -> str:
    """The canonical name of a unit word; unknown words are returned lower-cased."""
    u = unit.strip().lower()
    return UNIT_SYNONYMS.get(u, u)


def units_agree(value_unit: str | None, target_unit: str) -> bool:
    """True when a unit written with a value is compatible with the target's unit."""
    return value_unit is None or canonical_unit(value_unit) == canonical_unit(target_unit)


def written(raw: object, limit: int = 80) -> str:
    """A YAML value for a message, as it was written: ``5.5``, ``true``, ``null``, ``'text'``.

    Not a Python repr (``Decimal('5.5')``, ``True``, ``None``); long values are cut short.
    """
    text = _written(raw)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _written(raw: object) -> str:
    if raw is None:
        return "null"
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, int):
        return str(raw) if raw.bit_length() < 13000 else "a number too long to show"
    if isinstance(raw, float):
        return {"nan": ".nan", "inf": ".inf", "-inf": "-.inf"}.get(str(raw), str(raw))
    if isinstance(raw, Decimal):
        return str(raw)
    if isinstance(raw, dict):
        return "{" + ", ".join(f"{_written(k)}: {_written(v)}" for k, v in raw.items()) + "}"
    if isinstance(raw, list | tuple):
        return "[" + ", ".join(_written(v) for v in raw) + "]"
    return repr(raw)


def _strip_affix(text: str, affixes: tuple[str, ...], prefix: bool) -> tuple[str, bool]:
    low = text.lower()
    for a in affixes:
        if prefix and low.startswith(a):
            return text[len(a) :].strip(), True
        if not prefix and low.endswith(a):
            return text[: len(text) - len(a)].strip(), True
    return text, False


# (is a prefix, words, the bound it sets or None for "approximately"); longer words first.
_AFFIXES: tuple[tuple[bool, tuple[str, ...], Bound | None], ...] = (
    (True, _AT_LEAST_PREFIX, Bound.at_least), (True, _AT_MOST_PREFIX, Bound.at_most),
    (True, _APPROX_PREFIX, None), (False, _AT_LEAST_SUFFIX, Bound.at_least),
    (False, _AT_MOST_SUFFIX, Bound.at_most), (False, _APPROX_SUFFIX, None),
)  # fmt: skip
_PREFIXES = _AT_LEAST_PREFIX + _AT_MOST_PREFIX + _APPROX_PREFIX
_SUFFIXES = _AT_LEAST_SUFFIX + _AT_MOST_SUFFIX + _APPROX_SUFFIX


def _qualifiers(text: str) -> tuple[str, Bound, bool]:
    """Strip qualifiers before and after the number (``约 300万以上``), noting what they mean."""
    bound, approx = Bound.exact, False
    while text.lower().startswith(_PREFIXES) or text.lower().endswith(_SUFFIXES):
        for prefix, words, effect in _AFFIXES:
            text, hit = _strip_affix(text, words, prefix)
            if hit and effect is None:
                approx = True
            elif hit and effect is not None:
                bound = effect
    return text, bound, approx


def _number(text: str) -> tuple[Decimal, str]:
    m = _NUMBER.match(text)
    if not m:
        raise QuantityError("invalid-quantity", f"{text!r} does not start with a number")
    digits = m.group("int").replace(",", "").replace("_", "")
    frac = (m.group("frac") or "").replace("_", "")
    try:
        number = Decimal((m.group("sign") or "") + digits + frac + (m.group("exp") or ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
        raise QuantityError("invalid-quantity", f"{text!r} is not a number") from None
    return _in_range(number), text[m.end() :]  # unstripped: whether a space follows matters


def _in_range(number: Decimal) -> Decimal:
    """The number itself, unless it is so large (or so tiny) that arithmetic would overflow."""
    if number and not -MAX_EXPONENT <= number.adjusted() < MAX_EXPONENT:
        raise QuantityError("invalid-quantity", f"{number:.3e} is out of range")
    return number


def parse_quantity(raw: object) -> Quantity:
    """Parse a YAML number or a quantity string such as ``"over 300 billion"`` or ``"3165亿元"``.

    Raises :class:`QuantityError` with a problem code when the text cannot be read.
    """
    if type(raw) is str:  # the common case first
        return _parse_text(raw)
    if isinstance(raw, bool):
        raise QuantityError("value-boolean", f"{written(raw)} is a boolean, not a number")
    if isinstance(raw, int):
        return Quantity(_in_range(Decimal(raw)))
    if isinstance(raw, Decimal | float):
        number = Decimal(str(raw)) if isinstance(raw, float) else raw
        if not number.is_finite():
            raise QuantityError("value-not-finite", f"{written(raw)} is not a finite number")
        return Quantity(tidy(_in_range(number)))
    if not isinstance(raw, str):
        msg = f"expected a number or a quantity string, got {written(raw)}"
        raise QuantityError("value-not-number", msg)
    return _parse_text(raw)


@functools.lru_cache(maxsize=65536)
def _parse_text(raw: str) -> Quantity:
    """Parse a quantity string (memoised: a file repeats many spellings; results are immutable,
    and an error is raised again on every call because exceptions are not cached)."""
    text = " ".join(raw.strip().split())
    if not text:
        raise QuantityError("invalid-quantity", "empty quantity")
    if text.lower().lstrip("+-") in {"nan", "inf", "infinity", ".nan", ".inf"}:
        raise QuantityError("value-not-finite", f"{raw!r} is not a finite number")
    body, bound, approx = _qualifiers(text)
    number, rest = _number(body)
    percent = False
    if rest.lstrip().startswith("%"):
        percent, rest = True, rest.lstrip()[1:]
        number = number / 100
    else:
        m = _CN_SCALE.match(rest.lstrip()) or _EN_SCALE.match(rest.lstrip())
        if m:
            word = m.group(0)
            scale = CHINESE_SCALES.get(word) or ENGLISH_SCALES.get(word)
            scale = scale or ENGLISH_SCALES[word.lower()]  # "Billion", "BN"
            number, rest = number.scaleb(scale), rest.lstrip()[m.end() :]
    spaced = not rest or rest[0].isspace()
    rest = rest.strip()
    unit = None
    if rest and not spaced and rest.isascii() and canonical_unit(rest) not in KNOWN_UNITS:
        # letters glued to the number and no unit we know: a typo ("3oo bn"), not a unit
        raise QuantityError("invalid-quantity", f"{raw!r}: cannot read {rest!r} after the number")
    if rest:
        if rest in {"%"}:
            raise QuantityError("invalid-quantity", f"{raw!r}: misplaced '%'")
        if not re.fullmatch(r"[A-Za-z][A-Za-z ]*|[\u4e00-\u9fff]{1,3}", rest):
            msg = f"{raw!r}: cannot read {rest!r} after the number"
            raise QuantityError("invalid-quantity", msg)
        unit = canonical_unit(rest)
    return Quantity(tidy(number), unit, bound, approx, percent)


def tidy(number: Decimal) -> Decimal:
    """An integral decimal without exponent (``7.00E+5`` → ``700000``); others unchanged."""
    if number == number.to_integral_value() and abs(number) < Decimal(10) ** 30:
        return Decimal(int(number))
    return number


def parse_percent(raw: object) -> Decimal:
    """Parse a percentage such as ``"+208.56%"`` into a fraction (``2.0856``).

    A bare number is refused: ``5.5`` could mean 5.5% or 550%, so the ``%`` sign is required.
    """
    if isinstance(raw, bool) or not isinstance(raw, str):
        msg = f"{written(raw)}: write a change as a percentage string, e.g. '+5.5%'"
        raise QuantityError("invalid-percent", msg)
    q = parse_quantity(raw)
    if not q.percent:
        raise QuantityError("invalid-percent", f"{raw!r} is not a percentage (e.g. '+5.5%')")
    return q.value
