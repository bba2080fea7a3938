"""The CLI as a whole: start-up imports, help text and documentation of every command."""

from __future__ import annotations

import json
import subprocess
import sys
from enum import Enum
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

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
    # the choices' vocabularies import nothing but the standard library (the languages are the
    # catalogues found, by the catalogue module, which reads none of them for --help)
    assert ours == {
        "cctrack", "cctrack.cli", "cctrack.vocabulary", "cctrack.categories", "cctrack.exitcode",
        "cctrack.render", "cctrack.render.catalogue",
    }  # fmt: skip
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
    assert {"unknown-target", "duplicate-key", "overdue-release", "invalid-percent"} <= found
    documented = set(re.findall(r"`([a-z]+(?:-[a-z0-9]+)+)`", readme))
    assert not sorted(found - documented), "codes missing from the README"


def _choices() -> dict[tuple[str, str], list[str]]:
    """Every choice the built command offers: (command, option) -> its values, in order."""
    out = {}
    for name, command in typer.main.get_command(app).commands.items():  # type: ignore[attr-defined]
        for param in command.params:
            choices = getattr(param.type, "choices", None)  # a Choice (Typer may vendor Click)
            if choices is not None:
                out[(name, param.opts[0])] = [str(getattr(c, "value", c)) for c in choices]
    return out


def test_every_cli_choice_is_the_domains() -> None:
    """Each choice the command line offers is exactly the set of values of the code that takes
    it: the domain's enumerations, the renderers' formats and languages, the schema's files."""
    from cctrack import vocabulary as v
    from cctrack.render.catalogue import languages
    from cctrack.schema import _MODELS

    def values(enum: type[Enum]) -> list[str]:
        return [str(e.value) for e in enum]

    domain = {
        ("status", "--method"): values(v.Method),
        ("show", "--method"): values(v.Method),
        ("report", "--method"): values(v.Method),
        ("diff", "--method"): values(v.Method),
        ("status", "--min-confidence"): values(v.Confidence),
        ("add-observation", "--estimate"): values(v.Estimate),
        ("add-observation", "--bound"): values(v.Bound),
        ("add-observation", "--reliability"): values(v.Reliability),
        ("add-observation", "--price-basis"): values(v.PriceBasis),
        ("schema", "file"): list(_MODELS),
    }
    rendered = {
        ("validate", "--format"): ["text", "json", "github"],
        ("status", "--format"): ["table", "json", "csv", "markdown"],
        ("status", "--lang"): languages(),
        ("show", "--lang"): languages(),
        ("report", "--lang"): languages(),
        ("diff", "--format"): ["table", "json", "markdown"],
        ("diff", "--lang"): languages(),
    }
    assert _choices() == domain | rendered  # a new choice must be added here, and checked
    # The renderers' values are checked by running each: test_every_output_choice_runs.


def test_a_new_catalogue_is_a_choice_and_named_in_the_help() -> None:
    """--lang offers, and its help names, every catalogue found: one more file is one more
    language, with no change of code (tests/test_words.py runs one)."""
    import importlib

    import cctrack.cli
    from cctrack.render.catalogue import LOCALE, languages

    new = LOCALE / "xx.po"
    new.write_text((LOCALE / "en.po").read_text(encoding="utf-8"), encoding="utf-8")
    try:
        cli = importlib.reload(cctrack.cli)
        assert languages()[0] == "en" and "xx" in languages()
        runner = CliRunner(env={"COLUMNS": "2000", "NO_COLOR": "1"})
        for command in ("status", "show", "report"):
            assert [str(c.value) for c in cli.Lang] == languages()
            help_text = runner.invoke(cli.app, [command, "--help"]).stdout
            assert f"words: {', '.join(languages())} (" in help_text, help_text
    finally:
        new.unlink()
        importlib.reload(cctrack.cli)


@pytest.mark.parametrize(
    ("command", "option"),
    [(c, o) for c, o in sorted(_choices()) if o in {"--format", "--lang", "--method"}],
)
def test_every_output_choice_runs(command: str, option: str, tmp_path: Path) -> None:
    """Every format, language and method the command line offers makes output from the shipped
    data, each a different one."""
    args = {"validate": ["validate"], "status": ["status"], "show": ["show", "tourism-revenue"],
            "report": ["report", "--html", str(tmp_path / "r.html")],
            "diff": ["diff", "--from", "2024-06-30"]}[command]  # fmt: skip
    outputs = set()
    for choice in _choices()[(command, option)]:
        result = CliRunner().invoke(app, [*args, option, choice, "--as-of", "2025-06-30"])
        assert result.exit_code == 0, (choice, result.output)
        outputs.add(
            result.stdout + (tmp_path / "r.html").read_text()
            if command == "report"
            else result.stdout
        )
    assert len(outputs) == len(_choices()[(command, option)])


def test_fail_on_offers_every_category() -> None:
    """--fail-on takes every category of the domain (and names them all in its help)."""
    from cctrack.vocabulary import Status

    runner = CliRunner(env={"COLUMNS": "2000"})
    help_text = runner.invoke(app, ["status", "--help"]).stdout
    assert ", ".join(s.value for s in Status) in help_text
    for s in Status:
        result = runner.invoke(app, ["status", "--fail-on", s.value, "--as-of", "2025-06-30"])
        assert result.exit_code in (0, 1), (s, result.output)
    assert runner.invoke(app, ["status", "--fail-on", "on-track"]).exit_code == 2


def _main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the console script's entry point in-process: its exit status, stdout and stderr."""
    from cctrack.cli import main

    with pytest.MonkeyPatch.context() as m:
        m.setattr(sys, "argv", ["cctrack", *argv])
        with pytest.raises(SystemExit) as exited:
            main()
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (["report", "-o", "x"], "-o: no such option"),  # unknown option
        (["status", "--lan", "zh"], "--lan: no such option (did you mean '--lang'"),
        (["--bogus"], "--bogus: no such option"),
        (["status", "--lang", "xx"], "--lang: 'xx' is not one of 'en', 'zh'"),  # bad choice
        (["validate", "--format", "yaml"], "--format: 'yaml' is not one of 'text', 'json'"),
        (["show"], "ID: missing (a required argument)"),  # missing argument
        (["report"], "--html: missing (a required option)"),
        (["report", "--html"], "--html: requires an argument"),  # an option without its value
        (["validate", "--strict=yes"], "--strict: does not take a value"),
        (["show", "a", "b"], "show: got unexpected extra argument"),  # extra argument
        (["stats"], "no such command 'stats' (did you mean 'status'?)"),  # unknown command
    ],
)
def test_a_wrong_command_line_is_one_line_and_exit_2(
    argv: list[str], line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every kind of usage error Click finds is one line on stderr, like cctrack's own, with no
    boxed usage block; nothing on stdout."""
    code, out, err = _main(argv, capsys)
    assert code == 2
    assert out == ""
    (only,) = err.splitlines()
    assert only.startswith(f"cctrack: error: {line}"), err


@pytest.mark.parametrize("argv", [["--help"], ["status", "-h"], ["--version"]])
def test_help_and_version_exit_0_through_the_entry_point(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _main(argv, capsys)
    assert code == 0 and err == ""
    assert "Usage" in out or out.startswith("cctrack ")


def test_ctrl_c_is_one_line_and_exit_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import cctrack.pipeline

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cctrack.pipeline, "run", interrupted)
    code, out, err = _main(["status", "--as-of", "2025-06-30"], capsys)
    assert code == 130 and out == ""
    assert err.strip().splitlines()[-1] == "cctrack: interrupted"
