"""The words of every output: status labels, the roles of observations and the notes.

The assessment gives codes with values (:mod:`cctrack.assess`); this module is where they become
sentences, so the table, ``show``, Markdown, CSV and the HTML report say each thing one way. The
texts are the catalogue's (:mod:`cctrack.render.catalogue`): every function takes the words of
one language, ``w``, and none asks which language that is.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from operator import itemgetter
from typing import Any, NamedTuple

from cctrack.assess import (
    Assessment,
    Formula,
    GrowthYear,
    InYear,
    Note,
    Reading,
    Role,
    Use,
    months_of,
)
from cctrack.domain import (
    Confidence,
    Estimate,
    Kind,
    Observation,
    Release,
    Source,
    Status,
    Target,
)
from cctrack.period import Period
from cctrack.quantity import Bound
from cctrack.releases import Expected
from cctrack.render.catalogue import Words
from cctrack.render.numbers import (
    change_text,
    change_writer,
    derived_digits,
    format_percent,
    humanize,
    points_text,
    ratio_text,
    value_text,
    value_writer,
)
from cctrack.render.safe import terminal
from cctrack.series import Point

PERCENTS = {"progress", "time_elapsed", "growth_observed", "growth_required", "growth_needed"}
QUANTITIES = {"expected_now", "ahead_by", "projected"}


def label(status: str, w: Words) -> str:
    """``on_track`` → ``on track`` (``进度正常``)."""
    return w(f"status.{status}")


def legend(w: Words) -> str:
    """The legend of the marks of values (≥ * ᵖ ᵉ †)."""
    return w("legend.marks")


def caveat_legend(w: Words, marks: bool = True) -> str:
    """The legend of the confidence and caveat marks (``marks=False``: of the confidence only,
    for a table too narrow for its caveats column)."""
    confidence = w("legend.confidence")
    return w("legend.caveats", confidence=confidence) if marks else confidence


def plan_text(plan: str, w: Words) -> str:
    """A plan's name, in the language where it follows a common pattern."""
    return terminal(w.plan(plan))


def name_text(t: Target, w: Words) -> str:
    """The target's name shown first: ``name``, or the field ``name.field`` names when set."""
    field = w("name.field")
    return (getattr(t, field) if field else None) or t.name


def release_name(r: Release, w: Words) -> str:
    """A release's name in the language (``name_zh`` where the catalogue shows it), as typed."""
    field = w("name.field")
    return terminal((getattr(r, field) if field else None) or r.name)


def expected_text(e: Expected, w: Words) -> str:
    """``2026 figure: work report, about 2027-01-15``."""
    return w("next.figure", year=w.period(e.year), release=release_name(e.release, w),
             expected=e.expected.isoformat())  # fmt: skip


def next_line(assessments: Sequence[Assessment], w: Words) -> str:
    """``Next figures: 2026 work report (about 2027-01-15) for 16 targets; ...``: the targets
    counted under the release of their next figure, soonest first; empty when none awaits one."""
    groups: dict[tuple[date, int, str], list[Expected]] = {}
    for a in assessments:
        e = a.next_figure
        if e is not None:
            groups.setdefault((e.expected, e.year, e.release.id), []).append(e)
    items = []
    for key in sorted(groups):
        members = groups[key]
        e = members[0]
        items.append(w.plural("next.item", len(members), year=w.period(e.year),
                              release=release_name(e.release, w),
                              expected=e.expected.isoformat()))  # fmt: skip
    return w("next.line", items=w("next.separator").join(items)) if items else ""


def other_name(t: Target, w: Words) -> tuple[str, str] | None:
    """The target's other name (beside the one shown first) and its language tag, if any."""
    if not t.name_zh:
        return None
    return (t.name, "en") if w("name.field") == "name_zh" else (t.name_zh, "zh-Hans")


def in_period(period: object, w: Words) -> str:
    """A period after a value: `` (2024)`` (``（2024年）``)."""
    return w("punct.aside", text=w.period(period))


def estimate_text(estimate: object, w: Words) -> str:
    """``final``, ``preliminary``, ``expected`` (``最终数``, ``初步数``, ``预计数``)."""
    return w(f"estimate.{estimate}")


def marks(p: Point) -> str:
    """``*`` for a derived value, ``ᵖ`` preliminary, ``ᵉ`` expected."""
    out = "*" if p.derived else ""
    return out + {Estimate.preliminary: "ᵖ", Estimate.expected: "ᵉ"}.get(p.estimate, "")


def derivation_text(p: Point, w: Words) -> str:
    """``2023 value 241.11 bn ÷ (1 +208.56%)``: how a derived value was made."""
    d = p.derivation
    if d is None:
        return w("derivation.baseline") if p.baseline else ""
    if d.points:
        value = format_percent(d.from_value, signed=False, digits=2)
        op, change = "+" if d.forward else "−", points_text(abs(d.change), 2, w).lstrip("+")
    else:
        value = humanize(d.from_value, None, w)
        op, change = "×" if d.forward else "÷", f"(1 {format_percent(d.change, digits=2)})"
    return w("derivation.from", period=w.period(d.from_period), value=value, op=op, change=change)


def role_text(a: Assessment, use: Use, w: Words) -> str:
    """How the assessment treated an observation, in a few words (docs/method.md §1.6)."""
    o = use.observation
    role = use.role
    if role is Role.judged and a.target.average:  # a year's change: a term of the average
        text = w("role.chained")
    elif role is Role.judged:
        g = next((g for g in a.growth_years if g.origin == o), None)  # equal: one may be cached
        met = None if g is None else g.met
        text = w(f"role.judged.{ {True: 'met', False: 'missed', None: 'unsettled'}[met] }")
    else:
        text = w(f"role.{role.value}", scope=o.scope or w("role.benchmark_target"),
                 measure=o.measure or "", since=w.period(o.since) if o.since else "")  # fmt: skip
    if use.derives:
        text += w("role.derives", periods=w.periods(use.derives))
    return text


DERIVED_ROLES = frozenset({Role.base, Role.current, Role.before_base, Role.series})


def point_role_text(a: Assessment, p: Point, w: Words) -> str:
    """How a derived value was used."""
    role = a.point_role(p)
    role = role if role in DERIVED_ROLES else Role.series
    return w(f"derived_role.{role.value}")


# The values of notes and caveats that are periods or years (written 2023年, 2024年上半年).
_PERIODS = frozenset({"period", "base_year", "base", "current", "year", "deadline", "latest",
                      "from_period"})  # fmt: skip


def _params(n: Note, w: Words) -> dict[str, Any]:
    """A note's values ready for its sentence: periods in the language's form."""
    f: dict[str, Any] = {k: w.period(x) if k in _PERIODS else x for k, x in n.values}
    for k in ("years", "missing"):  # lists of periods (a caveat's ``years`` is a count)
        if isinstance(f.get(k), tuple | list):
            f[k] = w.periods(f[k])
    return f


def note_text(n: Note, t: Target, w: Words, overdue: Expected | None = None) -> str:
    """One note of the target ``t`` as a sentence (``overdue``: its overdue figure, whose
    release the note ``overdue`` names)."""
    unit = t.unit
    v = dict(n.values)
    c = n.code
    f = _params(n, w)
    if c == "overdue":
        f |= _overdue_params(v, overdue, w)
    elif c == "partial-period":
        f["what"] = w("note.partial-period.multi-year" if v["kind"] == "multi-year"
                      else "note.partial-period.partial")  # fmt: skip
        f["value"] = humanize(v["value"], unit, w)
        f["change"] = (w("note.partial-period.change", change=format_percent(v["change"]))
                       if v["change"] is not None else "")  # fmt: skip
    elif c == "benchmark-missing":  # in the language: ``目标 gdp-growth-2026``
        f["benchmark"] = benchmark_text(t, w)
    elif c == "zero-replaced":
        f["what"] = w(f"note.zero-replaced.{v['what']}")
    elif c == "no-final-figure":
        f["trend"] = label(str(v["trend"]), w)
        f["latest"] = (w("note.no-final-figure.latest", latest=w.period(v["latest"]))
                       if v["latest"] is not None else "")  # fmt: skip
    elif c == "out-of-reach":
        f["since"] = w.period(v["since"])
        f["needed"] = format_percent(Decimal(repr(v["needed"])))
        f["largest"] = format_percent(Decimal(repr(v["largest"])), digits=2)  # a reading's end
    elif c == "no-deadline-figure":
        where = v["where"]
        f["where"] = w("note.no-deadline-figure.where", target=where) if where else ""
    elif c == "milestones-disagree":
        f["milestone_status"] = label(str(v["milestone_status"]), w)
    elif c == "span-unused":
        f["change"] = change_text(v["change"], False, 2, w=w)
        f["since"] = w.period(v["since"])
    elif c == "revised":
        f["from_value"] = humanize(v["from_value"], unit, w)
        f["to_value"] = humanize(v["to_value"], unit, w)
        f["from_estimate"] = w(f"estimate.{v['from_estimate']}")
        f["when"] = (w("note.revised.when", published=v["from_published"])
                     if v["from_published"] else "")  # fmt: skip
    if f"note.{c}" in w.forms:  # a count of observations or values: its plural form
        return w.plural(f"note.{c}", v["count"], **f)
    return w(f"note.{c}", **f)


def notes_text(a: Assessment, w: Words) -> list[str]:
    """Every note of an assessment as a sentence."""
    return [note_text(n, a.target, w, a.overdue) for n in a.notes]


def _overdue_params(v: dict[str, Any], e: Expected | None, w: Words) -> dict[str, Any]:
    """The words of an overdue figure: its year, its release's name and the expected date."""
    name = release_name(e.release, w) if e is not None else str(v["release"])
    return {"year": w.period(v["year"]), "release": name, "expected": v["expected"].isoformat()}


def benchmark_text(t: Target, w: Words) -> str:
    """``China``, or ``target gdp-growth-china`` (another target as the benchmark)."""
    b = t.benchmark
    assert b is not None
    return b.scope if b.scope is not None else w("goal.benchmark_target", target=b.target)


def prose_text(text: str, w: Words) -> str:
    """A value's bound or approximation mark in words, for a sentence: ``≥ 5,415`` reads
    ``at least 5,415`` (``不低于5415``), ``≈ 6.5%`` reads ``about 6.5%`` (``6.5%左右``)."""
    for mark, key in (("≥ ", "prose.at_least"), ("≤ ", "prose.at_most"), ("≈ ", "prose.approx")):
        if text.startswith(mark):
            return w(key, value=text.removeprefix(mark))
    return text


def goal_text(a: Assessment, w: Words, prose: bool = False) -> str:
    """The target as stated: ``≥ 360 bn yuan``, ``5.5%``, ``4.5%–5%``, ``≈ 5%``,
    ``10% a year on average``, ``above China``; ``prose``: its mark in words (``prose_text``)."""
    t = a.target
    growth = t.kind is Kind.growth
    if t.benchmark is not None:
        above = t.benchmark.relation == "above"
        return w("goal.above" if above else "goal.no_lower", benchmark=benchmark_text(t, w))
    if t.range_high is not None:
        low = value_text(t.target.value, percent=growth, unit=None if growth else t.unit, w=w)
        high = value_text(t.range_high, percent=growth, unit=None if growth else t.unit, w=w)
        return (
            f"{low.removesuffix('%') if low.endswith('%') and high.endswith('%') else low}–{high}"
        )
    text = value_text(t.target.value, t.target.bound, None if growth else t.unit, w=w,
                      percent=growth, approx=t.target.approx)  # fmt: skip
    if prose:
        text = prose_text(text, w)
    if t.average:
        text = w("goal.average", goal=text)
    if t.cumulative:
        text = w("goal.cumulative", goal=text, start=t.start, deadline=w.period(t.deadline))
    return text


def multiple_text(a: Assessment, w: Words) -> str:
    """How a target written as a multiple of its baseline is made: ``= ≥ 4,000 results (2025)
    × 2``, and, when the baseline is a bound, that the target is one too."""
    t = a.target
    if t.multiple is None or t.baseline is None:
        return ""
    b = t.baseline.value
    base = value_text(b.value, b.bound, t.unit, w=w, approx=b.approx)
    text = w("show.multiple.text", base=base, period=w.period(t.baseline.period),
             factor=input_text(t.multiple, w))  # fmt: skip
    if b.bound is not Bound.exact or b.approx:
        text += w("show.multiple.bound")
    return text


def point_text(a: Assessment, p: Point, w: Words, unit: bool = True) -> str:
    """A value of the series with its bound: ``≥ 300 bn yuan``; a growth target's change."""
    if p.rate:
        return format_percent(p.value)
    unit_shown = a.target.unit if unit or a.target.percent else None
    d = p.derivation
    if d is not None and not d.points and not a.target.percent:  # at its source's precision
        digits = derived_digits(p.value, d.from_value, w)
        return value_text(p.value, p.bound, unit_shown, w=w, significant=digits)
    return value_text(p.value, p.bound, unit_shown, w=w)


def point_value(a: Assessment, value: Decimal, w: Words) -> str:
    """A bare value of the target's series, with its unit."""
    return value_text(value, unit=a.target.unit, w=w)


def number_text(key: str, value: float | None, unit: str | None, w: Words) -> str:
    """A computed number as people read it: a share, a rate, a ratio or a quantity."""
    if value is None:
        return "—"
    if key in PERCENTS:  # two decimals: these are the figures one checks by hand
        return format_percent(value, signed=key.startswith("growth"), digits=2)
    if key == "progress_ratio":
        return ratio_text(value)
    amount = value_text(value, unit=unit, w=w)
    return f"+{amount}" if key == "ahead_by" and value >= 0 else amount


def input_text(value: Any, w: Words) -> str:
    """A formula's input as displayed: years as they are, quantities humanised, fractions to
    four significant digits (the exact inputs are in ``status --format json``)."""
    if isinstance(value, int):
        return str(value)
    if abs(float(value)) >= 1000:
        return value_text(value, w=w)
    return f"{float(value):.4g}"


class ObservationRow(NamedTuple):
    """One row of the observations that ``show`` and the report list, as text (``source`` is
    formatted by each output: plain text or a link). A named tuple: a large report makes a
    hundred thousand, and a frozen dataclass takes about twice as long to make."""

    period: str
    value: str
    change: str
    estimate: str
    use: str
    source: Source | None
    line: int
    note: str
    how: str
    quote: str = ""  # the source's own phrase, verbatim


def observation_rows(a: Assessment, w: Words) -> list[ObservationRow]:
    """Every observation known at the as-of date and every derived value, in period order."""
    value_of = value_writer(a.target.unit, w)  # the unit's set-up once, not per value
    change_of = change_writer(2, w)  # each distinct change written once
    roles: dict[tuple[Any, ...], str] = {}  # a role's words, the same for many observations
    judged = Role.judged
    rows: list[tuple[Any, int, ObservationRow]] = []
    for u in a.uses:
        o = u.observation
        q = o.value
        # the bound as Observation.effective_bound gives it
        value = "" if q is None else value_of(q.value, q.bound if o.bound is None else o.bound,
                                              q.approx)  # fmt: skip
        change = "" if o.change is None else change_of(o.change, o.change_points)
        if o.since is not None and o.span_change is not None:
            change = w("show.since", change=change_text(o.span_change, False, 2, w=w),
                       since=w.period(o.since))  # fmt: skip
        role = u.role
        key = (role, o.scope, o.measure, o.since, u.derives)
        use = roles.get(key) if role is not judged else None  # judged: by its verdict
        if use is None:
            use = roles[key] = role_text(a, u, w)
        period = o.period
        row = ObservationRow(_period_text(w, period.text), value, change,
                             _estimate_text(w, o.estimate), use, o.source, o.line,
                             o.note or "", "", o.quote or "")  # fmt: skip
        rows.append((period.sort_key, 0, row))
    for p in a.series:
        if p.derived:
            # a derived value is no figure of any estimate: its column says how it was made
            row = ObservationRow(w.period(p.period), point_text(a, p, w) + "*", "",
                                 w("estimate.derived"), point_role_text(a, p, w),
                                 None, 0, "", derivation_text(p, w))  # fmt: skip
            rows.append((p.period.sort_key, 1, row))
    rows.sort(key=itemgetter(0, 1))  # an observation before a value derived for its period
    return [r for *_, r in rows]


@functools.lru_cache(maxsize=4096)
def _period_text(w: Words, period: str) -> str:
    """``w.period``, once per period (a report's observations share a few hundred)."""
    return w.period(period)


@functools.lru_cache(maxsize=64)
def _estimate_text(w: Words, estimate: Estimate) -> str:
    """``estimate_text``, once per estimate."""
    return estimate_text(estimate, w)


def observation_summary(o: Observation, target: Target, w: Words) -> str:
    """``tourism-revenue 2024 ≥ 300 bn yuan (+24.4%)``: an observation as understood."""
    parts = [o.target, o.period.text]
    if o.value is not None:
        parts.append(value_text(o.value.value, o.effective_bound, target.unit, w=w,
                                approx=o.value.approx))  # fmt: skip
    if o.change is not None:
        parts.append(f"({change_text(o.change, o.change_points, w=w)})")
    if o.since is not None and o.span_change is not None:
        since = w("show.since", change=change_text(o.span_change, False, w=w),
                  since=w.period(o.since))  # fmt: skip
        parts.append(f"({since})")
    extra = [x for x in (o.estimate.value if o.estimate.value != "final" else None,
                         w("line.scope", scope=o.scope) if o.scope else None) if x]  # fmt: skip
    return terminal(" ".join(parts) + (f" [{', '.join(extra)}]" if extra else ""))


# --- evidence ----------------------------------------------------------------------------------

# One mark per caveat for the table (the legend explains them), in the order of CAVEATS.
CAVEAT_MARK = {
    "base-substituted": "S", "base-derived": "D", "base-sensitive": "B", "short-series": "N",
    "weak-source": "W", "provisional": "P", "bound-value": "≥", "near-threshold": "T",
    "overdue": "O", "deadline-passed": "X", "projection-extreme": "E",
    "inconsistent-sources": "I", "mixed-sources": "M", "in-year": "Y",
}  # fmt: skip
CONFIDENCE_MARK = {"high": "●●●", "medium": "●●○", "low": "●○○"}


def confidence_mark(a: Assessment) -> str:
    """``●●○`` for the confidence of a verdict; empty when there is no verdict."""
    return CONFIDENCE_MARK.get(a.confidence.value, "") if a.confidence else ""


def caveat_marks(a: Assessment) -> str:
    """The caveats' marks in one string: ``SDBN``."""
    return "".join(dict.fromkeys(CAVEAT_MARK[c.code] for c in a.caveats))


def trend_label(a: Assessment, w: Words) -> str:
    """What the last trend runs to: its year (``2024``, ``2024年``), or, resting on a figure for
    part of a year, its months (``January-March 2024``, ``2024年1-3月``)."""
    p = a.trend_period
    if p is None or not p.is_partial:
        return w.period(p if p is not None else a.trend_to)
    return months_text(p, False, w)


def status_text(a: Assessment, w: Words, override_reason: bool = True) -> str:
    """The status as the table says it: ``met (provisional)``, ``unresolved · 2023: limited``
    (past the deadline without a final figure: the trend of the last full year, in the short
    words that keep the column narrow enough for the caveats at 80 columns)."""
    text = label(a.status, w)
    if a.provisional and a.override is None:
        text += w("status.provisional")
    if a.trend_to is not None and a.override is None and a.trend_status is not None:
        trend = w(f"status.trend_short.{a.trend_status.value}")
        text += w("status.trend_status", year=w.period(a.trend_to), trend=trend)
    elif a.trend_to is not None and a.override is None:
        text += w("status.trend_to", year=w.period(a.trend_to))
    if a.override is not None:
        text += f" † {a.override.reason}" if override_reason else " †"
    return text


def reading_text(r: Reading, a: Assessment, w: Words) -> str:
    """One reading and the category it gives: ``541.5 bn (2025), ... → missed``."""
    v = dict(r.values)
    rate = a.target.kind is Kind.growth or a.target.percent
    f: dict[str, Any] = dict(v)
    value = v.get("value")
    figure = _read_figure(r, a)
    if value is not None and not rate and figure is not None:
        pair = [x.value for x in a.readings if _read_figure(x, a) == figure]  # both ends
        last = min(_last(x, *figure, w) for x in pair if isinstance(x, Decimal))
        f["value"] = humanize(value, a.target.unit, w, max(1, abs(value).adjusted() - last + 1))
    elif value is not None and rate and isinstance(value, Decimal):
        f["value"] = format_percent(value, digits=_percent_digits(value))
    elif value is not None:
        f["value"] = (format_percent(Decimal(repr(value)) if isinstance(value, float) else value)
                      if rate else humanize(value, a.target.unit, w))  # fmt: skip
    if "change" in v:
        f["change"] = format_percent(v["change"])
    if "rules" in v:
        f["rules"] = w("reading.rules_join").join(w(f"reading.rule.{x}") for x in v["rules"])
    if "period" in v:  # an average target's reading is of its years, not of the last one
        average = a.target.average and a.current is not None
        f["period"] = average_span(a, w) if average else w.period(v["period"])
    return w("reading.gives", reading=w(f"reading.{r.code}", **f), status=label(r.status, w))


def _percent_digits(value: Decimal) -> int:
    """The decimals a rate of a reading needs to be told from its neighbours: those written, one
    to three (the low end of 5.2% is 5.15%, not 5.2%)."""
    exponent = int((value * 100).normalize().as_tuple().exponent)
    return min(3, max(1, -exponent))


def _read_figure(r: Reading, a: Assessment) -> tuple[Decimal, Decimal] | None:
    """The figure an end of an interval is read from, and the figure as recorded behind it:
    the deciding value (``low-end``, ``high-end``) or the base (``base-low``, ``base-high``;
    a derived base was recorded as the value it is derived from); None for other readings."""
    if r.code in ("low-end", "high-end") and a.readings:
        figure = recorded = a.readings[0].value  # as recorded
    elif r.code in ("base-low", "base-high") and a.base is not None:
        d = a.base.derivation
        figure, recorded = a.base.value, a.base.value if d is None else d.from_value
    else:
        return None
    ok = isinstance(figure, Decimal) and isinstance(recorded, Decimal)
    return (figure, recorded) if ok else None  # type: ignore[return-value]


def _last(value: Decimal, figure: Decimal, recorded: Decimal, w: Words) -> int:
    """The exponent of the last digit of a reading read from ``figure``: one decimal place
    below the last digit of the figure as written (as recorded, or as shown when coarser), in
    every language, and further while the reading and the figure would read the same
    (2999.5亿 beside 3000亿). Both ends of an interval are written to the finer of theirs."""
    value, figure = abs(value), abs(figure)
    shown = figure.adjusted() - w.significant(figure) + 1  # the exponent of its last digit
    last = max(int(abs(recorded).normalize().as_tuple().exponent), shown) - 1
    while value != figure and last > -28 and _at(value, last) == _at(figure, last):
        last -= 1
    return last


def _at(x: Decimal, exponent: int) -> Decimal:
    """``x`` rounded to the decimal place ``10 ** exponent``."""
    return round(x, -exponent)


def caveat_text(c: Note, a: Assessment, w: Words) -> str:
    """One caveat as a sentence."""
    v = dict(c.values)
    code = c.code
    f = _params(c, w)
    if code == "base-derived":
        f["change"] = format_percent(v["change"])
    elif code == "short-series":
        f["values"] = w.plural("caveat.short-series.values", v["values"])
        f["years"] = w.plural("caveat.short-series.years", v["years"])
    elif code == "base-sensitive":
        f["categories"] = w.join(label(s, w) for s in v["categories"])
    elif code == "weak-source":
        if v["point"] == "chained":
            return w("caveat.weak-source.chained", **f)
        f["point"] = w(f"caveat.point.{v['point']}")
    elif code == "provisional":
        what = "derived" if v["derived"] else str(v["estimate"])
        bound = what == "final" and str(v["bound"]) != "exact"
        f["what"] = w("caveat.provisional.bound") if bound else w(f"estimate.{what}")
    elif code == "bound-value":
        side = "at_least" if str(v["bound"]) == "at_least" else "at_most"
        f["side"] = w(f"caveat.bound-value.{side}")
        worst = _bound_favours(a, v["bound"])
        f["case"] = w("caveat.bound-value.worst" if worst else "caveat.bound-value.best")
    elif code == "near-threshold":
        if v["what"] == "ratio":
            return w("caveat.near-threshold.ratio")
        return w("caveat.near-threshold.target", margin=_amount(v["margin"], a, w),
                 precision=_amount(v["precision"], a, w))  # fmt: skip
    elif code == "deadline-passed":
        f["trend"] = (w("caveat.deadline-passed.as_of", latest=f["latest"])
                      if v["latest"] is not None
                      else w("caveat.deadline-passed.no_value"))  # fmt: skip
    elif code == "overdue":
        f |= _overdue_params(v, a.overdue, w)
    elif code == "inconsistent-sources":
        f["stated"] = format_percent(v["stated"])
        f["implied"] = format_percent(v["implied"])
    elif code == "in-year":
        first, last = v["months"]
        year = int(str(v["period"])[:4])  # a period (or its text) of one year
        f["months"] = _months(first, last, year, a.target.kind is Kind.level, w)
    return w(f"caveat.{code}", **f)


def months_text(period: Period, level: bool, w: Words) -> str:
    """The months an in-year figure covers: ``January-September 2026`` (``2026年1-9月``); a
    level's, the end of its last month (``the end of June 2026``, ``2026年6月末``)."""
    first, last = months_of(period)
    return _months(first, last, period.year, level, w)


def _months(first: int, last: int, year: int, level: bool, w: Words) -> str:
    names = w("month.names").split(",")
    if level:
        return w("in_year.month_end", month=names[last - 1], year=year)
    if first == last:
        return w("in_year.month", month=names[first - 1], year=year)
    return w("in_year.months", first=names[first - 1], last=names[last - 1], year=year)


def _bound_favours(a: Assessment, bound: object) -> bool:
    """True when the true value can only be better than a bound: at least, on a target that
    rises (at most, on one that falls). Progress and category shown are then the worst case."""
    return (str(bound) == "at_least") == (a.direction > 0)


def _amount(x: Any, a: Assessment, w: Words) -> str:
    if a.target.kind is Kind.growth:  # a margin between two rates: percentage points
        return points_text(x, 2, w, signed=False)
    return humanize(x, a.target.unit, w)


def projected_text(a: Assessment, w: Words) -> str:
    """The projection, or ``> 2 × target`` when it is extreme (a number would read as a
    forecast)."""
    if a.projected is None:
        return ""
    if a.has_caveat("projection-extreme"):
        return w("projected.extreme_up" if a.direction > 0 else "projected.extreme_down")
    return value_text(a.projected, w=w)


def average_from(a: Assessment) -> Period | None:
    """Where an average growth rate starts: the base level's period, or the first year whose
    change is chained into it."""
    chained = [g.period for g in a.growth_years if not g.partial]
    return a.base.period if a.base is not None else chained[0] if chained else None


def average_span(a: Assessment, w: Words) -> str:
    """``2021-2025`` (``2021年至2025年``): the years an average growth rate covers."""
    assert a.current is not None
    return w.span(average_from(a), a.current.period)


def why_text(a: Assessment, w: Words) -> str:
    """One plain sentence: why the verdict is what it is, and what would change it."""
    t = a.target
    goal = goal_text(a, w, prose=True)
    s = a.computed_status
    waiting = t.start is not None and t.start >= a.as_of.year  # its first year has not ended
    if s in (Status.no_data, Status.not_assessable, Status.pending) and waiting:
        return w("why.not_started", start=t.start)
    if s is Status.pending:
        assert t.deadline is not None
        return w("why.pending", end=t.deadline.end.isoformat())
    if s is Status.no_data:
        missing = next((n for n in a.notes if n.code == "no-deadline-figure"), None)
        if missing is not None:  # figures of other periods exist: say which (method §6.3)
            f = _params(missing, w)
            where = dict(missing.values)["where"]
            f["where"] = w("note.no-deadline-figure.where", target=where) if where else ""
            return w("why.no_data.figures", **f)
        return w("why.no_data")
    if s is Status.not_assessable:
        return w("why.not_assessable")
    if s is Status.unresolved:
        return _why_unresolved(a, w)
    cur = a.current
    assert cur is not None
    period = w.period(cur.period)
    if a.in_year is not None:
        return _why_in_year(a, a.in_year, goal, w)
    if t.kind is Kind.growth:
        if t.average and a.growth_observed is not None:  # the rate, not the latest level
            first = average_from(a)
            span = (w("why.average.to", last=period) if first is None
                    else w("why.average.from", first=w.period(first), last=period))  # fmt: skip
            return w("why.average", rate=format_percent(a.growth_observed), span=span,
                     growth=format_percent(a.growth_observed, signed=a.growth_observed < 0),
                     goal=goal)  # fmt: skip
        if cur.period.is_partial and months_of(cur.period)[0] == 1:  # year to date
            period = months_text(cur.period, False, w)
        return w("why.growth", change=format_percent(cur.value), period=period, goal=goal)
    if s in (Status.met, Status.missed, Status.achieved):
        value = prose_text(point_text(a, cur, w), w)
        return w(f"why.final.{s.value}", value=value, period=period, goal=goal)
    if a.base is None:  # a cumulative total, or a relative target: no base, no growth rates
        return _why_without_base(a, goal, w)
    base = a.base
    by = w("why.trend.by", deadline=w.period(t.deadline)) if t.deadline else ""
    out = w("why.trend", observed=format_percent(a.growth_observed), base=w.period(base.period),
            current=period, required=format_percent(a.growth_required), goal=goal,
            by=by)  # fmt: skip
    if a.growth_needed is not None:
        out += w("why.trend.needed", needed=format_percent(a.growth_needed), current=period)
    d = base.derivation
    if d is not None:
        out += w("why.trend.derived", base=w.period(base.period), change=format_percent(d.change),
                 from_period=w.period(d.from_period))  # fmt: skip
    return out + w("why.trend.end")


def _why_in_year(a: Assessment, iy: InYear, goal: str, w: Words) -> str:
    """Why an in-year verdict: the figure against the same months of the year before, and the
    growth the target needs over the full year before."""
    level = a.target.kind is Kind.level
    return w("why.in_year", months=months_text(iy.current.period, level, w),
             value=point_text(a, iy.current, w),
             growth=_change_words(iy.growth, w),
             previous=point_text(a, iy.previous, w),
             previous_months=months_text(iy.previous.period, level, w), goal=goal,
             required=_change_words(iy.required, w),
             year_before=w.period(iy.year_before.period),
             year_before_value=point_text(a, iy.year_before, w),
             expected=point_value(a, Decimal(repr(iy.expected)), w))  # fmt: skip


def _change_words(change: float, w: Words) -> str:
    """A growth in a sentence: ``+13.3%`` (``增长13.3%``, ``下降2.0%``)."""
    key = "in_year.change.down" if change < 0 else "in_year.change.up"
    return w(key, change=format_percent(abs(change), signed=False))


def _why_unresolved(a: Assessment, w: Words) -> str:
    """Why a verdict is unresolved: no figure for the deadline (the last trend beside it), or
    one reading of each verdict the figures allow."""
    if a.trend_status is not None:  # the trend's own sentence follows
        then = why_text(replace(a, computed_status=a.trend_status), w)
        return w("why.no_final", deadline=w.period(a.target.deadline),
                 year=trend_label(a, w), trend=label(a.trend_status, w),
                 then=then)  # fmt: skip
    first: dict[Status, Reading] = {}
    for r in a.readings:
        first.setdefault(r.status, r)
    shown = w("why.unresolved.join").join(reading_text(r, a, w) for r in first.values())
    return w("why.unresolved", readings=shown)


def _why_without_base(a: Assessment, goal: str, w: Words) -> str:
    """Why, for a verdict with no base and so no growth rates: a cumulative total against the
    straight path, or a value against its benchmark."""
    t, cur = a.target, a.current
    assert cur is not None
    value = point_text(a, cur, w)
    period = w.period(cur.period)
    if t.cumulative and a.expected_now is not None:
        expected = value_text(a.expected_now, unit=t.unit, w=w)
        by = w("chart.by_deadline", goal=goal, deadline=w.period(t.deadline))
        return w("why.cumulative", period=period, value=value, goal=by, expected=expected)
    return w("why.level", value=value, period=period, goal=goal)


def summary_line(assessments: Sequence[Assessment], w: Words) -> str:
    """``18 targets: 4 on track (1 high, 2 low confidence) · 3 no data``."""
    by_status: dict[Status, list[Assessment]] = {}
    for a in assessments:
        by_status.setdefault(a.status, []).append(a)
    parts = []
    for status in Status:  # best first
        group = by_status.get(status, [])
        if not group:
            continue
        levels = [(c.value, sum(a.confidence is c for a in group)) for c in Confidence]
        weights = w.join(w("summary.weight", count=n, level=w(f"confidence.{level}"))
                         for level, n in levels if n)  # fmt: skip
        parts.append(w("summary.group", count=len(group), status=label(status, w))
                     + (w("summary.weights", weights=weights) if weights else ""))  # fmt: skip
    return w.plural("summary.line", len(assessments), groups=" · ".join(parts))


def growth_year_text(a: Assessment, g: GrowthYear, w: Words) -> str:
    """``+5.2% (full year) vs +5.0% China: met``: one period of a growth or relative target."""
    kind = w("growth_year.partial" if g.partial else "growth_year.full")
    shown = format_percent(g.change, digits=2) if g.origin is None or (
        a.target.kind is Kind.growth) else point_value(a, g.change, w)  # fmt: skip
    text = w("growth_year.period", value=shown, kind=kind)
    if a.target.benchmark is not None:
        other = w("growth_year.no_figure") if g.benchmark is None else (
            format_percent(g.benchmark, digits=2) if a.target.kind is Kind.growth
            else point_value(a, g.benchmark, w))  # fmt: skip
        text += w("growth_year.benchmark", value=other, benchmark=benchmark_text(a.target, w))
    if a.target.average:
        return text
    return w("growth_year.verdict", text=text, verdict=w(f"verdict.{growth_year_verdict(a, g)}"))


def growth_year_verdict(a: Assessment, g: GrowthYear) -> str:
    """The verdict of one period, a key of ``verdict.*``: ``met``, ``missed``, ``unsettled``
    (a full year of the target's own that a bound cannot settle), ``averaged`` (a full year
    chained into an average target's rate) or ``context`` (a year to date, a year before the
    target's, a period with no benchmark)."""
    if g.met is not None:
        return "met" if g.met else "missed"
    t = a.target
    first = t.start if t.start is not None else (t.deadline.year if t.deadline else None)
    inside = first is None or g.period.year >= first
    if not g.partial and t.benchmark is None and not t.average and inside:
        return "unsettled"
    if not g.partial and t.average and inside:  # a term of the average: the verdict's evidence
        return "averaged"
    return "context"


def average_formulas(a: Assessment) -> dict[str, Formula]:
    """An average growth target's formulas (docs/method.md §13.2): its rate, from the two levels
    or chained from each year's change, and R = direction × rate / |target rate|."""
    t = a.target
    if not t.average or a.growth_observed is None or a.growth_required is None:
        return {}
    out: dict[str, Formula] = {}
    if a.current is not None and a.base is not None and not a.current.rate:
        out["growth_observed"] = Formula(
            "(current / base) ** (1 / (t_current - t_base)) - 1",
            (("current", a.current.value), ("base", a.base.value),
             ("t_current", a.current.year), ("t_base", a.base.year)),
        )  # fmt: skip
    elif a.growth_years:
        # input names are letters only (formula_text writes each in): change_a, change_b, …
        names = [f"change_{chr(ord('a') + i)}" for i in range(len(a.growth_years))]
        product = " * ".join(f"(1 + {n})" for n in names)
        out["growth_observed"] = Formula(
            f"({product}) ** (1 / {len(names)}) - 1",
            tuple((n, g.change) for n, g in zip(names, a.growth_years, strict=True)),
        )
    if a.progress_ratio is not None:
        out["progress_ratio"] = Formula(
            "direction * rate / abs(target_rate)",
            (("direction", a.direction), ("rate", a.growth_observed),
             ("target_rate", a.growth_required)),
        )  # fmt: skip
    return out
