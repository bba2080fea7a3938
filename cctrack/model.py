"""Pydantic models of the two data files: what an entry may hold, and its JSON Schema.

Quantities and periods are parsed while validating; problems carry stable codes
(``PydanticCustomError`` types) that :mod:`cctrack.dataset` turns into positioned
:class:`~cctrack.problem.Problem` records. A valid entry becomes a plain value of
:mod:`cctrack.domain` (``to_domain``); nothing past the reading of the files sees these models.
An observation or source of the common kinds of value is made directly, with the same checks
(:func:`observation_reader`, :func:`source_record`); the models read every other entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Annotated, Any, TypeGuard

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from cctrack import domain
from cctrack.domain import (
    Cadence,
    Direction,
    Estimate,
    Kind,
    PriceBasis,
    Relation,
    Reliability,
    Status,
)
from cctrack.period import Period, PeriodError, parse_period
from cctrack.quantity import (
    Bound,
    Change,
    Quantity,
    QuantityError,
    normalise_text,
    parse_change,
    parse_multiple,
    parse_quantity,
    tidy,
    written,
)


def _quantity(raw: Any) -> Quantity:
    try:
        return parse_quantity(raw)
    except QuantityError as exc:
        raise PydanticCustomError(exc.code, exc.message) from None


def _change(raw: Any) -> Change:
    try:
        return parse_change(raw)
    except QuantityError as exc:
        raise PydanticCustomError(exc.code, exc.message) from None


def _range(raw: Any) -> tuple[Quantity, Quantity | None]:
    """A target, or a range ``"4.5%-5%"`` / ``"4.5%至5%"`` as its two ends. An end written
    without ``%`` takes it from the other end (``"4.5%-5"`` and ``"4.5-5%"`` are 4.5%-5%).
    A multiple of the baseline (``"翻一番"``) is its factor in the unit :data:`MULTIPLE`, made
    a value by :meth:`TargetModel.to_domain`."""
    factor = parse_multiple(raw)
    if factor is not None:
        return Quantity(factor, MULTIPLE), None
    if isinstance(raw, str):
        m = _RANGE.match(normalise_text(raw))
        if m:
            ends = [m.group(1).strip(), m.group(2).strip()]
            if ends[0].endswith("%") != ends[1].endswith("%"):  # "4.5%-5", "4.5-5%": both in %
                ends = [e if e.endswith("%") else e + "%" for e in ends]
            low, high = _quantity(ends[0]), _quantity(ends[1])
            if high.value <= low.value:
                msg = f"{raw!r}: a range runs from the lower to the higher value"
                raise PydanticCustomError("invalid-quantity", msg)
            return low, high
    return _quantity(raw), None


MULTIPLE = (
    "×"  # the unit of a target written as a multiple of its baseline, before it is made a value
)
_RANGE = re.compile(r"^\s*([+]?\d[\d.,]*\s*%?)\s*(?:-|–|—|~|至|到)\s*(\d[\d.,]*\s*%?)\s*$")


def _period(raw: Any) -> Period:
    try:
        return parse_period(raw)
    except PeriodError as exc:
        message = str(exc)
        if isinstance(raw, bool) or not isinstance(raw, int | str):  # not a Python repr of it
            message = f"{written(raw)} is not a period (e.g. 2023, 2023-H1, 2023-01/2023-10)"
        raise PydanticCustomError("invalid-period", message) from None


def _published(raw: Any) -> str:
    text = str(raw) if isinstance(raw, int) and not isinstance(raw, bool) else raw
    if isinstance(text, str):
        try:
            period = parse_period(text)
            if period.kind.value in {"year", "month", "date"}:
                return period.text  # canonical: 2025年2月25日 is kept as 2025-02-25
        except PeriodError:
            pass
    msg = f"{written(raw)} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"
    raise PydanticCustomError("invalid-date", msg)


_QUANTITY_SCHEMA = {
    "anyOf": [{"type": "number"}, {"type": "string", "minLength": 1}],
    "description": "a number or a quantity string: 700000, '700,000', '1.7 million', '3165亿元'",
}
# The patterns spell out what parse_period reads, in JSON Schema's (ECMA 262) regex dialect:
# full-width digits and '－' as well as ASCII ones, and the Chinese forms. The one difference:
# cctrack ignores spaces around a period and inside a Chinese one; the schema allows none.
_D, _DASH = "[0-9０-９]", "[-－]"
_Y = f"[1-9１-９]{_D}{{3}}"  # a year from 1000 to 9999
_M = f"{_D}{{1,2}}"  # a month or day of the Chinese and slash forms: 1 or 01
_DAY = f"{_Y}{_DASH}{_M}{_DASH}{_M}|{_Y}/{_M}/{_M}|{_Y}年{_M}月{_M}日"  # 2025-2-25 ...
_PERIOD_SCHEMA = {
    "anyOf": [
        {"type": "integer", "minimum": 1000, "maximum": 9999},
        {"type": "string",
         "pattern": f"^(?:{_Y}(?:{_DASH}H[12１２]|{_DASH}Q[1-4１-４]|{_DASH}{_D}{{2}}"
                    f"|{_DASH}{_D}{{2}}/{_Y}{_DASH}{_D}{{2}}|/{_Y})?|{_DAY}"
                    f"|{_Y}年(?:上半年|下半年|第?[1-4１-４一二三四]季度?|Q[1-4１-４]|{_M}月"
                    f"|{_M}月?[-－–—~～至到]{_M}月)?)$"},
    ],
    "description": "2023, 2023-H1, 2023-Q3, 2023-10, 2023-01/2023-10, 2021/2025 or 2023-12-31 "
                   "(also 2023年, 2023年上半年, 2023年三季度, 2023年10月, 2023年1-10月, "
                   "2023/12/31, 2023年12月31日)",
}  # fmt: skip

# A bare year is a YAML integer, which _published accepts. An unquoted date (2024-03-07) is a
# string to YAML 1.2 readers (yaml-language-server) and to check-jsonschema, which loads YAML 1.1
# timestamps as their text; a loader that makes it a date object cannot be served by JSON Schema.
_PUBLISHED_SCHEMA = {
    "anyOf": [
        {"type": "integer", "minimum": 1000, "maximum": 9999},
        {"type": "string",
         "pattern": f"^(?:{_Y}(?:{_DASH}{_D}{{2}})?|{_DAY}|{_Y}年(?:{_M}月)?)$"},
    ],
    "description": "publication date: 2024-03-07, 2024-03 or 2024 (also 2024/3/7, 2024年3月7日)",
}  # fmt: skip

# Stricter than cctrack, which also reads '1,000%', '1e2%' and qualifiers ('about 5%').
_PERCENT_SCHEMA = {
    "type": "string",
    "pattern": f"^[+＋－-]?{_D}+(?:[.．]{_D}+)?\\s*[%％]$",
    "description": "a percentage with its sign: '+5.5%', '-4.5%' (also '＋5.5％')",
}

QuantityField = Annotated[Quantity, PlainValidator(_quantity), WithJsonSchema(_QUANTITY_SCHEMA)]
ChangeField = Annotated[
    Change,
    PlainValidator(_change),
    WithJsonSchema({"anyOf": [_PERCENT_SCHEMA, {
        "type": "string", "pattern": r"^[+-]?\d+(\.\d+)?\s*(pp|个百分点)$",
        "description": "a change in percentage points: '+1.2pp'"}, {
        "type": "string", "pattern": r"^(再|实现)?翻[一两二三]?番$|^[Dd]oubled?$",
        "description": "a multiple in words: '翻番' (+100%), '翻两番' (+300%)"}]}),
]  # fmt: skip
TargetField = Annotated[
    tuple[Quantity, Quantity | None],
    PlainValidator(_range),
    WithJsonSchema({"anyOf": [_QUANTITY_SCHEMA, {
        "type": "string", "description": "a range: '4.5%-5%'"}]}),
]  # fmt: skip
PeriodField = Annotated[Period, PlainValidator(_period), WithJsonSchema(_PERIOD_SCHEMA)]
PublishedField = Annotated[str, PlainValidator(_published), WithJsonSchema(_PUBLISHED_SCHEMA)]
Text = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class SourceModel(_Strict):
    """Where a figure was read: at least a title or a URL."""

    model_config = ConfigDict(title="Source")

    title: Text | None = None
    publisher: Text | None = None
    url: Text | None = None
    published: PublishedField | None = None
    reliability: Reliability | None = None

    @model_validator(mode="after")
    def _title_or_url(self) -> SourceModel:
        if not self.title and not self.url:
            raise PydanticCustomError("missing-source", "a source needs a title or a url")
        return self

    def to_domain(self) -> domain.Source:
        """The plain value."""
        return domain.Source(
            title=self.title,
            publisher=self.publisher,
            url=self.url,
            published=self.published,
            reliability=self.reliability,
        )


class BaselineModel(_Strict):
    """An explicit base value for the assessment."""

    model_config = ConfigDict(title="Baseline")

    period: PeriodField
    value: QuantityField


class BenchmarkModel(_Strict):
    """What a relative target is compared with."""

    model_config = ConfigDict(title="Benchmark")

    scope: Text | None = None
    target: Text | None = None
    relation: Relation = Relation.at_least

    @model_validator(mode="after")
    def _one(self) -> BenchmarkModel:
        if (self.scope is None) == (self.target is None):
            msg = "a benchmark names a scope or a target id, one of the two"
            raise PydanticCustomError("invalid-field", msg)
        return self


ReleaseId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]


class ReleaseModel(_Strict):
    """A publication that carries figures: its cadence, its usual delay after the period ends
    (days), and the kinds of target it carries when a target names no release."""

    model_config = ConfigDict(title="Release")

    id: ReleaseId
    name: Text
    name_zh: Text | None = None
    cadence: Cadence
    delay_days: Annotated[int, Field(ge=0, le=730, strict=True)]
    kinds: list[Kind] = Field(default_factory=list)

    def to_domain(self) -> domain.Release:
        """The plain value."""
        return domain.Release(
            id=self.id,
            name=self.name,
            cadence=self.cadence,
            delay_days=self.delay_days,
            name_zh=self.name_zh,
            kinds=tuple(self.kinds),
        )


class OverrideModel(_Strict):
    """A status set by hand, with the reason always shown beside it."""

    model_config = ConfigDict(title="Override")

    status: Status
    reason: Text


TargetId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]


class TargetModel(_Strict):
    """A stated numeric goal."""

    model_config = ConfigDict(title="Target")

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
    name: Text
    name_zh: Text | None = None
    scope: Text
    kind: Kind = Kind.annual
    unit: Text
    target: TargetField
    direction: Direction = Direction.increase
    deadline: PeriodField | None = None
    start: Annotated[int, Field(ge=1000, le=9999, strict=True)] | None = None
    baseline: BaselineModel | None = None
    plan: Text | None = None
    tags: list[Text] = Field(default_factory=list)
    source: SourceModel
    status_override: OverrideModel | None = None
    average: bool = False
    benchmark: BenchmarkModel | None = None
    cumulative: bool = False
    quote: Text | None = None
    measure: Text | None = None
    milestone_of: TargetId | None = None
    releases: list[ReleaseId] | None = None

    @model_validator(mode="after")
    def _multiple_has_baseline(self) -> TargetModel:
        low = self.target[0]
        if low.unit == MULTIPLE:
            if self.baseline is None:
                msg = (f"a target written as a multiple (×{low.value}) needs the 'baseline' "
                       "{period, value} it multiplies")  # fmt: skip
                raise PydanticCustomError("missing-field", msg)
            if self.kind is Kind.growth or self.baseline.value.percent or self.cumulative:
                msg = "a target written as a multiple is a level or an annual amount, not a rate"
                raise PydanticCustomError("invalid-field", msg)
        return self

    def to_domain(self, line: int = 0, source: domain.Source | None = None) -> domain.Target:
        """The plain value (``source``: the one already made from the same YAML node); a
        multiple of the baseline becomes the baseline's value times the factor, with its bound."""
        b, o, m = self.baseline, self.status_override, self.benchmark
        low, high = self.target
        multiple = None
        if low.unit == MULTIPLE and b is not None:
            multiple, q = low.value, b.value
            low = Quantity(tidy(q.value * multiple), q.unit, q.bound, q.approx, q.percent)
        return domain.Target(
            id=self.id,
            name=self.name,
            scope=self.scope,
            unit=self.unit,
            target=low,
            source=source or self.source.to_domain(),
            name_zh=self.name_zh,
            kind=self.kind,
            direction=self.direction,
            deadline=self.deadline,
            start=self.start,
            baseline=None if b is None else domain.Baseline(b.period, b.value),
            plan=self.plan,
            tags=tuple(self.tags),
            status_override=None if o is None else domain.Override(o.status, o.reason),
            line=line,
            average=self.average,
            benchmark=None if m is None else domain.Benchmark(m.scope, m.target, m.relation),
            range_high=None if high is None else high.value,
            cumulative=self.cumulative,
            quote=self.quote,
            measure=self.measure,
            milestone_of=self.milestone_of,
            multiple=multiple,
            releases=None if self.releases is None else tuple(self.releases),
        )


class ObservationModel(_Strict):
    """A value observed for a target in a period, with its source."""

    model_config = ConfigDict(title="Observation")

    target: Text
    period: PeriodField
    value: QuantityField | None = None
    change: ChangeField | None = None
    estimate: Estimate = Estimate.final
    bound: Bound | None = None
    scope: Text | None = None
    source: SourceModel
    note: Text | None = None
    price_basis: PriceBasis | None = None
    quote: Text | None = None
    stated: bool = True
    measure: Text | None = None
    series_break: bool = Field(default=False, alias="break")
    since: Annotated[int, Field(ge=1000, le=9999, strict=True)] | None = None

    @model_validator(mode="after")
    def _value_or_change(self) -> ObservationModel:
        if self.value is None and self.change is None:
            raise PydanticCustomError("missing-value", "an observation needs a value or a change")
        if self.since is not None:
            if self.change is None or self.change.points:
                msg = ("'since' is the start of a stated change over several years: it needs a "
                       "'change' in percent or in words ('+100%', '翻番')")  # fmt: skip
                raise PydanticCustomError("missing-field", msg)
            if not self.period.is_full_year or self.since >= self.period.year:
                msg = (f"'since: {self.since}' must be a year before the period's year (a "
                       f"full year), not {self.period}")  # fmt: skip
                raise PydanticCustomError("invalid-field", msg)
        if not self.stated and self.note is None:
            msg = "an entry with 'stated: false' needs a 'note' saying how the figure was computed"
            raise PydanticCustomError("missing-field", msg)
        return self

    def to_domain(self, line: int = 0, source: domain.Source | None = None) -> domain.Observation:
        """The plain value (``source``: the one already made from the same YAML node)."""
        c = self.change
        span = None
        if self.since is not None and c is not None:  # a change over the span, not a year's
            span, c = c.value, None
        return domain.Observation(
            target=self.target,
            period=self.period,
            source=source or self.source.to_domain(),
            value=self.value,
            change=None if c is None else c.value,
            estimate=self.estimate,
            bound=self.bound,
            scope=self.scope,
            note=self.note,
            line=line,
            price_basis=self.price_basis,
            change_points=c is not None and c.points,
            quote=self.quote,
            stated=self.stated,
            change_qualified=c is not None and c.qualified,
            measure=self.measure,
            series_break=self.series_break,
            since=self.since,
            span_change=span,
        )


class TargetsFile(_Strict):
    """The ``targets.yaml`` file."""

    releases: list[ReleaseModel] = Field(default_factory=list)
    targets: list[TargetModel] = Field(default_factory=list)


class ObservationsFile(_Strict):
    """The ``observations.yaml`` file."""

    observations: list[ObservationModel] = Field(default_factory=list)


def parse_target(data: dict[str, Any]) -> domain.Target:
    """A target from a mapping as written in targets.yaml; raises pydantic's ValidationError."""
    return TargetModel.model_validate(data).to_domain()


def parse_observation(data: dict[str, Any]) -> domain.Observation:
    """An observation from a mapping as written in observations.yaml; raises ValidationError."""
    return ObservationModel.model_validate(data).to_domain()


# --- typed records: the common entries without a pydantic object each ------------------------
#
# Most entries hold only the simple, common kinds of value: text, a period, a quantity or change
# string, a choice, a boolean. For those, the functions below make the plain value directly,
# with every check the models above make; for anything else (a type the models would convert or
# refuse, an unknown field, a value that fails a check) they return None and the caller
# validates the entry with the model, which then reports the problems exactly as it always has.
# The differential tests (tests/test_records.py) hold the two roads to the same results.

_ABSENT: Any = object()  # a field not written (``None``: written as null)
_SURROGATE = re.compile("[\ud800-\udfff]")  # pydantic refuses text that is not valid Unicode
_SOURCE_KEYS = frozenset({"title", "publisher", "url", "published", "reliability"})
_OBSERVATION_KEYS = frozenset(
    {"target", "period", "value", "change", "estimate", "bound", "scope", "source", "note",
     "price_basis", "quote", "stated", "measure", "break", "since"}
)  # fmt: skip
_OBSERVATION_TEXT = ("scope", "note", "quote", "measure")
_ESTIMATES = {e.value: e for e in Estimate}
_BOUNDS = {b.value: b for b in Bound}
_PRICE_BASES = {p.value: p for p in PriceBasis}
_RELIABILITIES = {r.value: r for r in Reliability}
_DAY_KINDS = frozenset({"year", "month", "date"})


def _is_text(raw: object) -> TypeGuard[str]:
    """True when ``Text`` takes ``raw`` as it is: a non-empty ``str`` of valid Unicode."""
    return type(raw) is str and raw != "" and (raw.isascii() or _SURROGATE.search(raw) is None)


def source_record(node: Mapping[Any, Any]) -> domain.Source | None:
    """The plain source a ``source:`` mapping states, or None when :class:`SourceModel` is
    needed (an unusual or invalid source)."""
    if not node.keys() <= _SOURCE_KEYS:
        return None
    get = node.get
    title, publisher, url = get("title"), get("publisher"), get("url")
    for text in (title, publisher, url):
        if text is not None and not _is_text(text):
            return None
    if title is None and url is None:
        return None
    published = get("published")
    if published is not None:
        if type(published) is not str and type(published) is not int:
            return None
        try:
            period = parse_period(str(published) if type(published) is int else published)
        except ValueError:  # a PeriodError, or an integer too long to write out
            return None
        if period.kind.value not in _DAY_KINDS:
            return None
        published = period.text
    reliability = get("reliability")
    if reliability is not None:
        reliability = _RELIABILITIES.get(reliability) if type(reliability) is str else None
        if reliability is None:
            return None
    return domain.Source(title, publisher, url, published, reliability)


ObservationReader = Callable[[Mapping[Any, Any], domain.Source, int], domain.Observation | None]


def observation_reader() -> ObservationReader:
    """A function from an observation entry, its plain source and its line to the plain
    observation, or None when :class:`ObservationModel` is needed (an unusual or invalid entry).

    It remembers what repeats across the entries of one file: the period and the change of each
    spelling (:func:`~cctrack.quantity.parse_quantity` remembers quantities itself), and one
    copy of each text (a target id written on 10,000 entries is held once by the observations
    made here)."""
    changes: dict[str, Change] = {}
    texts: dict[str, str] = {}
    periods: dict[str | int, Period] = {}
    keys, absent = _OBSERVATION_KEYS, _ABSENT
    made, final, uncommon = domain.assembled, Estimate.final, domain.uncommon_fields()

    def read(
        entry: Mapping[Any, Any], source: domain.Source, line: int
    ) -> domain.Observation | None:
        if not entry.keys() <= keys:
            return None
        get = entry.get
        target = get("target")
        if not _is_text(target):
            return None
        target = texts.setdefault(target, target)
        # target, period and source, perhaps a value and a change: the other fields are not
        # looked for (an entry whose keys are all known and this many holds no others)
        common = len(entry) == 3 + ("value" in entry) + ("change" in entry) and "source" in entry
        scope = note = quote = measure = None
        if not common:
            scope, note, quote, measure = get("scope"), get("note"), get("quote"), get("measure")
        if scope is not None or note is not None or quote is not None or measure is not None:
            for text in (scope, note, quote, measure):
                if text is not None and not _is_text(text):
                    return None
            if scope is not None:
                scope = texts.setdefault(scope, scope)
            if note is not None:
                note = texts.setdefault(note, note)
            if measure is not None:
                measure = texts.setdefault(measure, measure)
        period = get("period", absent)
        if period is absent:
            return None
        try:
            if type(period) is str or type(period) is int:  # never equal one to the other
                known = periods.get(period)
                if known is None:
                    known = periods[period] = parse_period(period)
                period = known
            else:
                period = parse_period(period)
            raw = get("value")  # remembered by parse_quantity itself
            value = None if raw is None else parse_quantity(raw)
            raw = get("change")
            change = None
            if raw is not None:
                change = changes.get(raw) if type(raw) is str else None
                if change is None:
                    change = parse_change(raw)
                    if type(raw) is str:
                        changes[raw] = change
        except ValueError:  # a QuantityError or a PeriodError: the model says which
            return None
        if value is None and change is None:
            return None
        if common:  # target, period, source and a value or a change: nothing else to check
            if change is None:
                return made(target, period, source, value, None, line)
            if not change.points and not change.qualified:
                return made(target, period, source, value, change.value, line)
            pointed: tuple[Any, ...] = (  # the uncommon fields, in the order of the fields
                final, None, None, None, None, change.points, None, True, change.qualified,
                None, False, None, None,
            )  # fmt: skip
            return made(target, period, source, value, change.value, line, uncommon(pointed))
        estimate = get("estimate", absent)
        if estimate is absent:
            estimate = final
        else:
            estimate = _ESTIMATES.get(estimate) if type(estimate) is str else None
            if estimate is None:
                return None
        bound = get("bound")
        if bound is not None:
            bound = _BOUNDS.get(bound) if type(bound) is str else None
            if bound is None:
                return None
        basis = get("price_basis")
        if basis is not None:
            basis = _PRICE_BASES.get(basis) if type(basis) is str else None
            if basis is None:
                return None
        stated, series_break = get("stated", True), get("break", False)
        if type(stated) is not bool or type(series_break) is not bool:
            return None
        since = get("since")
        span = None
        if since is not None:
            if type(since) is not int or not 1000 <= since <= 9999:
                return None
            if change is None or change.points:
                return None
            if not period.is_full_year or since >= period.year:
                return None
            span, change = change.value, None
        if not stated and note is None:
            return None
        c = change
        rest = (  # the uncommon fields, in the order of the fields (a test checks)
            estimate, bound, scope, note, basis, c is not None and c.points, quote, stated,
            c is not None and c.qualified, measure, series_break, since, span,
        )  # fmt: skip
        change_value = None if c is None else c.value
        return made(target, period, source, value, change_value, line, uncommon(rest))

    return read
