"""A cold run holds no more than its kind of run reads: the roles of every observation only when
it reads them (``assess_all(light=True)``), the files' bytes only until the data set is read
(``dataset.let_go``), and the entries only until it is checked."""

from __future__ import annotations

import gc
import importlib.util
import shutil
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from cctrack import assess, location, pipeline
from cctrack.assess import Assessment, uses_read_across
from cctrack.dataset import ObservationEntry, Shape, let_go, load_dataset
from cctrack.location import PACKAGED
from cctrack.notloaded import NotLoaded

AS_OF = date(2026, 11, 22)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(PACKAGED, target)
    return target


@pytest.fixture()
def generated(tmp_path: Path) -> Path:
    """Bench data: its entries are in the regular layout (read without their mappings)."""
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(tmp_path / "gen", 1_500, 30)
    return tmp_path / "gen"


def _verdicts(assessments: list[Assessment]) -> list[tuple[Any, ...]]:
    return [(a.target.id, a.status, a.computed_status, a.confidence, a.progress, a.projected,
             [(n.code, n.values) for n in a.notes]) for a in assessments]  # fmt: skip


@pytest.mark.parametrize("depth", [pipeline.PROBLEMS, pipeline.ASSESSMENTS])
def test_a_cold_run_that_reads_no_roles_keeps_only_those_read_across(
    data: Path, depth: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CCTRACK_NO_CACHE", "1")
    light = pipeline.run(data, AS_OF, depth=depth).assessments
    whole = pipeline.run(data, AS_OF, depth=pipeline.USES).assessments
    read = set(uses_read_across(whole, possible=True))
    assert read and len(read) < len(whole)  # the shipped data has both kinds
    for i, (a, w) in enumerate(zip(light, whole, strict=True)):
        assert isinstance(w.uses, list) and not isinstance(w.uses, NotLoaded)
        if i in read:
            assert a.uses == w.uses
        else:
            assert isinstance(a.uses, NotLoaded)
            with pytest.raises(RuntimeError):
                list(a.uses)
    assert _verdicts(light) == _verdicts(whole)


def test_the_passes_across_targets_read_no_role_dropped(data: Path) -> None:
    """Every rule of :func:`uses_read_across` holds with the roles dropped: the passes across
    targets would raise on a dropped one (NotLoaded), and the same assessments come out."""
    ds = load_dataset(data)
    targets = [e.model for e in ds.targets]
    observations = [e.model for e in ds.observations]
    whole = assess.assess_all(targets, observations, AS_OF, "growth-ratio")
    for as_of in (date(2021, 6, 30), AS_OF, date(2031, 1, 1)):
        light = assess.assess_all(targets, observations, as_of, "growth-ratio", light=True)
        again = assess.assess_all(targets, observations, as_of, "growth-ratio")
        assert _verdicts(light) == _verdicts(again)
    assert _verdicts(whole) == _verdicts(
        assess.assess_all(targets, observations, AS_OF, "growth-ratio", light=True)
    )


@pytest.mark.parametrize("which", ["data", "generated"])
@pytest.mark.parametrize("cached", [False, True])
def test_the_observations_bytes_are_never_held_whole(
    which: str, cached: bool, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """observations.yaml is hashed, then read and parsed, a block at a time: no pass of the
    run holds its bytes whole (nor the entries while the targets are assessed)."""
    data: Path = request.getfixturevalue(which)
    if not cached:
        monkeypatch.setenv("CCTRACK_NO_CACHE", "1")
    whole: list[Path] = []
    real_read, real_whole = location.read_data, location.Streamed.whole

    def reading(path: Path, *args: Any) -> Any:
        whole.append(path)
        return real_read(path, *args)

    def held(self: location.Streamed) -> bytes:
        whole.append(self.path)
        return real_whole(self)

    entries: list[int] = []
    real_assess = assess.assess_all

    def assessing(*args: Any, **kwargs: Any) -> Any:
        entries.append(sum(type(o) is ObservationEntry for o in gc.get_objects()))
        return real_assess(*args, **kwargs)

    monkeypatch.setattr(pipeline, "read_data", reading)
    monkeypatch.setattr(location.Streamed, "whole", held)
    monkeypatch.setattr(assess, "assess_all", assessing)
    largest: list[int] = []
    real_blocks = location.Streamed.blocks

    def blocks(self: location.Streamed) -> Any:
        for chunk in real_blocks(self):
            largest.append(len(chunk))
            yield chunk

    monkeypatch.setattr(location.Streamed, "blocks", blocks)
    pipeline.run(data, AS_OF, depth=pipeline.ASSESSMENTS)
    assert [p.name for p in whole] == ["targets.yaml"]  # never observations.yaml whole
    size = (data / "observations.yaml").stat().st_size
    assert sum(largest) == size and max(largest) <= location._STREAM_BLOCK
    assert entries == [0]  # nor its entries (their positions served the checks)


@pytest.mark.parametrize("which", ["data", "generated"])
@pytest.mark.parametrize("cached", [False, True])
def test_the_files_bytes_read_whole_are_let_go_before_assessing(
    which: str, cached: bool, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that changed while it was read a block at a time is read whole at the last try
    (:func:`pipeline.run`): those bytes too are let go once the data set is read."""
    data: Path = request.getfixturevalue(which)
    if not cached:
        monkeypatch.setenv("CCTRACK_NO_CACHE", "1")
    read: list[Any] = []
    real_read = location.read_data

    def reading(path: Path, *args: Any) -> Any:
        found = real_read(path, *args)
        read.append(found)
        return found

    seen: list[int] = []
    entries: list[int] = []
    real_assess = assess.assess_all

    def assessing(*args: Any, **kwargs: Any) -> Any:
        seen.append(sys.getrefcount(read[1]))
        entries.append(sum(type(o) is ObservationEntry for o in gc.get_objects()))
        return real_assess(*args, **kwargs)

    monkeypatch.setattr(pipeline, "read_data", reading)
    monkeypatch.setattr(assess, "assess_all", assessing)
    pipeline._run(data, AS_OF, pipeline.DEFAULT_METHOD, False, pipeline.ASSESSMENTS, False)
    assert isinstance(read[1], bytes) and len(read[1]) > 10_000
    # held by ``read`` and by getrefcount's argument only: neither the run nor the data set
    # holds the observations' bytes while the targets are assessed
    assert seen == [2]
    assert entries == [0]  # nor its entries (their positions served the checks)


def test_an_entry_read_again_after_its_text_is_let_go_is_a_bug_said_at_once(
    generated: Path,
) -> None:
    ds = load_dataset(generated)
    thin = [e for e in ds.observations if type(e.held) is Shape]
    assert thin
    entry = thin[0]
    written = entry.raw("value"), entry.at("value")
    assert entry.node is not None
    let_go(ds)
    assert (entry.raw("value"), entry.at("value")) == written  # the value and positions stay
    with pytest.raises(RuntimeError, match="let go"):
        _ = entry.node
