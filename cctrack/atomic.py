"""Write data files safely: an exclusive lock per data directory and atomic replacement.

``add-observation`` is the only writer of data files; the HTML report and the result cache use
``atomic_write`` too. A symbolic link is written through: the file it points to is replaced, in
its own directory, and the link stays. A file that is not a regular file (a FIFO, a device) is
never replaced, and one with more than one hard link is refused, because
replacing it by a new file would leave the other names with the old content.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cctrack.location import OBSERVATIONS_FILE, file_kind, not_regular

TMP_PREFIX = ".cctrack-tmp-"  # a data file's temporary file, written under the lock
OTHER_PREFIX = ".cctrack-new-"  # any other file's (a report, a cache entry): never under a lock


class SplitLinksError(OSError):
    """The file has other hard links, which replacing it would split, or is not a regular file
    (a FIFO, a device, a directory), which is never replaced: nothing was written."""


def real_path(path: Path) -> Path:
    """The file that writing ``path`` must replace: ``path`` with every symbolic link resolved
    (a link to a missing file resolves to where that file would be)."""
    return Path(os.path.realpath(path))


def links_problem(path: Path) -> str | None:
    """Why ``path`` must not be replaced: it is not a regular file (replacing ``/dev/null`` or a
    FIFO would put a file in its place), or it has more than one hard link; else None."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    kind = file_kind(st.st_mode)
    if kind is not None:
        return f"{path} is {not_regular(kind)}: only a regular file is replaced"
    if st.st_nlink <= 1:
        return None
    return (
        f"{path} has {st.st_nlink} hard links: replacing it would leave the other names with the "
        "old content (give it a file of its own, or make the other names symbolic links)"
    )


@contextlib.contextmanager
def locked(directory: Path, names: tuple[str, ...] = (OBSERVATIONS_FILE,)) -> Iterator[None]:
    """Hold an exclusive lock on a data directory: concurrent writers run one after another.

    The lock is ``flock`` on the directory itself, so no lock file is left behind. When one of
    ``names`` in it is a symbolic link, the directory of the file it points to is locked too
    (the rename happens there, and another data directory may link to the same file); all
    directories are locked in one fixed order, so two writers cannot wait for each other.
    Temporary files left by a data writer that was killed (named with :data:`TMP_PREFIX`) are
    removed from every locked directory once the locks are held; those of other writers (a
    report being written into the data directory at that moment) are not theirs to remove.
    """
    folders = {_identity(directory): directory}
    for name in names:
        if (directory / name).is_symlink():
            real_dir = real_path(directory / name).parent
            with contextlib.suppress(OSError):  # a dangling link into a missing directory
                folders.setdefault(_identity(real_dir), real_dir)
    fds: list[int] = []
    try:
        for key in sorted(folders):
            fds.append(os.open(folders[key], os.O_RDONLY))
            fcntl.flock(fds[-1], fcntl.LOCK_EX)
        for folder in folders.values():
            for stale in folder.glob(TMP_PREFIX + "*"):
                with contextlib.suppress(OSError):
                    stale.unlink()
        yield
    finally:
        for fd in fds:
            os.close(fd)  # closing releases the lock


def _identity(directory: Path) -> tuple[int, int]:
    st = os.stat(directory)
    return st.st_dev, st.st_ino


def writable_problem(path: Path) -> str | None:
    """Why ``path`` (or the directory its temporary file goes to) must not be written; or None.

    Permission bits are checked rather than ``os.access`` so that a file marked read-only is
    respected even by a user (such as root) who could write it anyway. A symbolic link is
    judged by the file it points to and that file's directory; a file that is not a regular
    file, or has other hard links, is refused (:func:`links_problem`).
    """
    directory = path.parent
    if not directory.exists():
        return f"the directory {directory} does not exist"
    if not directory.is_dir():
        return f"{directory} is not a directory"
    try:
        os.stat(path)
    except FileNotFoundError:  # a new file, or a link to where one will be
        pass
    except OSError as exc:  # a loop of symbolic links, a file in place of a directory
        return f"{path}: {exc.strerror or exc}"
    real, shown = path, str(path)
    if path.is_symlink():
        real = real_path(path)
        directory, shown = real.parent, f"{real} (linked as {path})"
        if not directory.is_dir():
            return f"{path} links to {real}, whose directory does not exist"
    if not directory.stat().st_mode & stat.S_IWUSR:
        return f"the directory {directory} is read-only"
    if real.exists() and not real.stat().st_mode & stat.S_IWUSR:
        return f"{shown} is read-only"
    return links_problem(path)


Writer = Callable[[BinaryIO], None]  # writes a file's content into the open file it is given


@dataclass(slots=True)
class Staged:
    """A complete temporary file, flushed and fsynced, beside the file it is to replace
    (:func:`stage`): :meth:`commit` puts it in that file's place, :meth:`discard` removes it."""

    tmp: Path
    real: Path  # the file replaced (a symbolic link's target)
    done: bool = False

    def commit(self) -> None:
        """Rename the temporary file over the real one, then fsync their directory."""
        try:
            os.replace(self.tmp, self.real)
        except BaseException:
            self.discard()
            raise
        self.done = True
        dir_fd = os.open(self.real.parent, os.O_RDONLY)  # the directory whose entry changed
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def discard(self) -> None:
        """Remove the temporary file (once committed, there is none)."""
        if not self.done:
            self.done = True
            with contextlib.suppress(OSError):
                os.unlink(self.tmp)


def stage(
    path: Path,
    data: bytes | Iterable[bytes | memoryview] | Writer,
    prefix: str = OTHER_PREFIX,
    into: list[Staged] | None = None,
) -> Staged:
    """Write ``data`` to a temporary file that is to replace ``path`` (:func:`atomic_write`,
    which says how a link and other hard links are treated), with the mode of the file it
    replaces; nothing is left when writing it fails. ``into``: where the file is listed as soon
    as it exists (its owner removes it if the run ends before it is put in place)."""
    reason = links_problem(path)
    if reason is not None:
        raise SplitLinksError(errno.EMLINK, reason, str(path))
    real = real_path(path) if path.is_symlink() else path
    mode = real.stat().st_mode & 0o7777 if real.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=prefix, dir=real.parent)
    staged = Staged(Path(tmp), real)
    try:
        if into is not None:
            into.append(staged)
        with os.fdopen(fd, "wb") as handle:
            if callable(data):
                data(handle)
            else:
                for piece in [data] if isinstance(data, bytes) else data:
                    handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        staged.discard()
        raise
    return staged


def atomic_write(
    path: Path, data: bytes | Iterable[bytes | memoryview] | Writer, prefix: str = OTHER_PREFIX
) -> None:
    """Replace ``path`` with ``data`` (bytes, pieces written as they come, or a function that
    writes into the open file, e.g. a pickle dumped as it is made) atomically: a
    complete temporary file in the same directory, flushed and fsynced, renamed over the old
    one; the directory is then fsynced. A crash at any instant leaves either the old file or
    the new one.

    A symbolic link is written through: the temporary file is made, renamed and fsynced in the
    directory of the file the link points to, and the link itself is left alone. A file with
    other hard links, or one that is not a regular file, raises :class:`SplitLinksError` (an
    ``OSError``) and nothing is written.
    ``prefix`` names the temporary file: :data:`TMP_PREFIX` for a data file written under
    :func:`locked`, whose next holder removes it if it is left behind.
    """
    stage(path, data, prefix).commit()
