"""The command line's one-line errors for a data directory that is not there, a data file
missing from it and a report that cannot be written: the common ``cctrack: error: ARG: what``
form, the documented exit code, nothing on standard output, no traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cctrack.cli import app
from cctrack.exitcode import ExitCode
from cctrack.location import PACKAGED

COMMANDS = [
    ["status"],
    ["status", "--format", "json"],
    ["validate"],
    ["show", "tourism-revenue"],
    ["report", "--html", "{tmp}/r.html"],
    ["diff"],
]


def _invoke(tmp_path: Path, args: list[str], **env: str) -> tuple[int, str, str]:
    runner = CliRunner(env={"NO_COLOR": "1", "CCTRACK_NO_CACHE": "1", **env})
    ran = runner.invoke(app, [a.replace("{tmp}", str(tmp_path)) for a in args])
    assert ran.exception is None or isinstance(ran.exception, SystemExit), ran.exception
    return ran.exit_code, ran.stdout, ran.stderr


@pytest.mark.parametrize("args", COMMANDS)
def test_a_missing_data_directory_is_one_usage_line(tmp_path: Path, args: list[str]) -> None:
    missing = tmp_path / "nowhere"
    code, out, err = _invoke(tmp_path, [*args, "--data", str(missing)])
    assert (code, out) == (ExitCode.USAGE, "")
    assert err.splitlines() == [f"cctrack: error: --data: {missing} is not a directory"]
    assert list(tmp_path.iterdir()) == []  # no report written


def test_the_environment_variable_is_named_when_it_chose_the_directory(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    code, out, err = _invoke(tmp_path, ["status"], CCTRACK_DATA=str(missing))
    assert (code, out) == (ExitCode.USAGE, "")
    assert err.splitlines() == [f"cctrack: error: $CCTRACK_DATA: {missing} is not a directory"]


@pytest.mark.parametrize("args", [a for a in COMMANDS if a[0] in {"status", "show", "report"}])
@pytest.mark.parametrize("kept", ["targets.yaml", "observations.yaml", None])
def test_a_missing_data_file_is_one_usage_line(
    tmp_path: Path, args: list[str], kept: str | None
) -> None:
    d = tmp_path / "d"
    d.mkdir()
    if kept:
        shutil.copy(PACKAGED / kept, d / kept)
    code, out, err = _invoke(tmp_path, [*args, "--data", str(d)])
    assert (code, out) == (ExitCode.USAGE, "")
    (line,) = err.splitlines()
    names = [n for n in ("observations.yaml", "targets.yaml") if n != kept]
    assert line == "cctrack: error: --data: " + "; ".join(f"no {n} in {d}" for n in names)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d"]


def test_validate_still_reports_a_missing_file_in_its_format(tmp_path: Path) -> None:
    """validate's job is to list what is wrong with the data, in the format asked (a CI's
    annotations): a file missing from an existing directory stays one of its problems."""
    d = tmp_path / "d"
    d.mkdir()
    shutil.copy(PACKAGED / "targets.yaml", d / "targets.yaml")
    code, out, _ = _invoke(tmp_path, ["validate", "--data", str(d)])
    assert code == ExitCode.INVALID and "[file-missing]" in out


@pytest.mark.parametrize("where", ["missing-dir/r.html", "a-file/r.html"])
def test_a_report_that_cannot_be_written_is_the_common_error_line(
    tmp_path: Path, where: str
) -> None:
    (tmp_path / "a-file").write_text("not a directory", encoding="utf-8")
    out = tmp_path / where
    code, stdout, err = _invoke(tmp_path, ["report", "--html", str(out), "--data", str(PACKAGED)])
    assert (code, stdout) == (ExitCode.INVALID, "")
    (line,) = err.splitlines()
    assert line.startswith(f"cctrack: error: --html: cannot write {out}: ")


def test_the_script_prints_no_traceback_for_a_missing_directory(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "cctrack", "status", "--data", str(tmp_path / "x")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "CCTRACK_CACHE_DIR": str(tmp_path / "cache")},
        check=False,
    )
    assert proc.returncode == ExitCode.USAGE and proc.stdout == ""
    assert proc.stderr == f"cctrack: error: --data: {tmp_path / 'x'} is not a directory\n"
