"""How numbers read: humanised quantities, percentages and bound marks.

Every number a person reads is formatted here, so the table, ``show``, Markdown, CSV and the
HTML report write the same value the same way. The forms that differ by language (the scales
``bn`` or ``亿``, the units, percentage points) are the words object's
(:class:`cctrack.render.catalogue.Words`), which every caller passes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import ROUND_CEILING, Context, Decimal, Inexact, getcontext, localcontext, setcontext

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
    if significant is None:
        write = _writer(w, unit)
        if write is not None:
            try:
                return write(value)
            except Inexact:
                pass  # written by the catalogue, below
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


# Exact arithmetic: a value whose digits do not fit (none that cctrack reads or computes) is
# refused with Inexact, and written by the catalogue as before.
_EXACT = Context(prec=400, traps=[Inexact])
_CENT = Decimal("0.01")
_HALF_CENT = Decimal("0.005")


@functools.lru_cache(maxsize=256)
def _writer(w: Words, unit: str | None) -> Callable[[Decimal], str] | None:
    """What ``humanize(value, unit, w)`` writes of a finite value, with the catalogue's steps
    (:meth:`Words.humanize`) worked out once for ``unit``: each scale's test, ``round(value /
    10**exp, 2) >= 10**(start - exp)``, made one comparison of the value with the least value
    that passes it, and the words around the number; then one rounding to two decimals. None
    when the catalogue does not write the unit around the number (:func:`_unit_words`)."""
    around = _unit_words(w, unit) if unit else ("", "")
    if around is None:
        return None
    before, after = around
    form, group = w.entries["number.scaled"], w.group
    tests: list[tuple[Decimal, bool, int, str, tuple[str, str] | None]] = []
    with localcontext(_WIDE):  # as Words.humanize runs
        for word, exp, start in w.scales:
            limit = Decimal(10) ** (start - exp)
            edge = limit.quantize(_CENT, rounding=ROUND_CEILING) - _HALF_CENT  # rounds to it?
            words = around_field(form, "number", scale=word)
            tests.append((edge.scaleb(exp), round(edge, 2) >= limit, -exp, word, words))

    def write(value: Decimal) -> str:
        mag = _EXACT.abs(value)  # Inexact if its digits do not fit
        scaled, test = mag, None
        for each in tests:
            if mag > each[0] or (each[1] and mag == each[0]):
                scaled, test = _EXACT.scaleb(mag, each[2]), each
                break
        cents = _WIDE.quantize(scaled, _CENT)
        # two decimals, then no trailing zeros: the text of a number below 1,000 is its str
        text = (str(cents) if cents < 1000 else f"{cents:,f}").rstrip("0").rstrip(".")
        if group != "," and cents >= 1000:
            text = text.replace(",", group)
        if test is not None:
            scale = test[4]
            text = (
                form.format(number=text, scale=test[3])
                if scale is None
                else (scale[0] + text + scale[1])
            )
        return ("-" if value < 0 else "") + before + text + after

    return write


def around_field(form: str, field: str, **values: object) -> tuple[str, str] | None:
    """The text before and after ``{field}`` in the catalogue's ``form``, the other fields
    filled in with ``values``, when ``form.format(**{field: x}, **values)`` is that text around
    ``x`` for any text ``x``: ``field`` once, no format spec or conversion; else None."""
    import string  # (a few forms a run, each worked out once: not on every run's start-up)

    try:
        parts = list(string.Formatter().parse(form))
    except ValueError:
        return None
    fields = [name for _, name, _, _ in parts if name is not None]
    if fields.count(field) != 1 or any(
        spec or conversion or (name is not None and name != field and name not in values)
        for _, name, spec, conversion in parts
    ):
        return None
    before: list[str] = []
    after: list[str] = []
    found = False
    for text, name, _, _ in parts:
        (after if found else before).append(text)
        if name == field:
            found = True
        elif name is not None:
            (after if found else before).append(str(values[name]))
    return "".join(before), "".join(after)


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
_PERCENT_UNITS = frozenset({"percent", "%"})


def value_mark(bound: Bound, approx: bool) -> str:
    """What is shown before a value: ``≥ ``/``≤ `` for a bound, else ``≈ `` for an
    approximate value ("about 500"), else nothing."""
    return _BOUND_MARKS.get(bound) or ("≈ " if approx else "")


def _is_percent(unit: str | None) -> bool:
    """Whether a unit is a percentage: a share is written 58.0%, never "0.58 percent"."""
    return unit is not None and unit.strip().lower() in _PERCENT_UNITS


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
    mark = value_mark(bound, approx)
    if percent or _is_percent(unit):
        return mark + format_percent(value, signed=False)
    return mark + humanize(value if isinstance(value, Decimal) else decimal(value), unit, w,
                           significant)  # fmt: skip


def value_writer(unit: str | None, w: Words) -> Callable[[Decimal, Bound, bool], str]:
    """``value_text(value, bound, unit, w=w, approx=approx)`` as a function of the value, the
    bound and ``approx``, for the many values of one unit (a report's table of observations):
    what depends on the unit only is worked out once."""
    if _is_percent(unit):
        return lambda value, bound, approx: (
            value_mark(bound, approx) + format_percent(value, signed=False)
        )
    write = _writer(w, unit)

    def text(value: Decimal, bound: Bound, approx: bool) -> str:
        mark = value_mark(bound, approx)
        if write is not None and value.is_finite():
            try:
                return mark + write(value)
            except Inexact:
                pass  # written by the catalogue, below
        return mark + humanize(value, unit, w)

    return text


_KEPT = 1 << 14  # changes a writer keeps the text of at most (then it starts again)


@functools.lru_cache(maxsize=16)
def change_writer(digits: int, w: Words) -> Callable[[Decimal, bool], str]:
    """``change_text(change, points, digits, w=w)`` as a function of the change and ``points``,
    each distinct change written once per process (a report's hundred thousand changes have a
    few thousand values, shared by its targets). Equal changes are written alike (to ``digits``
    decimals) but for a zero's sign (``+0.00%``, ``-0.00%``): a zero, like any change not
    finite, is written every time."""
    texts: tuple[dict[Decimal, str], dict[Decimal, str]] = ({}, {})

    def text(change: Decimal, points: bool) -> str:
        known = texts[points]
        found = known.get(change)
        if found is None:
            found = change_text(change, points, digits, w=w)
            if change and change.is_finite():
                if len(known) >= _KEPT:
                    known.clear()
                known[change] = found
        return found

    return text


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
