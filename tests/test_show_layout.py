"""``show`` at a terminal's width: the observations table keeps short columns and a note mark,
the sources follow as numbered notes, each URL whole on a line of its own, each quote whole."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from rich.cells import cell_len
from typer.testing import CliRunner

from cctrack.cli import app

AS_OF = "2026-11-22"
PLAIN = {"NO_COLOR": "1", "CCTRACK_DATA": None, "GITHUB_ACTIONS": None, "FORCE_COLOR": None}
# the old layout (a 12-cell source column) printed 621 lines of tourism-revenue at 80 columns
OLD_LINES_AT_80 = 621


def _show(target: str, width: int, lang: str, data: str = "data") -> str:
    env = {**PLAIN, "COLUMNS": str(width)}
    args = ["show", target, "--data", data, "--as-of", AS_OF, "--lang", lang]
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def _entries(target: str, data: str = "data") -> list[dict[str, Any]]:
    """The target's observations as written (read plainly: no cctrack code)."""
    with open(f"{data}/observations.yaml", encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    return [o for o in doc["observations"] if o["target"] == target]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_line_count_at_80_falls_by_more_than_half() -> None:
    lines = _show("tourism-revenue", 80, "en").splitlines()
    assert len(lines) < OLD_LINES_AT_80 / 2


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [80, 200])
def test_lines_fit_urls_whole_quotes_present(lang: str, width: int) -> None:
    out = _show("tourism-revenue", width, lang)
    lines = out.splitlines()
    stripped = {line.strip() for line in lines}
    entries = _entries("tourism-revenue")
    urls = {str(o["source"]["url"]) for o in entries if o["source"].get("url")}
    assert urls
    for url in urls:
        assert url in stripped, url  # whole, and alone on its line
    for line in lines:  # cells: a Chinese character counts two
        assert cell_len(line.rstrip()) <= width or line.strip() in urls, line
    flat = _flat(out)
    quotes = [str(o["quote"]) for o in entries if o.get("quote")]
    assert quotes
    for quote in quotes:
        assert _flat(quote) in flat, quote
    # no old column: the table's last column is the note mark
    assert re.search(r"^ 2023\S* .*│ \[\d+\]\s*$", out, re.M)


def test_one_note_per_shared_source(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = "https://example.org/a-very/long/path/yearbook-2023.html"
    source = {"publisher": "Stats bureau", "title": "Yearbook", "published": "2024-05-01",
              "reliability": "A", "url": url}  # fmt: skip
    targets = {"targets": [{"id": "gdp", "name": "GDP", "scope": "City", "kind": "level",
                            "unit": "yuan", "target": 200, "deadline": 2025, "start": 2021,
                            "source": {"title": "Plan"}}]}  # fmt: skip
    obs = {"observations": [
        {"target": "gdp", "period": 2020, "value": 100, "source": source, "quote": "一百"},
        {"target": "gdp", "period": 2023, "value": 150, "source": source, "quote": "一百五十"},
        {"target": "gdp", "period": 2024, "value": 160, "source": {"title": "Other"}},
    ]}  # fmt: skip
    (tmp_path / "targets.yaml").write_text(yaml.safe_dump(targets, allow_unicode=True))
    (tmp_path / "observations.yaml").write_text(yaml.safe_dump(obs, allow_unicode=True))
    out = _show("gdp", 80, "en", str(tmp_path))
    assert re.search(r"^ 2020 .*\[1\]\s*$", out, re.M)
    assert re.search(r"^ 2023 .*\[1\]\s*$", out, re.M)
    assert re.search(r"^ 2024 .*\[2\]\s*$", out, re.M)
    notes = [line for line in out.splitlines() if re.match(r"\[\d+\]", line)]
    assert len(notes) == 2, notes
    head = r"\[1\] +Stats bureau, Yearbook, 2024-05-01 \[A\] \(observations.yaml:\d+,"
    assert re.match(head, notes[0]), notes[0]  # both rows' lines in the one note
    assert out.count(url) == 1
    assert "“一百”" in out and "“一百五十”" in out
    assert "[3]" not in out


@pytest.mark.parametrize("colour", [False, True])
@pytest.mark.parametrize("width", [60, 80, 120])
def test_no_line_ends_in_a_blank(width: int, colour: bool) -> None:
    """A grid pads its last column to the width: ``show`` writes its lines without those
    spaces (a line copied from it carries no trailing blanks), in colour too, where only a
    style's closing codes may follow the last character; the text is otherwise the same."""
    env = {**PLAIN, "COLUMNS": str(width)}
    if colour:
        env.update({"NO_COLOR": None, "FORCE_COLOR": "1", "TERM": "xterm-256color"})
    args = ["show", "tourism-revenue", "--data", "data", "--as-of", AS_OF]
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    lines = result.stdout.split("\n")
    assert len(lines) > 40
    bare = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in lines]
    assert not [line for line in bare if line.endswith(" ")]
    assert ("\x1b[" in result.stdout) is colour
    assert [line.rstrip() for line in bare] == bare  # (nothing else was cut)
