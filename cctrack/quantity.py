"""Parse and format quantities: numbers, scale words, Chinese scales, units, percents, qualifiers.

A quantity is an exact :class:`~decimal.Decimal` with the unit and the bound its text implied.
Parsing never uses floats; display rounds. Full-width digits and punctuation, as a Chinese input
method types them (``３１６５亿元``, ``1，000``, ``＋5.5％``), read as their ASCII forms
(:func:`normalise_text`); digits of other scripts are refused. Every parser here takes time
linear in its input (a number longer than :data:`MAX_DIGITS` characters is refused unread).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from cctrack.pickling import Compact
from cctrack.vocabulary import Bound as Bound


class QuantityError(ValueError):
    """A quantity string that cannot be read; ``code`` is a stable problem code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Quantity(Compact):
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
    "more than", "at least", "exceeding", "exceeded", "surpassed", "topped", "over", "above",
    ">=", "≥", ">", "突破", "超过", "超", "逾",
)  # fmt: skip
_AT_MOST_PREFIX = ("less than", "at most", "under", "below", "<=", "≤", "<", "不超过", "不到")
_APPROX_PREFIX = ("approximately", "about", "around", "nearly", "almost", "~", "大约", "约", "近")
_AT_LEAST_SUFFIX = ("or more", "and above", "以上", "多", "余", "を突破", "を超え", "+")
_AT_MOST_SUFFIX = ("or less", "or fewer", "以下", "以内")
_APPROX_SUFFIX = ("左右",)

_NUMBER = re.compile(
    r"""(?P<sign>[+-])?
        (?P<int>\d{1,3}(?:,\d{3})+|\d+(?:_\d+)*)
        (?P<frac>\.\d+(?:_\d+)*)?
        (?:[eE](?P<exp>[+-]?\d+))?""",
    re.VERBOSE | re.ASCII,  # \d is 0-9 only: other scripts' digits are refused by name
)
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")  # a decimal digit of another script: ٢, ২, ๓ ...
_CN_SCALE = re.compile("万亿|十万|百万|千万|千|万|亿")
_EN_SCALE = re.compile(r"((?i:thousand|million|billion|trillion|mn|bn|tn)|[kKmMBT])(?![A-Za-z])")
MAX_EXPONENT = 30  # |value| below 10**30 (world GDP is about 10**14): far past any real figure
MAX_PERCENT = Decimal(10) ** 6  # |percentage| below 1,000,000%: a change of ×10,000 at most
MAX_DIGITS = 400  # a number written with more characters is out of range, refused unread
_MAX_WRITTEN_EXPONENT = 10_000  # an exponent (1e…) beyond this is out of range, refused unread
_INT_LIMIT = 10**MAX_EXPONENT
_TIDY_LIMIT = Decimal(10) ** 30  # tidy() writes out integral values below it
_MAX_FRACTION = MAX_PERCENT / 100  # a percentage below MAX_PERCENT, as a fraction (exact)
_OUT_OF_RANGE = "is out of range: a value must be 0 or between 1e-30 and 1e30 in size"

# Full-width forms a Chinese input method types, and their ASCII equivalents; the traditional
# characters of figures and their qualifiers (約 餘 過), and their simplified forms.
_FULL_WIDTH = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)},
     "，": ",", "．": ".", "％": "%", "＋": "+", "－": "-", "\u3000": " ", "￥": "¥",
     "萬": "万", "億": "亿", "圓": "元", "過": "过", "兩": "两", "點": "点", "約": "约",
     "餘": "余", "減": "减", "長": "长"}
)  # fmt: skip
# A currency written before the number: "RMB 143.63 billion", "¥300亿", "CNY 5 million" (yuan).
_CURRENCY = re.compile(r"(?:RMB|CNY|¥)\s*", re.IGNORECASE)


def normalise_text(text: str) -> str:
    """``text`` with full-width digits ``０-９``, ``，．％＋－`` and the full-width space mapped to
    ASCII (``＋２４．４％`` → ``+24.4%``), the traditional ``萬 億 圓 過 兩 點 約 餘 減 長`` read as
    ``万 亿 元 过 两 点 约 余 减 长`` and ``￥`` as ``¥``; every other character is left as
    it is."""
    return text.translate(_FULL_WIDTH)


class OutOfRangeNumber:
    """A number as written in YAML that is too long (over :data:`MAX_DIGITS` characters) or has
    too large an exponent to be held exactly: it keeps only its text, and every parser of values
    refuses it as out of range."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OutOfRangeNumber) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __repr__(self) -> str:
        return written(self)


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
    if isinstance(raw, OutOfRangeNumber):
        return raw.text
    if isinstance(raw, dict):
        return "{" + ", ".join(f"{_written(k)}: {_written(v)}" for k, v in raw.items()) + "}"
    if isinstance(raw, list | tuple):
        return "[" + ", ".join(_written(v) for v in raw) + "]"
    return repr(raw)


def _strip_affix(text: str, affixes: tuple[str, ...], prefix: bool) -> tuple[str, str | None]:
    """``text`` without the first of ``affixes`` it starts (or ends) with, and that word."""
    for a in affixes:  # only the ends are lower-cased: linear however long the text
        if prefix and text[: len(a)].lower() == a:
            return text[len(a) :].strip(), a
        if not prefix and len(text) >= len(a) and text[len(text) - len(a) :].lower() == a:
            return text[: len(text) - len(a)].strip(), a
    return text, None


# (is a prefix, words, the bound it sets or None for "approximately"); longer words first.
_AFFIXES: tuple[tuple[bool, tuple[str, ...], Bound | None], ...] = (
    (True, _AT_LEAST_PREFIX, Bound.at_least), (True, _AT_MOST_PREFIX, Bound.at_most),
    (True, _APPROX_PREFIX, None), (False, _AT_LEAST_SUFFIX, Bound.at_least),
    (False, _AT_MOST_SUFFIX, Bound.at_most), (False, _APPROX_SUFFIX, None),
)  # fmt: skip
# Every qualifier word, before and after a number (the quote reader finds figures with them).
PREFIXES = _AT_LEAST_PREFIX + _AT_MOST_PREFIX + _APPROX_PREFIX
SUFFIXES = _AT_LEAST_SUFFIX + _AT_MOST_SUFFIX + _APPROX_SUFFIX
SUFFIXES_LONGEST = tuple(sorted(SUFFIXES, key=len, reverse=True))


MAX_QUALIFIERS = 2  # "约300万以上" (about, at least); a third is not how a figure is written
_BOUND_WORDS = {Bound.at_least: "at least", Bound.at_most: "at most"}


def _qualifiers(text: str, raw: str) -> tuple[str, Bound, bool]:
    """Strip qualifiers before and after the number (``约 300万以上``), noting what they mean.

    At most :data:`MAX_QUALIFIERS` of them; two bounds that contradict each other (``over 300 or
    less``) are refused, and so are two words of one meaning on one side (``over 超过 90``,
    ``about ~5``); one meaning before and after (``约5左右``, ``超过5万以上``) is the Chinese habit.
    Each pass strips at least one word and there are at most three passes, each looking only at
    the ends of the text: linear however many ``~~~`` precede the number.
    """
    bound, approx, bound_word, count = Bound.exact, False, "", 0
    seen: dict[tuple[bool, Bound | None], str] = {}  # (before the number, meaning) → word
    while True:
        found = 0
        for prefix, words, effect in _AFFIXES:
            text, word = _strip_affix(text, words, prefix)
            if word is None:
                continue
            same = seen.get((prefix, effect))
            if same is not None:  # "over over 90", "over 超过 90", "about ~5": a slip
                meaning = _BOUND_WORDS[effect] if effect else "about"
                side = "before" if prefix else "after"
                said = f"{same!r} and {word!r} both say {meaning!r} {side} the number"
                msg = f"{written(raw)}: {f'{word!r} is written twice' if same == word else said}"
                raise QuantityError("invalid-quantity", msg + ": keep one")
            seen[prefix, effect] = word
            found += 1
            if effect is None:
                approx = True
            elif bound is not Bound.exact and effect is not bound:
                msg = (
                    f"{written(raw)}: {bound_word!r} ({_BOUND_WORDS[bound]}) and {word!r} "
                    f"({_BOUND_WORDS[effect]}) contradict each other: keep one"
                )
                raise QuantityError("invalid-quantity", msg)
            else:
                bound, bound_word = effect, word
        count += found
        if count > MAX_QUALIFIERS:
            msg = (
                f"{written(raw)}: more than {MAX_QUALIFIERS} qualifiers: write one bound and "
                "perhaps 'about', e.g. '约300万以上' or 'over 300 million'"
            )
            raise QuantityError("invalid-quantity", msg)
        if not found:
            return text, bound, approx


def _number(text: str, raw: str) -> tuple[Decimal, str]:
    """The number at the start of ``text`` (unchecked against the range) and what follows it.

    A number longer than :data:`MAX_DIGITS` characters, or with an exponent beyond ±10,000, is
    refused before it is converted, so neither a million digits nor ``1e99999999999999999999``
    costs more than reading it.
    """
    m = _NUMBER.match(text)
    if not m:
        raise QuantityError("invalid-quantity", f"{written(raw)}: no number where one is expected")
    if m.end() > MAX_DIGITS:
        msg = f"{written(raw)}: a number of more than {MAX_DIGITS} characters is out of range"
        raise QuantityError("invalid-quantity", msg)
    exponent = int(m.group("exp") or 0)
    if abs(exponent) > _MAX_WRITTEN_EXPONENT:
        raise QuantityError("invalid-quantity", f"{written(raw)} {_OUT_OF_RANGE}")
    digits = m.group("int").replace(",", "").replace("_", "")
    frac = (m.group("frac") or "").replace("_", "")
    try:
        number = Decimal(f"{m.group('sign') or ''}{digits}{frac}E{exponent}")
    except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
        raise QuantityError("invalid-quantity", f"{written(raw)} is not a number") from None
    return number, text[m.end() :]  # unstripped: whether a space follows matters


def _in_range(number: Decimal, raw: object) -> Decimal:
    """The number itself, unless it is so large (or so tiny) that arithmetic would overflow.

    Applied to the final value: after scale words (``1e29 trillion`` is out of range).
    """
    if number and not -MAX_EXPONENT <= number.adjusted() < MAX_EXPONENT:
        raise QuantityError("invalid-quantity", f"{written(raw)} {_OUT_OF_RANGE}")
    return number


def _shift(number: Decimal, places: int) -> Decimal:
    """``number × 10**places``, exactly (``scaleb`` and ``/`` round to the context's 28 digits)."""
    sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)  # a finite number
    return Decimal((sign, digits, exponent + places))


def parse_quantity(raw: object) -> Quantity:
    """Parse a YAML number or a quantity string such as ``"over 300 billion"`` or ``"3165亿元"``.

    Raises :class:`QuantityError` with a problem code when the text cannot be read.
    """
    if type(raw) is str:  # the common case first
        return _parse_text(raw)
    if isinstance(raw, bool):
        raise QuantityError("value-boolean", f"{written(raw)} is a boolean, not a number")
    if isinstance(raw, int):
        if not -_INT_LIMIT < raw < _INT_LIMIT:  # before Decimal(raw), quadratic in its length
            raise QuantityError("invalid-quantity", f"{written(raw)} {_OUT_OF_RANGE}")
        return Quantity(Decimal(raw))
    if isinstance(raw, Decimal | float):
        number = Decimal(str(raw)) if isinstance(raw, float) else raw
        if not number.is_finite():
            raise QuantityError("value-not-finite", f"{written(raw)} is not a finite number")
        return Quantity(tidy(_in_range(number, raw)))
    if isinstance(raw, OutOfRangeNumber):
        raise QuantityError("invalid-quantity", f"{written(raw)} {_OUT_OF_RANGE}")
    if not isinstance(raw, str):
        msg = f"expected a number or a quantity string, got {written(raw)}"
        raise QuantityError("value-not-number", msg)
    return _parse_text(raw)


# A number of at most 15 digits with at most a sign, a percent sign or one scale word: what the
# full reader below gives for these, built directly (the property tests compare the two).
_PLAIN = re.compile(
    r"([+-]?)((?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,12})?)"
    r"(?:(%)|\s?(thousand|million|billion|trillion|bn|亿|万))?"
)


@functools.lru_cache(maxsize=65536)
def _parse_text(raw: str, said: str | None = None) -> Quantity:
    """Parse a quantity string (memoised: a file repeats many spellings; results are immutable,
    and an error is raised again on every call because exceptions are not cached). An error
    names ``said`` when given: the text as the user typed it, where ``raw`` was derived from it."""
    plain = _PLAIN.fullmatch(raw)
    if plain is not None:  # the common spellings, read directly: "+5.5%", "217.10 billion"
        sign, digits, percent, scale = plain.groups()  # shifted as written: "217.10E9" is
        if percent:  # _shift(Decimal("217.10"), 9) exactly, digits and exponent
            number = Decimal(f"{sign}{digits}E-2")
            if abs(number) < _MAX_FRACTION:  # else the full reader says why not
                return Quantity(tidy(number), None, Bound.exact, False, True)
        else:
            places = (ENGLISH_SCALES.get(scale) or CHINESE_SCALES[scale]) if scale else 0
            number = Decimal(f"{sign}{digits}E{places}") if places else Decimal(sign + digits)
            return Quantity(tidy(number), None, Bound.exact, False, False)
    said = raw if said is None else said
    text = " ".join(normalise_text(raw).split())
    if not text:
        raise QuantityError("invalid-quantity", "empty quantity")
    if text.lower().lstrip("+-") in {"nan", "inf", "infinity", ".nan", ".inf"}:
        raise QuantityError("value-not-finite", f"{written(said)} is not a finite number")
    other = _OTHER_DIGIT.search(text)
    if other:
        digit = other.group()
        name = unicodedata.name(digit, "a digit of another script").lower()
        msg = f"{written(said)}: {digit!r} is {name}: write the digits 0-9 (or ０-９)"
        raise QuantityError("invalid-quantity", msg)
    body, bound, approx = _qualifiers(text, said)
    currency = _CURRENCY.match(body)
    if currency:
        body = body[currency.end() :]
    number, rest = _number(body, said)
    percent = False
    if rest.lstrip().startswith("%"):
        percent, rest = True, rest.lstrip()[1:]
        if abs(number) >= MAX_PERCENT:
            msg = f"{written(said)} is out of range: a percentage must be below 1,000,000% in size"
            raise QuantityError("invalid-quantity", msg)
        number = _shift(number, -2)
    else:
        m = _CN_SCALE.match(rest.lstrip()) or _EN_SCALE.match(rest.lstrip())
        if m:
            word = m.group(0)
            scale = CHINESE_SCALES.get(word) or ENGLISH_SCALES.get(word)
            scale = scale or ENGLISH_SCALES[word.lower()]  # "Billion", "BN"
            number, rest = _shift(number, scale), rest.lstrip()[m.end() :]
    number = _in_range(number, said)
    spaced = not rest or rest[0].isspace()
    rest = rest.strip()
    unit = None
    if rest and not spaced and rest.isascii() and canonical_unit(rest) not in KNOWN_UNITS:
        # letters glued to the number and no unit we know: a typo ("3oo bn"), not a unit
        msg = f"{written(said)}: cannot read {written(rest)} after the number"
        raise QuantityError("invalid-quantity", msg)
    if rest:
        if rest in {"%"}:
            raise QuantityError("invalid-quantity", f"{written(said)}: misplaced '%'")
        if not re.fullmatch(r"[A-Za-z][A-Za-z ]*|[\u4e00-\u9fff]{1,3}", rest):
            msg = f"{written(said)}: cannot read {written(rest)} after the number"
            raise QuantityError("invalid-quantity", msg)
        unit = canonical_unit(rest)
    if currency and unit not in (None, "yuan"):
        msg = f"{written(said)}: a yuan amount ({currency.group().strip()}) in {written(rest)}"
        raise QuantityError("invalid-quantity", msg)
    if currency and percent:
        msg = f"{written(said)}: a yuan amount ({currency.group().strip()}) cannot be a percentage"
        raise QuantityError("invalid-quantity", msg)
    if currency:
        unit = "yuan"
    return Quantity(tidy(number), unit, bound, approx, percent)


def written_like(value: Decimal, like: str) -> str:
    """``value`` written in the scale and unit of ``like``, a value as a data file writes it, for
    a message: ``6907.62亿元`` for ``7522.4亿元``, ``242.08 billion yuan`` for ``302.6 billion
    yuan``, ``1,335,047`` for ``411,777``. Two decimals with a scale word (fewer when they are
    zeros), none without; the qualifiers of ``like`` are not copied."""
    text = " ".join(normalise_text(like).split())
    body, _, _ = _qualifiers(text, like) if text else (text, Bound.exact, False)
    currency = _CURRENCY.match(body)
    body = body[currency.end() :] if currency else body
    m = _NUMBER.match(body)
    rest = body[m.end() :] if m else ""
    gap = rest[: len(rest) - len(rest.lstrip())]
    scale = _CN_SCALE.match(rest.lstrip()) or _EN_SCALE.match(rest.lstrip())
    if m is None or scale is None:
        return f"{value:,.0f}" + (gap + rest.strip() if m and rest.strip() else "")
    word = scale.group(0)
    places = CHINESE_SCALES.get(word) or ENGLISH_SCALES.get(word) or ENGLISH_SCALES[word.lower()]
    number = f"{_shift(value, -places):{',' if ',' in m.group() else ''}.2f}"
    number = number.rstrip("0").rstrip(".")
    prefix = currency.group() if currency else ""
    return f"{prefix}{number}{gap}{rest.lstrip()}"


def tidy(number: Decimal) -> Decimal:
    """An integral decimal without exponent (``7.00E+5`` → ``700000``); others unchanged."""
    if number == number.to_integral_value() and abs(number) < _TIDY_LIMIT:
        return Decimal(int(number))
    return number


# The words after a change in percentage points, longer first.
_POINTS = ("percentage points", "percentage point", "个百分点", "pp")


def _points_body(text: str) -> str | None:
    """``text`` as a percentage, its percentage-points word read as ``%`` (None if it has none
    at its end, or before qualifiers there): ``约1.2%`` of ``约1.2个百分点``, ``1.2%以上`` of
    ``1.2个百分点以上``. Linear in the text."""
    text = text.rstrip()
    ahead, after = text, ""
    for _ in range(MAX_QUALIFIERS):  # "1.2个百分点以上", "1.2 pp or more"
        ahead, word = _strip_affix(ahead, SUFFIXES_LONGEST, prefix=False)
        if word is None:
            break
        after = text[len(ahead) :]
    for t, tail in ((text, ""), (ahead, after)):
        for word in _POINTS:
            if t[len(t) - len(word) :].lower() == word:
                return t[: len(t) - len(word)].rstrip() + "%" + tail
    return None


@dataclass(frozen=True, slots=True)
class Change(Compact):
    """A stated change: a fraction, in percent or in percentage points; ``qualified`` when it
    was written with a bound or "about" (``"24%以上"``), which a change does not carry."""

    value: Decimal
    points: bool = False
    qualified: bool = False


def parse_change(raw: object) -> Change:
    """A stated change: a percentage (``"+5.5%"`` → 0.055), a change in percentage points
    (``"+1.2pp"``, ``"1.2个百分点"`` → 0.012) or a multiple in words (``"翻番"`` → 1.0,
    :func:`parse_multiple`)."""
    if type(raw) is str and _PLAIN.fullmatch(raw) is not None:  # "+5.5%": plain ASCII, which
        q = _percentage(raw)  # is no multiple, ends in no points word and no qualifier (a
        return Change(q.value, False, q.bound is not Bound.exact or q.approx)  # property test)
    factor = parse_multiple(raw)
    if factor is not None:  # "翻番": +100%, "翻两番": +300%
        return Change(tidy(factor - 1))
    body = _points_body(normalise_text(raw)) if isinstance(raw, str) else None
    if body is not None and isinstance(raw, str):  # read as a percentage: the same qualifiers,
        q = _percentage(body, raw)  # digits and limits
        return Change(q.value, True, q.bound is not Bound.exact or q.approx)
    q = _percentage(raw)
    return Change(q.value, False, q.bound is not Bound.exact or q.approx)


def parse_percent(raw: object) -> Decimal:
    """Parse a percentage such as ``"+208.56%"`` (or ``"＋208.56％"``) into a fraction (``2.0856``).

    A bare number is refused: ``5.5`` could mean 5.5% or 550%, so the ``%`` sign is required.
    A percentage must be below 1,000,000% in size (:data:`MAX_PERCENT`; a change of ×10,000, far
    past any real year-on-year change), and 0 or at least 1e-28% (a fraction of 1e-30).
    """
    return _percentage(raw).value


def _percentage(raw: object, said: str | None = None) -> Quantity:
    """``raw`` read as a percentage; an error names ``said`` (the text as typed) when given."""
    if isinstance(raw, bool) or not isinstance(raw, str):
        msg = f"{written(raw)}: write a change as a percentage string, e.g. '+5.5%'"
        raise QuantityError("invalid-percent", msg)
    q = _parse_text(raw, said)
    if not q.percent:
        msg = f"{written(raw if said is None else said)} is not a percentage (e.g. '+5.5%')"
        raise QuantityError("invalid-percent", msg)
    return q


# A multiple written in words: 翻一番 (×2), 翻两番 (×4), 翻三番 (×8); 翻番 and 实现翻番 are 翻一番.
_FAN = {"一": 1, "两": 2, "二": 2, "三": 3}
_MULTIPLE_EN = {"double": 2, "doubled": 2, "triple": 3, "tripled": 3, "quadruple": 4,
                "quadrupled": 4}  # fmt: skip
_MULTIPLE_TIMES = re.compile(r"(?:x|×)?\s*([1-9][0-9]?(?:\.[0-9]{1,2})?)\s*(?:倍|x|×|times)?")


def parse_multiple(raw: object) -> Decimal | None:
    """The factor a multiple written in words states, or None when ``raw`` is not one:
    ``翻一番``/``翻番``/``再翻一番`` → 2, ``翻两番`` → 4, ``翻三番`` → 8, ``double`` → 2,
    ``triple`` → 3, ``quadruple`` → 4, ``2倍``/``×2``/``2x``/``2 times`` → 2. A factor is
    read from these forms only; a plain number or a percentage is not a multiple."""
    if not isinstance(raw, str):
        return None
    text = "".join(normalise_text(raw).split()).lower()
    text = text.removeprefix("再").removeprefix("实现").removeprefix("要")
    if text.startswith("翻") and text.endswith("番"):
        middle = text[1:-1]
        if middle == "":
            return Decimal(2)
        if middle in _FAN:
            return Decimal(2) ** _FAN[middle]
        return None
    if text.removeprefix("to").removeprefix("be") in _MULTIPLE_EN:
        return Decimal(_MULTIPLE_EN[text.removeprefix("to").removeprefix("be")])
    m = _MULTIPLE_TIMES.fullmatch(text.replace("times", "×"))
    if m and m.group(0) != m.group(1):  # a sign of a multiple, not a bare number
        factor = Decimal(m.group(1))
        return factor if factor > 1 else None
    return None
