"""The replay cache never serves one install's or one data set's output to another: two copies of
the package sharing one cache directory, one install run from two directories, a symbolic link
turned to other data, a file rewritten to the same size and time. Each case runs the command line
in subprocesses, as a user would, and compares a run against the same run with the cache off."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MARK, PROBE

from cctrack import pipeline, replay
from cctrack.location import OBSERVATIONS_FILE, TARGETS_FILE

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "first-data"
SHIPPED = ROOT / "data"
STATUS = ["status", "--as-of", "2026-11-22", "--format", "markdown"]
TIME = (1_700_000_000_000_000_000, 1_700_000_000_000_000_000)  # one time for every file

Ran = tuple[int, str, str, bool]  # exit code, stdout, stderr, whether it was replayed


def _run(cache: Path, cwd: Path, args: list[str], package: Path | None = None, **extra: str) -> Ran:
    dropped = {"COLUMNS", "FORCE_COLOR", "NO_COLOR", "PYTHONPATH"}
    env = {k: v for k, v in os.environ.items() if not k.startswith("CCTRACK_") and k not in dropped}
    env["CCTRACK_CACHE_DIR"] = str(cache)
    if package is not None:  # this copy of cctrack before the installed one
        env["PYTHONPATH"] = str(package)
    env.update(extra)
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    err, mark, loaded = proc.stderr.rpartition(MARK)
    assert mark, proc.stderr
    return proc.returncode, proc.stdout, err, loaded == "False]"


def _install(root: Path, data: Path) -> Path:
    """A copy of the package under ``root`` with ``data`` beside it (its shipped data set), every
    file given one fixed time: two such copies differ only in their data's bytes."""
    shutil.copytree(
        ROOT / "cctrack", root / "cctrack", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(data, root / "data")
    for path in (root / "cctrack").rglob("*"):
        os.utime(path, ns=TIME)
    return root


def _same_size_edit(path: Path, old: str, new: str) -> None:
    """Rewrite ``path`` with ``old`` replaced by ``new`` (same length), keeping its size and
    times: what an editor saving twice within one tick of the clock leaves."""
    assert len(old.encode()) == len(new.encode())
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns


def test_two_installs_sharing_a_cache_never_serve_each_other(tmp_path: Path) -> None:
    """Two checkouts, each with its own shipped data set and files of the same sizes and times,
    one cache directory, the same command from the same directory."""
    a = _install(tmp_path / "a", FIXTURES)
    b = _install(tmp_path / "b", SHIPPED)
    cache, cwd = tmp_path / "cache", tmp_path / "elsewhere"
    cwd.mkdir()
    first_a = _run(cache, cwd, STATUS, a)
    first_b = _run(cache, cwd, STATUS, b)
    own_b = _run(cache, cwd, STATUS, b, CCTRACK_NO_CACHE="1")
    assert first_a[0] == first_b[0] == 0
    assert first_a[1] != own_b[1]  # the two data sets read differently
    assert not first_b[3] and first_b[:3] == own_b[:3]  # B never gets A's output
    again_a, again_b = _run(cache, cwd, STATUS, a), _run(cache, cwd, STATUS, b)
    assert again_a[3] and again_a[:3] == first_a[:3]  # each keeps its own entry
    assert again_b[3] and again_b[:3] == own_b[:3]


def test_code_rewritten_to_the_same_size_and_time_is_not_replayed(tmp_path: Path) -> None:
    root = _install(tmp_path / "a", FIXTURES)
    cache = tmp_path / "cache"
    args = [*STATUS[:-2]]  # the table: its last line comes from the catalogue edited
    before = _run(cache, tmp_path, args, root, COLUMNS="100")
    assert before[0] == 0 and "explains any row" in before[1]
    catalogue = root / "cctrack" / "render" / "locale" / "en.po"
    _same_size_edit(catalogue, "explains any row.", "EXPLAINS ANY ROW.")
    after = _run(cache, tmp_path, args, root, COLUMNS="100")
    assert not after[3]
    assert "EXPLAINS ANY ROW" in after[1] and "explains any row" not in after[1]


@pytest.mark.slow
def test_one_install_from_two_directories_reads_each_relative_data(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    one, two = tmp_path / "one", tmp_path / "two"
    shutil.copytree(FIXTURES, one / "d")
    shutil.copytree(SHIPPED, two / "d")
    args = [*STATUS, "--data", "d"]
    first = _run(cache, one, args)
    second = _run(cache, two, args)
    assert not second[3] and second[:3] == _run(cache, two, args, CCTRACK_NO_CACHE="1")[:3]
    assert first[1] != second[1]
    assert _run(cache, one, args)[:3] == first[:3]


@pytest.mark.slow
def test_the_default_data_directory_of_each_working_directory(tmp_path: Path) -> None:
    """No --data: ``./data`` where it holds targets.yaml, each directory its own."""
    cache = tmp_path / "cache"
    one, two = tmp_path / "one", tmp_path / "two"
    shutil.copytree(FIXTURES, one / "data")
    shutil.copytree(SHIPPED, two / "data")
    first, second = _run(cache, one, STATUS), _run(cache, two, STATUS)
    assert not second[3] and first[1] != second[1]
    assert second[:3] == _run(cache, two, STATUS, CCTRACK_NO_CACHE="1")[:3]


@pytest.mark.slow
def test_a_link_turned_to_other_data_is_not_replayed(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    shutil.copytree(FIXTURES, tmp_path / "fixture")
    shutil.copytree(SHIPPED, tmp_path / "shipped")
    link = tmp_path / "current"
    link.symlink_to(tmp_path / "fixture", target_is_directory=True)
    args = [*STATUS, "--data", "current"]
    first = _run(cache, tmp_path, args)
    link.unlink()
    link.symlink_to(tmp_path / "shipped", target_is_directory=True)
    turned = _run(cache, tmp_path, args)
    assert not turned[3] and turned[1] != first[1]
    assert turned[:3] == _run(cache, tmp_path, args, CCTRACK_NO_CACHE="1")[:3]


@pytest.mark.slow
def test_data_rewritten_to_the_same_size_and_time_is_not_replayed(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    data = tmp_path / "data"
    shutil.copytree(FIXTURES, data)
    args = [*STATUS, "--format", "json", "--data", "data"]
    first = _run(cache, tmp_path, args)
    assert '"target_id": "nev-output"' in first[1] or "nev-output" in first[1]
    _same_size_edit(data / TARGETS_FILE, "id: nev-output", "id: nev-outpux")
    _same_size_edit(data / OBSERVATIONS_FILE, "nev-output", "nev-outpux")
    after = _run(cache, tmp_path, args)
    assert not after[3] and "nev-outpux" in after[1] and after[0] == first[0]


def test_the_result_cache_is_keyed_by_the_code_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pipeline's key moves with a file of the package rewritten to the same size and time."""
    from datetime import date

    package = tmp_path / "pkg"
    package.mkdir()
    module = package / "m.py"
    module.write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(replay, "_PACKAGE", str(package))
    key = pipeline._key(Path("d"), [b"t", b"o"], date(2026, 1, 1), "growth-ratio", False)
    _same_size_edit(module, "x = 1", "x = 2")
    assert pipeline._key(Path("d"), [b"t", b"o"], date(2026, 1, 1), "growth-ratio", False) != key


def test_the_invocation_names_the_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = replay._invocation(["status"])
    monkeypatch.setattr(replay, "_PACKAGE", str(tmp_path / "other" / "cctrack"))
    assert replay._invocation(["status"]) != before
