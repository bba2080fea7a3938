"""Plain records of assessments: everything ``status`` prints, free of models.

An assessment (with its pydantic models and decimals) becomes a :class:`Record`: the JSON
object of DESIGN §3.1 and the table's text columns in each language. Records are what the
result cache keeps and what the status renderers take, so a cached run needs neither the
YAML reader nor pydantic.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypedDict

from cctrack.assess import ZERO, Assessment, Point
from cctrack.model import Estimate, Kind, Source
from cctrack.render.numbers import bound_mark, format_percent, humanize
from cctrack.render.status import label, progress_bar

LANGS = ("en", "zh")


class Record(TypedDict):
    """One target's result as plain data."""

    id: str
    tags: list[str]
    status: str
    json: dict[str, Any]
    rows: dict[str, dict[str, str]]


def summarise(a: Assessment) -> Record:
    """The record of one assessment."""
    return {
        "id": a.target.id,
        "tags": list(a.target.tags),
        "status": a.status.value,
        "json": target_json(a),
        "rows": {lang: row(a, lang) for lang in LANGS},
    }


def number(value: Decimal | float | None) -> int | float | None:
    """A JSON number: integral values as int, others as float."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _source(source: Source | None) -> dict[str, Any] | None:
    return None if source is None else source.model_dump(mode="json", exclude_none=True)


def _point(p: Point | None, full: bool) -> dict[str, Any] | None:
    if p is None:
        return None
    out: dict[str, Any] = {"period": p.period.text, "value": number(p.value), "derived": p.derived}
    if full:
        out |= {"bound": p.bound.value, "estimate": p.estimate.value}
    if p.how:
        out["how"] = p.how
    out["source"] = _source(p.source)
    return out


def formulas(a: Assessment) -> dict[str, str]:
    """The formulas behind each computed number, with the inputs written in."""
    out: dict[str, str] = {}
    t = a.target
    if a.base is None or a.current is None or t.deadline is None or t.kind is Kind.growth:
        return out
    b, c, g = a.base.value, a.current.value, t.target.value
    tb, tc, td = a.base.year, a.current.year, t.deadline.year
    out["progress"] = f"({c} - {b}) / ({g} - {b})"
    zb, zc, zg = (x or ZERO for x in (b, c, g))  # a 0 in a ratio is replaced by 0.001
    out["growth_observed"] = f"({zc} / {zb}) ** (1 / ({tc} - {tb})) - 1"
    out["growth_required"] = f"({zg} / {zb}) ** (1 / ({td} - {tb})) - 1"
    if a.method == "linear":
        out["expected_now"] = f"{b} + ({g} - {b}) * ({tc} - {tb}) / ({td} - {tb})"
        out["ahead_by"] = f"{a.direction} * ({c} - expected_now)"
        out["progress_ratio"] = "(current - base) / (expected_now - base)"
    else:
        sign = -1 if b < 0 else 1
        out["progress_ratio"] = f"{sign} * {a.direction} * growth_observed / abs(growth_required)"
    if td > tc:
        out["growth_needed"] = f"({zg} / {zc}) ** (1 / ({td} - {tc})) - 1"
        out["projected"] = f"{zc} * (1 + growth_observed) ** ({td} - {tc})"
    return out


def target_json(a: Assessment) -> dict[str, Any]:
    """One target's assessment as the JSON object of DESIGN §3.1 (plus traceability fields)."""
    t = a.target
    override = None
    if a.override is not None:
        override = {"status": a.override.status.value, "reason": a.override.reason,
                    "computed_status": a.computed_status.value}  # fmt: skip
    return {
        "id": t.id, "name": t.name, "name_zh": t.name_zh, "scope": t.scope, "kind": t.kind.value,
        "unit": t.unit, "target": number(t.target.value), "target_bound": t.target.bound.value,
        "direction": t.direction.value,
        "deadline": t.deadline.text if t.deadline else None,
        "base": _point(a.base, False), "current": _point(a.current, True),
        "progress": a.progress, "time_elapsed": a.time_elapsed,
        "growth_observed": a.growth_observed, "growth_required": a.growth_required,
        "progress_ratio": a.progress_ratio, "growth_needed": a.growth_needed,
        "projected": a.projected, "expected_now": a.expected_now, "ahead_by": a.ahead_by,
        "status": a.status.value, "override": override, "notes": a.notes,
        "formulas": formulas(a),
        "growth_years": [
            {
                "period": g.period.text,
                "change": number(g.change),
                "met": g.met,
                "partial": g.partial,
            }
            for g in a.growth_years
        ],
        "source": _source(t.source),
    }  # fmt: skip


def _marks(p: Point) -> str:
    marks = "*" if p.derived else ""
    marks += {Estimate.preliminary: "ᵖ", Estimate.expected: "ᵉ"}.get(p.estimate, "")
    return marks


def row(a: Assessment, lang: str = "en") -> dict[str, str]:
    """The table's columns for one assessment, as text."""
    t = a.target
    growth_kind = t.kind is Kind.growth
    if growth_kind:
        goal = f"{bound_mark(t.target.bound)}{format_percent(t.target.value, signed=False)}"
    else:
        goal = f"{bound_mark(t.target.bound)}{humanize(t.target.value, t.unit, lang)}"
    base = f"{a.base.period}{_marks(a.base)}" if a.base is not None else ""
    current = period = ""
    if a.current is not None:
        p = a.current
        current = (format_percent(p.value) if growth_kind else p.label(None, lang)) + _marks(p)
        period = p.period.text
    growth = ""
    if a.growth_observed is not None or a.growth_required is not None:
        growth = f"{format_percent(a.growth_observed)} / {format_percent(a.growth_required)}"
        growth = (
            growth
            if not growth_kind
            else f"{format_percent(a.growth_observed)} vs "
            f"{format_percent(a.growth_required, signed=False)}"
        )
    projected = ""
    if a.projected is not None:
        projected = humanize(Decimal(str(round(a.projected, 6))), None, lang)
    status = label(a.status)
    if a.override is not None:
        status += f" † {a.override.reason}"
    name = t.name_zh if lang == "zh" and t.name_zh else t.name
    return {
        "id": t.id, "name": name, "target": goal, "deadline": t.deadline.text if t.deadline else "",
        "base": base, "current": current, "period": period, "progress": progress_bar(a.progress),
        "growth": growth, "projected": projected, "status": status,
    }  # fmt: skip
