"""The words of every output: status labels, the roles of observations and the notes.

The assessment gives codes with values (:mod:`cctrack.assess`); this module is where they become
sentences, so the table, ``show``, Markdown, CSV and the HTML report say each thing one way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cctrack.assess import Assessment, GrowthYear, Note, Role, Use
from cctrack.domain import Confidence, Estimate, Kind, Observation, Source, Status, Target
from cctrack.period import Period
from cctrack.render import zh
from cctrack.render.numbers import change_text, format_percent, humanize, points_text, value_text
from cctrack.render.safe import terminal
from cctrack.series import Point

LABEL: dict[str, str] = {s.value: s.value.replace("_", " ") for s in Status}

PERCENTS = {"progress", "time_elapsed", "growth_observed", "growth_required", "growth_needed"}
QUANTITIES = {"expected_now", "ahead_by", "projected"}

LEGEND = (
    "≥ at least (a bound)   * derived from a change   ᵖ preliminary   ᵉ expected   † set by hand"
)


def label(status: str, lang: str = "en") -> str:
    """``on_track`` → ``on track`` (``进度正常`` in Chinese)."""
    if lang == "zh":
        return zh.label(status)
    return LABEL.get(str(status), str(status).replace("_", " "))


def legend(lang: str = "en") -> str:
    """The legend of the marks of values (≥ * ᵖ ᵉ †)."""
    return zh.LEGEND if lang == "zh" else LEGEND


def caveat_legend(lang: str = "en", marks: bool = True) -> str:
    """The legend of the confidence and caveat marks (``marks=False``: of the confidence only,
    for a table too narrow for its caveats column)."""
    if lang == "zh":
        return zh.CAVEAT_LEGEND if marks else zh.CONFIDENCE_LEGEND
    return CAVEAT_LEGEND if marks else CONFIDENCE_LEGEND


def plan_text(plan: str, lang: str = "en") -> str:
    """A plan's name: in Chinese where it follows a common pattern (``zh.plan``)."""
    return terminal(zh.plan(plan) if lang == "zh" else plan)


def period_text(period: object, lang: str = "en") -> str:
    """A period as written in the data (``2024-H1``), or in Chinese (``2024年上半年``)."""
    return zh.period(period) if lang == "zh" else str(period)


def in_period(period: object, lang: str = "en") -> str:
    """A period after a value: `` (2024)`` (``（2024年）``)."""
    return f"（{zh.period(period)}）" if lang == "zh" else f" ({period})"


def estimate_text(estimate: object, lang: str = "en") -> str:
    """``final``, ``preliminary``, ``expected`` (``最终数``, ``初步数``, ``预计数``)."""
    code = str(estimate)
    return zh.ESTIMATE.get(code, code) if lang == "zh" else code


def marks(p: Point) -> str:
    """``*`` for a derived value, ``ᵖ`` preliminary, ``ᵉ`` expected."""
    out = "*" if p.derived else ""
    return out + {Estimate.preliminary: "ᵖ", Estimate.expected: "ᵉ"}.get(p.estimate, "")


def derivation_text(p: Point, lang: str = "en") -> str:
    """``2023 value 241.11 bn ÷ (1 +208.56%)``: how a derived value was made."""
    d = p.derivation
    if d is None:
        return (zh.BASELINE if lang == "zh" else "baseline") if p.baseline else ""
    if lang == "zh":
        if d.points:
            return zh.derivation(d.from_period, format_percent(d.from_value, signed=False,
                                 digits=2), "+" if d.forward else "−",
                                 points_text(abs(d.change), 2, lang).lstrip("+"))  # fmt: skip
        return zh.derivation(
            d.from_period,
            humanize(d.from_value, lang=lang),
            "×" if d.forward else "÷",
            f"(1 {format_percent(d.change, digits=2)})",
        )
    if d.points:
        op = "+" if d.forward else "−"
        return (
            f"{d.from_period} value {format_percent(d.from_value, signed=False, digits=2)} {op} "
            f"{points_text(abs(d.change), 2).lstrip('+')}"
        )
    op = "×" if d.forward else "÷"
    change = format_percent(d.change, digits=2)
    return f"{d.from_period} value {humanize(d.from_value)} {op} (1 {change})"


def _periods(periods: tuple[object, ...]) -> str:
    return ", ".join(str(p) for p in periods)


# How the assessment treated an observation (docs/method.md §1.6), by role code; ``judged`` is
# JUDGED's. ``{scope}`` is the observation's scope.
ROLE_TEXT: dict[str, str] = {
    Role.base: "used: base",
    Role.current: "used: current",
    Role.series: "used",
    Role.before_base: "not used (before the base)",
    Role.superseded: "not used (superseded)",
    Role.change_unused: "not used (a change with no value beside it)",
    Role.partial: "context (not a full year)",
    Role.not_year_end: "context (not year-end)",
    Role.multi_year: "context (a multi-year total)",
    Role.other_scope: "context (scope {scope})",
    Role.year_to_date: "used: year to date",
    Role.before_start: "context (before the target's years)",
    Role.after_deadline: "context (after the deadline)",
    Role.benchmark: "benchmark ({scope})",
}
JUDGED: dict[bool | None, str] = {True: "met", False: "missed", None: "not settled (a bound)"}
CHAINED = "used: chained into the average"
# A value derived from a change, by the role of the point.
DERIVED_ROLE: dict[str, str] = {
    Role.base: "derived: base", Role.current: "derived: current",
    Role.before_base: "derived, not used (before the base)", Role.series: "derived: used",
}  # fmt: skip


def role_text(a: Assessment, use: Use, lang: str = "en") -> str:
    """How the assessment treated an observation, in a few words."""
    o = use.observation
    role = use.role
    if role is Role.judged and a.target.average:  # a year's change: a term of the average
        text = zh.CHAINED if lang == "zh" else CHAINED
    elif role is Role.judged:
        g = next((g for g in a.growth_years if g.origin == o), None)  # equal: one may be cached
        met = None if g is None else g.met
        text = (zh.JUDGED if lang == "zh" else JUDGED)[met]
    elif lang == "zh":
        text = zh.role(role.value, o.scope)
    else:
        scope = o.scope or ("benchmark target" if role is Role.benchmark else "")
        text = ROLE_TEXT[role].format(scope=scope)
    if use.derives:
        if lang == "zh":
            text += zh.DERIVES.format(periods=zh.periods(use.derives))
        else:
            text += f"; its change gives the {_periods(use.derives)} value"
    return text


def point_role_text(a: Assessment, p: Point, lang: str = "en") -> str:
    """How a derived value was used."""
    role = a.point_role(p)
    role = role if role in DERIVED_ROLE else Role.series
    return zh.DERIVED_ROLE[role.value] if lang == "zh" else DERIVED_ROLE[role]


def note_text(n: Note, unit: str | None = None, lang: str = "en") -> str:
    """One note as a sentence."""
    if lang == "zh":
        return zh.note_text(n, unit)
    v = dict(n.values)
    c = n.code
    if c == "hidden-after-as-of":
        return f"{v['count']} observation(s) after {v['as_of']} ignored (--as-of)"
    if c == "other-scope":
        return f"{v['count']} observation(s) of another scope shown as context only"
    if c == "partial-period":
        what = "multi-year total" if v["kind"] == "multi-year" else "partial-period figure"
        change = f" ({format_percent(v['change'])})" if v["change"] is not None else ""
        return f"{what} {v['period']}: {humanize(v['value'], unit, lang)}{change}, not used"
    if c == "derived":
        return f"derived from year-on-year changes: {_periods(v['years'])}"
    if c == "before-base-year":
        return f"{v['count']} value(s) before the base year {v['base_year']} not used"
    if c == "base-substituted":
        return f"no value for the base year {v['base_year']}: base is {v['base']}"
    if c == "current-before-base":
        return (
            f"the current value ({v['current']}) is from before the base year {v['base_year']}: "
            "progress is current / target, with no trend"
        )
    if c == "stale":
        return f"stale: the latest full-period value is for {v['year']}"
    if c == "zero-replaced":
        what = "the target" if v["what"] == "target" else f"the {v['what']} value"
        return f"{what} is 0: replaced by 0.001 to compute growth rates"
    if c == "bound-unsettled":
        return f"the {v['year']} value is a bound: it cannot settle met or missed"
    if c == "deadline-passed":
        return f"deadline {v['deadline']} has passed: final figure awaited"
    if c == "year-to-date":
        return f"year-to-date change for {v['period']}"
    if c == "set-by-hand":
        return f"status set by hand: {v['reason']}"
    if c == "after-deadline":
        return (
            f"{v['count']} observation(s) after the deadline {v['deadline']} shown as context only"
        )
    if c == "benchmark-missing":
        return f"no figure of the benchmark {v['benchmark']} for any period of the target"
    if c == "average-from-changes":
        return f"average growth chained from the changes stated for {_periods(v['years'])}"
    if c == "cumulative-gap":
        return f"no value for {_periods(v['missing'])}: the total counts the years before the gap"
    if c == "revised":
        when = f" ({v['from_published']})" if v["from_published"] else ""
        return (
            f"{v['period']} revised from {humanize(v['from_value'], unit, lang)} "
            f"({v['from_estimate']}{when}) to {humanize(v['to_value'], unit, lang)}"
        )
    return {
        "negative-value": "a negative value makes growth rates undefined",
        "projection-too-large": "the projection is too large to compute",
        "no-full-period": "no full-period value: only changes or partial-period figures",
        "no-deadline": "no deadline: progress is shown, with no on-track category",
        "too-few-values": "fewer than two usable values",
        "no-change-in-years": "no change observed within the target's years",
    }[c]


def notes_text(a: Assessment, lang: str = "en") -> list[str]:
    """Every note of an assessment as a sentence."""
    return [note_text(n, a.target.unit, lang) for n in a.notes]


def goal_text(a: Assessment, lang: str = "en") -> str:
    """The target as stated: ``≥ 360 bn yuan``, ``5.5%``, ``4.5%–5%``, ``≈ 5%``,
    ``10% a year on average``, ``above China``."""
    t = a.target
    growth = t.kind is Kind.growth
    if t.benchmark is not None:
        above = t.benchmark.relation == "above"
        if lang == "zh":
            return zh.relation(above, zh.benchmark_label(t.benchmark.scope, t.benchmark.target))
        relation = "above" if above else "no lower than"
        return f"{relation} {t.benchmark.label()}"
    if t.range_high is not None:
        low = value_text(t.target.value, percent=growth, unit=None if growth else t.unit,
                         lang=lang)  # fmt: skip
        high = value_text(t.range_high, percent=growth, unit=None if growth else t.unit,
                          lang=lang)  # fmt: skip
        return (
            f"{low.removesuffix('%') if low.endswith('%') and high.endswith('%') else low}–{high}"
        )
    text = value_text(t.target.value, t.target.bound, None if growth else t.unit, lang,
                      percent=growth, approx=t.target.approx)  # fmt: skip
    if lang == "zh":
        return zh.goal_suffix(text, t.average, t.cumulative, t.start, t.deadline)
    if t.average:
        text += " a year on average"
    if t.cumulative:
        text += f" in total {t.start}-{t.deadline}"
    return text


def point_text(a: Assessment, p: Point, lang: str = "en", unit: bool = True) -> str:
    """A value of the series with its bound: ``≥ 300 bn yuan``; a growth target's change."""
    if p.rate:
        return format_percent(p.value)
    return value_text(p.value, p.bound, a.target.unit if unit or a.target.percent else None, lang)


def point_value(a: Assessment, value: Decimal, lang: str = "en") -> str:
    """A bare value of the target's series, with its unit."""
    return value_text(value, unit=a.target.unit, lang=lang)


def source_text(s: Source) -> str:
    """``Publisher, Title, 2024-03-07 [A] <url>``."""
    grade = f" [{s.reliability.value}]" if s.reliability else ""
    when = f", {s.published}" if s.published else ""
    url = f" <{s.url}>" if s.url and s.title else ""
    return f"{s.label()}{when}{grade}{url}"


def number_text(key: str, value: float | None, unit: str | None, lang: str = "en") -> str:
    """A computed number as people read it: a share, a rate, a ratio or a quantity."""
    if value is None:
        return "—"
    if key in PERCENTS:  # two decimals: these are the figures one checks by hand
        return format_percent(value, signed=key.startswith("growth"), digits=2)
    if key == "progress_ratio":
        return f"{value:.2f}"
    amount = value_text(value, unit=unit, lang=lang)
    return f"+{amount}" if key == "ahead_by" and value >= 0 else amount


def input_text(value: Any, lang: str = "en") -> str:
    """A formula's input as displayed: years as they are, quantities humanised, fractions to
    four significant digits (the exact inputs are in ``status --format json``)."""
    if isinstance(value, int):
        return str(value)
    if abs(float(value)) >= 1000:
        return value_text(value, lang=lang)
    return f"{float(value):.4g}"


@dataclass(frozen=True, slots=True)
class ObservationRow:
    """One row of the observations that ``show`` and the report list, as text (``source`` is
    formatted by each output: plain text or a link)."""

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


def observation_rows(a: Assessment, lang: str = "en") -> list[ObservationRow]:
    """Every observation known at the as-of date and every derived value, in period order."""
    unit = a.target.unit
    rows: list[tuple[Any, int, ObservationRow]] = []
    for u in a.uses:
        o = u.observation
        value = ""
        if o.value is not None:
            value = value_text(o.value.value, o.effective_bound, unit, lang, approx=o.value.approx)
        change = change_text(o.change, o.change_points, 2, lang) if o.change is not None else ""
        row = ObservationRow(period_text(o.period, lang), value, change,
                             estimate_text(o.estimate, lang), role_text(a, u, lang),
                             o.source, o.line, o.note or "", "", o.quote or "")  # fmt: skip
        rows.append((o.period.sort_key, 0, row))
    for p in a.series:
        if p.derived:
            # a derived value is no figure of any estimate: its column says how it was made
            made = zh.PROVISIONAL_WHAT["derived"] if lang == "zh" else "derived"
            row = ObservationRow(period_text(p.period, lang), point_text(a, p, lang) + "*", "",
                                 made, point_role_text(a, p, lang),
                                 None, 0, "", derivation_text(p, lang))  # fmt: skip
            rows.append((p.period.sort_key, 1, row))
    return [r for *_, r in sorted(rows, key=lambda r: r[:2])]


def observation_summary(o: Observation, target: Target) -> str:
    """``tourism-revenue 2024 ≥ 300 bn yuan (+24.4%)``: an observation as understood."""
    parts = [o.target, o.period.text]
    if o.value is not None:
        parts.append(value_text(o.value.value, o.effective_bound, target.unit,
                                approx=o.value.approx))  # fmt: skip
    if o.change is not None:
        parts.append(f"({change_text(o.change, o.change_points)})")
    extra = [x for x in (o.estimate.value if o.estimate.value != "final" else None,
                         f"scope {o.scope}" if o.scope else None) if x]  # fmt: skip
    return terminal(" ".join(parts) + (f" [{', '.join(extra)}]" if extra else ""))


# --- evidence ----------------------------------------------------------------------------------

# One mark per caveat for the table (the legend explains them), in the order of CAVEATS.
CAVEAT_MARK = {
    "base-substituted": "S", "base-derived": "D", "base-sensitive": "B", "short-series": "N",
    "weak-source": "W", "provisional": "P", "bound-value": "≥", "near-threshold": "T",
    "stale": "O", "deadline-passed": "X", "projection-extreme": "E",
    "inconsistent-sources": "I", "mixed-sources": "M",
}  # fmt: skip
CONFIDENCE_MARK = {"high": "●●●", "medium": "●●○", "low": "●○○"}
CONFIDENCE_LEGEND = "confidence ●●● high ●●○ medium ●○○ low"
CAVEAT_LEGEND = (
    f"{CONFIDENCE_LEGEND}; caveats: S base substituted, D base derived, "
    "B base-sensitive, N short series, W weak source, P provisional, ≥ bound value, "
    "T near a threshold, O stale, X deadline passed, E extreme projection, I inconsistent "
    "sources, M mixed sources"
)


def confidence_mark(a: Assessment) -> str:
    """``●●○`` for the confidence of a verdict; empty when there is no verdict."""
    return CONFIDENCE_MARK.get(a.confidence.value, "") if a.confidence else ""


def caveat_marks(a: Assessment) -> str:
    """The caveats' marks in one string: ``SDBN``."""
    return "".join(dict.fromkeys(CAVEAT_MARK[c.code] for c in a.caveats))


def status_text(a: Assessment, override_reason: bool = True, lang: str = "en") -> str:
    """The status as the table says it: ``met (provisional)``, ``on track · trend to 2023``."""
    if lang == "zh":
        return zh.status_text(a, override_reason)
    text = label(a.status)
    if a.provisional and a.override is None:
        text += " (provisional)"
    if a.trend_to is not None and a.override is None:
        text += f" · trend to {a.trend_to}"
    if a.override is not None:
        text += f" † {a.override.reason}" if override_reason else " †"
    return text


def caveat_text(c: Note, a: Assessment, lang: str = "en") -> str:
    """One caveat as a sentence."""
    if lang == "zh":
        return zh.caveat_text(
            c, lambda x: _amount(x, a, lang), worst=_bound_favours(a, dict(c.values).get("bound"))
        )
    v = dict(c.values)
    code = c.code
    if code == "base-substituted":
        return f"the plan's base year {v['base_year']} has no value: {v['base']} is the base"
    if code == "base-derived":
        return (
            f"the {v['base']} base is derived from the {format_percent(v['change'])} stated "
            f"for {v['from_period']}"
        )
    if code == "base-sensitive":
        others = ", ".join(label(s) for s in v["categories"])
        return f"from another base the same method gives another category: {others}"
    if code == "short-series":
        return f"{v['values']} value(s) over {v['years']} year(s) from base to current"
    if code == "weak-source":
        if v["point"] == "chained":
            return (
                f"the change of {v['period']}, chained into the average, rests on a source graded C"
            )
        return f"the {v['point']} value ({v['period']}) rests on a source graded C"
    if code == "provisional":
        what = "derived" if v["derived"] else str(v["estimate"])
        if what == "final" and v["bound"] != "exact":
            what = "a bound"
        return f"the {v['period']} value is {what}, not a final exact figure"
    if code == "bound-value":
        side = "at least" if v["bound"] == "at_least" else "at most"
        case = "worst" if _bound_favours(a, v["bound"]) else "best"
        return (
            f"the {v['period']} value is a bound ({side}): the figures shown are the {case} "
            "case the source allows"
        )
    if code == "near-threshold":
        if v["what"] == "ratio":
            return "R is within 0.05 of a category boundary"
        return (
            "the value meets or misses the target by less than the precision of the figures "
            f"as written (margin {_amount(v['margin'], a)}, "
            f"precision ± {_amount(v['precision'], a)})"
        )
    if code == "stale":
        return f"the latest full-period value is for {v['year']}"
    if code == "deadline-passed":
        latest = f"as of {v['latest']}" if v["latest"] is not None else "without a value"
        return f"the deadline {v['deadline']} has passed: the category is the trend {latest}"
    if code == "projection-extreme":
        return "the projection is more than twice the target: the observed pace is no forecast"
    if code == "inconsistent-sources":
        return (
            f"the change stated for {v['period']} ({format_percent(v['stated'])}) disagrees with "
            f"the values it connects ({format_percent(v['implied'])})"
        )
    if code == "mixed-sources":
        return (
            f"the {v['period']} value applies a change from {v['change_source']} to the "
            f"{v['from_period']} level from {v['level_source']}: nothing says the two measure "
            "the same series"
        )
    return code  # pragma: no cover - every code is listed above


def _bound_favours(a: Assessment, bound: object) -> bool:
    """True when the true value can only be better than a bound: at least, on a target that
    rises (at most, on one that falls). Progress and category shown are then the worst case."""
    return (str(bound) == "at_least") == (a.direction > 0)


def _amount(x: Any, a: Assessment, lang: str = "en") -> str:
    if a.target.kind is Kind.growth:  # a margin between two rates: percentage points
        return points_text(x, 2, lang, signed=False)
    return humanize(x, a.target.unit, lang)


def projected_text(a: Assessment, lang: str = "en") -> str:
    """The projection, or ``> 2 × target`` when it is extreme (a number would read as a
    forecast)."""
    if a.projected is None:
        return ""
    if a.has_caveat("projection-extreme"):
        if lang == "zh":
            return zh.EXTREME_UP if a.direction > 0 else zh.EXTREME_DOWN
        return "> 2 × target" if a.direction > 0 else "< ½ × target"
    return value_text(a.projected, lang=lang)


def average_from(a: Assessment) -> Period | None:
    """Where an average growth rate starts: the base level's period, or the first year whose
    change is chained into it."""
    chained = [g.period for g in a.growth_years if not g.partial]
    return a.base.period if a.base is not None else chained[0] if chained else None


def average_span(a: Assessment, lang: str = "en") -> str:
    """``2021-2025`` (``2021年至2025年``): the years an average growth rate covers."""
    assert a.current is not None
    first = average_from(a)
    if lang == "zh":
        return zh.span(first, a.current.period)
    return str(a.current.period) if first is None else f"{first}-{a.current.period}"


def why_text(a: Assessment, lang: str = "en") -> str:
    """One plain sentence: why the verdict is what it is, and what would change it."""
    t = a.target
    goal = goal_text(a, lang)
    by = f" by {t.deadline}" if t.deadline else ""
    s = a.computed_status
    waiting = t.start is not None and t.start >= a.as_of.year  # its first year has not ended
    if s in (Status.no_data, Status.not_assessable) and waiting:
        if lang == "zh":
            return zh.WHY_NOT_STARTED.format(start=t.start)
        return f"No verdict before the plan's first year, {t.start}, has ended."
    if s is Status.no_data:
        return zh.WHY_NO_DATA if lang == "zh" else "No observation of the target's own scope."
    if s is Status.not_assessable:
        return zh.WHY_NOT_ASSESSABLE if lang == "zh" else "Not enough usable values for a verdict."
    if t.kind is Kind.growth:
        cur = a.current
        assert cur is not None
        if t.average and a.growth_observed is not None:  # the rate, not the latest level
            first = average_from(a)
            rate = format_percent(a.growth_observed)
            if lang == "zh":
                rate = format_percent(a.growth_observed, signed=a.growth_observed < 0)
                return zh.WHY_AVERAGE.format(span=zh.span(first, cur.period), rate=rate, goal=goal)
            span = f"to {cur.period}" if first is None else f"from {first} to {cur.period}"
            return f"Averaged {rate} a year {span} against a target of {goal}."
        if lang == "zh":
            return zh.WHY_GROWTH.format(period=zh.period(cur.period),
                                        change=format_percent(cur.value), goal=goal)  # fmt: skip
        return f"{format_percent(cur.value)} in {cur.period} against a target of {goal}."
    cur = a.current
    assert cur is not None
    if s in (Status.met, Status.missed, Status.achieved) and lang == "zh":
        return zh.WHY_FINAL[s.value].format(period=zh.period(cur.period),
                                            value=point_text(a, cur, lang), goal=goal)  # fmt: skip
    if a.base is None:  # a cumulative total, or a relative target: no base, no growth rates
        return _why_without_base(a, goal, lang)
    if lang == "zh":
        return zh.why_trend(a, goal)
    if s in (Status.met, Status.missed, Status.achieved):
        word = {Status.met: "meets", Status.missed: "misses", Status.achieved: "already meets"}[s]
        return f"{point_text(a, cur, lang)} in {cur.period} {word} the target of {goal}."
    base = a.base
    assert base is not None
    out = (
        f"Grew {format_percent(a.growth_observed)} a year from {base.period} to {cur.period}, "
        f"against {format_percent(a.growth_required)} a year needed to reach {goal}{by}"
    )
    if a.growth_needed is not None:
        out += f"; needs {format_percent(a.growth_needed)} a year from {cur.period}"
    d = base.derivation
    if d is not None:
        out += (f"; the base is derived for {base.period} from the "
                f"{format_percent(d.change)} of {d.from_period}")  # fmt: skip
    return out + "."


def _why_without_base(a: Assessment, goal: str, lang: str) -> str:
    """Why, for a verdict with no base and so no growth rates: a cumulative total against the
    straight path, or a value against its benchmark."""
    t, cur = a.target, a.current
    assert cur is not None
    value = point_text(a, cur, lang)
    if t.cumulative and a.expected_now is not None:
        expected = value_text(a.expected_now, unit=t.unit, lang=lang)
        if lang == "zh":
            return zh.WHY_CUMULATIVE.format(period=zh.period(cur.period), value=value, goal=goal,
                                            expected=expected)  # fmt: skip
        return (f"A total of {value} over {cur.period}, against {expected} by now on the "
                f"straight path to {goal} by {t.deadline}.")  # fmt: skip
    if lang == "zh":
        return zh.WHY_LEVEL.format(period=zh.period(cur.period), value=value, goal=goal)
    return f"{value} in {cur.period} against a target of {goal}."


def summary_line(assessments: Sequence[Assessment], lang: str = "en") -> str:
    """``18 targets: 4 on track (1 high, 2 low confidence) · 3 no data``."""
    if lang == "zh":
        return zh.summary_line(assessments)
    by_status: dict[Status, list[Assessment]] = {}
    for a in assessments:
        by_status.setdefault(a.status, []).append(a)
    parts = []
    for status in Status:  # best first
        group = by_status.get(status, [])
        if not group:
            continue
        levels = [(c.value, sum(a.confidence is c for a in group)) for c in Confidence]
        weights = ", ".join(f"{n} {level}" for level, n in levels if n)
        parts.append(
            f"{len(group)} {label(status)}" + (f" ({weights} confidence)" if weights else "")
        )
    n = len(assessments)
    return f"{n} target{'s' if n != 1 else ''}: " + " · ".join(parts)


def growth_year_text(a: Assessment, g: GrowthYear, lang: str = "en") -> str:
    """``+5.2% (full year) vs +5.0% China: met``: one period of a growth or relative target."""
    zh_ = lang == "zh"
    kind = "year to date" if g.partial else "full year"
    shown = format_percent(g.change, digits=2) if g.origin is None or (
        a.target.kind is Kind.growth) else point_value(a, g.change, lang)  # fmt: skip
    text = f"{shown} ({kind})"
    other = None
    b = a.target.benchmark
    if b is not None:
        other = (zh.NO_FIGURE if zh_ else "no figure") if g.benchmark is None else (
            format_percent(g.benchmark, digits=2) if a.target.kind is Kind.growth
            else point_value(a, g.benchmark, lang))  # fmt: skip
        if zh_:
            other = zh.BENCHMARK_VALUE.format(label=zh.benchmark_label(b.scope, b.target),
                                              value=other)  # fmt: skip
        else:
            text += f" vs {other} {b.label()}"
    if a.target.average:
        return zh.growth_year(shown, g.partial, other, None) if zh_ else text
    verdict = {True: "met", False: "missed", None: "context"}[g.met]
    t = a.target
    first = t.start if t.start is not None else (t.deadline.year if t.deadline else None)
    inside = first is None or g.period.year >= first
    if g.met is None and not g.partial and t.benchmark is None and inside:
        verdict = "not settled (a bound)"
    if zh_:
        words = zh.JUDGED[None] if verdict.startswith("not settled") else zh.VERDICT[verdict]
        return zh.growth_year(shown, g.partial, other, words)
    return f"{text}: {verdict}"
