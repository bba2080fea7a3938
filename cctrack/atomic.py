"""Write data files safely: an exclusive lock per data directory and atomic replacement.

``add-observation`` is the only writer of data files; the HTML report and the result cache use
``atomic_write`` too.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

TMP_PREFIX = ".cctrack-tmp-"


@contextlib.contextmanager
def locked(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on a data directory: concurrent writers run one after another.

    The lock is ``flock`` on the directory itself, so no lock file is left behind. Temporary
    files left by a writer that was killed are removed once the lock is held.
    """
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        for stale in directory.glob(TMP_PREFIX + "*"):
            with contextlib.suppress(OSError):
                stale.unlink()
        yield
    finally:
        os.close(fd)  # closing releases the lock


def writable_problem(path: Path) -> str | None:
    """Why ``path`` (or its directory) must not be written, by its permission bits; or None.

    Permission bits are checked rather than ``os.access`` so that a file marked read-only is
    respected even by a user (such as root) who could write it anyway.
    """
    directory = path.parent
    if not directory.is_dir():
        return f"{directory} is not a directory"
    if not directory.stat().st_mode & stat.S_IWUSR:
        return f"the directory {directory} is read-only"
    if path.exists() and not path.stat().st_mode & stat.S_IWUSR:
        return f"{path} is read-only"
    return None


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically: a complete temporary file in the same
    directory, flushed and fsynced, renamed over the old one; the directory is then fsynced.
    A crash at any instant leaves either the old file or the new one."""
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
