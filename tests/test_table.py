"""The status table fits the terminal: ids and statuses whole, one line per target from 80
columns up, columns dropped in the documented order, targets grouped by plan."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from rich.cells import cell_len
from typer.testing import CliRunner

from cctrack.cli import app
from cctrack.location import PACKAGED
from cctrack.render.status import TABLE_COLUMNS

AS_OF = "2026-11-29"


def status(width: int, *args: str) -> str:
    runner = CliRunner(env={"COLUMNS": str(width), "NO_COLOR": "1", "CCTRACK_DATA": None})
    result = runner.invoke(app, ["status", "--as-of", AS_OF, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def shipped() -> list[tuple[str, str]]:
    """(id, status words) of every shipped target, from the JSON output."""
    import json

    runner = CliRunner(env={"CCTRACK_DATA": None})
    doc = json.loads(runner.invoke(app, ["status", "--format", "json", "--as-of", AS_OF]).stdout)
    return [(t["id"], t["status"].replace("_", " ")) for t in doc["targets"]]


@pytest.mark.parametrize("width", [60, 80, 100, 120, 200])
def test_every_id_and_status_is_whole(width: int) -> None:
    out = status(width)
    lines = out.splitlines()
    for tid, words in shipped():
        assert re.search(rf"(^|\s){re.escape(tid)}(\s|$)", out, re.M), (width, tid)
        if width >= 80:  # one line per target, with its status on it
            (line,) = [ln for ln in lines if re.match(rf"{re.escape(tid)}\s", ln)]
            assert words in line, (width, tid, line)
        else:
            at = next(i for i, ln in enumerate(lines) if ln.strip() == tid)
            assert lines[at + 1].strip().startswith(words), (width, tid)
    table_lines = [ln for ln in lines if ln and not ln.startswith(("≥", "confidence", "As of"))]
    body = [ln for ln in table_lines if not re.match(r"\d+ targets?:", ln)]
    assert all(cell_len(ln) <= width for ln in body), [ln for ln in body if cell_len(ln) > width]


def test_columns_go_in_the_documented_order() -> None:
    header = {w: status(w).splitlines()[2] for w in (80, 100, 120, 160, 240)}
    shown = {w: [c for c in ("caveats", "current", "progress", "goal", "growth", "name",
                            "base", "projected") if c in h] for w, h in header.items()}  # fmt: skip
    order = list(TABLE_COLUMNS[3:])
    for w, cols in shown.items():  # the columns shown are always a prefix of the wanted order,
        kept = [c for c in order if c in cols]  # but for a column too wide to fit
        assert kept == cols, (w, cols)
    assert len(shown[240]) >= len(shown[120]) >= len(shown[80])
    assert "projected" in header[240] and "projected" not in header[80]


def test_names_are_shortened_never_ids(tmp_path: Path) -> None:
    d = tmp_path / "d"
    shutil.copytree(PACKAGED, d)
    text = (d / "targets.yaml").read_text(encoding="utf-8")
    long = "A very long target name that cannot possibly fit in any narrow column at all"
    (d / "targets.yaml").write_text(text.replace("Tourism revenue", long, 1), encoding="utf-8")
    out = status(240, "--data", str(d))
    assert "tourism-revenue" in out
    assert long not in out and "A very long" in out and "…" in out


def test_targets_are_grouped_by_plan_newest_first(tmp_path: Path) -> None:
    source = {"title": "t", "url": "https://x", "published": "2021-01-01"}
    targets = [
        {"id": f"t{i}", "name": f"T{i}", "scope": "City", "unit": "yuan", "target": 100,
         "deadline": deadline, "start": start, "plan": plan, "source": source}
        for i, (plan, start, deadline) in enumerate(
            [("14th plan", 2021, 2025), ("15th plan", 2026, 2030), ("14th plan", 2021, 2025),
             (None, None, 2024)]
        )
    ]  # fmt: skip
    d = tmp_path / "d"
    d.mkdir()
    (d / "targets.yaml").write_text(
        yaml.safe_dump({"targets": [{k: v for k, v in t.items() if v is not None}
                                    for t in targets]}), encoding="utf-8")  # fmt: skip
    (d / "observations.yaml").write_text("observations: []\n", encoding="utf-8")
    out = status(100, "--data", str(d))
    heads = [ln for ln in out.splitlines() if ln in {"15th plan", "14th plan",
                                                     "Targets without a plan"}]  # fmt: skip
    assert heads == ["15th plan", "14th plan", "Targets without a plan"]
    assert out.index("t1 ") < out.index("t0 ") < out.index("t2 ") < out.index("t3 ")
    only = status(100, "--data", str(d), "--plan", "15TH")
    assert "t1" in only and "t0" not in only
    runner = CliRunner(env={"NO_COLOR": "1"})
    bad = runner.invoke(app, ["status", "--data", str(d), "--plan", "plan"])
    assert bad.exit_code == 2 and "matches several plans" in bad.stderr
    none = runner.invoke(app, ["status", "--data", str(d), "--plan", "16th"])
    assert none.exit_code == 2 and "no plan matches" in none.stderr


def test_a_part_of_several_plans_names_none_an_exact_name_wins() -> None:
    from cctrack.pipeline import choose_plan

    plans = ["14th Five-Year Plan (2021-2025)", "FAW Group 14th Five-Year Plan (2021-2025)"]
    assert choose_plan(plans, "14TH five-year plan (2021-2025)") == (plans[0], None)
    assert choose_plan(plans, "faw") == (plans[1], None)
    for part in ("14th", "five-year"):  # the start of one, or of neither: both contain it
        plan, error = choose_plan(plans, part)
        assert plan is None and error is not None
        assert "several" in error and all(repr(p) in error for p in plans)


def test_a_plan_part_of_several_is_one_usage_line(tmp_path: Path) -> None:
    d = tmp_path / "d"
    d.mkdir()
    source = {"title": "t", "url": "https://x", "published": "2021-01-01"}
    rows = [
        {"id": f"t{i}", "name": f"T{i}", "scope": "City", "unit": "yuan", "target": 100,
         "deadline": 2025, "start": 2021, "plan": plan, "source": source}
        for i, plan in enumerate(["14th Five-Year Plan (2021-2025)",
                                  "FAW Group 14th Five-Year Plan (2021-2025)"])
    ]  # fmt: skip
    (d / "targets.yaml").write_text(yaml.safe_dump({"targets": rows}), encoding="utf-8")
    (d / "observations.yaml").write_text("observations: []\n", encoding="utf-8")
    runner = CliRunner(env={"NO_COLOR": "1"})
    ran = runner.invoke(app, ["status", "--data", str(d), "--plan", "14th"])
    assert ran.exit_code == 2 and ran.stdout == ""
    (line,) = ran.stderr.splitlines()
    assert line.startswith("cctrack: error: --plan: '14th' matches several plans: ")
    assert "'FAW Group 14th Five-Year Plan (2021-2025)'" in line


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_caveats_and_their_legend_show_at_80_columns(lang: str) -> None:
    """The shipped data at 80 columns: id, status, confidence and caveats on one line (a status
    with the last trend beside it is short enough), and the caveats' legend below."""
    out = status(80, "--lang", lang)
    header = out.splitlines()[2].split()  # under the plan's heading and scorecard line
    assert header[-1] == ("caveats" if lang == "en" else "提示"), header
    line = next(ln for ln in out.splitlines() if ln.startswith("industrial-output "))
    trend = "2023: limited" if lang == "en" else "（截至2023年：进展有限）"
    assert trend in line and line.rstrip().endswith("DN"), line
    legend = "X deadline passed" if lang == "en" else "X 已过期限"
    assert legend in " ".join(out.split())  # the legend wraps at 80 columns


def test_the_progress_bar_rounds_its_percentage_as_every_percentage_is() -> None:
    """0.575 is 57.50% in ``show``: the table's bar says 58%, not the 57% of the float
    0.575 × 100 = 57.4999…."""
    from cctrack.render.numbers import format_percent
    from cctrack.render.status import progress_bar

    assert format_percent(0.575, signed=False, digits=2) == "57.50%"
    assert progress_bar(0.575) == "██████░░░░ 58%"


@pytest.mark.parametrize("width", [40, 80, 200])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_line_ends_in_spaces(width: int, lang: str) -> None:
    out = status(width, "--lang", lang, "--as-of", "2026-11-01")
    padded = [line for line in out.splitlines() if line != line.rstrip()]
    assert not padded, padded[:3]
