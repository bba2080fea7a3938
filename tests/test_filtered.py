"""Every filter of ``status`` that leaves targets out says how many and why: one line under the
output (table, Markdown), ``filtered`` and ``filtered_by`` in JSON, in both languages. The
worked example: the fixture data at 2026-11-22 has 18 targets, 5 of them in the plan
"14th Five-Year Plan (2021-2025)", of which only tourism-revenue and tourist-visits have a
verdict (both of low confidence)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cctrack.cli import app

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "first-data"
PLAN = ["--plan", "14th five-year plan (2021-2025)"]  # its full name, case aside


def status(*args: str) -> str:
    runner = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "80", "CCTRACK_NO_CACHE": "1"})
    ran = runner.invoke(app, ["status", "--data", str(FIXTURES), "--as-of", "2026-11-22", *args])
    assert ran.exit_code == 0, ran.output
    return ran.stdout


def test_the_plan_and_confidence_filters_say_what_they_left_out() -> None:
    out = status(*PLAN, "--min-confidence", "low")
    assert out.splitlines()[-1] == (
        "16 targets not shown: 13 of other plans, 3 below low confidence or without a verdict."
    )
    doc = json.loads(status(*PLAN, "--min-confidence", "low", "--format", "json"))
    assert [t["id"] for t in doc["targets"]] == ["tourism-revenue", "tourist-visits"]
    assert doc["filtered"] == 16
    assert doc["filtered_by"] == {"--plan": 13, "--min-confidence": 3}


def test_a_filter_that_hides_every_target_of_the_plan_says_so() -> None:
    """The review's case: the plan's five targets all fall under medium confidence."""
    out = status(*PLAN, "--min-confidence", "medium", "--format", "markdown")
    assert out.endswith(
        "\n\n18 targets not shown: 13 of other plans, 5 below medium confidence or without a "
        "verdict.\n"
    )
    zh = status(*PLAN, "--min-confidence", "medium", "--lang", "zh")
    assert zh.splitlines()[-1] == "另有18项目标未显示：13项属其他规划、5项置信度低于“中”或无结论。"


def test_due_counts_among_what_the_other_filters_kept() -> None:
    doc = json.loads(status(*PLAN, "--due", "2025", "--format", "json"))
    shown = len(doc["targets"])
    assert doc["filtered_by"]["--plan"] == 13
    assert doc["filtered_by"].get("--due", 0) == 5 - shown
    assert doc["filtered"] == 18 - shown


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
def test_no_filter_no_line(fmt: str) -> None:
    out = status("--format", fmt)
    assert "not shown" not in out
    assert json.loads(status("--format", "json"))["filtered"] == 0
    assert json.loads(status("--format", "json"))["filtered_by"] == {}


def test_ids_named_are_asked_for_not_filtered() -> None:
    doc = json.loads(status("tourism-revenue", "--format", "json"))
    assert doc["filtered"] == 0 and [t["id"] for t in doc["targets"]] == ["tourism-revenue"]


def test_targets_stated_after_the_as_of_date_are_not_shown(tmp_path: Path) -> None:
    """A target whose source was published after --as-of was not known then: not "pending"
    but left out, with the line saying so. Hand-built: one target stated 2021-03-01, one
    stated 2026-01 (known from 2026-01-31, as an observation's source would be), one stated 2020
    (known from 2020-12-31)."""
    import yaml

    d = tmp_path / "d"
    d.mkdir()
    rows = [
        {"id": tid, "name": tid, "scope": "City", "unit": "yuan", "target": 100,
         "deadline": 2030, "start": 2021, "source": {"title": "t", "published": published}}
        for tid, published in [("a", "2021-03-01"), ("b", "2026-01"), ("c", "2020")]
    ]  # fmt: skip
    (d / "targets.yaml").write_text(yaml.safe_dump({"targets": rows}), encoding="utf-8")
    (d / "observations.yaml").write_text("observations: []\n", encoding="utf-8")
    runner = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "80", "CCTRACK_NO_CACHE": "1"})

    def run(as_of: str, *args: str) -> str:
        ran = runner.invoke(app, ["status", "--data", str(d), "--as-of", as_of, *args])
        assert ran.exit_code == 0, ran.output
        return ran.stdout

    doc = json.loads(run("2021-02-28", "--format", "json"))
    assert [t["id"] for t in doc["targets"]] == ["c"]
    assert doc["filtered"] == 2 and doc["filtered_by"] == {"stated_later": 2}
    assert run("2021-02-28").splitlines()[-1] == (
        "2 targets not shown: 2 stated only after 2021-02-28."
    )
    assert run("2021-02-28", "--lang", "zh").splitlines()[-1] == (
        "另有2项目标未显示：2项在2021-02-28之后才提出。"
    )
    doc = json.loads(run("2021-03-01", "--format", "json"))  # published that day: known
    assert [t["id"] for t in doc["targets"]] == ["a", "c"] and doc["filtered"] == 1
    assert json.loads(run("2026-01-30", "--format", "json"))["filtered_by"] == {"stated_later": 1}
    assert json.loads(run("2026-01-31", "--format", "json"))["filtered"] == 0
