"""Targets as plans state them (docs/method.md §13): shares and percentage points, average
growth, targets relative to a benchmark, ranges and approximate targets, cumulative totals.
Every expected number is computed by hand from the literal inputs."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import SRC, approx
from conftest import make_obs as obs
from conftest import make_target as target
from typer.testing import CliRunner

from cctrack.assess import assess, assess_all
from cctrack.cli import app
from cctrack.domain import Status

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "CCTRACK_DATA": None})


# --- shares and percentage points ----------------------------------------------------------------


def test_a_share_is_assessed_like_any_level() -> None:
    t = target(unit="percent", target="60%", kind="level")
    a = assess(t, [obs(2020, "50.0%"), obs(2023, "56.0%")], date(2024, 6, 30))
    obs_rate = (0.56 / 0.50) ** (1 / 3) - 1
    req_rate = (0.60 / 0.50) ** (1 / 5) - 1
    assert a.growth_observed == approx(obs_rate)
    assert a.growth_required == approx(req_rate)
    assert a.progress_ratio == approx(obs_rate / req_rate)
    assert a.status is Status.on_track  # R = 1.1355
    assert a.progress == approx((0.56 - 0.50) / (0.60 - 0.50))


def test_percentage_points_are_added_percent_is_multiplied() -> None:
    t = target(unit="percent", target="60%", kind="level", start=2024)
    points = assess(t, [obs(2023, "58.0%"), obs(2024, change="+1.2pp")], date(2025, 6, 30))
    assert [(p.year, p.value) for p in points.series] == [
        (2023, Decimal("0.58")),
        (2024, Decimal("0.592")),
    ]
    percent = assess(t, [obs(2023, "58.0%"), obs(2024, change="+1.2%")], date(2025, 6, 30))
    assert percent.series[1].value == Decimal("0.58696")


def test_points_show_as_points(tmp_path: Path) -> None:
    d = write(
        tmp_path,
        [
            {
                "id": "urban",
                "name": "Urbanisation rate",
                "scope": "City",
                "unit": "percent",
                "kind": "level",
                "target": "62%",
                "deadline": 2025,
                "start": 2024,
                "source": SRC,
            }
        ],
        [
            {"target": "urban", "period": 2023, "value": "58.0%", "source": SRC},
            {"target": "urban", "period": 2024, "change": "+1.2pp", "source": SRC},
        ],
    )
    show = runner.invoke(app, ["show", "urban", "--data", str(d), "--as-of", "2025-06-30"]).stdout
    assert "+1.20 pp" in show and "59.2%" in show and "2023 value 58.00% + 1.20 pp" in show
    status = runner.invoke(app, ["status", "--data", str(d), "--as-of", "2025-06-30"]).stdout
    assert "62.0%" in status and "percent" not in status


# --- average annual growth -----------------------------------------------------------------------


def test_average_growth_from_levels() -> None:
    t = target(kind="growth", target="10%", average=True)
    a = assess(t, [obs(2020, 100), obs(2023, 135)], date(2024, 6, 30))
    rate = 1.35 ** (1 / 3) - 1
    assert a.growth_observed == approx(rate)
    assert a.progress_ratio == approx(rate / 0.10)
    assert a.status is Status.on_track  # 10.53% a year meets 10%
    done = assess(t, [obs(2020, 100), obs(2023, 135), obs(2025, 155)], date(2026, 6, 30))
    assert done.growth_observed == approx(1.55 ** (1 / 5) - 1)  # 9.17%
    assert done.status is Status.missed
    # 160 would give 9.86%: 100 and 160 as written (± 0.5) reach 10.03%, unresolved (§12.6)
    near = assess(t, [obs(2020, 100), obs(2023, 135), obs(2025, 160)], date(2026, 6, 30))
    assert near.status is Status.unresolved


def test_average_growth_chained_from_yearly_changes() -> None:
    t = target(kind="growth", target="10%", average=True)
    a = assess(t, [obs(2021, change="+8%"), obs(2022, change="+12%")], date(2024, 6, 30))
    rate = (1.08 * 1.12) ** (1 / 2) - 1
    assert a.growth_observed == approx(rate)  # 9.98%: just short
    assert a.progress_ratio == approx(rate / 0.10)
    assert a.status is Status.acceleration_needed
    assert a.has_note("average-from-changes")


# --- relative targets ----------------------------------------------------------------------------


def relative(**fields: Any) -> Any:
    return target(
        kind="growth",
        target="0%",
        start=2024,
        deadline=2025,
        benchmark={"scope": "China", "relation": "above"},
        **fields,
    )


def test_a_relative_target_with_the_benchmark_missing_for_one_year() -> None:
    o = [
        obs(2024, change="+5.2%"),
        obs(2024, change="+5.0%", scope="China"),
        obs(2025, change="+5.1%"),
    ]
    a = assess(relative(), o, date(2026, 6, 30))
    assert [(g.period.text, g.change, g.benchmark, g.met) for g in a.growth_years] == [
        ("2024", Decimal("0.052"), Decimal("0.05"), True),
        ("2025", Decimal("0.051"), None, None),
    ]
    # the latest comparable year, 2024, is above; past the deadline that trend is not a verdict
    assert a.status is Status.unresolved and a.trend_status is Status.on_track
    assert a.growth_observed == approx(0.052) and a.growth_required == approx(0.05)
    assert a.has_note("no-final-figure")
    both = assess(relative(), [*o, obs(2025, change="+5.3%", scope="China")], date(2026, 6, 30))
    assert both.status is Status.missed  # 5.1% is not above 5.3% in the deadline year


def test_a_relative_target_without_any_benchmark_figure_is_no_data() -> None:
    a = assess(relative(), [obs(2024, change="+5.2%")], date(2025, 6, 30))
    assert a.status is Status.no_data
    assert [n.values for n in a.notes if n.code == "benchmark-missing"] == [
        (("benchmark", "China"),)
    ]


def test_a_benchmark_target_and_no_lower_than() -> None:
    mine = target(
        id="city",
        kind="growth",
        target="0%",
        start=2024,
        deadline=2025,
        benchmark={"target": "prov", "relation": "at_least"},
    )
    prov = target(
        id="prov", kind="growth", target="5%", start=2024, deadline=2025, scope="Province"
    )
    o = [obs(2025, change="+5.0%", tid="city"), obs(2025, change="+5.0%", tid="prov")]
    city = assess_all([mine, prov], o, date(2026, 6, 30), "growth-ratio")[0]
    # equal is "no lower than" as recorded; but each "5.0%" stands for 4.95-5.05% (§12.2), and
    # either figure moved within its reading puts the city below: unresolved (§12.7)
    assert city.readings[0].status is Status.met
    assert city.status is Status.unresolved
    o = [obs(2025, change="+5.2%", tid="city"), obs(2025, change="+5.1%", tid="prov")]
    city = assess_all([mine, prov], o, date(2026, 6, 30), "growth-ratio")[0]
    assert city.status is Status.met  # 5.15% at the lowest, against 5.15% at the highest


# --- ranges and approximate targets --------------------------------------------------------------


def test_a_range_is_met_at_its_lower_end() -> None:
    t = target(kind="growth", target="4.5%-5%", start=2025)
    assert t.target.value == Decimal("0.045") and t.range_high == Decimal("0.05")
    assert assess(t, [obs(2025, change="+4.6%")], date(2026, 6, 30)).status is Status.met
    assert assess(t, [obs(2025, change="+4.4%")], date(2026, 6, 30)).status is Status.missed


def test_an_about_target_missed_by_a_tenth_of_a_point_is_near_threshold() -> None:
    t = target(kind="growth", target="about 5%", start=2025)
    a = assess(t, [obs(2025, change="+4.9%")], date(2026, 6, 30))
    assert a.status is Status.unresolved  # "about 5%" widens the readings: 4.9% may meet it
    near = next(c for c in a.caveats if c.code == "near-threshold")
    assert dict(near.values)["margin"] == Decimal("0.001")


# --- cumulative totals ---------------------------------------------------------------------------


def test_a_cumulative_target_in_progress_and_met() -> None:
    t = target(target=2500, cumulative=True)
    a = assess(t, [obs(2021, 400), obs(2022, 500), obs(2023, 600)], date(2024, 6, 30))
    assert (
        a.current is not None and a.current.value == 1500 and a.current.period.text == "2021/2023"
    )
    assert a.expected_now == approx(2500 * 3 / 5)
    assert a.progress_ratio == approx(1500 / 1500)
    assert a.progress == approx(1500 / 2500)
    assert a.status is Status.on_track
    behind = assess(t, [obs(2021, 300), obs(2022, 300), obs(2023, 300)], date(2024, 6, 30))
    assert behind.progress_ratio == approx(900 / 1500)  # 0.6: acceleration needed
    assert behind.status is Status.acceleration_needed
    total = assess(t, [obs("2021/2025", 2600)], date(2026, 6, 30))
    assert total.status is Status.met


def test_the_why_of_a_cumulative_target_in_both_languages() -> None:
    """In progress: against the straight path to the goal by its deadline; met: it meets the
    target, in English as in Chinese (not "against a target of")."""
    from cctrack.render.catalogue import words
    from cctrack.render.words import why_text

    t = target(target=2500, cumulative=True)
    going = assess(t, [obs(2021, 400), obs(2022, 500), obs(2023, 600)], date(2024, 6, 30))
    total = assess(t, [obs("2021/2025", 2600)], date(2026, 6, 30))
    en, zh = words("en"), words("zh")
    assert why_text(going, en).endswith(
        "on the straight path to 2,500 yuan in total 2021-2025 by 2025."
    )
    assert "目标为2025年达到2500元（2021-2025年累计）" in why_text(going, zh)
    assert (
        why_text(total, en)
        == "2,600 yuan in 2021/2025 meets the target of 2,500 yuan in total 2021-2025."
    )
    assert why_text(total, zh) == "2021-2025年为2600元，达到目标2500元（2021-2025年累计）。"


# --- validation of the new fields ----------------------------------------------------------------


def write(
    tmp_path: Path, targets: list[dict[str, Any]], observations: list[dict[str, Any]]
) -> Path:
    d = tmp_path / "data"
    d.mkdir(exist_ok=True)
    (d / "targets.yaml").write_text(
        yaml.safe_dump({"targets": targets}, allow_unicode=True), encoding="utf-8"
    )
    (d / "observations.yaml").write_text(
        yaml.safe_dump({"observations": observations}, allow_unicode=True), encoding="utf-8"
    )
    return d


BASE = {
    "id": "t",
    "name": "T",
    "scope": "City",
    "unit": "yuan",
    "target": 100,
    "deadline": 2025,
    "start": 2021,
    "source": SRC,
}


@pytest.mark.parametrize(
    ("change", "extra_obs", "code"),
    [
        ({"average": True}, {}, "invalid-field"),
        ({"cumulative": True, "kind": "level"}, {}, "invalid-field"),
        ({"benchmark": {"target": "nope"}}, {}, "unknown-target"),
        ({"benchmark": {"scope": "China", "target": "t"}}, {}, "invalid-field"),
        ({"kind": "growth", "target": "5%-4%"}, {}, "invalid-quantity"),
        ({}, {"change": "+1.2pp"}, "invalid-percent"),
        ({"unit": "percent", "target": 60}, {}, "percent-expected"),
    ],
)
def test_the_new_fields_are_checked(
    tmp_path: Path, change: dict[str, Any], extra_obs: dict[str, Any], code: str
) -> None:
    d = write(
        tmp_path,
        [{**BASE, **change}],
        [{"target": "t", "period": 2023, "value": 50, **extra_obs, "source": SRC}],
    )
    result = runner.invoke(
        app, ["validate", "--data", str(d), "--format", "json", "--as-of", "2024-06-30"]
    )
    assert result.exit_code == 1
    assert code in {p["code"] for p in json.loads(result.stdout) if p["severity"] == "error"}


def test_the_schema_knows_the_new_fields() -> None:
    schema = json.loads(runner.invoke(app, ["schema", "targets"]).stdout)
    fields = schema["$defs"]["Target"]["properties"]
    assert {"average", "benchmark", "cumulative"} <= set(fields)
    assert "relation" in schema["$defs"]["Benchmark"]["properties"]


def test_show_and_report_for_a_relative_target(tmp_path: Path) -> None:
    d = write(
        tmp_path,
        [
            {
                **BASE,
                "kind": "growth",
                "target": "0%",
                "start": 2024,
                "benchmark": {"scope": "China", "relation": "above"},
            }
        ],
        [
            {"target": "t", "period": 2024, "change": "+5.2%", "source": SRC},
            {"target": "t", "period": 2024, "change": "+5.0%", "scope": "China", "source": SRC},
        ],
    )
    args = ["--data", str(d), "--as-of", "2025-06-30"]
    show = runner.invoke(app, ["show", "t", *args]).stdout
    assert "+5.20% (full year) vs +5.00% China: met" in show
    assert "above China" in show
    out = tmp_path / "r.html"
    runner.invoke(app, ["report", "--html", str(out), *args])
    page = out.read_text(encoding="utf-8")
    assert 'class="benchmark"' in page and "benchmark: China" in page
