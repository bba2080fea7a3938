"""The garbage collector's pause: what a one-command process freezes and what it does not."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cctrack import gcpause


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()
    gcpause.ONE_RUN = False


def test_a_pause_in_a_one_command_process_freezes_what_it_made(unfrozen: None) -> None:
    gcpause.ONE_RUN = True
    with gcpause.gc_paused():
        made = [[i] for i in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(made)


def test_elsewhere_a_pause_freezes_nothing(unfrozen: None) -> None:
    with gcpause.gc_paused():
        made = [[i] for i in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    assert made


def test_a_nested_pause_leaves_the_collector_off(unfrozen: None) -> None:
    gcpause.ONE_RUN = True
    with gcpause.gc_paused():
        with gcpause.gc_paused():
            pass
        assert not gc.isenabled()
        assert gc.get_freeze_count() == 0
    assert gc.isenabled()


ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("code", [0, 1, 3])
def test_the_script_leaves_with_the_command_s_code_its_output_and_exit_handlers(
    tmp_path: Path, code: int
) -> None:
    """``python -m cctrack`` ends the process itself: the exit code, everything written and the
    exit handlers are kept."""
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: sys.stdout.write('handler ran\\n'))\n"
        "import cctrack.cli\n"
        f"def fake(): print('written'); sys.stderr.write('said'); sys.exit({code})\n"
        "cctrack.cli.main = fake\n"
        "sys.argv = ['cctrack', 'show']\n"
        "from cctrack.__main__ import main\n"
        "main()\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert proc.returncode == code
    assert proc.stdout == "written\nhandler ran\n"
    assert proc.stderr == "said"
