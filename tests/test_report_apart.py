"""``report --html`` stores its result from a child process while it writes the page
(:func:`cctrack.cache.save_apart`): the command still ends with the result stored whole, the
next report reads it from the cache and writes the same page, and a process that does not run
one command (a test's, a library's) never forks."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from cctrack import apart, cache, gcpause, incremental, pipeline

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-12-06"


def report(data: Path, page: Path, cache_dir: Path, *options: str) -> None:
    """``python -m cctrack report --html PAGE`` as a process of its own."""
    env = {**os.environ, "CCTRACK_CACHE_DIR": str(cache_dir)}
    env.pop("CCTRACK_NO_CACHE", None)
    argv = [sys.executable, "-m", "cctrack", "report", "--html", str(page), "--data", str(data)]
    done = subprocess.run([*argv, "--as-of", AS_OF, *options], env=env, capture_output=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_result_is_stored_whole_when_the_report_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    cache_dir = tmp_path / "cache"
    cold, warm = tmp_path / "cold.html", tmp_path / "warm.html"
    report(data, cold, cache_dir, "--lang", lang)
    # stored by the time the command ended: read here with every role, not computed again
    monkeypatch.setenv("CCTRACK_CACHE_DIR", str(cache_dir))
    monkeypatch.delenv("CCTRACK_NO_CACHE", raising=False)
    incremental.last_road.clear()
    result = pipeline.run(data, date.fromisoformat(AS_OF), depth=pipeline.USES)
    assert incremental.last_road == []  # a hit: no cold road taken
    assert result.assessments and all(isinstance(a.uses, list) for a in result.assessments)
    assert sum(len(a.uses) for a in result.assessments) == result.n_observations
    report(data, warm, cache_dir, "--lang", lang)
    assert warm.read_bytes() == cold.read_bytes()


def test_no_child_outside_a_one_command_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CCTRACK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CCTRACK_NO_CACHE", raising=False)
    monkeypatch.setattr(gcpause, "ONE_RUN", False)
    made: list[int] = []
    assert not cache.save_apart(tmp_path, "key", lambda: made.append(1))
    assert made == []  # the caller stores it itself
    incremental.last_road.clear()
    pipeline.run(ROOT / "data", date.fromisoformat(AS_OF), apart=True)
    assert cache.load(ROOT / "data", "not the key") is None
    assert (tmp_path / "cache").is_dir()  # stored here, in this process
    assert any(p.name.startswith("result-") for p in (tmp_path / "cache").iterdir())


# --- a large page's later cards made by a child process (html._share) --------------------------


def page(lang: str) -> str:
    """The report of the shipped data, as ``report --html`` writes it."""
    from cctrack.render import html
    from cctrack.render.catalogue import words

    result = pipeline.run(ROOT / "data", date.fromisoformat(AS_OF), depth=pipeline.USES)
    return "".join(html.report_parts(result.assessments, result.as_of, words(lang)))


def share_every_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every page shared out between two processes, as a one-command process on two cores
    shares a large one."""
    from cctrack.render import html

    monkeypatch.setattr(html, "SHARED_FROM", 1)
    monkeypatch.setattr(apart, "cores", lambda: 2)
    monkeypatch.setattr(gcpause, "ONE_RUN", True)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_page_shared_out_is_the_page(
    lang: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from cctrack.render import html

    monkeypatch.setenv("CCTRACK_CACHE_DIR", str(tmp_path / "cache"))
    whole = page(lang)
    made: list[object] = []
    share = html._share
    share_every_page(monkeypatch)

    def recorded(*args: Any) -> Any:
        made.append(share(*args))
        return made[-1]

    monkeypatch.setattr(html, "_share", recorded)
    assert page(lang) == whole
    assert made and made[0] is not None  # shared out indeed
    assert page(lang) == whole  # and again, with the environment already made


def test_a_child_that_fails_leaves_its_cards_to_be_made_here(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from types import SimpleNamespace

    from cctrack.render import html

    monkeypatch.setenv("CCTRACK_CACHE_DIR", str(tmp_path / "cache"))
    whole = page("en")
    share_every_page(monkeypatch)

    def dumps(*args: object) -> bytes:
        raise MemoryError("the child could not send its cards")

    real = pickle.loads
    monkeypatch.setattr(html, "pickle", SimpleNamespace(dumps=dumps, loads=real,
                                                        HIGHEST_PROTOCOL=5))  # fmt: skip
    assert page("en") == whole


def test_a_child_ends_with_what_its_work_did(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``apart.child``: none outside a one-command process on two cores; else the work runs in
    the child, whose status says whether it returned."""
    done = tmp_path / "done"
    monkeypatch.setattr(gcpause, "ONE_RUN", False)
    assert apart.child(done.touch) is None and not done.exists()
    monkeypatch.setattr(gcpause, "ONE_RUN", True)
    monkeypatch.setattr(apart, "cores", lambda: 1)
    assert apart.child(done.touch) is None
    monkeypatch.setattr(apart, "cores", lambda: 2)
    pid = apart.child(done.touch)
    assert pid is not None and apart.wait(pid) == 0 and done.exists()

    def fails() -> None:
        raise RuntimeError("no")

    pid = apart.child(fails)
    assert pid is not None and apart.wait(pid) == 1
