"""An assessment as JSON fields: the object of ``status --format json``.

The names are an interface (docs/method.md §14): scripts and CI jobs depend on them. The HTML
report stores the same numbers in its ``<data value>`` elements, from these functions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from cctrack.assess import Assessment, Formula, formulas, months_of
from cctrack.domain import Source
from cctrack.period import Period
from cctrack.releases import Expected
from cctrack.render.catalogue import words
from cctrack.render.words import (
    average_formulas,
    average_span,
    caveat_text,
    notes_text,
    reading_text,
    why_text,
)
from cctrack.scorecard import outcome
from cctrack.series import Point


def number(value: Decimal | float | None) -> int | float | None:
    """A JSON number: integral values as int, others as float."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def plain(value: Any) -> Any:
    """A note's value as JSON: periods and dates as text, decimals as numbers."""
    if isinstance(value, Period):
        return value.text
    if isinstance(value, str):  # enums (StrEnum) as their value
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    return value


def source(s: Source | None) -> dict[str, Any] | None:
    """A source as JSON (fields that are set)."""
    if s is None:
        return None
    out = {"title": s.title, "publisher": s.publisher, "url": s.url, "published": s.published,
           "reliability": s.reliability.value if s.reliability else None}  # fmt: skip
    return {k: v for k, v in out.items() if v is not None}


def point(p: Point | None, full: bool, series: Sequence[Point] = ()) -> dict[str, Any] | None:
    """The base or current value; a derived one names the stated value it comes from (its line
    and source, found in ``series``) beside the change, which is the point's own."""
    if p is None:
        return None
    out: dict[str, Any] = {"period": p.period.text, "value": number(p.value), "derived": p.derived}
    if full:
        out |= {"bound": p.bound.value, "estimate": p.estimate.value}
    d = p.derivation
    if d is not None:
        out["derivation"] = {"from_period": d.from_period.text, "from_value": number(d.from_value),
                             "change": number(d.change), "forward": d.forward}  # fmt: skip
        stated = next((q for q in series if q.period == d.from_period and not q.derived), None)
        if stated is not None and stated.origin is not None:
            out["derivation"] |= {"from_line": stated.origin.line,
                                  "from_source": source(stated.source)}  # fmt: skip
    if p.origin is not None:
        out["line"] = p.origin.line
        out["quote"] = p.origin.quote
    out["source"] = source(p.source)
    return out


def _literal(value: Decimal | float | int) -> str:
    return str(value)


def formula_text(f: Formula, show: Any = _literal) -> str:
    """The expression with each input written in by ``show`` (exactly, by default)."""
    values = dict(f.inputs)
    text = re.sub(r"\b[a-z_]+\b", lambda m: show(values[m[0]]) if m[0] in values else m[0],
                  f.expression)  # fmt: skip
    return re.sub(r"^(?:1 \* )+", "", text)  # a sign or direction of 1 changes nothing


def expected_json(e: Expected | None) -> dict[str, Any] | None:
    """A figure a release should bring: its period (``2026``), the release's id and name, and
    the date it is expected about (``2027-01-15``)."""
    if e is None:
        return None
    return {"period": str(e.year), "release": e.release.id, "release_name": e.release.name,
            "expected": e.expected.isoformat()}  # fmt: skip


def average_json(a: Assessment) -> dict[str, Any] | None:
    """An average growth target's current value as its row shows it: the average rate, the
    years it covers (``2021-2025``) and its formula; None for any other target."""
    if not a.target.average or a.current is None or a.growth_observed is None:
        return None
    f = average_formulas(a).get("growth_observed")
    return {"value": a.growth_observed, "period": average_span(a, words("en")),
            "formula": formula_text(f) if f is not None else None}  # fmt: skip


def target_json(a: Assessment) -> dict[str, Any]:
    """One target's assessment as the JSON object of ``status --format json``."""
    t = a.target
    en = words("en")  # JSON is for scripts: its sentences are English in every --lang
    override = None
    if a.override is not None:
        override = {"status": a.override.status.value, "reason": a.override.reason,
                    "computed_status": a.computed_status.value}  # fmt: skip
    return {
        "id": t.id, "name": t.name, "name_zh": t.name_zh, "scope": t.scope, "kind": t.kind.value,
        "unit": t.unit, "target": number(t.target.value),
        "target_high": number(t.range_high),
        "target_bound": t.target.bound.value,
        "target_approx": t.target.approx, "direction": t.direction.value,
        "target_multiple": number(t.multiple),
        "deadline": t.deadline.text if t.deadline else None, "plan": t.plan,
        "base": point(a.base, False, a.series), "current": point(a.current, True, a.series),
        "average": average_json(a),
        "progress": a.progress, "time_elapsed": a.time_elapsed,
        "growth_observed": a.growth_observed, "growth_required": a.growth_required,
        "progress_ratio": a.progress_ratio, "growth_needed": a.growth_needed,
        "projected": a.projected, "expected_now": a.expected_now, "ahead_by": a.ahead_by,
        "status": a.status.value, "outcome": outcome(a).value, "override": override,
        "confidence": a.confidence.value if a.confidence else None,
        "provisional": a.provisional, "trend_to": a.trend_to,
        "trend_period": a.trend_period.text if a.trend_period else None,
        "trend_status": a.trend_status.value if a.trend_status else None,
        "caveats": [{"code": c.code, "values": {k: plain(v) for k, v in c.values},
                     "text": caveat_text(c, a, en)} for c in a.caveats],
        "sensitivity": [{"base_period": alt.period.text, "base_value": number(alt.value),
                         "progress_ratio": alt.progress_ratio, "status": alt.status.value}
                        for alt in a.sensitivity],
        "next_figure": expected_json(a.next_figure), "overdue": expected_json(a.overdue),
        "readings": [{"code": r.code, "values": {k: plain(v) for k, v in r.values},
                      "status": r.status.value,
                      "value": None if r.value is None else plain(r.value),
                      "progress_ratio": r.progress_ratio, "text": reading_text(r, a, en)}
                     for r in a.readings],
        "why": why_text(a, en), "notes": notes_text(a, en),
        "note_codes": [{"code": n.code, "values": {k: plain(v) for k, v in n.values}}
                       for n in a.notes],
        "formulas": {k: formula_text(f) for k, f in {**average_formulas(a), **formulas(a)}.items()},
        "growth_years": [
            {"period": g.period.text, "change": number(g.change), "met": g.met,
             "partial": g.partial}
            for g in a.growth_years
        ],
        "observations": [
            {"line": u.observation.line, "period": u.observation.period.text,
             "role": u.role.value, "derives": [p.text for p in u.derives],
             "quote": u.observation.quote, "stated": u.observation.stated,
             "measure": u.observation.measure}
            for u in a.uses
        ],
        "source": source(t.source), "quote": t.quote,
        "milestone_of": t.milestone_of,
        "milestones": [{"id": m.id, "deadline": m.deadline.text if m.deadline else None,
                        "status": m.status.value} for m in a.milestones],
        "in_year": in_year_json(a),
    }  # fmt: skip


def in_year_json(a: Assessment) -> dict[str, Any] | None:
    """An in-year verdict's figures (docs/method.md §8.1): the period and its months, the same
    months of the year before, the full year before, and the growths compared."""
    iy = a.in_year
    if iy is None:
        return None
    first, last = months_of(iy.current.period)
    return {"period": iy.current.period.text, "months": [first, last],
            "previous": point(iy.previous, True, a.series),
            "year_before": point(iy.year_before, True, a.series),
            "growth": iy.growth, "required": iy.required, "expected": iy.expected}  # fmt: skip
