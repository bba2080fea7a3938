"""The one record every check produces: a problem at a file, line and column."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from cctrack.pickling import Compact

ERROR = "error"
WARNING = "warning"
INFO = "info"  # a finding shown by ``validate --strict`` only (an entry without a quote)


@dataclass(frozen=True, slots=True, order=True, init=False)
class Problem(Compact):
    """A problem found in a data file; positions are 1-based. Orders by file, line, column.

    Made as ``Problem(path, line, col, severity, code, message)``; the message is held as
    UTF-8 (``said``), which orders as the text does: a message with one character beyond
    Latin-1 (the arrow of most change warnings) is held as two bytes a character in a
    ``str``, and a large data set has a hundred thousand of them."""

    path: str
    line: int
    col: int
    severity: str
    code: str
    said: bytes

    def __init__(
        self, path: str, line: int, col: int, severity: str, code: str, message: str | bytes
    ) -> None:
        set_path, set_line, set_col, set_severity, set_code, set_said = _SETTERS
        set_path(self, path)
        set_line(self, line)
        set_col(self, col)
        set_severity(self, severity)
        set_code(self, code)
        set_said(self, message if type(message) is bytes else str(message).encode())

    @property
    def message(self) -> str:
        """The message, as a person reads it."""
        return self.said.decode()

    def format(self) -> str:
        """``FILE:LINE:COL: severity: message [code]``."""
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message} [{self.code}]"

    @property
    def is_error(self) -> bool:
        """True for an error (as opposed to a warning)."""
        return self.severity == ERROR


# Problem's fields, each set through its slot (a frozen class cannot assign them)
_SETTERS = tuple(
    vars(Problem)[name].__set__ for name in ("path", "line", "col", "severity", "code", "said")
)

_SUGGEST_ALL = 64  # up to this many choices, difflib compares the word with every one
_SUGGEST_CANDIDATES = 16  # beyond, it compares it with the 16 likeliest only
_SUGGEST_MAX_LENGTH = 100  # a longer word (or choice) gets (or is) no suggestion


def suggest(word: str, choices: list[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choices, or an empty string.

    Bounded however many unknown words meet however many choices (10,000 observations naming
    500 renamed targets): the result is memoised per word and set of choices, and when there
    are more than 64 choices only the 16 sharing the most pairs of adjacent characters with the
    word are compared in full by difflib. Among 64 choices or fewer, the result is difflib's.
    """
    return _suggest(word, tuple(choices))


@functools.lru_cache(maxsize=4096)
def _suggest(word: str, choices: tuple[str, ...]) -> str:
    import difflib

    if len(word) > _SUGGEST_MAX_LENGTH:
        return ""
    candidates, pairs = _index(choices)
    if len(candidates) > _SUGGEST_ALL:
        shared = list(map(len, map(_pairs(word).intersection, pairs)))
        best = sorted(range(len(shared)), key=shared.__getitem__, reverse=True)  # stable
        candidates = [candidates[i] for i in sorted(best[:_SUGGEST_CANDIDATES])]
    close = difflib.get_close_matches(word, candidates, n=3, cutoff=0.5)
    return f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""


def _pairs(text: str) -> frozenset[str]:
    """The pairs of adjacent characters in ``text`` (``nev`` → ``ne``, ``ev``)."""
    return frozenset(text[i : i + 2] for i in range(len(text) - 1)) or frozenset({text})


@functools.lru_cache(maxsize=16)
def _index(choices: tuple[str, ...]) -> tuple[list[str], list[frozenset[str]]]:
    """The choices short enough to suggest, and the character pairs of each: made once."""
    kept = [c for c in choices if len(c) <= _SUGGEST_MAX_LENGTH]
    return kept, [_pairs(c) for c in kept]
