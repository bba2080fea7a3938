"""Pydantic models of the two data files: Target, Observation, Source and their enums.

Quantities and periods are parsed while validating, so a model holds exact decimals and
:class:`~cctrack.period.Period` objects; problems carry stable codes (``PydanticCustomError``
types) that ``check`` turns into positioned :class:`~cctrack.problem.Problem` records.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from cctrack.period import Period, PeriodError, parse_period
from cctrack.quantity import (
    Bound,
    Quantity,
    QuantityError,
    parse_percent,
    parse_quantity,
    written,
)


class Kind(StrEnum):
    """What a target measures."""

    annual = "annual"
    level = "level"
    growth = "growth"


class Direction(StrEnum):
    """Whether the target is to be reached from below or from above."""

    increase = "increase"
    decrease = "decrease"


class Estimate(StrEnum):
    """How final a figure is; ``final`` outranks ``preliminary``, which outranks ``expected``."""

    final = "final"
    preliminary = "preliminary"
    expected = "expected"


class Reliability(StrEnum):
    """A: official original; B: reprint or secondary; C: aggregator."""

    A = "A"
    B = "B"
    C = "C"


class Status(StrEnum):
    """Assessment categories, best first within each group."""

    achieved = "achieved"
    met = "met"
    on_track = "on_track"
    acceleration_needed = "acceleration_needed"
    limited_progress = "limited_progress"
    deterioration = "deterioration"
    missed = "missed"
    not_assessable = "not_assessable"
    no_data = "no_data"


def _quantity(raw: Any) -> Quantity:
    try:
        return parse_quantity(raw)
    except QuantityError as exc:
        raise PydanticCustomError(exc.code, exc.message) from None


def _percent(raw: Any) -> Decimal:
    try:
        return parse_percent(raw)
    except QuantityError as exc:
        raise PydanticCustomError(exc.code, exc.message) from None


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
            if parse_period(text).kind.value in {"year", "month", "date"}:
                return text
        except PeriodError:
            pass
    msg = f"{written(raw)} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"
    raise PydanticCustomError("invalid-date", msg)


def published_start(text: str | None) -> date | None:
    """The first day a publication date written as YYYY, YYYY-MM or YYYY-MM-DD could mean."""
    return parse_period(text).start if text else None


def published_end(text: str | None) -> date | None:
    """The last day a publication date written as YYYY, YYYY-MM or YYYY-MM-DD could mean."""
    return parse_period(text).end if text else None


_QUANTITY_SCHEMA = {
    "anyOf": [{"type": "number"}, {"type": "string", "minLength": 1}],
    "description": "a number or a quantity string: 700000, '700,000', '1.7 million', '3165亿元'",
}
_PERIOD_SCHEMA = {
    "anyOf": [
        {"type": "integer", "minimum": 1000, "maximum": 9999},
        {"type": "string",
         "pattern": r"^\d{4}(-H[12]|-Q[1-4]|-\d{2}(-\d{2})?|-\d{2}/\d{4}-\d{2}|/\d{4})?$"},
    ],
    "description": "2023, 2023-H1, 2023-Q3, 2023-10, 2023-01/2023-10, 2021/2025 or 2023-12-31",
}  # fmt: skip

# A bare year is a YAML integer, which _published accepts. An unquoted date (2024-03-07) is a
# string to YAML 1.2 readers (yaml-language-server) and to check-jsonschema, which loads YAML 1.1
# timestamps as their text; a loader that makes it a date object cannot be served by JSON Schema.
_PUBLISHED_SCHEMA = {
    "anyOf": [
        {"type": "integer", "minimum": 1000, "maximum": 9999},
        {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
    ],
    "description": "publication date: 2024-03-07, 2024-03 or 2024",
}

QuantityField = Annotated[Quantity, PlainValidator(_quantity), WithJsonSchema(_QUANTITY_SCHEMA)]
PercentField = Annotated[
    Decimal,
    PlainValidator(_percent),
    WithJsonSchema({"type": "string", "pattern": r"^[+-]?\d+(\.\d+)?\s*%$"}),
]
PeriodField = Annotated[Period, PlainValidator(_period), WithJsonSchema(_PERIOD_SCHEMA)]
PublishedField = Annotated[str, PlainValidator(_published), WithJsonSchema(_PUBLISHED_SCHEMA)]
Text = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Source(_Strict):
    """Where a figure was read: at least a title or a URL."""

    title: Text | None = None
    publisher: Text | None = None
    url: Text | None = None
    published: PublishedField | None = None
    reliability: Reliability | None = None

    @model_validator(mode="after")
    def _title_or_url(self) -> Source:
        if not self.title and not self.url:
            raise PydanticCustomError("missing-source", "a source needs a title or a url")
        return self

    def label(self) -> str:
        """A short human label: publisher and title, or the URL."""
        parts = [p for p in (self.publisher, self.title) if p]
        return ", ".join(parts) if parts else (self.url or "")


class Baseline(_Strict):
    """An explicit base value for the assessment."""

    period: PeriodField
    value: QuantityField


class Override(_Strict):
    """A status set by hand, with the reason always shown beside it."""

    status: Status
    reason: Text


class Target(_Strict):
    """A stated numeric goal."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
    name: Text
    name_zh: Text | None = None
    scope: Text
    kind: Kind = Kind.annual
    unit: Text
    target: QuantityField
    direction: Direction = Direction.increase
    deadline: PeriodField | None = None
    start: Annotated[int, Field(ge=1000, le=9999, strict=True)] | None = None
    baseline: Baseline | None = None
    plan: Text | None = None
    tags: list[Text] = Field(default_factory=list)
    source: Source
    status_override: Override | None = None

    @property
    def base_year(self) -> int | None:
        """The plan's base period: ``start - 1`` (or the explicit baseline's year)."""
        if self.baseline is not None:
            return self.baseline.period.year
        return self.start - 1 if self.start is not None else None


class Observation(_Strict):
    """A value observed for a target in a period, with its source."""

    target: Text
    period: PeriodField
    value: QuantityField | None = None
    change: PercentField | None = None
    estimate: Estimate = Estimate.final
    bound: Bound | None = None
    scope: Text | None = None
    source: Source
    note: Text | None = None

    @model_validator(mode="after")
    def _value_or_change(self) -> Observation:
        if self.value is None and self.change is None:
            raise PydanticCustomError("missing-value", "an observation needs a value or a change")
        return self

    @property
    def effective_bound(self) -> Bound:
        """The bound as written in ``bound:``, else as implied by the value's qualifier."""
        if self.bound is not None:
            return self.bound
        return self.value.bound if self.value is not None else Bound.exact


class TargetsFile(_Strict):
    """The ``targets.yaml`` file."""

    targets: list[Target] = Field(default_factory=list)


class ObservationsFile(_Strict):
    """The ``observations.yaml`` file."""

    observations: list[Observation] = Field(default_factory=list)
