"""Releases, the next expected figure, overdue figures and ``pending`` (docs/method.md §17).

Worked examples computed by hand: the work report brings a year's figure 15 days after the year
(2026 → 2027-01-15), the statistical bulletin 120 days after (2026 → 2027-04-30), and a figure is
overdue 30 days after its date (from 2027-02-15 for the report's 2026 figure).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from cctrack.cli import app
from cctrack.domain import Cadence, Kind, Release
from cctrack.model import parse_target
from cctrack.releases import GRACE_DAYS, Expected, carriers, expected_date, schedule

REPORT = Release(
    "report", "work report", Cadence.annual, 15, "工作报告", (Kind.annual, Kind.growth)
)
BULLETIN = Release("bulletin", "bulletin", Cadence.annual, 120, "统计公报", (Kind.annual,))
QUARTERLY = Release("quarterly", "quarterly release", Cadence.quarterly, 20, None, (Kind.growth,))
RELEASES = [REPORT, BULLETIN, QUARTERLY]
SRC = {"title": "Plan", "url": "https://example.org/p", "published": "2025-01-10"}


def target(**fields: Any) -> Any:
    data = {"id": "t", "name": "T", "scope": "City", "unit": "yuan", "target": 100,
            "deadline": 2030, "start": 2026, "source": SRC, **fields}  # fmt: skip
    return parse_target(data)


# --- the core: carriers, expected dates, schedule --------------------------------------------


def test_expected_date_is_the_years_end_plus_the_delay() -> None:
    assert expected_date(REPORT, 2026) == date(2027, 1, 15)
    assert expected_date(BULLETIN, 2026) == date(2027, 4, 30)
    assert expected_date(QUARTERLY, 2026) == date(2027, 1, 20)  # the fourth quarter's release


def test_carriers_by_kind_unless_the_target_names_its_own() -> None:
    assert carriers(target(), RELEASES) == [REPORT, BULLETIN]  # kind annual
    growth = target(kind="growth", unit="percent", target="5%")
    assert carriers(growth, RELEASES) == [REPORT, QUARTERLY]
    assert carriers(target(releases=["quarterly"]), RELEASES) == [QUARTERLY]
    assert carriers(target(kind="level"), RELEASES) == []  # no release carries levels here
    assert carriers(target(releases=[]), RELEASES) == []  # none, said so: nothing is expected


def test_schedule_worked_examples() -> None:
    t = target()  # 2026-2030, carried by the report and the bulletin
    e = Expected
    # during its first year, no figure: the 2026 figure from the report, nothing overdue
    assert schedule(t, RELEASES, None, date(2026, 6, 1)) == (
        e(2026, REPORT, date(2027, 1, 15)), None)  # fmt: skip
    # the last day of the report's grace: still awaited, not overdue
    assert schedule(t, RELEASES, None, date(2027, 2, 14)) == (
        e(2026, REPORT, date(2027, 1, 15)), None)  # fmt: skip
    # a day later the report's 2026 figure is overdue; the bulletin's is next
    assert schedule(t, RELEASES, None, date(2027, 2, 15)) == (
        e(2026, BULLETIN, date(2027, 4, 30)), e(2026, REPORT, date(2027, 1, 15)))  # fmt: skip
    # with the 2026 figure in, the 2027 figure is next and nothing is overdue
    assert schedule(t, RELEASES, 2026, date(2027, 2, 15)) == (
        e(2027, REPORT, date(2028, 1, 15)), None)  # fmt: skip
    # the latest overdue year is named (2029), not the first missing one (2027)
    assert schedule(t, RELEASES, 2026, date(2030, 6, 1)) == (
        e(2030, REPORT, date(2031, 1, 15)), e(2029, REPORT, date(2030, 1, 15)))  # fmt: skip
    # past the deadline with its figure: nothing more is expected
    assert schedule(t, RELEASES, 2030, date(2031, 6, 1)) == (None, None)
    # past the deadline without it: the deadline's figure is overdue, none is next
    assert schedule(t, RELEASES, 2029, date(2031, 6, 1)) == (
        None, e(2030, REPORT, date(2031, 1, 15)))  # fmt: skip
    # no release carries it: nothing expected, nothing overdue
    assert schedule(t, [QUARTERLY], None, date(2031, 6, 1)) == (None, None)


def test_the_first_year_awaited() -> None:
    # a growth target without start judges its deadline year only: the 2025 figure is not awaited
    growth = target(kind="growth", unit="percent", target="5%", start=None, deadline=2026)
    nxt, late = schedule(growth, RELEASES, None, date(2026, 6, 1))
    assert late is None and nxt == Expected(2026, REPORT, date(2027, 1, 15))
    # a trend target without start needs a recent value: the year before as-of, when overdue
    trend = target(start=None, deadline=2030)
    nxt, late = schedule(trend, RELEASES, None, date(2026, 6, 1))
    assert late == Expected(2025, REPORT, date(2026, 1, 15))
    assert nxt == Expected(2026, REPORT, date(2027, 1, 15))


@given(
    start=st.integers(2015, 2030),
    span=st.integers(0, 10),
    latest=st.none() | st.integers(2010, 2040),
    days=st.integers(0, 365 * 25),
    delays=st.lists(st.integers(0, 400), min_size=1, max_size=3),
)
def test_schedule_rules_hold_over_dates(
    start: int, span: int, latest: int | None, days: int, delays: list[int]
) -> None:
    """The next figure is never overdue and lies within the target's years; an overdue one is
    past its grace; the next comes after the overdue one."""
    as_of = date(2010, 1, 1) + timedelta(days=days)
    releases = [Release(f"r{i}", f"r{i}", Cadence.annual, d, None, (Kind.annual,))
                for i, d in enumerate(delays)]  # fmt: skip
    t = target(start=start, deadline=start + span)
    nxt, late = schedule(t, releases, latest, as_of)
    if nxt is not None:
        assert nxt.expected + timedelta(days=GRACE_DAYS) >= as_of
        assert start <= nxt.year <= start + span
        assert latest is None or nxt.year > latest
        assert nxt.expected == expected_date(nxt.release, nxt.year)
    if late is not None:
        assert late.overdue_from <= as_of
        assert start <= late.year <= start + span
        assert latest is None or late.year > latest
        assert nxt is None or nxt.year >= late.year
    if latest is not None and latest >= start + span:
        assert (nxt, late) == (None, None)


# --- through the command line: each state at several dates -----------------------------------

TARGETS = """\
targets:
  - id: gdp-growth
    name: GDP growth
    name_zh: 地区生产总值增速
    scope: City
    kind: growth
    unit: percent
    target: "5%"
    deadline: 2026
    source: {title: Plan, url: "https://example.org/p", published: 2026-01-10}
  - id: share
    name: Services share
    scope: City
    unit: percent
    kind: level
    target: "60%"
    deadline: 2030
    start: 2026
    releases: [bulletin]
    source: {title: Plan, url: "https://example.org/p", published: 2026-01-10}
releases:
  - {id: report, name: work report, name_zh: 工作报告, cadence: annual, delay_days: 15,
     kinds: [annual, level, growth]}
  - {id: bulletin, name: statistical bulletin, name_zh: 统计公报, cadence: annual,
     delay_days: 120}
"""

OBSERVATIONS = """\
observations:
  - target: share
    period: 2021
    value: "50.9%"
    source: {title: Report, url: "https://example.org/r", published: 2022-03-06}
"""

FIGURE_2026 = """\
  - target: gdp-growth
    period: 2026
    change: "+5.5%"
    source: {title: Report, url: "https://example.org/r", published: 2027-01-20}
"""

runner = CliRunner()


def write(tmp_path: Path, observations: str = OBSERVATIONS) -> Path:
    d = tmp_path / "data"
    d.mkdir(exist_ok=True)
    (d / "targets.yaml").write_text(TARGETS, encoding="utf-8")
    (d / "observations.yaml").write_text(observations, encoding="utf-8")
    return d


def status(d: Path, as_of: str) -> dict[str, dict[str, Any]]:
    args = ["status", "--data", str(d), "--as-of", as_of, "--format", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return {t["id"]: t for t in json.loads(result.stdout)["targets"]}


def warnings(d: Path, as_of: str) -> list[tuple[str, str]]:
    result = runner.invoke(app, ["validate", "--data", str(d), "--as-of", as_of, "--format",
                                 "json"])  # fmt: skip
    return [(p["code"], p["message"].split(":")[0]) for p in json.loads(result.stdout)]


def test_before_and_during_the_period_without_a_figure_is_pending(tmp_path: Path) -> None:
    d = write(tmp_path)
    # before the plan was published (2026-01-10) its targets were not known: not shown at all
    args = ["status", "--data", str(d), "--as-of", "2025-06-01", "--format", "json"]
    before = json.loads(runner.invoke(app, args).stdout)
    assert [t["id"] for t in before["targets"]] == []
    assert before["filtered_by"] == {"stated_later": 2}
    for as_of in ("2026-01-10", "2026-06-01", "2026-12-31"):
        got = status(d, as_of)
        for tid in ("gdp-growth", "share"):
            assert got[tid]["status"] == "pending", (as_of, tid)
            assert got[tid]["confidence"] is None and got[tid]["caveats"] == []
        # a 2021 value before the 2025 base: no progress (it was 50.9% / 60% = 85%)
        assert got["share"]["progress"] is None
    got = status(d, "2026-06-01")
    assert got["gdp-growth"]["next_figure"] == {
        "period": "2026", "release": "report", "release_name": "work report",
        "expected": "2027-01-15",
    }  # fmt: skip
    # the share names the bulletin alone: 2026 + 120 days
    assert got["share"]["next_figure"]["expected"] == "2027-04-30"
    assert got["share"]["overdue"] is None
    assert warnings(d, "2026-06-01") == []


def test_after_the_period_without_a_figure_is_no_data_and_overdue(tmp_path: Path) -> None:
    d = write(tmp_path)
    # 2027-02-14: the report's 2026 figure is within its grace; the period is over: no_data
    got = status(d, "2027-02-14")
    assert got["gdp-growth"]["status"] == "no_data"
    assert got["gdp-growth"]["overdue"] is None
    assert got["gdp-growth"]["next_figure"]["expected"] == "2027-01-15"
    assert ("overdue-release", "gdp-growth") not in warnings(d, "2027-02-14")
    # 2027-02-15: overdue, in validate and in the notes
    got = status(d, "2027-02-15")
    assert got["gdp-growth"]["overdue"] == {
        "period": "2026", "release": "report", "release_name": "work report",
        "expected": "2027-01-15",
    }  # fmt: skip
    assert got["gdp-growth"]["next_figure"] is None  # past its deadline: nothing more to come
    assert (
        "overdue: the 2026 figure, expected from the work report about 2027-01-15, is not in "
        "the data" in got["gdp-growth"]["notes"]
    )
    found = warnings(d, "2027-02-15")
    # one missing figure, one warning: the overdue one says the deadline has passed too
    assert ("overdue-release", "gdp-growth") in found
    assert ("deadline-passed", "gdp-growth") not in found
    assert ("deadline-passed", "gdp-growth") in warnings(d, "2027-02-14")  # within the grace
    # the share (to 2030) is still pending; its bulletin's 2026 figure is not yet overdue
    assert got["share"]["status"] == "pending" and got["share"]["overdue"] is None
    assert status(d, "2027-06-01")["share"]["overdue"]["period"] == "2026"


def test_after_the_period_with_its_figure_is_a_verdict(tmp_path: Path) -> None:
    d = write(tmp_path, OBSERVATIONS + FIGURE_2026)
    got = status(d, "2027-01-19")["gdp-growth"]  # published the next day: not yet known
    assert got["status"] == "no_data"
    got = status(d, "2027-03-01")["gdp-growth"]
    assert got["status"] == "met" and got["confidence"] is not None
    assert got["overdue"] is None and got["next_figure"] is None
    assert ("overdue-release", "gdp-growth") not in warnings(d, "2027-03-01")


def test_an_overdue_figure_is_a_caveat_on_a_verdict(tmp_path: Path) -> None:
    later = """\
  - target: share
    period: 2026
    value: "55%"
    source: {title: Bulletin, url: "https://example.org/b", published: 2027-04-28}
  - target: share
    period: 2025
    value: "52%"
    source: {title: Bulletin, url: "https://example.org/b", published: 2026-04-28}
"""
    d = write(tmp_path, OBSERVATIONS + later)
    got = status(d, "2027-06-01")["share"]
    assert got["status"] == "on_track" and not [c for c in got["caveats"] if c["code"] == "overdue"]
    # the 2027 figure, due 120 days after 2027 (2028-04-29: a leap year), is missing
    got = status(d, "2028-06-01")["share"]
    (c,) = [c for c in got["caveats"] if c["code"] == "overdue"]
    assert c["values"] == {"year": 2027, "release": "bulletin", "expected": "2028-04-29"}
    assert got["confidence"] != "high"
    table = runner.invoke(app, ["status", "--data", str(d), "--as-of", "2028-06-01"]).stdout
    (line,) = [ln for ln in table.splitlines() if ln.startswith("share ")]
    assert "O" in line.split("●")[-1]  # the share's caveat mark


def test_show_and_the_line_under_the_table_in_both_languages(tmp_path: Path) -> None:
    d = write(tmp_path)
    env = {"COLUMNS": "80"}
    show = runner.invoke(app, ["show", "gdp-growth", "--data", str(d), "--as-of", "2026-06-01"],
                         env=env).stdout  # fmt: skip
    assert "2026 figure: work report, about 2027-01-15" in show
    show = runner.invoke(app, ["show", "gdp-growth", "--data", str(d), "--as-of", "2026-06-01",
                               "--lang", "zh"], env=env).stdout  # fmt: skip
    assert "2026年数据：工作报告，约2027-01-15" in show and "待观察" in show
    out = runner.invoke(app, ["status", "--data", str(d), "--as-of", "2026-06-01"], env=env).stdout
    assert (
        "Next figures: 2026 work report (about 2027-01-15) for 1 target; 2026 statistical "
        "bulletin (about 2027-04-30) for 1 target." in " ".join(out.split())
    )
    assert max(len(line) for line in out.splitlines()) <= 80
    out = runner.invoke(app, ["status", "--data", str(d), "--as-of", "2026-06-01", "--lang", "zh"],
                        env=env).stdout  # fmt: skip
    assert "下一批数据：工作报告2026年数据（约2027-01-15），涉及1个目标；" in "".join(out.split())
    md = runner.invoke(app, ["status", "--data", str(d), "--as-of", "2026-06-01", "--format",
                             "markdown"]).stdout  # fmt: skip
    assert "Next figures: 2026 work report \\(about 2027-01-15\\) for 1 target;" in md
    # past every deadline with nothing to come: no line
    out = runner.invoke(app, ["status", "--data", str(d), "--as-of", "2031-06-01"]).stdout
    assert "Next figures" not in out


def test_the_report_card_names_the_next_figure(tmp_path: Path) -> None:
    d = write(tmp_path)
    html = tmp_path / "r.html"
    result = runner.invoke(app, ["report", "--data", str(d), "--as-of", "2026-06-01", "--html",
                                 str(html)])  # fmt: skip
    assert result.exit_code == 0, result.output
    text = html.read_text(encoding="utf-8")
    assert (
        '<p class="next"><span class="label">next</span> 2026 figure: work report, about '
        "2027-01-15</p>" in text
    )
