"""Mends from the review of the verdicts change: each test fails on the code before its mend."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from conftest import make_obs as obs
from conftest import make_target as target
from typer.testing import CliRunner

from cctrack.assess import assess
from cctrack.categories import failing
from cctrack.cli import app
from cctrack.domain import Cadence, Confidence, Kind, Release, Status

AFTER = date(2026, 6, 30)
BREAK: dict[str, Any] = {"break": True}  # a keyword of YAML, not of Python
runner = CliRunner(env={"NO_COLOR": "1", "CCTRACK_DATA": None, "COLUMNS": "200"})


def test_a_stated_change_does_not_read_its_own_value_back() -> None:
    """An "over 100" with -2.3% against 100: the year before is derived backwards from this very
    entry, so its change times it is the value again (not 99.999..., a false miss)."""
    t = target(target=100, start=2025, deadline=2025)
    a = assess(t, [obs(2025, "over 100", change="-2.3%")], date(2026, 3, 1))
    assert not any(r.code == "stated-change" for r in a.readings)
    assert a.status is Status.met and a.confidence is Confidence.high


def test_unresolved_without_readings_is_low() -> None:
    """A cumulative target past its deadline, 2021-2024 summed, no figure for 2025: unresolved,
    and unresolved is always low (method §12.3), readings or none."""
    t = target(target=500, kind="annual", cumulative=True, start=2021, deadline=2025)
    a = assess(t, [obs(y, 100) for y in (2021, 2022, 2023, 2024)], AFTER)
    assert a.status is Status.unresolved and a.trend_status is Status.on_track
    assert a.confidence is Confidence.low


def test_fail_on_catches_a_deterioration_past_its_deadline() -> None:
    """A trend past its deadline is ``unresolved`` (no figure for 2025), its last trend
    deterioration: ``--fail-on deterioration`` still fails on it; ``unresolved`` only when named."""
    t = target(target=200, start=2021, deadline=2025)
    a = assess(t, [obs(2020, 100), obs(2022, 90), obs(2023, 80)], AFTER)
    assert a.status is Status.unresolved and a.trend_status is Status.deterioration
    assert failing([a], "deterioration") == [t.id]
    assert failing([a], "limited_progress") == [t.id]
    assert failing([a], "unresolved") == [t.id]
    assert failing([a], "missed") == []


def test_a_break_after_the_deadline_drops_nothing() -> None:
    """A new basis from 2026 (deadline 2025) is after the deadline, context only: the 2020 and
    2023 levels stay the series, with no series-break note."""
    t = target(target=200, start=2021, deadline=2025)
    o = [obs(2020, 100), obs(2023, 150), obs(2026, 120, **BREAK)]
    a = assess(t, o, date(2027, 3, 1))
    assert a.break_year is None and not a.has_note("series-break")
    assert [p.year for p in a.series] == [2020, 2023]


def test_an_approximate_target_widens_the_readings_as_it_widens_the_near_threshold() -> None:
    """100.3 against "about 100" (99.5 to 100.5 as written): within the precision, as its
    near-threshold caveat says, so the readings disagree and the verdict is unresolved, low."""
    t = target(target="约100", start=2025, deadline=2025)
    a = assess(t, [obs(2025, "100.3")], date(2026, 3, 1))
    assert a.has_caveat("near-threshold")
    ends = {r.code: r for r in a.readings if r.code in ("low-end", "high-end")}
    assert ends["low-end"].value == Decimal("99.75") and ends["low-end"].status is Status.missed
    assert ends["high-end"].value == Decimal("100.85") and ends["high-end"].status is Status.met
    assert a.status is Status.unresolved and a.confidence is Confidence.low
    exact = assess(target(target=100, start=2025, deadline=2025), [obs(2025, "100.3")], AFTER)
    assert exact.status is Status.met and not exact.has_caveat("near-threshold")


def test_a_passed_deadline_without_a_figure_is_said_once() -> None:
    """No figure for 2025, the last from 2023: one note says so (no-final-figure); not also
    "final figure awaited", an overdue note or caveat (the 2025 figure, due from the report about
    2026-01-15), nor a caveat calling the category the trend."""
    t = target(target=200, start=2021, deadline=2025)
    report = Release("report", "work report", Cadence.annual, 15, kinds=(Kind.annual,))
    a = assess(t, [obs(2020, 100), obs(2023, 150)], date(2027, 3, 1), releases=[report])
    assert a.overdue is not None and a.overdue.year == 2025  # known, and said by the one note
    assert a.status is Status.unresolved and a.trend_status is not None
    assert [n.code for n in a.notes].count("no-final-figure") == 1
    assert not a.has_note("deadline-passed") and not a.has_note("overdue")
    assert not a.has_caveat("deadline-passed") and not a.has_caveat("overdue")


def test_a_year_to_date_reading_is_of_the_year_and_names_its_months() -> None:
    """The shipped tourist visits: the Jan-Sep change read as the year's gives a value of the
    year 2025 (not of 2025-01/2025-09), and the reading names the months it was read from."""
    out = runner.invoke(app, ["show", "tourist-visits", "--as-of", "2026-12-06"])
    assert out.exit_code == 0
    text = " ".join(out.output.split())
    assert "M visits (2025): the +28.0% year to date (2025-01/2025-09) of" in text
    assert "(2025-01/2025-09): the +28.0%" not in text


def test_an_average_reading_below_a_goal_of_zero_is_no_category() -> None:
    """An average growth of at least 0%: +1% and -0.9% average +0.045% (on track), but at the
    low end of the figures (+0.95%, -0.95%) the average is below 0. With a goal of 0 there is no
    R, so that reading gives no category: the verdict rule is the assessment's, not on track."""
    t = target(kind="growth", target="0%", average=True)
    a = assess(t, [obs(2021, change="+1%"), obs(2022, change="-0.9%")], date(2024, 6, 30))
    assert a.status is Status.on_track
    low = next(r for r in a.readings if r.code == "chained-low")
    assert low.value is not None and low.value < 0
    assert low.status is Status.not_assessable
