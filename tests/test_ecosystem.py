"""cctrack among its users' tools, each run for real: the pre-commit hook, the GitHub workflows,
check-jsonschema on the output of `cctrack schema`, and shell completion.

The pre-commit tests build the hook's environment the way a user's pre-commit does: a virtualenv
and a pip install of a snapshot of this checkout, from PyPI. That is three builds per session
(see below), 30 seconds in all with pip's cache warm, a minute or two without.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import OBS_SOURCE, OBSERVATION_ENTRY, OBSERVATIONS, TARGETS, MakeData
from typer.testing import CliRunner

from cctrack.cli import app

# every test here runs other tools (check-jsonschema, pre-commit, actionlint) as subprocesses
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2024-06-01"  # the minimal data set in conftest has no problem at all on this day
# Line 3 of OBSERVATIONS is "    period: 2023": the value starts at column 13.
BAD_OBSERVATIONS = OBSERVATIONS.replace("period: 2023", "period: 2023-13")
BUILD_TIMEOUT = 900  # the first pre-commit run creates a virtualenv and pip-installs cctrack
RUN_TIMEOUT = 120


def tool(name: str, module: str | None = None) -> list[str] | None:
    """How to run a tool: ``python -m module`` in this environment, else ``name`` on PATH."""
    if module and importlib.util.find_spec(module):
        return [sys.executable, "-m", module]
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    return [found] if found else None


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without what changes cctrack's output, and no user git configuration."""
    drop = {"CCTRACK_DATA", "CCTRACK_DEBUG", "GITHUB_ACTIONS"}
    drop.add("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION")  # makes --show-completion take a shell
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("GIT_")}
    git = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "test@example.org"}  # fmt: skip
    return {**env, **git, **extra}


def run(
    cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = RUN_TIMEOUT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8",
        timeout=timeout, check=False,
    )  # fmt: skip


def git(cwd: Path, *args: str) -> str:
    proc = run(["git", *args], cwd, clean_env())
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


# --- pre-commit ------------------------------------------------------------------------------
# `pre-commit try-repo` always works in a throwaway store (it ignores PRE_COMMIT_HOME), so each
# try-repo run builds the hook's environment again; pip's wheel cache makes the second build
# quick. `pre-commit run` with a .pre-commit-config.yaml, as users install the hook, shares the
# session's PRE_COMMIT_HOME and builds once.


@pytest.fixture(scope="session")
def pre_commit() -> list[str]:
    cmd = tool("pre-commit", "pre_commit")
    if cmd is None or shutil.which("git") is None:
        pytest.skip("the pre-commit hook tests need pre-commit and git on PATH")
    return cmd


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory, pre_commit: list[str]) -> Path:
    """This checkout as a git repository with everything committed, for pre-commit to install."""
    src = tmp_path_factory.mktemp("hook-repo") / "cctrack"
    skip = (".git", ".venv", "*.egg-info", "__pycache__", ".*_cache", "dist", "build")
    shutil.copytree(ROOT, src, symlinks=True, ignore=shutil.ignore_patterns(*skip))
    git(src, "init", "-q")
    git(src, "add", "-A")
    git(src, "commit", "-q", "-m", "snapshot of the checkout under test")
    return src


@pytest.fixture(scope="session")
def pre_commit_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One PRE_COMMIT_HOME for the session, so `pre-commit run` builds the environment once."""
    return clean_env(PRE_COMMIT_HOME=str(tmp_path_factory.mktemp("pre-commit-home")))


def user_repo(root: Path, observations: str, data: str = "data") -> Path:
    """A user's repository holding a data directory, its files added to git."""
    root.mkdir()
    git(root, "init", "-q")
    (root / data).mkdir(parents=True)
    (root / data / "targets.yaml").write_text(TARGETS, encoding="utf-8")
    (root / data / "observations.yaml").write_text(observations, encoding="utf-8")
    git(root, "add", "-A")
    return root


def try_repo(cmd: list[str], hook_repo: Path, cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    args = ["try-repo", str(hook_repo), "cctrack-validate", "--all-files"]
    proc = run([*cmd, *args], cwd, env, BUILD_TIMEOUT)
    return proc.returncode, proc.stdout + proc.stderr


def run_hook(
    cmd: list[str], hook_repo: Path, cwd: Path, env: dict[str, str], args: list[str] | None = None
) -> tuple[int, str]:
    """`pre-commit run --all-files` with the hook in .pre-commit-config.yaml, as users have it."""
    hook: dict[str, Any] = {"id": "cctrack-validate"}
    if args is not None:
        hook["args"] = args
    rev = git(hook_repo, "rev-parse", "HEAD")
    config = {"repos": [{"repo": str(hook_repo), "rev": rev, "hooks": [hook]}]}
    (cwd / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    git(cwd, "add", ".pre-commit-config.yaml")
    proc = run([*cmd, "run", "--all-files"], cwd, env, BUILD_TIMEOUT)
    return proc.returncode, proc.stdout + proc.stderr


def test_hook_manifest() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "cctrack-validate"
    assert (hook["language"], hook["pass_filenames"]) == ("python", False)
    # --data always given: without ./data the hook fails rather than check the shipped data set
    assert hook["entry"] == "cctrack validate --data data"
    files = re.compile(hook["files"])
    for path in ("targets.yaml", "data/observations.yaml", "city/2025/targets.yml"):
        assert files.search(path), path
    for path in ("mytargets.yaml", "targets.yaml.bak", "data/targets.json", "data/notes.yaml"):
        assert not files.search(path), path


def test_hook_manifest_is_valid_for_pre_commit(pre_commit: list[str]) -> None:
    proc = run([*pre_commit, "validate-manifest", ".pre-commit-hooks.yaml"], ROOT, clean_env())
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_last_data_option_wins(make_data: MakeData) -> None:
    # pre-commit runs `entry + args`: `args: [--data, DIR]` comes after the entry's `--data data`
    good = make_data()
    result = CliRunner().invoke(app, ["validate", "--data", "nowhere", "--data", str(good)])
    assert result.exit_code == 0, result.output
    assert f"in {good} (1 target, 1 observation)" in result.stderr


def test_try_repo_passes_on_valid_data(
    pre_commit: list[str], hook_repo: Path, pre_commit_env: dict[str, str], tmp_path: Path
) -> None:
    repo = user_repo(tmp_path / "user", OBSERVATIONS)
    code, out = try_repo(pre_commit, hook_repo, repo, pre_commit_env)
    assert code == 0, out
    assert re.search(r"cctrack validate\.+Passed", out), out


def test_try_repo_fails_on_an_invalid_observation(
    pre_commit: list[str], hook_repo: Path, pre_commit_env: dict[str, str], tmp_path: Path
) -> None:
    repo = user_repo(tmp_path / "user", BAD_OBSERVATIONS)
    code, out = try_repo(pre_commit, hook_repo, repo, pre_commit_env)
    assert code == 1, out
    assert re.search(r"cctrack validate\.+Failed", out), out
    assert "data/observations.yaml:3:13: error:" in out
    assert "[invalid-period]" in out


def test_hook_without_data_dir_fails_instead_of_checking_the_shipped_data(
    pre_commit: list[str], hook_repo: Path, pre_commit_env: dict[str, str], tmp_path: Path
) -> None:
    repo = user_repo(tmp_path / "user", OBSERVATIONS, data="city")
    code, out = run_hook(pre_commit, hook_repo, repo, pre_commit_env)
    assert code == 1, out  # the hook fails (validate exits 2: no such directory)
    assert "cctrack: error: --data: data is not a directory" in out


def test_hook_args_name_the_data_directory(
    pre_commit: list[str], hook_repo: Path, pre_commit_env: dict[str, str], tmp_path: Path
) -> None:
    repo = user_repo(tmp_path / "user", BAD_OBSERVATIONS, data="city")
    code, out = run_hook(pre_commit, hook_repo, repo, pre_commit_env, ["--data", "city"])
    assert code == 1, out
    assert "city/observations.yaml:3:13: error:" in out
    (repo / "city" / "observations.yaml").write_text(OBSERVATIONS, encoding="utf-8")
    code, out = run_hook(pre_commit, hook_repo, repo, pre_commit_env, ["--data", "city"])
    assert code == 0, out


# --- GitHub workflows --------------------------------------------------------------------------


def workflow_runs(path: Path) -> tuple[dict[str, Any], str]:
    """A workflow parsed as YAML, and the text of all its `run:` steps."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(doc, dict) and doc["jobs"], path
    assert "on" in doc or True in doc  # PyYAML reads the key `on` as the boolean true
    steps = [s for job in doc["jobs"].values() for s in job["steps"]]
    return doc, "\n".join(s.get("run", "") for s in steps)


def test_ci_workflow() -> None:
    doc, runs = workflow_runs(ROOT / ".github" / "workflows" / "ci.yml")
    for command in ("ruff check", "ruff format --check", "mypy", "python -m pytest",
                    "cctrack validate"):  # fmt: skip
        assert command in runs, command
    matrix = doc["jobs"]["test"]["strategy"]["matrix"]["python-version"]
    assert matrix == ["3.11", "3.12", "3.13"]  # strings, not floats


def test_data_repo_workflow() -> None:
    doc, runs = workflow_runs(ROOT / "examples" / "data-repo-workflow.yml")
    assert doc["env"]["CCTRACK"] == "git+https://github.com/OWNER/cctrack"
    assert 'pip install "$CCTRACK"' in runs
    assert "cctrack validate --data data --format github" in runs
    assert 'cctrack status --data data --format markdown >> "$GITHUB_STEP_SUMMARY"' in runs
    diff = doc["jobs"]["diff"]
    assert diff["if"] == "github.event_name == 'pull_request'"
    assert diff["permissions"]["pull-requests"] == "write"
    assert 'cctrack diff --data data --from "origin/$BASE_REF" --format markdown' in runs
    assert 'gh pr comment "$PR" --body-file cctrack-diff.md' in runs


def test_workflows_match_github_schema() -> None:
    """check-jsonschema ships GitHub's workflow schema: no network needed."""
    cmd = check_jsonschema()
    files = [str(ROOT / ".github/workflows/ci.yml"), str(ROOT / "examples/data-repo-workflow.yml")]
    for schema in ("vendor.github-workflows", "custom.github-workflows-require-timeout"):
        proc = run([*cmd, "--builtin-schema", schema, *files], ROOT, clean_env())
        assert proc.returncode == 0, proc.stdout + proc.stderr


# --- check-jsonschema against `cctrack schema` -------------------------------------------------


def check_jsonschema() -> list[str]:
    cmd = tool("check-jsonschema", "check_jsonschema")
    if cmd is None:
        pytest.skip("check-jsonschema is not installed (pip install '.[test]')")
    return cmd


DRAFT_07 = "http://json-schema.org/draft-07/schema#"


@pytest.fixture(scope="module")
def schemas(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The schemas as a user gets them: `cctrack schema FILE > FILE.schema.json`.

    Also each as draft-07 (``FILE-07``): yaml-language-server validates with draft-07 rules
    whatever `$schema` says, so the schema must mean the same under both.
    """
    out = tmp_path_factory.mktemp("schemas")
    paths = {}
    for name in ("targets", "observations"):
        proc = run([sys.executable, "-m", "cctrack", "schema", name], out, clean_env())
        assert proc.returncode == 0, proc.stderr
        paths[name] = out / f"{name}.schema.json"
        paths[name].write_text(proc.stdout, encoding="utf-8")
        draft_07 = {**json.loads(proc.stdout), "$schema": DRAFT_07}
        paths[f"{name}-07"] = out / f"{name}-07.schema.json"
        paths[f"{name}-07"].write_text(json.dumps(draft_07), encoding="utf-8")
    return paths


def schema_check(schema: Path, instance: Path) -> tuple[int, list[dict[str, Any]]]:
    """Run check-jsonschema: its exit code and its errors (path and message of each)."""
    cmd = [*check_jsonschema(), "-o", "json", "--schemafile", str(schema), str(instance)]
    proc = run(cmd, instance.parent, clean_env())
    result = json.loads(proc.stdout)  # {"status": "ok"} or {"status": "fail", "errors": ...}
    assert not result.get("parse_errors"), result
    return proc.returncode, result.get("errors", [])


def cctrack_codes(directory: Path) -> list[str]:
    args = ["validate", "--data", str(directory), "--format", "json", "--as-of", AS_OF]
    result = CliRunner().invoke(app, args)
    return [p["code"] for p in json.loads(result.stdout) if p["severity"] == "error"]


@pytest.mark.parametrize("draft", ["", "-07"], ids=["2020-12", "draft-07"])
@pytest.mark.parametrize("name", ["targets", "observations"])
def test_shipped_data_passes_check_jsonschema(
    name: str, draft: str, schemas: dict[str, Path]
) -> None:
    instance = ROOT / "data" / f"{name}.yaml"
    assert schema_check(schemas[name + draft], instance) == (0, [])


# Spellings cctrack accepts must pass the schema too. check-jsonschema loads YAML with ruamel
# and turns YAML 1.1 timestamps (an unquoted 2024-03-07) back into their text, so an unquoted date
# is a string for it; a bare year is an integer.
ACCEPTED = "observations:\n" + "".join(
    OBSERVATION_ENTRY.replace("period: 2023", f"period: {period}").replace("2024-03-01", date)
    for period, date in [("2023", "2024-03-01"), ("2022", "'2024-03-01'"), ("2021", "2024-03"),
                         ("2023-H1", "2024"), ("2023-01/2023-10", '"2024"')]
)  # fmt: skip


def test_check_jsonschema_accepts_what_cctrack_accepts(
    make_data: MakeData, schemas: dict[str, Path]
) -> None:
    directory = make_data(TARGETS.replace("2021-03-01", "2021"), ACCEPTED)
    assert cctrack_codes(directory) == []
    for name in ("targets", "observations", "targets-07", "observations-07"):
        instance = directory / f"{name.removesuffix('-07')}.yaml"
        assert schema_check(schemas[name], instance) == (0, [])


TARGET_MISTAKES = [
    ("unknown field", "    start: 2021\n", "    start: 2021\n    colour: red\n",
     "$.targets[0]", "unknown-field"),
    ("wrong enum", "    unit: vehicles\n", "    kind: yearly\n    unit: vehicles\n",
     "$.targets[0].kind", "invalid-choice"),
    ("bad id", "id: nev", "id: Bad_ID", "$.targets[0].id", "invalid-id"),
]  # fmt: skip
OBSERVATION_MISTAKES = [
    ("missing source", f"    source: {OBS_SOURCE}\n", "", "$.observations[0]", "missing-source"),
    ("malformed period", "period: 2023", "period: 23-H1", "$.observations[0].period",
     "invalid-period"),
    ("boolean value", "value: 500000", "value: true", "$.observations[0].value",
     "value-boolean"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "old", "new", "path", "cctrack_code"),
    [("targets", *m[1:]) for m in TARGET_MISTAKES]
    + [("observations", *m[1:]) for m in OBSERVATION_MISTAKES],
    ids=[m[0] for m in TARGET_MISTAKES + OBSERVATION_MISTAKES],
)
@pytest.mark.parametrize("draft", ["", "-07"], ids=["2020-12", "draft-07"])
def test_check_jsonschema_rejects_schema_level_mistakes(
    name: str, old: str, new: str, path: str, cctrack_code: str, draft: str,
    make_data: MakeData, schemas: dict[str, Path],
) -> None:  # fmt: skip
    texts = {"targets": TARGETS, "observations": OBSERVATIONS}
    assert old in texts[name]
    texts[name] = texts[name].replace(old, new)
    directory = make_data(texts["targets"], texts["observations"])
    code, errors = schema_check(schemas[name + draft], directory / f"{name}.yaml")
    assert code == 1
    assert [e["path"] for e in errors] == [path]
    assert cctrack_code in cctrack_codes(directory)  # and cctrack reports the same mistake


# --- shell completion --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cctrack_script() -> str:
    """The installed console script: completion is keyed on the program's name."""
    script = tool("cctrack")
    if script is None:
        pytest.skip("the cctrack console script is not installed")
    return script[0]


def complete(script: str, words: str, cword: int) -> list[str]:
    env = clean_env(_CCTRACK_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD=str(cword))
    proc = run([script], ROOT, env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


def test_show_completion_prints_a_bash_script(cctrack_script: str, tmp_path: Path) -> None:
    # Typer finds the shell among the parent processes (shellingham), not in $SHELL and not in
    # an argument: the trailing `bash` is ignored. Run it from bash, as a user would.
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    line = f"{shlex.quote(cctrack_script)} --show-completion bash; exit $?"  # no exec: bash stays
    proc = run(["bash", "-c", line], tmp_path, clean_env())
    assert proc.returncode == 0, proc.stderr
    assert "complete -o default -F _cctrack_completion cctrack" in proc.stdout
    assert "_CCTRACK_COMPLETE=complete_bash" in proc.stdout


def test_bash_script_without_shell_detection(cctrack_script: str, tmp_path: Path) -> None:
    # Typer keeps the Click 7 instruction name (source_bash, not Click 8's bash_source)
    proc = run([cctrack_script], tmp_path, clean_env(_CCTRACK_COMPLETE="source_bash"))
    assert proc.returncode == 0, proc.stderr
    assert "complete -o default -F _cctrack_completion cctrack" in proc.stdout


def test_completion_of_commands_options_and_choices(cctrack_script: str) -> None:
    assert complete(cctrack_script, "cctrack st", 1) == ["status"]
    assert {"status", "show", "schema"} <= set(complete(cctrack_script, "cctrack s", 1))
    assert complete(cctrack_script, "cctrack status --fo", 2) == ["--format"]
    assert complete(cctrack_script, "cctrack status --format ", 3) == [
        "table", "json", "csv", "markdown"]  # fmt: skip
    assert complete(cctrack_script, "cctrack schema ", 2) == ["targets", "observations"]


def test_completion_loads_no_core_module() -> None:
    # every TAB runs cctrack: completing must not load the data model or the YAML reader
    # (Typer itself imports pydantic to convert option values, so that one cannot be avoided)
    code = (
        "import sys; from cctrack.cli import main; sys.argv = ['cctrack']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "import json; print(json.dumps(sorted(sys.modules)), file=sys.stderr)"
    )
    env = clean_env(_CCTRACK_COMPLETE="complete_bash", COMP_WORDS="cctrack st", COMP_CWORD="1")
    proc = run([sys.executable, "-c", code], ROOT, env)
    assert proc.stdout.split() == ["status"]
    loaded = set(json.loads(proc.stderr.strip().splitlines()[-1]))
    # the CLI's vocabularies, exit codes and catalogue list import nothing but the standard library
    light = {
        "cctrack.vocabulary",
        "cctrack.categories",
        "cctrack.exitcode",
        "cctrack.render",
        "cctrack.render.catalogue",
    }
    assert {m for m in loaded if m.startswith("cctrack")} == {"cctrack", "cctrack.cli", *light}
    assert "yaml" not in loaded
