"""A cold ``add-observation`` writes the new file beside the old one (a temporary file in the
data directory, under the lock) and reads it from there a block at a time, so that a large
file's bytes are never held while it is checked and assessed; the old file stays as it was
until the new one replaces it. Whatever ends the run before that (a refusal, an error, the
file changed while it was read) leaves the old file and no temporary file; the state a next
append reads on from is stored when the new file is read, and becomes the state only once
the file is in place."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_add_observation import FULL, TODAY
from test_append_memory import REGULAR, data_dir, whole_road

from cctrack import append, incremental
from cctrack.append import add_observation
from cctrack.atomic import TMP_PREFIX, Staged
from cctrack.cache import cache_dir
from cctrack.location import Streamed
from cctrack.pipeline import run


def regular(tmp_path: Path) -> tuple[Path, Path, bytes]:
    """A data directory of the regular layout, its observations file and that file's bytes."""
    d = data_dir(tmp_path, REGULAR)
    path = d / "observations.yaml"
    return d, path, path.read_bytes()


def leftovers(d: Path) -> list[str]:
    """Temporary files in the data directory."""
    return sorted(p.name for p in d.iterdir() if p.name.startswith(TMP_PREFIX))


def cache_entries() -> list[str]:
    """The kinds of the cache's entries (``result``, ``state``, ``state-pending``...)."""
    folder = cache_dir()
    if not folder.is_dir():
        return []
    return sorted(p.name.rsplit("-", 1)[0] for p in folder.glob("*.pickle"))


def spy_reads(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """What the observations file of each data set built is read from."""
    seen: list[Any] = []
    real = append.parse_observations  # type: ignore[attr-defined]

    def spy(name: str, data: Any) -> Any:
        seen.append(data.path if isinstance(data, Streamed) else type(data).__name__)
        return real(name, data)

    monkeypatch.setattr(append, "parse_observations", spy)
    return seen


def test_a_cold_add_reads_the_new_file_from_beside_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d, path, old = regular(tmp_path)
    seen = spy_reads(monkeypatch)
    outcome = add_observation(d, FULL, TODAY)
    assert outcome.code == 0, outcome.message
    assert len(seen) == 1 and isinstance(seen[0], Path)
    assert seen[0].parent == d and seen[0].name.startswith(TMP_PREFIX)
    assert path.read_bytes() == whole_road(old)  # the same file as the road that held it
    assert leftovers(d) == []
    assert "state" in cache_entries() and "state-pending" not in cache_entries()
    # the state made from the file beside is that of the file in place: the next append reads on
    incremental.last_road.clear()
    second = replace(FULL, period="2025-H1", estimate="preliminary", note=None)
    assert add_observation(d, second, TODAY).code == 0
    assert incremental.last_road == ["appended"]
    assert path.read_bytes() == whole_road(whole_road(old), second)


def test_a_dry_run_holds_the_bytes_and_writes_nothing_beside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = data_dir(tmp_path, REGULAR)
    old = (d / "observations.yaml").read_bytes()
    seen = spy_reads(monkeypatch)
    outcome = add_observation(d, FULL, TODAY, dry_run=True)
    assert outcome.code == 0, outcome.message
    assert seen == ["bytes"] and leftovers(d) == []
    assert (d / "observations.yaml").read_bytes() == old


@pytest.mark.parametrize("cache", ["on", "off"])
def test_a_refused_entry_leaves_the_old_file_its_state_and_nothing_beside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: str
) -> None:
    if cache == "off":
        monkeypatch.setenv("CCTRACK_NO_CACHE", "1")
    d = data_dir(tmp_path, REGULAR)
    path = d / "observations.yaml"
    assert add_observation(d, FULL, TODAY).code == 0
    old = path.read_bytes()
    state = sorted(cache_dir().glob("state-*.pickle")) if cache == "on" else []
    kept = [p.read_bytes() for p in state]
    # the same entry again is a duplicate: refused once the new file is read and checked
    seen = spy_reads(monkeypatch)
    monkeypatch.setattr(append, "_quick", lambda *_: None)  # (read cold, not read on)
    refused = add_observation(d, FULL, TODAY)
    assert refused.code == 1 and "exists already" in refused.message
    assert len(seen) == 1 and isinstance(seen[0], Path)  # (it was written beside and read)
    assert path.read_bytes() == old and leftovers(d) == []
    assert "state-pending" not in cache_entries()
    assert [p.read_bytes() for p in state] == kept


def test_force_writes_the_new_file_beside_again_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d, path, old = regular(tmp_path)
    seen = spy_reads(monkeypatch)
    jump = replace(FULL, value="170 million", change=None, estimate=None, scope=None, note=None)
    refused = add_observation(d, jump, TODAY)
    assert refused.code == 1 and "[implausible-jump]" in refused.message, refused.message
    assert path.read_bytes() == old and leftovers(d) == []
    seen.clear()
    forced = add_observation(d, jump, TODAY, force=True)
    assert forced.code == 0, forced.message
    assert len(seen) == 2 and seen[0] != seen[1]  # a second file beside, with the note
    assert leftovers(d) == []
    written = path.read_bytes()
    assert written == old + forced.entry.encode("utf-8")
    assert "recorded with --force: " in forced.entry
    # what is on disk reads as what was checked: the same result as a run from scratch
    assert forced.result is not None
    fresh = run(d, TODAY)
    assert fresh.problems == forced.result.problems


def test_an_error_while_reading_beside_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d, path, old = regular(tmp_path)

    def broken(*_: Any, **__: Any) -> Any:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(append, "check", broken)
    outcome = add_observation(d, FULL, TODAY)
    assert outcome.code == 1 and outcome.message.startswith("cannot write"), outcome.message
    assert path.read_bytes() == old and leftovers(d) == []
    assert "state-pending" not in cache_entries()


def test_a_new_file_changed_while_it_is_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d, path, old = regular(tmp_path)
    real = append._write_new

    def tampered(*args: Any) -> Any:
        written = real(*args)
        with open(written.file.tmp, "ab") as handle:  # another process, in our temporary file
            handle.write(b"# changed\n")
        return written

    monkeypatch.setattr(append, "_write_new", tampered)
    outcome = add_observation(d, FULL, TODAY)
    assert outcome.code == 1 and "changed while it was read" in outcome.message
    assert path.read_bytes() == old and leftovers(d) == []


def test_a_new_file_that_does_not_read_back_gets_the_old_file_back_from_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old bytes are read back from the old file, open since before it was replaced."""
    d, path, old = regular(tmp_path)
    real_commit, commits = Staged.commit, []

    def commit(self: Staged) -> None:
        real_commit(self)
        if self.real != path:  # (a cache entry)
            return
        commits.append(self.tmp)
        if len(commits) == 1:  # another writer, just after the new file's rename
            with open(self.real, "ab") as handle:
                handle.write(b"# not ours\n")

    monkeypatch.setattr(Staged, "commit", commit)
    outcome = add_observation(d, FULL, TODAY)
    assert outcome.code == 1 and "old file restored" in outcome.message
    assert len(commits) == 2  # the new file, then the old bytes again
    assert path.read_bytes() == old and leftovers(d) == []
    assert "state-pending" not in cache_entries()


def test_force_copies_the_first_file_a_block_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second file beside (``--force``) is written as its first bytes are read from the
    first: never more than a block of them is read ahead of what is written."""
    padding = "".join(f"# {i:07d} {'x' * 60}\n" for i in range(50_000))  # over 3 MiB
    d = data_dir(tmp_path, padding + REGULAR)
    reads: list[int] = []
    real_blocks = append.blocks_of  # type: ignore[attr-defined]

    def counted(fd: int, limit: int | None = None) -> Any:
        for block in real_blocks(fd, limit):
            reads.append(len(block))
            yield block

    ahead: list[int] = []
    real_stage = append.stage  # type: ignore[attr-defined]

    def watched(path: Path, data: Any, *rest: Any) -> Any:
        def pieces() -> Any:
            for piece in data:
                ahead.append(len(reads))  # blocks read when this piece is written
                yield piece

        return real_stage(path, pieces(), *rest)

    monkeypatch.setattr(append, "blocks_of", counted)
    monkeypatch.setattr(append, "stage", watched)
    jump = replace(FULL, value="170 million", change=None, estimate=None, scope=None, note=None)
    assert add_observation(d, jump, TODAY, force=True).code == 0
    assert len(reads) >= 4  # the first file's head, copied a block at a time
    copied = ahead[-len(reads) - 2 : -2]  # the second file's head pieces
    assert copied == list(range(1, len(reads) + 1))


def test_an_old_file_that_cannot_be_opened_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old file is opened before it is replaced (to put it back if need be): when it
    cannot be, nothing is replaced, and the file beside is removed."""
    d, path, old = regular(tmp_path)
    real = append.open_data  # type: ignore[attr-defined]

    def refused(p: Path) -> Any:
        if p == path:
            raise PermissionError(13, "Permission denied", str(p))
        return real(p)

    monkeypatch.setattr(append, "open_data", refused)
    outcome = add_observation(d, FULL, TODAY)
    assert outcome.code == 1 and "Permission denied" in outcome.message, outcome.message
    assert path.read_bytes() == old and leftovers(d) == []


def test_a_new_file_where_there_was_none_that_does_not_read_back_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = data_dir(tmp_path, REGULAR)
    path = d / "observations.yaml"
    path.unlink()
    monkeypatch.setattr(append, "holds", lambda *_: False)
    outcome = add_observation(d, FULL, TODAY)
    assert outcome.code == 1 and "old file restored" in outcome.message
    assert not path.exists() and leftovers(d) == []


def test_files_beside_and_the_pending_state_are_removed_under_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a run leaves is removed before it lets the lock go: the next writer's temporary
    file and stored state are never another run's to remove."""
    import fcntl

    d = data_dir(tmp_path, REGULAR)
    held: list[bool] = []
    real = append._clean

    def clean(directory: Path, staged: Any) -> None:
        fd = os.open(directory, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            held.append(False)
        except BlockingIOError:
            held.append(True)
        finally:
            os.close(fd)
        real(directory, staged)

    monkeypatch.setattr(append, "_clean", clean)
    assert add_observation(d, FULL, TODAY).code == 0
    assert add_observation(d, FULL, TODAY).code == 1  # a duplicate
    assert held == [True, True]


def test_an_interrupt_just_after_the_file_beside_is_written_leaves_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d, path, old = regular(tmp_path)
    real = append.stage  # type: ignore[attr-defined]

    def interrupted(*args: Any) -> Any:
        real(*args)
        raise KeyboardInterrupt

    monkeypatch.setattr(append, "stage", interrupted)
    with pytest.raises(KeyboardInterrupt):
        add_observation(d, FULL, TODAY)
    assert path.read_bytes() == old and leftovers(d) == []
    assert "state-pending" not in cache_entries()


_YAML_LINES = st.text(alphabet=st.sampled_from(list("a -#\n\r\x85\u2028\u2029长")))


@settings(max_examples=300, deadline=None)
@given(_YAML_LINES, st.integers(min_value=0, max_value=12))
def test_the_first_lines_are_those_libyaml_counts(text: str, count: int) -> None:
    """``_lines`` (what the '-' of the list is looked for in, and ``_offset``'s measure) cuts
    after as many line breaks as libyaml counts (CR, LF, CRLF, NEL, LS, PS), without splitting
    the text: the same as the first ``count`` of ``str.splitlines``, which counts those here."""
    first = append._lines(text, count)
    assert first == "".join(text.splitlines(keepends=True)[:count])
    assert append._offset(text, count, 0) == len(first)
