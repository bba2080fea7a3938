"""The benchmark's own rules: data sets that stay in range as they grow, and honest rows."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("n", [1_000, 100_000, 1_000_000, 1_234_567])
def test_more_observations_make_more_targets_not_more_years(bench: ModuleType, n: int) -> None:
    """bench/generate.py puts observation i on target i % T, year 2012 + (i // T) // 14."""
    targets = bench.n_targets(n)
    last_year = 2012 + ((n - 1) // targets) // 14
    assert last_year <= 2026
    assert targets == max(500, -(-n // 200))


def test_a_ratio_is_shown_with_its_range_and_a_miss_reads_missed(bench: ModuleType) -> None:
    p = bench.Pairs(base=[(1.0, 10.0), (2.0, 10.0), (1.0, 10.0)],
                    cmd=[(1.2, 20.0), (2.0, 30.0), (0.9, 20.0)])  # fmt: skip
    assert p.ratio_text() == "1.00 (0.90–1.20)"
    table = bench.Table(["what"])
    table.add(["x"], [("≤ 0.3 × cold status", p.ratio <= 0.3)], "x")
    assert table.rows[0][-1] == "MISSED (≤ 0.3 × cold status)" and table.misses


def test_memory_budgets_by_size(bench: ModuleType) -> None:
    small = bench.memory_checks(400.0, 10_000, 1_000_000, 10.0)
    assert small == [("< 500 MB", True)]
    large = bench.memory_checks(1400.0, 1_000_000, 1_000_000, 10.0)
    assert large == [("< 1,500 MB", True), ("< 400 B/obs", False)]  # 1,457 B an observation
    # at 100,000 the loaded code weighs 300 B an observation: shown, not budgeted
    assert bench.memory_checks(110.0, 100_000, 1_000_000, 17.0) == [("< 500 MB", True)]
    assert bench.memory_checks(390.0, 1_000_000, 1_000_000, 17.0)[1] == ("< 400 B/obs", True)


def test_what_each_observation_adds_is_budgeted_on_the_way_to_the_largest_size(
    bench: ModuleType,
) -> None:
    sizes = [10_000, 100_000, 1_000_000]
    memory = {"status": {10_000: 50.0, 100_000: 95.0, 1_000_000: 385.0},
              "add-observation": {10_000: 58.0, 100_000: 149.0, 1_000_000: 1060.0},
              "show": {10_000: 54.0, 100_000: 109.0}}  # fmt: skip
    table = bench.memory_growth(memory, sizes, 1_000_000)
    by_name = {row[0]: row for row in table.rows}
    assert by_name["status"][-2:] == ["< 400 B on 100,000 → 1,000,000", "yes"]
    assert by_name["add-observation"][-1] == "MISSED (< 400 B on 100,000 → 1,000,000)"
    assert by_name["show"][-1] == "—" and by_name["show"][-4] == "641 B"
