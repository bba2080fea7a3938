"""In-year verdicts (docs/method.md §8, §8.1): a figure for part of the deadline year judged
before the year's own figure, each from a worked example built by hand at several --as-of dates;
the rule as a property; the command line in both languages."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import SRC, MakeData
from conftest import make_obs as obs
from conftest import make_target as target
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from cctrack.assess import Role, assess, in_year_verdict
from cctrack.cli import app
from cctrack.domain import Confidence, Status
from cctrack.period import parse_period
from cctrack.render.catalogue import words
from cctrack.render.words import months_text

runner = CliRunner(env={"COLUMNS": "80", "NO_COLOR": "1", "CCTRACK_DATA": None})


def src(published: str) -> dict[str, Any]:
    return {**SRC, "published": published}


# An annual (flow) target of 8000 for 2026; 7500 in 2025, 5400 in January-September 2025.
GDP = {"target": 8000, "deadline": 2026, "start": 2026}
YEAR_BEFORE = [obs(2025, 7500, source=src("2026-04-01")),
               obs("2025-01/2025-09", 5400, source=src("2025-10-20"))]  # fmt: skip
NOV = date(2026, 11, 15)


def test_a_year_to_date_level_against_the_same_months_grown_at_the_required_rate() -> None:
    """5800 (Jan-Sep 2026) against 5400 (Jan-Sep 2025): +7.41%; the year needs 8000 / 7500 - 1
    = +6.67%, which puts Jan-Sep 2026 at 5400 × 16/15 = 5760; 5800 ≥ 5760: on track, and
    R = (4/54) / (1/15) = 10/9."""
    ytd = obs("2026-01/2026-09", 5800, source=src("2026-10-20"))
    a = assess(target(**GDP), [*YEAR_BEFORE, ytd], NOV)
    assert a.status is Status.on_track
    assert a.in_year is not None
    assert a.growth_observed == pytest.approx(400 / 5400)
    assert a.growth_required == pytest.approx(1 / 15)
    assert a.expected_now == pytest.approx(5760)
    assert a.progress_ratio == pytest.approx(10 / 9)
    assert a.current is not None and a.current.period.text == "2026-01/2026-09"
    assert a.base is not None and a.base.period.text == "2025-01/2025-09"
    assert [c.code for c in a.caveats] == ["in-year"]
    assert a.caveats[0].get("months") == (1, 9)
    assert a.confidence is Confidence.medium  # every reading agrees: high, capped at medium
    assert {u.role for u in a.uses if u.observation.period.is_partial} == {Role.year_to_date}


def test_below_the_path_needs_acceleration_even_with_r_above_095() -> None:
    """5750: +6.48% against +6.67% needed; R = (350/5400) × 15 = 35/36 = 0.972 would be on track
    for a trend, but the year's path is missed: acceleration needed."""
    ytd = obs("2026-01/2026-09", 5750, source=src("2026-10-20"))
    a = assess(target(**GDP), [*YEAR_BEFORE, ytd], NOV)
    assert a.progress_ratio == pytest.approx(35 / 36)
    assert a.status is Status.acceleration_needed
    fall = assess(target(**GDP), [*YEAR_BEFORE, obs("2026-01/2026-09", 5300)], NOV)
    assert fall.status is Status.deterioration  # -1.85% against +6.67%: R < 0


def test_the_year_before_derived_back_from_a_stated_change() -> None:
    """No Jan-Sep 2025 value: 5800 with +7% gives 5800 / 1.07 = 5420.56 for it; +7% ≥ +6.67%."""
    ytd = obs("2026-01/2026-09", 5800, change="+7%", source=src("2026-10-20"))
    a = assess(target(**GDP), [YEAR_BEFORE[0], ytd], NOV)
    assert a.status is Status.on_track
    assert a.in_year is not None and a.in_year.previous.derived
    assert float(a.in_year.previous.value) == pytest.approx(5800 / 1.07)
    assert a.growth_observed == pytest.approx(0.07)
    real = obs("2026-01/2026-09", 5800, change="+7%", price_basis="real")
    assert assess(target(**GDP), [YEAR_BEFORE[0], real], NOV).in_year is None  # never a level


def test_another_publishers_change_is_a_reading_of_the_year_before() -> None:
    """5800 on track against 5400; another publisher says -1% for the same months: the year
    before would be 5800 / 0.99 = 5858.6, a fall of 1%: deterioration, no neighbour: low."""
    other = {**src("2026-10-25"), "publisher": "Other"}
    ytd = obs("2026-01/2026-09", 5800, source=src("2026-10-20"))
    claim = obs("2026-01/2026-09", change="-1%", source=other)
    a = assess(target(**GDP), [*YEAR_BEFORE, ytd, claim], NOV)
    assert a.status is Status.on_track
    (r,) = [r for r in a.readings if r.code == "other-source"]
    assert r.value is not None and float(r.value) == pytest.approx(5800 / 0.99)
    assert r.status is Status.deterioration
    assert a.confidence is Confidence.low


def test_the_verdict_follows_the_figures_through_the_year() -> None:
    """Before any figure of 2026: no in-year verdict (pending). Jan-Jun: 3700 against 3500 × 16/15 =
    3733.3: acceleration needed. Jan-Sep: 5800: on track. The year over without its figure:
    unresolved, the in-year trend beside it. The year's figure arrives (7900 < 8000): missed, and
    the in-year figures are context."""
    o = [*YEAR_BEFORE, obs("2025-H1", 3500, source=src("2025-07-20")),
         obs("2026-H1", 3700, source=src("2026-07-20")),
         obs("2026-01/2026-09", 5800, source=src("2026-10-20")),
         obs(2026, 7900, source=src("2027-03-01"))]  # fmt: skip
    t = target(**GDP)
    spring = assess(t, o, date(2026, 6, 1))
    assert spring.in_year is None and spring.status is Status.pending  # no figure of 2026 yet
    summer = assess(t, o, date(2026, 8, 1))
    assert summer.in_year is not None and summer.current is not None
    assert summer.current.period.text == "2026-H1"
    assert summer.expected_now == pytest.approx(3500 * 16 / 15)
    assert summer.status is Status.acceleration_needed
    assert summer.caveats[0].get("months") == (1, 6)
    assert assess(t, o, NOV).status is Status.on_track
    winter = assess(t, o, date(2027, 2, 1))
    assert winter.status is Status.unresolved and winter.trend_status is Status.on_track
    assert winter.has_note("no-final-figure")
    final = assess(t, o, date(2027, 4, 1))
    assert final.status is Status.missed and final.in_year is None
    assert not final.has_caveat("in-year")
    ytd_roles = {u.role for u in final.uses if u.observation.period.year == 2026
                 and u.observation.period.is_partial}  # fmt: skip
    assert ytd_roles == {Role.partial}


def test_a_level_at_a_month_end_against_the_same_month_a_year_earlier() -> None:
    """A stock of 1000 by the end of 2026; 900 at the end of 2025, 850 at the end of June 2025,
    950 at the end of June 2026: +11.76% against 1000 / 900 - 1 = +11.11%: on track."""
    t = target(kind="level", unit="firms", target=1000, deadline=2026, start=2026)
    o = [obs(2025, 900), obs("2025-06", 850), obs("2026-06", 950)]
    a = assess(t, o, NOV)
    assert a.status is Status.on_track
    assert a.growth_observed == pytest.approx(100 / 850)
    assert a.growth_required == pytest.approx(1 / 9)


def test_a_growth_target_reads_months_from_january_only() -> None:
    """5% for 2026: Q1 +4.8% (acceleration needed), then Jan-Jun +5.2% (on track); a lone
    third quarter (+6%) is no year-to-date figure: context."""
    t = target(kind="growth", unit="yuan", target="5%", deadline=2026, start=2026)
    o = [obs("2026-Q1", change="+4.8%", source=src("2026-04-20")),
         obs("2026-01/2026-06", change="+5.2%", source=src("2026-07-20")),
         obs("2026-Q3", change="+6%", source=src("2026-10-20"))]  # fmt: skip
    may = assess(t, o, date(2026, 5, 1))
    assert may.status is Status.acceleration_needed
    assert may.caveats[-1].code == "in-year" and may.caveats[-1].get("months") == (1, 3)
    a = assess(t, o, NOV)
    assert a.status is Status.on_track
    assert a.current is not None and a.current.period.text == "2026-01/2026-06"
    assert a.confidence is not Confidence.high
    (q3,) = [u for u in a.uses if u.observation.period.text == "2026-Q3"]
    assert q3.role is Role.partial


rates = st.floats(min_value=-0.5, max_value=0.5, allow_nan=False)


@given(rates, rates, st.sampled_from([1, -1]))
def test_on_track_exactly_when_the_path_is_reached(growth: float, required: float, d: int) -> None:
    status, r = in_year_verdict(growth, required, d)
    assert (status is Status.on_track) == (d * (growth - required) >= 0)
    assert status in {Status.on_track, Status.acceleration_needed, Status.limited_progress,
                      Status.deterioration}  # fmt: skip
    if required and r is not None:
        assert r == pytest.approx(d * growth / abs(required))


# --- the command line ----------------------------------------------------------------------------

TARGETS = """\
targets:
  - id: gdp-2026
    name: GDP 2026
    scope: City
    unit: yuan
    target: 8000亿元
    deadline: 2026
    start: 2026
    source: {title: Report, url: https://example.org/r, published: 2026-01-10}
"""
OBSERVATIONS = """\
observations:
  - target: gdp-2026
    period: 2025
    value: 7500亿元
    source: {title: Bulletin, url: https://example.org/b, published: 2026-04-01}
  - target: gdp-2026
    period: 2025年1-9月
    value: 5400亿元
    source: {title: Quarterly, url: https://example.org/q, published: 2025-10-20}
  - target: gdp-2026
    period: 2026年1-9月
    value: 5800亿元
    source: {title: Quarterly, url: https://example.org/q, published: 2026-10-20}
"""


def _cli(directory: Path, *args: str) -> str:
    result = runner.invoke(app, [*args, "--data", str(directory), "--as-of", "2026-11-15"])
    assert result.exit_code == 0, result.output
    return result.output


def test_show_names_the_months_in_both_languages(make_data: MakeData) -> None:
    directory = make_data(TARGETS, OBSERVATIONS)
    en = _cli(directory, "show", "gdp-2026")
    assert "on track" in en and "January-September 2026" in en
    assert "576 bn yuan" in en  # 5400亿 × 16/15 = 5760亿
    assert all(len(line) <= 80 for line in en.splitlines())
    zh = _cli(directory, "show", "gdp-2026", "--lang", "zh")
    assert "进度正常" in zh and "2026年1-9月" in zh and "5760亿元" in zh
    assert "January" not in zh


def test_json_gives_the_in_year_figures(make_data: MakeData) -> None:
    directory = make_data(TARGETS, OBSERVATIONS)
    (t,) = json.loads(_cli(directory, "status", "--format", "json"))["targets"]
    assert t["status"] == "on_track" and t["confidence"] == "medium"
    iy = t["in_year"]
    assert iy["period"] == "2026-01/2026-09" and iy["months"] == [1, 9]
    assert iy["previous"]["period"] == "2025-01/2025-09" and iy["year_before"]["period"] == "2025"
    assert iy["expected"] == pytest.approx(5760e8)
    (cav,) = t["caveats"]
    assert cav["code"] == "in-year" and cav["values"]["months"] == [1, 9]
    assert "January-September 2026" in cav["text"]
    assert t["formulas"]["growth_required"] == "800000000000 / 750000000000 - 1"


def test_the_linear_method_gives_the_same_in_year_verdict() -> None:
    ytd = obs("2026-01/2026-09", 5750, source=src("2026-10-20"))
    a = assess(target(**GDP), [*YEAR_BEFORE, ytd], NOV, method="linear")
    assert a.status is Status.acceleration_needed and a.ahead_by is None
    assert a.expected_now == pytest.approx(5760)


@pytest.mark.parametrize(
    ("period", "level", "en", "zh"),
    [
        ("2026-01/2026-09", False, "January-September 2026", "2026年1-9月"),
        ("2026-Q1", False, "January-March 2026", "2026年1-3月"),
        ("2026-01", False, "January 2026", "2026年1月"),
        ("2026-06", True, "the end of June 2026", "2026年6月末"),
        ("2026-H1", True, "the end of June 2026", "2026年6月末"),
    ],
)
def test_the_months_in_both_languages(period: str, level: bool, en: str, zh: str) -> None:
    p = parse_period(period)
    assert months_text(p, level, words("en")) == en
    assert months_text(p, level, words("zh")) == zh
