"""Shared helpers: a minimal valid data set, and a fixture that writes data directories."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import typer.testing

from cctrack.domain import Observation, Target
from cctrack.model import parse_observation, parse_target

# Typer's CliRunner builds the Click command from the app's functions on every invoke (about
# 10 ms); the app does not change during a run, so build it once. Only a test-speed measure:
# where a Typer version has no such helper, the runner works as it comes.
if callable(getattr(typer.testing, "_get_command", None)):
    typer.testing._get_command = functools.cache(typer.testing._get_command)  # type: ignore[attr-defined]

# A day on which the minimal data set below has no problem at all: the 2023 value is recent,
# the 2025 deadline has not passed and every source has a URL and a date.
TODAY = date(2024, 6, 1)

SOURCE = "{title: Plan, url: https://example.org/plan, published: 2021-03-01}"
# The observation's source: published after the year it reports ended (a figure published before
# its period ended is a forecast, ``forecast-unmarked``). Same length as SOURCE: columns hold.
OBS_SOURCE = SOURCE.replace("2021-03-01", "2024-03-01")

# Line numbers matter: the catalogue in test_validate.py points into these texts.
TARGETS = f"""\
targets:
  - id: nev
    name: NEV output
    scope: Changchun
    unit: vehicles
    target: 700000
    deadline: 2025
    start: 2021
    source: {SOURCE}
"""

# A releases block to append to TARGETS (a top-level key after the list: no line moves): the
# work report brings a year's figure about 15 days after the year ends.
RELEASES = """\
releases:
  - {id: report, name: work report, cadence: annual, delay_days: 15, kinds: [annual, level]}
"""

OBSERVATIONS = f"""\
observations:
  - target: nev
    period: 2023
    value: 500000
    source: {OBS_SOURCE}
"""

# One more observation entry (no "observations:" header), to append to OBSERVATIONS.
OBSERVATION_ENTRY = OBSERVATIONS.removeprefix("observations:\n")

MakeData = Callable[..., Path]


@pytest.fixture
def make_data(tmp_path: Path) -> MakeData:
    """Write a data directory and return it.

    ``make_data(targets, observations, name="data")``: each text is written as UTF-8 (bytes as
    they are); ``None`` leaves that file out. Defaults are the minimal valid data set.
    """

    def write(
        targets: str | bytes | None = TARGETS,
        observations: str | bytes | None = OBSERVATIONS,
        name: str = "data",
    ) -> Path:
        directory = tmp_path / name
        directory.mkdir(parents=True, exist_ok=True)
        for filename, text in (("targets.yaml", targets), ("observations.yaml", observations)):
            if text is None:
                continue
            data = text if isinstance(text, bytes) else text.encode("utf-8")
            (directory / filename).write_bytes(data)
        return directory

    return write


@pytest.fixture(autouse=True)
def _private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test (and the subprocesses it starts) gets its own empty result cache."""
    monkeypatch.setenv("CCTRACK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


# --- targets and observations built in memory (the assessment's unit tests) ----------------------

SRC = {"title": "t", "url": "https://x", "published": "2024-01-01"}


def make_target(**fields: Any) -> Target:
    """An increase target of 100 yuan by 2025, base year 2020 (start 2021), unless told
    otherwise; a field given as None is left out."""
    data: dict[str, Any] = {
        "id": "t", "name": "T", "scope": "City", "unit": "yuan", "target": 100,
        "deadline": 2025, "start": 2021, "source": SRC,
    }  # fmt: skip
    data.update(fields)
    return parse_target({k: v for k, v in data.items() if v is not None})


def make_obs(period: Any, value: Any = None, tid: str = "t", **fields: Any) -> Observation:
    """An observation of target ``tid`` for ``period`` with ``value`` (None: a change only)."""
    data: dict[str, Any] = {"target": tid, "period": period, "source": SRC}
    if value is not None:
        data["value"] = value
    data.update(fields)
    return parse_observation(data)


def approx(x: float) -> Any:
    """Equal to within 1e-9."""
    return pytest.approx(x, abs=1e-9)


# Guards against quadratic blow-ups, without a wall-clock bound: the cost of an input of size n
# against one eight times larger, measured here and now (CPU time, the best of three each, the
# two sizes alternated), must grow like the size, not like its square. Linear gives about 8,
# quadratic 64: the bound of 24 leaves room for noise and still catches the square.
GROWTH_FACTOR = 8
GROWTH_BOUND = 24.0


def growth(run: Callable[[int], object], n: int) -> float:
    """How many times longer ``run(GROWTH_FACTOR * n)`` takes than ``run(n)`` (CPU time, best of
    three each, alternated); ``n`` should make ``run(n)`` take a few milliseconds at least."""
    import time

    small, large = float("inf"), float("inf")
    for _ in range(3):
        start = time.process_time()
        run(n)
        small = min(small, time.process_time() - start)
        start = time.process_time()
        run(GROWTH_FACTOR * n)
        large = min(large, time.process_time() - start)
    return large / max(small, 1e-4)  # a run under the clock's resolution counts as 0.1 ms


# Runs the command line as the script does, then says on standard error whether Typer was
# loaded: a replayed run never loads it (tests/test_replay*.py).
PROBE = (
    "import atexit, sys\n"
    "atexit.register(lambda: sys.stderr.write("
    "'\\n[typer loaded: %s]' % ('typer' in sys.modules)))\n"
    "from cctrack.__main__ import main\n"
    "main()\n"
)
MARK = "\n[typer loaded: "
