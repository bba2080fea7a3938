"""The replayed ``status``: the same bytes, exit code and standard error as the command makes,
never the output of other data, another terminal, another day or another cctrack."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MARK, PROBE
from typer.testing import CliRunner

from cctrack import cache, location, replay
from cctrack.cli import app
from cctrack.location import MAX_BYTES, OBSERVATIONS_FILE, TARGETS_FILE

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "first-data"
AS_OF = ["--as-of", "2026-11-22"]

Ran = tuple[int, str, str, bool]  # exit code, stdout, stderr, whether it was replayed


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the fixture data set."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURES, target)
    return target


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    dropped = {"COLUMNS", "FORCE_COLOR", "NO_COLOR"}
    env = {k: v for k, v in os.environ.items() if not k.startswith("CCTRACK_") and k not in dropped}
    env["CCTRACK_CACHE_DIR"] = str(tmp_path / "cache")
    env.update(extra)
    return env


def _run(tmp_path: Path, args: list[str], **extra: str) -> Ran:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_env(tmp_path, **extra),
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    err, mark, loaded = proc.stderr.rpartition(MARK)
    assert mark, proc.stderr
    return proc.returncode, proc.stdout, err, loaded == "False]"


def _entries(tmp_path: Path) -> list[str]:
    folder = tmp_path / "cache"
    return sorted(p.name for p in folder.glob("replay-*.marshal")) if folder.is_dir() else []


@pytest.mark.parametrize(
    "args, env",
    [
        (["status", *AS_OF], {"COLUMNS": "80"}),
        (["status", *AS_OF, "--lang", "zh"], {"COLUMNS": "40"}),
        (["status", *AS_OF], {"FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "120"}),
        (["status", *AS_OF, "--format", "json"], {}),
    ],
)
def test_a_second_run_is_replayed_byte_for_byte(
    tmp_path: Path, data: Path, args: list[str], env: dict[str, str]
) -> None:
    args = [*args, "--data", str(data)]
    first = _run(tmp_path, args, **env)
    second = _run(tmp_path, args, **env)
    off = _run(tmp_path, args, CCTRACK_NO_CACHE="1", **env)
    assert not first[3] and second[3] and not off[3]
    assert first[:3] == second[:3] == off[:3]
    assert first[0] == 0 and first[1]
    if "FORCE_COLOR" in env:
        assert "\x1b[" in second[1]


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_validate_is_replayed_with_its_summary_and_exit_code(
    tmp_path: Path, data: Path, fmt: str
) -> None:
    args = ["validate", *AS_OF, "--data", str(data), "--format", fmt, "--strict"]
    first, second = _run(tmp_path, args), _run(tmp_path, args)
    off = _run(tmp_path, args, CCTRACK_NO_CACHE="1")
    assert second[3] and first[:3] == second[:3] == off[:3]
    assert " in " in first[2] and first[2].endswith(" observations)\n")
    observations = data / OBSERVATIONS_FILE
    text = observations.read_text(encoding="utf-8")
    observations.write_text(text + "  - {target: nope, period: 2024, value: 1}\n", encoding="utf-8")
    broken, again = _run(tmp_path, args), _run(tmp_path, args)
    assert not broken[3] and again[3] and broken[:3] == again[:3]
    assert broken[0] == 1 and "missing-source" in broken[1]


def test_fail_on_is_replayed_with_its_exit_code_and_message(tmp_path: Path, data: Path) -> None:
    args = ["status", *AS_OF, "--data", str(data), "--fail-on", "missed"]
    first, second = _run(tmp_path, args), _run(tmp_path, args)
    assert second[3] and first[:3] == second[:3]
    assert first[0] == 1 and first[2].startswith("cctrack: --fail-on missed: ")


def test_changed_data_is_never_replayed(tmp_path: Path, data: Path) -> None:
    args = ["status", *AS_OF, "--data", str(data), "--format", "json"]
    before = _run(tmp_path, args)
    observations = data / OBSERVATIONS_FILE
    text = observations.read_text(encoding="utf-8")
    observations.write_text(text.replace("value:", "value: ", 1), encoding="utf-8")  # same data
    assert not _run(tmp_path, args)[3]  # other bytes: computed, then stored
    assert _run(tmp_path, args)[3]
    observations.write_text(text + "  - {target: nope, period: 2024, value: 1}\n", encoding="utf-8")
    after = _run(tmp_path, args)
    assert not after[3] and after[0] == 1 and after[1] == "" and "missing-source" in after[2]
    assert not _run(tmp_path, args)[3]  # an invalid data set is not stored
    assert before[0] == 0


def test_another_terminal_width_is_another_entry(tmp_path: Path, data: Path) -> None:
    args = ["status", *AS_OF, "--data", str(data)]
    wide, narrow = _run(tmp_path, args, COLUMNS="200"), _run(tmp_path, args, COLUMNS="40")
    assert not wide[3] and not narrow[3] and wide[1] != narrow[1]
    assert _run(tmp_path, args, COLUMNS="40")[:3] == narrow[:3]
    assert len(_entries(tmp_path)) == 2


def test_usage_errors_are_not_stored(tmp_path: Path, data: Path) -> None:
    args = ["status", "no-such-target", "--data", str(data)]
    first, second = _run(tmp_path, args), _run(tmp_path, args)
    assert first[0] == second[0] == 2 and not second[3]
    assert _entries(tmp_path) == []


def test_a_corrupt_entry_is_a_miss(tmp_path: Path, data: Path) -> None:
    args = ["status", *AS_OF, "--data", str(data), "--format", "csv"]
    first = _run(tmp_path, args)
    (entry,) = _entries(tmp_path)
    (tmp_path / "cache" / entry).write_bytes(b"\x00garbage")
    again = _run(tmp_path, args)
    assert not again[3] and again[:3] == first[:3]
    assert _run(tmp_path, args)[3]


@pytest.mark.parametrize("damage", ["cut by a byte", "cut in a character", "a byte changed"])
def test_an_entry_whose_output_is_damaged_is_a_miss(
    tmp_path: Path, data: Path, damage: str
) -> None:
    """The kept output is followed by its length and hash: an entry cut anywhere in it, or with
    a byte of it changed, is a miss (the command runs), never a part of an output or an error
    while one is written."""
    args = ["status", *AS_OF, "--data", str(data), "--lang", "zh"]
    first = _run(tmp_path, args)
    (name,) = _entries(tmp_path)
    path = tmp_path / "cache" / name
    entry = path.read_bytes()
    wide = entry.rindex("状".encode())  # a character of three bytes in the output
    if damage == "cut by a byte":
        path.write_bytes(entry[:-1])
    elif damage == "cut in a character":
        path.write_bytes(entry[: wide + 1])
    else:
        path.write_bytes(entry[:wide] + b"X" + entry[wide + 1 :])
    again = _run(tmp_path, args)
    assert not again[3] and again[:3] == first[:3] and "Traceback" not in again[2]
    assert _run(tmp_path, args)[3]  # stored again whole: replayed


def test_the_cache_off_stores_nothing(tmp_path: Path, data: Path) -> None:
    args = ["status", *AS_OF, "--data", str(data)]
    _run(tmp_path, args, CCTRACK_NO_CACHE="1")
    assert _entries(tmp_path) == []


def test_a_run_in_process_stores_nothing(
    tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a command-line run arms the store: CliRunner's arguments are not sys.argv."""
    monkeypatch.setenv("CCTRACK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CCTRACK_NO_CACHE", raising=False)
    monkeypatch.setattr(replay, "armed", None)
    result = CliRunner().invoke(app, ["status", *AS_OF, "--data", str(data)])
    assert result.exit_code == 0
    assert _entries(tmp_path) == []


def test_the_stamp_moves_with_any_file_of_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "pkg"
    (package / "render" / "locale").mkdir(parents=True)
    catalogue = package / "render" / "locale" / "en.po"
    catalogue.write_text("x", encoding="utf-8")
    monkeypatch.setattr(replay, "_PACKAGE", str(package))
    before = replay._stamp()
    catalogue.write_text("y", encoding="utf-8")
    os.utime(catalogue, ns=(1, 1))
    assert replay._stamp() != before


def test_the_replay_reads_the_files_and_the_cache_of_the_full_road(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """replay.py repeats a few constants so as to import nothing: they must stay in step."""
    assert replay._FILES == (TARGETS_FILE, OBSERVATIONS_FILE)
    assert replay._LIMIT == MAX_BYTES
    assert replay._KEYED == location.KEYED
    for name, value in [("CCTRACK_CACHE_DIR", "/x/y"), ("XDG_CACHE_HOME", "/z")]:
        monkeypatch.delenv("CCTRACK_CACHE_DIR", raising=False)
        monkeypatch.setenv(name, value)
        assert Path(replay._cache_dir()) == cache.cache_dir()
    for value, on in [("", True), ("0", True), ("1", False), ("yes", False)]:
        monkeypatch.setenv("CCTRACK_NO_CACHE", value)
        assert replay._enabled() is cache.enabled() is on


def test_an_old_windows_console_is_printed_to_and_not_kept(
    tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A legacy Windows console is drawn through its API, not with the text a capture gives."""
    from rich.console import Console

    import cctrack.cli

    monkeypatch.setenv("CCTRACK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CCTRACK_NO_CACHE", raising=False)
    monkeypatch.setattr(replay, "armed", "0" * 64)  # as a command-line run
    args = ["status", *AS_OF, "--data", str(data)]
    plain = CliRunner().invoke(app, args)
    assert _entries(tmp_path) and plain.exit_code == 0
    shutil.rmtree(tmp_path / "cache")
    monkeypatch.setattr(cctrack.cli, "console", lambda: Console(width=200, legacy_windows=True))
    old = CliRunner().invoke(app, args)
    assert old.exit_code == 0 and old.stdout == plain.stdout
    assert _entries(tmp_path) == []


def test_only_the_replayed_commands_load_the_replay() -> None:
    """``--help`` and the other commands start as fast as before: the replay is not imported."""
    probe = "import sys; from cctrack.__main__ import main; main()"
    check = (
        "import atexit, sys; atexit.register(lambda: print('cctrack.replay' in sys.modules)); "
        + probe
    )
    proc = subprocess.run([sys.executable, "-c", check, "--help"], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, check=False)  # fmt: skip
    assert proc.returncode == 0 and proc.stdout.rstrip().endswith("False")
    assert set(replay._COMMANDS) == {"status", "validate"}


def test_a_store_prunes_the_least_recently_used_entries(tmp_path: Path, data: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    old = [folder / f"replay-{i:032x}.marshal" for i in range(replay.KEEP + 10)]
    for i, path in enumerate(old):
        path.write_bytes(b"stale")
        os.utime(path, ns=(10**18 + i * 10**9, 10**18 + i * 10**9))  # the first is the oldest
    args = ["status", *AS_OF, "--data", str(data)]
    first = _run(tmp_path, args)
    kept = _entries(tmp_path)
    assert not first[3] and len(kept) == replay.KEEP_AFTER_PRUNE
    assert old[0].name not in kept and old[-1].name in kept  # the oldest went, the newest stayed
    second = _run(tmp_path, args)
    assert second[3] and second[:3] == first[:3]  # the run just stored survived its own prune


def test_a_replayed_entry_is_marked_used(tmp_path: Path, data: Path) -> None:
    args = ["status", *AS_OF, "--data", str(data)]
    _run(tmp_path, args)
    (entry,) = (tmp_path / "cache").glob("replay-*.marshal")
    os.utime(entry, ns=(10**18, 10**18))
    assert _run(tmp_path, args)[3]
    assert entry.stat().st_mtime_ns > 10**18


def test_prune_leaves_a_folder_within_its_bound_alone(tmp_path: Path) -> None:
    for i in range(5):
        (tmp_path / f"replay-{i}.marshal").write_bytes(b"x")
    (tmp_path / "result-x.pickle").write_bytes(b"x")
    assert replay.prune(str(tmp_path), keep=5, down_to=2) == 0
    assert replay.prune(str(tmp_path), keep=4, down_to=2) == 3
    assert sorted(p.name for p in tmp_path.iterdir())[-1] == "result-x.pickle"  # not an entry
    assert replay.prune(str(tmp_path / "missing")) == 0


def test_an_output_kept_in_many_pieces_is_written_back_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A run keeps its output a piece at a time (``validate``'s, 4,096 problems a piece), and
    the replay writes it back a piece at a time: the same text, whatever the pieces."""
    monkeypatch.setenv("CCTRACK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(replay, "armed", "a" * 64)
    kept = replay.keeper(str(tmp_path), "digest", "2026-12-01", "summary\n", 1)
    assert kept is not None
    pieces = ["状态 → a\n" * 300, "", "b" * 5000 + "\n", "c\n", "长"]
    for piece in pieces:
        kept.write(piece)
    kept.done()
    entry = Path(replay._entry("a" * 64)).read_bytes()
    start = 4 + int.from_bytes(entry[:4], "little")
    end = len(entry) - replay._TRAILER
    assert replay._whole(entry, start, end)
    assert not replay._whole(entry[:-1], start, end - 1)
    monkeypatch.setattr(replay, "_PIECE", 7)  # written back in many pieces
    replay._write_out(entry, start, end)
    assert capsys.readouterr().out == "".join(pieces)
