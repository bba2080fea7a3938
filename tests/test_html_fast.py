"""The report's fast paths against the paths they replace: the same page, byte for byte.

The observation rows of ``report --html`` are made in Python (``html.observation_cells``, then
``html.observation_table`` in one pass), as is a card's list of numbers, not by the template;
``observation_rows``, the number formatting and the card's figures are made with fewer steps.
Each is compared here with the original, kept in this file: the macros (``cells``, ``link``,
``source``, the loops over the rows and the numbers) in a reference template made from the
current one, and the original Python functions. A difference in any row fails.
"""

from __future__ import annotations

import html
import importlib.util
from datetime import date
from decimal import Decimal, localcontext
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from cctrack import pipeline
from cctrack.assess import Assessment, formulas
from cctrack.domain import Kind, Source
from cctrack.quantity import Bound
from cctrack.render import html as report
from cctrack.render import numbers
from cctrack.render.catalogue import LOCALE, Words, read_po, words
from cctrack.render.fields import formula_text, target_json
from cctrack.render.safe import bidi_visible
from cctrack.render.words import (
    ObservationRow,
    average_formulas,
    derivation_text,
    estimate_text,
    growth_year_verdict,
    in_period,
    input_text,
    number_text,
    observation_rows,
    point_role_text,
    point_text,
    role_text,
)
from cctrack.vocabulary import Reliability

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 22)

# --- the original paths ------------------------------------------------------------------------

# The template's macros before the rows were made in Python, as they were written.
MACROS = """\
{% macro cells(labels, values) %}
{% for label in labels %}<td data-label="{{ label }}"{% if values[loop.index0] in ("", "—") %} class="empty"{% endif %}><span class="v">{{ values[loop.index0] }}</span></td>{% endfor %}
{% endmacro %}
{% macro link(url, text) %}{% set href = v.http_url(url) %}{% if href %}<a href="{{ href }}" rel="noopener noreferrer">{{ text }}</a>{% else %}{{ text }}{% endif %}{% endmacro %}
{% macro source(s) %}{{ link(s.url, s.label()) }}{% if s.published %}, {{ s.published }}{% endif %}{% if s.reliability %} [{{ s.reliability.value }}]{% endif %}{% if s.url and s.title and not v.http_url(s.url) %} <span class="url">{{ s.url }}</span>{% endif %}{% endmacro %}
"""  # noqa: E501
ROWS = """\
{%- for o in observations %}
{% set shown %}{% if o.source is none %}{{ o.how }}{% else %}{{ source(o.source) }}{% if o.line %} <span class="line">{{ w("report.line", line=o.line) }}</span>{% endif %}{% if o.quote %}<br><q class="quote">{{ o.quote }}</q>{% endif %}{% if o.note %}<br><span class="note">{{ o.note }}</span>{% endif %}{% endif %}{% endset %}
<tr>{{ cells(obs_columns, [o.period, o.value, o.change, o.use, shown]) }}</tr>
{%- endfor %}"""  # noqa: E501
NUMBERS_LIST = """\
<dl class="numbers">{% for key, text, value, formula in figures %}<div><dt title="{{ key }}">{{ v.number_label(key, w, a) }}</dt><dd>{% if value is none %}{{ text }}{% else %}<data value="{{ value }}" data-key="{{ key }}">{{ text }}</data>{% endif %}{% if formula %}<code class="formula">= {{ formula }}</code>{% endif %}</dd></div>{% endfor %}</dl>"""  # noqa: E501
# Where the current template calls the Python code instead.
CALLS = {
    "v.observation_table(a, obs_columns, w)": "v.observation_rows(a, w)",
    "{{- observations }}</tbody>": ROWS + "</tbody>",
    "{{ v.cells(summary_columns, ": "{{ cells(summary_columns, ",
    "{{ v.source(t.source) }}": "{{ source(t.source) }}",
    "{{ v.numbers_list(figures, a, w) }}": NUMBERS_LIST,
    "{{ v.caveat_items(a, w) }}": """{% for c in a.caveats %}<li data-caveat="{{ c.code }}">"""
    """{{ v.caveat_text(c, a, w) }}</li>{% endfor %}""",
    "{{ v.reading_items(a, w) }}": """{% for r in a.readings %}<li data-status="""
    """"{{ r.status.value }}">{{ v.reading_text(r, a, w) }}</li>{% endfor %}""",
    "{{ v.key_list(a, w) }}": """{% for k, text in v.key_items(a, w) %}<li><span class="""
    """"key {{ k }}"></span>{{ text }}</li>{% endfor %}""",
    "{{ v.note_items(a, w) }}": "{% for n in v.notes_text(a, w) %}<li>{{ n }}</li>{% endfor %}",
}


def reference_template() -> str:
    """The current template with the original macros in place of the Python calls."""
    text = (report.TEMPLATES / "report.html").read_text(encoding="utf-8")
    for call, original in CALLS.items():
        assert text.count(call) == 1, call  # the template changed: this test must follow
        text = text.replace(call, original)
    return MACROS + text


def reference_environment(template: str) -> jinja2.Environment:
    """The report's Jinja2 settings, escaping as the standard library does (the original
    ``html_text``), with ``template`` as ``report.html``."""

    def finalize(value: object) -> object:
        shown = html.escape(bidi_visible(str(value)), quote=True)
        return value if isinstance(value, Markup) else Markup(shown)

    return jinja2.Environment(
        loader=jinja2.DictLoader({"report.html": template}),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        finalize=finalize,
    )


def reference_humanize(
    value: Decimal | None, unit: str | None, w: Words, significant: int | None = None
) -> str:
    if value is None:
        return "—"
    if not value.is_finite():
        return str(value)
    with localcontext() as ctx:
        ctx.prec = 400
        sign = "-" if value < 0 else ""
        return sign + w.humanize(abs(value), unit, significant)


def reference_percent(
    fraction: Decimal | float | None, signed: bool = True, digits: int = 1
) -> str:
    if fraction is None:
        return "—"
    with localcontext() as ctx:
        ctx.prec = 400
        pct = Decimal(str(fraction)) * 100
        return f"{pct:+.{digits}f}%" if signed else f"{pct:.{digits}f}%"


def reference_value_text(
    value: Decimal | float | None,
    bound: Bound = Bound.exact,
    unit: str | None = None,
    *,
    w: Words,
    approx: bool = False,
    significant: int | None = None,
) -> str:
    if value is None:
        return "—"
    mark = {Bound.at_least: "≥ ", Bound.at_most: "≤ "}.get(bound, "") or ("≈ " if approx else "")
    if unit is not None and unit.strip().lower() in {"percent", "%"}:
        return mark + reference_percent(value, signed=False)
    return mark + reference_humanize(numbers.decimal(value), unit, w, significant)


def reference_change_text(change: Decimal | None, points: bool, w: Words) -> str:
    if change is None:
        return "—"
    if points:
        return numbers.points_text(change, 2, w)
    return reference_percent(change, digits=2)


def reference_rows(a: Assessment, w: Words) -> list[ObservationRow]:
    """``observation_rows`` as it was."""
    unit = a.target.unit
    rows: list[tuple[Any, int, ObservationRow]] = []
    for u in a.uses:
        o = u.observation
        value = ""
        if o.value is not None:
            value = reference_value_text(o.value.value, o.effective_bound, unit, w=w,
                                         approx=o.value.approx)  # fmt: skip
        change = reference_change_text(o.change, o.change_points, w) if o.change is not None else ""
        if o.since is not None and o.span_change is not None:
            change = w("show.since", change=reference_change_text(o.span_change, False, w),
                       since=w.period(o.since))  # fmt: skip
        row = ObservationRow(w.period(o.period), value, change, estimate_text(o.estimate, w),
                             role_text(a, u, w), o.source, o.line, o.note or "", "",
                             o.quote or "")  # fmt: skip
        rows.append((o.period.sort_key, 0, row))
    for p in a.series:
        if p.derived:
            row = ObservationRow(w.period(p.period), point_text(a, p, w) + "*", "",
                                 w("estimate.derived"), point_role_text(a, p, w),
                                 None, 0, "", derivation_text(p, w))  # fmt: skip
            rows.append((p.period.sort_key, 1, row))
    return [r for *_, r in sorted(rows, key=lambda r: r[:2])]


def reference_figures(a: Assessment, w: Words) -> list[tuple[str, str, Any, str]]:
    """``figures`` as it was: the values read from the whole JSON object."""
    j = target_json(a)
    out: list[tuple[str, str, Any]] = []
    if a.target.kind is Kind.growth:
        if a.current is not None and not a.target.average:
            when = in_period(a.current.period, w)
            out.append(("current", f"{reference_percent(a.current.value)}{when}",
                        j["current"]["value"]))  # fmt: skip
        for key in ("growth_observed", "growth_required"):
            out.append((key, reference_percent(j[key], signed=key != "growth_required"), j[key]))
        if j["progress_ratio"] is not None:
            r = j["progress_ratio"]
            out.append(("progress_ratio", number_text("progress_ratio", r, a.target.unit, w),
                        r))  # fmt: skip
        for g, gj in zip(a.growth_years, j["growth_years"], strict=True):
            kind = w("growth_year.partial" if g.partial else "growth_year.full")
            text = w("growth_year.period", value=reference_percent(g.change), kind=kind)
            verdict = w(f"verdict.{growth_year_verdict(a, g)}")
            text = w("growth_year.verdict", text=text, verdict=verdict)
            out.append((f"change {g.period}", text, gj["change"]))
    else:
        for key in ("base", "current"):
            p = getattr(a, key)
            if p is not None:
                out.append((key, report.point_label(a, p, w), j[key]["value"]))
        for key in report.NUMBERS:
            if key in {"base", "current"} or (
                j[key] is None and key in {"expected_now", "ahead_by"}
            ):
                continue
            out.append((key, number_text(key, j[key], a.target.unit, w), j[key]))
    if a.current is None:
        out = [x for x in out if x[2] is not None]
    f = {**average_formulas(a), **formulas(a)}
    return [(key, text, value,
             formula_text(f[key], lambda x: input_text(x, w)) if key in f else "")
            for key, text, value in out]  # fmt: skip


# --- the pages ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data set from bench/generate.py: 3,000 observations of 30 targets."""
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec and spec.loader
    module: ModuleType = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path_factory.mktemp("generated")
    module.generate(out, 3000, 30)
    return out


def assessed(directory: Path) -> list[Assessment]:
    result = pipeline.run(directory, AS_OF)
    assert not result.errors
    return list(result.assessments)


@pytest.fixture(autouse=True)
def no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCTRACK_NO_CACHE", "1")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("data", ["generated", "shipped", "fixtures"])
def test_the_page_is_the_page_of_the_original_macros_and_functions(
    data: str, lang: str, generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = {"generated": generated, "shipped": ROOT / "data",
                 "fixtures": ROOT / "tests" / "fixtures" / "first-data"}[data]  # fmt: skip
    assessments, w = assessed(directory), words(lang)
    page = report.render_report(assessments, AS_OF, w)
    assert page.count("<tr><td data-label=") >= sum(len(a.uses) for a in assessments)

    env = reference_environment(reference_template())
    view = SimpleNamespace(**vars(report.VIEW))
    view.observation_rows, view.figures = reference_rows, reference_figures
    monkeypatch.setattr(report, "_environment", lambda: env)
    monkeypatch.setattr(report, "VIEW", view)
    assert page == report.render_report(assessments, AS_OF, w)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_rows_are_the_rows_of_the_original_function(generated: Path, lang: str) -> None:
    w = words(lang)
    for a in assessed(generated) + assessed(ROOT / "data"):
        assert observation_rows(a, w) == reference_rows(a, w), a.target.id


# --- rows and numbers of any text --------------------------------------------------------------

TEXT = st.text(alphabet="ab <>&\"'—\u202e\u2066x1:/", max_size=12)
URLS = st.sampled_from([None, "", "https://example.org/b?x=1&y=<2>", " HTTP://e.org/'q'",
                        "javascript:alert(1)", "ftp://e.org", "http://[::1", "a url"])  # fmt: skip
SOURCES = st.builds(
    Source,
    title=st.none() | TEXT,
    publisher=st.none() | TEXT,
    url=URLS,
    published=st.none() | TEXT,
    reliability=st.none() | st.sampled_from(Reliability),
)


@st.composite
def observation_row(draw: st.DrawFn, sources: list[Source]) -> ObservationRow:
    source = draw(st.none() | st.sampled_from(sources))
    return ObservationRow(draw(TEXT | st.sampled_from(["2024", "—", ""])), draw(TEXT),
                          draw(TEXT | st.just("—")), draw(TEXT), draw(TEXT), source,
                          draw(st.integers(0, 3)), draw(TEXT), draw(TEXT),
                          draw(TEXT))  # fmt: skip


@st.composite
def observation_table(draw: st.DrawFn) -> list[ObservationRow]:
    sources = draw(st.lists(SOURCES, min_size=1, max_size=3))
    return draw(st.lists(observation_row(sources), max_size=6))


def macro_rows(rows: list[ObservationRow], labels: list[str], w: Words) -> str:
    env = reference_environment(MACROS + ROWS)
    view = SimpleNamespace(http_url=report.http_url)
    return env.get_template("report.html").render(observations=rows, obs_columns=labels,
                                                  w=w, v=view)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(observation_table(), st.lists(TEXT, min_size=5, max_size=5), st.sampled_from(["en", "zh"]))
def test_rows_made_in_python_are_the_macros_rows(
    rows: list[ObservationRow], labels: list[str], lang: str
) -> None:
    w = words(lang)
    assert str(report.observation_cells(rows, labels, w)) == macro_rows(rows, labels, w)


@settings(max_examples=100, deadline=None)
@given(st.lists(SOURCES, max_size=3), st.lists(TEXT, min_size=7, max_size=7))
def test_a_summary_row_is_the_macros_row(sources: list[Source], labels: list[str]) -> None:
    values: list[Any] = [Markup(f"<b>{s.title}</b>") for s in sources] + labels[len(sources) :]
    env = reference_environment(MACROS + "{{ cells(labels, values) }}")
    expected = env.get_template("report.html").render(labels=labels, values=values)
    assert str(report.cells(labels, values)) == expected


def decimals() -> st.SearchStrategy[Decimal]:
    """Finite decimals of any sign, digits and exponent a figure or a projection can have."""
    return st.builds(
        lambda sign, digits, exponent: Decimal((sign, tuple(map(int, str(digits))), exponent)),
        st.integers(0, 1),
        st.integers(0, 10**40) | st.integers(0, 10**6),
        st.integers(-30, 30),
    )


UNITS = st.none() | st.sampled_from(
    ["yuan", "元", "万元", "vehicles", "people", "percent", " Percent ", "%", "亩", "斤", "jin",
     "tonnes", "0", "1.5 kg", "", "CO2"]
) | st.text(alphabet="ab1.5 元%", max_size=5)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    decimals(),
    UNITS,
    st.sampled_from(list(Bound)),
    st.booleans(),
    st.none() | st.integers(1, 8),
    st.sampled_from(["en", "zh"]),
)
def test_a_value_is_written_as_the_original_functions_wrote_it(
    value: Decimal, unit: str | None, bound: Bound, approx: bool, significant: int | None, lang: str
) -> None:
    w = words(lang)
    assert numbers.humanize(value, unit, w, significant) == reference_humanize(
        value, unit, w, significant
    )
    assert numbers.value_text(value, bound, unit, w=w, approx=approx) == reference_value_text(
        value, bound, unit, w=w, approx=approx
    )


def unusual_words() -> list[Words]:
    """English with a unit written before the amount, and with the amount written twice."""
    out = []
    for form in ("{unit} {amount}", "{amount} {unit} ({amount})"):
        entries = read_po(LOCALE / "en.po") | {"number.unit": form, "number.known_unit": form}
        out.append(Words("en", entries))
    return out


UNUSUAL = unusual_words()


@settings(max_examples=200, deadline=None)
@given(decimals(), UNITS, st.none() | st.integers(1, 8), st.sampled_from(UNUSUAL))
def test_any_form_of_a_unit_is_written_as_the_catalogue_writes_it(
    value: Decimal, unit: str | None, significant: int | None, w: Words
) -> None:
    assert numbers.humanize(value, unit, w, significant) == reference_humanize(
        value, unit, w, significant
    )


@settings(max_examples=300, deadline=None)
@given(
    decimals() | st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.integers(0, 3),
)
def test_a_percentage_is_written_as_the_original_function_wrote_it(
    fraction: Decimal | float, signed: bool, digits: int
) -> None:
    assert numbers.format_percent(fraction, signed, digits) == reference_percent(
        fraction, signed, digits
    )


def test_a_reference_path_differs_where_a_row_differs(generated: Path) -> None:
    """The comparison above can fail: one character of one row shows on the page."""
    w = words("en")
    a = next(a for a in assessed(generated) if a.uses)
    rows = observation_rows(a, w)
    changed = [rows[0]._replace(use=rows[0].use + "!"), *rows[1:]]
    labels = [f"c{i}" for i in range(5)]
    assert str(report.observation_cells(changed, labels, w)) != macro_rows(rows, labels, w)


# --- the writers of many values: one unit's set-up, each distinct change once ------------------


def near_scales() -> st.SearchStrategy[Decimal]:
    """Values at and beside the least value each scale of a language is written in (``round(v
    / 10**exp, 2) >= 10**(start - exp)``: 9,995 is ``10 k``, 9,994.99 is ``9,994.99``), of
    either sign: where one comparison could take another scale than the catalogue's test."""

    def value(n: int, e: int, j: int, k: int, sign: int) -> Decimal:
        return sign * (
            (Decimal(10) ** n - Decimal("0.005")) * Decimal(10) ** e + j * Decimal(10) ** k
        )

    return st.builds(
        value,
        st.integers(0, 3),
        st.integers(-3, 14),
        st.integers(-2, 2),
        st.integers(-8, 12),
        st.sampled_from([1, -1]),
    )


def scaled_forms() -> list[Words]:
    """English with the scale's word written in other forms around the number: before it,
    with a literal brace, with a format spec, twice."""
    forms = ("{scale} {number}", "{number}{{x}}{scale}", "{number:>12} {scale}",
             "{number} {scale} ({number})", "<{scale}>{number}")  # fmt: skip
    return [Words("en", read_po(LOCALE / "en.po") | {"number.scaled": f}) for f in forms]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.tuples(decimals() | near_scales(), st.sampled_from(list(Bound)), st.booleans()),
        max_size=8,
    ),
    UNITS,
    st.sampled_from(["en", "zh", *UNUSUAL, *scaled_forms()]),
)
def test_a_unit_writer_writes_each_value_as_the_original_function(
    values: list[tuple[Decimal, Bound, bool]], unit: str | None, lang: str | Words
) -> None:
    w = words(lang) if isinstance(lang, str) else lang
    write = numbers.value_writer(unit, w)
    for value, bound, approx in values:
        expected = reference_value_text(value, bound, unit, w=w, approx=approx)
        assert write(value, bound, approx) == expected
        assert numbers.value_text(value, bound, unit, w=w, approx=approx) == expected
        assert numbers.humanize(value, unit, w) == reference_humanize(value, unit, w)


def test_values_beyond_exact_digits_are_written_by_the_catalogue() -> None:
    """A value of more digits than the exact context holds, or too large to round to cents,
    is the catalogue's (the same text, or the same error)."""
    w = words("en")
    long = Decimal("9999.99499999" + "9" * 450)  # 9,999.99 exactly; 10 k once rounded
    assert numbers.humanize(long, "yuan", w) == reference_humanize(long, "yuan", w)
    assert numbers.humanize(-long, None, w) == reference_humanize(-long, None, w)
    huge = Decimal("1e420")
    with pytest.raises(ArithmeticError):
        reference_humanize(huge, "yuan", w)
    with pytest.raises(ArithmeticError):
        numbers.humanize(huge, "yuan", w)


CHANGES = (
    decimals().map(lambda d: d.scaleb(-2 - len(d.as_tuple().digits)))  # fractions, as data has
    | st.sampled_from([Decimal("0"), Decimal("-0"), Decimal("0.00"), Decimal("-0.000"),
                       Decimal("0.0277"), Decimal("0.02770"), Decimal("-0.0277"),
                       Decimal("0.001249"), Decimal("0.00125"), Decimal("0.00135")])
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(CHANGES, st.booleans()), max_size=12),
    st.integers(1, 3),
    st.sampled_from(["en", "zh"]),
)
def test_a_change_writer_writes_each_change_as_the_original_function(
    changes: list[tuple[Decimal, bool]], digits: int, lang: str
) -> None:
    """Written in turn, equal changes of other exponents and zeros of either sign among them:
    what the writer kept of an earlier change is what the original writes of a later one."""
    w = words(lang)
    write = numbers.change_writer(digits, w)
    for change, points in changes:
        expected = (numbers.points_text(change, digits, w) if points
                    else reference_percent(change, digits=digits))  # fmt: skip
        assert write(change, points) == expected


def test_a_change_writer_keeps_a_zero_s_sign() -> None:
    """The test above can fail: ``+0.00%`` after ``-0.00%`` (equal, and of one hash)."""
    write = numbers.change_writer(2, words("en"))
    assert [write(Decimal(x), False) for x in ("-0", "0", "-0.0")] == ["-0.00%", "+0.00%",
                                                                       "-0.00%"]  # fmt: skip


LINE_FORMS = st.sampled_from(["line {line}", "第{line}行", "<b>{line}</b> & {line}", "l'{line}",
                              "{{x}} {line}", "{line:>6}", "{line!r}", "at {line:,}", "none",
                              "\u202e{line}"])  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(observation_table(), st.lists(TEXT, min_size=5, max_size=5), LINE_FORMS)
def test_a_line_in_any_form_is_the_macros_line(
    rows: list[ObservationRow], labels: list[str], form: str
) -> None:
    w = Words("en", read_po(LOCALE / "en.po") | {"report.line": form})
    rows = [r._replace(line=r.line * 12345) for r in rows]
    assert str(report.observation_cells(rows, labels, w)) == macro_rows(rows, labels, w)


# --- a card's table of observations made in one pass -------------------------------------------


def every_assessment(generated: Path) -> list[Assessment]:
    return (assessed(generated) + assessed(ROOT / "data")
            + assessed(ROOT / "tests" / "fixtures" / "first-data"))  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_card_s_table_is_the_cells_of_its_rows(generated: Path, lang: str) -> None:
    """``observation_table`` against the two steps it replaces, for every card of three data
    sets: the same markup, byte for byte."""
    w = words(lang)
    labels = [w(f"obs.{c}") for c in report.OBS_COLUMNS]
    cards = every_assessment(generated)
    assert sum(len(a.uses) for a in cards) > 3000
    for a in cards:
        expected = report.observation_cells(observation_rows(a, w), labels, w)
        assert report.observation_table(a, labels, w) == expected, a.target.id


@settings(max_examples=60, deadline=None)
@given(
    st.data(),
    st.lists(TEXT, min_size=5, max_size=5),
    LINE_FORMS,
    st.sampled_from(["en", "zh"]),
)
def test_any_uses_in_any_order_make_the_rows_of_the_original_steps(
    generated: Path, data: st.DataObject, labels: list[str], form: str, lang: str
) -> None:
    """Any subset of a card's uses, in any order, with its observations' lines of any form
    (one the table cannot write around, ``{line!r}``, among them), with labels to escape:
    the rows, their order (an observation before the values derived for its period) and
    their cells are those of ``observation_cells(observation_rows(...))``."""
    import copy

    entries = read_po(LOCALE / f"{lang}.po") | {"report.line": form}
    w = Words(lang, entries)
    cards = [a for a in _cards(generated) if a.uses]
    a = copy.copy(data.draw(st.sampled_from(cards)))
    a.uses = data.draw(st.permutations(a.uses).flatmap(lambda u: st.just(u[: len(u) // 2 + 1])))
    expected = report.observation_cells(observation_rows(a, w), labels, w)
    assert report.observation_table(a, labels, w) == expected


_CACHED: dict[Path, list[Assessment]] = {}


def _cards(generated: Path) -> list[Assessment]:
    """Every card of the three data sets, assessed once for the property test above."""
    if generated not in _CACHED:
        _CACHED[generated] = every_assessment(generated)
    return _CACHED[generated]


def test_the_table_comparison_can_fail(generated: Path) -> None:
    """The comparisons above can fail: a row left out, or rows of one period in another
    order (rows of equal periods keep the order of the uses), shows."""
    import copy

    w = words("en")
    labels = [f"c{i}" for i in range(5)]
    a = next(a for a in assessed(generated) if len(a.uses) > 3)
    expected = report.observation_cells(observation_rows(a, w), labels, w)
    b = copy.copy(a)
    b.uses = a.uses[1:]
    assert report.observation_table(b, labels, w) != expected
    b.uses = list(reversed(a.uses))
    assert report.observation_table(b, labels, w) != expected


# --- the rows of a card put in period order ------------------------------------------------------

KEYS = st.tuples(st.integers(0, 6), st.integers(0, 2))


@given(st.lists(KEYS, max_size=30), st.lists(KEYS, max_size=6), st.booleans())
def test_rows_in_period_order_as_a_stable_sort_puts_them(
    keys: list[tuple[int, int]], derived_keys: list[tuple[int, int]], ordered: bool
) -> None:
    """``_in_order`` (a merge when the uses come in period order, as they do) against the
    stable sort it replaces: each derived row after the observations of its period."""
    if ordered:
        keys = sorted(keys)
    rows = [f"o{i}" for i in range(len(keys))]
    derived = [(key, f"d{i}") for i, key in enumerate(derived_keys)]
    every = [(key, 0, row) for key, row in zip(keys, rows, strict=True)]
    every += [(key, 1, row) for key, row in derived]
    expected = [row for _, _, row in sorted(every, key=lambda x: (x[0], x[1]))]
    assert report._in_order(list(rows), list(keys), derived) == expected
