"""Mends of verdicts a journalist would not quote (review of the merged issues 20-25): each test
fails on the code before its mend."""

from __future__ import annotations

from datetime import date

from conftest import make_obs as obs
from conftest import make_target as target

from cctrack.assess import assess, assess_all
from cctrack.domain import Confidence, Status
from cctrack.render.catalogue import words
from cctrack.render.words import status_text, why_text

EN, ZH = words("en"), words("zh")

AFTER = date(2026, 6, 30)


def test_an_upper_bound_at_an_increase_target_misses_it() -> None:
    """ "近260亿" recorded as ≤ 260 against 260 (an increase): below the target as recorded, at
    both ends of its reading (234 to 260, the top end exclusive), so missed, not unresolved;
    no near-threshold (nothing reaches up to the target)."""
    t = target(target=260, kind="annual", start=2024, deadline=2024)
    a = assess(t, [obs(2023, "254.91"), obs(2024, "260", bound="at_most")], AFTER)
    assert {r.status for r in a.readings} == {Status.missed}
    assert a.status is Status.missed and a.provisional
    assert not a.has_caveat("near-threshold")


def test_a_lower_bound_at_a_decrease_target_misses_it() -> None:
    """ "at least 50" against "at most 50" (a decrease): above it as recorded: missed."""
    t = target(target=50, direction="decrease", kind="annual", start=2024, deadline=2024)
    a = assess(t, [obs(2023, 60), obs(2024, 50, bound="at_least")], AFTER)
    assert a.status is Status.missed


def test_an_exact_figure_at_an_increase_target_still_meets_it() -> None:
    """The bound rule leaves an exact figure equal to the target met."""
    t = target(target=260, kind="annual", start=2024, deadline=2024)
    a = assess(t, [obs(2023, "254.91"), obs(2024, "260.0")], AFTER)
    assert a.status is Status.met


def test_a_figure_equal_to_the_target_as_written_is_met() -> None:
    """200万 against 200万, both to the same last digit (± 5,000 each): compared at that
    precision, met with high confidence and one reading saying so (not unresolved because
    1,995,000 would miss)."""
    t = target(target="200万", kind="annual", start=2025, deadline=2025)
    a = assess(t, [obs(2025, "200万")], AFTER)
    assert a.status is Status.met and a.confidence is Confidence.high
    assert [r.code for r in a.readings] == ["as-recorded", "written-precision"]
    assert not a.has_caveat("near-threshold")


def test_a_figure_written_finer_than_the_target_keeps_its_readings() -> None:
    """100.3 against 100: not the same precision, the low and high ends stay readings (both
    meet)."""
    t = target(target=100, start=2025, deadline=2025)
    a = assess(t, [obs(2025, "100.3")], AFTER)
    assert {r.code for r in a.readings} >= {"low-end", "high-end"}
    assert a.status is Status.met


def test_a_weak_figure_equal_to_the_target_is_still_unresolved() -> None:
    """A grade-C figure equal to the target: its ± 3% grade error is a reading of its own, so
    the same-precision rule does not apply."""
    t = target(target="200万", kind="annual", start=2025, deadline=2025)
    src = {"title": "a copy", "publisher": "a site", "reliability": "C"}
    a = assess(t, [obs(2025, "200万", source=src)], AFTER)
    assert not any(r.code == "written-precision" for r in a.readings)
    assert a.status is Status.unresolved


WEAK = {"title": "a copy", "publisher": "a self-media account", "reliability": "C"}
BUREAU = {"title": "bulletin", "publisher": "the bureau", "reliability": "A"}


def test_a_miss_on_one_weak_figure_is_at_most_medium() -> None:
    """588 against 700, a C-grade copy the only figure (base and current at once): every
    reading misses (570-606), yet the verdict rests on one weak figure: medium, with a note
    naming the period; an A-grade figure of 2025 beside it restores high."""
    t = target(target=700, kind="annual", start=2025, deadline=2025)
    a = assess(t, [obs(2025, 588, source=WEAK)], AFTER)
    assert a.status is Status.missed and {r.status for r in a.readings} == {Status.missed}
    assert a.confidence is Confidence.medium
    assert [n.get("period").text for n in a.notes if n.code == "weak-alone"] == ["2025"]
    both = assess(t, [obs(2025, 588, source=WEAK), obs(2025, 590, source=BUREAU)], AFTER)
    assert both.status is Status.missed and both.confidence is Confidence.high
    assert not both.has_note("weak-alone")


def test_a_weak_figure_of_another_period_does_not_cap() -> None:
    """A C-grade base (2020) with an A-grade deciding figure (2025): no weak-alone cap."""
    t = target(target=100, start=2021, deadline=2025)
    a = assess(t, [obs(2020, 50, source=WEAK), obs(2025, 120, source=BUREAU)], AFTER)
    assert a.status is Status.met and not a.has_note("weak-alone")


GDP_CHANGES = (("2020", "+3.5%"), ("2021", "+6.2%"), ("2022", "-4.5%"), ("2023", "+6.6%"),
               ("2024", "+4.8%"))  # fmt: skip


def test_an_average_out_of_reach_without_its_final_figure_is_missed() -> None:
    """About 6.5% a year over 2021-2025, +6.2%, -4.5%, +6.6%, +4.8% known (3.17% a year, 3.22%
    at the readings' high end): 2025 would have needed (1.0645^5 / 1.0322^4) - 1 = 19.9% even
    from the easiest end of "about" (6.45%), beyond the largest change recorded (+6.6%, at most
    +6.65%): missed, medium, with the note saying what was needed."""
    t = target(kind="growth", target="6.5%左右", average=True, start=2021, deadline=2025)
    a = assess(t, [obs(y, change=c) for y, c in GDP_CHANGES], date(2026, 3, 1))
    assert a.status is Status.missed and a.confidence is Confidence.medium
    n = next(n for n in a.notes if n.code == "out-of-reach")
    best = float(a.readings[-1].value or 0)  # chained-high: the most favourable reading
    expected = (1.0645**5 / (1 + best) ** 4) - 1
    assert abs(n.get("needed") - expected) < 1e-9 and 0.19 < n.get("needed") < 0.21
    assert abs(n.get("largest") - 0.0665) < 1e-9
    assert {r.status for r in a.readings} == {Status.missed}
    assert not a.has_note("no-final-figure") and a.trend_to is None


def test_an_average_within_reach_stays_unresolved() -> None:
    """The same with a +25% year recorded (2019): 19.9% is within what the series has seen, so
    the missing 2025 figure could still settle it: unresolved with its last trend."""
    t = target(kind="growth", target="6.5%左右", average=True, start=2021, deadline=2025)
    o = [obs(y, change=c) for y, c in (("2019", "+25%"), *GDP_CHANGES)]
    a = assess(t, o, date(2026, 3, 1))
    assert a.status is Status.unresolved and not a.has_note("out-of-reach")


def test_a_level_out_of_reach_is_missed_and_a_near_one_is_not() -> None:
    """100 by 2025; 70, 72, 75, 78 in 2021-2024 (yearly changes up to 4.2%, at most 4.3% at
    the readings' ends): 2025 would need 78 → 100, +28%: missed. With 95 in 2024 it would need
    about +5%: within nothing recorded either (the 2023-2024 jump is +26.7%): unresolved."""
    t = target(target=100, start=2021, deadline=2025)
    far = assess(
        t,
        [obs(2020, 68), *(obs(y, v) for y, v in ((2021, 70), (2022, 72), (2023, 75), (2024, 78)))],
        AFTER,
    )
    assert far.status is Status.missed and far.has_note("out-of-reach")
    near = assess(
        t,
        [obs(2020, 68), *(obs(y, v) for y, v in ((2021, 70), (2022, 72), (2023, 75), (2024, 95)))],
        AFTER,
    )
    assert near.status is Status.unresolved and not near.has_note("out-of-reach")


def test_too_few_changes_cannot_show_a_change_out_of_reach() -> None:
    """Two recorded changes are too few to say what the series can do (REACH_YEARS = 3)."""
    t = target(target=100, start=2023, deadline=2025)
    a = assess(t, [obs(2022, 70), obs(2023, 71), obs(2024, 72)], AFTER)
    assert a.status is Status.unresolved and not a.has_note("out-of-reach")


def test_no_data_says_which_figures_exist() -> None:
    """A 2025 milestone with no figure of its own, its plan target with counts for 2019 and
    2021 and a 2025 change over years that gives no count: the reason names the deadline and
    the periods of the plan's figures, not "no observation of the target's own scope"; a target
    with nothing anywhere keeps the old reason."""
    plan = target(id="plan", target=5000, start=2021, deadline=2025)
    step = target(id="step", target=3500, start=2025, deadline=2025, milestone_of="plan")
    empty = target(id="empty", target=10, start=2025, deadline=2025)
    o = [obs(2019, 1000, tid="plan"), obs(2021, 1500, tid="plan")]
    by_id = {a.target.id: a for a in assess_all([plan, step, empty], o, AFTER, "growth-ratio")}
    a = by_id["step"]
    assert a.status is Status.no_data
    n = next(n for n in a.notes if n.code == "no-deadline-figure")
    assert [p.text for p in n.get("years")] == ["2019", "2021"] and n.get("where") == "plan"
    assert (
        why_text(a, EN) == "No figure for 2025: figures of 2019, 2021 only, recorded against plan."
    )
    assert why_text(a, ZH) == "2025年尚无数值：仅有2019年、2021年的数值（记录于plan）。"
    assert why_text(by_id["empty"], EN) == "No observation of the target's own scope."


def test_no_data_of_its_own_figures_names_them() -> None:
    """One value of 2023, deadline 2025 passed: no data (too few to assess), the reason lists
    2023 and no other target."""
    t = target(target=100, start=2021, deadline=2025)
    (a,) = assess_all([t], [obs(2023, 80)], AFTER, "growth-ratio")
    assert a.status is Status.no_data
    assert why_text(a, EN) == "No figure for 2025: figures of 2023 only."


def test_a_part_year_trend_names_its_months() -> None:
    """About 8% growth in 2024, only +10.7% for January-March known past the deadline: the why
    names the months the trend rests on, not the year; JSON's trend_period the period."""
    t = target(kind="growth", target="8%左右", start=2024, deadline=2024)
    a = assess(t, [obs("2024-Q1", change="+10.7%")], date(2026, 3, 1))
    assert a.status is Status.unresolved and a.trend_to == 2024
    assert a.trend_period is not None and a.trend_period.text == "2024-Q1"
    assert "the last trend, to January-March 2024, was on track" in why_text(a, EN)
    assert "截至2024年1-3月的趋势为进度正常" in why_text(a, ZH)
    assert status_text(a, EN) == "unresolved · 2024: on track"  # the table's width (§6.4)


def test_a_full_year_trend_keeps_its_year_and_says_why_it_is_low() -> None:
    """The last full year 2023 past a 2025 deadline: "2023" as before; the why opens with the
    reason the verdict is low though every reading agrees."""
    t = target(target=200, start=2021, deadline=2025)
    a = assess(t, [obs(2020, 100), obs(2023, 190)], AFTER)
    assert a.status is Status.unresolved and a.confidence is Confidence.low
    assert {r.status for r in a.readings} == {a.trend_status}
    assert status_text(a, EN) == "unresolved · 2023: on track"
    assert status_text(a, ZH) == "未定（截至2023年：进度正常）"
    assert why_text(a, EN).startswith("Low confidence: no figure for the deadline 2025")
    assert why_text(a, ZH).startswith("可信度低：期限2025年尚无数值")
