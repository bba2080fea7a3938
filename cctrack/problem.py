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
