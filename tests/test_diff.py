"""``cctrack diff``: a temporary git repository with a sequence of commits, each diff's lines and
causes asserted through the command line, and the comparison's core functions.

The worked example (one target, 700,000 vehicles by the deadline, base year 2020 = 400,000),
computed by hand with R = cagr_observed / cagr_required and the thresholds 0.95 and 0.60:

* c1: current 2022 = 450,000: cagr_obs = 1.125^(1/2) - 1 = 6.07%, cagr_req = 1.75^(1/5) - 1 =
  11.84%; R = 0.51: limited progress.
* c2 (a new figure, 2023 = 600,000): cagr_obs = 1.5^(1/3) - 1 = 14.47%; R = 1.22: on track.
* c3 (the 2023 figure revised to 520,000): cagr_obs = 1.3^(1/3) - 1 = 9.14%; R = 0.77:
  acceleration needed.
* c4 (the deadline moved from 2025 to 2027): cagr_req = 1.75^(1/7) - 1 = 8.32%; R = 1.10:
  on track.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cctrack.cli import app
from cctrack.diff import Inputs, State, attribute, compare, components, snapshot

SOURCE = "{title: Plan, url: https://example.org/plan, published: 2021-03-01}"
STATS = "{title: Bulletin, url: https://example.org/stats, published: %s}"


def targets(deadline: int = 2025, visits_id: str = "visits", extra: str = "") -> str:
    return f"""\
targets:
  - id: nev
    name: NEV output
    scope: Changchun
    unit: vehicles
    target: 700000
    deadline: {deadline}
    start: 2021
    source: {SOURCE}
  - id: {visits_id}
    name: Tourist visits
    scope: Changchun
    unit: visits
    target: 200000000
    deadline: 2025
    start: 2021
    quote: 2亿人次
    source: {SOURCE}
{extra}"""


def observation(target: str, period: str, value: int, published: str) -> str:
    return f"""\
  - target: {target}
    period: {period}
    value: {value}
    source: {STATS % published}
"""


def observations(*extra: str, visits_id: str = "visits") -> str:
    return "observations:\n" + "".join([
        observation("nev", "2020", 400000, "2021-03-01"),
        observation("nev", "2022", 450000, "2023-03-01"),
        observation(visits_id, "2020", 100000000, "2021-03-01"),
        observation(visits_id, "2023", 150000000, "2024-03-01"),
        *extra,
    ])  # fmt: skip


NEW_2023 = observation("nev", "2023", 600000, "2024-03-01")
REVISED_2023 = observation("nev", "2023", 520000, "2024-03-01")
AS_OF = "2024-06-01"


def git(repo: Path, *args: str) -> str:
    when = "2024-01-01T00:00:00Z"
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo.parent),
           "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}  # fmt: skip
    done = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org",
         "-c", "commit.gpgsign=false", *args],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    return done.stdout.strip()


def commit(repo: Path, targets_text: str, observations_text: str, message: str) -> str:
    (repo / "data" / "targets.yaml").write_text(targets_text, encoding="utf-8")
    (repo / "data" / "observations.yaml").write_text(observations_text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """c1 base, c2 a new figure, c3 that figure revised, c4 the deadline moved."""
    root = tmp_path / "repo"
    (root / "data").mkdir(parents=True)
    (root / "README").write_text("data\n")
    git(root, "init", "-q")
    commit(root, targets(), observations(), "c1")
    commit(root, targets(), observations(NEW_2023), "c2")
    commit(root, targets(), observations(REVISED_2023), "c3")
    commit(root, targets(deadline=2027), observations(REVISED_2023), "c4")
    return root


def diff(repo: Path, *args: str, fmt: str = "json") -> tuple[int, str, str]:
    runner = CliRunner(env={"COLUMNS": "80", "NO_COLOR": "1"})
    result = runner.invoke(
        app, ["diff", "--data", str(repo / "data"), "--as-of", AS_OF, "--format", fmt, *args]
    )
    return result.exit_code, result.stdout, result.stderr


def changes(repo: Path, *args: str) -> list[dict[str, object]]:
    code, out, err = diff(repo, *args)
    assert code == 0, err
    doc = json.loads(out)
    result: list[dict[str, object]] = doc["changes"]
    return result


def kinds(change: dict[str, object]) -> list[list[str]]:
    causes = change["causes"]
    assert isinstance(causes, list)
    return [[c["kind"] for c in cause["components"]] for cause in causes]


def test_a_new_figure_moves_the_verdict_and_is_named_by_its_line(repo: Path) -> None:
    (nev,) = changes(repo, "--from", "HEAD~3", "--to", "HEAD~2")
    assert nev["id"] == "nev" and nev["kind"] == "changed"
    assert nev["before"]["category"] == "limited_progress"  # type: ignore[index]
    assert nev["after"]["category"] == "on_track"  # type: ignore[index]
    assert nev["after"]["current"] == {"period": "2023", "value": 600000, "bound": "exact"}  # type: ignore[index]
    assert kinds(nev) == [["observation-added"]]
    added = nev["causes"][0]["components"][0]  # type: ignore[index]
    assert added["line_after"] == 18 and added["period"] == "2023"
    assert nev["causes"][0]["whole"] is True  # type: ignore[index]


def test_a_revised_figure_names_the_field_revised(repo: Path) -> None:
    (nev,) = changes(repo, "--from", "HEAD~2", "--to", "HEAD~1")
    assert (nev["before"]["category"], nev["after"]["category"]) == (  # type: ignore[index]
        "on_track", "acceleration_needed")  # fmt: skip
    assert kinds(nev) == [["observation-revised"]]
    revised = nev["causes"][0]["components"][0]  # type: ignore[index]
    assert revised["fields"] == ["value"]
    assert revised["from"]["value"] == 600000 and revised["to"]["value"] == 520000
    assert revised["line_before"] == revised["line_after"] == 18


def test_a_deadline_moved_is_a_target_edit(repo: Path) -> None:
    (nev,) = changes(repo, "--from", "HEAD~1", "--to", "HEAD")
    assert (nev["before"]["category"], nev["after"]["category"]) == (  # type: ignore[index]
        "acceleration_needed", "on_track")  # fmt: skip
    assert kinds(nev) == [["target-edited"]]
    edit = nev["causes"][0]["components"][0]  # type: ignore[index]
    assert (edit["fields"], edit["from"], edit["to"]) == (["deadline"], "2025", "2027")
    _, out, _ = diff(repo, "--from", "HEAD~1", "--to", "HEAD", fmt="table")
    assert "  because: target edited, deadline: 2025 → 2027\n" in out
    _, zh, _ = diff(repo, "--from", "HEAD~1", "--to", "HEAD", "--lang", "zh", fmt="table")
    assert "  原因：目标修改，期限：2025年 → 2027年\n" in zh


def test_the_default_from_is_the_commit_before_the_last_when_the_tree_is_clean(
    repo: Path,
) -> None:
    code, out, err = diff(repo, fmt="json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["from"]["revision"] == git(repo, "rev-parse", "HEAD~1")[:12]
    assert doc["to"]["revision"] is None  # the working tree
    assert [kinds(c) for c in doc["changes"]] == [[["target-edited"]]]


def test_the_default_from_is_the_last_commit_when_the_tree_has_changes(repo: Path) -> None:
    (repo / "data" / "targets.yaml").write_text(targets(deadline=2025), encoding="utf-8")
    code, out, err = diff(repo)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["from"]["revision"] == git(repo, "rev-parse", "HEAD")[:12]
    (nev,) = doc["changes"]
    assert nev["after"]["category"] == "acceleration_needed"
    assert kinds(nev) == [["target-edited"]]


def test_nothing_changed_but_the_date(repo: Path) -> None:
    """The same files a year apart: the date alone moves every verdict, and the figures it
    shows (published in between) are listed with it."""
    found = {c["id"]: c for c in changes(repo, "--from", "2023-06-01")}
    nev = found["nev"]
    assert nev["kind"] == "changed"
    assert kinds(nev) == [["as-of"]]
    as_of = nev["causes"][0]["components"][0]  # type: ignore[index]
    assert (as_of["from"], as_of["to"]) == ("2023-06-01", AS_OF)
    assert as_of["released"] == [{"period": "2023", "line": 18}]  # published 2024-03-01
    assert as_of["deadline_passed"] is None


def test_a_date_diff_needs_no_git(make_data: object, tmp_path: Path) -> None:
    data = tmp_path / "plain"
    data.mkdir()
    (data / "targets.yaml").write_text(targets(), encoding="utf-8")
    (data / "observations.yaml").write_text(observations(NEW_2023), encoding="utf-8")
    runner = CliRunner(env={"COLUMNS": "80"})
    args = ["diff", "--data", str(data), "--from", "2024-01-01", "--to", "2024-06-01"]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    (nev,) = [c for c in json.loads(result.stdout)["changes"] if c["id"] == "nev"]
    assert kinds(nev) == [["as-of"]]


def test_two_components_needed_together_are_said_so(repo: Path) -> None:
    """A figure published after the earlier date is hidden there: the new entry alone moves
    nothing, the later date alone moves nothing (the same files), only both together do."""
    code, out, _ = diff(repo, "--from", "HEAD~3", "--to", "HEAD~2", "--as-of", "2024-01-01")
    assert code == 0 and json.loads(out)["changes"] == []  # hidden at 2024-01-01
    before = state(targets(), observations(), date(2024, 1, 1))
    after = state(targets(), observations(NEW_2023), date(2024, 6, 1))
    (nev,) = [c for c in compare(before, after) if c.id == "nev"]
    assert [[c.kind for c in cause.components] for cause in nev.causes] == [
        ["observation-added", "as-of"]
    ]
    assert nev.causes[0].together and nev.causes[0].whole


# A target with no figure, added beside the others in some commits.
GDP = """\
  - id: gdp
    name: GDP
    scope: Changchun
    unit: yuan
    target: 1000000000000
    deadline: 2025
    start: 2021
    source: {title: Plan, url: https://example.org/plan, published: 2021-03-01}
"""


def test_renamed_added_and_removed_targets(repo: Path) -> None:
    commit(repo, targets(deadline=2027, visits_id="tourist-visits", extra=GDP),
           observations(REVISED_2023, visits_id="tourist-visits"), "rename")  # fmt: skip
    found = {c["id"]: c for c in changes(repo, "--from", "HEAD~1", "--to", "HEAD")}
    assert found["tourist-visits"]["kind"] == "renamed"
    assert found["tourist-visits"]["old_id"] == "visits"
    assert found["tourist-visits"]["components"] == []  # the same target under a new id
    assert found["gdp"]["kind"] == "added" and found["gdp"]["before"] is None
    assert "visits" not in found and "nev" not in found
    back = {c["id"]: c for c in changes(repo, "--from", "HEAD", "--to", "HEAD~1")}
    assert back["gdp"]["kind"] == "removed" and back["gdp"]["after"] is None
    assert back["visits"]["kind"] == "renamed" and back["visits"]["old_id"] == "tourist-visits"


def test_the_table_at_80_columns_in_both_languages(repo: Path) -> None:
    from rich.cells import cell_len

    code, out, _ = diff(repo, "--from", "HEAD~3", "--to", "HEAD~2", fmt="table")
    assert code == 0
    lines = out.splitlines()
    assert lines[1] == "nev  limited progress (high) → on track (high)", lines
    assert "because: new figure for 2023" in out and "HEAD~2:data/observations.yaml:18" in out
    assert "1 target changed" in out
    code, zh, _ = diff(repo, "--from", "HEAD~3", "--to", "HEAD~2", "--lang", "zh", fmt="table")
    assert code == 0 and "新增2023年数据" in zh and "1个目标有变化" in zh
    for text in (out, zh):
        assert all(cell_len(line) <= 80 and line == line.rstrip() for line in text.splitlines())


def test_markdown_for_a_pull_request(repo: Path) -> None:
    code, out, _ = diff(repo, "--from", "HEAD~2", "--to", "HEAD~1", fmt="markdown")
    assert code == 0
    assert out.startswith("### What changed\n")
    assert "| Target | Before | After | Why |" in out
    row = next(line for line in out.splitlines() if line.startswith("| nev"))
    assert "on track \\(high\\) · 600 k 2023" in row and "acceleration needed" in row
    from cctrack.render.safe import markdown

    assert markdown("figure for 2023 revised: value (HEAD~1:data/observations.yaml:18)") in row


def test_nothing_changed(repo: Path) -> None:
    code, out, _ = diff(repo, "--from", "HEAD", "--to", "HEAD", fmt="table")
    assert code == 0 and "No verdict, confidence or current value changed." in out
    code, out, _ = diff(repo, "--from", "HEAD", "--to", "HEAD", fmt="markdown")
    assert "No verdict" in out and "|" not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "no-such-rev"], "--from: unknown revision 'no-such-rev'"),
        (["--to", "HEAD~99"], "--to: unknown revision 'HEAD~99'"),
        (["--from", "--help"], "--from: '--help' is not a revision"),
        (["--from", "2024-13-40"], "--from: '2024-13-40' is not a date"),
        (["--as-of", "soon"], "--as-of: 'soon' is not a date"),
    ],
)
def test_bad_revisions_and_dates_are_one_line_exit_2(
    repo: Path, args: list[str], message: str
) -> None:
    code, out, err = diff(repo, *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"cctrack: error: {message}")


def test_outside_a_git_repository_is_exit_2(make_data: object, tmp_path: Path) -> None:
    data = tmp_path / "plain"
    data.mkdir()
    (data / "targets.yaml").write_text(targets(), encoding="utf-8")
    (data / "observations.yaml").write_text(observations(), encoding="utf-8")
    result = CliRunner().invoke(app, ["diff", "--data", str(data), "--from", "HEAD"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "is not in a git repository" in result.stderr


def test_errors_at_a_revision_are_located_there(repo: Path) -> None:
    commit(repo, targets().replace("    unit: vehicles\n", ""), observations(), "broken")
    code, out, err = diff(repo, "--from", "HEAD", "--to", "HEAD~1")
    assert code == 1 and out == ""
    assert "HEAD:data/targets.yaml:2:" in err and "missing required field 'unit'" in err


# --- the core functions ---------------------------------------------------------------------


def state(targets_text: str, observations_text: str, as_of: date) -> State:
    from cctrack.dataset import build_dataset
    from cctrack.yaml_reader import parse_text

    ds = build_dataset(Path("."), parse_text("t", targets_text), parse_text("o", observations_text))
    assert not ds.problems
    return State(tuple(e.model for e in ds.targets), tuple(e.model for e in ds.observations),
                 as_of, "growth-ratio")  # fmt: skip


def test_one_of_two_components_is_named_when_only_it_moves_the_verdict() -> None:
    """A new figure that moves the verdict and a note edited that moves nothing: only the
    figure is a cause, though both are differences."""
    at = date(2024, 6, 1)
    before = state(targets(), observations(), at)
    after = state(targets(), observations(NEW_2023), at)
    edited = dataclasses.replace(after.targets[0], plan="14th plan")
    after = dataclasses.replace(after, targets=(edited, *after.targets[1:]))
    (nev,) = compare(before, after)
    assert [c.kind for c in nev.components] == ["observation-added", "target-edited"]
    assert [[c.kind for c in cause.components] for cause in nev.causes] == [["observation-added"]]


def test_without_components_there_is_no_cause() -> None:
    s = state(targets(), observations(), date(2024, 6, 1))
    t = s.targets[0]
    inputs = Inputs(t, tuple(o for o in s.observations if o.target == t.id), None, s.as_of,
                    s.method)  # fmt: skip
    assert components(inputs, inputs) == []
    assert attribute(inputs, inputs, []) == []
    assert compare(s, s) == []
    assert snapshot(inputs.assess()).category == "limited_progress"


def test_a_field_added_to_an_entry_is_a_revision_of_the_closest_entry() -> None:
    """Two figures of one period; one gains a ``measure``: it is that entry revised (its
    fields named), not one entry removed and another added."""
    from cctrack.diff import observation_components

    two = observations(NEW_2023, observation("nev", "2023", 610000, "2024-04-01"))
    s = state(targets(), two, date(2024, 6, 1))
    edited = two.replace("    value: 610000\n", "    value: 610000\n    measure: 产量\n")
    t = state(targets(), edited, date(2024, 6, 1))
    (c,) = observation_components(s.observations, t.observations)
    assert (c.kind, c.fields) == ("observation-revised", ("measure",))
    assert c.old.value.value == 610000 and c.old.line == c.new.line == 22


def test_from_before_the_data_existed_every_target_is_added(tmp_path: Path) -> None:
    root = tmp_path / "new"
    (root / "data").mkdir(parents=True)
    (root / "README").write_text("data to come\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "c0")
    commit(root, targets(), observations(), "c1")
    found = changes(root, "--from", "HEAD~1", "--to", "HEAD")
    assert [(c["id"], c["kind"]) for c in found] == [("nev", "added"), ("visits", "added")]
    (root / "data" / "observations.yaml").unlink()  # one file gone: an error, as on disk
    git(root, "commit", "-q", "-am", "c2")
    code, _, err = diff(root, "--from", "HEAD", "--to", "HEAD~1")
    assert code == 1 and "HEAD:data/observations.yaml:1:1: error: no observations.yaml" in err


def test_the_next_expected_figure_is_compared(tmp_path: Path) -> None:
    """The work report's 2023 figure (due about 2024-01-15) missing a month past its grace:
    the next figure moves to 2024's (about 2025-01-15), and the overdue one is said as such."""
    data = tmp_path / "plain"
    data.mkdir()
    release = (
        "releases:\n  - {id: wr, name: work report, name_zh: 政府工作报告, cadence: annual, "
        "delay_days: 15, kinds: [annual, level, growth]}\n"
    )
    (data / "targets.yaml").write_text(release + targets(), encoding="utf-8")
    (data / "observations.yaml").write_text(observations(), encoding="utf-8")
    args = ["diff", "--data", str(data), "--from", "2024-01-01", "--to", "2024-03-01"]
    runner = CliRunner(env={"COLUMNS": "80", "NO_COLOR": "1"})
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    (nev,) = [c for c in json.loads(result.stdout)["changes"] if c["id"] == "nev"]
    assert "next_figure" in nev["fields"]
    assert nev["before"]["next_figure"] == {"year": 2023, "release": "wr", "expected": "2024-01-15"}
    assert nev["after"]["next_figure"] == {"year": 2024, "release": "wr", "expected": "2025-01-15"}
    table = runner.invoke(app, args).stdout
    assert "next figure: 2023 figure: work report, about 2024-01-15 → 2024 figure" in table


def test_an_added_or_removed_target_with_no_value_has_no_current_line(repo: Path) -> None:
    """A target added (or removed) with no figure has no value on either side: no line says
    ``current: none → none``; a target that has one keeps its line."""
    commit(repo, targets(deadline=2027, extra=GDP), observations(REVISED_2023), "gdp")
    for args in (("--from", "HEAD~1", "--to", "HEAD"), ("--from", "HEAD", "--to", "HEAD~1")):
        code, out, err = diff(repo, *args, fmt="table")
        assert code == 0, err
        block = out.split("gdp", 1)[1]
        assert "current:" not in block.split("\n\n", 1)[0]
        assert "none → none" not in out
