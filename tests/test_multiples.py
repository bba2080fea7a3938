"""Multiples in words (docs/data-format.md §2.5 and §5.6, docs/method.md §1.5): a target written
as a multiple of its baseline ("翻一番"), a change stated over several years ("翻番" since 2020)
and the words of a quote that state a figure (翻番, 两位数). Every expected number is worked by
hand in the test's docstring."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import MakeData
from conftest import make_obs as obs
from conftest import make_target as target
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from cctrack.assess import Role, assess, formulas
from cctrack.cli import app
from cctrack.dataset import PACKAGED
from cctrack.domain import Status
from cctrack.pipeline import run
from cctrack.quantity import Bound, parse_change, parse_multiple
from cctrack.quotes import check_quote, figures
from cctrack.render.fields import formula_text

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "CCTRACK_DATA": None})
AS_OF = date(2026, 12, 1)
SOURCE = "{title: Report, url: https://example.org/report, published: 2026-01-15}"


@pytest.mark.parametrize(
    ("text", "factor"),
    [("翻一番", 2), ("翻番", 2), ("再翻一番", 2), ("实现翻番", 2), ("翻两番", 4), ("翻兩番", 4),
     ("翻三番", 8), ("double", 2), ("Doubled", 2), ("triple", 3), ("quadruple", 4), ("2倍", 2),
     ("×2", 2), ("2x", 2), ("2 times", 2), ("2.5倍", Decimal("2.5"))],
)  # fmt: skip
def test_multiples_in_words_are_read_as_their_factor(text: str, factor: Decimal) -> None:
    assert parse_multiple(text) == factor


@pytest.mark.parametrize("text", ["2", "200%", "翻四番", "1倍", "doubles", "翻", "+100%", 2])
def test_other_text_is_no_multiple(text: object) -> None:
    assert parse_multiple(text) is None


def test_a_doubling_as_a_change_is_plus_100_percent() -> None:
    """翻番: ×2 = +100%; 翻两番: ×4 = +300%."""
    assert parse_change("翻番").value == Decimal(1)
    assert parse_change("翻两番").value == Decimal(3)
    assert parse_change("+100%").value == Decimal(1)


# --- a target as a multiple of its baseline ------------------------------------------------------


def test_a_target_written_as_a_doubling_is_twice_its_baseline() -> None:
    """再翻一番 on a baseline of "4000以上" (2025): 4000 × 2 = 8000, a bound (at least) like its
    base; the formula names both."""
    t = target(target="再翻一番", baseline={"period": 2025, "value": "4000以上"}, deadline=2030,
               start=2026, unit="results")  # fmt: skip
    assert t.target.value == 8000 and t.target.bound is Bound.at_least and t.multiple == 2
    f = formulas(assess(t, [], AS_OF))["target"]
    assert formula_text(f) == "4000 * 2"


def test_a_quadrupling_multiplies_by_four() -> None:
    """翻两番 on 1322 (2020): 1322 × 4 = 5288, exact."""
    t = target(target="翻两番", baseline={"period": 2020, "value": 1322})
    assert t.target.value == 5288 and t.target.bound is Bound.exact and t.multiple == 4


@given(st.integers(1, 10**12), st.sampled_from([("翻一番", 2), ("翻两番", 4), ("翻三番", 8)]))
def test_the_target_is_the_baseline_times_the_factor(base: int, word: tuple[str, int]) -> None:
    t = target(target=word[0], baseline={"period": 2020, "value": base})
    assert t.target.value == base * word[1]


def _targets(goal: str = "再翻一番", quote: str = "科技成果本地转化数量再翻一番") -> str:
    return f"""\
targets:
  - id: results
    name: Results converted
    scope: City
    unit: results
    target: {goal}
    baseline: {{period: 2025, value: "4000以上"}}
    deadline: 2030
    start: 2026
    source: {SOURCE}
    quote: {quote}
"""


OBSERVATIONS = f"""\
observations:
  - target: results
    period: 2025
    value: 4000以上
    source: {SOURCE}
    quote: 年度科技成果本地转化数量超过4000项
"""


def _cli(directory: Path, *args: str) -> str:
    result = runner.invoke(app, [*args, "--data", str(directory), "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def test_show_and_json_expose_the_target_formula(make_data: MakeData) -> None:
    directory = make_data(_targets(), OBSERVATIONS)
    en = _cli(directory, "show", "results")
    assert "target formula" in en and "≥ 4,000 results (2025) × 2" in en
    assert "the baseline is a bound" in en
    zh = _cli(directory, "show", "results", "--lang", "zh")
    assert "目标算式" in zh and "基期值乘以来源所述倍数" in zh
    doc = json.loads(_cli(directory, "status", "--format", "json"))
    (t,) = doc["targets"]
    assert t["target"] == 8000 and t["target_bound"] == "at_least" and t["target_multiple"] == 2
    assert t["formulas"]["target"] == "4000 * 2"


def test_validate_reads_the_doubling_in_the_quote(make_data: MakeData) -> None:
    """The quote's 翻一番 is the target's ×2: no quote-mismatch; a quote of 翻一番 beside a
    target of 翻两番 is one."""
    assert "quote-mismatch" not in _cli(make_data(_targets(), OBSERVATIONS), "validate")
    wrong = make_data(_targets(goal="翻两番"), OBSERVATIONS, name="wrong")
    out = runner.invoke(app, ["validate", "--data", str(wrong), "--as-of", AS_OF.isoformat()])
    assert "quote-mismatch" in out.output


# --- a change over several years (since) ---------------------------------------------------------


LATER = {"title": "t", "url": "https://x", "published": "2026-01-15"}


def test_a_doubling_since_a_stated_year_derives_the_level() -> None:
    """1,600 at the end of 2020, "翻番" since 2020 stated for 2025: 1,600 × (1 + 100%) = 3,200,
    derived, which meets a target of 3,000 by 2025 (at its low end too: 1,599.5 × 2 = 3,199)."""
    t = target(kind="level", target="3000以上", unit="enterprises")
    span = obs(2025, None, change="翻番", since=2020, source=LATER)
    a = assess(t, [obs(2020, 1600), span], AS_OF)
    assert a.current is not None and a.current.value == 3200 and a.current.derived
    assert a.current.derivation is not None and a.current.derivation.from_period.year == 2020
    assert a.status is Status.met
    (use,) = [u for u in a.uses if u.observation is span]
    assert use.role is Role.current and not a.has_note("span-unused")


def test_a_derived_level_at_the_threshold_is_unresolved() -> None:
    """1,500 × 2 = 3,000 meets 3,000 as recorded; at the low end of 1,500 as written (1,499.5)
    it is 2,999: the figures cannot settle the target."""
    t = target(kind="level", target="3000以上", unit="enterprises")
    a = assess(t, [obs(2020, 1500), obs(2025, None, change="翻番", since=2020, source=LATER)],
               AS_OF)  # fmt: skip
    assert a.current is not None and a.current.value == 3000
    assert a.status is Status.unresolved


def test_without_a_level_at_its_start_the_statement_derives_nothing() -> None:
    """2019 and 2021 are stated, 2020 is not: "翻番" since 2020 gives no 2025 level (neither
    2021 × 2 nor 2019 × 2), and is shown as unused."""
    t = target(kind="level", target="3000以上", unit="enterprises")
    span = obs(2025, None, change="翻番", since=2020)
    a = assess(t, [obs(2019, 1322), obs(2021, 2286), span], AS_OF)
    assert [p.period.year for p in a.series] == [2019, 2021]
    (use,) = [u for u in a.uses if u.observation is span]
    assert use.role is Role.span_unused and a.has_note("span-unused")
    assert a.status not in {Status.met, Status.achieved}


def test_a_change_since_a_year_is_never_a_year_on_year_change() -> None:
    """2024: 2,000 stated; "+100%" since 2020 for 2025 must not make 2025 = 2,000 × 2."""
    t = target(kind="level", target=5000, unit="enterprises")
    a = assess(t, [obs(2024, 2000), obs(2025, None, change="+100%", since=2020)], AS_OF)
    assert 2025 not in [p.period.year for p in a.series]


# A level target of at least 3,000 firms by 2025, for the observations of a doubling below.
FIRMS = f"""\
targets:
  - id: firms
    name: High-tech firms
    scope: City
    kind: level
    unit: enterprises
    target: 3000家以上
    deadline: 2025
    start: 2021
    source: {SOURCE}
"""


def test_show_lists_the_statement_beside_the_target(make_data: MakeData) -> None:
    observations = f"""\
observations:
  - target: firms
    period: 2021
    value: 2286户
    source: {SOURCE}
  - target: firms
    period: 2025
    change: 翻番
    since: 2020
    source: {SOURCE}
    quote: 高新技术企业数量实现翻番。
"""
    directory = make_data(FIRMS, observations)
    en = _cli(directory, "show", "firms")
    assert "+100.00% since 2020" in en and "not used (no 2020 value to apply" in en
    assert "the source states +100.00% since 2020 for 2025, but no 2020 value" in en
    zh = _cli(directory, "show", "firms", "--lang", "zh")
    assert "较2020年+100.00%" in zh and "无2020年数值可据以推算" in zh
    assert "来源称2025年较2020年+100.00%" in zh
    doc = json.loads(_cli(directory, "status", "--format", "json"))
    (t,) = doc["targets"]
    assert "span-unused" in [n["code"] for n in t["note_codes"]]
    assert t["observations"][-1]["role"] == "span-unused"
    assert "quote-mismatch" not in _cli(directory, "validate")


# --- quotes -----------------------------------------------------------------------------------


def test_words_in_a_quote_read_as_the_figures_they_mean() -> None:
    """翻一番 is +100%, 翻两番 +300%, 两位数 at least 10%, in the order written."""
    (f,) = figures("科技成果本地转化数量再翻一番")
    assert f.value == 1 and f.percent
    assert [x.value for x in figures("GDP翻两番，增长5%")] == [3, Decimal("0.05")]
    (d,) = figures("游客接待量、出游总花费保持两位数增长")
    assert d.value == Decimal("0.1") and d.bound is Bound.at_least
    assert check_quote("高新技术企业数量实现翻番。", None, Decimal(1)).mismatch is None
    assert check_quote("高新技术企业数量实现翻番。", None, Decimal(3)).mismatch == "change"


def test_show_writes_out_a_level_derived_from_a_doubling(make_data: MakeData) -> None:
    """1,600 at the end of 2020 and 翻番 since 2020: 2025 = 1,600 × (1 + 100%) = 3,200,
    derived (*), which meets 3,000; JSON names the entry that derives it."""
    observations = f"""\
observations:
  - target: firms
    period: 2020
    value: 1600户
    source: {SOURCE}
  - target: firms
    period: 2025
    change: 翻番
    since: 2020
    source: {SOURCE}
    quote: 高新技术企业数量实现翻番。
"""
    directory = make_data(FIRMS, observations)
    en = _cli(directory, "show", "firms")
    assert "3,200 enterprises*" in en and "× (1 +100.00%)" in en
    doc = json.loads(_cli(directory, "status", "--format", "json"))
    (t,) = doc["targets"]
    assert t["status"] == "met" and t["current"]["value"] == 3200
    assert t["observations"][-1]["derives"] == ["2025"]


def test_the_shipped_annual_steps_name_their_plan_targets() -> None:
    """The milestones of the shipped data (issue 25): each annual step names its plan target."""
    result = run(PACKAGED, AS_OF)
    plan = {a.target.id: a.target.milestone_of for a in result.assessments}
    assert plan["high-tech-firms-2024"] == plan["high-tech-firms-2025"] == "high-tech-firms"
    assert plan["gdp-growth-2021"] == "gdp-growth-avg-14th"
    assert plan["tourism-revenue-2024"] == "tourism-revenue"
    assert plan["tech-results-2026"] == "tech-results-2030"
    assert plan["tourist-visits-growth-2026"] == "tourist-visits-2030"
    assert plan["income-growth-2026"] == "income-growth-15th"
    firms = result.assessment("high-tech-firms")
    assert firms is not None and firms.has_note("span-unused")
    results = result.assessment("tech-results-2030")
    assert results is not None and results.target.multiple == 2
    assert results.target.target.value == 8000
