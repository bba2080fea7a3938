"""The exit codes of every command (README, "Exit codes"). Imports nothing of cctrack's, so the
command line can use it without loading the core."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What a command's exit status means."""

    OK = 0  # success
    INVALID = (
        1  # the data is invalid, an observation was rejected, --fail-on triggered, a write failed
    )
    USAGE = 2  # the command line is wrong: unknown option, unparseable value, unknown target id
    BUG = 3  # a bug in cctrack, told in one line
    INTERRUPTED = 130  # Ctrl-C
