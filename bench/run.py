"""Benchmark cctrack against its budgets (docs/performance.md) and write docs/performance.md.

    python bench/run.py [--runs 7] [--scale-runs 3] [--sizes 1000,10000,100000] [--out FILE]

Every figure is a median over several runs of a whole command in a subprocess, and is reported
as a ratio to a baseline measured in the same run (these machines are noisy):

* start-up: ``cctrack --help`` against a minimal Typer app's ``--help``; ``cctrack status`` and
  ``cctrack validate`` on the shipped data against the bare import of the libraries they use;
  each with the result cache warm (repeated runs, the normal case) and with it off.
* scale: ``status`` and ``validate`` on generated data sets of each size over 500 targets,
  cold (first run after the files changed: an empty cache) and warm (files unchanged), with peak
  memory, against ``hledger balance --budget`` on a journal with as many transactions.
  hledger is installed with apt-get when missing and possible; otherwise that column is skipped.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate, journal

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
MINIMAL_TYPER = (
    "import typer\napp = typer.Typer()\n@app.command()\ndef main(name: str = 'x') -> None:\n"
    "    '''Say hello.'''\n    print(name)\n@app.command()\ndef other() -> None:\n"
    "    '''Other.'''\napp()\n"
)
IMPORT_FLOOR = "import typer, rich.console, rich.table, pydantic, yaml"
BUDGET_STARTUP, BUDGET_MEMORY_MB = 1.15, 500


def measure(
    cmd: list[str], env: dict[str, str] | None = None, before: Callable[[], None] | None = None
) -> tuple[float, float]:
    """Wall time (s) and peak resident memory (MB) of one run of ``cmd``."""
    if before:
        before()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}")
    return elapsed, usage.ru_maxrss / 1024


def median(cmd: list[str], runs: int, env: dict[str, str] | None = None,
           before: Callable[[], None] | None = None) -> tuple[float, float]:  # fmt: skip
    """Median time and the largest peak memory over ``runs`` runs (after one warm-up run)."""
    measure(cmd, env, None)
    results = [measure(cmd, env, before) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def environment(cache: Path, enabled: bool = True) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CCTRACK")}
    env["CCTRACK_CACHE_DIR"] = str(cache)
    if not enabled:
        env["CCTRACK_NO_CACHE"] = "1"
    return env


def find_hledger() -> str | None:
    """hledger's path, installing Debian's package when missing and possible."""
    found = shutil.which("hledger")
    if found or not shutil.which("apt-get") or os.geteuid() != 0:
        return found
    print("installing hledger with apt-get ...", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    cmd = ["apt-get", "install", "-y", "-q", "hledger"]
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, env=env)
    return shutil.which("hledger")


def startup(runs: int, work: Path) -> list[str]:
    """Rows of the start-up table."""
    cctrack = [PY, "-m", "cctrack"]
    minimal = work / "minimal_typer.py"
    minimal.write_text(MINIMAL_TYPER, encoding="utf-8")
    env = environment(work / "cache-startup")
    off = environment(work / "cache-off", enabled=False)
    help_floor, _ = median([PY, str(minimal), "--help"], runs, env)
    import_floor, _ = median([PY, "-c", IMPORT_FLOOR], runs, env)
    rows = [
        (
            "`cctrack --help`",
            median([*cctrack, "--help"], runs, env)[0],
            help_floor,
            "minimal Typer app `--help`",
        ),
        (
            "`cctrack status` (cache warm)",
            median([*cctrack, "status"], runs, env)[0],
            import_floor,
            "bare import",
        ),
        (
            "`cctrack validate` (cache warm)",
            median([*cctrack, "validate"], runs, env)[0],
            import_floor,
            "bare import",
        ),
        (
            "`cctrack status` (cache off)",
            median([*cctrack, "status"], runs, off)[0],
            import_floor,
            "bare import",
        ),
        (
            "`cctrack validate` (cache off)",
            median([*cctrack, "validate"], runs, off)[0],
            import_floor,
            "bare import",
        ),
    ]
    out = [
        "| command | median | baseline | baseline median | ratio | budget |",
        "|---|---|---|---|---|---|",
    ]
    for name, t, floor, label in rows:
        budget = f"≤ {BUDGET_STARTUP}" if "cache off" not in name else "(reference)"
        out.append(f"| {name} | {t * 1000:.0f} ms | {label} | {floor * 1000:.0f} ms | "
                   f"{t / floor:.2f} | {budget} |")  # fmt: skip
    out.append(f'\nBare import: `python -c "{IMPORT_FLOOR}"`.')
    return out


def scale(sizes: list[int], runs: int, work: Path, hledger: str | None) -> list[str]:
    """Rows of the scale table."""
    out = ["| observations | command | cold | warm | peak memory | hledger | cold / hledger | "
           "warm / hledger | µs per observation (cold) |",
           "|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for n in sizes:
        data, ledger = work / f"data-{n}", work / f"ledger-{n}.journal"
        generate(data, n, 500)
        journal(ledger, n, 500)
        base = None
        if hledger:
            base = median([hledger, "balance", "--budget", "-f", str(ledger)], runs)[0]
        for command in ("status", "validate"):
            cmd = [PY, "-m", "cctrack", command, "--data", str(data)]
            cache = work / f"cache-{n}-{command}"
            env = environment(cache)
            cold, mem_cold = median(cmd, runs, env, before=lambda c=cache: shutil.rmtree(c, True))
            warm, mem_warm = median(cmd, runs, env)
            ratio_cold = f"{cold / base:.2f}" if base else "skipped"
            ratio_warm = f"{warm / base:.3f} (1/{base / warm:.0f})" if base else "skipped"
            hl = f"{base:.2f} s" if base else "not installed"
            out.append(f"| {n:,} | {command} | {cold:.2f} s | {warm:.3f} s | "
                       f"{max(mem_cold, mem_warm):.0f} MB | {hl} | {ratio_cold} | {ratio_warm} | "
                       f"{cold / n * 1e6:.1f} |")  # fmt: skip
    return out


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 2**20:.0f} GiB memory"
    except (OSError, ValueError, IndexError):
        pass
    return (f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per start-up figure")
    parser.add_argument("--scale-runs", type=int, default=3, help="runs per scale figure")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    hledger = find_hledger()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        start = startup(args.runs, work)
        print("\n".join(start))
        if not hledger:
            print("hledger not found and not installable: the hledger column is skipped",
                  file=sys.stderr)  # fmt: skip
        big = scale(sizes, args.scale_runs, work, hledger)
        print("\n".join(big))
    version = ""
    if hledger:
        version = subprocess.run([hledger, "--version"], capture_output=True, text=True).stdout
    doc = [
        "# Performance", "",
        "Written by `python bench/run.py` (rerun it to refresh this page). Figures are medians of "
        f"whole commands in subprocesses ({args.runs} runs for start-up, {args.scale_runs} for "
        "scale), each compared with a baseline measured in the same run.", "",
        f"Machine: {machine()}.  ", f"hledger: {version.strip() or 'not installed'}.", "",
        "## Start-up (shipped data)", "", *start, "",
        f"## Scale (500 targets; budgets: cold ≤ hledger, warm ≤ 1/10 of hledger, memory < "
        f"{BUDGET_MEMORY_MB} MB, linear)", "", *big, "",
        "Cold: the first run after the files changed (an empty result cache). Warm: the files are "
        "unchanged, so the checked and assessed result comes from the cache. The data sets come "
        "from `bench/generate.py`: per target and year one full-year figure, twelve monthly "
        "year-to-date figures and a proxy of another scope, 10% growth-only, 5% preliminary, "
        "sources repeated through YAML aliases. The hledger journal has one transaction per "
        "observation and a monthly budget rule per target account.", "",
    ]  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(doc), encoding="utf-8")
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()
