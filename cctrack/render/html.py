"""The HTML report: one self-contained page (inline CSS and SVG; no script, font or image files).

The page's structure, text and classes are the template's (``templates/report.html``, Jinja2
with autoescaping); this module gives it the values, and the charts' SVG from
:mod:`cctrack.render.chart`. The parts a page repeats per observation are made here in Python,
not by template macros: a table row's cells, a source, and the rows of each card's table of
observations (a hundred thousand rows cost seconds as macros). Jinja2 is imported only here, on
the ``report`` path, so that ``status`` does not pay for it. Every value reaches the page
escaped by :func:`cctrack.render.safe.html_text` (in the template's ``finalize`` hook, in this
module's rows and in the charts: the standard library's escape, the bytes the page has always
had), and only http(s) URLs become links. The numbers are the values of
``status --format json`` (each in a ``<data value>`` element, so that anyone can check them),
formatted by the same functions as the terminal renderers.
"""

from __future__ import annotations

import contextlib
import functools
import pickle
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from itertools import islice
from operator import attrgetter, itemgetter, le
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from cctrack import __version__, cache
from cctrack.assess import ACCELERATION, ON_TRACK, Assessment, Role, formulas
from cctrack.domain import Kind, Observation, Source, Status
from cctrack.render import chart as charts
from cctrack.render.catalogue import Words
from cctrack.render.fields import formula_text, number
from cctrack.render.numbers import (
    around_field,
    change_text,
    change_writer,
    format_percent,
    value_writer,
)
from cctrack.render.safe import HTML_CHANGES, html_escaped, html_text
from cctrack.render.status import plan_name, row, scorecard_line, scorecard_short
from cctrack.render.words import (
    ObservationRow,
    average_formulas,
    caveat_legend,
    caveat_marks,
    caveat_text,
    confidence_mark,
    derivation_text,
    expected_text,
    growth_year_verdict,
    in_period,
    input_text,
    label,
    legend,
    marks,
    notes_text,
    number_text,
    observation_rows,
    other_name,
    plan_text,
    point_role_text,
    point_text,
    point_value,
    reading_text,
    role_text,
    status_text,
    why_text,
)
from cctrack.scorecard import Outcome, plan_groups, scorecard
from cctrack.series import Point

TEMPLATES = Path(__file__).resolve().parent / "templates"
NUMBERS = ("base", "current", "progress", "time_elapsed", "growth_observed", "growth_required",
           "expected_now", "ahead_by", "progress_ratio", "growth_needed", "projected")  # fmt: skip
# An in-year verdict's numbers are a year's, not a trend's (docs/method.md §8.1): show's labels.
IN_YEAR = {
    "growth_observed": "growth_observed_in_year",
    "growth_required": "growth_required_in_year",
    "expected_now": "expected_in_year",
}
SUMMARY_COLUMNS = ("target", "goal", "current", "progress", "growth", "projected", "status")
OBS_COLUMNS = ("period", "value", "change", "use", "source")


def http_url(url: str | None) -> str | None:
    """The URL when it is http or https (the only ones made into links), else None."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in {"http", "https"} else None


def bar_width(fraction: float) -> int:
    """The progress bar's width in percent, clipped to 0-100."""
    return round(max(0.0, min(1.0, fraction)) * 100)


def progress_percent(fraction: float) -> str:
    """``58%``: the progress beside the summary's bar (the card has it to two decimals)."""
    return format_percent(fraction, signed=False, digits=0)


def number_label(key: str, w: Words, a: Assessment | None = None) -> str:
    """The label of a number of the card: ``base``, ``progress ratio R``, ``change 2024``; an
    in-year verdict's rates and path value are the same months', labelled as ``show`` does."""
    if a is not None and a.in_year is not None and key in IN_YEAR:
        return w(f"show.{IN_YEAR[key]}")
    if key in NUMBERS:
        return w(f"report.number.{key}")
    return w("report.number.change", period=w.period(key.removeprefix("change ")))


def figures(a: Assessment, w: Words) -> list[tuple[str, str, Any, str]]:
    """``(key, text, JSON value, formula)`` for each number of the card, in the order of the
    JSON; with no value yet, only what the plan itself fixes (a required rate), maybe none.
    The values are those of ``status --format json`` (:func:`cctrack.render.fields.target_json`
    gives each number as the assessment has it, a point's value through ``number``)."""
    out: list[tuple[str, str, Any]] = []
    if a.target.kind is Kind.growth:
        out = growth_figures(a, w)
    else:
        for key in ("base", "current"):
            p: Point | None = getattr(a, key)
            if p is not None:
                out.append((key, point_label(a, p, w), number(p.value)))
        for key in NUMBERS:
            if key in {"base", "current"}:
                continue
            value = getattr(a, key)
            if value is None and key in {"expected_now", "ahead_by"}:
                continue
            out.append((key, number_text(key, value, a.target.unit, w), value))
    if a.current is None:
        out = [x for x in out if x[2] is not None]
    f = {**average_formulas(a), **formulas(a)}
    return [(key, text, value,
             formula_text(f[key], lambda x: input_text(x, w)) if key in f else "")
            for key, text, value in out]  # fmt: skip


def growth_figures(a: Assessment, w: Words) -> list[tuple[str, str, Any]]:
    """A growth target: the latest change, the required rate and each year's verdict."""
    out: list[tuple[str, str, Any]] = []
    # an average target's current value is its average rate (growth observed, with its formula),
    # as the table says ("+3.5% avg"): no single year's change is shown as "current"
    if a.current is not None and not a.target.average:
        when = in_period(a.current.period, w)
        out.append(("current", f"{format_percent(a.current.value)}{when}",
                    number(a.current.value)))  # fmt: skip
    for key in ("growth_observed", "growth_required"):
        value = getattr(a, key)
        out.append((key, format_percent(value, signed=key != "growth_required"), value))
    if a.progress_ratio is not None:  # an average-growth target: the ratio of the two rates
        r = a.progress_ratio
        out.append(("progress_ratio", number_text("progress_ratio", r, a.target.unit, w), r))
    for g in a.growth_years:
        kind = w("growth_year.partial" if g.partial else "growth_year.full")
        text = w("growth_year.period", value=format_percent(g.change), kind=kind)
        verdict = w(f"verdict.{growth_year_verdict(a, g)}")
        text = w("growth_year.verdict", text=text, verdict=verdict)
        out.append((f"change {g.period}", text, number(g.change)))
    return out


def numbers_list(figures: list[tuple[str, str, Any, str]], a: Assessment, w: Words) -> Any:
    """A card's list of numbers (:func:`figures`): each with its label, its JSON value in a
    ``<data value>`` element and its formula, escaped as the template's ``{{ }}`` escapes a
    value; made here, not by the template (a dozen numbers a card, each value a call of the
    template's escaping)."""
    from markupsafe import Markup

    out = ['<dl class="numbers">']
    for key, text, value, formula in figures:
        k = html_text(key)
        out.append(f'<div><dt title="{k}">{html_text(number_label(key, w, a))}</dt><dd>')
        if value is None:
            out.append(html_text(text))
        else:
            out.append(f'<data value="{html_text(value)}" data-key="{k}">{html_text(text)}</data>')
        if formula:
            out.append(f'<code class="formula">= {html_text(formula)}</code>')
        out.append("</dd></div>")
    out.append("</dl>")
    return Markup("".join(out))


def _shown(value: Any) -> str:
    """A value as the template's ``{{ }}`` writes it: markup as it is, else escaped."""
    from markupsafe import Markup

    return str(value) if isinstance(value, Markup) else html_text(value)


def caveat_items(a: Assessment, w: Words) -> Any:
    """A card's caveats as list items, as the template wrote them (made here: a call of the
    template and two escaped values an item, for a few thousand items)."""
    from markupsafe import Markup

    return Markup("".join(f'<li data-caveat="{_shown(c.code)}">{_shown(caveat_text(c, a, w))}</li>'
                          for c in a.caveats))  # fmt: skip


def reading_items(a: Assessment, w: Words) -> Any:
    """A card's plausible readings as list items, as the template wrote them."""
    from markupsafe import Markup

    return Markup("".join(f'<li data-status="{_shown(r.status.value)}">'
                          f"{_shown(reading_text(r, a, w))}</li>" for r in a.readings))  # fmt: skip


def key_list(a: Assessment, w: Words) -> Any:
    """The chart's key as list items, as the template wrote them."""
    from markupsafe import Markup

    return Markup("".join(f'<li><span class="key {_shown(k)}"></span>{_shown(text)}</li>'
                          for k, text in charts.key_items(a, w)))  # fmt: skip


def note_items(a: Assessment, w: Words) -> Any:
    """A card's notes as list items, as the template wrote them."""
    from markupsafe import Markup

    return Markup("".join(f"<li>{_shown(n)}</li>" for n in notes_text(a, w)))


def point_label(a: Assessment, p: Point, w: Words) -> str:
    """``≥ 241.11 bn yuan* (2023)``, with how a derived value was derived."""
    how = derivation_text(p, w)
    how = f" — {how}" if how else ""
    return f"{point_text(a, p, w)}{marks(p)}{in_period(p.period, w)}{how}"


def cells(labels: list[str], values: list[Any]) -> Any:
    """A row's cells of a stacked table (one ``<td>`` per column, its label shown on narrow
    screens): each value escaped unless it is markup, as the template's ``{{ }}`` does."""
    from markupsafe import Markup

    return Markup("".join(
        _cell(html_text(label), value if isinstance(value, Markup) else html_text(value))
        for label, value in zip(labels, values, strict=True)
    ))  # fmt: skip


_EMPTY = dict.fromkeys(("", "—"), ' class="empty"')  # a cell showing nothing is marked so


def _cell(label: str, text: str) -> str:
    """A cell from an escaped label and escaped text."""
    return f'<td data-label="{label}"{_EMPTY.get(text, "")}><span class="v">{text}</span></td>'


def source_html(s: Source) -> str:
    """A source as the report names it: publisher and title (a link for an http(s) URL), the
    date, the reliability grade, and any other URL as text; escaped."""
    href = http_url(s.url)
    text = html_text(s.label())
    if href:
        text = f'<a href="{html_text(href)}" rel="noopener noreferrer">{text}</a>'
    if s.published:
        text += f", {html_text(s.published)}"
    if s.reliability:
        text += f" [{html_text(s.reliability.value)}]"
    if s.url and s.title and not href:
        text += f' <span class="url">{html_text(s.url)}</span>'
    return text


def source_markup(s: Source) -> Any:
    """:func:`source_html` as markup, for the template."""
    from markupsafe import Markup

    return Markup(source_html(s))


def observation_cells(rows: list[ObservationRow], labels: list[str], w: Words) -> Any:
    """The rows of a card's table of observations (the columns ``labels``), as :func:`cells`
    writes them: made here rather than by template macros, as a large report has a hundred
    thousand rows. Each value is escaped once; the cells of a period, a change and a role, which
    many rows share (of any card), are made once, and a source's once per card."""
    from markupsafe import Markup

    period, value, change, use, source = (html_text(label) for label in labels)
    # the escaping of text that needs none is a search: made here, not in a call per value
    changes, escaped, shared = HTML_CHANGES.search, html_escaped, _shared_cell
    line_text = _line_text(w)
    sources: dict[int, str] = {}  # by identity: the rows hold them while this runs
    empty = _EMPTY.get
    value_cell = f'<td data-label="{value}"'
    out = []
    for o in rows:
        if o.source is None:
            shown = html_text(o.how)
        else:
            shown = sources.get(id(o.source)) or ""
            if not shown:
                shown = sources[id(o.source)] = source_html(o.source)
            if o.line:
                shown += line_text(o.line)
            if o.quote:
                shown += f'<br><q class="quote">{html_text(o.quote)}</q>'
            if o.note:
                shown += f'<br><span class="note">{html_text(o.note)}</span>'
        v = o.value
        if changes(v):
            v = escaped(v)
        out.append(f'<tr>{shared(period, o.period)}{value_cell}{empty(v, "")}><span class="v">'
                   f"{v}</span></td>{shared(change, o.change)}{shared(use, o.use)}"
                   f"{_cell(source, shown)}</tr>")  # fmt: skip
    return Markup("".join(out))


def observation_table(a: Assessment, labels: list[str], w: Words) -> Any:
    """``observation_cells(observation_rows(a, w), labels, w)`` in one pass: each row's cells
    written from its observation, with no row of text made between (a large report has a
    hundred thousand). The cells many rows share are made once (a period's by its text, a
    change's; a role's and the start of a source's once per card); an observation of none of
    the uncommon fields (:class:`cctrack.domain.Observation` itself) reads none of them; the
    rows are put in period order (:func:`_in_order`). Empty markup for no rows."""
    from markupsafe import Markup

    period_label, value_label, change_label, use_label, source_label = map(html_text, labels)
    value_of = value_writer(a.target.unit, w)  # the unit's set-up once, not per value
    change_of = change_writer(2, w)  # each distinct change written once
    changes, escaped, empty = HTML_CHANGES.search, html_escaped, _EMPTY.get
    line_text, around = _line_text(w), _line_around(w)
    period_cell, shared = _period_cell, _shared_cell  # of many cards: kept across them
    use_cells: dict[tuple[Any, ...], str] = {}  # a role's cell, the same for many observations
    sources: dict[int, str] = {}  # by identity: the uses hold them while this runs
    starts: dict[int, str] = {}  # a source's cell up to its line, by identity
    heads, change_cells = _shared_cells(w, period_label, value_label, change_label)
    judged, plain = Role.judged, Observation
    value_cell = f'<td data-label="{value_label}"'
    source_cell = f'<td data-label="{source_label}"><span class="v">'
    before, after = around if around is not None else ("", "")
    end = f"{after}</span></td></tr>"
    no_change = shared(change_label, "")
    periods: list[Any] = []  # each row's, in the order of the uses
    out: list[str] = []
    for u in a.uses:
        o = u.observation
        period = o.period
        periods.append(period)
        head = heads.get(period.text)
        if head is None:
            text = period.text
            head = heads[text] = f"<tr>{period_cell(w, period_label, text)}{value_cell}"
        q, role, line = o.value, u.role, o.line
        if type(o) is plain and around is not None and line and role is not judged:
            # the uncommon fields at their defaults: no bound, span, scope, measure, quote, note
            if q is None:
                v = ""
            else:
                v = value_of(q.value, q.bound, q.approx)
                if changes(v):
                    v = escaped(v)
            key: tuple[Any, ...] = (role, None, None, None, u.derives)
            use = use_cells.get(key) or ""
            if not use:
                use = use_cells[key] = _cell(use_label, html_text(role_text(a, u, w)))
            s = o.source
            start = starts.get(id(s)) or ""
            if not start:
                text = sources.get(id(s)) or ""
                if not text:
                    text = sources[id(s)] = source_html(s)
                start = starts[id(s)] = f"{source_cell}{text}{before}"
            c = o.change
            if c is None:
                change = no_change
            elif o.change_points:
                change = shared(change_label, change_of(c, True))
            else:
                change = change_cells.get(c) or ""
                if not change:
                    change = shared(change_label, change_of(c, False))
                    if c and c.is_finite():  # a zero's sign is its own (+0.00%, -0.00%)
                        change_cells[c] = change
            out.append(f'{head}{empty(v, "")}><span class="v">{v}</span></td>'
                       f"{change}{use}{start}{line}{end}")  # fmt: skip
            continue
        if q is None:
            v = ""
        else:  # the bound as Observation.effective_bound gives it
            v = value_of(q.value, q.bound if o.bound is None else o.bound, q.approx)
            if changes(v):
                v = escaped(v)
        change = "" if o.change is None else change_of(o.change, o.change_points)
        if o.since is not None and o.span_change is not None:
            change = w("show.since", change=change_text(o.span_change, False, 2, w=w),
                       since=w.period(o.since))  # fmt: skip
        if role is judged:  # by its verdict
            use = _cell(use_label, html_text(role_text(a, u, w)))
        else:
            key = (role, o.scope, o.measure, o.since, u.derives)
            use = use_cells.get(key) or ""
            if not use:
                use = use_cells[key] = _cell(use_label, html_text(role_text(a, u, w)))
        s = o.source
        if s is None:
            text = ""
        else:
            text = sources.get(id(s)) or ""
            if not text:
                text = sources[id(s)] = source_html(s)
            if line:
                text += line_text(line)
            if o.quote:
                text += f'<br><q class="quote">{html_text(o.quote)}</q>'
            if o.note:
                text += f'<br><span class="note">{html_text(o.note)}</span>'
        out.append(f'{head}{empty(v, "")}>'
                   f'<span class="v">{v}</span></td>{shared(change_label, change)}{use}'
                   f"{_cell(source_label, text)}</tr>")  # fmt: skip
    derived = []
    for p in a.series:
        if p.derived:
            # a derived value is no figure of any estimate: its column says how it was made
            row = ObservationRow(w.period(p.period), point_text(a, p, w) + "*", "",
                                 w("estimate.derived"), point_role_text(a, p, w),
                                 None, 0, "", derivation_text(p, w))  # fmt: skip
            derived.append((p.period.sort_key, str(observation_cells([row], labels, w))))
    return Markup("".join(_in_order(out, list(map(_SORT_KEY, periods)), derived)))


def _in_order(rows: list[str], keys: list[Any], derived: list[tuple[Any, str]]) -> list[str]:
    """The rows of a card's observations (their periods' sort keys ``keys``) and of its
    derived values (``(sort key, row)``, each after the observations of its period) in
    period order, each kind in the order given where periods are equal (a stable sort). The
    uses come in period order (:func:`cctrack.assess.assess`): then the derived rows are
    merged in; else the rows are sorted."""
    if all(map(le, keys, islice(keys, 1, None))):
        if not derived:
            return rows
        out: list[str] = []
        done = 0
        for key, row in sorted(derived, key=itemgetter(0)):
            at = bisect_right(keys, key, done)
            out += islice(rows, done, at)
            out.append(row)
            done = at
        out += islice(rows, done, None)
        return out
    flags = [0] * len(keys) + [1] * len(derived)  # a derived row after the observations
    keys = keys + [key for key, _ in derived]
    rows = rows + [row for _, row in derived]
    rank = {key: 2 * i for i, key in enumerate(sorted(set(keys)))}
    order = [rank[key] + flag for key, flag in zip(keys, flags, strict=True)]
    return [rows[i] for i in sorted(range(len(rows)), key=order.__getitem__)]


_SORT_KEY = attrgetter("end", "start")  # Period.sort_key, read in C


@functools.lru_cache(maxsize=8)
def _shared_cells(
    w: Words, period: str, value: str, change: str
) -> tuple[dict[str, str], dict[Decimal, str]]:
    """What :func:`observation_table` keeps across the cards of a page under these escaped
    labels, in the words of ``w``: a row's start up to its value's text, by its period's text,
    and a change's cell (not in points), by its value: each made once for the page, not once
    per card (a card's rows have mostly periods and changes of their own)."""
    return {}, {}


@functools.lru_cache(maxsize=4096)
def _period_cell(w: Words, label: str, period: str) -> str:
    """The cell of a period (its text) under an escaped label, in the words of ``w``: made
    once for the many rows of a report of the same period."""
    return _cell(label, html_text(w.period(period)))


@functools.lru_cache(maxsize=8192)
def _shared_cell(label: str, text: str) -> str:
    """:func:`_cell` of ``text``, escaped, under an escaped label: made once for the many rows
    of a report that show the same period, change or role."""
    return _cell(label, html_text(text))


@functools.lru_cache(maxsize=8)
def _line_around(w: Words) -> tuple[str, str] | None:
    """The escaped text before and after a row's line (:func:`_line_text`), when the
    catalogue's words are a text around ``{line}``; else None."""
    around = around_field(w.entries["report.line"], "line")
    if around is None:
        return None
    return f' <span class="line">{html_text(around[0])}', f"{html_text(around[1])}</span>"


@functools.lru_cache(maxsize=8)
def _line_text(w: Words) -> Callable[[int], str]:
    """`` <span class="line">line 12</span>``: a row's line in the data file, escaped. The
    catalogue's words around the number are escaped once when they are a text around
    ``{line}`` (:func:`~cctrack.render.numbers.around_field`: escaping one character at a
    time, the escaped text around the digits is the escaped text); otherwise each line's."""
    around = _line_around(w)
    if around is not None:
        before, after = around
        return lambda line: f"{before}{line}{after}"
    return lambda line: f' <span class="line">{html_text(w("report.line", line=line))}</span>'


# What the template may call: the words of the renderers, and the chart.
VIEW = SimpleNamespace(
    label=label, status_text=status_text, why_text=why_text, caveat_text=caveat_text,
    notes_text=notes_text, reading_text=reading_text, confidence_mark=confidence_mark,
    caveat_marks=caveat_marks, legend=legend, caveat_legend=caveat_legend, plan_text=plan_text,
    other_name=other_name, point_value=point_value, observation_rows=observation_rows,
    figures=figures, number_label=number_label, http_url=http_url, bar_width=bar_width,
    progress_percent=progress_percent, number_text=number_text, key_items=charts.key_items,
    expected_text=expected_text, cells=cells, source=source_markup,
    observation_cells=observation_cells, observation_table=observation_table,
    numbers_list=numbers_list, caveat_items=caveat_items, reading_items=reading_items,
    key_list=key_list, note_items=note_items,
)  # fmt: skip


def _environment() -> Any:
    """The Jinja2 environment, its compiled templates kept in the result cache's directory."""
    return _environment_at(str(cache.cache_dir() / "templates") if cache.enabled() else None)


class _Escaped(str):
    """Text escaped by :func:`html_text`, as the template's ``finalize`` hands it to Jinja2's
    escape, which takes it as markup (``__html__``): one Markup made of each value the page
    shows, not two (a large report shows a hundred thousand)."""

    __slots__ = ()

    def __html__(self) -> str:
        return str.__str__(self)


@functools.cache
def _environment_at(directory: str | None) -> Any:
    """The Jinja2 environment (imported here: only ``report`` needs it)."""
    import jinja2
    from markupsafe import Markup

    def finalize(value: object) -> object:
        """Escape as the standard library does (``&#x27;``), before Jinja2 would."""
        return value if isinstance(value, Markup) else _Escaped(html_text(value))

    class Compiled(jinja2.FileSystemBytecodeCache):
        """The compiled template in the result cache's directory (a third of a report's
        start-up to compile again); a cache that cannot be read or written is no error."""

        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except (OSError, ValueError, EOFError, TypeError):
                bucket.reset()

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    compiled = None
    if directory is not None:
        with contextlib.suppress(OSError):
            Path(directory).mkdir(mode=0o700, parents=True, exist_ok=True)
            compiled = Compiled(directory)
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        finalize=finalize,
        bytecode_cache=compiled,
        auto_reload=True,
    )


def render_report(assessments: list[Assessment], as_of: date, w: Words) -> str:
    """The whole report: title, summary table, then one card per target."""
    return "".join(report_parts(assessments, as_of, w))


def report_parts(
    assessments: list[Assessment],
    as_of: date,
    w: Words,
    filtered: str | None = None,
    due: tuple[int, int] | None = None,
) -> Iterator[str]:
    """The report in pieces, as the template makes them, so that a large page is written as it
    is made rather than held whole (and again as bytes) in memory. ``filtered``: the line saying
    which targets are not shown (not due in ``due``'s years, stated only after ``as_of``),
    under the page's facts; ``due``: the years the scorecards count (``--due``)."""
    for piece in _pieces(assessments, as_of, w, filtered, due):
        yield piece if isinstance(piece, str) else piece.decode("utf-8")


def report_bytes(
    assessments: list[Assessment],
    as_of: date,
    w: Words,
    filtered: str | None = None,
    due: tuple[int, int] | None = None,
) -> Iterator[bytes]:
    """:func:`report_parts` in UTF-8, to be written: the cards a child process made
    (:func:`_share`) as it sent them, not decoded and encoded again."""
    for piece in _pieces(assessments, as_of, w, filtered, due):
        yield piece.encode("utf-8") if isinstance(piece, str) else piece


def _pieces(
    assessments: list[Assessment],
    as_of: date,
    w: Words,
    filtered: str | None,
    due: tuple[int, int] | None,
) -> Iterator[str | bytes]:
    """The report's pieces (:func:`report_parts`): text as the template makes it, and in
    UTF-8 the cards a child process made meanwhile, where the template asked for each
    (:func:`_share`: the later cards of a large page)."""
    from markupsafe import Markup

    from cctrack.gcpause import gc_paused

    env = _environment()
    counts = Counter(a.status for a in assessments)
    view = SimpleNamespace(**vars(VIEW), chart=lambda a, w: _markup(charts.chart(a, w)),
                           card=_in_place)  # fmt: skip
    template = env.get_template("report.html")
    groups = plan_sections(assessments, w, due)
    context = dict(
        w=w, assessments=assessments, as_of=as_of, groups=groups, filtered=filtered,
        method=assessments[0].method if assessments else "growth-ratio",
        counts=[(s, counts[s]) for s in Status if counts[s]], version=__version__,
        summary_columns=[w(f"report.column.{c}") for c in SUMMARY_COLUMNS],
        obs_columns=[w(f"obs.{c}") for c in OBS_COLUMNS], on_track=ON_TRACK,
        acceleration=ACCELERATION, css=Markup((TEMPLATES / "report.css").read_text("utf-8")),
    )  # fmt: skip
    with gc_paused():  # the many objects of a large page are let go by their counts
        apart = _share(groups, template, context, view)
        if apart is not None:
            view.card = apart.card
        try:
            if apart is None:
                yield from template.generate(v=view, **context)
                return
            for piece in template.generate(v=view, **context):
                if apart.ready:  # the card the template just asked for (an empty piece)
                    yield apart.ready
                    apart.ready = b""
                yield piece
        finally:
            if apart is not None:
                apart.close()


def _in_place(a: Assessment, r: Any, card: Any) -> Any:
    """A card made here, by the template's macro ``card``."""
    return card(a, r)


# A page of at least this many observations, on a machine of two cores or more, has its later
# cards made by a child process (:func:`_share`); a smaller one is made in a fraction of the time
# a process takes to start.
SHARED_FROM = 20_000


def _share(
    groups: list[SimpleNamespace], template: Any, context: dict[str, Any], view: SimpleNamespace
) -> _Apart | None:
    """A child process (:mod:`cctrack.apart`) making the later cards of a large page (those
    holding about half its observations) with the template's macro, while this one makes the
    others; None where the page is small or no child can be made. The child makes its cards
    with the template's macro ``card`` (defined when the template starts, as for this process)
    and sends their texts back through a pipe (:class:`_Apart`); it never writes the page."""
    import os

    from cctrack import apart

    order = [a for g in groups for a, _ in g.targets]
    sizes = [len(a.uses) if isinstance(a.uses, list) else 0 for a in order]
    total = sum(sizes)
    if total < SHARED_FROM or not apart.possible():
        return None
    first, held = len(order), 0
    while first > 1 and held + sizes[first - 1] <= total // 2:
        first -= 1
        held += sizes[first]
    theirs = frozenset(map(id, order[first:]))
    if not theirs:
        return None
    read, write = os.pipe()

    def make() -> None:  # (in the child) its cards made and sent
        os.close(read)
        # the template's macros are defined before its first piece: the page is not made
        page = template.new_context({**context, "v": view})
        next(iter(template.root_render_func(page)))
        card = page.vars["card"]
        texts = [str(card(a, r)).encode("utf-8")
                 for g in groups for a, r in g.targets if id(a) in theirs]  # fmt: skip
        with os.fdopen(write, "wb") as pipe:
            pipe.write(pickle.dumps(texts, pickle.HIGHEST_PROTOCOL))

    pid = apart.child(make)
    os.close(write)
    if pid is None:
        os.close(read)
        return None
    return _Apart(pid, read, theirs)


class _Apart:
    """The cards a child process makes (:func:`_share`): their texts (UTF-8) are read from its
    pipe at the first of them, in page order, and each is handed to the page's writer where
    the template asks for it (:attr:`ready`, in place of the template's empty piece); a child
    that failed (or sent anything else) leaves them to be made here, as every other card is."""

    def __init__(self, pid: int, fd: int, theirs: frozenset[int]) -> None:
        self.pid, self.fd, self.theirs = pid, fd, theirs
        self.texts: list[bytes] | None = None  # received, the last card's first
        self.asked = False
        self.ready = b""  # the card just asked for, to be written before the template's piece

    def card(self, a: Assessment, r: Any, card: Any) -> Any:
        """The card of ``a``: made here by the macro ``card``, or the child's (then the
        template writes nothing, and the page's writer the child's text)."""
        if id(a) not in self.theirs:
            return card(a, r)
        if not self.asked:
            self.asked = True
            self.texts = self._receive()
        if not self.texts:
            return card(a, r)
        self.ready = self.texts.pop()
        return ""

    def _receive(self) -> list[bytes] | None:
        """The child's texts (the last first), once it has ended well; else None."""
        import os

        from cctrack import apart

        try:
            with os.fdopen(self.fd, "rb") as pipe:
                self.fd = -1
                data = pipe.read()
            ended, self.pid = apart.wait(self.pid), 0
            texts = pickle.loads(data) if ended == 0 else None
        except Exception:  # a child that could not send them: made here
            return None
        if type(texts) is not list or len(texts) != len(self.theirs):
            return None
        if not all(type(text) is bytes for text in texts):
            return None
        texts.reverse()
        return texts

    def close(self) -> None:
        """Let the child go: stopped if its cards were never asked for (the page was not
        finished), its pipe closed, then waited for."""
        import os
        import signal

        if self.pid and not self.asked:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        if self.pid:
            from cctrack import apart

            apart.wait(self.pid)
            self.pid = 0


def plan_sections(
    assessments: list[Assessment], w: Words, due: tuple[int, int] | None = None
) -> list[SimpleNamespace]:
    """The report's plans, in the order of every output: each with its heading, its scorecard
    line (short and with the plan's name), the outcomes counted (``met:2 missed:3``, for
    scripts) and its targets with their rows (each made once, for the summary and the card)."""
    out = []
    for plan, members in plan_groups(assessments):
        card = scorecard(plan, members, due)
        outcomes = " ".join(f"{o.value}:{card.count(o)}" for o in Outcome if card.count(o))
        out.append(SimpleNamespace(
            name=plan_name(plan, w), line=scorecard_short(card, w),
            full=scorecard_line(card, w), outcomes=outcomes,
            targets=[(a, row(a, w)) for a in members],
        ))  # fmt: skip
    return out


def _markup(svg: str | None) -> Any:
    """The chart's SVG, escaped piece by piece where it was made, as markup."""
    from markupsafe import Markup

    return None if svg is None else Markup(svg)
