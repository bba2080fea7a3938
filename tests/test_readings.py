"""Verdicts that survive every plausible reading of the figures (docs/method.md §1.2, §1.5,
§12.3, §12.6-12.7):
measures, series breaks, forecasts, readings as intervals, ``unresolved`` and confidence from
robustness, each from a worked example built by hand; a property over the readings; and the
audit's readings of the shipped data."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from decimal import Decimal as D
from typing import Any

import pytest
from conftest import SRC
from conftest import make_obs as obs
from conftest import make_target as target
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cctrack.assess import Assessment, Role, assess
from cctrack.cli import app
from cctrack.domain import Confidence, Status
from cctrack.location import PACKAGED
from cctrack.pipeline import run

AS_OF = date(2024, 6, 30)
AFTER = date(2026, 6, 30)
SHIPPED_AS_OF = date(2026, 12, 6)
WEAK = {**SRC, "reliability": "C"}
BREAK: dict[str, Any] = {"break": True}  # a keyword of YAML, not of Python
runner = CliRunner(env={"NO_COLOR": "1", "CCTRACK_DATA": None})


def role(a: Assessment, line_value: Any) -> Role:
    (use,) = [u for u in a.uses if u.observation.value is not None
              and u.observation.value.value == Decimal(line_value)]  # fmt: skip
    return use.role


# --- 1. measures and breaks ----------------------------------------------------------------------


def test_levels_across_a_break_are_bridged_by_the_stated_change() -> None:
    """7953 (2022) then 7522.4 with +8.9% like for like (2023, a new basis): no R from the two
    levels; 2022 on the new basis is 7522.4 / 1.089 = 6907.6, and R = 0.089 / 0.1677 = 0.53."""
    t = target(target=11000, start=None)
    o = [obs(2022, 7953), obs(2023, "7522.4", change="+8.9%", **BREAK)]
    a = assess(t, o, AS_OF)
    assert a.break_year == 2023 and a.has_note("series-break")
    assert a.base is not None and a.base.derived
    assert float(a.base.value) == pytest.approx(7522.4 / 1.089, abs=1e-6)
    required = (11000 / (7522.4 / 1.089)) ** (1 / 3) - 1
    assert a.progress_ratio == pytest.approx(0.089 / required, abs=1e-9)
    assert a.progress_ratio == pytest.approx(0.53, abs=0.005)
    assert a.status is Status.limited_progress
    assert role(a, 7953) is Role.before_break
    unbroken = assess(t, [obs(2022, 7953), obs(2023, "7522.4", change="+8.9%")], AS_OF)
    assert unbroken.status is Status.deterioration  # what the two levels alone said


def test_another_measure_is_context_and_its_change_is_never_applied() -> None:
    """The target's 产值: 750 (2023) × 1.071 = 803.25 misses 900; the 900.2 of 综合产值 meets
    it, but is another measure: context, shown as such."""
    t = target(target=900, deadline=2024, start=None, measure="产值")
    o = [obs(2023, 750), obs(2024, change="+7.1%"),
         obs(2024, "900.2", change="+7.1%", measure="综合产值")]  # fmt: skip
    a = assess(t, o, AFTER)
    assert a.status is Status.missed
    assert a.current is not None and a.current.value == Decimal("803.250")
    assert role(a, "900.2") is Role.other_measure and a.has_note("other-measure")
    # a target that names no measure takes both as its own: they disagree, so unresolved
    loose = assess(target(target=900, deadline=2024, start=None), o, AFTER)
    assert loose.status is Status.unresolved


def test_a_forecast_meeting_the_target_is_no_evidence() -> None:
    o = [obs(2024, 900), obs(2025, "over 1000", estimate="forecast")]
    a = assess(target(target=1000, start=None), o, AFTER)
    # the forecast set aside, 900 (2024) is the one value: no trend, no verdict; the period
    # over, that is no data (the audit's reading of optoelectronic-firms)
    assert a.status is Status.no_data and a.has_note("too-few-values")
    assert [u.role for u in a.uses if u.observation.period.text == "2025"] == [Role.forecast]
    assert a.has_note("forecast")
    alone = assess(target(target=1000, start=None), o[1:], AFTER)
    assert alone.status is Status.no_data  # nothing but a forecast: no evidence at all


# --- 3-4. readings, settled or unresolved ---------------------------------------------------------


def test_a_bound_straddling_the_target_after_the_deadline_is_unresolved() -> None:
    """ "超过10万" against 11万: it stands for 100,000-110,000, which reaches the target."""
    t = target(target=110000, deadline=2024, start=None)
    a = assess(t, [obs(2023, 103000), obs(2024, "超过10万")], AFTER)
    assert a.status is Status.unresolved and a.confidence is Confidence.low
    assert {r.status for r in a.readings} == {Status.met, Status.missed}
    high = next(r for r in a.readings if r.code == "high-end")
    assert high.value == Decimal(110000) and high.get("rules") == ("bound",)


def test_a_bound_far_below_the_target_is_missed() -> None:
    """ "超5415亿" against 1万亿: 5415-5956.5亿 on every reading, all below; one C-grade figure
    alone, so medium (method §12.10)."""
    t = target(target="1万亿", start=2021)
    a = assess(t, [obs(2020, "6000亿"), obs(2025, "超5415亿", source=WEAK)], AFTER)
    assert a.status is Status.missed and a.confidence is Confidence.medium
    assert max(r.value for r in a.readings if r.value is not None) < Decimal("1e12")


def test_a_bound_above_the_target_is_met_with_high_confidence() -> None:
    a = assess(target(target=110000, deadline=2025), [obs(2025, "超过12万")], AFTER)
    assert a.status is Status.met and a.confidence is Confidence.high


def test_two_sources_of_one_period_on_opposite_sides_are_unresolved() -> None:
    """The work report's +20% on 3026 gives 3631 (met); the data centre's own year-to-date
    +13.27% gives 3427.6 (missed): unresolved, naming both."""
    centre = {**SRC, "publisher": "Data centre", "reliability": "A"}
    report = {**SRC, "publisher": "City government", "reliability": "B"}
    t = target(target=3600, start=None)
    o = [obs(2023, "2411.1", source=centre), obs(2024, 3026, source=centre),
         obs("2025-01/2025-09", "2888.58", change="+13.27%", source=centre),
         obs(2025, change="+20%", source=report)]  # fmt: skip
    a = assess(t, o, AFTER)
    assert a.status is Status.unresolved
    by_code = {r.code: r for r in a.readings}
    assert by_code["as-recorded"].status is Status.met
    ytd = by_code["year-to-date"]
    assert ytd.status is Status.missed and ytd.value == Decimal("3427.5502")
    assert ytd.get("source").startswith("Data centre")
    # two publishers stating one period: another publisher's figure is a reading of its own
    same_period = [obs(2025, 3700, source=report), obs(2025, 3500, source=centre)]
    b = assess(t, [obs(2024, 3026, source=centre), *same_period], AFTER)
    assert b.status is Status.unresolved
    assert b.current is not None and b.current.value == Decimal(3500)  # grade A over B
    assert any(r.code == "other-source" and r.status is Status.met for r in b.readings)


# --- 5. confidence from robustness ----------------------------------------------------------------


def test_a_robust_miss_resting_on_one_c_grade_year_is_not_low() -> None:
    """3,302,000 (C) against 6,000,000: ± 3% for the grade changes nothing."""
    t = target(target=6000000, start=2021)
    a = assess(t, [obs(2020, 3706000), obs(2025, 3302000, source=WEAK)], AFTER)
    assert a.status is Status.missed
    assert a.confidence in (Confidence.high, Confidence.medium)
    low = next(r for r in a.readings if r.code == "low-end")
    assert "grade" in low.get("rules")


def test_a_small_margin_on_a_preliminary_rate_is_not_high() -> None:
    """10.2% (preliminary) against 10%: a preliminary rate stands for ± 0.5 points."""
    t = target(kind="growth", target="10%", start=2025, deadline=2025)
    a = assess(t, [obs(2025, change="+10.2%", estimate="preliminary")], AFTER)
    assert a.confidence is not Confidence.high
    assert a.status is Status.unresolved
    final = assess(t, [obs(2025, change="+10.2%")], AFTER)  # final: ± 0.05 points only
    assert final.status is Status.met and final.confidence is Confidence.high


def test_one_quarter_is_at_most_medium_with_its_caveat() -> None:
    t = target(kind="growth", target="5.5%", start=2025, deadline=2025)
    a = assess(t, [obs("2025-Q1", change="+8%")], date(2025, 5, 31))
    assert a.status is Status.on_track
    assert a.confidence is Confidence.medium
    assert [c.code for c in a.caveats] == ["in-year"]


def test_a_neighbouring_category_is_medium_and_a_distant_one_low() -> None:
    # R 0.96, just above 0.95: a C-grade current value (± 3%) reaches acceleration needed
    req = (100 / 50) ** (1 / 5) - 1
    current = round(50 * (1 + 0.96 * req) ** 3, 1)
    o = [obs(2020, 50), obs(2021, 55), obs(2023, current, source=WEAK)]
    a = assess(target(), o, AS_OF)
    assert a.status is Status.on_track and a.confidence is Confidence.medium
    # another source of 2023 far below: deterioration is no neighbour of on track
    other = {**SRC, "publisher": "Other"}
    far = assess(target(), [obs(2020, 50), obs(2023, 80), obs(2023, 45, source=other)], AS_OF)
    assert far.status is Status.on_track and far.confidence is Confidence.low


# --- 6. which figure is current -------------------------------------------------------------------


def test_a_lower_grade_never_silently_wins() -> None:
    a_grade = {**SRC, "publisher": "Bureau", "reliability": "A", "published": "2024-01-01"}
    c_grade = {**SRC, "publisher": "Copy", "reliability": "C", "published": "2024-05-01"}
    o = [obs(2020, 50), obs(2023, 80, source=a_grade), obs(2023, 90, source=c_grade)]
    a = assess(target(), o, AS_OF)
    assert a.current is not None and a.current.value == Decimal(80)  # A over C, though older
    assert any(r.code == "other-source" and r.value == Decimal(90) for r in a.readings)
    early = obs(2023, 70, estimate="preliminary", source=a_grade)
    pre = assess(target(), [obs(2020, 50), obs(2023, 80, source=c_grade), early], AS_OF)
    assert pre.current is not None and pre.current.value == Decimal(80)  # final first


# --- the property --------------------------------------------------------------------------------


def documented_reading(v: int, bound: str | None, estimate: str, grade: str) -> tuple[D, D]:
    """The interval the method (§12.6) says a whole number written as ``v`` stands for, worked
    out here from the rules, not from the code: ± half a unit of its last digit, read to three
    significant digits (99 is 99.0 ± 0.05, 150 is ± 0.5); a bound to 10% beyond its side; ± 3%
    for a preliminary or expected figure without a final one, and ± 3% more for a C grade."""
    x = D(v)
    half = D("0.05") if v < 100 else D("0.5")
    low, high = x - half, x + half
    if bound == "at_least":
        low, high = x, x * D("1.1")
    elif bound == "at_most":
        low, high = x * D("0.9"), x
    widen = (D("0.03") * x if estimate != "final" else 0) + (D("0.03") * x if grade == "C" else 0)
    return low - widen, high + widen


@settings(max_examples=150, deadline=None)
@given(
    value=st.integers(min_value=50, max_value=200),
    bound=st.sampled_from([None, "at_least", "at_most"]),
    estimate=st.sampled_from(["final", "preliminary", "expected"]),
    grade=st.sampled_from(["A", "B", "C"]),
    where=st.floats(min_value=0, max_value=1),
)
def test_met_and_missed_never_change_within_a_reading(
    value: int, bound: str | None, estimate: str, grade: str, where: float
) -> None:
    """A settled verdict holds for every true value the deciding figure's documented reading
    allows: both ends, and a value drawn between them (an interval the code made too narrow
    would let a verdict stand that the figure as written cannot settle)."""
    t = target(target=100, start=None)
    source = {**SRC, "reliability": grade}
    extra = {"bound": bound} if bound else {}
    figure = obs(2025, value, estimate=estimate, source=source, **extra)
    a = assess(t, [obs(2020, 60), figure], AFTER)
    if a.status not in (Status.met, Status.missed):
        return
    if any(r.code == "written-precision" for r in a.readings):  # 100 against 100, as written
        assert value >= 100 and a.status is Status.met  # compared at that precision (§12.9)
        return
    low, high = documented_reading(value, bound, estimate, grade)
    moved = low + (high - low) * D(repr(where))
    for true in (low, moved, high):
        if bound == "at_most" and value == 100 and true == 100:
            continue  # "under 100" against 100 lies short of it: its top end excluded (§12.8)
        assert (Status.met if true >= 100 else Status.missed) is a.status, (low, true, high)
    # and the figure written as that value, exact and final, gives the same verdict or none
    b = assess(t, [obs(2020, 60), obs(2025, str(moved.quantize(D("0.01"))))], AFTER)
    top = bound == "at_most" and value == 100 and moved == 100  # the excluded top end (§12.8)
    assert b.status in (a.status, Status.unresolved) or top


# --- the shipped data ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> dict[str, Assessment]:
    return {a.target.id: a for a in run(PACKAGED, SHIPPED_AS_OF).assessments}


def test_shipped_industrial_output_is_bridged_across_the_break(
    shipped: dict[str, Assessment],
) -> None:
    a = shipped["industrial-output"]
    assert a.break_year == 2023
    assert a.progress_ratio == pytest.approx(0.53, abs=0.01)  # the audit's what-if run
    assert a.status is Status.unresolved and a.trend_status is Status.limited_progress


def test_shipped_tourism_revenue_is_no_data(shipped: dict[str, Assessment]) -> None:
    # One figure, one measure: every figure of 2024-2025 (3026亿, the +20% of 2025, the
    # January-September 2025 2888.58亿) is tourist spending (出游总花费) in the city's Chinese
    # texts, another measure than the target's 旅游总收入; none of its own measure since its
    # start (2023), so past the deadline it reads no data, the spending figures beside it.
    for tid in ("tourism-revenue", "tourism-revenue-2024"):
        a = shipped[tid]
        assert a.status is Status.no_data, tid
        assert Role.other_measure in {u.role for u in a.uses}, tid


def test_shipped_optoelectronic_verdicts(shipped: dict[str, Assessment]) -> None:
    a = shipped["optoelectronic-output-2024"]
    assert a.status is Status.missed  # 750亿 × 1.071 = 803亿 on the target's measure
    assert a.current is not None and a.current.value == Decimal("80325000000.0")
    assert Role.other_measure in {u.role for u in a.uses}
    firms = shipped["optoelectronic-firms"]
    assert firms.status is Status.no_data  # a June-2025 forecast only
    assert Role.forecast in {u.role for u in firms.uses}


def test_shipped_bounds_after_the_deadline(shipped: dict[str, Assessment]) -> None:
    assert shipped["graduates-retained-2024"].status is Status.unresolved  # "超过10万" vs 11万
    faw = shipped["faw-revenue"]
    assert faw.status is Status.missed  # "超5415亿" vs 1万亿


def test_shipped_biomedicine_has_no_trend_headline(shipped: dict[str, Assessment]) -> None:
    a = shipped["biomedicine-output"]
    assert a.status is Status.unresolved and a.trend_status is Status.on_track


@pytest.mark.parametrize(
    "tid", ["faw-sales", "hongqi-sales", "gdp-growth-avg-14th", "tourist-visits"]
)
def test_shipped_robust_verdicts_are_not_low(shipped: dict[str, Assessment], tid: str) -> None:
    a = shipped[tid]
    assert a.status in (Status.met, Status.missed)
    assert a.confidence is not Confidence.low


def test_shipped_medical_health_growth_is_not_high(shipped: dict[str, Assessment]) -> None:
    assert shipped["medical-health-growth-2025"].confidence is not Confidence.high


def test_json_gives_readings_and_the_unresolved_status() -> None:
    out = runner.invoke(app, ["status", "--format", "json", "--as-of", "2026-12-06"])
    assert out.exit_code == 0, out.output
    doc = {t["id"]: t for t in json.loads(out.stdout)["targets"]}
    medical = doc["medical-health-growth-2025"]  # +10.2% (preliminary) against 10%
    assert medical["status"] == "unresolved"
    assert {"code", "values", "status", "value"} <= set(medical["readings"][0])
    assert {r["status"] for r in medical["readings"]} >= {"met", "missed"}
    assert doc["biomedicine-output"]["trend_status"] == "on_track"
    show = runner.invoke(app, ["show", "tourist-visits", "--as-of", "2026-12-06"])
    assert "year to date (2025-01/2025-09) of" in show.stdout and "→ met" in show.stdout
    zh = runner.invoke(app, ["status", "--lang", "zh", "--as-of", "2026-12-06"])
    assert "未定" in zh.stdout
