"""Where the data lives: the two file names and how the data directory is found.

Kept apart from the reader so that a cached run can find its files without loading it.
"""

from __future__ import annotations

import os
from pathlib import Path

TARGETS_FILE = "targets.yaml"
OBSERVATIONS_FILE = "observations.yaml"
PACKAGED = Path(__file__).parent / "data"


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
