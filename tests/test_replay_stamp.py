"""The record of cctrack's own files (``replay.code``, the key of the code): an unchanged tree is
keyed from the record without reading a file; a file rewritten to the same size with its times
set back, a file added or removed, a corrupt record are all seen, and the key is always the one
the files' bytes give when read whole."""

from __future__ import annotations

import hashlib
import marshal
import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from cctrack import replay

ROOT = Path(__file__).resolve().parent.parent
OLD = 1_700_000_000_000_000_000  # a time long past (2023), for a file's times set back


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the package in a temp dir, the one ``replay`` keys (its cache directory is
    the test's own, from conftest)."""
    copy = tmp_path / "install" / "cctrack"
    shutil.copytree(ROOT / "cctrack", copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(replay, "_PACKAGE", str(copy))
    return copy


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files count as changed long before the record (their real change, moments ago, cannot be
    set back): what a record written a while after the last edit sees."""
    monkeypatch.setattr(replay, "_MARGIN_NS", -3600 * 10**9)


def _reference(package: Path) -> str:
    """The key of the code as made before the record: every file read and hashed."""
    digest = hashlib.blake2b(digest_size=32)
    seen = [sys.version]
    for root, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            try:
                data = Path(root, name).read_bytes()
            except OSError:
                data = b"\0unreadable"
            digest.update(b"\0" + str(len(data)).encode() + b"\0" + data)
            seen.append(f"{root[len(str(package)) :]}/{name}:{len(data)}")
    seen.append(digest.hexdigest())
    for library in replay._LIBRARIES:
        for entry in sys.path:
            try:
                st = os.stat(os.path.join(entry or ".", library, "__init__.py"))
            except OSError:
                continue
            seen.append(f"{library}:{entry}:{st.st_size}:{st.st_mtime_ns}")
            break
    return replay._hash("\n".join(seen).encode("utf-8", "surrogateescape"))


def _code() -> tuple[str, int]:
    """The key of the code, and how many files it read."""
    before = replay.files_read
    key = replay.code()
    return key, replay.files_read - before


def _records() -> list[Path]:
    return sorted(Path(os.environ["CCTRACK_CACHE_DIR"]).glob("stamp-*.marshal"))


def _same_size_edit_times_set_back(path: Path) -> None:
    """Rewrite ``path`` to the same size with other bytes, its times set back to :data:`OLD`:
    only its status change time tells. Within one tick of the clock that time would not move
    (the case the margin is for, which a settled record does not apply): the rewrite is done
    again until it moves."""
    changed = path.stat().st_ctime_ns
    data = path.read_bytes()
    edited = data[:-2] + (b"#\n" if data[-2:] != b"#\n" else b"%\n")
    for _ in range(1000):
        time.sleep(0.002)
        path.write_bytes(edited)
        os.utime(path, ns=(OLD, OLD))
        if path.stat().st_ctime_ns != changed:
            return
    raise AssertionError("the status change time never moved")


@pytest.mark.usefixtures("settled")
def test_an_unchanged_tree_is_keyed_from_the_record_without_a_read(package: Path) -> None:
    first, read = _code()
    files = sum(1 for p in package.rglob("*") if p.is_file())
    assert read == files and len(_records()) == 1
    again, read_again = _code()
    assert again == first == _reference(package) and read_again == 0


def test_a_file_changed_moments_ago_is_read_though_its_signature_holds(package: Path) -> None:
    """The racy rule: every file of the fresh copy changed within the margin of the record, so
    the record is never trusted for them, even with every signature matching."""
    first, _ = _code()
    again, read = _code()
    assert again == first == _reference(package) and read > 0


@pytest.mark.usefixtures("settled")
def test_a_same_size_edit_with_its_times_set_back_is_seen(package: Path) -> None:
    module = package / "render" / "locale" / "en.po"
    os.utime(module, ns=(OLD, OLD))
    before, _ = _code()
    assert _code()[1] == 0  # recorded
    size = module.stat().st_size
    _same_size_edit_times_set_back(module)
    assert module.stat().st_size == size and module.stat().st_mtime_ns == OLD
    after, read = _code()
    assert read > 0 and after != before and after == _reference(package)


@pytest.mark.usefixtures("settled")
def test_a_same_size_edit_of_a_recent_file_is_seen_with_the_real_margin(
    package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Recorded while settled; then, under the real margin, the edited file's status change
    (now) is too recent to trust, whatever its signature."""
    before, _ = _code()
    monkeypatch.setattr(replay, "_MARGIN_NS", 2_000_000_000)
    _same_size_edit_times_set_back(package / "replay.py")
    after, read = _code()
    assert read > 0 and after != before and after == _reference(package)


@pytest.mark.usefixtures("settled")
def test_a_file_added_or_removed_is_seen(package: Path) -> None:
    before, _ = _code()
    added = package / "render" / "extra.txt"
    added.write_bytes(b"")
    os.utime(added, ns=(OLD, OLD))
    with_it, read = _code()
    assert read > 0 and with_it != before and with_it == _reference(package)
    assert _code() == (with_it, 0)
    added.unlink()
    (package / "render" / "locale" / "en.po").unlink()
    without, read = _code()
    assert read > 0 and without not in {before, with_it} and without == _reference(package)


@pytest.mark.usefixtures("settled")
@pytest.mark.parametrize("content", [b"", b"garbage", b"\xe9" * 40, "record"])
def test_a_corrupt_record_is_a_miss_and_is_written_again(
    package: Path, content: bytes | str
) -> None:
    key, _ = _code()
    (record,) = _records()
    if isinstance(content, str):  # well-formed, every signature holding, lines not text
        version, path, written, signatures, _ = marshal.loads(record.read_bytes())
        record.write_bytes(marshal.dumps((version, path, written, signatures, [1, 2])))
    else:
        record.write_bytes(content)
    again, read = _code()
    assert again == key and read > 0
    assert _code() == (key, 0)  # written again, and used


@pytest.mark.usefixtures("settled")
def test_other_code_bytes_give_another_key_and_the_same_bytes_the_same(
    package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second copy of the same bytes (its own record) keys alike; a byte changed does not."""
    key, _ = _code()
    other = tmp_path / "other" / "cctrack"
    shutil.copytree(package, other)
    monkeypatch.setattr(replay, "_PACKAGE", str(other))
    assert _code()[0] == key and len(_records()) == 2
    _same_size_edit_times_set_back(other / "__init__.py")
    assert _code()[0] != key


@pytest.mark.usefixtures("settled")
def test_the_listing_is_the_walk_the_key_was_made_from(package: Path) -> None:
    """Bytecode directories left out, a link to a directory listed but not followed, a link to
    a file read through, a dangling link known by its name (and never recorded)."""
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "x.pyc").write_bytes(b"bytecode")
    (package / "render" / "again").symlink_to(package / "render" / "locale")
    (package / "render" / "same.po").symlink_to(package / "render" / "locale" / "en.po")
    assert _code()[0] == _reference(package) and _code()[1] == 0
    (package / "render" / "gone").symlink_to(package / "nothing")
    key, read = _code()
    assert key == _reference(package) and read > 0 and _code()[1] > 0


def test_the_cache_off_keeps_no_record(package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCTRACK_NO_CACHE", "1")
    key, read = _code()
    assert key == _reference(package) and read > 0 and _records() == []


@pytest.mark.usefixtures("settled")
def test_an_unwritable_cache_only_reads(
    package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_bytes(b"")
    monkeypatch.setenv("CCTRACK_CACHE_DIR", str(blocker / "cache"))
    first, read = _code()
    again, read_again = _code()
    assert first == again == _reference(package) and read > 0 and read_again > 0
