"""The result cache: same answers as without it, never stale, and harmless when broken."""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import cctrack
import cctrack.cache
import cctrack.pipeline
from cctrack.cli import app
from cctrack.location import PACKAGED

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = PACKAGED
COMMANDS = [
    ["status", "--format", "json", "--as-of", "2026-11-22"],
    ["status", "--format", "csv", "--as-of", "2026-11-22", "--method", "linear"],
    ["status", "--format", "markdown", "--as-of", "2025-06-30"],
    ["validate", "--format", "json", "--as-of", "2026-11-22"],
]

Run = Callable[..., tuple[int, str]]


def _generator() -> object:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run the CLI in-process; ``cache=False`` sets CCTRACK_NO_CACHE=1 for that run."""
    runner = CliRunner()

    def invoke(*args: str, cache: bool = True) -> tuple[int, str]:
        if cache:
            monkeypatch.delenv("CCTRACK_NO_CACHE", raising=False)
        else:
            monkeypatch.setenv("CCTRACK_NO_CACHE", "1")
        result = runner.invoke(app, list(args))
        assert "Traceback" not in result.output
        return result.exit_code, result.stdout

    return invoke


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated data set, made once for the module (each test works on a copy)."""
    target = tmp_path_factory.mktemp("generated") / "data"
    _generator().generate(target, 1500, 40)  # type: ignore[attr-defined]
    return target


@pytest.fixture(params=["shipped", "generated"])
def data_dir(request: pytest.FixtureRequest, tmp_path: Path, generated: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(SHIPPED if request.param == "shipped" else generated, target)
    return target


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:3]))
def test_cached_results_equal_uncached(run: Run, data_dir: Path, command: list[str]) -> None:
    args = [*command, "--data", str(data_dir)]
    fresh = run(*args, cache=False)
    first = run(*args)  # computes and stores
    second = run(*args)  # served from the cache
    assert fresh == first == second
    assert fresh[1]


def test_second_run_is_served_from_the_cache(
    run: Run, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["status", "--format", "json", "--data", str(data_dir)]
    expected = run(*args)

    def fail(*_: object) -> None:
        raise AssertionError("computed again although the files did not change")

    monkeypatch.setattr(cctrack.pipeline, "_compute", fail)
    assert run(*args) == expected


def test_other_code_is_another_key(
    run: Run, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The result is keyed by the bytes of cctrack's files (``replay.code``): another cctrack
    with the same data computes again."""
    import cctrack.replay

    args = ["status", "--format", "json", "--data", str(data_dir)]
    expected = run(*args)
    computed: list[object] = []
    compute = cctrack.pipeline._compute

    def counted(*args: object, **kwargs: object) -> object:
        computed.append(args)
        return compute(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cctrack.pipeline, "_compute", counted)
    assert run(*args) == expected and not computed  # the same code: served from the cache
    monkeypatch.setattr(cctrack.replay, "code", lambda: "another cctrack")
    assert run(*args) == expected and len(computed) == 1


def _append(path: Path) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(
            "  - target: tourism-revenue\n    period: 2024\n    value: 300 billion\n"
            "    source: {title: Test, url: 'https://example.org/t', published: 2025-01-01}\n"
        )


def _edit_same_size(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "241.11 billion" in text
    os.utime(path, ns=(0, 0))  # even with an old mtime, the content decides
    path.write_text(text.replace("241.11 billion", "251.11 billion"), encoding="utf-8")
    os.utime(path, ns=(0, 0))


def _replace(path: Path) -> None:
    new = path.with_name("new.yaml")
    new.write_text(path.read_text("utf-8").replace("241.11 billion", "261.1 billion"), "utf-8")
    os.replace(new, path)


def _touch(path: Path) -> None:
    os.utime(path, None)


def _retarget(path: Path) -> None:
    targets = path.with_name("targets.yaml")
    targets.write_text(targets.read_text("utf-8").replace('"3600亿元"', '"4600亿元"'), "utf-8")


CHANGES = {"append": _append, "edit": _edit_same_size, "replace": _replace, "touch": _touch,
           "targets": _retarget}  # fmt: skip


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("command", ["status", "validate"])
def test_cache_never_serves_stale_data(run: Run, tmp_path: Path, change: str, command: str) -> None:
    data = tmp_path / "data"
    shutil.copytree(SHIPPED, data)
    args = [command, "--format", "json", "--data", str(data), "--as-of", "2026-11-22"]
    before = run(*args)
    run(*args)  # now cached
    CHANGES[change](data / "observations.yaml")
    after = run(*args)
    assert after == run(*args, cache=False)
    if change == "touch":
        assert after == before
    elif command == "status":  # every other change moves a number that status prints
        assert after != before


def test_as_of_and_method_are_part_of_the_key(run: Run, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(SHIPPED, data)
    base = ["status", "--format", "json", "--data", str(data)]
    for extra in (["--as-of", "2024-01-01"], ["--as-of", "2026-11-22"], ["--method", "linear"]):
        run(*base, *extra)
        assert run(*base, *extra) == run(*base, *extra, cache=False)


@pytest.mark.parametrize("damage", ["garbage", "empty", "truncated", "other-key"])
def test_corrupt_cache_is_ignored(run: Run, tmp_path: Path, damage: str) -> None:
    data = tmp_path / "data"
    shutil.copytree(SHIPPED, data)
    args = ["status", "--format", "json", "--data", str(data)]
    expected = run(*args, cache=False)
    run(*args)
    entries = list(Path(os.environ["CCTRACK_CACHE_DIR"]).glob("result-*.pickle"))
    assert len(entries) == 1
    entry = entries[0]
    blob = entry.read_bytes()
    import pickle

    damaged = {
        "garbage": b"not a pickle at all",
        "empty": b"",
        "truncated": blob[: len(blob) // 2],
        "other-key": pickle.dumps(("0" * 64, "a payload for another key")),
    }[damage]
    entry.write_bytes(damaged)
    assert run(*args) == expected
    assert run(*args) == expected  # and the entry was rewritten


def test_unusable_cache_directory_is_ignored(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("CCTRACK_CACHE_DIR", str(blocker / "cache"))
    data = tmp_path / "data"
    shutil.copytree(SHIPPED, data)
    args = ["status", "--format", "json", "--data", str(data)]
    assert run(*args) == run(*args, cache=False)
    assert run(*args)[0] == 0


def test_invalid_data_is_not_hidden_by_the_cache(run: Run, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(SHIPPED, data)
    args = ["status", "--format", "json", "--data", str(data)]
    assert run(*args)[0] == 0
    with (data / "observations.yaml").open("a", encoding="utf-8") as handle:
        handle.write("  - target: no-such-target\n    period: 2024\n    value: 1\n"
                     "    source: {title: T}\n")  # fmt: skip
    assert run(*args)[0] == 1
    assert run(*args)[0] == 1


def test_a_result_pickles_to_an_equal_result() -> None:
    """The cache stores a pickle: every object of a result (dataclasses with a compact pickle
    among them) comes back equal, field for field."""
    import pickle
    from datetime import date

    from cctrack.pickling import Compact
    from cctrack.pipeline import run as run_pipeline

    result = run_pipeline(PACKAGED, date(2026, 11, 29), "growth-ratio")
    again = pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == result
    assert again.assessments and again.problems
    a, b = again.assessments[0], result.assessments[0]
    assert isinstance(b.target, Compact) and a.target == b.target and a.target is not b.target


def test_the_stored_result_opens_to_an_equal_result_with_its_uses() -> None:
    """The cache stores each observation of the roles once, as a row of its fields: opened,
    every assessment's uses are equal to the computed ones."""
    import pickle
    from datetime import date

    from cctrack.cache import Stored as _Stored
    from cctrack.check import check
    from cctrack.dataset import load_dataset
    from cctrack.pipeline import USES, result_of

    ds = load_dataset(PACKAGED)
    result = result_of(ds, check(ds, date(2026, 11, 29)), date(2026, 11, 29), "growth-ratio")
    stored = pickle.loads(pickle.dumps(_Stored.of(result), protocol=pickle.HIGHEST_PROTOCOL))
    again = stored.open(USES)
    assert [a.uses for a in again.assessments] == [a.uses for a in result.assessments]
    assert sum(len(a.uses) for a in again.assessments) > 50
    assert any(u.derives for a in again.assessments for u in a.uses)


@pytest.mark.parametrize("group", [1, 7, 64, 1000])
def test_the_assessments_stored_a_group_at_a_time_open_as_computed(
    group: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The assessments are pickled a group at a time (the pickler's table of objects stays
    small): opened, they equal the computed ones, in order, and each holds the very target of
    the targets' list, whatever the groups' size."""
    import pickle
    from datetime import date

    from cctrack.cache import ASSESSMENTS
    from cctrack.cache import Stored as _Stored
    from cctrack.check import check
    from cctrack.dataset import load_dataset
    from cctrack.pipeline import result_of

    monkeypatch.setattr(cctrack.cache, "_GROUP", group)
    ds = load_dataset(PACKAGED)
    result = result_of(ds, check(ds, date(2026, 11, 29)), date(2026, 11, 29), "growth-ratio")
    stored = _Stored.of(result)
    assert len(list(stored.pieces())) == 1 + -(-len(result.assessments) // group)
    monkeypatch.setattr(cctrack.cache, "_ROWS", 3)  # the problems written 3 at a time
    key = "k" * 64
    cctrack.cache.save(PACKAGED, key, stored)
    written = cctrack.cache.load(PACKAGED, key)
    assert isinstance(written, _Stored) and written.made is None
    assert cctrack.cache.load(PACKAGED, "other") is None
    for again in (pickle.loads(pickle.dumps(stored, protocol=pickle.HIGHEST_PROTOCOL)), written):
        opened = again.open(ASSESSMENTS)
        assert opened.problems == result.problems and len(result.problems) > 3
        assert len(opened.assessments) == len(result.assessments) > 60
        for a, b, t in zip(opened.assessments, result.assessments, opened.targets, strict=True):
            assert a.target is t and t == b.target
            assert (a.status, a.series, a.notes, a.readings) == (
                b.status,
                b.series,
                b.notes,
                b.readings,
            )
    assert [a.uses for a in result.assessments if a.uses]  # (the computed ones kept theirs)


def test_a_stored_result_cut_short_or_padded_is_a_miss(tmp_path: Path) -> None:
    """A result entry is a sequence of pickles: one cut anywhere is a miss, never an error
    (and what follows its last part is not read)."""
    from datetime import date

    from cctrack.cache import Stored as _Stored
    from cctrack.dataset import load_dataset
    from cctrack.pipeline import checked_result

    result = checked_result(load_dataset(PACKAGED), date(2026, 11, 29), "growth-ratio")
    cctrack.cache.save(PACKAGED, "k", _Stored.of(result))
    entry = cctrack.cache._entry(PACKAGED)
    whole = entry.read_bytes()
    assert isinstance(cctrack.cache.load(PACKAGED, "k"), _Stored)
    for cut in (len(whole) // 3, len(whole) // 2, len(whole) - 1):
        entry.write_bytes(whole[:cut])
        assert cctrack.cache.load(PACKAGED, "k") is None
    import pickle

    entry.write_bytes(whole + pickle.dumps("more"))  # (more than written: still read)
    assert isinstance(cctrack.cache.load(PACKAGED, "k"), _Stored)


PROBE = """
import sys
from cctrack.cli import main
sys.argv = ["cctrack", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
watched = ("cctrack.assess", "cctrack.domain", "cctrack.yaml_reader")
loaded = sorted(m for m in watched if m in sys.modules)
print("LOADED", *loaded, file=sys.stderr)
"""


@pytest.mark.parametrize(
    ("command", "expected"),
    [(["validate"], []), (["status"], ["cctrack.assess", "cctrack.domain"])],
    ids=["validate", "status"],
)
def test_a_warm_run_reads_no_more_of_the_cache_than_it_prints(
    tmp_path: Path, command: list[str], expected: list[str]
) -> None:
    """A warm validate reads only the problems (no domain class is even imported); a warm
    status table reads the assessments; neither reads YAML."""
    import subprocess
    import sys

    env = {**os.environ, "CCTRACK_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "120"}
    env.pop("CCTRACK_NO_CACHE", None)
    args = [sys.executable, "-c", PROBE, *command, "--data", str(PACKAGED)]
    subprocess.run(args, env=env, capture_output=True, check=True)  # fills the cache
    warm = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
    (line,) = [x for x in warm.stderr.splitlines() if x.startswith("LOADED")]
    assert line.split()[1:] == expected


def test_nothing_is_pickled_with_the_cache_off(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """CCTRACK_NO_CACHE=1 pays for no pickle: neither a run nor add-observation makes one."""

    def refuse(result: object) -> object:
        raise AssertionError("pickled with the cache off")

    monkeypatch.setattr(cctrack.cache.Stored, "of", staticmethod(refuse))
    data = tmp_path / "data"
    shutil.copytree(SHIPPED, data)
    code, out = run("status", "--data", str(data), "--format", "json", cache=False)
    assert code == 0 and out.startswith("{")
    new = [
        "tourism-revenue",
        "2026-01",
        "-",
        "--change",
        "+5%",
        "--source",
        "https://example.org/n",
    ]
    code, _ = run("add-observation", *new, "--data", str(data), cache=False)
    assert code == 0


# --- the roles stored as columns ---------------------------------------------------------------


def _opened_uses(result: object) -> list[list[Any]]:
    """Each assessment's uses as a whole result stored, pickled and opened gives them."""
    import pickle

    from cctrack.cache import USES
    from cctrack.cache import Stored as _Stored

    stored = pickle.loads(pickle.dumps(_Stored.of(result), protocol=pickle.HIGHEST_PROTOCOL))
    return [a.uses for a in stored.open(USES).assessments]


def _fields(o: object) -> tuple[object, ...]:
    """An observation's fields, each number as its text (``1.50`` is not ``1.5``)."""
    import dataclasses

    values = [getattr(o, f.name) for f in dataclasses.fields(o)]  # type: ignore[arg-type]
    shown = [str(v) if type(v).__name__ == "Decimal" else v for v in values]
    q = getattr(o, "value", None)
    return (*shown, type(o), None if q is None else str(q.value))


def test_the_roles_open_as_computed_number_for_number(
    generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The roles of a generated data set (uncommon fields, quantities and changes of every
    kind) open with every observation's fields as computed, each number written alike (its
    text: exponent and sign kept), and the objects an assessment's rows share (an
    observation used twice, a period, a source) one object each, as before."""
    from datetime import date

    from cctrack.pipeline import run as run_pipeline

    monkeypatch.setenv("CCTRACK_NO_CACHE", "1")
    result = run_pipeline(generated, date(2026, 11, 29), "growth-ratio")
    opened = _opened_uses(result)
    computed = [a.uses for a in result.assessments]
    assert opened == computed
    pairs = [(u, v) for us, vs in zip(opened, computed, strict=True)
             for u, v in zip(us, vs, strict=True)]  # fmt: skip
    assert len(pairs) > 1000
    assert any(type(v.observation).__name__ == "_InFull" for _, v in pairs)
    for u, v in pairs:
        assert _fields(u.observation) == _fields(v.observation)
        assert (u.role, u.derives) == (v.role, v.derives)
    for uses in opened:
        periods: dict[Any, Any] = {}
        for u in uses:
            periods.setdefault(u.observation.period, u.observation.period)
            assert periods[u.observation.period] is u.observation.period


def test_a_row_s_numbers_keep_their_text() -> None:
    """Values and changes of any exponent and sign (a zero's too), no value, no change, a
    quantity or an observation two uses share, the uncommon fields: as stored, so opened."""
    from decimal import Decimal

    from cctrack.assess import Role, Use
    from cctrack.cache import _flat_uses, _unflat_uses
    from cctrack.domain import Observation, Source
    from cctrack.period import parse_period
    from cctrack.quantity import Bound, Quantity

    source = Source(title="T", url="https://example.org/t")
    numbers = [
        "0",
        "-0",
        "0.00",
        "-0.000",
        "1.50",
        "1E+3",
        "-12.250",
        "1e-7",
        "12345678901234567890",
    ]
    observations: list[Observation] = []
    for i, text in enumerate(numbers):
        q = Quantity(Decimal(text), "yuan" if i % 2 else None, list(Bound)[i % 3], i % 2 == 0)
        observations.append(Observation(target="t", period=parse_period(str(2000 + i)),
                                        source=source, value=q if i % 4 else None,
                                        change=Decimal(numbers[-1 - i]) if i % 3 else None,
                                        line=i, note="n" if i == 2 else None,
                                        span_change=Decimal("1.0") if i == 3 else None,
                                        since=2000 if i == 3 else None))  # fmt: skip
    uses = [Use(o, Role.series) for o in observations] + [Use(observations[0], Role.base, ())]

    class Held:
        def __init__(self, uses: list[Use]) -> None:
            self.uses = uses

    (opened,) = _unflat_uses(_flat_uses([Held(uses)]))  # type: ignore[list-item]
    assert opened == uses
    for u, v in zip(opened, uses, strict=True):
        assert _fields(u.observation) == _fields(v.observation)
    assert opened[0].observation is opened[-1].observation
    assert len({id(u.observation.source) for u in opened}) == 1


def test_a_second_report_is_warm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold report stores the roles (as columns); a second report reads them from the cache
    (nothing is read or assessed again) and writes the same page; so does ``show``."""
    data = tmp_path / "data"
    shutil.copytree(SHIPPED, data)
    monkeypatch.setenv("CCTRACK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CCTRACK_NO_CACHE", raising=False)
    runner = CliRunner()
    args = ["--data", str(data), "--as-of", "2026-11-22"]
    first = runner.invoke(app, ["report", "--html", str(tmp_path / "a.html"), *args])
    shown = runner.invoke(app, ["show", "tourism-revenue", *args])
    assert first.exit_code == 0 and shown.exit_code == 0

    def cold(*_: object, **__: object) -> object:
        raise AssertionError("computed again")

    monkeypatch.setattr(cctrack.pipeline, "_compute", cold)
    second = runner.invoke(app, ["report", "--html", str(tmp_path / "b.html"), *args])
    assert second.exit_code == 0, second.output
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()
    again = runner.invoke(app, ["show", "tourism-revenue", *args])
    assert again.exit_code == 0 and again.stdout == shown.stdout
