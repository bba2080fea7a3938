"""Readings for relative and cumulative targets, and bounds at the deadline of growth, average and
cumulative targets (docs/method.md §12.3, §12.6-12.7, §13.3, §13.5): worked examples built by
hand, the CLI's ``show`` and JSON, and a property over a cumulative total's readings."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import yaml
from conftest import SRC
from conftest import make_obs as obs
from conftest import make_target as target
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cctrack.assess import NOTES, Assessment, assess
from cctrack.cli import app
from cctrack.domain import Confidence, Status

AFTER = date(2026, 6, 30)
DURING = date(2025, 6, 30)
runner = CliRunner(env={"NO_COLOR": "1", "CCTRACK_DATA": None})


def relative(deadline: int = 2025, **fields: Any) -> Any:
    return target(kind="growth", target="0%", start=2024, deadline=deadline,
                  benchmark={"scope": "China", "relation": "above"}, **fields)  # fmt: skip


def statuses(a: Assessment) -> dict[str, Status]:
    return {r.code: r.status for r in a.readings}


# --- relative targets ----------------------------------------------------------------------------


def test_a_relative_verdict_clear_of_both_readings_is_met_with_high_confidence() -> None:
    """5.3% against China's 5.2% (above): 5.25-5.35% against 5.15-5.25%; either figure moved
    alone within its reading leaves the city above."""
    o = [obs(2025, change="+5.3%"), obs(2025, change="+5.2%", scope="China")]
    a = assess(relative(), o, AFTER)
    assert a.status is Status.met and a.confidence is Confidence.high
    by = {r.code: r for r in a.readings}
    assert set(by) == {"as-recorded", "low-end", "high-end", "benchmark-low", "benchmark-high"}
    assert by["low-end"].value == D("0.0525") and by["benchmark-high"].value == D("0.0525")
    assert all(r.status is Status.met for r in a.readings)


def test_a_relative_verdict_within_the_benchmarks_reading_is_unresolved() -> None:
    """5.25% against 5.2%: China's 5.2% stands for 5.15-5.25%, and 5.25% is not above 5.25%."""
    o = [obs(2025, change="+5.25%"), obs(2025, change="+5.2%", scope="China")]
    a = assess(relative(), o, AFTER)
    assert a.status is Status.unresolved and a.confidence is Confidence.low
    assert statuses(a)["as-recorded"] is Status.met
    assert statuses(a)["benchmark-high"] is Status.missed
    assert a.has_note("unresolved")


def test_another_publisher_of_the_benchmark_is_a_reading() -> None:
    """China 5.2% (grade A) chosen; another publisher's 5.4% for the same year puts 5.3% below."""
    other = {**SRC, "publisher": "Other", "reliability": "B"}
    bureau = {**SRC, "publisher": "Bureau", "reliability": "A"}
    o = [obs(2025, change="+5.3%"), obs(2025, change="+5.2%", scope="China", source=bureau),
         obs(2025, change="+5.4%", scope="China", source=other)]  # fmt: skip
    a = assess(relative(), o, AFTER)
    assert a.computed_status is Status.unresolved
    (r,) = [r for r in a.readings if r.code == "benchmark-source"]
    assert r.value == D("0.054") and r.status is Status.missed
    assert r.get("source").startswith("Other")


def test_a_relative_trend_one_category_away_is_medium() -> None:
    """In progress (deadline 2026), 5.25% against 5.2%: on track as recorded; China's high end
    gives acceleration needed, a neighbour."""
    o = [obs(2024, change="+5.25%"), obs(2024, change="+5.2%", scope="China")]
    a = assess(relative(deadline=2026), o, DURING)
    assert a.status is Status.on_track and a.confidence is Confidence.medium
    assert statuses(a)["benchmark-high"] is Status.acceleration_needed


def test_a_relative_level_target_reads_its_values() -> None:
    """A level against a level (no lower than): 1000 (± 5, three significant digits) against
    990 is met; an upper bound "under 1000" reaches 900 (§12.6), which misses it."""
    t = target(target=0, start=2025, deadline=2025,
               benchmark={"scope": "Province", "relation": "at_least"})  # fmt: skip
    a = assess(t, [obs(2025, 1000), obs(2025, 990, scope="Province")], AFTER)
    assert a.status is Status.met and a.confidence is Confidence.high
    bound = assess(t, [obs(2025, "不到1000"), obs(2025, 990, scope="Province")], AFTER)
    assert bound.status is Status.unresolved
    assert statuses(bound)["low-end"] is Status.missed


# --- cumulative targets --------------------------------------------------------------------------


def cumulative(goal: int = 2400) -> Any:
    return target(target=goal, cumulative=True)


def test_a_cumulative_total_is_read_as_the_sum_of_its_readings() -> None:
    """500 a year for five years: 2497.5-2502.5; 2400 is met on every reading, 2500 is not."""
    o = [obs(y, 500) for y in range(2021, 2026)]
    a = assess(cumulative(), o, AFTER)
    assert a.status is Status.met and a.confidence is Confidence.high
    by = {r.code: r for r in a.readings}
    assert by["low-end"].value == D("2497.5") and by["high-end"].value == D("2502.5")
    b = assess(cumulative(2500), o, AFTER)
    assert b.status is Status.unresolved and statuses(b)["low-end"] is Status.missed


def test_a_cumulative_total_in_progress_one_category_away_is_medium() -> None:
    """400 + 500 + 600 = 1500 against 2500 × 3/5 = 1500: R = 1, on track; the low end 1498.5
    gives R = 0.999, acceleration needed."""
    o = [obs(2021, 400), obs(2022, 500), obs(2023, 600)]
    a = assess(cumulative(2500), o, date(2024, 6, 30))
    assert a.status is Status.on_track and a.confidence is Confidence.medium
    low = next(r for r in a.readings if r.code == "low-end")
    assert low.value == D("1498.5") and low.status is Status.acceleration_needed
    assert low.progress_ratio is not None and abs(low.progress_ratio - 0.999) < 1e-12


def test_a_stated_total_bound_after_the_deadline() -> None:
    """A stated total for 2021/2025 "over X" stands for X to 1.1 X against 2500: "over 2000"
    (2000-2200) is missed; "over 2400" (2400-2640) unresolved; "over 2600" met, high."""
    t = cumulative(2500)
    far = assess(t, [obs("2021/2025", "超过2000")], AFTER)
    assert far.status is Status.missed and far.confidence is Confidence.high
    straddle = assess(t, [obs("2021/2025", "超过2400")], AFTER)
    assert straddle.status is Status.unresolved and straddle.confidence is Confidence.low
    assert {r.status for r in straddle.readings} == {Status.met, Status.missed}
    above = assess(t, [obs("2021/2025", "超过2600")], AFTER)
    assert above.status is Status.met and above.confidence is Confidence.high
    assert not any(n.code == "bound-unsettled" for n in straddle.notes)


def test_a_summed_total_with_a_bound_year_is_settled_by_its_readings() -> None:
    """Four years of 400 and "over 700" (2025): 2300 as recorded, 2298-2372 read, against 2350:
    unresolved; against 2400: missed."""
    o = [*(obs(y, 400) for y in range(2021, 2025)), obs(2025, "超过700")]
    a = assess(cumulative(2350), o, AFTER)
    assert a.status is Status.unresolved
    by = {r.code: r for r in a.readings}
    assert by["low-end"].value == D("1598") + D("700")
    assert by["high-end"].value == D("1602") + D("770")
    assert assess(cumulative(2400), o, AFTER).status is Status.missed


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.integers(min_value=100, max_value=999), min_size=5, max_size=5),
       goal=st.integers(min_value=1000, max_value=4000))  # fmt: skip
def test_a_settled_cumulative_verdict_holds_over_every_sum_of_readings(
    values: list[int], goal: int
) -> None:
    """Three-digit yearly figures are ± 0.5 each: a met or missed total holds from the sum less
    2.5 to the sum plus 2.5, worked out here from the rule, not from the code."""
    a = assess(cumulative(goal), [obs(2021 + i, v) for i, v in enumerate(values)], AFTER)
    total = sum(values)
    if a.status is Status.met:
        assert total - 2.5 >= goal
    elif a.status is Status.missed:
        assert total + 2.5 < goal
    else:
        assert a.status is Status.unresolved and total - 2.5 < goal <= total + 2.5


# --- bounds at the deadline of growth and average targets ----------------------------------------


def test_a_growth_bound_far_below_is_missed_and_one_above_met() -> None:
    """ "over 3%" (3-4%) against 5.5%: missed, high; "over 6%" (6-7%): met, high; "over 5%"
    (5-6%) straddles 5.5%: unresolved."""
    t = target(kind="growth", target="5.5%", start=2025, deadline=2025)
    below = assess(t, [obs(2025, change="+3%", bound="at_least")], AFTER)
    assert below.status is Status.missed and below.confidence is Confidence.high
    above = assess(t, [obs(2025, change="+6%", bound="at_least")], AFTER)
    assert above.status is Status.met and above.confidence is Confidence.high
    straddle = assess(t, [obs(2025, change="+5%", bound="at_least")], AFTER)
    assert straddle.status is Status.unresolved
    high = next(r for r in straddle.readings if r.code == "high-end")
    assert high.value == D("0.06") and high.get("rules") == ("bound",)


def test_a_growth_bound_in_progress_is_judged_as_written() -> None:
    """ "over 5%" in 2024 of a 2021-2025 target of 5.5%: acceleration needed as written; its far
    end (6%) is on track, a neighbour: medium."""
    t = target(kind="growth", target="5.5%", start=2021, deadline=2025)
    a = assess(t, [obs(2024, change="+5%", bound="at_least")], DURING)
    assert a.status is Status.acceleration_needed and a.confidence is Confidence.medium
    assert statuses(a)["high-end"] is Status.on_track


def test_an_average_with_a_bound_year_reads_its_far_end() -> None:
    """+5.1% a year for four years and "over 4%" (2025) against an average of 5%: as written
    (1.051⁴ × 1.04)^(1/5) − 1 = 4.88%, missed; with 5.15% and the bound's far end 5%,
    (1.0515⁴ × 1.05)^(1/5) − 1 = 5.12%, met: unresolved."""
    t = target(kind="growth", target="5%", average=True, start=2021, deadline=2025)
    o = [*(obs(y, change="+5.1%") for y in range(2021, 2025)), obs(2025, change="+4%",
                                                                    bound="at_least")]  # fmt: skip
    a = assess(t, o, AFTER)
    assert a.status is Status.unresolved
    by = {r.code: r for r in a.readings}
    assert abs(by["as-recorded"].value - ((1.051**4 * 1.04) ** 0.2 - 1)) < 1e-12
    assert by["chained-high"].status is Status.met and "bound" in by["chained-high"].get("rules")


def test_the_note_bound_unsettled_is_gone() -> None:
    assert "bound-unsettled" not in NOTES


# --- the CLI --------------------------------------------------------------------------------------


def write(
    tmp_path: Path, targets: list[dict[str, Any]], observations: list[dict[str, Any]]
) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    for name, key, rows in (("targets", "targets", targets),
                            ("observations", "observations", observations)):  # fmt: skip
        (d / f"{name}.yaml").write_text(yaml.safe_dump({key: rows}, allow_unicode=True),
                                        encoding="utf-8")  # fmt: skip
    return d


def test_show_and_json_list_a_relative_targets_readings(tmp_path: Path) -> None:
    t = {"id": "t", "name": "T", "scope": "City", "unit": "yuan", "kind": "growth",
         "target": "0%", "start": 2025, "deadline": 2025, "source": SRC,
         "benchmark": {"scope": "China", "relation": "above"}}  # fmt: skip
    o = [{"target": "t", "period": 2025, "change": "+5.25%", "source": SRC},
         {"target": "t", "period": 2025, "change": "+5.2%", "scope": "China",
          "source": SRC}]  # fmt: skip
    d = write(tmp_path, [t], o)
    args = ["--data", str(d), "--as-of", "2026-06-30"]
    show = runner.invoke(app, ["show", "t", *args])
    assert show.exit_code == 0, show.output
    assert "benchmark +5.25% (2025), the high end of its reading" in show.stdout
    assert "→ missed" in show.stdout and "→ met" in show.stdout
    zh = runner.invoke(app, ["show", "t", "--lang", "zh", *args]).stdout
    assert "对比基准+5.25%" in zh and "未定" in zh
    doc = json.loads(runner.invoke(app, ["status", "--format", "json", *args]).stdout)
    (row,) = doc["targets"]
    assert row["status"] == "unresolved" and row["confidence"] == "low"
    codes = {(r["code"], r["status"]) for r in row["readings"]}
    assert ("benchmark-high", "missed") in codes and ("as-recorded", "met") in codes


# --- issue 20, item 7: a bare number on a share target --------------------------------------------

SHARE = {"id": "rd", "name": "R&D share", "scope": "City", "unit": "percent", "target": "3%",
         "deadline": 2025, "start": 2021, "source": SRC}  # fmt: skip
LATER = {**SRC, "url": "https://example.org/b", "published": "2024-03-01"}


def test_a_bare_number_on_a_share_target_is_refused(tmp_path: Path) -> None:
    """ "2.5" on a share of 3% would read as 2.5, i.e. 250%: validate names the entry's value,
    and add-observation refuses it; "2.5%" is accepted."""
    d = write(tmp_path, [SHARE], [{"target": "rd", "period": 2023, "value": 2.5, "source": LATER}])
    out = runner.invoke(app, ["validate", "--data", str(d), "--format", "json",
                              "--as-of", "2024-06-01"])  # fmt: skip
    assert out.exit_code == 1
    lines = (d / "observations.yaml").read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines, 1) if "value: 2.5" in line)
    found = [(p["code"], p["file"].rsplit("/", 1)[-1], p["line"]) for p in json.loads(out.stdout)]
    assert ("percent-expected", "observations.yaml", at) in found
    e = tmp_path / "e"
    e.mkdir()
    (e / "targets.yaml").write_text(yaml.safe_dump({"targets": [SHARE]}), encoding="utf-8")
    (e / "observations.yaml").write_text("observations: []\n", encoding="utf-8")
    add = ["add-observation", "rd", "2023", "--source", "https://example.org/b", "--data", str(e)]
    bare = runner.invoke(app, [*add[:3], "2.5", *add[3:]])
    assert bare.exit_code == 1 and "percent-expected" in bare.output
    assert runner.invoke(app, [*add[:3], "2.5%", *add[3:]]).exit_code == 0


@settings(max_examples=120, deadline=None)
@given(
    tenths=st.integers(min_value=30, max_value=80),
    bound=st.sampled_from([None, "at_least", "at_most"]),
    estimate=st.sampled_from(["final", "preliminary", "expected"]),
    where=st.floats(min_value=0, max_value=1),
)
def test_a_settled_growth_verdict_holds_within_the_documented_reading(
    tenths: int, bound: str | None, estimate: str, where: float
) -> None:
    """A change written with one decimal ("+5.3%") stands for ± 0.05 points; a bound reaches one
    point beyond its side; a preliminary or expected change ± 0.5 points more (§12.6, worked
    out here from the rules). Met or missed against 5.5% holds anywhere in that interval."""
    x = D(tenths) / 1000
    extra = {"bound": bound} if bound else {}
    figure = obs(2025, change=f"+{tenths / 10:.1f}%", estimate=estimate, **extra)
    t = target(kind="growth", target="5.5%", start=2025, deadline=2025)
    a = assess(t, [figure], AFTER)
    if a.status not in (Status.met, Status.missed):
        assert a.status is Status.unresolved
        return
    if any(r.code == "written-precision" for r in a.readings):  # +5.5% against 5.5% (§12.9)
        assert tenths >= 55 and a.status is Status.met
        return
    low, high = x - D("0.0005"), x + D("0.0005")
    if bound == "at_least":
        low, high = x, x + D("0.01")
    elif bound == "at_most":
        low, high = x - D("0.01"), x
    if estimate != "final":
        low, high = low - D("0.005"), high + D("0.005")
    moved = low + (high - low) * D(repr(where))
    for true in (low, moved, high):
        assert (Status.met if true >= D("0.055") else Status.missed) is a.status, (low, high)


def test_forecast_unmarked_for_every_estimate_but_forecast(tmp_path: Path) -> None:
    """Published 2025-11-05, before 2025 ended: a final or expected figure is flagged, a
    forecast is not; an expected figure published after its year ended keeps its meaning (a 预计
    figure for a period already over) and is not flagged."""
    t = {"id": "t", "name": "T", "scope": "City", "unit": "yuan", "target": 100,
         "deadline": 2025, "start": 2021, "source": SRC}  # fmt: skip
    early = {**SRC, "url": "https://example.org/e", "published": "2025-11-05"}
    late = {**SRC, "url": "https://example.org/l", "published": "2026-01-20"}
    rows = [{"target": "t", "period": 2025, "value": v, "estimate": e, "source": s}
            for v, e, s in ((90, "final", early), (91, "expected", early),
                            (92, "forecast", early), (93, "expected", late))]  # fmt: skip
    d = write(tmp_path, [t], rows)
    out = runner.invoke(app, ["validate", "--data", str(d), "--format", "json",
                              "--as-of", "2026-06-30"])  # fmt: skip
    flagged = [p for p in json.loads(out.stdout) if p["code"] == "forecast-unmarked"]
    text = (d / "observations.yaml").read_text(encoding="utf-8").splitlines()
    marked = [next(ln for ln in reversed(text[: p["line"]]) if "estimate:" in ln) for p in flagged]
    assert sorted(m.split(":")[-1].strip() for m in marked) == ["expected", "final"], flagged
    assert all("2025-11-05" in p["message"] for p in flagged)
    a = assess(target(), [obs(2025, 93, estimate="expected", source=late)], AFTER)
    assert a.status is Status.missed and a.has_caveat("provisional")
