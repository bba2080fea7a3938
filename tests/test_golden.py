"""Every output byte for byte: each command, format and language on the shipped data and on the
test fixtures, against the files in ``tests/golden/``.

A change of wording or layout fails here until the files are made again on purpose:

    CCTRACK_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py

writes every file anew (and removes the ones no case makes); review the diff before committing
it. The date is fixed (``--as-of``), so the files do not change with the calendar. Each case's
file holds its standard output; ``_exit.txt`` holds each case's exit code and standard error.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cctrack.cli import app

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("CCTRACK_UPDATE_GOLDEN") == "1"
AS_OF = "2026-11-22"
DATA = {"shipped": "data", "fixtures": "tests/fixtures/first-data"}
LANGS = ("en", "zh")
PLAIN = {"NO_COLOR": "1", "CCTRACK_DATA": None, "GITHUB_ACTIONS": None, "FORCE_COLOR": None}


def _target_ids(directory: str) -> list[str]:
    """The ids of a data set's targets, in file order (read plainly: no cctrack code)."""
    text = (ROOT / directory / "targets.yaml").read_text(encoding="utf-8")
    listed = text.split("\ntargets:\n", 1)[1]  # the releases: list before it has ids too
    return [line.split(":", 1)[1].strip() for line in listed.splitlines()
            if line.startswith("  - id:")]  # fmt: skip


def _cases() -> list[tuple[str, list[str], dict[str, str | None]]]:
    """(file name, arguments, environment) of every case; ``{html}`` is the report's path."""
    cases: list[tuple[str, list[str], dict[str, str | None]]] = []
    for name, directory in DATA.items():
        common = ["--data", directory, "--as-of", AS_OF]
        for lang in LANGS:
            at = [*common, "--lang", lang]
            for width in (200, 80, 40):
                env = {**PLAIN, "COLUMNS": str(width)}
                cases.append((f"{name}-status-{lang}-{width}.txt", ["status", *at], env))
            colour = {**PLAIN, "NO_COLOR": None, "FORCE_COLOR": "1", "TERM": "xterm-256color",
                      "COLUMNS": "120"}  # fmt: skip
            cases.append((f"{name}-status-{lang}-colour.txt", ["status", *at], colour))
            linear = {**PLAIN, "COLUMNS": "200"}
            cases.append(
                (f"{name}-status-{lang}-linear.txt", ["status", *at, "--method", "linear"], linear)
            )
            for fmt, ext in (("json", "json"), ("csv", "csv"), ("markdown", "md")):
                args = ["status", *at, "--format", fmt]
                cases.append((f"{name}-status-{lang}.{ext}", args, {**PLAIN, "COLUMNS": "200"}))
            cases.append((f"{name}-report-{lang}.html", ["report", *at, "--html", "{html}"],
                          {**PLAIN, "COLUMNS": "200"}))  # fmt: skip
        for fmt in ("text", "json", "github"):
            args = ["validate", *common, "--format", fmt]
            cases.append((f"{name}-validate-{fmt}.txt", args, {**PLAIN, "COLUMNS": "200"}))
    # diff: the fixtures' files as of a date before and as of AS_OF (a date needs no git)
    since = ["diff", "--data", DATA["fixtures"], "--from", "2024-06-30", "--as-of", AS_OF]
    for lang in LANGS:
        args = [*since, "--lang", lang]
        cases.append((f"fixtures-diff-{lang}-80.txt", args, {**PLAIN, "COLUMNS": "80"}))
    for fmt, ext in (("json", "json"), ("markdown", "md")):
        args = [*since, "--format", fmt]
        cases.append((f"fixtures-diff-en.{ext}", args, {**PLAIN, "COLUMNS": "200"}))
    return cases


def _show_cases() -> list[tuple[str, str, str, str]]:
    """(file name, data directory, language, method): ``show`` of every target, one file per
    data set and language (the linear method on the fixtures only: the files stay small)."""
    methods = {"shipped": ("growth-ratio",), "fixtures": ("growth-ratio", "linear")}
    return [(f"{name}-show-{lang}{'-linear' if method == 'linear' else ''}.txt", directory, lang,
             method)
            for name, directory in DATA.items() for lang in LANGS
            for method in methods[name]]  # fmt: skip


def _invoke(args: list[str], env: dict[str, str | None]) -> tuple[str, int, str]:
    result = CliRunner(env=env).invoke(app, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.stdout, result.exit_code, result.stderr


def _outputs(tmp_path: Path) -> dict[str, str]:
    """Every case's output, by file name, and ``_exit.txt``."""
    out: dict[str, str] = {}
    exits: list[str] = []
    for name, args, env in _cases():
        report = tmp_path / name
        args = [str(report) if a == "{html}" else a for a in args]
        stdout, code, stderr = _invoke(args, env)
        if "--html" in args:
            assert code == 0, stderr
            stdout = report.read_text(encoding="utf-8")
            stderr = stderr.replace(str(report), "REPORT")
        out[name] = stdout
        exits.append(f"{name}: exit {code}: {stderr!r}")
    for name, directory, lang, method in _show_cases():
        parts = []
        for tid in _target_ids(directory):
            args = ["show", tid, "--data", directory, "--as-of", AS_OF, "--lang", lang,
                    "--method", method]  # fmt: skip
            stdout, code, stderr = _invoke(args, {**PLAIN, "COLUMNS": "100"})
            parts.append(f"=== {tid} (exit {code}) {stderr!r}\n{stdout}")
        out[name] = "".join(parts)
    out["_exit.txt"] = "\n".join(exits) + "\n"
    return out


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    cwd = Path.cwd()
    os.chdir(ROOT)  # the data directories by relative paths: the files name them so
    try:
        made = _outputs(tmp_path_factory.mktemp("golden"))
    finally:
        os.chdir(cwd)
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        for old in GOLDEN.iterdir():
            if old.name not in made:
                old.unlink()
        for name, text in made.items():
            (GOLDEN / name).write_bytes(text.encode("utf-8"))
    return made


def test_every_case_has_its_file(outputs: dict[str, str]) -> None:
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(outputs)


def test_the_cases_cover_every_target_and_format(outputs: dict[str, str]) -> None:
    """A guard on the guard: the files hold real output, every target's ``show`` among it."""
    for name, directory in DATA.items():
        ids = _target_ids(directory)
        assert len(ids) > 10
        for lang in LANGS:
            show = outputs[f"{name}-show-{lang}.txt"]
            assert all(f"=== {tid} (exit 0)" in show for tid in ids)
            assert "\x1b[" in outputs[f"{name}-status-{lang}-colour.txt"]
            assert "\x1b[" not in outputs[f"{name}-status-{lang}-80.txt"]
            assert outputs[f"{name}-report-{lang}.html"].startswith("<!DOCTYPE html>")
    assert "进度正常" in outputs["shipped-status-zh-200.txt"]
    assert "on track" in outputs["shipped-status-en-200.txt"]


@pytest.mark.parametrize("name", sorted([c[0] for c in _cases()] +
                                        [c[0] for c in _show_cases()] + ["_exit.txt"]))  # fmt: skip
def test_output_unchanged(outputs: dict[str, str], name: str) -> None:
    expected = (GOLDEN / name).read_bytes().decode("utf-8")
    got = outputs[name]
    if got != expected:  # the first differing line, not the whole file
        pairs = zip(expected.splitlines(), got.splitlines(), strict=False)
        n, (old, new) = next(((i, p) for i, p in enumerate(pairs, 1) if p[0] != p[1]),
                             (0, ("", "")))  # fmt: skip
        pytest.fail(f"{name} line {n}:\n  golden: {old!r}\n  now:    {new!r}")
