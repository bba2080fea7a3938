"""The report's charts as inline SVG: bars of the observed series against the required path,
or of each period against the required rate or the benchmark.

Geometry stays in code (coordinates, scales, which labels fit); the words are the catalogue's
and every piece of text is escaped here (by :func:`cctrack.render.safe.html_text`, as in the
template), as the chart reaches the page as markup.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from cctrack.assess import Assessment
from cctrack.domain import Kind
from cctrack.render.catalogue import Words
from cctrack.render.numbers import format_percent, value_text
from cctrack.render.safe import html_text as e
from cctrack.render.words import (
    benchmark_text,
    derivation_text,
    goal_text,
    growth_year_verdict,
    marks,
    name_text,
    point_text,
)
from cctrack.series import Point

# The chart's coordinate system (viewBox); the SVG scales to the width of its box.
W, H = 440, 260
PAD_L, PAD_R, PAD_T, PAD_B = 8, 8, 30, 30
CHAR = 0.6 * 15  # estimated width of a character of a label (13 units, 15 on phones)
BAR_MAX = 56


@dataclass(frozen=True, slots=True)
class Frame:
    """Maps slots (years, or periods of a growth target) and values onto the viewBox."""

    slots: int
    lo: float
    hi: float

    @property
    def slot(self) -> float:
        """The width of one slot."""
        return (W - PAD_L - PAD_R) / self.slots

    def x(self, i: int) -> float:
        """The centre of slot ``i``."""
        return PAD_L + (i + 0.5) * self.slot

    def y(self, value: float) -> float:
        """The height of ``value``."""
        return PAD_T + (self.hi - value) / (self.hi - self.lo) * (H - PAD_T - PAD_B)


def frame(slots: int, values: list[float]) -> Frame:
    """A frame holding 0 and every value, with head room for the labels."""
    lo, hi = min([0.0, *values]), max([0.0, *values])
    span = (hi - lo) or 1.0
    return Frame(slots, lo - (0.06 * span if lo < 0 else 0), hi + 0.1 * span)


def chart(a: Assessment, w: Words) -> str | None:
    """The inline SVG chart of the target, or None when there is nothing to draw."""
    per_period = a.target.kind is Kind.growth or a.target.benchmark is not None
    if a.growth_years and per_period and not (a.target.average and a.series):
        return growth_chart(a, w)
    return trend_chart(a, w) if a.series else None


def svg(a: Assessment, parts: list[str], label: str) -> str:
    """Wrap chart elements in a scalable, labelled ``<svg>``."""
    tid = e(a.target.id)
    return (
        f'<svg class="chart" id="chart-{tid}" viewBox="0 0 {W} {H}" width="{W}" height="{H}" '
        f'role="img" aria-labelledby="chart-title-{tid}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-title-{tid}">{e(label)}</title>' + "".join(parts) + "</svg>"
    )


def trend_chart(a: Assessment, w: Words) -> str:
    """Bars of the observed series (derived values hatched) against the compound path (a line)
    from base to target, with the target level and the deadline marked."""
    t = a.target
    path = dict(a.required_path)
    points = {p.year: p for p in a.series}
    deadline = t.deadline.year if t.deadline else None
    ends = [*points, *path, *([deadline] if deadline else [])]
    first, last = min(ends), max(ends)
    years = list(range(first, last + 1))
    values = [float(p.value) for p in a.series] + [float(v) for v in path.values()]
    f = frame(len(years), [*values, float(t.goal)])
    parts = [axis(f, [str(y) for y in years], years.index(deadline) if deadline else None)]
    goal = goal_text(a, w)
    parts.append(target_line(f, float(t.goal), goal, w, a.direction < 0))
    parts += [bar(f, years.index(p.year), p, a, w) for p in a.series]
    if path:
        parts.append(path_line(f, years, path, goal, w))
    if deadline is not None:
        parts.append(
            f'<circle class="goal" cx="{f.x(years.index(deadline)):.1f}" '
            f'cy="{f.y(float(t.goal)):.1f}" r="5"/>'
        )
    parts += value_labels(f, years, a, w)
    if deadline:
        goal = w("chart.by_deadline", goal=goal, deadline=w.period(deadline))
    return svg(a, parts, w("chart.trend_title", name=name_text(t, w), goal=goal))


def path_line(f: Frame, years: list[int], path: dict[int, float], goal: str, w: Words) -> str:
    """The required compound path as a line with a dot per year."""
    xy = [(f.x(years.index(y)), f.y(float(v))) for y, v in path.items()]
    dots = "".join(f'<circle class="path-dot" cx="{x:.1f}" cy="{y:.1f}" r="2.5"/>' for x, y in xy)
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    tip = w("chart.path_tip", first=min(path), last=max(path), goal=goal)
    return (
        f'<g class="required"><title>{e(tip)}</title>'
        f'<polyline class="path" points="{points}"/>{dots}</g>'
    )


def axis(f: Frame, labels: list[str], bold: int | None) -> str:
    """The zero line and the slot labels: every n-th when crowded, counted from the last; every
    other one is marked ``alt`` (hidden on phones) when there are more than seven."""
    widest = max(len(t) for t in labels) + 0.6  # and a little space
    step = max(1, math.ceil(len(labels) * widest * CHAR / (W - PAD_L - PAD_R)))
    out = [
        f'<line class="axis" x1="{PAD_L}" x2="{W - PAD_R}" y1="{f.y(0):.1f}" y2="{f.y(0):.1f}"/>'
    ]
    for i, text in enumerate(labels):
        if (len(labels) - 1 - i) % step:
            continue
        cls = "year deadline" if i == bold else "year"
        if len(labels) // step > 7 and (len(labels) - 1 - i) // step % 2:
            cls += " alt"
        x = f"{f.x(i):.1f}"
        out.append(f'<text class="{cls}" x="{x}" y="{H - 9}" text-anchor="middle">{e(text)}</text>')
    return "".join(out)


def target_line(f: Frame, value: float, text: str | None, w: Words, decrease: bool = False) -> str:
    """A dashed line at the target level with its label where the bars usually leave room:
    above it at the left for an increase, below it at the right (after the data) for a
    decrease."""
    y = f.y(value)
    line = f'<line class="target" x1="{PAD_L}" x2="{W - PAD_R}" y1="{y:.1f}" y2="{y:.1f}"/>'
    if text is None:
        return line
    x, y, anchor = (W - PAD_R, y + 18, "end") if decrease else (PAD_L, y - 6, "start")
    shown = w("chart.target_line", goal=text)
    return (
        line + f'<text class="target-label" x="{x}" y="{y:.1f}" text-anchor="{anchor}">'
        f"{e(shown)}</text>"
    )


def bar(f: Frame, i: int, p: Point, a: Assessment, w: Words) -> str:
    """One observed (or derived) value as a bar, with its value as a tooltip."""
    cls = "bar derived" if p.derived else "bar"
    if a.base is not None and p.year < a.base.year:
        cls += " before"
    tip = f"{w.period(p.period)}{w('punct.colon')}{point_text(a, p, w)}{marks(p)}"
    how = derivation_text(p, w)
    return rect(f, i, float(p.value), cls, tip + (f" — {how}" if how else ""))


def rect(f: Frame, i: int, value: float, cls: str, tip: str) -> str:
    """A bar from zero to ``value`` in slot ``i``, with a tooltip."""
    top, bottom = f.y(max(value, 0.0)), f.y(min(value, 0.0))
    width = min(f.slot * 0.62, BAR_MAX)
    return (
        f'<rect class="{cls}" x="{f.x(i) - width / 2:.1f}" y="{top:.1f}" width="{width:.1f}" '
        f'height="{max(bottom - top, 0.5):.1f}"><title>{e(tip)}</title></rect>'
    )


def value_labels(f: Frame, years: list[int], a: Assessment, w: Words) -> list[str]:
    """The base and current values written above their bars, the base label extending left and
    the current one right, so that neighbours never overlap."""
    out = []
    for p, anchor in ((a.base, "end"), (a.current, "start")):
        if p is None or p.year not in years or (anchor == "end" and p is a.current):
            continue
        text = point_text(a, p, w, unit=False) + marks(p)
        out.append(label_text(f, years.index(p.year), float(p.value), text, anchor))
    return out


def label_text(f: Frame, i: int, value: float, text: str, anchor: str) -> str:
    """A value label above a bar, kept inside the chart."""
    half = min(f.slot * 0.62, BAR_MAX) / 2
    x = f.x(i) + (half if anchor == "end" else -half)
    width = len(text) * CHAR
    x = (
        min(max(x, PAD_L + width), W - PAD_R)
        if anchor == "end"
        else min(max(x, PAD_L), W - PAD_R - width)
    )
    y = f.y(max(value, 0.0)) - 6
    return f'<text class="value" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{e(text)}</text>'


def growth_chart(a: Assessment, w: Words) -> str:
    """A growth or relative target: a bar per period (met, missed, year to date or context)
    against the required rate, or for a relative target against the benchmark's value of the
    same period (a dark tick and its label beside each bar)."""
    relative = a.target.benchmark is not None
    rate = a.target.kind is Kind.growth
    years = a.growth_years
    marks = [float(g.benchmark) for g in years if g.benchmark is not None]
    goal = float(a.target.goal)
    f = frame(len(years), [*(float(g.change) for g in years), *(marks or [goal])])
    parts = [axis(f, [g.period.text for g in years], None)]
    if not relative:
        parts.append(target_line(f, goal, None, w))  # a label would sit on a bar: the key has it

    def shown(x: Decimal) -> str:
        return format_percent(x) if rate else value_text(x, unit=a.target.unit, w=w)

    for i, g in enumerate(years):
        state = "partial" if g.partial else growth_year_verdict(a, g)
        text = shown(g.change)
        tip = w("chart.tip", period=w.period(g.period), value=text, verdict=w(f"verdict.{state}"))
        if g.benchmark is not None and relative:
            tip += w("chart.tip.benchmark", benchmark=benchmark_text(a.target, w),
                     value=shown(g.benchmark))  # fmt: skip
        parts.append(rect(f, i, float(g.change), f"bar {state}", tip))
        x, y = f.x(i), f.y(max(float(g.change), 0.0)) - 6
        parts.append(
            f'<text class="value" x="{x:.1f}" y="{y:.1f}" text-anchor="middle">{e(text)}</text>'
        )
        if g.benchmark is not None:
            half = min(f.slot * 0.62, BAR_MAX) / 2 + 4
            by = f.y(float(g.benchmark))
            parts.append(
                f'<line class="benchmark" x1="{x - half:.1f}" x2="{x + half:.1f}" '
                f'y1="{by:.1f}" y2="{by:.1f}"><title>{e(tip)}</title></line>'
            )
    title = "chart.growth_title.benchmark" if relative else "chart.growth_title.required"
    return svg(a, parts, w(title, name=name_text(a.target, w)))


def key_items(a: Assessment, w: Words) -> list[tuple[str, str]]:
    """The chart's legend: (CSS class of the swatch, text) for each item."""
    if a.target.benchmark is not None:
        keys = [("k-met", "met"), ("k-missed", "missed"), ("k-partial", "partial"),
                ("k-benchmark", "benchmark")]  # fmt: skip
    elif a.target.kind is Kind.growth and not (a.target.average and a.series):
        keys = [("k-met", "met"), ("k-missed", "missed"), ("k-partial", "partial"),
                ("k-target", "required")]  # fmt: skip
    else:
        keys = [("k-bar", "observed"), ("k-derived", "derived"), ("k-path", "path"),
                ("k-target", "target")]  # fmt: skip
        if not a.required_path:
            keys.remove(("k-path", "path"))
    params: dict[str, str] = {}
    if a.target.benchmark is not None:
        params["benchmark"] = benchmark_text(a.target, w)
    else:
        params["goal"] = goal_text(a, w)
    return [(k, w(f"chart.key.{text}", **params)) for k, text in keys]
