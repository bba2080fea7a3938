"""Where the data lives: the two file names and how the data directory is found.

Kept apart from the reader so that a cached run can find its files without loading it.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

try:  # the module itself, not hashlib (as cctrack.cache and cctrack.replay)
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover - an interpreter without it
    from hashlib import blake2b as _blake2b

TARGETS_FILE = "targets.yaml"
OBSERVATIONS_FILE = "observations.yaml"
MAX_BYTES = 256 * 1024 * 1024  # the largest data file read
_STREAM_BLOCK = 1 << 20  # the bytes of a file read in blocks (:class:`Streamed`) at a time


def _packaged() -> Path:
    """The shipped data set: ``cctrack/data`` in an installed wheel (the build copies the
    repository's ``data/`` there); in a checkout or an unpacked sdist the ``data/`` beside the
    package."""
    package = Path(__file__).parent
    inside = package / "data"
    if inside.is_symlink() or not (inside / TARGETS_FILE).is_file():
        return package.parent / "data"
    return inside


PACKAGED = _packaged()


def _yml(name: str) -> str:
    return name.removesuffix(".yaml") + ".yml"


def misnamed(directory: Path, name: str) -> str | None:
    """The name of a ``.yml`` file standing beside where ``name`` (``x.yaml``) was expected."""
    other = _yml(name)
    try:
        return other if (directory / other).is_file() else None
    except OSError:  # an unreadable directory: no hint rather than a crash
        return None


def find_data_dir(option: str | None) -> Path:
    """``--data DIR`` > ``$CCTRACK_DATA`` > ``./data`` holding targets.yaml > the packaged set."""
    if option:
        return Path(option)
    env = os.environ.get("CCTRACK_DATA")
    if env:
        return Path(env)
    local = Path("data")
    if (local / TARGETS_FILE).is_file():
        return local
    return PACKAGED


@dataclass(frozen=True, slots=True)
class Unread:
    """Why a data file gave no bytes: ``missing``, ``special`` (not a regular file: ``detail``
    names what it is), ``oversized`` (``detail``: its size in MiB) or ``unreadable``
    (``detail``: the system's reason). Also what the result cache keys such a file by."""

    reason: str
    detail: str = ""


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))  # fmt: skip


def file_kind(mode: int) -> str | None:
    """What a file that is not a regular file is; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "a file of another kind")


def not_regular(kind: str) -> str:
    """The words for a file that is not a regular file (``kind``: :func:`file_kind`'s)."""
    return f"not a regular file but {kind}"


def too_large(mib: int | str) -> str:
    """The words for a data file over :data:`MAX_BYTES` (``mib``: its size in MiB)."""
    return f"file is {mib} MiB; the limit is {MAX_BYTES // 2**20} MiB"


def _open_regular(path: Path) -> tuple[int, os.stat_result] | str:
    """The open descriptor of the regular file ``path`` and its status, or the kind of file it
    is instead (:func:`file_kind`: refused before it is opened, so a device is never opened,
    and again once opened, in case it was replaced since). Opened without blocking (a FIFO never
    waits for a writer) and without making a terminal ours; raises OSError."""
    kind = file_kind(os.stat(path).st_mode)
    if kind is not None:
        return kind
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
    except OSError:
        os.close(fd)
        raise
    kind = file_kind(st.st_mode)
    if kind is not None:
        os.close(fd)
        return kind
    return fd, st


def holds(path: Path, data: bytes | Streamed) -> bool:
    """Whether the regular file ``path`` holds exactly ``data`` (what was just written read
    back), read a block at a time: a large file is not held twice. A :class:`Streamed` file's
    bytes are known by their length and hash."""
    if isinstance(data, Streamed):
        found = read_streamed(path)
        if not isinstance(found, Streamed):
            return False
        return (found.size, found.digest) == (data.size, data.digest)
    try:
        opened = _open_regular(path)
        if isinstance(opened, str):
            return False
        fd, _ = opened
        try:
            view, at = memoryview(data), 0
            while True:
                block = os.read(fd, 1 << 20)
                if not block:
                    return at == len(data)
                if view[at : at + len(block)] != block:
                    return False
                at += len(block)
        finally:
            os.close(fd)
    except OSError:
        return False


def open_data(path: Path) -> int | None:
    """An open descriptor of the regular file ``path`` (which stays readable when the file is
    replaced since), or None when there is no file; raises OSError when there is one that
    cannot be opened, or that is not a regular file."""
    try:
        opened = _open_regular(path)
    except FileNotFoundError:
        return None
    if isinstance(opened, str):
        raise OSError(errno.EINVAL, not_regular(opened), str(path))
    return opened[0]


def blocks_of(fd: int, limit: int | None = None) -> Iterator[bytes]:
    """The bytes of the open file ``fd`` from its start (the first ``limit`` of them), a block
    at a time; raises OSError."""
    at = 0
    while limit is None or at < limit:
        want = _STREAM_BLOCK if limit is None else min(_STREAM_BLOCK, limit - at)
        chunk = os.pread(fd, want, at)
        if not chunk:
            return
        at += len(chunk)
        yield chunk


def read_data(path: Path, limit: int = MAX_BYTES) -> bytes | Unread:
    """The bytes of the data file ``path`` (a symbolic link followed), read once and at most
    ``limit`` of them; or why there are none.

    Only a regular file is data: a directory, a FIFO, a device (a link to ``/dev/zero``, which
    git can carry) or a socket is refused before a byte is read. The file is opened without
    blocking (a FIFO never waits for a writer) and read up to ``limit + 1`` bytes, so a file
    that grows past the limit, or whose size the system misreports, is never read whole.
    """
    chunks: list[bytes] = []
    read = _read_blocks(path, limit, chunks.append)
    return read if isinstance(read, Unread) else b"".join(chunks)


def _read_blocks(
    path: Path, limit: int, take: Callable[[bytes], None], block: int | None = None
) -> int | Unread:
    """Read the data file ``path`` as :func:`read_data` says, giving each block (of at most
    ``block`` bytes; else the file in one read) to ``take``: its length, or why it has none
    (``take`` may have been given some of it)."""
    try:
        opened = _open_regular(path)
        if isinstance(opened, str):
            return Unread("special", opened)
        fd, st = opened
        try:
            size = 0
            if st.st_size <= limit:  # a file said larger is not read
                while size <= limit:
                    want = min(limit + 1 - size, max(st.st_size + 1 - size, 1 << 16))
                    chunk = os.read(fd, want if block is None else min(want, block))
                    if not chunk:
                        break
                    take(chunk)
                    size += len(chunk)
        finally:
            os.close(fd)
    except FileNotFoundError:
        return Unread("missing")
    except OSError as exc:
        return Unread("unreadable", exc.strerror or str(exc))
    if size > limit or st.st_size > limit:
        return Unread("oversized", str(max(size, st.st_size) // 2**20))
    return size


KEYED = b"blake2b:"  # what a data file's bytes are keyed by: this and their hash (:func:`part`)


def new_digest() -> Any:
    """The hash a data file's bytes are keyed by, to be fed (:attr:`Streamed.digest`'s)."""
    return _blake2b(digest_size=32)


def digest_of(data: bytes) -> bytes:
    """The hash of a data file's bytes (:attr:`Streamed.digest`'s)."""
    return _blake2b(data, digest_size=32).digest()


def part(data: bytes) -> bytes:
    """What the result cache and the replay key a data file's bytes by: their hash, so that a
    large file need not be held to be keyed (:class:`Streamed`)."""
    return KEYED + digest_of(data)


class Changed(Exception):
    """A file read again a block at a time no longer holds the bytes it was keyed by."""


class Observer(Protocol):
    """What is told of a file's bytes as they are read (:attr:`Streamed.observer`)."""

    def restart(self) -> None: ...  # a new pass over the file begins
    def feed(self, chunk: bytes) -> None: ...  # its next bytes
    def end(self) -> None: ...  # the pass read the file whole


@dataclass(slots=True)
class Streamed:
    """A data file read a block at a time and never held whole: its path, length and hash,
    from a first pass (:func:`read_streamed`, what the result cache keys it by). Its bytes are
    read again for the reader (:meth:`blocks`, :meth:`whole`); a pass that finds other bytes
    than those keyed raises :class:`Changed` (the run starts again: the result of one content
    is never cached under the key of another). ``observer``: told of the bytes of every pass."""

    path: Path
    size: int
    digest: bytes  # blake2b, 32 bytes
    observer: Observer | None = field(default=None)

    @property
    def part(self) -> bytes:
        """What it is keyed by (:func:`part` of its bytes)."""
        return KEYED + self.digest

    def blocks(self) -> Iterator[bytes]:
        """The file's bytes again, a block at a time; raises :class:`Changed` (once the last
        block is read) when they are not the bytes keyed."""
        digest, size, observer = new_digest(), 0, self.observer
        if observer is not None:
            observer.restart()
        try:
            opened = _open_regular(self.path)
        except OSError as exc:
            raise Changed(str(exc)) from None
        if isinstance(opened, str):
            raise Changed(opened)
        fd, _ = opened
        try:
            while size <= self.size:
                try:
                    chunk = os.read(fd, _STREAM_BLOCK)
                except OSError as exc:
                    raise Changed(str(exc)) from None
                if not chunk:
                    break
                size += len(chunk)
                digest.update(chunk)
                if observer is not None:
                    observer.feed(chunk)
                yield chunk
        finally:
            os.close(fd)
        if size != self.size or digest.digest() != self.digest:
            raise Changed(str(self.path))
        if observer is not None:
            observer.end()

    def whole(self) -> bytes:
        """The file's bytes (read again; :meth:`blocks`)."""
        return b"".join(self.blocks())


def read_streamed(path: Path, limit: int = MAX_BYTES) -> Streamed | Unread:
    """The data file ``path`` read a block at a time and hashed (:class:`Streamed`), as
    :func:`read_data` reads it; or why it has no bytes."""
    digest = new_digest()
    read = _read_blocks(path, limit, digest.update, _STREAM_BLOCK)
    return read if isinstance(read, Unread) else Streamed(path, read, digest.digest())
