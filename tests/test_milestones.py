"""Milestones (docs/method.md §15, docs/data-format.md): an annual target that is a step toward a
plan target names it in ``milestone_of``; the plan target lists its milestones with their
verdicts, and says when the latest of them disagrees with its own verdict."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from conftest import MakeData
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from cctrack.assess import FAVOURABLE, UNFAVOURABLE, Milestone, milestone_disagreement
from cctrack.cli import app
from cctrack.domain import Status
from cctrack.period import parse_period
from cctrack.pipeline import run

runner = CliRunner(env={"COLUMNS": "80", "NO_COLOR": "1", "CCTRACK_DATA": None})
AS_OF = "2024-06-30"
SOURCE = "{title: Plan, url: https://example.org/plan, published: 2021-03-01}"


def targets(goal_2023: int) -> str:
    """A plan target of 200 by 2030 (base 2020) and two annual milestones: 110 for 2022 and
    ``goal_2023`` for 2023."""
    return f"""\
targets:
  - id: plan
    name: Output by 2030
    scope: City
    unit: yuan
    target: 200
    deadline: 2030
    start: 2021
    source: {SOURCE}
  - id: step-2023
    name: Output 2023
    scope: City
    unit: yuan
    target: {goal_2023}
    deadline: 2023
    milestone_of: plan
    source: {SOURCE}
  - id: step-2022
    name: Output 2022
    scope: City
    unit: yuan
    target: 110
    deadline: 2022
    milestone_of: plan
    source: {SOURCE}
"""


def observations() -> str:
    entries = [("plan", 2020, 100), ("plan", 2023, 130), ("step-2022", 2022, 120),
               ("step-2023", 2023, 130)]  # fmt: skip
    return "observations:\n" + "".join(
        f"  - target: {t}\n    period: {p}\n    value: {v}\n    source: {SOURCE}\n"
        for t, p, v in entries
    )


def _cli(directory: Path, *args: str) -> str:
    result = runner.invoke(app, [*args, "--data", str(directory), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_missed_latest_milestone_disagrees_with_an_on_track_plan(make_data: MakeData) -> None:
    """The plan: 100 (2020) to 130 (2023), +9.14% a year against 2^(1/10) - 1 = +7.18% needed:
    R = 1.27, on track. Its milestones: 2022 met (120 ≥ 110), 2023 missed (130 < 140). The
    latest, 2023, reads missed: the note says so."""
    directory = make_data(targets(140), observations())
    doc = json.loads(_cli(directory, "status", "--format", "json"))
    by = {t["id"]: t for t in doc["targets"]}
    plan = by["plan"]
    assert plan["status"] == "on_track"
    assert plan["milestones"] == [
        {"id": "step-2022", "deadline": "2022", "status": "met"},
        {"id": "step-2023", "deadline": "2023", "status": "missed"},
    ]
    (n,) = [n for n in plan["note_codes"] if n["code"] == "milestones-disagree"]
    assert n["values"] == {"milestone": "step-2023", "deadline": "2023",
                           "milestone_status": "missed"}  # fmt: skip
    assert by["step-2023"]["milestone_of"] == "plan" and by["step-2023"]["milestones"] == []
    assert by["plan"]["milestone_of"] is None
    en = _cli(directory, "show", "plan")
    assert "step-2023 (2023): missed" in en and "step-2022 (2022): met" in en
    assert "its latest milestone, step-2023 (2023), reads missed" in en
    zh = _cli(directory, "show", "plan", "--lang", "zh")
    assert "阶段目标" in zh and "与本结论不一致" in zh and "step-2023（2023年）" in zh


def test_milestones_that_agree_give_no_note(make_data: MakeData) -> None:
    directory = make_data(targets(125), observations())  # 2023: 130 ≥ 125, met
    result = run(directory, date.fromisoformat(AS_OF))
    plan = result.assessment("plan")
    assert plan is not None and plan.status is Status.on_track
    assert [m.status for m in plan.milestones] == [Status.met, Status.met]
    assert not plan.has_note("milestones-disagree")


def _m(name: str, year: int, status: Status) -> Milestone:
    return Milestone(name, parse_period(year), status)


VERDICTS = sorted(FAVOURABLE | UNFAVOURABLE)
ANY = list(Status)


@given(st.sampled_from(ANY), st.lists(st.tuples(st.integers(2021, 2030), st.sampled_from(ANY))))
def test_the_latest_milestone_with_a_verdict_decides(
    status: Status, steps: list[tuple[int, Status]]
) -> None:
    milestones = [_m(f"m{i}", y, s) for i, (y, s) in enumerate(steps)]
    found = milestone_disagreement(status, milestones)
    judged = [m for m in milestones if m.status in FAVOURABLE | UNFAVOURABLE]
    if status not in VERDICTS or not judged:
        assert found is None
        return
    latest_year = max(m.deadline.year for m in judged if m.deadline)
    latest = max((m for m in judged if m.deadline and m.deadline.year == latest_year),
                 key=lambda m: m.id)  # fmt: skip
    disagree = (latest.status in FAVOURABLE) != (status in FAVOURABLE)
    assert found == (latest if disagree else None)


def test_worked_examples_of_disagreement() -> None:
    steps = [_m("a", 2021, Status.missed), _m("b", 2022, Status.met)]
    assert milestone_disagreement(Status.on_track, steps) is None  # the latest was met
    assert milestone_disagreement(Status.missed, steps) == steps[1]
    late = [*steps, _m("c", 2023, Status.no_data)]  # no verdict: the latest judged one decides
    assert milestone_disagreement(Status.missed, late) == steps[1]
    assert milestone_disagreement(Status.unresolved, steps) is None
