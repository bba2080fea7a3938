"""The HTML report: one self-contained page (inline CSS and SVG; no script, font or image files).

``render_report`` is pure: assessments in, a string out. Every piece of text goes through
:func:`html.escape`, and only http(s) URLs become links. The numbers are the values of
``status --format json`` (each in a ``<data value>`` element, so that anyone can check them),
formatted by the same functions as the terminal renderers.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html import escape
from typing import Any
from urllib.parse import urlsplit

from cctrack import __version__
from cctrack.assess import ACCELERATION, ON_TRACK, Assessment, Point, formulas
from cctrack.domain import Kind, Source, Status
from cctrack.render import zh
from cctrack.render.fields import formula_text, target_json
from cctrack.render.numbers import format_percent, value_text
from cctrack.render.safe import bidi_visible
from cctrack.render.status import row
from cctrack.render.words import (
    caveat_legend,
    caveat_marks,
    caveat_text,
    confidence_mark,
    derivation_text,
    goal_text,
    in_period,
    input_text,
    legend,
    marks,
    notes_text,
    number_text,
    observation_rows,
    period_text,
    plan_text,
    point_text,
    point_value,
    status_text,
    why_text,
)
from cctrack.render.words import label as status_label

# The chart's coordinate system (viewBox); the SVG scales to the width of its box.
W, H = 440, 260
PAD_L, PAD_R, PAD_T, PAD_B = 8, 8, 30, 30
CHAR = 0.6 * 15  # estimated width of a character of a label (13 units, 15 on phones)
BAR_MAX = 56
VERDICT = {True: "met", False: "missed", None: "context"}

NUMBER_LABELS = {
    "base": "base", "current": "current", "progress": "progress",
    "time_elapsed": "time elapsed", "growth_observed": "growth observed / yr",
    "growth_required": "growth required / yr", "expected_now": "expected now (linear path)",
    "ahead_by": "ahead by", "progress_ratio": "progress ratio R",
    "growth_needed": "growth needed / yr", "projected": "projected at deadline",
}  # fmt: skip
PERCENTS = {"progress", "time_elapsed", "growth_observed", "growth_required", "growth_needed"}
SUMMARY_COLUMNS = ("target", "goal", "current", "progress", "growth/yr obs/req",
                   "projected", "status")  # fmt: skip


def e(text: object) -> str:
    """Escape text for an HTML element or a quoted attribute."""
    return escape(bidi_visible(str(text)), quote=True)


def http_url(url: str | None) -> str | None:
    """The URL when it is http or https (the only ones made into links), else None."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in {"http", "https"} else None


def link(url: str | None, text: str) -> str:
    """An ``<a href>`` for an http(s) URL; anything else stays plain text."""
    href = http_url(url)
    if href is None:
        return e(text)
    return f'<a href="{e(href)}" rel="noopener noreferrer">{e(text)}</a>'


def source_html(s: Source) -> str:
    """``Publisher, Title, 2024-03-07 [A]``, linked to its URL when that is http(s)."""
    extra = (f", {s.published}" if s.published else "") + (
        f" [{s.reliability.value}]" if s.reliability else ""
    )
    shown = link(s.url, s.label()) + e(extra)
    if s.url and s.title and http_url(s.url) is None:
        shown += f' <span class="url">{e(s.url)}</span>'
    return shown


def name_html(a: Assessment, lang: str) -> str:
    """The target's name as the status table shows it; a Chinese name is marked as such (and,
    on a Chinese page, an English one)."""
    name = row(a, lang)["name"]
    if lang == "zh":
        return f'<span lang="{"zh-Hans" if a.target.name_zh else "en"}">{e(name)}</span>'
    return e(name)


def badge(status: Status, override: bool = False, text: str | None = None, lang: str = "en") -> str:
    """The status as a coloured label (``†`` when set by hand)."""
    text = text or status_label(status, lang) + (" †" if override else "")
    return f'<span class="status s-{e(status.value)}">{e(text)}</span>'


# --- page ------------------------------------------------------------------------------------


def render_report(assessments: list[Assessment], as_of: date, lang: str = "en") -> str:
    """The whole report: title, summary table, then one card per target."""
    return "".join(report_parts(assessments, as_of, lang))


def report_parts(assessments: list[Assessment], as_of: date, lang: str = "en") -> Iterator[str]:
    """The report in pieces, one card at a time, so that a large page is written as it is made
    rather than held whole (and again as bytes) in memory."""
    method = assessments[0].method if assessments else "growth-ratio"
    title = zh.REPORT["title"] if lang == "zh" else "Development targets: progress report"
    yield (
        "<!DOCTYPE html>\n"
        f'<html lang="{"zh-Hans" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light">\n'
        f'<meta name="generator" content="cctrack {e(__version__)}">\n'
        f"<title>{e(title)} ({e(as_of.isoformat())})</title>\n<style>{CSS}</style>\n</head>\n"
        "<body>\n"
    )
    yield header(title, assessments, as_of, method, lang) + "\n"
    yield summary(assessments, lang) + "\n"
    yield '<main class="cards">\n'
    for a in assessments:
        yield card(a, lang) + "\n"
    yield "</main>\n"
    yield footer(lang) + "\n</body>\n</html>\n"


def header(
    title: str, assessments: list[Assessment], as_of: date, method: str, lang: str = "en"
) -> str:
    """The title, the as-of date and method, and how many targets are in each category."""
    counts = Counter(a.status for a in assessments)
    tally = " ".join(  # best first
        f'<span class="count">{badge(s, lang=lang)} {counts[s]}</span>' for s in Status if counts[s]
    )
    when = f'<time datetime="{e(as_of.isoformat())}">{e(as_of.isoformat())}</time>'
    if lang == "zh":
        meta = (
            f"{e(zh.AS_OF)} {when} · {e(zh.METHOD_WORD)} "
            f"<strong>{e(zh.METHOD.get(method, method))}</strong> · "
            f"{e(zh.N_TARGETS.format(n=len(assessments)))}"
        )
    else:
        meta = f"As of {when} · method <strong>{e(method)}</strong> · {len(assessments)} targets"
    return (
        f'<header>\n<h1>{e(title)}</h1>\n<p class="meta">{meta}</p>\n'
        f'<p class="tally">{tally}</p>\n</header>'
    )


def summary(assessments: list[Assessment], lang: str) -> str:
    """One row per target: name, goal and deadline, current value, progress, growth, status."""
    head = "".join(f'<th scope="col">{e(c)}</th>' for c in summary_columns(lang))
    rows = "\n".join(summary_row(a, lang) for a in assessments)
    title = zh.REPORT["summary"] if lang == "zh" else "Summary"
    return (
        '<section class="summary" aria-labelledby="summary-title">\n'
        f'<h2 id="summary-title">{e(title)}</h2>\n'
        f'<table class="stack">\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n'
        f'</table>\n<p class="legend">{e(legend(lang))}</p>\n'
        f'<p class="legend">{e(caveat_legend(lang))}</p>\n</section>'
    )


def summary_columns(lang: str) -> tuple[str, ...]:
    """The summary table's column headers (the labels of its cells on narrow screens)."""
    return zh.SUMMARY_COLUMNS if lang == "zh" else SUMMARY_COLUMNS


def summary_row(a: Assessment, lang: str) -> str:
    """A row of the summary table, built from the status table's columns."""
    r = row(a, lang)
    if lang == "zh":
        by = f"（{r['deadline']}）" if r["deadline"] else ""
        when = f"（{r['period']}）" if r["period"] else ""
    else:
        by = f" by {r['deadline']}" if r["deadline"] else ""
        when = f" ({r['period']})" if r["period"] else ""
    cells = [
        f'<a href="#target-{e(r["id"])}">{name_html(a, lang)}</a>'
        f'<br><code class="id">{e(r["id"])}</code>',
        e(r["target"] + by),
        e(r["current"] + when) if r["current"] else "—",
        progress_html(a.progress, r["progress"]),
        e(r["growth"]) or "—",
        e(r["projected"]) or "—",
        badge(a.status, a.override is not None, status_text(a, False, lang))
        + f' <span class="conf" title="{e(zh.CONFIDENCE_WORD if lang == "zh" else "confidence")}">'
        f"{e(confidence_mark(a))}</span>"
        + (f' <span class="caveats">{e(caveat_marks(a))}</span>' if a.caveats else ""),
    ]
    labels = summary_columns(lang)
    return f'<tr data-status="{e(a.status.value)}">{cells_html(labels, cells)}</tr>'


def cells_html(labels: tuple[str, ...], cells: list[str]) -> str:
    """Table cells (HTML already), labelled for the stacked layout of narrow screens, where
    empty cells are left out."""
    out = []
    for label, cell in zip(labels, cells, strict=True):
        empty = ' class="empty"' if cell in {"", "—"} else ""
        out.append(f'<td data-label="{e(label)}"{empty}><span class="v">{cell}</span></td>')
    return "".join(out)


def progress_html(fraction: float | None, bar_text: str) -> str:
    """A bar clipped to 0-100% with the percentage as the status table prints it."""
    if fraction is None:
        return "—"
    width = round(max(0.0, min(1.0, fraction)) * 100)
    pct = bar_text.rsplit(" ", 1)[-1]
    bar = f'<span class="pbar" aria-hidden="true"><span style="width:{width}%"></span></span>'
    return f"{bar} {e(pct)}"


def footer(lang: str = "en") -> str:
    """How to read the categories."""
    if lang == "zh":
        return (
            f"<footer>\n<p>{e(zh.rule(ON_TRACK, ACCELERATION))}</p>\n<p>{e(zh.LEGEND)}</p>\n"
            f"<p>{e(zh.MADE_BY.format(version=__version__))}<code>{e(zh.SHOW_COMMAND)}</code>"
            f"{e(zh.MADE_BY_TAIL)}</p>\n</footer>"
        )
    rule = (
        f"Progress ratio R = observed ÷ required compound annual growth. on track: R ≥ {ON_TRACK}; "
        f"acceleration needed: {ACCELERATION} ≤ R < {ON_TRACK}; limited progress: 0 ≤ R < "
        f"{ACCELERATION}; deterioration: R < 0; achieved: the current value meets the target; "
        "met / missed: the value for the deadline period."
    )
    return (
        f"<footer>\n<p>{e(rule)}</p>\n<p>{e(legend())}</p>\n"
        f"<p>Made by cctrack {e(__version__)}; <code>cctrack show ID</code> explains any "
        "target step by step.</p>\n</footer>"
    )


# --- card ------------------------------------------------------------------------------------


def card(a: Assessment, lang: str) -> str:
    """Everything about one target: status, numbers, chart, notes and sources."""
    tid = e(a.target.id)
    drawn = chart(a, lang)
    nothing = (
        zh.REPORT["no chart"]
        if lang == "zh"
        else "No data to chart: no full-period value of the target's own scope yet."
    )
    figure = (
        f'<figure class="figure">{drawn}{chart_key(a, lang)}</figure>'
        if drawn
        else f'<p class="nodata">{e(nothing)}</p>'
    )
    figures_html = numbers(a, lang)
    body = "card-body" if figures_html else "card-body single"
    return (
        f'<section class="card" id="target-{tid}" aria-labelledby="title-{tid}">\n'
        f"{card_head(a, lang)}\n{status_block(a, lang)}\n{evidence_html(a, lang)}\n"
        f'<div class="{body}">\n{figures_html}\n{figure}\n</div>\n'
        f"{notes(a, lang)}\n{sources(a, lang)}\n</section>"
    )


def card_head(a: Assessment, lang: str) -> str:
    """Name, id and the target as stated."""
    t, r = a.target, row(a, lang)
    other = ""
    if lang != "zh" and t.name_zh:
        other = f' <span class="zh" lang="zh-Hans">{e(t.name_zh)}</span>'
    elif lang == "zh" and t.name_zh:  # the English name, as the English page gives the Chinese
        other = f' <span class="zh" lang="en">{e(t.name)}</span>'
    if lang == "zh":
        facts = [zh.GOAL_FACT.format(goal=r["target"])
                 + (f"（{r['deadline']}）" if r["deadline"] else ""),
                 zh.DIRECTION[t.direction.value], zh.KIND[t.kind.value]]  # fmt: skip
    else:
        facts = [f"goal {r['target']}" + (f" by {r['deadline']}" if r["deadline"] else ""),
                 t.direction.value, t.kind.value]  # fmt: skip
    facts += [t.scope, *([plan_text(t.plan, lang)] if t.plan else [])]
    return (
        f'<h2 id="title-{e(t.id)}">{name_html(a, lang)}{other}</h2>\n'
        f'<p class="facts"><code class="id">{e(t.id)}</code> · '
        + " · ".join(e(f) for f in facts)
        + "</p>"
    )


def evidence_html(a: Assessment, lang: str) -> str:
    """Confidence, the sentence of why, the caveats in words and the base sensitivity."""
    level = a.confidence.value if a.confidence else "no verdict"
    if lang == "zh":
        conf = zh.CONFIDENCE_WORD + (zh.CONFIDENCE[level] if a.confidence else zh.NO_VERDICT)
    else:
        conf = f"{level} confidence"
    items = "".join(f'<li data-caveat="{e(c.code)}">{e(caveat_text(c, a, lang))}</li>'
                    for c in a.caveats)  # fmt: skip
    alts = ""
    for alt in a.sensitivity:
        ratio = "—" if alt.progress_ratio is None else f"{alt.progress_ratio:.2f}"
        value, status = point_value(a, alt.value, lang), status_label(alt.status, lang)
        text = (
            zh.OTHER_BASE.format(period=zh.period(alt.period), value=value, ratio=ratio,
                                 status=status)
            if lang == "zh"
            else f"from {alt.period}: {value} → R {ratio}, {status}"
        )  # fmt: skip
        alts += f"<li>{e(text)}</li>"
    words = zh.REPORT if lang == "zh" else {"caveats": "Caveats", "other bases": "From other bases"}
    out = (
        f'<div class="evidence" data-confidence="{e(level)}"><p class="why">'
        f'<span class="conf">{e(confidence_mark(a))} {e(conf)}</span> '
        f"{e(why_text(a, lang))}</p>"
    )
    if items:
        out += f'<h3>{e(words["caveats"])}</h3><ul class="caveats">{items}</ul>'
    if alts:
        out += f'<h3>{e(words["other bases"])}</h3><ul class="sensitivity">{alts}</ul>'
    return out + "</div>"


def status_block(a: Assessment, lang: str = "en") -> str:
    """The status; when set by hand, the reason and the computed status beside it."""
    shown = badge(a.status, a.override is not None, status_text(a, False, lang))
    out = f'<p class="status-line">{shown}'
    if a.override is not None:
        reason, computed = a.override.reason, status_label(a.computed_status, lang)
        text = (
            zh.SET_BY_HAND.format(reason=reason, computed=computed)
            if lang == "zh"
            else f"set by hand: {reason} (computed: {computed})"
        )
        out += f' <span class="override">{e(text)}</span>'
    return out + "</p>"


def numbers(a: Assessment, lang: str) -> str:
    """The numbers of ``status --format json``, each with its formula when there is one."""
    shown_figures = figures(a, lang)
    if a.current is None:  # no value yet: only what the plan itself fixes (a required rate)
        shown_figures = [x for x in shown_figures if x[2] is not None]
        if not shown_figures:
            return ""
    f = formulas(a)
    items = []
    for key, text, value in shown_figures:
        shown = (
            e(text)
            if value is None
            else f'<data value="{e(value)}" data-key="{e(key)}">{e(text)}</data>'
        )
        formula = ""
        if key in f:
            shown_formula = formula_text(f[key], lambda x: input_text(x, lang))
            formula = f'<code class="formula">= {e(shown_formula)}</code>'
        label = NUMBER_LABELS.get(key, key)
        if lang == "zh":
            label = zh.NUMBER_LABELS.get(key) or zh.CHANGE_LABEL.format(
                period=zh.period(key.removeprefix("change "))
            )
        items.append(f'<div><dt title="{e(key)}">{e(label)}</dt><dd>{shown}{formula}</dd></div>')
    return '<dl class="numbers">' + "".join(items) + "</dl>"


def figures(a: Assessment, lang: str) -> list[tuple[str, str, Any]]:
    """``(key, text, JSON value)`` for each number of the card, in the order of the JSON."""
    j = target_json(a)
    if a.target.kind is Kind.growth:
        return growth_figures(a, j, lang)
    out: list[tuple[str, str, Any]] = []
    for key in ("base", "current"):
        p: Point | None = getattr(a, key)
        if p is not None:
            out.append((key, point_label(a, p, lang), j[key]["value"]))
    for key in NUMBER_LABELS:
        if key in {"base", "current"} or (j[key] is None and key in {"expected_now", "ahead_by"}):
            continue
        out.append((key, number_text(key, j[key], a.target.unit, lang), j[key]))
    return out


def growth_figures(
    a: Assessment, j: dict[str, Any], lang: str = "en"
) -> list[tuple[str, str, Any]]:
    """A growth target: the latest change, the required rate and each year's verdict."""
    out: list[tuple[str, str, Any]] = []
    if a.current is not None:
        when = in_period(a.current.period, lang)
        out.append(("current", f"{format_percent(a.current.value)}{when}",
                    j["current"]["value"]))  # fmt: skip
    for key in ("growth_observed", "growth_required"):
        out.append((key, format_percent(j[key], signed=key != "growth_required"), j[key]))
    if j["progress_ratio"] is not None:  # an average-growth target: the ratio of the two rates
        ratio = j["progress_ratio"]
        out.append(("progress_ratio", number_text("progress_ratio", ratio, a.target.unit, lang),
                    ratio))  # fmt: skip
    for g, gj in zip(a.growth_years, j["growth_years"], strict=True):
        verdict = VERDICT[g.met]
        kind = "year to date" if g.partial else "full year"
        text = f"{format_percent(g.change)} ({kind}): {verdict}"
        if lang == "zh":
            text = zh.growth_year(format_percent(g.change), g.partial, None, zh.VERDICT[verdict])
        out.append((f"change {g.period}", text, gj["change"]))
    return out


def point_label(a: Assessment, p: Point, lang: str) -> str:
    """``≥ 241.11 bn yuan* (2023)``, with how a derived value was derived."""
    how = derivation_text(p, lang)
    how = f" — {how}" if how else ""
    return f"{point_text(a, p, lang)}{marks(p)}{in_period(p.period, lang)}{how}"


def notes(a: Assessment, lang: str = "en") -> str:
    """The assessment's notes (stale data, derived values, partial periods...)."""
    if not a.notes:
        return ""
    items = "".join(f"<li>{e(n)}</li>" for n in notes_text(a, lang))
    title = zh.REPORT["notes"] if lang == "zh" else "Notes"
    return f'<div class="notes"><h3>{e(title)}</h3><ul>{items}</ul></div>'


def observation_html(a: Assessment, lang: str) -> list[str]:
    """The rows of ``show``'s observations table (the same observations, roles and words)."""
    out = []
    for r in observation_rows(a, lang):
        if r.source is None:
            shown = e(r.how)
        else:
            shown = source_html(r.source)
            shown += f' <span class="line">{e(line_text(r.line, lang))}</span>' if r.line else ""
            shown += f'<br><q class="quote">{e(r.quote)}</q>' if r.quote else ""
            shown += f'<br><span class="note">{e(r.note)}</span>' if r.note else ""
        out.append(obs_row(r.period, r.value, r.change, r.use, shown, lang))
    return out


def sources(a: Assessment, lang: str) -> str:
    """The target's source, then the observations table."""
    rows = observation_html(a, lang)
    table = ""
    if rows:
        head = "".join(f'<th scope="col">{e(c)}</th>' for c in obs_columns(lang))
        table = (f'<table class="stack obs"><thead><tr>{head}</tr></thead>'
                 f"<tbody>{''.join(rows)}</tbody></table>")  # fmt: skip
    return (
        f'<div class="sources"><h3>{e(zh.REPORT["sources"] if lang == "zh" else "Sources")}</h3>'
        f"<p>{e(zh.REPORT['target'] if lang == 'zh' else 'Target:')} {source_html(a.target.source)}"
        f"{quote_html(a.target.quote)}</p>"
        f"{table}</div>"
    )


OBS_COLUMNS = ("period", "value", "change", "use", "source")


def quote_html(quote: str | None) -> str:
    """The source's own phrase, verbatim, after the source."""
    return f' <q class="quote">{e(quote)}</q>' if quote else ""


def obs_columns(lang: str = "en") -> tuple[str, ...]:
    """The observations table's column headers."""
    return zh.OBS_COLUMNS if lang == "zh" else OBS_COLUMNS


def line_text(line: int, lang: str = "en") -> str:
    """``line 26``: where an observation is in ``observations.yaml``."""
    return zh.REPORT["line"].format(line=line) if lang == "zh" else f"line {line}"


def obs_row(period: str, value: str, change: str, how: str, source: str, lang: str = "en") -> str:
    """A row of the observations table (``source`` is HTML already)."""
    cells = [e(period), e(value), e(change), e(how), source]
    return f"<tr>{cells_html(obs_columns(lang), cells)}</tr>"


# --- chart -----------------------------------------------------------------------------------


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


def chart(a: Assessment, lang: str) -> str | None:
    """The inline SVG chart of the target, or None when there is nothing to draw."""
    per_period = a.target.kind is Kind.growth or a.target.benchmark is not None
    if a.growth_years and per_period and not (a.target.average and a.series):
        return growth_chart(a, lang)
    return trend_chart(a, lang) if a.series else None


def svg(a: Assessment, parts: list[str], label: str) -> str:
    """Wrap chart elements in a scalable, labelled ``<svg>``."""
    tid = e(a.target.id)
    return (
        f'<svg class="chart" id="chart-{tid}" viewBox="0 0 {W} {H}" width="{W}" height="{H}" '
        f'role="img" aria-labelledby="chart-title-{tid}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-title-{tid}">{e(label)}</title>' + "".join(parts) + "</svg>"
    )


def trend_chart(a: Assessment, lang: str) -> str:
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
    parts.append(target_line(f, float(t.goal), row(a, lang)["target"], a.direction < 0, lang))
    parts += [bar(f, years.index(p.year), p, a, lang) for p in a.series]
    if path:
        parts.append(path_line(f, years, path, goal_text(a, lang), lang))
    if deadline is not None:
        parts.append(
            f'<circle class="goal" cx="{f.x(years.index(deadline)):.1f}" '
            f'cy="{f.y(float(t.goal)):.1f}" r="5"/>'
        )
    parts += value_labels(f, years, a, lang)
    goal = row(a, lang)["target"]
    if lang == "zh":
        if deadline:
            goal = zh.BY_DEADLINE.format(deadline=zh.period(deadline), goal=goal)
        return svg(a, parts, zh.CHART_TITLE.format(name=row(a, lang)["name"], goal=goal))
    label = f"{t.name}: observed values against the path required to reach {goal}"
    return svg(a, parts, label + (f" by {deadline}" if deadline else ""))


def path_line(
    f: Frame, years: list[int], path: dict[int, float], goal: str, lang: str = "en"
) -> str:
    """The required compound path as a line with a dot per year."""
    xy = [(f.x(years.index(y)), f.y(float(v))) for y, v in path.items()]
    dots = "".join(f'<circle class="path-dot" cx="{x:.1f}" cy="{y:.1f}" r="2.5"/>' for x, y in xy)
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    tip = f"required compound path from {min(path)} to {goal} in {max(path)}"
    if lang == "zh":
        tip = zh.PATH_TIP.format(first=min(path), last=max(path), goal=goal)
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


def target_line(
    f: Frame, value: float, text: str | None, decrease: bool = False, lang: str = "en"
) -> str:
    """A dashed line at the target level with its label where the bars usually leave room:
    above it at the left for an increase, below it at the right (after the data) for a
    decrease."""
    y = f.y(value)
    line = f'<line class="target" x1="{PAD_L}" x2="{W - PAD_R}" y1="{y:.1f}" y2="{y:.1f}"/>'
    if text is None:
        return line
    x, y, anchor = (W - PAD_R, y + 18, "end") if decrease else (PAD_L, y - 6, "start")
    shown = zh.TARGET_LINE.format(goal=text) if lang == "zh" else f"target {text}"
    return (
        line + f'<text class="target-label" x="{x}" y="{y:.1f}" text-anchor="{anchor}">'
        f"{e(shown)}</text>"
    )


def bar(f: Frame, i: int, p: Point, a: Assessment, lang: str) -> str:
    """One observed (or derived) value as a bar, with its value as a tooltip."""
    cls = "bar derived" if p.derived else "bar"
    if a.base is not None and p.year < a.base.year:
        cls += " before"
    colon = "：" if lang == "zh" else ": "
    tip = f"{period_text(p.period, lang)}{colon}{point_text(a, p, lang)}{marks(p)}"
    how = derivation_text(p, lang)
    return rect(f, i, float(p.value), cls, tip + (f" — {how}" if how else ""))


def rect(f: Frame, i: int, value: float, cls: str, tip: str) -> str:
    """A bar from zero to ``value`` in slot ``i``, with a tooltip."""
    top, bottom = f.y(max(value, 0.0)), f.y(min(value, 0.0))
    width = min(f.slot * 0.62, BAR_MAX)
    return (
        f'<rect class="{cls}" x="{f.x(i) - width / 2:.1f}" y="{top:.1f}" width="{width:.1f}" '
        f'height="{max(bottom - top, 0.5):.1f}"><title>{e(tip)}</title></rect>'
    )


def value_labels(f: Frame, years: list[int], a: Assessment, lang: str) -> list[str]:
    """The base and current values written above their bars, the base label extending left and
    the current one right, so that neighbours never overlap."""
    out = []
    for p, anchor in ((a.base, "end"), (a.current, "start")):
        if p is None or p.year not in years or (anchor == "end" and p is a.current):
            continue
        text = point_text(a, p, lang, unit=False) + marks(p)
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


def growth_chart(a: Assessment, lang: str = "en") -> str:
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
        parts.append(target_line(f, goal, None))  # a label would sit on a bar: the key has it

    def shown(x: Decimal) -> str:
        return format_percent(x) if rate else value_text(x, unit=a.target.unit, lang=lang)

    for i, g in enumerate(years):
        state = "partial" if g.partial else VERDICT[g.met]
        text = shown(g.change)
        b = a.target.benchmark
        if lang == "zh":
            tip = f"{zh.period(g.period)}：{text}（{zh.VERDICT[state]}）"
            if g.benchmark is not None and b is not None:
                tip += f"；{zh.benchmark_label(b.scope, b.target)}：{shown(g.benchmark)}"
        else:
            tip = f"{g.period}: {text} ({state})"
            if g.benchmark is not None:
                tip += f"; {b.label() if b else ''}: "
                tip += shown(g.benchmark)
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
    if lang == "zh":
        name = row(a, lang)["name"]
        return svg(a, parts, zh.GROWTH_CHART_TITLE[relative].format(name=name))
    what = "against the benchmark" if relative else "against the required rate"
    return svg(a, parts, f"{a.target.name}: each period {what}")


def chart_key(a: Assessment, lang: str = "en") -> str:
    """The chart's legend, in HTML under it."""
    b = a.target.benchmark
    if b is not None:
        keys = [("k-met", "met"), ("k-missed", "missed"), ("k-partial", "year to date or context"),
                ("k-benchmark", "benchmark")]  # fmt: skip
    elif a.target.kind is Kind.growth and not (a.target.average and a.series):
        keys = [("k-met", "met"), ("k-missed", "missed"), ("k-partial", "year to date or context"),
                ("k-target", "required")]  # fmt: skip
    else:
        keys = [("k-bar", "observed"), ("k-derived", "derived from a change (*)"),
                ("k-path", "required compound path"), ("k-target", "target")]  # fmt: skip
        if not a.required_path:
            keys.remove(("k-path", "required compound path"))
    if lang == "zh":
        label = zh.benchmark_label(b.scope, b.target) if b is not None else ""
        keys = [(k, zh.CHART_KEY[text].format(label=label, goal=goal_text(a, lang)))
                for k, text in keys]  # fmt: skip
    else:
        shown = {"benchmark": f"benchmark: {b.label() if b else ''}",
                 "required": f"required {goal_text(a)}"}  # fmt: skip
        keys = [(k, shown.get(text, text)) for k, text in keys]
    items = "".join(f'<li><span class="key {k}"></span>{e(text)}</li>' for k, text in keys)
    return f'<figcaption><ul class="chart-key">{items}</ul></figcaption>'


CSS = """
:root {
  --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --paper: #fff; --wash: #f6f8fa;
  --blue: #2f6fd6; --blue-light: #b6cdf3; --amber: #c2410c; --green: #1a7f37;
  --red: #c62828;
  color-scheme: light;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0 auto; max-width: 1120px; padding: 24px 20px 40px; color: var(--ink);
  background: var(--paper); line-height: 1.45; font-size: 15px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue",
    Arial, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC",
    sans-serif;
}
h1 { font-size: 1.7rem; line-height: 1.2; margin: 0 0 6px; }
h2 { font-size: 1.2rem; line-height: 1.3; margin: 0 0 4px; }
h3 { font-size: .95rem; margin: 14px 0 6px; }
a { color: #0a58ca; overflow-wrap: anywhere; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono",
  monospace; font-size: .85em; }
.meta, .facts, .legend, footer, .note, .url { color: var(--muted); }
.tally { display: flex; flex-wrap: wrap; gap: 6px 14px; margin: 10px 0 0; }
.count { white-space: nowrap; }
.summary { margin-top: 28px; }
.summary h2 { margin-bottom: 8px; }
.status {
  display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: .85rem;
  font-weight: 600; white-space: nowrap; border: 1px solid transparent;
}
.s-achieved, .s-met { background: #1a7f37; color: #fff; }
.s-on_track { background: #dafbe1; color: #116329; border-color: #8dd79f; }
.s-acceleration_needed { background: #fff4c2; color: #7a5200; border-color: #e5c44d; }
.s-limited_progress { background: #ffe2cc; color: #953800; border-color: #f0a56b; }
.s-deterioration, .s-missed { background: #c62828; color: #fff; }
.s-not_assessable, .s-no_data { background: #eaeef2; color: #57606a; border-color: #d0d7de; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px;
  border-bottom: 1px solid var(--line); }
th { font-size: .8rem; color: var(--muted); font-weight: 600; background: var(--wash); }
.summary td:first-child { min-width: 13em; }
.summary td:nth-child(3), .summary td:nth-child(5), .summary td:nth-child(6) {
  white-space: nowrap; }
.summary td:first-child a { font-weight: 600; text-decoration: none; }
.id { color: var(--muted); }
.pbar { display: inline-block; width: 64px; height: 8px; border-radius: 4px;
  background: #eaeef2; vertical-align: middle; overflow: hidden; }
.pbar > span { display: block; height: 100%; background: var(--blue); }
td:nth-child(4) { white-space: nowrap; }
.cards { display: grid; grid-template-columns: minmax(0, 1fr); gap: 18px; margin-top: 24px; }
.card { border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px;
  background: var(--paper); break-inside: avoid; page-break-inside: avoid; }
.facts { margin: 0 0 8px; font-size: .9rem; }
.zh { font-weight: 400; color: var(--muted); font-size: .95rem; }
.status-line { margin: 6px 0 12px; }
.evidence { margin: 0 0 12px; font-size: .9rem; }
.evidence .why { margin: 0 0 6px; }
.evidence .conf { font-weight: 600; white-space: nowrap; margin-right: 6px; }
.evidence[data-confidence="low"] .conf { color: var(--amber); }
.evidence ul { margin: 0; padding-left: 1.2em; }
.override { font-size: .9rem; }
.card-body { display: grid; grid-template-columns: minmax(0, 1fr); gap: 16px; }
.numbers { margin: 0; display: grid; grid-template-columns: minmax(0, 1fr); gap: 0; }
.numbers > div { display: grid; grid-template-columns: 11em minmax(0, 1fr); gap: 8px;
  padding: 4px 0; border-bottom: 1px solid var(--wash); }
.numbers dt { color: var(--muted); font-size: .88rem; }
.numbers dd { margin: 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.formula { display: block; color: var(--muted); font-size: .75rem; overflow-wrap: anywhere; }
.figure { margin: 0; }
svg.chart { display: block; width: 100%; height: auto; max-width: 560px;
  font-family: inherit; }
.chart text { font-size: 13px; fill: var(--ink); paint-order: stroke; stroke: #fff;
  stroke-width: 3px; stroke-linejoin: round; }
.chart text.year { fill: var(--muted); }
.chart text.deadline { font-weight: 700; fill: var(--ink); }
.chart text.target-label { font-weight: 600; }
.chart .axis { stroke: #8c959f; stroke-width: 1; }
.chart .target { stroke: var(--ink); stroke-width: 1.2; stroke-dasharray: 6 4; }
.chart .bar { fill: var(--blue); }
.chart .bar.derived { fill: var(--blue-light); stroke: var(--blue); stroke-width: 1.2;
  stroke-dasharray: 3 2; }
.chart .bar.before { opacity: .5; }
.chart .bar.met { fill: var(--green); }
.chart .bar.missed { fill: var(--red); }
.chart .bar.partial, .chart .bar.context { fill: #afb8c1; }
.chart .path { fill: none; stroke: var(--amber); stroke-width: 2.5; stroke-linejoin: round; }
.chart .path-dot { fill: var(--amber); }
.chart .goal { fill: #fff; stroke: var(--ink); stroke-width: 2; }
.chart-key { list-style: none; padding: 0; margin: 6px 0 0; display: flex; flex-wrap: wrap;
  gap: 4px 14px; font-size: .8rem; color: var(--muted); }
.key { display: inline-block; width: 14px; height: 10px; margin-right: 5px;
  vertical-align: middle; }
.k-bar { background: var(--blue); }
.k-derived { background: var(--blue-light); border: 1px dashed var(--blue); }
.k-path { height: 3px; background: var(--amber); }
.k-target { height: 0; border-top: 2px dashed var(--ink); }
.k-met { background: var(--green); }
.k-benchmark { height: 0; border-top: 3px solid var(--ink); }
.chart .benchmark { stroke: var(--ink); stroke-width: 3; }
.k-missed { background: var(--red); }
.k-partial { background: #afb8c1; }
.nodata { margin: 0; padding: 16px; background: var(--wash); border-radius: 8px;
  color: var(--muted); align-self: start; }
.notes ul { margin: 0; padding-left: 1.2em; font-size: .9rem; }
.sources p { margin: 0 0 6px; font-size: .9rem; overflow-wrap: anywhere; }
.obs { font-size: .85rem; }
.obs td:nth-child(1), .obs td:nth-child(2), .obs td:nth-child(3) { white-space: nowrap; }
footer { margin-top: 28px; font-size: .85rem; border-top: 1px solid var(--line); }
@media (min-width: 900px) {
  .card-body:not(.single) { grid-template-columns: minmax(0, 1fr) minmax(0, 1.15fr);
    align-items: start; }
}
@media (min-width: 681px) {
  .obs td:nth-child(5) { width: 45%; }
}
@media (max-width: 680px) {
  body { padding: 16px 12px 32px; font-size: 15px; }
  h1 { font-size: 1.4rem; }
  .card { padding: 14px 12px; }
  table.stack thead { display: none; }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; }
  table.stack tr { border: 1px solid var(--line); border-radius: 8px; margin-bottom: 10px;
    padding: 4px 10px; }
  table.stack td { border: 0; padding: 3px 0; display: grid;
    grid-template-columns: 7.5em minmax(0, 1fr); gap: 8px; white-space: normal !important; }
  table.stack td::before { content: attr(data-label); color: var(--muted); font-size: .8rem; }
  table.stack td.empty { display: none; }
  .numbers > div { grid-template-columns: 7.5em minmax(0, 1fr); }
  .figure { order: -1; }
  .chart text { font-size: 15px; }
  .chart text.alt { display: none; }
}
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  @page { margin: 12mm; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  .card { break-inside: avoid; page-break-inside: avoid; border-color: #999; }
  .summary tr, .obs tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  a { color: inherit; }
  .sources a[href^="http"]::after { content: " <" attr(href) ">"; font-size: .8em;
    color: var(--muted); }
}
"""
