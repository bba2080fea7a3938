"""A cache of checked and assessed results, keyed by the exact content of the data files.

The key is a hash of the bytes that were read and then parsed (never of a second read, which a
file replaced in between would make disagree), the inputs that change the result (the data
directory as written, which names the files in messages; the date; the method), cctrack's
version and the size and modification time of each of its own source files, so an edit, an
append, a replaced file or a new cctrack never gets a stale answer, while an unchanged file that
was merely touched still hits. One entry is kept per data directory (and one ``state``, what
reading on after an append needs, :mod:`cctrack.incremental`), in
``$CCTRACK_CACHE_DIR``, else ``$XDG_CACHE_HOME/cctrack``, else ``~/.cache/cctrack`` (created
with mode 0700). ``CCTRACK_NO_CACHE=1`` turns the cache off. A missing, corrupt, unreadable or
unwritable cache is ignored: the result is then computed as if there were none.

Entries are pickles: only ever read from the user's own cache directory.
"""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path
from typing import Any

import cctrack
from cctrack.gcpause import gc_paused

_CODE = Path(cctrack.__file__).parent

try:  # the module itself: hashlib would also load OpenSSL, a tenth of a warm run's time
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover - an interpreter without it
    from hashlib import blake2b as _blake2b


def enabled() -> bool:
    """False when ``CCTRACK_NO_CACHE`` is set to anything but empty or 0."""
    return os.environ.get("CCTRACK_NO_CACHE", "") in {"", "0"}


def cache_dir() -> Path:
    """Where entries live."""
    explicit = os.environ.get("CCTRACK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cctrack"


def _code_stamp() -> str:
    parts = [cctrack.__version__, sys.version]
    for path in sorted(_CODE.rglob("*.py")):
        st = path.stat()
        parts.append(f"{path.relative_to(_CODE)}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(parts)


def key(contents: list[bytes], *inputs: str) -> str:
    """The content key of the files' ``contents`` with ``inputs``."""
    digest = _blake2b(_code_stamp().encode(), digest_size=32)
    for item in inputs:
        digest.update(b"\0" + item.encode())
    for data in contents:
        digest.update(b"\0" + str(len(data)).encode() + b"\0" + data)
    return digest.hexdigest()


def _entry(directory: Path, kind: str = "result") -> Path:
    name = _blake2b(str(directory.resolve()).encode(), digest_size=16).hexdigest()
    return cache_dir() / f"{kind}-{name}.pickle"


def load(directory: Path, content_key: str, kind: str = "result") -> Any:
    """The cached payload for this key, or None (a miss, or any problem reading it); ``kind``
    names the entry (``result``, or ``state``: what reading on after an append needs)."""
    if not enabled():
        return None
    try:
        with _entry(directory, kind).open("rb") as handle, gc_paused():
            stored_key, payload = pickle.load(handle)
    except Exception:  # missing, truncated, corrupt or from another version: a miss
        return None
    return payload if stored_key == content_key else None


def save(directory: Path, content_key: str, payload: Any, kind: str = "result") -> None:
    """Store a payload; any failure (read-only home, full disk) is ignored."""
    if not enabled():
        return
    from cctrack.atomic import atomic_write

    try:
        folder = cache_dir()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with gc_paused():
            data = pickle.dumps((content_key, payload), protocol=pickle.HIGHEST_PROTOCOL)
        atomic_write(_entry(directory, kind), data)
    except Exception:
        return
