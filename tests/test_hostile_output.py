"""User text is data, never markup or a terminal command: every output escapes it its own way."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from cctrack.cli import app
from cctrack.render.safe import bidi_visible, csv_cell, html_text, markdown, terminal

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "CCTRACK_DATA": None})
ESC_NAME = "\x1b]0;PWNED\x07\x1b[2J\x1b[31mRED"
SOURCE = {"title": "see [/] above [link=https://evil.example]official[/link] [blink]x\\y",
          "url": "https://example.org", "published": "2021-01-01"}  # fmt: skip


@pytest.fixture
def data(tmp_path: Path) -> Path:
    d = tmp_path / "d"
    d.mkdir()
    targets = [
        {"id": "esc", "name": ESC_NAME, "scope": "City", "unit": "yuan", "target": 100,
         "deadline": 2025, "start": 2021, "source": SOURCE},
        {"id": "md", "name": "line one\n# Injected heading\n[click](https://evil.example) | x",
         "scope": "City", "unit": "yuan", "target": 100, "deadline": 2025, "start": 2021,
         "source": SOURCE,
         "status_override": {"status": "on_track", "reason": "=HYPERLINK(\"https://e.x\")"}},
        {"id": "formula", "name": "=1+2", "scope": "City", "unit": "yuan", "target": 100,
         "deadline": 2025, "source": SOURCE},
    ]  # fmt: skip
    observations = [
        {"target": t, "period": y, "value": v, "source": SOURCE, "note": "a [bold]note[/] \x1b[5m"}
        for t in ("esc", "md")
        for y, v in ((2020, 50), (2023, 80))
    ]
    (d / "targets.yaml").write_text(yaml.safe_dump({"targets": targets}), encoding="utf-8")
    (d / "observations.yaml").write_text(
        yaml.safe_dump({"observations": observations}), encoding="utf-8"
    )
    return d


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "args",
    [["status"], ["status", "--format", "csv"], ["status", "--format", "markdown"],
     ["status", "--format", "json"], ["show", "esc"], ["show", "md"], ["validate"]],
    ids=lambda a: " ".join(a),
)  # fmt: skip
def test_no_control_character_reaches_the_output(data: Path, args: list[str]) -> None:
    code, out, err = run(*args, "--data", str(data), "--as-of", "2024-06-30")
    assert code in (0, 1), err
    assert "\x1b" not in out and "\x07" not in out and "\x1b" not in err
    assert "Traceback" not in out + err


def test_show_prints_markup_as_text(data: Path) -> None:
    code, out, _ = run("show", "esc", "--data", str(data), "--as-of", "2024-06-30")
    assert code == 0
    flat = " ".join(out.split())
    assert "see [/] above [link=https://evil.example]official[/link] [blink]x\\y" in flat
    assert "a [bold]note[/]" in flat


def test_markdown_cells_stay_in_the_table(data: Path) -> None:
    _, out, _ = run("status", "--format", "markdown", "--data", str(data), "--as-of", "2024-06-30")
    lines = out.splitlines()
    # the only headings are the plans' own
    assert all(line.startswith("### ") for line in lines if line.startswith("#"))
    (row,) = [line for line in lines if line.startswith("| md ")]
    assert "\\[click\\]\\(https://evil.example\\)" in row and "\\|" in row
    (head, *_) = [line for line in lines if line.startswith("| ")]
    assert row.count(" | ") == len(head.split(" | ")) - 1  # no extra cell


def test_csv_formulas_are_defused(data: Path) -> None:
    _, out, _ = run("status", "--format", "csv", "--data", str(data), "--as-of", "2024-06-30")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["formula"]["name"] == "'=1+2"
    assert rows["md"]["status"].startswith("on track")
    assert rows["md"]["status"].endswith('=HYPERLINK("https://e.x")')


@pytest.mark.parametrize(
    ("function", "text", "expected"),
    [
        (terminal, "a\x1b[31mb", "a\\x1b[31mb"),
        (terminal, "one\ntwo\u2028three", "one two three"),
        (terminal, "\x9b2J", "\\x9b2J"),
        (markdown, "a|b\n# c", "a\\|b \\# c"),
        (markdown, "[x](y)", "\\[x\\]\\(y\\)"),
        (csv_cell, "=1+2", "'=1+2"),
        (csv_cell, "@SUM(A1)", "'@SUM(A1)"),
        (csv_cell, "-2+3", "'-2+3"),
        (csv_cell, "plain", "plain"),
    ],
)
def test_escapes(function: object, text: str, expected: str) -> None:
    assert function(text) == expected  # type: ignore[operator]


BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_html_text_escapes_markup_quotes_and_bidi_controls() -> None:
    text = f"<b title='x'>\"a\" & b{BIDI}</b>"
    shown = html_text(text)
    assert shown.startswith("&lt;b title=&#x27;x&#x27;&gt;&quot;a&quot; &amp; b\\u202a")
    assert shown.endswith("\\u061c&lt;/b&gt;") and not set(shown) & set(BIDI)
    assert html_text(7) == "7"


def test_every_output_writes_the_bidi_controls_alike() -> None:
    for char in BIDI:
        assert terminal(char) == bidi_visible(char) == f"\\u{ord(char):04x}"
