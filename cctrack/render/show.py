"""Render one target in full: definition, observations, assessment steps and a chart."""

from __future__ import annotations

import re
from typing import Any

from rich.cells import cell_len
from rich.console import Group
from rich.table import Table
from rich.text import Text

from cctrack.assess import ACCELERATION, ON_TRACK, Assessment, formulas
from cctrack.domain import Kind, Source
from cctrack.render.catalogue import Words
from cctrack.render.fields import formula_text
from cctrack.render.numbers import format_percent, ratio_text
from cctrack.render.safe import terminal
from cctrack.render.status import STYLE
from cctrack.render.words import (
    CAVEAT_MARK,
    QUANTITIES,
    ObservationRow,
    average_formulas,
    average_span,
    caveat_text,
    confidence_mark,
    derivation_text,
    expected_text,
    goal_text,
    growth_year_text,
    input_text,
    label,
    marks,
    multiple_text,
    name_text,
    note_text,
    number_text,
    observation_rows,
    other_name,
    plan_text,
    point_text,
    point_value,
    reading_text,
    status_text,
    why_text,
)

CHART_WIDTH = 40
# The numbers of an in-year verdict (docs/method.md §8.1), which are a year's, not a trend's.
_IN_YEAR = {
    "growth_observed": "growth_observed_in_year",
    "growth_required": "growth_required_in_year",
    "expected_now": "expected_in_year",
}


# what ends a line after its last character: spaces (a grid pads its last column with them to
# the width) and the codes that end or start styles
_TRAILING = re.compile(r"(?: |\x1b\[[0-9;]*m)+$", re.M)
_CODE = re.compile(r"\x1b\[[0-9;]*m")


def unpadded(text: str) -> str:
    """``show``'s text as the console wrote it, without the spaces that pad each line to the
    width (a line copied from it carries no trailing blanks); the styles' codes stay."""
    return _TRAILING.sub(lambda m: "".join(_CODE.findall(m.group())), text)


def _text(text: str = "", style: str = "", no_wrap: bool = False) -> Text:
    """User text as Rich text: never markup, and no control character reaches the terminal."""
    if no_wrap:  # printed whole even past the width (a URL): never cut, never folded
        return Text(terminal(text), style=style, no_wrap=True, overflow="ignore")
    return Text(terminal(text), style=style)


def _key(key: str, w: Words) -> str:
    """A row label of ``show`` (most are the JSON keys in English)."""
    return w(f"show.{key}")


def _number_key(key: str, w: Words) -> str:
    """The label of a computed number: the words the report gives it (``progress ratio R``)."""
    return w(f"report.number.{key}")


def definition(a: Assessment, w: Words) -> Group:
    """The target as written, with its source (its URL whole on a line of its own); words of
    cctrack in the language, data as written."""
    t = a.target
    other = other_name(t, w)
    rows = [
        ("other_name", other[0] if other else ""),
        ("target", w("show.target_value", goal=goal_text(a, w),
                     direction=w(f"direction.{t.direction.value}"))),
        ("multiple", multiple_text(a, w)),
        ("scope", t.scope), ("kind", w(f"kind.{t.kind.value}")), ("unit", w.unit(t.unit)),
        ("deadline", w.period(t.deadline) if t.deadline else w("show.none")),
        ("base_year", w.period(t.base_year) if t.base_year is not None
         else w("show.first_value")),
        ("plan", plan_text(t.plan, w) if t.plan else ""), ("tags", w.join(t.tags)),
        ("source", _source_head(t.source)),
        ("quote", f"“{t.quote}”" if t.quote else ""),
        ("milestone_of", t.milestone_of or ""),
    ]  # fmt: skip
    shown = [(k, v) for k, v in rows if v]
    width = max(cell_len(_key(k, w)) for k, _ in shown)
    parts: list[Any] = []
    grid = None
    for k, v in shown:
        if grid is None:
            grid = Table.grid(padding=(0, 2))
            grid.add_column(style="bold", width=width, no_wrap=True)
            grid.add_column(overflow="fold")
            parts.append(grid)
        grid.add_row(_key(k, w), _text(v))
        if k == "source" and t.source.url:  # a link is never broken: a line of its own
            parts.append(_text(" " * (width + 2) + t.source.url, no_wrap=True))
            grid = None
    return Group(*parts)


def thresholds(method: str, w: Words) -> str:
    """The category thresholds of a method, as ``show`` prints them."""
    return w(f"show.thresholds.{method}", on_track=ON_TRACK, acceleration=ACCELERATION)


def _source_head(s: Source) -> str:
    """``Publisher, Title, 2024-03-07 [A]``: a source note's first words; its URL goes on a line
    of its own (a source known by its URL alone is named by that line)."""
    named = [p for p in (s.publisher, s.title, s.published) if p]
    grade = f" [{s.reliability.value}]" if s.reliability else ""
    return (", ".join(named) + grade).strip()


def _notes(rows: list[ObservationRow], w: Words) -> tuple[list[str], list[Any]]:
    """Each row's note mark (``[1]``) and the numbered notes under the table: one per source,
    however many rows cite it (each row's file line and quote under it), or a derived value's
    derivation; a source's URL whole on a line of its own."""
    marks_: list[str] = []
    order: list[Any] = []
    cited: dict[Any, list[ObservationRow]] = {}
    for r in rows:
        key: Any = r.source if r.source is not None else ("how", r.period, r.how)
        if key not in cited:
            cited[key] = []
            order.append(key)
        cited[key].append(r)
        marks_.append(w("show.note_mark", n=order.index(key) + 1))
    indent = max((cell_len(w("show.note_mark", n=n)) for n in range(1, len(order) + 1)),
                 default=0) + 1  # fmt: skip
    out: list[Any] = []
    for n, key in enumerate(order, start=1):
        first = cited[key][0]
        parts: list[Any] = []
        if first.source is None:
            parts.append(_text(first.how))
        else:
            lines = sorted({r.line for r in cited[key] if r.line})
            head = _source_head(first.source)
            if lines:
                head += w("punct.aside", text=w.join([w("show.note_line", line=x) for x in lines]))
            parts.append(_text(head))
            seen: set[tuple[str, str]] = set()
            for r in cited[key]:
                if (r.quote, r.note) not in seen:
                    seen.add((r.quote, r.note))
                    parts += [_text(f"“{r.quote}”")] if r.quote else []
                    parts += [_text(r.note)] if r.note else []
        grid = Table.grid()
        grid.add_column(width=indent, no_wrap=True)
        grid.add_column(overflow="fold")  # a quote without spaces folds, never cut short
        grid.add_row(_text(w("show.note_mark", n=n)), Group(*parts))
        out.append(grid)
        if first.source is not None and first.source.url:  # a link is never broken
            out.append(_text(" " * indent + first.source.url, no_wrap=True))
    return marks_, out


def observations(a: Assessment, w: Words) -> Group:
    """Every observation of the target and how it was used, a note mark per row; under the
    table, its sources as numbered notes (docs/method.md: ``show``)."""
    table = Table(title=w("show.observations"), title_justify="left", header_style="bold",
                  show_edge=False)  # fmt: skip
    for col in ("period", "value", "change", "estimate", "use", "note"):
        table.add_column(w(f"obs.{col}"), overflow="fold")
    rows = observation_rows(a, w)
    marks_, notes = _notes(rows, w)
    for r, mark in zip(rows, marks_, strict=True):
        cells = (r.period, r.value, r.change, r.estimate, r.use, mark)
        table.add_row(*(_text(c) for c in cells))
    return Group(table, _text(""), *notes)


def _formula(a: Assessment, key: str, w: Words) -> str:
    """``   = formula`` of an average growth target's number, or nothing."""
    f = average_formulas(a).get(key)
    return "" if f is None else "   = " + formula_text(f, lambda x: input_text(x, w))


def steps(a: Assessment, w: Words) -> Table:
    """The assessment inputs step by step, with formulas and thresholds."""
    grid = Table(title=w("show.assessment"), title_justify="left", show_header=False,
                 show_edge=False)  # fmt: skip
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    unit = a.target.unit
    if a.growth_years or a.target.kind is Kind.growth:
        for g in a.growth_years:
            grid.add_row(w.period(g.period), _text(growth_year_text(a, g, w)))
        if a.target.average and a.growth_observed is not None:
            shown = format_percent(a.growth_observed, digits=2)
            if a.current is not None:  # from the base, or the first year chained into it
                text = w("show.average.span", rate=shown, span=average_span(a, w))
            else:
                text = w("show.average", rate=shown)
            grid.add_row(_key("average_rate", w), _text(text + _formula(a, "growth_observed", w)))
        if a.progress_ratio is not None:
            ratio = ratio_text(a.progress_ratio) + _formula(a, "progress_ratio", w)
            grid.add_row(_number_key("progress_ratio", w), _text(ratio))
        grid.add_row(_key("required", w), _text(goal_text(a, w)))
    else:
        f = formulas(a)
        before = a.in_year.year_before if a.in_year is not None else None
        for name, p in (("year_before", before), ("base", a.base), ("current", a.current)):
            if p is not None:
                how = derivation_text(p, w)
                how = w("punct.aside", text=how) if how else ""
                text = f"{point_text(a, p, w)}{marks(p)}{how}"
                shown = f"{w.period(p.period)}{w('punct.colon')}{text}"
                grid.add_row(_key(name, w), _text(shown))
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
                formula = "   = " + formula_text(f[key], lambda x: input_text(x, w))
            shown = number_text(key, value, unit if key in QUANTITIES else None, w)
            name = _number_key(key, w)
            if a.in_year is not None and key in _IN_YEAR:  # a year's growth, not a line's
                name = _key(_IN_YEAR[key], w)
            grid.add_row(name, _text(shown + formula))
        rule = (w("show.thresholds.in_year", acceleration=ACCELERATION) if a.in_year is not None
                else thresholds(a.method, w))  # fmt: skip
        grid.add_row(_key("thresholds", w), rule)
    status = _text(label(a.status, w), style=STYLE[a.status.value])
    if a.override is not None:
        computed = label(a.computed_status, w)
        # the reason is user text: no control character reaches the terminal
        status.append(terminal(w("show.override", reason=a.override.reason, computed=computed)))
    grid.add_row(_key("status", w), status)
    for n in a.notes:
        grid.add_row(_key("note", w), _text(note_text(n, a.target, w, a.overdue)))
    for m in a.milestones:
        deadline = w.period(m.deadline) if m.deadline else w("show.none")
        shown = w("show.milestone_line", id=m.id, deadline=deadline, status=label(m.status, w))
        grid.add_row(_key("milestone", w), _text(shown))
    return grid


def chart(a: Assessment, w: Words, width: int = CHART_WIDTH) -> Text | None:
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
    goal = goal_text(a, w)
    goal = (w("chart.by_deadline", goal=goal, deadline=w.period(t.deadline)) if t.deadline
            else w("chart.no_deadline", goal=goal))  # fmt: skip
    title = w("chart.show_title" if path else "chart.show_title_no_path", goal=goal)
    out = _text(title, style="bold")
    out.append("\n")  # after _text, which makes a line break a space
    for y in range(years[0], years[-1] + 1):
        cells = [" "] * (width + 1)
        p = values.get(y)
        if p is not None:
            n = max(0, min(width, round(float(p.value) / top * width)))
            cells[:n] = "█" * n
        if y in path:
            cells[max(0, min(width, round(path[y] / top * width)))] = "┆"
        shown = terminal(point_text(a, p, w) + marks(p)) if p else ""
        out.append(f"{y} ")
        out.append("".join(cells), style="cyan" if p else "dim")
        out.append(f" {shown}\n")
    return out


def evidence(a: Assessment, w: Words) -> Table:
    """How much weight the verdict bears: confidence, caveats in words, the base sensitivity,
    and one sentence of why."""
    grid = Table(title=w("show.evidence"), title_justify="left", show_header=False,
                 show_edge=False)  # fmt: skip
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    level = w(f"confidence.{a.confidence.value}") if a.confidence else w("show.no_verdict")
    grid.add_row(_key("verdict", w), _text(status_text(a, w, override_reason=False)))
    grid.add_row(_key("confidence", w), _text(f"{confidence_mark(a)} {level}".strip()))
    grid.add_row(_key("why", w), _text(why_text(a, w)))
    if a.next_figure is not None:
        grid.add_row(w("next.label"), _text(expected_text(a.next_figure, w)))
    for c in a.caveats:
        grid.add_row(w("show.caveat", code=c.code, mark=CAVEAT_MARK[c.code]),
                     _text(caveat_text(c, a, w)))  # fmt: skip
    for alt in a.sensitivity:
        ratio = ratio_text(alt.progress_ratio)
        value = point_value(a, alt.value, w)
        shown = w("show.sensitivity", period=w.period(alt.period), value=value, ratio=ratio,
                  status=label(alt.status, w))  # fmt: skip
        grid.add_row(_key("from_base", w), _text(shown))
    for r in a.readings:
        grid.add_row(_key("reading", w), _text(reading_text(r, a, w)))
    return grid


def render_show(a: Assessment, w: Words) -> Any:
    """The whole ``show`` page as one Rich renderable."""
    t = a.target
    title = _text(f"{t.id} — {name_text(t, w)}", style="bold")
    parts: list[Any] = [title, definition(a, w), _text(""), observations(a, w), _text("")]
    parts += [steps(a, w), _text(""), evidence(a, w)]
    drawn = chart(a, w)
    if drawn is not None:
        parts += [_text(""), drawn]
    return Group(*parts)
