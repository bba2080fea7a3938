"""A target whose source was published after the as-of date was not known then: ``status`` and
``report`` leave it out (saying how many), ``diff`` has it "added" on the later date's side.

Hand-built: ``old`` stated 2021-01-20, ``new`` stated 2026-01-14 (the day the 2026 work report
was delivered), no observations. As of 2025-12-31 only ``old`` was known; as of 2026-01-14
(published that day) both were."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cctrack.cli import app

TARGETS = """\
targets:
  - {id: old, name: Old target, scope: City, unit: yuan, target: 100, deadline: 2030,
     start: 2021, source: {title: Old plan, published: 2021-01-20}}
  - {id: new, name: New target, scope: City, unit: yuan, target: 100, deadline: 2030,
     start: 2026, source: {title: New plan, published: 2026-01-14}}
"""
BEFORE, ON = "2025-12-31", "2026-01-14"
LINE = {
    "en": "1 target not shown: 1 stated only after 2025-12-31.",
    "zh": "另有1项目标未显示：1项在2025-12-31之后才提出。",
}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    (d / "targets.yaml").write_text(TARGETS, encoding="utf-8")
    (d / "observations.yaml").write_text("observations: []\n", encoding="utf-8")
    return d


def run(*args: str) -> str:
    runner = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "80", "CCTRACK_NO_CACHE": "1"})
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_status_leaves_out_a_target_stated_later(data: Path, lang: str) -> None:
    out = run("status", "--data", str(data), "--as-of", BEFORE, "--lang", lang)
    assert out.splitlines()[-1] == LINE[lang]
    assert "old" in out and "new" not in out.replace("New target", "")
    out = run("status", "--data", str(data), "--as-of", ON, "--lang", lang)
    assert "new " in out and LINE[lang] not in out and "2025-12-31" not in out


def test_status_json_counts_the_targets_stated_later(data: Path) -> None:
    doc = json.loads(run("status", "--data", str(data), "--as-of", BEFORE, "--format", "json"))
    assert [t["id"] for t in doc["targets"]] == ["old"]
    assert doc["filtered"] == 1 and doc["filtered_by"] == {"stated_later": 1}
    doc = json.loads(run("status", "--data", str(data), "--as-of", ON, "--format", "json"))
    assert [t["id"] for t in doc["targets"]] == ["old", "new"]
    assert doc["filtered"] == 0 and doc["filtered_by"] == {}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_leaves_out_a_target_stated_later(data: Path, tmp_path: Path, lang: str) -> None:
    page = tmp_path / "r.html"
    run("report", "--data", str(data), "--as-of", BEFORE, "--lang", lang, "--html", str(page))
    html = page.read_text("utf-8")
    assert f'<p class="meta filtered">{LINE[lang]}</p>' in html
    assert '<code class="id">old</code>' in html and '<code class="id">new</code>' not in html
    run("report", "--data", str(data), "--as-of", ON, "--lang", lang, "--html", str(page))
    html = page.read_text("utf-8")
    assert "filtered" not in html and '<code class="id">new</code>' in html


def test_diff_between_the_dates_has_the_target_added(data: Path) -> None:
    args = ["diff", "--data", str(data), "--format", "json"]
    doc = json.loads(run(*args, "--from", BEFORE, "--to", ON))
    assert [(c["id"], c["kind"]) for c in doc["changes"]] == [("new", "added")]
    assert doc["changes"][0]["after"]["category"] == "pending"
    # both dates before it was stated: not on either side; both after: no change
    assert json.loads(run(*args, "--from", "2025-06-30", "--to", BEFORE))["changes"] == []
    assert json.loads(run(*args, "--from", ON, "--to", "2026-06-30"))["changes"] == []
    # the other way round, it is on the earlier side only: removed
    doc = json.loads(run(*args, "--from", ON, "--to", BEFORE))
    assert [(c["id"], c["kind"]) for c in doc["changes"]] == [("new", "removed")]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_diff_table_says_added(data: Path, lang: str) -> None:
    out = run("diff", "--data", str(data), "--from", BEFORE, "--to", ON, "--lang", lang)
    line = next(x for x in out.splitlines() if x.startswith("new"))
    assert ("added" if lang == "en" else "新增") in line
