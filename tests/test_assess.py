"""The progress assessment (docs/method.md), checked against worked examples computed by hand.

Every expected number is written out from the formula with the literal inputs of the example,
never computed by the code under test.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from conftest import SRC, approx
from conftest import make_obs as obs
from conftest import make_target as target

from cctrack.assess import (
    Role,
    assess,
    assess_all,
    cagr,
    category,
    progress_ratio,
    visible,
)
from cctrack.categories import fails
from cctrack.domain import Cadence, Kind, Observation, Release, Status, Target
from cctrack.model import parse_observation
from cctrack.quantity import Bound
from cctrack.series import build_series, select

AS_OF = date(2024, 6, 30)  # after every 2023 value in these examples, before the 2025 deadlines
AFTER_DEADLINE = date(2026, 6, 30)


def source(published: str) -> dict[str, str]:
    return {"title": "t", "url": "https://x", "published": published}


# --- the worked example of a decrease target ----------------------------------------------------


@pytest.mark.parametrize(
    ("t", "observations"),
    [
        (
            target(
                direction="decrease",
                target=7.25,
                deadline=2030,
                start=None,
                baseline={"period": 2015, "value": 14.5},
            ),
            [obs(2023, 10.2)],
        ),
        (
            target(direction="decrease", target=7.25, deadline=2030, start=2016),
            [obs(2015, 14.5), obs(2023, 10.2)],
        ),
    ],
    ids=["baseline", "start"],
)
def test_decrease_worked_example(t: Target, observations: list[Observation]) -> None:
    a = assess(t, observations, AS_OF)
    cagr_obs = (10.2 / 14.5) ** (1 / 8) - 1
    cagr_req = (7.25 / 14.5) ** (1 / 15) - 1
    assert cagr_obs == pytest.approx(-0.0430174, abs=1e-7)
    assert cagr_req == pytest.approx(-0.0451584, abs=1e-7)
    assert a.base is not None and a.base.year == 2015 and a.base.value == Decimal("14.5")
    assert a.current is not None and a.current.year == 2023
    assert a.growth_observed == approx(cagr_obs)
    assert a.growth_required == approx(cagr_req)
    assert a.progress_ratio == approx(1 * -1 * cagr_obs / abs(cagr_req))
    assert a.progress_ratio == pytest.approx(0.95259, abs=1e-5)
    assert a.status is Status.on_track
    assert a.progress == approx((10.2 - 14.5) / (7.25 - 14.5))
    assert a.growth_needed == approx((7.25 / 10.2) ** (1 / 7) - 1)
    assert a.projected == approx(10.2 * (1 + cagr_obs) ** 7)
    span = (date(2030, 12, 31) - date(2015, 12, 31)).days
    assert a.time_elapsed == approx((AS_OF - date(2015, 12, 31)).days / span)


# --- one example per category ---------------------------------------------------------------


def r_increase(current: float) -> float:
    """R for base 50 (2020), current at 2023, target 100 by 2025."""
    return float(((current / 50) ** (1 / 3) - 1) / abs((100 / 50) ** (1 / 5) - 1))


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        (80, Status.on_track),
        (70, Status.acceleration_needed),
        (55, Status.limited_progress),
        (45, Status.deterioration),
    ],
)
def test_trend_categories_increase(current: int, expected: Status) -> None:
    a = assess(target(), [obs(2020, 50), obs(2023, current)], AS_OF)
    assert a.progress_ratio == approx(r_increase(current))
    assert a.status is expected


def test_hand_ratios_fall_in_the_intended_bands() -> None:
    # guard on the examples themselves: each lies well inside its band
    assert r_increase(80) == pytest.approx(1.1406, abs=1e-4)
    assert r_increase(70) == pytest.approx(0.7982, abs=1e-4)
    assert r_increase(55) == pytest.approx(0.2171, abs=1e-4)
    assert r_increase(45) == pytest.approx(-0.2321, abs=1e-4)


def test_deterioration_decrease() -> None:
    t = target(direction="decrease", target=20)
    a = assess(t, [obs(2020, 50), obs(2023, 60)], AS_OF)
    cagr_obs = (60 / 50) ** (1 / 3) - 1
    cagr_req = (20 / 50) ** (1 / 5) - 1
    assert a.progress_ratio == approx(1 * -1 * cagr_obs / abs(cagr_req))
    assert a.progress_ratio is not None and a.progress_ratio < 0
    assert a.status is Status.deterioration


def test_achieved_before_the_deadline_whatever_r() -> None:
    # base 120 already above the target, falling to 110: R < 0 but the target holds
    a = assess(target(), [obs(2020, 120), obs(2023, 110)], AS_OF)
    assert a.progress_ratio is not None and a.progress_ratio < 0
    assert a.status is Status.achieved
    # and with a fast rise
    a = assess(target(), [obs(2020, 50), obs(2023, 105)], AS_OF)
    assert a.status is Status.achieved


def test_achieved_decrease() -> None:
    t = target(direction="decrease", target=20)
    assert assess(t, [obs(2020, 50), obs(2023, 20)], AS_OF).status is Status.achieved


# 100 against 100 is unresolved: 100 as written stands for 99.5-100.5 (docs/method.md §12.6)
@pytest.mark.parametrize(("final", "expected"), [(101, Status.met), (90, Status.missed)])
def test_met_and_missed_when_the_deadline_period_is_observed(final: int, expected: Status) -> None:
    # the 2023 value of 95 is on track; the deadline value alone gives the verdict
    a = assess(target(), [obs(2020, 50), obs(2023, 95), obs(2025, final)], AFTER_DEADLINE)
    assert a.current is not None and a.current.year == 2025
    assert a.status is expected


def test_missed_even_when_the_trend_was_on_track() -> None:
    # 2024 already at 99 would be on track; the 2025 value of 60 settles it
    a = assess(target(), [obs(2020, 50), obs(2024, 99), obs(2025, 60)], AFTER_DEADLINE)
    assert a.status is Status.missed


def test_met_decrease() -> None:
    t = target(direction="decrease", target=20)
    a = assess(t, [obs(2020, 50), obs(2025, 19)], AFTER_DEADLINE)
    assert a.status is Status.met


def test_deadline_passed_without_its_value_is_unresolved_with_the_trend_beside() -> None:
    a = assess(target(), [obs(2020, 50), obs(2023, 80)], AFTER_DEADLINE)
    assert a.status is Status.unresolved
    assert a.trend_status is Status.on_track and a.trend_to == 2023
    assert a.has_note("no-final-figure") and not a.has_note("deadline-passed")


def test_one_usable_value_is_pending_then_no_data() -> None:
    # without start the first value is the base: nothing after it yet, and the period runs on
    a = assess(target(start=None), [obs(2023, 80)], AS_OF)
    assert a.status is Status.pending and a.confidence is None
    assert not a.has_note("too-few-values")
    # past the deadline with nothing to assess: no_data (no final figure), never not_assessable
    a = assess(target(start=None), [obs(2023, 80)], AFTER_DEADLINE)
    assert a.status is Status.no_data and a.confidence is None
    assert a.progress_ratio is None and a.growth_observed is None
    assert a.has_note("too-few-values")


def test_not_assessable_without_deadline_but_progress_shown() -> None:
    a = assess(target(deadline=None, start=None), [obs(2020, 50), obs(2023, 80)], AS_OF)
    assert a.status is Status.not_assessable
    assert a.progress == approx((80 - 50) / (100 - 50))
    assert a.progress_ratio is None and a.time_elapsed is None
    assert a.has_note("no-deadline")


def test_no_deadline_but_target_reached_is_achieved() -> None:
    a = assess(target(deadline=None, start=None), [obs(2020, 50), obs(2023, 100)], AS_OF)
    assert a.status is Status.achieved


def test_no_data() -> None:
    assert assess(target(), [], AS_OF).status is Status.pending  # the period runs on
    a = assess(target(), [], AFTER_DEADLINE)
    assert a.status is Status.no_data
    assert a.base is None and a.current is None and a.progress is None


def test_no_data_when_only_another_scope_is_observed() -> None:
    observations = [obs(2020, 50, scope="Province"), obs(2023, 80, scope="Province")]
    a = assess(target(), observations, AFTER_DEADLINE)
    assert a.status is Status.no_data
    assert len(a.context) == 2


def test_observations_of_other_targets_are_ignored() -> None:
    other = parse_observation({"target": "other", "period": 2023, "value": 1, "source": SRC})
    a = assess(target(), [obs(2020, 50), obs(2023, 80), other], AS_OF)
    assert a.current is not None and a.current.value == 80
    assert other not in a.observations()


def test_base_beyond_the_target_falling_back_is_deterioration() -> None:
    # increase target 70; the base 80 is already above it; the current 65 has fallen below
    t = target(target=70)
    a = assess(t, [obs(2020, 80), obs(2023, 65)], AS_OF)
    cagr_obs = (65 / 80) ** (1 / 3) - 1
    cagr_req = (70 / 80) ** (1 / 5) - 1
    assert a.growth_required == approx(cagr_req) and cagr_req < 0
    assert a.progress_ratio == approx(1 * 1 * cagr_obs / abs(cagr_req))
    assert a.progress_ratio is not None and a.progress_ratio < 0
    assert a.status is Status.deterioration


# --- the pure functions -------------------------------------------------------------------


def test_cagr() -> None:
    assert cagr(100, 121, 2) == approx(0.1)
    assert cagr(14.5, 10.2, 8) == approx((10.2 / 14.5) ** (1 / 8) - 1)
    assert cagr(100, 100, 5) == 0
    assert cagr(100, 121, 0) is None
    assert cagr(0, 121, 2) is None
    assert cagr(100, 0, 2) is None
    assert cagr(100, -5, 2) is None
    assert cagr(-100, -50, 1) == approx(-0.5)


def test_progress_ratio_signs() -> None:
    assert progress_ratio(10, 0.05, 0.10, 1) == approx(0.5)
    assert progress_ratio(10, -0.05, -0.10, -1) == approx(0.5)
    assert progress_ratio(10, 0.05, -0.10, -1) == approx(-0.5)
    assert progress_ratio(-10, 0.05, 0.10, 1) == approx(-0.5)
    assert progress_ratio(10, 0.05, 0.0, 1) is None


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        (3.0, Status.on_track),
        (0.95, Status.on_track),
        (0.9499999, Status.acceleration_needed),
        (0.60, Status.acceleration_needed),
        (0.5999999, Status.limited_progress),
        (0.0, Status.limited_progress),
        (-1e-9, Status.deterioration),
        (-2.0, Status.deterioration),
    ],
)
def test_category_thresholds(ratio: float, expected: Status) -> None:
    assert category(ratio) is expected


# --- series: derived values, proxies, partial periods, selection ------------------------------


def test_growth_only_observation_next_to_a_level_gives_a_derived_value() -> None:
    a = assess(target(), [obs(2020, 50), obs(2023, 80), obs(2024, change="+10%")], date(2025, 6, 1))
    assert a.current is not None
    assert a.current.derived and a.current.year == 2024
    assert a.current.value == Decimal("88")
    assert [(p.year, p.derived) for p in a.series] == [(2020, False), (2023, False), (2024, True)]
    assert [n.get("years") for n in a.notes if n.code == "derived"] == [(2024,)]
    assert a.growth_observed == approx((88 / 50) ** (1 / 4) - 1)


def test_value_with_its_change_derives_the_previous_year() -> None:
    # 2021 = 121 / (1 + 10%) = 110, used as the base of a target starting 2022
    t = target(start=2022)
    a = assess(t, [obs(2022, 121, change="+10%")], AS_OF)
    assert a.base is not None and a.base.derived
    assert (a.base.year, a.base.value) == (2021, Decimal("110"))


def test_derived_value_never_replaces_a_direct_one() -> None:
    observations = [obs(2022, 100), obs(2023, 115), obs(2023, change="+10%")]
    series = build_series(target(), observations)
    assert [(p.year, p.value, p.derived) for p in series] == [
        (2022, Decimal("100"), False),
        (2023, Decimal("115"), False),
    ]
    # backwards too: a value with its change does not overwrite the direct previous value
    series = build_series(target(), [obs(2022, 105), obs(2023, 121, change="+10%")])
    assert [(p.year, p.value, p.derived) for p in series] == [
        (2022, Decimal("105"), False),
        (2023, Decimal("121"), False),
    ]


def test_derivation_is_one_step_from_direct_values() -> None:
    series = build_series(
        target(), [obs(2020, 100), obs(2021, change="+10%"), obs(2022, change="+10%")]
    )
    assert [(p.year, p.derived) for p in series] == [(2020, False), (2021, True)]


BASE_CASE = [obs(2020, 50), obs(2023, 70)]
NOISE = [
    obs(2023, 1000, scope="Province"),
    obs(2024, 5, scope="Development zone"),
    obs(2024, 1000, change="+500%", scope="Province"),
    obs("2024-H1", 1000),
    obs("2024-01/2024-05", 2, change="-90%"),
]


def test_proxies_and_partial_periods_never_change_the_category() -> None:
    as_of = date(2025, 3, 1)  # the 2024 proxies are visible, and newer than the current value
    plain = assess(target(), BASE_CASE, as_of)
    noisy = assess(target(), BASE_CASE + NOISE, as_of)
    assert plain.status is Status.acceleration_needed
    assert noisy.status is plain.status
    assert noisy.progress_ratio == plain.progress_ratio
    assert noisy.current == plain.current and noisy.base == plain.base
    assert noisy.series == plain.series
    assert len(noisy.context) == 3 and len(noisy.observations(Role.partial)) == 2
    assert noisy.has_note("other-scope")
    assert noisy.has_note("partial-period")


def test_a_single_partial_year_is_not_enough() -> None:
    a = assess(target(start=None), [obs("2024-H1", 60), obs("2023-Q4", 50)], AFTER_DEADLINE)
    assert a.status is Status.no_data  # past the deadline: no final figure
    assert a.current is None


def test_final_supersedes_preliminary() -> None:
    prelim = obs(2023, 80, estimate="preliminary", source=source("2024-03-01"))
    final = obs(2023, 70, source=source("2024-02-01"))
    assert select([prelim, final]) is final
    assert select([final, prelim]) is final
    for order in ([prelim, final], [final, prelim]):
        a = assess(target(), [obs(2020, 50), *order], AS_OF)
        assert a.current is not None and a.current.value == 70
        assert a.status is Status.acceleration_needed


def test_preliminary_supersedes_expected() -> None:
    expected = obs(2023, 90, estimate="expected", source=source("2024-04-01"))
    prelim = obs(2023, 80, estimate="preliminary", source=source("2024-01-01"))
    assert select([expected, prelim]) is prelim


def test_equal_standing_most_recently_published_wins() -> None:
    older = obs(2023, 70, source=source("2024-01-15"))
    newer = obs(2023, 80, source=source("2024-03-01"))
    undated = obs(2023, 60, source={"title": "t"})
    assert select([older, newer]) is newer
    assert select([newer, older]) is newer
    assert select([undated, older]) is older
    a = assess(target(), [obs(2020, 50), newer, older], AS_OF)
    assert a.current is not None and a.current.value == 80


# --- --as-of ---------------------------------------------------------------------------------


def test_as_of_hides_periods_not_ended_and_later_publications() -> None:
    observations = [
        obs(2020, 50, source=source("2021-02-01")),
        obs(2022, 60, source=source("2023-02-01")),
        obs(2023, 80, source=source("2024-03-01")),
        obs(2024, 90, source=source("2024-12-01")),  # "expected" figure published early
    ]
    before = assess(target(), observations, date(2024, 2, 1))
    assert before.current is not None and before.current.year == 2022
    assert [n.values for n in before.notes if n.code == "hidden-after-as-of"] == [
        (("count", 2), ("as_of", date(2024, 2, 1)))
    ]
    middle = assess(target(), observations, date(2024, 12, 1))
    assert middle.current is not None and middle.current.year == 2023
    after = assess(target(), observations, date(2025, 1, 1))
    assert after.current is not None and after.current.year == 2024
    assert visible(observations, date(2024, 2, 1)) == observations[:2]
    assert visible(observations, date(2024, 12, 30)) == observations[:3]
    assert visible(observations, date(2024, 12, 31)) == observations


def test_as_of_publication_given_as_year_or_month_counts_from_its_last_day() -> None:
    o = obs(2023, 80, source=source("2024-03"))
    assert visible([o], date(2024, 3, 30)) == []
    assert visible([o], date(2024, 3, 31)) == [o]
    o = obs(2023, 80, source=source("2024"))
    assert visible([o], date(2024, 12, 30)) == []


# --- zero, bounds -------------------------------------------------------------------------


def test_zero_base_is_replaced_by_a_thousandth_with_a_note() -> None:
    a = assess(target(), [obs(2020, 0), obs(2023, 10)], AS_OF)
    cagr_obs = (10 / 0.001) ** (1 / 3) - 1
    cagr_req = (100 / 0.001) ** (1 / 5) - 1
    assert a.growth_observed == approx(cagr_obs)
    assert a.growth_required == approx(cagr_req)
    assert a.progress_ratio == approx(cagr_obs / abs(cagr_req))
    assert a.status is Status.on_track
    assert a.progress == approx((10 - 0) / (100 - 0))
    assert [n.get("what") for n in a.notes if n.code == "zero-replaced"] == ["base"]


def test_zero_current_is_replaced_by_a_thousandth_with_a_note() -> None:
    a = assess(target(), [obs(2020, 50), obs(2023, 0)], AS_OF)
    assert a.growth_observed == approx((0.001 / 50) ** (1 / 3) - 1)
    assert a.status is Status.deterioration
    assert [n.get("what") for n in a.notes if n.code == "zero-replaced"] == ["current"]


def test_at_least_value_reaching_the_target_is_achieved() -> None:
    a = assess(target(), [obs(2020, 50), obs(2023, "over 100")], AS_OF)
    assert a.current is not None and a.current.bound is Bound.at_least
    assert a.status is Status.achieved


def test_at_least_value_below_the_target_at_the_deadline() -> None:
    # "over 95" in 2025 against 100 stands for 95-104.5: both sides of the target, unresolved;
    # "over 90" stands for 90-99: missed on every reading (docs/method.md §12.6)
    a = assess(target(), [obs(2020, 50), obs(2025, "over 95")], AFTER_DEADLINE)
    assert a.status is Status.unresolved and a.has_note("unresolved")
    assert {r.status for r in a.readings} == {Status.met, Status.missed}
    b = assess(target(), [obs(2020, 50), obs(2025, "over 90")], AFTER_DEADLINE)
    assert b.status is Status.missed


def test_at_least_value_at_or_above_the_target_at_the_deadline_is_met() -> None:
    a = assess(target(), [obs(2020, 50), obs(2025, 100, bound="at_least")], AFTER_DEADLINE)
    assert a.status is Status.met


# --- growth targets -------------------------------------------------------------------------


def growth_target(**fields: Any) -> Target:
    return target(kind="growth", target="5.5%", deadline=2025, start=2025, **fields)


@pytest.mark.parametrize(
    ("change", "expected"),
    # "+5%" stands for 4.5-5.5%: both sides of 5.5%, unresolved; "+5.5%" is written to the
    # target's own precision and equals it: met (method §12.9)
    [
        ("+6%", Status.met),
        ("+5.7%", Status.met),
        ("+5.5%", Status.met),
        ("+5%", Status.unresolved),
        ("+4.9%", Status.missed),
        ("-1%", Status.missed),
    ],
)
def test_growth_full_year(change: str, expected: Status) -> None:
    a = assess(growth_target(), [obs(2025, change=change)], AFTER_DEADLINE)
    assert a.status is expected
    assert a.growth_required == approx(0.055)


@pytest.mark.parametrize(
    ("change", "expected"), [("+6%", Status.on_track), ("+5%", Status.acceleration_needed)]
)
def test_growth_year_to_date(change: str, expected: Status) -> None:
    a = assess(growth_target(), [obs("2025-01/2025-06", change=change)], date(2025, 9, 30))
    assert a.status is expected
    assert [(g.period.text, g.met, g.partial) for g in a.growth_years] == [
        ("2025-01/2025-06", None, True)
    ]
    assert a.has_note("year-to-date")


def test_growth_latest_year_to_date_change_decides() -> None:
    observations = [obs("2025-Q1", change="+7%"), obs("2025-01/2025-06", change="+5%")]
    a = assess(growth_target(), observations, date(2025, 9, 30))
    assert a.status is Status.acceleration_needed


def test_growth_years_before_start_are_context() -> None:
    observations = [obs(2023, change="+9%"), obs(2024, change="+1%"), obs(2025, change="+6%")]
    a = assess(growth_target(), observations, AFTER_DEADLINE)
    assert [(g.period.text, g.met) for g in a.growth_years] == [
        ("2023", None),
        ("2024", None),
        ("2025", True),
    ]
    assert a.status is Status.met
    # a year before start alone judges nothing
    only_context = assess(growth_target(), [obs(2024, change="+9%")], AFTER_DEADLINE)
    assert only_context.status is Status.no_data


def test_growth_multi_year_plan_judges_each_year() -> None:
    t = target(kind="growth", target="5%", deadline=2025, start=2021)
    observations = [obs(2021, change="+6%"), obs(2022, change="+4%"), obs(2023, change="+5%")]
    a = assess(t, observations, AS_OF)
    assert [g.met for g in a.growth_years] == [True, False, True]
    assert a.status is Status.on_track  # the latest full year met the target


def test_growth_decrease_target() -> None:
    t = target(kind="growth", target="-3%", direction="decrease", deadline=2025, start=2025)
    assert assess(t, [obs(2025, change="-4%")], AFTER_DEADLINE).status is Status.met
    assert assess(t, [obs(2025, change="-2%")], AFTER_DEADLINE).status is Status.missed


# --- linear method ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "expected"),
    [(85, Status.on_track), (80, Status.on_track), (70, Status.acceleration_needed)],
)
def test_linear_method(current: int, expected: Status) -> None:
    a = assess(target(), [obs(2020, 50), obs(2023, current)], AS_OF, method="linear")
    expected_now = 50 + (100 - 50) * (2023 - 2020) / (2025 - 2020)
    assert expected_now == 80
    assert a.expected_now == approx(expected_now)
    assert a.ahead_by == approx(+1 * (current - expected_now))
    assert a.status is expected
    if expected is not Status.on_track:
        assert a.progress_ratio == approx((current - 50) / (expected_now - 50))


def test_linear_method_below_the_line_uses_the_thresholds() -> None:
    a = assess(target(), [obs(2020, 50), obs(2023, 60)], AS_OF, method="linear")
    assert a.progress_ratio == approx((60 - 50) / (80 - 50))
    assert a.status is Status.limited_progress
    a = assess(target(), [obs(2020, 50), obs(2023, 45)], AS_OF, method="linear")
    assert a.status is Status.deterioration


def test_linear_method_decrease() -> None:
    t = target(direction="decrease", target=7.25, deadline=2030, start=2016)
    a = assess(t, [obs(2015, 14.5), obs(2023, 10.2)], AS_OF, method="linear")
    expected_now = 14.5 + (7.25 - 14.5) * (2023 - 2015) / (2030 - 2015)
    assert a.expected_now == approx(expected_now)
    assert a.ahead_by == approx(-1 * (10.2 - expected_now))
    assert a.ahead_by is not None and a.ahead_by > 0
    assert a.status is Status.on_track


# --- the side numbers, by hand ------------------------------------------------------------


def test_progress_time_elapsed_growth_needed_projected() -> None:
    a = assess(target(), [obs(2020, 50), obs(2023, 80)], AS_OF)
    cagr_obs = (80 / 50) ** (1 / 3) - 1
    assert a.progress == approx((80 - 50) / (100 - 50))
    # from the end of 2020 to the end of 2025, as of 2024-06-30
    span = (date(2025, 12, 31) - date(2020, 12, 31)).days
    assert span == 1826
    assert a.time_elapsed == approx((date(2024, 6, 30) - date(2020, 12, 31)).days / span)
    assert a.growth_needed == approx((100 / 80) ** (1 / 2) - 1)
    assert a.projected == approx(80 * (1 + cagr_obs) ** 2)
    late = assess(target(), [obs(2020, 50), obs(2023, 80)], AFTER_DEADLINE)
    assert late.time_elapsed == 1.0


def test_a_value_before_the_base_is_no_progress() -> None:
    # a start year after every value: no base, and no figure of its own yet: pending, with no
    # progress (a value before the plan divided by the target is not progress from a base)
    a = assess(target(start=2030, deadline=2035), [obs(2023, 40)], AS_OF)
    assert a.base is None and a.current is not None and a.current.year == 2023
    assert a.progress is None
    assert a.status is Status.pending
    assert not a.has_note("current-before-base")


def test_overdue_note_and_caveat() -> None:
    # the 2023 figure was due from the report about 2024-01-15: overdue after 30 days' grace
    report = Release("report", "work report", Cadence.annual, 15, kinds=(Kind.annual,))
    observations = [obs(2019, 40), obs(2020, 50), obs(2021, 55), obs(2022, 60)]
    a = assess(target(), observations, date(2024, 6, 30), releases=[report])
    assert [n.values for n in a.notes if n.code == "overdue"] == [
        (("year", 2023), ("release", "report"), ("expected", date(2024, 1, 15)))
    ]
    assert a.has_caveat("overdue")
    a = assess(target(), [*observations, obs(2023, 80)], date(2024, 6, 30), releases=[report])
    assert not a.has_note("overdue") and not a.has_caveat("overdue")
    assert a.next_figure is not None and a.next_figure.year == 2024
    a = assess(target(), observations, date(2024, 6, 30))  # no release: nothing is due
    assert not a.has_note("overdue") and a.next_figure is None


# --- --fail-on, overrides, assess_all ---------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "threshold", "expected"),
    [
        (Status.deterioration, Status.deterioration, True),
        (Status.missed, Status.deterioration, True),
        (Status.limited_progress, Status.deterioration, False),
        (Status.on_track, Status.deterioration, False),
        (Status.achieved, Status.deterioration, False),
        (Status.acceleration_needed, Status.acceleration_needed, True),
        (Status.limited_progress, Status.acceleration_needed, True),
        (Status.on_track, Status.acceleration_needed, False),
        (Status.met, Status.on_track, False),
        (Status.on_track, Status.on_track, True),
        (Status.achieved, Status.achieved, True),
        (Status.missed, Status.achieved, True),
        (Status.no_data, Status.deterioration, False),
        (Status.not_assessable, Status.deterioration, False),
        (Status.no_data, Status.no_data, True),
        (Status.not_assessable, Status.not_assessable, True),
        (Status.deterioration, Status.not_assessable, False),
    ],
)
def test_fails_ordering(status: Status, threshold: Status, expected: bool) -> None:
    assert fails(status, threshold) is expected


def test_status_override() -> None:
    t = target(status_override={"status": "on_track", "reason": "new plant opened in 2024"})
    a = assess(t, [obs(2020, 50), obs(2023, 45)], AS_OF)
    assert a.status is Status.on_track
    assert a.computed_status is Status.deterioration
    assert a.override is not None and a.override.reason == "new plant opened in 2024"
    assert [n.get("reason") for n in a.notes if n.code == "set-by-hand"] == [
        "new plant opened in 2024"
    ]
    assert a.progress_ratio is not None and a.progress_ratio < 0


def test_assess_all_keeps_order_and_groups_by_target() -> None:
    t1, t2, t3 = target(id="a"), target(id="b"), target(id="c")
    observations = [
        parse_observation({"target": tid, "period": p, "value": v, "source": SRC})
        for tid, p, v in [("b", 2020, 50), ("a", 2020, 50), ("b", 2023, 45), ("a", 2023, 80)]
    ]
    results = assess_all([t1, t2, t3], observations, AS_OF, "growth-ratio")
    assert [(r.target.id, r.status) for r in results] == [
        ("a", Status.on_track),
        ("b", Status.deterioration),
        ("c", Status.pending),
    ]


def test_zero_target_is_replaced_by_a_thousandth_with_a_note() -> None:
    # "zero by 2025": halving in three years is far from the pace needed to reach (almost) nothing
    t = target(direction="decrease", target=0)
    a = assess(t, [obs(2020, 100), obs(2023, 50)], AS_OF)
    cagr_obs = (50 / 100) ** (1 / 3) - 1
    cagr_req = (0.001 / 100) ** (1 / 5) - 1
    assert a.growth_required == approx(cagr_req)
    assert a.progress_ratio == approx(1 * -1 * cagr_obs / abs(cagr_req))
    assert a.growth_needed == approx((0.001 / 50) ** (1 / 2) - 1)
    assert a.status is Status.limited_progress
    assert "target" in [n.get("what") for n in a.notes if n.code == "zero-replaced"]


def test_growth_full_year_outranks_a_partial_period_ending_with_it() -> None:
    # 2025 met the target; a Q4 change (same end date) must not turn it into a partial verdict
    t = target(kind="growth", target="5.5%", deadline=2026, start=2025)
    a = assess(t, [obs(2025, change="+6%"), obs("2025-Q4", change="+3%")], date(2026, 3, 1))
    assert a.current is not None and a.current.period.text == "2025"
    assert a.status is Status.on_track
    a = assess(t, [obs(2025, change="+5%"), obs("2025-07/2025-12", change="+8%")], date(2026, 3, 1))
    assert a.status is Status.acceleration_needed


def test_explosive_growth_does_not_crash_the_projection() -> None:
    # from 1 to a trillion in one year, 29 years before the deadline: 1e12 * 1e12 ** 29 overflows
    t = target(target=2e12, deadline=2050)
    a = assess(t, [obs(2020, 1), obs(2021, 1e12)], AS_OF)
    assert a.growth_observed == approx((1e12 / 1) ** (1 / 1) - 1)
    assert a.projected is None
    assert a.status is Status.on_track
    assert a.has_note("projection-too-large")


def test_a_year_before_the_target_years_achieves_nothing() -> None:
    """A 2026 yearly count (start 2026) with 2025 above its goal: that is the base, not a
    count of 2026 — pending during 2026, not achieved; a level target reached within its years
    is achieved as before."""
    t = target(kind="annual", deadline=2026, start=2026)
    a = assess(t, [obs(2025, 120)], date(2026, 6, 30))
    assert a.status is Status.pending
    a = assess(t, [obs(2025, 120)], date(2027, 6, 30))
    assert a.status is Status.no_data
    a = assess(target(), [obs(2020, 50), obs(2023, 120)], AS_OF)
    assert a.status is Status.achieved
