"""A finished ``status`` or ``validate`` written again: the warm path of the commonest commands.

A ``status`` or ``validate`` run through the command line (:func:`cctrack.__main__.main`)
stores what it wrote (standard output, standard error, exit code) under a key of everything its
output can depend on. The next run with the same key writes those bytes and exits, before Typer,
Rich or any of the core is imported. The key is made of:

* the invocation: the install (the package's resolved directory: two checkouts or two installs
  sharing one cache directory never share an entry, and the shipped data set beside each is its
  own), the arguments, the working directory, whether ``./data/targets.yaml`` exists
  (where the data directory is looked for), every ``CCTRACK_*`` variable, the variables Rich
  and Python read to choose colours, width and encoding (``TERM``, ``COLUMNS``, ``NO_COLOR``,
  ``FORCE_COLOR``, ``LANG``, …), whether each standard stream is a terminal and its size, the
  encodings of standard output and error; it names the entry's file;
* in the entry, checked before anything is written: the bytes of both data files (as read now,
  through any symbolic link) and the resolved path of their directory, today's date (the
  default ``--as-of``), the bytes of every file of cctrack (code and catalogues, see below) and
  the size and modification time of the ``__init__.py`` of Rich, Typer and Click (an upgrade
  rewrites them).

cctrack's files are not read every run (git's rule for a racily clean index). Their hash is kept
in a record in the cache directory (``stamp-*.marshal``, one per install) with every file's
signature (path, size, modification and status change times, inode, device) and the record's
time: the filesystem's when its temporary file was made (this machine's, if earlier), before the
files were read. A run lists the package's directories and stats each file; the recorded hash
stands when the same files have the same signatures and every one of them last changed more than
:data:`_MARGIN_NS` (2 s) before the record. A write after the read sets the status change time
later (no user can set it back), so a file edited twice within one tick of the clock, to the
same size and with its times set back, is still seen: by its signature, or, within the margin,
by being read. Otherwise, or with the cache off, the files are read and hashed whole, as the key
is made, and the record is written again (a temporary file, then a rename; a missing or corrupt
record is a miss). The key is the one the bytes read whole give.

Anything unusual (the cache off, a data file missing, not regular or over the size limit, an
entry missing, corrupt or stale) is a miss: the command runs as usual and stores its output.
Only runs that ended as the command does are stored (``status``: exit 0, or 1 from
``--fail-on``; ``validate``: its report, whatever it found); usage errors and a ``status`` of
data with errors are not. Entries are in the user's own cache directory (a marshal header, then
the output in UTF-8, written as the run writes it: :func:`keeper`), one per distinct command
line: a replayed entry's time is set to now, and when a store leaves more than :data:`KEEP` of
them the least recently used are removed down to :data:`KEEP_AFTER_PRUNE` (a removed entry is
only a miss: the command runs and stores again).
"""

# No ``from __future__ import annotations``: importing it costs a warm run 1% (the annotations
# here are valid as written in Python 3.11).
import io
import marshal
import os
import stat
import sys
import time

try:  # the module itself: hashlib would also load OpenSSL
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover - an interpreter without it
    from hashlib import blake2b as _blake2b

_PACKAGE = os.path.dirname(os.path.abspath(__file__))
_FILES = ("targets.yaml", "observations.yaml")  # cctrack.location's names, kept in step by a test
_LIMIT = 256 * 1024 * 1024  # cctrack.location.MAX_BYTES, kept in step by a test
_KEYED = b"blake2b:"  # cctrack.location.KEYED: observations.yaml is keyed by its hash
_BLOCK = 1 << 20  # the bytes of observations.yaml hashed at a time
_ENV = ("HOME", "XDG_CACHE_HOME", "COLUMNS", "LINES", "TERM", "COLORTERM", "NO_COLOR",
        "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "JUPYTER_COLUMNS", "JUPYTER_LINES",
        "JPY_PARENT_PID", "VSCODE_PID", "DATABRICKS_RUNTIME_VERSION", "GITHUB_ACTIONS",
        "PYTHONIOENCODING", "PYTHONUTF8", "LANG", "LC_ALL", "LC_CTYPE", "TZ")  # fmt: skip
_LIBRARIES = ("rich", "typer", "click")
_VERSION = 4  # of the entry's layout
_COMMANDS = frozenset({"status", "validate"})
_PIECE = 1 << 20  # bytes of a stored output decoded and written at a time
_TRAILER = 40  # after the output: its length (8 bytes, little-endian) and its hash (32 bytes)
KEEP = 256  # replay entries kept in the cache directory at most
KEEP_AFTER_PRUNE = 192  # what a prune leaves: pruning is rare, not at every store
_RECORD = 1  # of the layout of the record of cctrack's files
_MARGIN_NS = 2_000_000_000  # how long before the record a file must have last changed

# The entry a stored run goes to: set by :func:`replay` on a miss of a command it replays.
armed: str | None = None
# A file as stat-ed: path, size, modification and status change times (ns), inode, device.
Signature = tuple[str, int, int, int, int, int]
# How many of cctrack's files this process read for :func:`code` (the tests' probe).
files_read = 0


def _hash(*parts: bytes) -> str:
    digest = _blake2b(digest_size=32)
    for part in parts:  # the part apart: one copy fewer of a large file
        digest.update(b"\0" + str(len(part)).encode() + b"\0")
        digest.update(part)
    return digest.hexdigest()


def digest(contents: list[bytes]) -> str:
    """The key of the data files' bytes (or of what the pipeline keys an unread file by)."""
    return _hash(*contents)


def _cache_dir() -> str:
    """:func:`cctrack.cache.cache_dir`, without pathlib."""
    explicit = os.environ.get("CCTRACK_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "cctrack")


def _enabled() -> bool:
    """:func:`cctrack.cache.enabled`."""
    return os.environ.get("CCTRACK_NO_CACHE", "") in {"", "0"}


def _terminal(fd: int) -> str:
    """Whether the stream ``fd`` is a terminal, and its size (Rich asks 0, 1 and 2)."""
    try:
        size = os.get_terminal_size(fd)
        shown = f"{size.columns}x{size.lines}"
    except (OSError, ValueError):
        shown = "-"
    return f"{fd}:{os.isatty(fd)}:{shown}"


def _invocation(argv: list[str]) -> str:
    env = sorted((k, v) for k, v in os.environ.items() if k.startswith("CCTRACK_") or k in _ENV)
    parts = [
        f"v{_VERSION}",
        os.path.realpath(_PACKAGE),
        _PACKAGE,
        "\0".join(argv),
        os.getcwd(),
        str(os.path.isfile(os.path.join("data", _FILES[0]))),
        repr(env),
        *(_terminal(fd) for fd in (0, 1, 2)),
        f"{sys.stdout.encoding}:{sys.stdout.errors}:{sys.stderr.encoding}:{sys.stderr.errors}",
    ]
    return _hash(*(p.encode("utf-8", "surrogateescape") for p in parts))


def code() -> str:
    """The key of cctrack's own files' bytes (the result cache, :mod:`cctrack.pipeline`, is
    keyed by it too)."""
    return _hash(_stamp())


def _stamp() -> bytes:
    """The bytes of every file of cctrack (:func:`_package`), and the size and modification time
    of the libraries' entry files."""
    seen: list[str] = [sys.version, *_package()]
    for library in _LIBRARIES:
        for entry in sys.path:
            try:
                st = os.stat(os.path.join(entry or ".", library, "__init__.py"))
            except OSError:
                continue
            seen.append(f"{library}:{entry}:{st.st_size}:{st.st_mtime_ns}")
            break
    return "\n".join(seen).encode("utf-8", "surrogateescape")


def _package() -> list[str]:
    """Each file of cctrack's path and size, then the hash of all their bytes: from the record
    when it holds (:func:`_trusted`), else read and hashed, and the record written again."""
    paths: list[str] = []
    signatures: list[Signature] = []
    _list(_PACKAGE, paths, signatures)
    if not _enabled() or len(signatures) != len(paths):
        return _hash_files(paths)
    key = _hash(_PACKAGE.encode("utf-8", "surrogateescape"))[:32]
    record = os.path.join(_cache_dir(), f"stamp-{key}.marshal")
    try:
        with open(record, "rb") as handle:
            version, package, written, recorded, lines = marshal.loads(handle.read())
        if (
            version == _RECORD
            and package == _PACKAGE
            and _trusted(recorded, signatures, written)
            and isinstance(lines, list)
            and all(isinstance(line, str) for line in lines)
        ):
            return lines
    except Exception:  # missing, truncated or corrupt: a miss
        pass
    return _rewrite(record, paths, signatures)


def _list(top: str, paths: list[str], signatures: list[Signature]) -> None:
    """Add the files under ``top`` in the order of ``os.walk`` with directories and files sorted
    by name (no ``__pycache__``, no link to a directory followed, nothing from a directory that
    cannot be listed), and the signature of each that can be stat-ed."""
    try:
        with os.scandir(top) as listing:
            entries = sorted(listing, key=_name)
    except OSError:
        return
    dirs = []
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if entry.name != "__pycache__" and not os.path.islink(entry.path):
                dirs.append(entry.path)
            continue
        paths.append(entry.path)
        try:
            st = entry.stat()
        except OSError:  # a dangling link: no signature, the files are read
            continue
        signatures.append(
            (entry.path, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)
        )
    for directory in dirs:
        _list(directory, paths, signatures)


def _name(entry: "os.DirEntry[str]") -> str:
    return entry.name


def _trusted(recorded: object, signatures: list[Signature], written: object) -> bool:
    """Whether a recorded hash still stands for the files now listed and stat-ed: the same
    files with the same signatures, each last changed (modification and status change) more
    than :data:`_MARGIN_NS` before the record's time, taken before its files were read."""
    if recorded != signatures or not isinstance(written, int):
        return False
    settled = written - _MARGIN_NS
    return all(mtime < settled and ctime < settled for _, _, mtime, ctime, _, _ in signatures)


def _rewrite(record: str, paths: list[str], signatures: list[Signature]) -> list[str]:
    """Read and hash the files, and write the record of them (atomically; a failure is only a
    record not written). Its time is the filesystem's when its temporary file was made, before
    the files are read."""
    temporary = f"{record}.{os.getpid()}.tmp"
    lines: list[str] | None = None
    try:
        os.makedirs(os.path.dirname(record), mode=0o700, exist_ok=True)
        with open(temporary, "wb") as handle:
            written = _now(handle.fileno())
            lines = _hash_files(paths)
            marshal.dump((_RECORD, _PACKAGE, written, signatures, lines), handle)
        os.replace(temporary, record)
    except OSError:
        try:  # noqa: SIM105 - no contextlib on this path
            os.remove(temporary)
        except OSError:
            pass
    return _hash_files(paths) if lines is None else lines


def _now(fd: int) -> int:
    """A record's time: when its file ``fd`` was made by the filesystem's clock, or this
    machine's if earlier (the cache on a server whose clock runs ahead)."""
    return min(os.fstat(fd).st_mtime_ns, time.time_ns())


def _hash_files(paths: list[str]) -> list[str]:
    """Each file's path (under the package) and size, then the hash of all their bytes.
    Contents, not times: two copies with the same sizes and times (``cp -p``, a checkout within
    one clock tick) or a file rewritten within a tick are told apart."""
    global files_read
    digest = _blake2b(digest_size=32)
    lines: list[str] = []
    for path in paths:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:  # unreadable: known by its name only, and never equal to a read
            data = b"\0unreadable"
        files_read += 1
        digest.update(b"\0" + str(len(data)).encode() + b"\0" + data)
        lines.append(f"{path[len(_PACKAGE) :]}:{len(data)}")
    lines.append(digest.hexdigest())
    return lines


def _read(directory: str) -> list[bytes] | None:
    """What the data files are keyed by (:func:`cctrack.pipeline.key_parts`): the targets
    file's bytes and the observations file's hash (hashed a block at a time, never held
    whole); None when either is not a plain readable file within the limit (the full road says
    why)."""
    contents = []
    for name in _FILES:
        path = os.path.join(directory, name)
        try:
            if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO or a device is never opened
                return None
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
            with open(fd, "rb") as handle:
                st = os.fstat(fd)
                if not stat.S_ISREG(st.st_mode) or st.st_size > _LIMIT:
                    return None
                if name == _FILES[0]:
                    data = handle.read(_LIMIT + 1)
                    size = len(data)
                else:
                    hashed, size = _blake2b(digest_size=32), 0
                    while size <= _LIMIT and (block := handle.read(_BLOCK)):
                        hashed.update(block)
                        size += len(block)
                    data = _KEYED + hashed.digest()
        except OSError:
            return None
        if size > _LIMIT:
            return None
        contents.append(data)
    return contents


def _today() -> str:
    """The local date, as ``date.today()`` gives it."""
    return time.strftime("%Y-%m-%d")


def _check(data_digest: str, today: str, directory: str) -> str:
    where = os.path.realpath(directory).encode("utf-8", "surrogateescape")
    return _hash(_stamp(), today.encode(), data_digest.encode(), where)


def _entry(invocation: str) -> str:
    return os.path.join(_cache_dir(), f"replay-{invocation[:32]}.marshal")


def replay(argv: list[str]) -> None:
    """Write the stored output of this command line and exit, when it is still the output the
    command would make; otherwise return (arming :func:`keeper` for ``status`` or ``validate``)."""
    global armed
    if not argv or argv[0] not in _COMMANDS or not _enabled() or "_CCTRACK_COMPLETE" in os.environ:
        return  # shell completion runs through Click
    invocation = armed = _invocation(argv)
    try:
        with open(_entry(invocation), "rb") as handle:
            entry = handle.read()
        size = int.from_bytes(entry[:4], "little")
        version, stored_invocation, directory, check, err, code = marshal.loads(entry[4 : 4 + size])
    except Exception:  # missing, truncated or corrupt: a miss
        return
    if version != _VERSION or stored_invocation != invocation:
        return
    start, end = 4 + size, len(entry) - _TRAILER
    if not _whole(entry, start, end):  # an output cut short or damaged: a miss
        return
    contents = _read(directory)
    if contents is None or _check(digest(contents), _today(), directory) != check:
        return
    # used now: the last entries a prune removes (a failure only ages it); no contextlib here,
    # an import the warm path does not otherwise pay
    try:  # noqa: SIM105
        os.utime(_entry(invocation))
    except OSError:
        pass
    try:
        _write_out(entry, start, end)
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    sys.stderr.write(err)
    sys.exit(code)


def _whole(entry: bytes, start: int, end: int) -> bool:
    """Whether the output kept in ``entry`` between ``start`` and ``end`` is the one written:
    its length and hash, in the trailer after it, agree (:meth:`Keeper.done`)."""
    if end < start:
        return False
    length = int.from_bytes(entry[end : end + 8], "little")
    hashed = _blake2b(memoryview(entry)[start:end], digest_size=32).digest()
    return length == end - start and hashed == entry[end + 8 :]


def _write_out(entry: bytes, start: int, end: int) -> None:
    """Write the output kept in ``entry`` between ``start`` and ``end`` (UTF-8) a piece of
    about :data:`_PIECE` bytes at a time, each ending after a line feed (never inside a
    character): a large output is never decoded whole."""
    view = memoryview(entry)
    while start < end:
        stop = entry.find(b"\n", start + _PIECE, end) + 1 or end
        sys.stdout.write(str(view[start:stop], "utf-8", "surrogatepass"))
        start = stop


class Keeper:
    """An entry written while its run writes its output: :meth:`write` each piece as it is
    written out, then :meth:`done` (the entry is put in place) or :meth:`drop` (it is not).
    A failure to write it (read-only home, full disk) only drops it."""

    __slots__ = ("handle", "hashed", "length", "path", "temporary")

    def __init__(self, path: str, temporary: str, handle: io.BufferedWriter) -> None:
        self.path, self.temporary = path, temporary
        self.handle: io.BufferedWriter | None = handle
        self.hashed, self.length = _blake2b(digest_size=32), 0

    def write(self, piece: str) -> None:
        """Keep the next piece of the output."""
        if self.handle is None:
            return
        data = piece.encode("utf-8", "surrogatepass")
        self.hashed.update(data)
        self.length += len(data)
        try:
            self.handle.write(data)
        except OSError:
            self.drop()

    def done(self) -> None:
        """Put the entry in place (the run ended as the command does), then prune. The output
        is followed by its length and hash (:data:`_TRAILER`): an entry cut short or damaged
        is a miss, never a part of an output."""
        handle, self.handle = self.handle, None
        if handle is None:
            return
        try:
            handle.write(self.length.to_bytes(8, "little") + self.hashed.digest())
            handle.close()
            os.replace(self.temporary, self.path)
        except OSError:
            _remove(self.temporary)
            return
        prune(_cache_dir())

    def drop(self) -> None:
        """Keep nothing (the run did not end as the command does, or the entry failed)."""
        handle, self.handle = self.handle, None
        if handle is not None:
            try:  # noqa: SIM105 - no contextlib on this path
                handle.close()
            except OSError:
                pass
            _remove(self.temporary)


def _remove(path: str) -> None:
    try:  # noqa: SIM105
        os.remove(path)
    except OSError:
        pass


def keeper(directory: str, data_digest: str, today: str, err: str, code: int) -> Keeper | None:
    """The entry of a ``status`` or ``validate`` run from the data files of ``data_digest`` on
    the day ``today`` that wrote ``err`` and exits with ``code``, its output still to be written
    (:class:`Keeper`); None when :func:`replay` did not arm it (not a command-line run), the
    cache is off or the entry cannot be made. The entry is the length of its header (4 bytes,
    little-endian), the header (marshal data), the output in UTF-8 (never held whole to be
    kept), then its length and hash (:data:`_TRAILER`)."""
    if armed is None or not _enabled():
        return None
    check = _check(data_digest, today, directory)
    header = marshal.dumps((_VERSION, armed, directory, check, err, code))
    path = _entry(armed)
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(_cache_dir(), mode=0o700, exist_ok=True)
        handle = open(temporary, "wb")  # noqa: SIM115 - closed by the Keeper
    except OSError:
        return None
    kept = Keeper(path, temporary, handle)
    try:
        handle.write(len(header).to_bytes(4, "little") + header)
    except OSError:
        kept.drop()
        return None
    return kept


def prune(folder: str, keep: int = KEEP, down_to: int = KEEP_AFTER_PRUNE) -> int:
    """Remove the least recently used replay entries of ``folder`` when there are more than
    ``keep``, down to ``down_to``; returns how many were removed (failures are skipped)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    names = [n for n in names if n.startswith("replay-") and n.endswith(".marshal")]
    if len(names) <= keep:
        return 0
    aged = []
    for name in names:
        path = os.path.join(folder, name)
        try:
            aged.append((os.stat(path).st_mtime_ns, path))
        except OSError:
            continue
    aged.sort()
    removed = 0
    for _, path in aged[: max(0, len(aged) - down_to)]:
        try:
            os.remove(path)
            removed += 1
        except OSError:
            continue
    return removed
