"""Render assessments: a Rich table, or JSON, CSV and Markdown with the same content.

``as_json`` is the interface of DESIGN §3.1; ``rows`` gives the table's columns as text, shared by
the table, CSV and Markdown renderers.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal
from typing import Any

from cctrack.assess import ZERO, Assessment, Point
from cctrack.model import Estimate, Kind, Source, Status
from cctrack.quantity import bound_mark, format_percent, humanize

STYLE = {
    Status.achieved: "bold green", Status.met: "bold green", Status.on_track: "green",
    Status.acceleration_needed: "yellow", Status.limited_progress: "dark_orange",
    Status.deterioration: "bold red", Status.missed: "bold red",
    Status.not_assessable: "dim", Status.no_data: "dim",
}  # fmt: skip
LABEL = {s: s.value.replace("_", " ") for s in Status}
COLUMNS = ("id", "name", "target", "deadline", "current", "period", "progress", "growth",
           "projected", "status")  # fmt: skip
LEGEND = (
    "≥ at least (a bound)   * derived from a change   ᵖ preliminary   ᵉ expected   † set by hand"
)


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
        "unit": t.unit, "target": number(t.target.value), "direction": t.direction.value,
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


def as_json(assessments: list[Assessment], as_of: date, method: str) -> str:
    """``status --format json``."""
    doc = {"as_of": as_of.isoformat(), "method": method,
           "targets": [target_json(a) for a in assessments]}  # fmt: skip
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _marks(p: Point) -> str:
    marks = "*" if p.derived else ""
    marks += {Estimate.preliminary: "ᵖ", Estimate.expected: "ᵉ"}.get(p.estimate, "")
    return marks


def progress_bar(fraction: float | None, width: int = 10) -> str:
    """``██████░░░░ 62%``; clipped to the bar, the percentage as computed."""
    if fraction is None:
        return ""
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled) + f" {fraction * 100:.0f}%"


def row(a: Assessment, lang: str = "en") -> dict[str, str]:
    """The table's columns for one assessment, as text."""
    t = a.target
    growth_kind = t.kind is Kind.growth
    if growth_kind:
        goal = f"{bound_mark(t.target.bound)}{format_percent(t.target.value, signed=False)}"
    else:
        goal = f"{bound_mark(t.target.bound)}{humanize(t.target.value, t.unit, lang)}"
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
    status = LABEL[a.status] + (" †" if a.override is not None else "")
    name = t.name_zh if lang == "zh" and t.name_zh else t.name
    return {
        "id": t.id, "name": name, "target": goal, "deadline": t.deadline.text if t.deadline else "",
        "current": current, "period": period, "progress": progress_bar(a.progress),
        "growth": growth, "projected": projected, "status": status,
    }  # fmt: skip


HEADERS = {
    "id": "id", "name": "name", "target": "goal", "deadline": "by", "current": "current",
    "period": "period", "progress": "progress", "growth": "growth/yr obs / req",
    "projected": "projected", "status": "status",
}  # fmt: skip


def as_csv(assessments: list[Assessment], lang: str = "en") -> str:
    """``status --format csv``: the table's columns, one row per target."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for a in assessments:
        writer.writerow(row(a, lang))
    return out.getvalue()


def as_markdown(assessments: list[Assessment], as_of: date, lang: str = "en") -> str:
    """``status --format markdown``: a GitHub-flavoured table, legend and date."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["| " + " | ".join(HEADERS[c] for c in COLUMNS) + " |",
             "|" + "|".join("---" for _ in COLUMNS) + "|"]  # fmt: skip
    for a in assessments:
        r = row(a, lang)
        lines.append("| " + " | ".join(cell(r[c]) for c in COLUMNS) + " |")
    lines += ["", f"{LEGEND}  ", f"As of {as_of.isoformat()}, method {_method(assessments)}.", ""]
    return "\n".join(lines)


def _method(assessments: list[Assessment]) -> str:
    return assessments[0].method if assessments else "growth-ratio"


def as_table(assessments: list[Assessment], as_of: date, lang: str = "en") -> Any:
    """A Rich renderable: the status table with a legend and the as-of date."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(show_edge=False, pad_edge=False, header_style="bold", box=None)
    table.add_column("target", min_width=14, max_width=44, overflow="fold")
    for c in COLUMNS[2:]:
        right = c in {"target", "current", "projected"}
        table.add_column(HEADERS[c], justify="right" if right else "left", no_wrap=c != "status")
    for a in assessments:
        r = row(a, lang)
        name = Text(r["name"])
        name.append(f"\n{r['id']}", style="dim")
        cells = [name, *(Text(r[c]) for c in COLUMNS[2:])]
        cells[-1].stylize(STYLE[a.status])
        table.add_row(*cells)
    note = Text(f"{LEGEND}\nAs of {as_of.isoformat()}, method {_method(assessments)}. "
                "`cctrack show ID` explains any row.", style="dim")  # fmt: skip
    return Group(table, note)


def status_line(a: Assessment, lang: str = "en") -> str:
    """One plain line: ``tourism-revenue: on track · current 241.11 bn (2023) · progress 58%``."""
    r = row(a, lang)
    parts = [f"{r['id']}: {r['status']}"]
    if r["current"]:
        parts.append(f"current {r['current']} ({r['period']})")
    if a.progress is not None:
        parts.append(f"progress {a.progress * 100:.0f}%")
    if r["growth"]:
        parts.append(f"growth {r['growth']}")
    return " · ".join(parts)
