"""An average growth target has one current value: its average rate over the years it covers, in
the table, CSV and JSON's ``average`` (JSON's ``current`` stays the latest figure)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from cctrack.cli import app

PLAIN = {"NO_COLOR": "1", "CCTRACK_DATA": None, "GITHUB_ACTIONS": None, "FORCE_COLOR": None,
         "COLUMNS": "200"}  # fmt: skip


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A 10% a-year target over 2021-2022 and a level target: +21% then 0% average exactly 10%
    a year, since (1.21 × 1.00) ** (1 / 2) = 1.1."""
    src = {"title": "Bulletin", "publisher": "Stats bureau", "reliability": "A"}
    targets = {"targets": [
        {"id": "avg", "name": "Average growth", "scope": "City", "kind": "growth", "unit": "yuan",
         "target": "10%", "average": True, "deadline": 2022, "start": 2021, "source": src},
        {"id": "lvl", "name": "Output", "scope": "City", "kind": "annual", "unit": "yuan",
         "target": 200, "deadline": 2025, "start": 2021, "source": src},
    ]}  # fmt: skip
    obs = {"observations": [
        {"target": "avg", "period": 2021, "change": "+21%", "source": src, "quote": "增长21%"},
        {"target": "avg", "period": 2022, "change": "0%", "source": src, "quote": "持平"},
        {"target": "lvl", "period": 2020, "value": 100, "source": src},
        {"target": "lvl", "period": 2023, "value": 150, "source": src},
    ]}  # fmt: skip
    (tmp_path / "targets.yaml").write_text(yaml.safe_dump(targets, allow_unicode=True))
    (tmp_path / "observations.yaml").write_text(yaml.safe_dump(obs, allow_unicode=True))
    return tmp_path


def _status(data: Path, fmt: str, lang: str = "en") -> str:
    args = ["status", "--data", str(data), "--as-of", "2026-06-30", "--format", fmt,
            "--lang", lang]  # fmt: skip
    result = CliRunner().invoke(app, args, env=PLAIN)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_csv_current_is_the_average_the_table_shows(data: Path, lang: str) -> None:
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(_status(data, "csv", lang)))}
    avg = rows["avg"]
    assert float(avg["current_value"]) == pytest.approx(0.10)  # not 2022's 0%
    assert avg["current_period"] == "2021-2022"
    assert "10.0%" in avg["current"] or "10%" in avg["current"]
    lvl = rows["lvl"]  # any other target: the latest figure, as before
    assert float(lvl["current_value"]) == 150 and lvl["current_period"] == "2023"


def test_json_keeps_current_and_adds_average(data: Path) -> None:
    targets = {t["id"]: t for t in json.loads(_status(data, "json"))["targets"]}
    avg = targets["avg"]
    assert avg["current"]["period"] == "2022" and avg["current"]["value"] == 0
    assert avg["current"]["source"]["title"] == "Bulletin"
    average = avg["average"]
    assert average["value"] == pytest.approx(0.10)
    assert average["period"] == "2021-2022"
    assert average["formula"] == avg["formulas"]["growth_observed"]
    assert eval(average["formula"]) == pytest.approx(average["value"])
    assert targets["lvl"]["average"] is None
