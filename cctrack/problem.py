"""The one record every check produces: a problem at a file, line and column."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """A problem found in a data file; positions are 1-based. Orders by file, line, column."""

    path: str
    line: int
    col: int
    severity: str
    code: str
    message: str

    def format(self) -> str:
        """``FILE:LINE:COL: severity: message [code]``."""
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message} [{self.code}]"

    @property
    def is_error(self) -> bool:
        """True for an error (as opposed to a warning)."""
        return self.severity == ERROR


def suggest(word: str, choices: list[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choices, or an empty string."""
    import difflib

    close = difflib.get_close_matches(word, choices, n=3, cutoff=0.5)
    return f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
