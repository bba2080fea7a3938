"""Render one target in full: definition, observations, assessment steps and a chart."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from cctrack.assess import ACCELERATION, ON_TRACK, Assessment, formulas
from cctrack.domain import Kind
from cctrack.render.fields import formula_text
from cctrack.render.numbers import format_percent
from cctrack.render.safe import terminal
from cctrack.render.status import STYLE
from cctrack.render.words import (
    QUANTITIES,
    caveat_text,
    confidence_mark,
    derivation_text,
    goal_text,
    growth_year_text,
    input_text,
    label,
    marks,
    note_text,
    number_text,
    observation_rows,
    point_text,
    point_value,
    source_text,
    status_text,
    why_text,
)

CHART_WIDTH = 40


def _text(text: str = "", style: str = "") -> Text:
    """User text as Rich text: never markup, and no control character reaches the terminal."""
    return Text(terminal(text), style=style)


def definition(a: Assessment, lang: str) -> Table:
    """The target as written, with its source."""
    t = a.target
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    rows = [
        ("target", f"{goal_text(a, lang)} ({t.direction.value})"),
        ("scope", t.scope), ("kind", t.kind.value), ("unit", t.unit),
        ("deadline", t.deadline.text if t.deadline else "none"),
        ("base year", str(t.base_year) if t.base_year is not None else "first value"),
        ("plan", t.plan or ""), ("tags", ", ".join(t.tags)), ("source", source_text(t.source)),
    ]  # fmt: skip
    if t.name_zh:
        rows.insert(0, ("Chinese name", t.name_zh))
    for k, v in rows:
        if v:
            grid.add_row(k, _text(v))
    return grid


def thresholds(method: str) -> str:
    """The category thresholds of a method, as ``show`` prints them."""
    top = "on_track ahead_by ≥ 0 (R ≥ 1)" if method == "linear" else f"on_track R ≥ {ON_TRACK}"
    upper = "1" if method == "linear" else f"{ON_TRACK}"
    return (
        f"{top}; acceleration_needed {ACCELERATION} ≤ R < {upper}; limited_progress "
        f"0 ≤ R < {ACCELERATION}; deterioration R < 0; achieved when the target is met"
    )


def observations(a: Assessment, lang: str) -> Table:
    """Every observation of the target, with its source and how it was used."""
    table = Table(title="Observations", title_justify="left", header_style="bold", show_edge=False)
    for col in ("period", "value", "change", "estimate", "use", "source"):
        table.add_column(col, overflow="fold")
    for r in observation_rows(a, lang):
        if r.source is None:
            shown = r.how
        else:
            shown = source_text(r.source) + (f" (line {r.line})" if r.line else "")
            shown += f"\n{r.note}" if r.note else ""
        cells = (r.period, r.value, r.change, r.estimate, r.use, shown)
        table.add_row(*(_text(c) for c in cells))
    return table


def steps(a: Assessment, lang: str) -> Table:
    """The assessment inputs step by step, with formulas and thresholds."""
    grid = Table(title="Assessment", title_justify="left", show_header=False, show_edge=False)
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    unit = a.target.unit
    if a.growth_years or a.target.kind is Kind.growth:
        for g in a.growth_years:
            grid.add_row(g.period.text, _text(growth_year_text(a, g)))
        if a.target.average and a.growth_observed is not None:
            span = ""
            if a.base is not None and a.current is not None:
                span = f" from {a.base.period} to {a.current.period}"
            shown = format_percent(a.growth_observed, digits=2)
            grid.add_row("average rate", _text(f"{shown} a year{span}"))
        if a.progress_ratio is not None:
            grid.add_row("progress_ratio", _text(f"{a.progress_ratio:.2f}"))
        grid.add_row("required", _text(goal_text(a, lang)))
    else:
        f = formulas(a)
        for name, p in (("base", a.base), ("current", a.current)):
            if p is not None:
                how = derivation_text(p)
                how = f" ({how})" if how else ""
                grid.add_row(name, _text(f"{p.period}: {point_text(a, p, lang)}{marks(p)}{how}"))
        for key, value in (
            ("progress", a.progress), ("time_elapsed", a.time_elapsed),
            ("growth_observed", a.growth_observed), ("growth_required", a.growth_required),
            ("expected_now", a.expected_now), ("ahead_by", a.ahead_by),
            ("progress_ratio", a.progress_ratio), ("growth_needed", a.growth_needed),
            ("projected", a.projected),
        ):  # fmt: skip
            if value is None and key in {"expected_now", "ahead_by"}:
                continue
            formula = ""
            if key in f:
                formula = "   = " + formula_text(f[key], input_text)
            shown = number_text(key, value, unit if key in QUANTITIES else None, lang)
            grid.add_row(key, _text(shown + formula))
        grid.add_row("thresholds", thresholds(a.method))
    status = _text(label(a.status), style=STYLE[a.status.value])
    if a.override is not None:
        status.append(f"  (set by hand: {a.override.reason}; computed: {label(a.computed_status)})")
    grid.add_row("status", status)
    for n in a.notes:
        grid.add_row("note", _text(note_text(n, unit, lang)))
    return grid


def chart(a: Assessment, lang: str = "en", width: int = CHART_WIDTH) -> Text | None:
    """Bars of the observed series against the compound path from base to target (┆)."""
    t = a.target
    if t.kind is Kind.growth or not a.series:
        return None
    path = dict(a.required_path)
    values = {p.year: p for p in a.series}
    years = sorted(set(values) | set(path))
    top = max([*(float(p.value) for p in values.values()), *path.values(),
               float(t.goal)])  # fmt: skip
    if top <= 0:
        return None
    goal = f"{goal_text(a, lang)} by {t.deadline or '—'}"
    out = _text(f"Observed (█, * derived) against the required path (┆) to {goal}\n", style="bold")
    for y in range(years[0], years[-1] + 1):
        cells = [" "] * (width + 1)
        p = values.get(y)
        if p is not None:
            n = max(0, min(width, round(float(p.value) / top * width)))
            cells[:n] = "█" * n
        if y in path:
            cells[max(0, min(width, round(path[y] / top * width)))] = "┆"
        shown = point_text(a, p, lang) + marks(p) if p else ""
        out.append(f"{y} ")
        out.append("".join(cells), style="cyan" if p else "dim")
        out.append(f" {shown}\n")
    return out


def evidence(a: Assessment, lang: str) -> Table:
    """How much weight the verdict bears: confidence, caveats in words, the base sensitivity,
    and one sentence of why."""
    grid = Table(title="Evidence", title_justify="left", show_header=False, show_edge=False)
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    level = a.confidence.value if a.confidence else "— (no verdict)"
    grid.add_row("verdict", _text(status_text(a, override_reason=False)))
    grid.add_row("confidence", _text(f"{confidence_mark(a)} {level}".strip()))
    grid.add_row("why", _text(why_text(a, lang)))
    for c in a.caveats:
        grid.add_row(f"caveat {c.code}", _text(caveat_text(c, a, lang)))
    for alt in a.sensitivity:
        ratio = "—" if alt.progress_ratio is None else f"{alt.progress_ratio:.2f}"
        grid.add_row(
            "from base",
            _text(
                f"{alt.period}: {point_value(a, alt.value, lang)} → R {ratio}, {label(alt.status)}"
            ),
        )
    return grid


def render_show(a: Assessment, lang: str = "en") -> Any:
    """The whole ``show`` page as one Rich renderable."""
    t = a.target
    title = _text(f"{t.id} — {t.name}", style="bold")
    parts: list[Any] = [title, definition(a, lang), _text(""), observations(a, lang), _text("")]
    parts += [steps(a, lang), _text(""), evidence(a, lang)]
    drawn = chart(a, lang)
    if drawn is not None:
        parts += [_text(""), drawn]
    return Group(*parts)
