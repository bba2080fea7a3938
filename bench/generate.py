"""Generate synthetic data directories (and equivalent hledger journals) for benchmarks.

    python bench/generate.py OUT_DIR --observations 100000 --targets 500 [--journal FILE]

The data set looks like real data: each target has, per year, one full-year figure, twelve
monthly year-to-date figures and one figure of another scope (a proxy); 10% of figures are
growth-only and 5% preliminary; sources are defined once with an anchor and reused through
aliases. Targets mix the three kinds. The output is deterministic for a given seed. The hledger
journal has one transaction per observation (amount = the value) and monthly budget rules per
target account, for ``hledger balance --budget``.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

UNITS = ("yuan", "vehicles", "people", "visits", "enterprises")


def _target(i: int, rng: random.Random) -> str:
    kind = "growth" if i % 10 == 9 else ("level" if i % 10 == 8 else "annual")
    unit = UNITS[i % len(UNITS)]
    target = f'"{rng.randint(5, 90)}.5%"' if kind == "growth" else f"{rng.randint(2, 900)} billion"
    return (
        f"  - id: target-{i:04d}\n"
        f"    name: Synthetic target {i}\n"
        f"    scope: City\n"
        f"    kind: {kind}\n"
        f"    unit: {unit}\n"
        f"    target: {target}\n"
        f"    deadline: {2030 + i % 6}\n"
        f"    start: 2011\n"
        f"    tags: [t{i % 7}]\n"
        f"    source: {{title: Plan {i}, publisher: Gazette, url: 'https://example.org/plan/{i}',"
        f" published: 2011-03-01, reliability: A}}\n"
    )


def _observation(i: int, n_targets: int, rng: random.Random, sources: set[int]) -> str:
    """Target ``i % n_targets``, slot ``i // n_targets``: per year one full-year figure, twelve
    monthly year-to-date figures and one figure of another scope (a proxy)."""
    t, j = i % n_targets, i // n_targets
    kind = "growth" if t % 10 == 9 else ("level" if t % 10 == 8 else "annual")
    year, slot = 2012 + j // 14, j % 14
    roll = rng.random()
    change = f'"{rng.uniform(-5, 25):+.2f}%"'
    value = f"{rng.uniform(1, 400) * (1.05 ** (year - 2012)):.2f} billion"
    lines = [f"  - target: target-{t:04d}"]
    if slot == 0 or slot == 13:
        period = f"{year}-12-31" if kind == "level" and roll < 0.5 else str(year)
    elif kind == "annual":
        period = f"{year}-01/{year}-{slot:02d}" if slot > 1 else f"{year}-01"
    else:
        period = f"{year}-{slot:02d}"
    lines.append(f"    period: {period}")
    if kind == "growth" or roll < 0.10:
        lines.append(f"    change: {change}")
    else:
        lines += [f"    value: {value}", f"    change: {change}"]
    if roll > 0.95:
        lines.append("    estimate: preliminary")
    if slot == 13:
        lines.append("    scope: Development Zone")
    key = i % 200
    if key in sources:
        lines.append(f"    source: *s{key}")
    else:
        sources.add(key)
        lines.append(
            f"    source: &s{key} {{title: Bulletin {key}, publisher: Daily,"
            f" url: 'https://example.org/b/{key}', published: 2026-01-{1 + key % 28:02d},"
            f" reliability: {'ABC'[key % 3]}}}"
        )
    if roll < 0.03:
        lines.append("    note: figure as stated in the bulletin")
    return "\n".join(lines) + "\n"


def generate(out: Path, n_observations: int, n_targets: int, seed: int = 1) -> None:
    """Write ``targets.yaml`` and ``observations.yaml`` into ``out``."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    targets = "".join(_target(i, rng) for i in range(n_targets))
    (out / "targets.yaml").write_text("# synthetic\ntargets:\n" + targets, encoding="utf-8")
    sources: set[int] = set()
    obs = "".join(_observation(i, n_targets, rng, sources) for i in range(n_observations))
    (out / "observations.yaml").write_text("observations:\n" + obs, encoding="utf-8")


def journal(path: Path, n_transactions: int, n_targets: int, seed: int = 1) -> None:
    """An hledger journal of the same size: one transaction per observation, monthly budgets."""
    rng = random.Random(seed)
    parts = [f"~ monthly from 2012-01-01\n    expenses:t{t:04d}    {rng.randint(10, 900)}.00 CNY\n"
             "    assets:cash\n\n" for t in range(n_targets)]  # fmt: skip
    for i in range(n_transactions):
        year = 2012 + (i // n_targets) % 14
        month, day = 1 + i % 12, 1 + i % 28
        parts.append(
            f"{year}-{month:02d}-{day:02d} Bulletin {i % 200}\n"
            f"    expenses:t{i % n_targets:04d}    {rng.uniform(1, 400):.2f} CNY\n"
            f"    assets:cash\n\n"
        )
    path.write_text("".join(parts), encoding="utf-8")


def main() -> None:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--observations", type=int, default=1000)
    parser.add_argument("--targets", type=int, default=500)
    parser.add_argument("--journal", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.observations, args.targets, args.seed)
    if args.journal:
        journal(args.journal, args.observations, args.targets, args.seed)


if __name__ == "__main__":
    main()
