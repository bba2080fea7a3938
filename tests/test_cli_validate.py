"""`cctrack validate` and `cctrack schema` through the real command line.

CliRunner for exact output and exit codes; a subprocess for `python -m cctrack`, the working
directory and the environment. The CLI must add no logic: its JSON equals the library's result.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import OBSERVATIONS, RELEASES, SOURCE, TARGETS, MakeData
from typer.testing import CliRunner

from cctrack import pipeline
from cctrack.cli import app
from cctrack.dataset import PACKAGED
from cctrack.problem import Problem

AS_OF = "2024-06-01"
TODAY = date(2024, 6, 1)

# a second target with an unknown field at line 17, column 5
BAD_TARGETS = (
    TARGETS
    + TARGETS.removeprefix("targets:\n")
    .replace("id: nev", "id: other")
    .replace("    start: 2021\n", "    start: 2021\n    colour: red\n")
    + RELEASES
)
# so nev has no figure: its 2023 figure, due from the work report about 2024-01-15, is overdue
BAD_OBSERVATIONS = OBSERVATIONS.replace("value: 500000", "value: lots")
WARN_ONLY_TARGETS = TARGETS.replace(SOURCE, "{title: Plan}")  # source-incomplete


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CCTRACK_DATA", "GITHUB_ACTIONS", "CCTRACK_DEBUG"):
        monkeypatch.delenv(name, raising=False)


def cli(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    assert "Traceback" not in result.stdout + result.stderr
    # a clean exit (or a usage error) raises SystemExit; anything else is a crash
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def run(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in {"CCTRACK_DATA", "GITHUB_ACTIONS"}}
    proc = subprocess.run(
        [sys.executable, "-m", "cctrack", *args],
        cwd=cwd, env={**base, **(env or {})}, capture_output=True, text=True,
        encoding="utf-8", timeout=120, check=False,
    )  # fmt: skip
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc


def as_json(problems: list[Problem]) -> list[dict[str, object]]:
    return [
        {"file": p.path, "line": p.line, "col": p.col, "severity": p.severity, "code": p.code,
         "message": p.message}
        for p in problems
    ]  # fmt: skip


# --- text -------------------------------------------------------------------------------------


def test_text_lines_for_a_bad_data_set(make_data: MakeData) -> None:
    directory = make_data(BAD_TARGETS, BAD_OBSERVATIONS)
    code, out, err = cli("validate", "--data", str(directory), "--as-of", AS_OF)
    assert code == 1
    lines = out.splitlines()
    patterns = [
        (directory / "observations.yaml", 4, 12, "error", "invalid-quantity"),
        (directory / "targets.yaml", 2, 9, "warning", "overdue-release"),
        (directory / "targets.yaml", 17, 5, "error", "unknown-field"),
    ]
    assert len(lines) == len(patterns), out
    for line, (path, ln, col, severity, pcode) in zip(lines, patterns, strict=True):
        assert re.fullmatch(
            rf"{re.escape(str(path))}:{ln}:{col}: {severity}: \S.* \[{re.escape(pcode)}\]", line
        ), line
    # exactly the library's problems, one line each, in its order
    problems = pipeline.run(Path(directory), TODAY).problems
    assert out == "".join(p.format() + "\n" for p in problems)
    assert "colour" in lines[2]
    assert err.strip()  # the summary goes to stderr, not into the machine-readable lines


def test_clean_data_prints_nothing_and_exits_0(make_data: MakeData) -> None:
    code, out, _ = cli("validate", "--data", str(make_data()), "--as-of", AS_OF)
    assert (code, out) == (0, "")


def test_warnings_only_exit_0_and_1_with_strict(make_data: MakeData) -> None:
    directory = make_data(WARN_ONLY_TARGETS, OBSERVATIONS)
    code, out, _ = cli("validate", "--data", str(directory), "--as-of", AS_OF)
    assert code == 0
    assert re.fullmatch(
        rf"{re.escape(str(directory / 'targets.yaml'))}:9:13: warning: .+ \[source-incomplete\]\n",
        out,
    )
    code, out2, _ = cli("validate", "--data", str(directory), "--as-of", AS_OF, "--strict")
    assert code == 1  # the warning fails --strict, which also lists the entries without a quote
    unquoted = [
        f"{directory / 'observations.yaml'}:2:13: info: nev 2023 has no quote [quote-missing]",
        f"{directory / 'targets.yaml'}:2:9: info: target nev has no quote [quote-missing]",
    ]
    assert sorted(out2.splitlines()) == sorted([*out.splitlines(), *unquoted])


def test_strict_with_no_problem_exits_0(make_data: MakeData) -> None:
    code, _, _ = cli("validate", "--data", str(make_data()), "--as-of", AS_OF, "--strict")
    assert code == 0


def test_markup_like_text_is_printed_as_is(make_data: MakeData) -> None:
    # Rich would swallow "[bold]" and wrap long lines; machine-readable lines must not be touched
    targets = TARGETS.replace("    start: 2021\n", "    start: 2021\n    '[bold]': x\n")
    directory = make_data(targets)
    _, out, _ = cli("validate", "--data", str(directory), "--as-of", AS_OF)
    (line,) = out.splitlines()
    assert "'[bold]'" in line
    assert line.endswith("[unknown-field]")


def test_missing_observations_is_an_error_naming_a_yml_file(make_data: MakeData) -> None:
    directory = make_data(TARGETS, None)
    code, out, _ = cli("validate", "--data", str(directory), "--as-of", AS_OF)
    path = directory / "observations.yaml"
    assert (code, out) == (
        1,
        f"{path}:1:1: error: no observations.yaml in {directory} [file-missing]\n",
    )
    (directory / "observations.yml").write_text(OBSERVATIONS, encoding="utf-8")
    code, out, _ = cli("validate", "--data", str(directory), "--as-of", AS_OF)
    assert (code, out) == (
        1,
        f"{path}:1:1: error: no observations.yaml in {directory}; found observations.yml: "
        "cctrack reads observations.yaml [file-missing]\n",
    )


def test_a_syntax_error_is_the_only_line(make_data: MakeData) -> None:
    # no observation could be read: no overdue-release or deadline-passed for every target
    directory = make_data(TARGETS, OBSERVATIONS.replace("value: 500000", "value: [1, 2"))
    code, out, _ = cli("validate", "--data", str(directory), "--as-of", "2026-11-22", "--strict")
    assert code == 1
    assert re.fullmatch(
        rf"{re.escape(str(directory / 'observations.yaml'))}:5:11: error: .+ \[yaml-syntax\]\n", out
    ), out


# --- json and github --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("targets", "observations"),
    [(BAD_TARGETS, BAD_OBSERVATIONS), (WARN_ONLY_TARGETS, OBSERVATIONS), (TARGETS, OBSERVATIONS)],
)
def test_json_equals_the_library_result(
    targets: str, observations: str, make_data: MakeData
) -> None:
    directory = make_data(targets, observations)
    code, out, _ = cli("validate", "--data", str(directory), "--as-of", AS_OF, "--format", "json")
    rows = json.loads(out)
    assert isinstance(rows, list)
    for row in rows:
        assert set(row) == {"file", "line", "col", "severity", "code", "message"}
        assert isinstance(row["line"], int)
        assert isinstance(row["col"], int)
    problems = pipeline.run(Path(directory), TODAY).problems
    assert rows == as_json(problems)
    assert code == (1 if any(p.is_error for p in problems) else 0)


def test_json_of_a_bad_data_set(make_data: MakeData) -> None:
    directory = make_data(BAD_TARGETS, BAD_OBSERVATIONS)
    _, out, _ = cli("validate", "--data", str(directory), "--as-of", AS_OF, "--format", "json")
    rows = [(r["file"], r["line"], r["col"], r["severity"], r["code"]) for r in json.loads(out)]
    assert rows == [
        (str(directory / "observations.yaml"), 4, 12, "error", "invalid-quantity"),
        (str(directory / "targets.yaml"), 2, 9, "warning", "overdue-release"),
        (str(directory / "targets.yaml"), 17, 5, "error", "unknown-field"),
    ]


def test_github_annotations(make_data: MakeData) -> None:
    directory = make_data(BAD_TARGETS, BAD_OBSERVATIONS)
    code, out, _ = cli("validate", "--data", str(directory), "--as-of", AS_OF, "--format", "github")
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"::error file={directory / 'observations.yaml'},line=4,col=12")
    assert lines[1].startswith(f"::warning file={directory / 'targets.yaml'},line=2,col=9")
    assert lines[2].startswith(f"::error file={directory / 'targets.yaml'},line=17,col=5")
    assert all("::" in line.split(",col=", 1)[1] for line in lines)
    assert "invalid-quantity" in lines[0]


def test_github_is_the_default_under_github_actions(make_data: MakeData) -> None:
    directory = make_data(BAD_TARGETS, BAD_OBSERVATIONS)
    _, out, _ = cli("validate", "--data", str(directory), "--as-of", AS_OF,
                    env={"GITHUB_ACTIONS": "true"})  # fmt: skip
    assert out.startswith("::error file=")
    _, out, _ = cli("validate", "--data", str(directory), "--as-of", AS_OF, "--format", "text",
                    env={"GITHUB_ACTIONS": "true"})  # fmt: skip
    assert out.startswith(str(directory))


# --- usage errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "--bogus"),
        ("validate", "--format", "xml"),
        ("validate", "--as-of", "someday"),
        ("schema", "everything"),
        ("no-such-command",),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...], make_data: MakeData) -> None:
    code, _, err = cli(*args)
    assert code == 2
    assert err.strip()


# --- hostile input through the whole program --------------------------------------------------


def _laughs() -> str:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        text += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
    return text


@pytest.mark.parametrize(
    ("observations", "code"),
    [
        (_laughs(), "alias-bomb"),
        ("observations: " + "[" * 100_000 + "]" * 100_000 + "\n", "too-deep"),
        (b"observations:\n  - target: \xff\n", "invalid-utf8"),
        ("observations:\n  - target: nev\n\tperiod: 2023\n", "yaml-syntax"),
        ("observations: !!python/object/apply:os.system [echo]\n", "non-standard-tag"),
        (OBSERVATIONS.replace("500000", "1e999999 bn"), "invalid-quantity"),
        (OBSERVATIONS.replace("500000", "9" * 5000), "invalid-quantity"),
        (OBSERVATIONS.replace("2023", "0x" + "f" * 5000), "invalid-period"),
    ],
)
def test_hostile_input_is_an_error_not_a_crash(
    observations: str | bytes, code: str, make_data: MakeData
) -> None:
    directory = make_data(TARGETS, observations)
    exit_code, out, _ = cli(
        "validate", "--data", str(directory), "--as-of", AS_OF, "--format", "json"
    )
    assert exit_code == 1
    assert code in {row["code"] for row in json.loads(out)}


def test_too_deep_names_the_limit_and_where_it_is_passed(make_data: MakeData) -> None:
    directory = make_data(TARGETS, "observations: " + "[" * 1_000_000 + "\n")
    exit_code, out, _ = cli(
        "validate", "--data", str(directory), "--as-of", AS_OF, "--format", "json"
    )
    assert exit_code == 1
    (row,) = [row for row in json.loads(out) if row["code"] == "too-deep"]
    # the mapping is level 1; the 64th "[" (column 15 + 63) is level 65
    assert row["file"].endswith("observations.yaml")
    assert (row["line"], row["col"]) == (1, 78)
    assert "64 levels" in row["message"]


# --- schema -----------------------------------------------------------------------------------


@pytest.mark.parametrize("file", ["targets", "observations"])
def test_schema(file: str) -> None:
    code, out, _ = cli("schema", file)
    assert code == 0
    schema = json.loads(out)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert file in schema["properties"]


def test_schema_default_is_targets() -> None:
    _, out, _ = cli("schema")
    assert "targets" in json.loads(out)["properties"]


# --- python -m cctrack, working directory, environment ----------------------------------------


def test_python_m_cctrack_help(tmp_path: Path) -> None:
    proc = run("--help", cwd=tmp_path)
    assert proc.returncode == 0
    assert "validate" in proc.stdout


def test_python_m_cctrack_bad_file(tmp_path: Path, make_data: MakeData) -> None:
    directory = make_data(BAD_TARGETS, BAD_OBSERVATIONS)
    proc = run("validate", "--data", str(directory), "--as-of", AS_OF, cwd=tmp_path)
    assert proc.returncode == 1
    problems = pipeline.run(Path(directory), TODAY).problems
    assert proc.stdout == "".join(p.format() + "\n" for p in problems)


def test_python_m_cctrack_usage_error(tmp_path: Path) -> None:
    proc = run("validate", "--format", "xml", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == ""


def _files(proc: subprocess.CompletedProcess[str]) -> set[Path]:
    return {Path(row["file"]).parent for row in json.loads(proc.stdout)}


def test_shipped_data_is_found_from_any_directory(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # 2030: every deadline has passed, so there are warnings to show where they came from
    proc = run("validate", "--format", "json", "--as-of", "2030-01-01", cwd=elsewhere)
    assert proc.returncode == 0, proc.stderr
    # the package data of whichever cctrack a fresh interpreter imports there (in CI the
    # installed copy, in development the checkout)
    where = subprocess.run(
        [sys.executable, "-c", "from cctrack.dataset import PACKAGED; print(PACKAGED.resolve())"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert _files(proc) == {Path(where)}
    assert (Path(where) / "targets.yaml").read_bytes() == (PACKAGED / "targets.yaml").read_bytes()


def test_data_option_and_environment_override(tmp_path: Path, make_data: MakeData) -> None:
    env_dir = make_data(WARN_ONLY_TARGETS, OBSERVATIONS, name="from-env")
    opt_dir = make_data(BAD_TARGETS, BAD_OBSERVATIONS, name="from-option")
    local = make_data(WARN_ONLY_TARGETS, BAD_OBSERVATIONS, name="cwd/data")
    cwd = local.parent
    args = ("validate", "--format", "json", "--as-of", AS_OF)

    proc = run(*args, cwd=cwd)  # ./data holding targets.yaml beats the shipped data
    assert _files(proc) == {Path("data")}
    proc = run(*args, cwd=cwd, env={"CCTRACK_DATA": str(env_dir)})  # $CCTRACK_DATA beats ./data
    assert (proc.returncode, _files(proc)) == (0, {env_dir})
    proc = run(*args, "--data", str(opt_dir), cwd=cwd, env={"CCTRACK_DATA": str(env_dir)})
    assert (proc.returncode, _files(proc)) == (1, {opt_dir})


def test_console_script(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "cctrack"
    if not script.exists():
        pytest.skip("the cctrack console script is not installed next to this Python")
    proc = subprocess.run(
        [str(script), "schema", "observations"], cwd=tmp_path, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 0
    assert "$schema" in json.loads(proc.stdout)
