"""Where the data lives: the two file names and how the data directory is found.

Kept apart from the reader so that a cached run can find its files without loading it.
"""

from __future__ import annotations

import os
from pathlib import Path

TARGETS_FILE = "targets.yaml"
OBSERVATIONS_FILE = "observations.yaml"


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
