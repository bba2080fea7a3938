"""Mends of verdicts a journalist would not quote (review of the merged issues 20-25): each test
fails on the code before its mend."""

from __future__ import annotations

from datetime import date

from conftest import make_obs as obs
from conftest import make_target as target

from cctrack.assess import assess
from cctrack.domain import Confidence, Status

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
