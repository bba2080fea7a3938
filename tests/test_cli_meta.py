"""The CLI as a whole: start-up imports, help text and documentation of every command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from cctrack.cli import app

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_help_imports_no_core_modules() -> None:
    code = (
        "import sys; from cctrack.cli import main; sys.argv = ['cctrack', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "import json; print(json.dumps(sorted(sys.modules)), file=sys.stderr)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(run.stderr.strip().splitlines()[-1]))
    ours = {m for m in loaded if m.startswith("cctrack")}
    assert ours == {"cctrack", "cctrack.cli"}
    assert not {m for m in loaded if m.split(".")[0] in {"pydantic", "yaml", "pydantic_core"}}
    assert "Usage" in run.stdout


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_and_an_example(name: str) -> None:
    command = typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]
    assert command.help and "Example: cctrack" in command.help


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"cctrack {name}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_validation_code_is_in_the_readme() -> None:
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "cctrack").rglob("*.py"))
    code = r'"([a-z]+(?:-[a-z0-9]+)+)"'
    found = set(
        re.findall(rf"(?:ERROR|WARNING|Error\(|problem\(\w+|code =|\w+\": ),? *{code}", source)
    )
    assert {"unknown-target", "duplicate-key", "stale-target", "invalid-percent"} <= found
    documented = set(re.findall(r"`([a-z]+(?:-[a-z0-9]+)+)`", readme))
    assert not sorted(found - documented), "codes missing from the README"


def test_cli_choices_match_the_model() -> None:
    """The CLI keeps its own copies of these choices so that `--help` needs no model import."""
    from cctrack import cli, model
    from cctrack.categories import CATEGORIES
    from cctrack.quantity import Bound

    pairs = [(cli.EstimateChoice, model.Estimate), (cli.BoundChoice, Bound),
             (cli.Grade, model.Reliability)]  # fmt: skip
    for ours, theirs in pairs:
        assert [e.value for e in ours] == [e.value for e in theirs]
    assert tuple(cli.CATEGORIES) == CATEGORIES == tuple(s.value for s in model.Status)
