"""Render one target in full: definition, observations, assessment steps and a chart."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from cctrack.assess import ACCELERATION, ON_TRACK, Assessment
from cctrack.model import Kind, Observation, Source
from cctrack.render.numbers import bound_mark, format_percent, humanize
from cctrack.render.status import LABEL, STYLE
from cctrack.summary import formulas

CHART_WIDTH = 40


def _source(s: Source) -> str:
    grade = f" [{s.reliability.value}]" if s.reliability else ""
    when = f", {s.published}" if s.published else ""
    url = f" <{s.url}>" if s.url and s.title else ""
    return f"{s.label()}{when}{grade}{url}"


def _f(x: float | None, pct: bool = False) -> str:
    if x is None:
        return "—"
    return format_percent(x, digits=2) if pct else f"{x:.6g}"


def definition(a: Assessment, lang: str) -> Table:
    """The target as written, with its source."""
    t = a.target
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    goal = (
        format_percent(t.target.value, signed=False)
        if t.kind is Kind.growth
        else humanize(t.target.value, t.unit, lang)
    )
    rows = [
        ("target", f"{bound_mark(t.target.bound)}{goal} ({t.direction.value})"),
        ("scope", t.scope), ("kind", t.kind.value), ("unit", t.unit),
        ("deadline", t.deadline.text if t.deadline else "none"),
        ("base year", str(t.base_year) if t.base_year is not None else "first value"),
        ("plan", t.plan or ""), ("tags", ", ".join(t.tags)), ("source", _source(t.source)),
    ]  # fmt: skip
    if t.name_zh:
        rows.insert(0, ("名称", t.name_zh))
    for k, v in rows:
        if v:
            grid.add_row(k, v)
    return grid


def _has(group: list[Observation], o: Observation) -> bool:
    return any(x is o for x in group)


def thresholds(method: str) -> str:
    """The category thresholds of a method, as ``show`` prints them."""
    top = "on_track ahead_by ≥ 0 (R ≥ 1)" if method == "linear" else f"on_track R ≥ {ON_TRACK}"
    upper = "1" if method == "linear" else f"{ON_TRACK}"
    return (
        f"{top}; acceleration_needed {ACCELERATION} ≤ R < {upper}; limited_progress "
        f"0 ≤ R < {ACCELERATION}; deterioration R < 0; achieved when the target is met"
    )


def _use(a: Assessment, o: Observation) -> str:
    """How the assessment treated an observation, in a few words."""
    if _has(a.context, o):
        return f"context (scope {o.scope})"
    if _has(a.partial, o):
        return (
            "shown (not a full period)" if a.target.kind is Kind.annual else "shown (not year-end)"
        )
    if _has(a.used, o):
        return "used"
    if a.target.kind is Kind.growth:
        return "not used (before the target's years)"
    if a.base is not None and o.period.year < a.base.year:
        return "not used (before the base)"
    if o.value is None:
        return "not used (a change with no value beside it)"
    return "not used (superseded)"


def observations(a: Assessment, lang: str) -> Table:
    """Every observation of the target, with its source and how it was used."""
    table = Table(title="Observations", title_justify="left", header_style="bold", show_edge=False)
    for col in ("period", "value", "change", "estimate", "use", "source"):
        table.add_column(col, overflow="fold")
    every = sorted({id(o): o for o in a.known + a.used + a.partial + a.context}.values(),
                   key=lambda o: o.period.sort_key)  # fmt: skip
    for o in every:
        value = ""
        if o.value is not None:
            value = f"{bound_mark(o.effective_bound)}{humanize(o.value.value, a.target.unit, lang)}"
        change = format_percent(o.change, digits=2) if o.change is not None else ""
        note = f"\n{o.note}" if o.note else ""
        table.add_row(o.period.text, value, change, o.estimate.value, _use(a, o),
                      _source(o.source) + note)  # fmt: skip
    for p in a.series:
        if p.derived:
            table.add_row(p.period.text, f"{humanize(p.value, a.target.unit, lang)}*", "",
                          p.estimate.value, "derived", p.how)  # fmt: skip
    return table


def steps(a: Assessment, lang: str) -> Table:
    """The assessment inputs step by step, with formulas and thresholds."""
    grid = Table(title="Assessment", title_justify="left", show_header=False, show_edge=False)
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    unit = a.target.unit
    if a.target.kind is Kind.growth:
        for g in a.growth_years:
            verdict = {True: "met", False: "missed", None: "context"}[g.met]
            kind = "year to date" if g.partial else "full year"
            grid.add_row(g.period.text, f"{format_percent(g.change, digits=2)} ({kind}): {verdict}")
        grid.add_row("required", format_percent(a.target.target.value, signed=False))
    else:
        f = formulas(a)
        if a.base is not None:
            how = f" ({a.base.how})" if a.base.how else ""
            grid.add_row("base", f"{a.base.period}: {a.base.label(unit, lang)}{how}")
        if a.current is not None:
            how = f" ({a.current.how})" if a.current.how else ""
            grid.add_row("current", f"{a.current.period}: {a.current.label(unit, lang)}{how}")
        for name, value, pct in (
            ("progress", a.progress, True), ("time_elapsed", a.time_elapsed, True),
            ("growth_observed", a.growth_observed, True),
            ("growth_required", a.growth_required, True),
            ("expected_now", a.expected_now, False), ("ahead_by", a.ahead_by, False),
            ("progress_ratio", a.progress_ratio, False), ("growth_needed", a.growth_needed, True),
            ("projected", a.projected, False),
        ):  # fmt: skip
            if value is None and name in {"expected_now", "ahead_by"}:
                continue
            formula = f"   = {f[name]}" if name in f else ""
            grid.add_row(name, f"{_f(value, pct)}{formula}")
        grid.add_row(
            "thresholds",
            thresholds(a.method),
        )
    status = Text(LABEL[a.status], style=STYLE[a.status])
    if a.override is not None:
        status.append(f"  (set by hand: {a.override.reason}; computed: {LABEL[a.computed_status]})")
    grid.add_row("status", status)
    for note in a.notes:
        grid.add_row("note", note)
    return grid


def chart(a: Assessment, width: int = CHART_WIDTH) -> Text | None:
    """Bars of the observed series against the compound path from base to target (┆)."""
    t = a.target
    if t.kind is Kind.growth or not a.series:
        return None
    path: dict[int, Decimal] = {}
    if a.base is not None and t.deadline is not None and a.growth_required is not None:
        for y in range(a.base.year, t.deadline.year + 1):
            growth = Decimal(str(1 + a.growth_required)) ** (y - a.base.year)
            path[y] = a.base.value * growth
    values = {p.year: p for p in a.series}
    years = sorted(set(values) | set(path))
    top = max([*(p.value for p in values.values()), *path.values(), t.target.value])
    if top <= 0:
        return None
    goal = f"{humanize(t.target.value, t.unit)} by {t.deadline or '—'}"
    out = Text(f"Observed (█, * derived) against the required path (┆) to {goal}\n", style="bold")
    for y in range(years[0], years[-1] + 1):
        cells = [" "] * (width + 1)
        p = values.get(y)
        if p is not None:
            n = max(0, min(width, round(float(p.value / top) * width)))
            cells[:n] = "█" * n
        if y in path:
            cells[max(0, min(width, round(float(path[y] / top) * width)))] = "┆"
        label = humanize(p.value, t.unit) + ("*" if p.derived else "") if p else ""
        out.append(f"{y} ")
        out.append("".join(cells), style="cyan" if p else "dim")
        out.append(f" {label}\n")
    return out


def render_show(a: Assessment, lang: str = "en") -> Any:
    """The whole ``show`` page as one Rich renderable."""
    t = a.target
    title = Text(f"{t.id} — {t.name}", style="bold")
    parts: list[Any] = [title, definition(a, lang), Text(""), observations(a, lang), Text("")]
    parts.append(steps(a, lang))
    drawn = chart(a)
    if drawn is not None:
        parts += [Text(""), drawn]
    return Group(*parts)
