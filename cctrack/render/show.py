"""Render one target in full: definition, observations, assessment steps and a chart."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from cctrack.assess import ACCELERATION, ON_TRACK, Assessment, formulas
from cctrack.domain import Kind
from cctrack.render import zh
from cctrack.render.fields import formula_text
from cctrack.render.numbers import format_percent
from cctrack.render.safe import terminal
from cctrack.render.status import STYLE
from cctrack.render.words import (
    CAVEAT_MARK,
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
    period_text,
    plan_text,
    point_text,
    point_value,
    reading_text,
    source_text,
    status_text,
    why_text,
)

CHART_WIDTH = 40


def _text(text: str = "", style: str = "") -> Text:
    """User text as Rich text: never markup, and no control character reaches the terminal."""
    return Text(terminal(text), style=style)


def _key(key: str, lang: str) -> str:
    """A row label of ``show``: the English label (most are JSON keys), or its Chinese."""
    return zh.SHOW.get(key, key) if lang == "zh" else key


def _title(title: str, lang: str) -> str:
    """A section title: ``Observations``, ``Assessment``, ``Evidence``."""
    return zh.TITLES[title] if lang == "zh" else title


def _zh_definition(a: Assessment, rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The definition's rows in Chinese: words of cctrack translated, data as written (the
    English name of a target that has a Chinese one is shown as ``name``)."""
    t = a.target
    words = {
        "Chinese name": ("name", t.name),
        "target": ("target", f"{goal_text(a, 'zh')}（{zh.DIRECTION[t.direction.value]}）"),
        "kind": ("kind", zh.KIND[t.kind.value]),
        "unit": ("unit", zh.unit(t.unit)),
        "deadline": ("deadline", zh.period(t.deadline) if t.deadline else zh.NONE),
        "base year": ("base year",
                      zh.period(t.base_year) if t.base_year is not None else zh.FIRST_VALUE),
        "tags": ("tags", "、".join(t.tags)),
    }  # fmt: skip
    return [words.get(k, (k, v)) for k, v in rows]


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
        ("plan", plan_text(t.plan, lang) if t.plan else ""), ("tags", ", ".join(t.tags)),
        ("source", source_text(t.source)),
        ("quote", f"“{t.quote}”" if t.quote else ""),
    ]  # fmt: skip
    if t.name_zh:
        rows.insert(0, ("Chinese name", t.name_zh))
    if lang == "zh":
        rows = _zh_definition(a, rows)
    for k, v in rows:
        if v:
            grid.add_row(_key(k, lang), _text(v))
    return grid


def thresholds(method: str, lang: str = "en") -> str:
    """The category thresholds of a method, as ``show`` prints them."""
    if lang == "zh":
        return zh.thresholds(method, ON_TRACK, ACCELERATION)
    top = "on_track ahead_by ≥ 0 (R ≥ 1)" if method == "linear" else f"on_track R ≥ {ON_TRACK}"
    upper = "1" if method == "linear" else f"{ON_TRACK}"
    return (
        f"{top}; acceleration_needed {ACCELERATION} ≤ R < {upper}; limited_progress "
        f"0 ≤ R < {ACCELERATION}; deterioration R < 0; achieved when the target is met"
    )


def observations(a: Assessment, lang: str) -> Table:
    """Every observation of the target, with its source and how it was used."""
    table = Table(title=_title("Observations", lang), title_justify="left", header_style="bold",
                  show_edge=False)  # fmt: skip
    for col in ("period", "value", "change", "estimate", "use", "source"):
        table.add_column(zh.OBS_HEADERS[col] if lang == "zh" else col, overflow="fold")
    for r in observation_rows(a, lang):
        if r.source is None:
            shown = r.how
        else:
            shown = source_text(r.source) + (_line(r.line, lang) if r.line else "")
            shown += f"\n“{r.quote}”" if r.quote else ""
            shown += f"\n{r.note}" if r.note else ""
        cells = (r.period, r.value, r.change, r.estimate, r.use, shown)
        table.add_row(*(_text(c) for c in cells))
    return table


def steps(a: Assessment, lang: str) -> Table:
    """The assessment inputs step by step, with formulas and thresholds."""
    grid = Table(title=_title("Assessment", lang), title_justify="left", show_header=False,
                 show_edge=False)  # fmt: skip
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    unit = a.target.unit
    if a.growth_years or a.target.kind is Kind.growth:
        for g in a.growth_years:
            grid.add_row(period_text(g.period, lang), _text(growth_year_text(a, g, lang)))
        if a.target.average and a.growth_observed is not None:
            shown = format_percent(a.growth_observed, digits=2)
            if lang == "zh":
                text = zh.AVERAGE.format(rate=shown)
                if a.base is not None and a.current is not None:
                    text = zh.AVERAGE_SPAN.format(rate=shown, first=a.base.period,
                                                  last=a.current.period)  # fmt: skip
            else:
                span = ""
                if a.base is not None and a.current is not None:
                    span = f" from {a.base.period} to {a.current.period}"
                text = f"{shown} a year{span}"
            grid.add_row(_key("average rate", lang), _text(text))
        if a.progress_ratio is not None:
            grid.add_row(_key("progress_ratio", lang), _text(f"{a.progress_ratio:.2f}"))
        grid.add_row(_key("required", lang), _text(goal_text(a, lang)))
    else:
        f = formulas(a)
        for name, p in (("base", a.base), ("current", a.current)):
            if p is not None:
                how = derivation_text(p, lang)
                how = (f"（{how}）" if lang == "zh" else f" ({how})") if how else ""
                colon = "：" if lang == "zh" else ": "
                text = f"{point_text(a, p, lang)}{marks(p)}{how}"
                shown = f"{period_text(p.period, lang)}{colon}{text}"
                grid.add_row(_key(name, lang), _text(shown))
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
                formula = "   = " + formula_text(f[key], lambda x: input_text(x, lang))
            shown = number_text(key, value, unit if key in QUANTITIES else None, lang)
            grid.add_row(_key(key, lang), _text(shown + formula))
        grid.add_row(_key("thresholds", lang), thresholds(a.method, lang))
    status = _text(label(a.status, lang), style=STYLE[a.status.value])
    if a.override is not None:
        computed = label(a.computed_status, lang)
        status.append(  # the reason is user text: no control character reaches the terminal
            terminal(
                zh.OVERRIDE.format(reason=a.override.reason, computed=computed)
                if lang == "zh"
                else f"  (set by hand: {a.override.reason}; computed: {computed})"
            )
        )
    grid.add_row(_key("status", lang), status)
    for n in a.notes:
        grid.add_row(_key("note", lang), _text(note_text(n, unit, lang)))
    return grid


def _line(line: int, lang: str) -> str:
    """`` (line 12)``: where an observation is in its file."""
    return zh.LINE.format(line=line) if lang == "zh" else f" (line {line})"


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
    if lang == "zh":
        goal = goal_text(a, lang)
        goal = (zh.BY_DEADLINE.format(deadline=zh.period(t.deadline), goal=goal) if t.deadline
                else zh.NO_DEADLINE.format(goal=goal))  # fmt: skip
        title = (zh.CHART if path else zh.CHART_NO_PATH).format(goal=goal)
    else:
        goal = f"{goal_text(a, lang)} by {t.deadline or '—'}"
        title = (
            f"Observed (█, * derived) against the required path (┆) to {goal}\n"
            if path
            else f"Observed (█, * derived); the target: {goal}\n"
        )  # no path: none promised
    out = _text(title.removesuffix("\n"), style="bold")
    out.append("\n")  # after _text, which makes a line break a space
    for y in range(years[0], years[-1] + 1):
        cells = [" "] * (width + 1)
        p = values.get(y)
        if p is not None:
            n = max(0, min(width, round(float(p.value) / top * width)))
            cells[:n] = "█" * n
        if y in path:
            cells[max(0, min(width, round(path[y] / top * width)))] = "┆"
        shown = terminal(point_text(a, p, lang) + marks(p)) if p else ""
        out.append(f"{y} ")
        out.append("".join(cells), style="cyan" if p else "dim")
        out.append(f" {shown}\n")
    return out


def evidence(a: Assessment, lang: str) -> Table:
    """How much weight the verdict bears: confidence, caveats in words, the base sensitivity,
    and one sentence of why."""
    grid = Table(title=_title("Evidence", lang), title_justify="left", show_header=False,
                 show_edge=False)  # fmt: skip
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    if lang == "zh":
        level = zh.CONFIDENCE[a.confidence.value] if a.confidence else f"—（{zh.NO_VERDICT}）"
    else:
        level = a.confidence.value if a.confidence else "— (no verdict)"
    grid.add_row(_key("verdict", lang), _text(status_text(a, override_reason=False, lang=lang)))
    grid.add_row(_key("confidence", lang), _text(f"{confidence_mark(a)} {level}".strip()))
    grid.add_row(_key("why", lang), _text(why_text(a, lang)))
    for c in a.caveats:
        name = f"{zh.SHOW['caveat']} {CAVEAT_MARK[c.code]}" if lang == "zh" else f"caveat {c.code}"
        grid.add_row(name, _text(caveat_text(c, a, lang)))
    for alt in a.sensitivity:
        ratio = "—" if alt.progress_ratio is None else f"{alt.progress_ratio:.2f}"
        value = point_value(a, alt.value, lang)
        shown = (
            zh.SENSITIVITY.format(period=zh.period(alt.period), value=value, ratio=ratio,
                                  status=label(alt.status, lang))
            if lang == "zh"
            else f"{alt.period}: {value} → R {ratio}, {label(alt.status)}"
        )  # fmt: skip
        grid.add_row(_key("from base", lang), _text(shown))
    for r in a.readings:
        grid.add_row(_key("reading", lang), _text(reading_text(r, a, lang)))
    return grid


def render_show(a: Assessment, lang: str = "en") -> Any:
    """The whole ``show`` page as one Rich renderable."""
    t = a.target
    name = t.name_zh if lang == "zh" and t.name_zh else t.name
    title = _text(f"{t.id} — {name}", style="bold")
    parts: list[Any] = [title, definition(a, lang), _text(""), observations(a, lang), _text("")]
    parts += [steps(a, lang), _text(""), evidence(a, lang)]
    drawn = chart(a, lang)
    if drawn is not None:
        parts += [_text(""), drawn]
    return Group(*parts)
