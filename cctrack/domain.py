"""Targets, observations and sources as plain values: what the rest of cctrack works with.

The data files are validated by the pydantic models of :mod:`cctrack.model`, which turn each
entry into one of these frozen dataclasses. They import nothing heavier than the standard
library, so a result served from the cache (:mod:`cctrack.pipeline`) needs neither pydantic nor
the YAML reader. Field names and meanings are those of the files (docs/data-format.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import Field, FrozenInstanceError, dataclass, field, fields, make_dataclass
from datetime import date
from decimal import Decimal
from operator import attrgetter
from typing import Any, ClassVar

from cctrack.period import Period, parse_period
from cctrack.pickling import Compact
from cctrack.quantity import Bound, Quantity
from cctrack.vocabulary import Cadence as Cadence
from cctrack.vocabulary import Confidence as Confidence
from cctrack.vocabulary import Direction as Direction
from cctrack.vocabulary import Estimate as Estimate
from cctrack.vocabulary import Kind as Kind
from cctrack.vocabulary import PriceBasis as PriceBasis
from cctrack.vocabulary import Relation as Relation
from cctrack.vocabulary import Reliability as Reliability
from cctrack.vocabulary import Status as Status


@dataclass(frozen=True, slots=True)
class Source(Compact):
    """Where a figure was read: at least a title or a URL."""

    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: str | None = None
    reliability: Reliability | None = None

    def label(self) -> str:
        """Publisher and title, or the URL: how messages name the source."""
        parts = [p for p in (self.publisher, self.title) if p]
        return ", ".join(parts) if parts else (self.url or "")


@dataclass(frozen=True, slots=True)
class Baseline(Compact):
    """An explicit base value for the assessment."""

    period: Period
    value: Quantity


@dataclass(frozen=True, slots=True)
class Benchmark(Compact):
    """What a relative target is compared with: observations of another scope of the same
    target (``scope``), or of another target (``target``)."""

    scope: str | None = None
    target: str | None = None
    relation: Relation = Relation.at_least

    def label(self) -> str:
        """``China`` or ``target gdp-growth-china``."""
        return self.scope if self.scope is not None else f"target {self.target}"


@dataclass(frozen=True, slots=True)
class Release(Compact):
    """A publication that carries figures (the targets file's ``releases:``): how often it
    comes, about how many days after its period ends, and the kinds of target it carries when
    a target names no release of its own."""

    id: str
    name: str
    cadence: Cadence
    delay_days: int
    name_zh: str | None = None
    kinds: tuple[Kind, ...] = ()


@dataclass(frozen=True, slots=True)
class Override(Compact):
    """A status set by hand, with the reason always shown beside it."""

    status: Status
    reason: str


@dataclass(frozen=True, slots=True)
class Target(Compact):
    """A stated numeric goal; ``line`` is where its entry starts in targets.yaml (0: unknown).

    Made with keyword arguments (25 fields); only the cache's pickle passes them by position
    (see :mod:`cctrack.pickling`)."""

    id: str
    name: str
    scope: str
    unit: str
    target: Quantity
    source: Source
    name_zh: str | None = None
    kind: Kind = Kind.annual
    direction: Direction = Direction.increase
    deadline: Period | None = None
    start: int | None = None
    baseline: Baseline | None = None
    plan: str | None = None
    tags: tuple[str, ...] = ()
    status_override: Override | None = None
    line: int = 0
    average: bool = False  # a growth target on the compound annual rate over the plan
    benchmark: Benchmark | None = None  # a target relative to another series
    range_high: Decimal | None = None  # "4.5%-5%": the upper end (``target`` is the lower)
    cumulative: bool = False  # the target is a total over the plan's years
    quote: str | None = None  # the source's own phrase stating the target, verbatim
    measure: str | None = None  # the definition it reports (产值, not 综合产值); None: any
    milestone_of: str | None = None  # the plan target this annual target is a step toward
    releases: tuple[str, ...] | None = None  # the releases that carry it; None: by its kind
    multiple: Decimal | None = None  # "翻一番": ``target`` is the baseline's value × this factor

    @property
    def goal(self) -> Decimal:
        """The value that decides met or missed: the target, or for a range the end that the
        direction reaches first (the lower end for an increase, the upper for a decrease)."""
        if self.range_high is not None and self.direction is Direction.decrease:
            return self.range_high
        return self.target.value

    @property
    def percent(self) -> bool:
        """A share, stated in percent: values and target are fractions shown as percentages."""
        return self.unit.strip().lower() in {"percent", "%"}

    @property
    def base_year(self) -> int | None:
        """The plan's base period: ``start - 1`` (or the explicit baseline's year)."""
        if self.baseline is not None:
            return self.baseline.period.year
        return self.start - 1 if self.start is not None else None


@dataclass(frozen=True, slots=True)
class Uncommon(Compact):
    """The thirteen fields of an :class:`Observation` that nearly every entry leaves at their
    defaults, in the order of its fields: held for an observation that states any of them, one
    object for the many entries that state the same (:func:`uncommon_fields`)."""

    estimate: Estimate
    bound: Bound | None
    scope: str | None
    note: str | None
    price_basis: PriceBasis | None
    change_points: bool
    quote: str | None
    stated: bool
    change_qualified: bool
    measure: str | None
    series_break: bool
    since: int | None
    span_change: Decimal | None


_COMMON = ("target", "period", "source", "value", "change", "line")
_UNCOMMON = tuple(f.name for f in fields(Uncommon))


class Observation:
    """A value (or a change) observed for a target in a period, with its source; ``line`` is
    where its entry starts in observations.yaml (0: unknown).

    Made with keyword arguments (19 fields); only the cache's rows pass them by position (see
    :mod:`cctrack.pickling`). A frozen value with the fields, equality and hash of a frozen
    dataclass (:func:`dataclasses.fields` and :func:`dataclasses.replace` read its fields),
    laid out small, as one is held for every entry of the file: the six fields every entry
    uses are slots, and the others are read from the class, where their defaults are (80 bytes
    an observation instead of 184, read about as quickly). An observation that states any of
    them is of a subclass that reads them from its :class:`Uncommon` (88 bytes, and one
    Uncommon for the many entries that state the same). Its pickle holds what it holds."""

    __slots__ = _COMMON
    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]

    target: str
    period: Period
    source: Source
    value: Quantity | None
    change: Decimal | None
    line: int
    estimate: Estimate = Estimate.final
    bound: Bound | None = None
    scope: str | None = None
    note: str | None = None
    price_basis: PriceBasis | None = None
    change_points: bool = False  # the change is in percentage points ("+1.2pp"), not percent
    quote: str | None = None  # the source's own phrase stating the figure, verbatim
    stated: bool = True  # False: computed by whoever entered it (the reason is in ``note``)
    change_qualified: bool = False  # the change was written with a qualifier, which is not used
    measure: str | None = None  # the definition it reports (旅游总收入, 出游总花费, 综合产值)
    series_break: bool = False  # ``break: true``: its level is not comparable with earlier ones
    since: int | None = None  # ``since: 2020``: ``span_change`` runs from that year's end
    span_change: Decimal | None = None  # the change over the span ("翻番": +100%), not a year's

    def __new__(
        cls,
        target: str,
        period: Period,
        source: Source,
        value: Quantity | None = None,
        change: Decimal | None = None,
        estimate: Estimate = Estimate.final,
        bound: Bound | None = None,
        scope: str | None = None,
        note: str | None = None,
        line: int = 0,
        price_basis: PriceBasis | None = None,
        change_points: bool = False,
        quote: str | None = None,
        stated: bool = True,
        change_qualified: bool = False,
        measure: str | None = None,
        series_break: bool = False,
        since: int | None = None,
        span_change: Decimal | None = None,
    ) -> Observation:
        rest = (
            estimate, bound, scope, note, price_basis, change_points, quote, stated,
            change_qualified, measure, series_break, since, span_change,
        )  # fmt: skip
        held = None if rest == _USUAL else Uncommon(*rest)
        return assembled(target, period, source, value, change, line, held)

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Observation):
            return NotImplemented
        return bool(_fields_of(self) == _fields_of(other))

    def __hash__(self) -> int:
        return hash(_fields_of(self))

    def __reduce__(self) -> tuple[Any, ...]:  # what it holds (held), not all 19 fields
        return assembled, held(self)

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__dataclass_fields__)
        return f"Observation({shown})"

    @property
    def real_change(self) -> bool:
        """True when the change is stated at comparable prices: it derives no level."""
        return self.price_basis is PriceBasis.real

    @property
    def effective_bound(self) -> Bound:
        """The bound as written in ``bound:``, else as implied by the value's qualifier."""
        if self.bound is not None:
            return self.bound
        return self.value.bound if self.value is not None else Bound.exact


class _InFull(Observation):
    """An observation that states one of the uncommon fields: they are read from ``_rest``."""

    __slots__ = ("_rest",)
    _rest: Uncommon


for _name in _UNCOMMON:  # read through ``_rest`` (by C code: no Python frame a read)
    setattr(_InFull, _name, property(attrgetter(f"_rest.{_name}")))
del _name


def _declared(make: Any) -> dict[str, Field[Any]]:
    """The fields of a dataclass made by ``make``: its parameters after the first (names, types
    as written, defaults), as :mod:`dataclasses` reads them."""
    code = make.__code__
    names = code.co_varnames[1 : code.co_argcount]
    defaults = make.__defaults__ or ()
    first = len(names) - len(defaults)
    specs: list[tuple[str, Any, Any]] = [
        (name, make.__annotations__[name], field(default=defaults[i - first]) if i >= first
         else field())
        for i, name in enumerate(names)
    ]  # fmt: skip
    shown = {"__doc__": "The fields."}  # no signature made for a docstring (a regex compiled)
    plain = make_dataclass("Observation", specs, namespace=shown, init=False, repr=False, eq=False)
    return {f.name: f for f in fields(plain)}


Observation.__dataclass_fields__ = _declared(Observation.__new__)
_fields_of = attrgetter(*Observation.__dataclass_fields__)
_held = attrgetter(*_COMMON)
_USUAL = tuple(getattr(Observation, name) for name in _UNCOMMON)  # their defaults


class _Held:
    """The slots of :class:`Observation`, set by plain assignment (a frozen class cannot)."""

    __slots__ = _COMMON

    def __init__(
        self,
        target: str,
        period: Period,
        source: Source,
        value: Quantity | None,
        change: Decimal | None,
        line: int,
    ) -> None:
        self.target, self.period, self.source = target, period, source
        self.value, self.change, self.line = value, change, line


class _HeldInFull(Observation):
    """The slots of :class:`_InFull`, set by plain assignment."""

    __slots__ = ("_rest",)
    __setattr__ = object.__setattr__  # type: ignore[assignment]

    def hold(self, *held: Any) -> None:
        """Set the slots: the common fields, then the uncommon ones."""
        self.target, self.period, self.source, self.value, self.change, self.line, self._rest = held


def assembled(
    target: str,
    period: Period,
    source: Source,
    value: Quantity | None,
    change: Decimal | None,
    line: int,
    rest: Uncommon | None = None,
) -> Observation:
    """The observation of these fields, made quickly (the fast reader and the pickle make them
    so, and the keyword call through it); ``rest``: the uncommon fields, None when all are at
    their defaults (:func:`uncommon_fields`). An object of the same slots is made, then given
    the class (Python allows it: the two lay out their slots alike)."""
    if rest is None:
        made: Any = _Held(target, period, source, value, change, line)
        made.__class__ = Observation
    else:
        made = object.__new__(_HeldInFull)
        made.hold(target, period, source, value, change, line, rest)
        made.__class__ = _InFull
    return made  # type: ignore[no-any-return]


def held(o: Observation) -> tuple[Any, ...]:
    """What an observation holds, as :func:`assembled` takes it: its six common fields, and its
    :class:`Uncommon` when it has one (its pickle, and the cache's rows of the roles: an
    Uncommon once in a pickle, as in memory)."""
    return _held(o) if type(o) is Observation else (*_held(o), o._rest)  # type: ignore[attr-defined]


def uncommon_fields() -> Callable[[tuple[Any, ...]], Uncommon | None]:
    """A function from the uncommon fields of an observation, in their order, to what it holds
    of them: None when all are at their defaults, else an :class:`Uncommon`, the same object
    for each set of them met again (not for a change over a span: ``Decimal("1")`` equals
    ``Decimal("1.0")``, and each is kept as written)."""
    known: dict[tuple[Any, ...], Uncommon] = {}

    def held(rest: tuple[Any, ...]) -> Uncommon | None:
        if rest == _USUAL:
            return None
        if rest[-1] is not None:
            return Uncommon(*rest)
        made = known.get(rest)
        if made is None:
            made = known[rest] = Uncommon(*rest)
        return made

    return held


def published_start(text: str | None) -> date | None:
    """The first day a publication date written as YYYY, YYYY-MM or YYYY-MM-DD could mean."""
    return parse_period(text).start if text else None


def published_end(text: str | None) -> date | None:
    """The last day a publication date written as YYYY, YYYY-MM or YYYY-MM-DD could mean."""
    return parse_period(text).end if text else None
