"""Verdicts you can quote: the caveats, confidence, base sensitivity and provisional verdicts of
docs/method.md §12, each from a worked example built by hand. The category and R are those of the
method; every test checks that the evidence leaves them as they were."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import SRC
from conftest import make_obs as obs
from conftest import make_target as target
from typer.testing import CliRunner

from cctrack.assess import Assessment, assess
from cctrack.cli import app
from cctrack.domain import Confidence, Status

WEAK = {"title": "t", "url": "https://x", "published": "2024-01-01", "reliability": "C"}
AS_OF = date(2024, 6, 30)
AFTER = date(2026, 6, 30)
runner = CliRunner(env={"NO_COLOR": "1", "CCTRACK_DATA": None})


def codes(a: Assessment) -> list[str]:
    return [c.code for c in a.caveats]


def values(a: Assessment, code: str) -> dict[str, Any]:
    (c,) = [c for c in a.caveats if c.code == code]
    return dict(c.values)


def r(base: float, current: float, years: int, base_year: int = 2020) -> float:
    """R of the growth-ratio method for target 100 by 2025."""
    return float(
        ((current / base) ** (1 / years) - 1) / abs((100 / base) ** (1 / (2025 - base_year)) - 1)
    )


# --- a clean verdict -----------------------------------------------------------------------------


def test_a_verdict_without_caveat_is_high_confidence() -> None:
    a = assess(target(), [obs(2020, 50), obs(2021, 60), obs(2022, 70), obs(2023, 80)], AS_OF)
    assert a.status is Status.on_track
    assert a.progress_ratio == pytest.approx(r(50, 80, 3), abs=1e-12)
    assert codes(a) == [] and a.confidence is Confidence.high


def test_no_verdict_has_no_confidence() -> None:
    assert assess(target(), [], AS_OF).confidence is None
    assert assess(target(), [obs(2023, 80)], AS_OF).confidence is None  # not assessable


# --- one worked example per caveat ---------------------------------------------------------------


def test_base_substituted_and_short_series() -> None:
    # no 2020 value: base 2021 (60), current 2023 (80): R = ((80/60)^(1/2)-1) / ((100/60)^(1/4)-1)
    a = assess(target(), [obs(2021, 60), obs(2023, 80)], AS_OF)
    expected = ((80 / 60) ** 0.5 - 1) / ((100 / 60) ** 0.25 - 1)
    assert a.progress_ratio == pytest.approx(expected, abs=1e-12)
    assert a.status is Status.on_track
    assert values(a, "base-substituted") == {"base_year": 2020, "base": a.base.period}  # type: ignore[union-attr]
    assert values(a, "short-series") == {"values": 2, "years": 2}
    assert a.confidence is Confidence.high  # no plausible reading of 60 and 80 leaves on track


def test_base_derived() -> None:
    # the 2021 value with its +20% derives 2020 = 72 / 1.2 = 60
    a = assess(target(), [obs(2021, 72, change="+20%"), obs(2022, 80), obs(2023, 90)], AS_OF)
    assert a.base is not None and a.base.value == Decimal(60) and a.base.derived
    v = values(a, "base-derived")
    assert (v["base"].text, v["from_period"].text, v["change"]) == ("2020", "2021", Decimal("0.2"))
    assert a.progress_ratio == pytest.approx(r(60, 90, 3), abs=1e-12)


def test_the_tourism_case() -> None:
    """Base year 2020 has no value; 2022 is derived from 2023's +208.56%; a one-year window; from
    the 2017 value the same method says acceleration needed (R about 0.65); the projection is
    2.3 tn against 360 bn."""
    t = target(target="360 billion", deadline=2025, start=2021)
    o = [obs(2017, "161.83 billion", change="+20.67%"), obs(2023, "241.11 billion",
                                                              change="+208.56%")]  # fmt: skip
    a = assess(t, o, date(2026, 11, 29))
    base = 241.11 / 3.0856
    r_exact = (241.11 / base - 1) / ((360 / base) ** (1 / 3) - 1)
    assert a.progress_ratio == pytest.approx(r_exact, abs=1e-9)
    assert a.progress_ratio == pytest.approx(3.14, abs=0.005)
    assert a.computed_status is Status.unresolved  # past the deadline: no trend headline
    assert a.trend_status is Status.on_track  # the trend stays what the method gives
    # stale and passed deadline: said by the note no-final-figure alone
    assert codes(a) == ["base-substituted", "base-derived", "base-sensitive", "short-series",
                        "projection-extreme"]  # fmt: skip
    assert values(a, "short-series") == {"values": 2, "years": 1}
    assert values(a, "base-sensitive") == {"categories": ("acceleration_needed",)}
    from_2017 = next(alt for alt in a.sensitivity if alt.period.text == "2017")
    r_2017 = ((241.11 / 161.83) ** (1 / 6) - 1) / ((360 / 161.83) ** (1 / 8) - 1)
    assert from_2017.progress_ratio == pytest.approx(r_2017, abs=1e-9)
    assert from_2017.progress_ratio == pytest.approx(0.65, abs=0.01)
    assert from_2017.status is Status.acceleration_needed
    assert a.projected is not None and a.projected > 2 * 360e9
    assert a.confidence is Confidence.low  # unresolved
    before = assess(t, o, date(2024, 6, 30))  # before the deadline: the other base is a neighbour
    assert before.status is Status.on_track and before.confidence is Confidence.medium
    assert a.trend_to == 2023


def test_weak_source_through_a_derivation() -> None:
    # the current value is derived from a change whose source is graded C
    o = [obs(2020, 50), obs(2022, 70), obs(2023, change="+10%", source=WEAK)]
    a = assess(target(), o, AS_OF)
    assert a.current is not None and a.current.derived and a.current.value == Decimal(77)
    assert values(a, "weak-source") == {"point": "current", "period": a.current.period}
    assert a.progress_ratio == pytest.approx(r(50, 77, 3), abs=1e-12)
    # a C-grade change read ± 0.5 points more widely reaches a neighbouring category only
    assert a.confidence is Confidence.medium


def test_provisional_and_bound_current_value() -> None:
    o = [obs(2020, 50), obs(2022, 60), obs(2023, "over 70", estimate="preliminary")]
    a = assess(target(), o, AS_OF)
    v = values(a, "provisional")
    assert (v["period"].text, v["estimate"], v["derived"]) == ("2023", "preliminary", False)
    assert values(a, "bound-value")["bound"] == "at_least"
    assert a.provisional is False  # a trend, not a final verdict
    assert a.progress_ratio == pytest.approx(r(50, 70, 3), abs=1e-12)
    assert a.confidence is Confidence.medium


def test_near_threshold_ratio() -> None:
    # choose the current value so that R is 0.96, just above 0.95
    req = (100 / 50) ** (1 / 5) - 1
    current = 50 * (1 + 0.96 * req) ** 3
    a = assess(target(), [obs(2020, 50), obs(2021, 55), obs(2023, round(current, 6))], AS_OF)
    assert a.progress_ratio == pytest.approx(0.96, abs=1e-6)
    assert a.status is Status.on_track
    assert values(a, "near-threshold")["what"] == "ratio"


def test_stale_and_deadline_passed_are_low_together() -> None:
    a = assess(target(), [obs(2020, 50), obs(2021, 55), obs(2023, 80)], AFTER)
    # no figure for 2025: said once, by the note no-final-figure (not by stale and deadline-passed)
    v = dict(next(n for n in a.notes if n.code == "no-final-figure").values)
    assert (v["deadline"].text, v["latest"].text) == ("2025", "2023")
    assert not a.has_caveat("overdue") and not a.has_caveat("deadline-passed")
    assert a.confidence is Confidence.low
    assert a.status is Status.unresolved and a.trend_status is Status.on_track
    assert a.trend_to == 2023


def test_projection_extreme() -> None:
    a = assess(target(), [obs(2020, 20), obs(2021, 30), obs(2023, 99)], AS_OF)
    assert a.projected == pytest.approx(99 * (99 / 20) ** (2 / 3), rel=1e-12)
    assert a.projected is not None and a.projected > 200
    assert values(a, "projection-extreme")["target"] == Decimal(100)


def test_inconsistent_sources() -> None:
    # 75 (2022) and 90.02 (2023) imply +20.03%; the source states +7.1%
    o = [obs(2020, 60), obs(2022, 75), obs(2023, "90.02", change="+7.1%")]
    a = assess(target(), o, AS_OF)
    v = values(a, "inconsistent-sources")
    assert v["stated"] == Decimal("0.071")
    assert float(v["implied"]) == pytest.approx(90.02 / 75 - 1, abs=1e-12)
    # 75 × 1.071 = 80.3 is another reading of 2023: R 0.93, acceleration needed, a neighbour
    stated = next(x for x in a.readings if x.code == "stated-change")
    assert stated.value == Decimal("80.325") and stated.status is Status.acceleration_needed
    assert a.confidence is Confidence.medium
    # within the precision of the figures as written: no caveat
    ok = assess(target(), [obs(2020, 60), obs(2022, 75), obs(2023, "80.3", change="+7.1%")], AS_OF)
    assert "inconsistent-sources" not in codes(ok)


# --- provisional final verdicts, bounds, price basis ----------------------------------------------


def test_met_on_a_derived_lower_bound_is_provisional_and_near_threshold() -> None:
    """ "over 300 bn" in 2024 and +20% in 2025 give 360 bn against 360 bn: met, provisionally,
    and within the precision of the figures as written."""
    t = target(target="360 billion")
    o = [obs(2020, "200 billion"), obs(2024, "over 300 billion"), obs(2025, change="+20%")]
    a = assess(t, o, AFTER)
    # 300-330 bn × 1.195-1.205 stands for 358.5-397.7 bn: both sides of 360, unresolved
    assert a.computed_status is Status.unresolved and not a.provisional
    assert {x.status for x in a.readings} == {Status.met, Status.missed}
    assert codes(a)[:3] == ["provisional", "bound-value", "near-threshold"]
    v = values(a, "near-threshold")
    assert v["margin"] == 0
    # the precision is the reading's distance below the value (the other verdict's side): 360 bn
    # less the low end 300 bn × 1.195 = 358.5 bn; the target is a threshold, exact as stated
    assert v["precision"] == Decimal("1.5e9")
    assert a.confidence is Confidence.low  # the figures can neither confirm nor refute 360


def test_a_change_applied_to_another_publishers_level_is_mixed_sources() -> None:
    """The data centre's 2024 revenue times the work report's 2025 spending growth: met, but
    on two series that nothing says are one; the same publisher's change is one series."""
    t = target(target="360 billion")
    centre = {**SRC, "title": "Tourism, Jan-Sep 2025", "publisher": "Data centre"}
    report = {**SRC, "title": "Work report 2026", "publisher": "City government"}
    o = [obs(2020, "200 billion", source=centre), obs(2024, "302.6 billion", source=centre),
         obs(2025, change="+20%", source=report)]  # fmt: skip
    a = assess(t, o, AFTER)
    # the caveat explains the derivation; no plausible reading of the figures misses 360 bn
    assert a.status is Status.met and a.confidence is Confidence.high
    assert values(a, "mixed-sources") == {
        "period": a.current.period if a.current else None, "from_period": o[1].period,
        "level_source": "Data centre, Tourism, Jan-Sep 2025",
        "change_source": "City government, Work report 2026",
    }  # fmt: skip
    same = assess(t, [*o[:2], obs(2025, change="+20%", source=centre)], AFTER)
    assert same.status is Status.met and "mixed-sources" not in codes(same)
    assert same.confidence is Confidence.high


def test_a_growth_bound_that_cannot_settle_is_not_missed() -> None:
    t = target(kind="growth", target="5.5%", start=2025, deadline=2025, unit="yuan")
    a = assess(t, [obs(2025, change="+5%", bound="at_least", estimate="expected")], AFTER)
    # "over 5%" (expected) stands for 4.5-6.5%: as written it misses 5.5%, its readings reach
    # both sides, so the verdict is unresolved, as for a level target (§12.7)
    assert a.status is Status.unresolved
    assert {r.status for r in a.readings} == {Status.met, Status.missed}
    exact = assess(t, [obs(2025, change="+4.8%")], AFTER)
    assert exact.status is Status.missed
    assert exact.confidence is Confidence.high
    # "+5%" as written may be anything from 4.5% to 5.5%: it misses 5.5% within its precision
    rounded = assess(t, [obs(2025, change="+5%")], AFTER)
    assert rounded.status is Status.unresolved and "near-threshold" in codes(rounded)


def test_a_growth_target_met_by_less_than_the_precision_is_near_threshold() -> None:
    # (+5.5% against 5.5%, both to one decimal, is met at that precision: method §12.9)
    t = target(kind="growth", target="5.47%", start=2025, deadline=2025, unit="yuan")
    a = assess(t, [obs(2025, change="+5.5%")], AFTER)
    assert a.status is Status.unresolved  # 5.45-5.55%: both sides of 5.47%
    assert values(a, "near-threshold")["what"] == "target"


def test_a_real_change_next_to_a_current_price_level_derives_nothing() -> None:
    # GDP 7002.1 in 2023 with +6.6% at comparable prices: no 2022 level is derived from it
    t = target(target=10000, deadline=2030, start=2023)
    real = obs(2023, "7002.1", change="+6.6%", price_basis="real")
    a = assess(t, [obs(2021, 6500), real], AS_OF)
    assert [p.year for p in a.series] == [2021, 2023]
    assert not any(p.derived for p in a.series)
    nominal = assess(t, [obs(2021, 6500), obs(2023, "7002.1", change="+6.6%")], AS_OF)
    assert [p.year for p in nominal.series] == [2021, 2022, 2023]


def test_validate_warns_where_price_bases_are_mixed(tmp_path: Path) -> None:
    d = tmp_path / "d"
    d.mkdir()
    gdp = {"id": "gdp", "name": "GDP", "scope": "City", "unit": "yuan", "kind": "growth",
           "target": "5%", "deadline": 2025, "start": 2024, "source": SRC}  # fmt: skip
    changes = [
        {"target": "gdp", "period": 2024, "change": "+5.2%", "price_basis": "real", "source": SRC},
        {"target": "gdp", "period": 2025, "change": "+5.1%", "source": SRC},
    ]
    (d / "targets.yaml").write_text(yaml.safe_dump({"targets": [gdp]}), encoding="utf-8")
    text = yaml.safe_dump({"observations": changes})
    (d / "observations.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", "--data", str(d), "--format", "json",
                                 "--as-of", "2026-06-30"])  # fmt: skip
    rows = json.loads(result.stdout)
    mixed = [p for p in rows if p["code"] == "mixed-price-basis"]
    assert len(mixed) == 1 and mixed[0]["severity"] == "warning"


# --- every output carries the evidence ------------------------------------------------------------

TARGETS = {"targets": [
    {"id": "tour", "name": "Tourism", "scope": "City", "unit": "yuan", "target": "360 billion",
     "deadline": 2025, "start": 2021, "source": SRC},
    {"id": "clean", "name": "Clean", "scope": "City", "unit": "yuan", "target": 100,
     "deadline": 2025, "start": 2021, "source": SRC},
]}  # fmt: skip
OBSERVATIONS = {"observations": [
    {"target": "tour", "period": 2017, "value": "161.83 billion", "change": "+20.67%",
     "source": SRC},
    {"target": "tour", "period": 2023, "value": "241.11 billion", "change": "+208.56%",
     "source": SRC},
    *({"target": "clean", "period": y, "value": v, "source": SRC}
      for y, v in ((2020, 50), (2021, 60), (2022, 70), (2023, 80))),
]}  # fmt: skip


@pytest.fixture
def data(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    (d / "targets.yaml").write_text(yaml.safe_dump(TARGETS), encoding="utf-8")
    (d / "observations.yaml").write_text(yaml.safe_dump(OBSERVATIONS), encoding="utf-8")
    return d


def status(data: Path, *args: str, columns: str = "200") -> Any:
    env = {"COLUMNS": columns, "NO_COLOR": "1", "CCTRACK_DATA": None}
    return CliRunner(env=env).invoke(app, ["status", "--data", str(data), "--as-of",
                                           "2024-06-30", *args])  # fmt: skip


def test_json_carries_confidence_caveats_and_sensitivity(data: Path) -> None:
    doc = json.loads(status(data, "--format", "json").stdout)
    tour, clean = doc["targets"]
    assert tour["confidence"] == "medium" and clean["confidence"] == "high"
    assert [c["code"] for c in tour["caveats"]][:3] == ["base-substituted", "base-derived",
                                                         "base-sensitive"]  # fmt: skip
    assert all(c["text"] for c in tour["caveats"])
    assert {"base_period": "2017", "status": "acceleration_needed"}.items() <= {
        **next(s for s in tour["sensitivity"] if s["base_period"] == "2017")
    }.items()
    assert "the base is derived for 2022" in tour["why"]
    assert clean["caveats"] == []
    assert [(s["base_period"], s["status"]) for s in clean["sensitivity"]] == [
        ("2021", "on_track"),
        ("2022", "on_track"),
    ]


def test_csv_and_markdown_carry_the_evidence(data: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(status(data, "--format", "csv").stdout)))
    assert [r["confidence_level"] for r in rows] == ["medium", "high"]
    assert rows[0]["caveat_codes"].split()[:2] == ["base-substituted", "base-derived"]
    assert "2017:acceleration_needed" in rows[0]["sensitivity"]
    md = status(data, "--format", "markdown").stdout
    assert "●○○" in md and "●●●" in md and "SDB" in md
    assert "2 targets: 2 on track (1 high, 1 medium confidence)" in md


def test_the_table_summary_line_and_legend(data: Path) -> None:
    out = status(data).stdout
    assert "2 targets: 2 on track (1 high, 1 medium confidence)" in out
    assert "S base substituted" in out and "●●○ medium" in out


def test_min_confidence_hides_weak_verdicts_and_fail_on_ignores_them(data: Path) -> None:
    out = status(data, "--min-confidence", "high", "--format", "json").stdout
    assert [t["id"] for t in json.loads(out)["targets"]] == ["clean"]
    weak = status(data, "--fail-on", "on_track")
    assert weak.exit_code == 1 and "tour" in weak.stderr
    strong = status(data, "--fail-on", "on_track", "--min-confidence", "high")
    assert strong.exit_code == 1 and "tour" not in strong.stderr and "clean" in strong.stderr


def test_show_and_the_report_list_the_caveats_in_words(data: Path, tmp_path: Path) -> None:
    env = {"COLUMNS": "200", "NO_COLOR": "1", "CCTRACK_DATA": None}
    show = (
        CliRunner(env=env)
        .invoke(app, ["show", "tour", "--data", str(data), "--as-of", "2024-06-30"])
        .stdout
    )
    assert "confidence" in show and "●●○ medium" in show
    assert "the plan's base year 2020 has no value: 2022 is the base" in show
    assert "2017: 161.83 bn yuan → R 0.65, acceleration needed" in show
    out = tmp_path / "r.html"
    runner.invoke(app, ["report", "--html", str(out), "--data", str(data), "--as-of",
                        "2024-06-30"])  # fmt: skip
    page = out.read_text(encoding="utf-8")
    assert 'data-caveat="base-sensitive"' in page and 'data-confidence="low"' in page
    assert "from 2017" in page
