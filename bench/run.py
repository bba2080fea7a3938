"""Benchmark cctrack against its budgets and write docs/performance.md.

    python bench/run.py [--runs 9] [--sizes 1000,10000,100000] [--out FILE]
    python bench/run.py --quick --out perf-trial.md   # a trial: sizes 1000,10000, 3 runs

Every figure compares a whole command in a subprocess with a baseline measured in the same run,
as alternating pairs (baseline, command, baseline, command, ...) after one discarded warm-up run
of each; the ratio is the median of the per-pair ratios (these machines are noisy):

* start-up, on the shipped data: ``cctrack --help`` against a minimal Typer app's ``--help``;
  ``cctrack status`` and ``cctrack validate`` warm (replayed) against the import of what they
  import (the interpreter's own modules), and for reference against ``typer, rich.console``;
  the same with only the result cache warm, and with the cache off, for reference.
* scale, on generated data sets of each size over 500 targets, or one per 200 observations
  (bench/generate.py: the years stay in range): cold ``status``, ``show ID``, ``report --html
  FILE`` and ``add-observation`` against cold ``validate``, with peak memory (os.wait4); cold
  and warm ``status`` and ``validate`` against ``hledger balance --budget`` on a journal with as
  many transactions (hledger is installed with apt-get when missing and possible; otherwise
  those rows are skipped); ``status`` after an append made outside cctrack and
  ``add-observation``, each with the cache warm before, against cold ``status``. From
  ``--large`` observations (default 1,000,000) only ``status``, ``validate``,
  ``add-observation`` and the appends are run, with at most 3 pairs.
* linearity: the exponent k of time ∝ n^k of each cold command between consecutive sizes.

Every row states its budget and whether it holds ("yes" or "MISSED").
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate, journal

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
CCTRACK = [PY, "-m", "cctrack"]
MINIMAL_TYPER = (
    "import typer\napp = typer.Typer()\n@app.command()\ndef main(name: str = 'x') -> None:\n"
    "    '''Say hello.'''\n    print(name)\n@app.command()\ndef other() -> None:\n"
    "    '''Other.'''\napp()\n"
)
# What a replayed warm `python -m cctrack status` or `validate` imports: runpy (for -m) and the
# interpreter's own modules cctrack.replay uses.
IMPORT_FLOOR = "import runpy, marshal, stat, _blake2"
LIBRARY_FLOOR = "import typer, rich.console"  # what a status computed or read from the cache needs
N_TARGETS = 500
PER_TARGET = 200  # observations per generated target at most: 14 a year, so 2012 to 2026
SHOW_ID = "target-0001"
# A valid observation of a generated target (a growth target: a change, no value, so no
# plausibility check can refuse it) with a source no generated observation has: not a duplicate.
NEW_SOURCE = "https://example.org/bench/added"
NEW_OBSERVATION = ["target-0009", "2025", "-", "--change", "+6.5%", "--source", NEW_SOURCE]

BUDGET_STARTUP = 1.15  # × the baseline
BUDGET_SCALE = 1.5  # × cold validate, at BUDGET_SCALE_AT observations and more
BUDGET_SCALE_AT = 100_000
BUDGET_MEMORY_MB = 500
BUDGET_MEMORY_LARGE_MB = 1500  # at LARGE observations and more
# Peak memory beyond the interpreter's, per observation, at LARGE observations and more, and
# what each observation adds from the size before LARGE: the issue's "peak memory linear and
# below 400 bytes an observation". Not at 100,000, where the code and libraries a command loads
# (about 30 MB) are 300 bytes an observation by themselves.
BUDGET_BYTES_PER_OBSERVATION = 400
BUDGET_LARGE_SECONDS = 30.0  # cold status at LARGE observations
BUDGET_APPEND = (
    0.3  # × cold status, at LARGE observations: a status after an append, add-observation
)
LARGE = 1_000_000
LARGE_RUNS = 3
BUDGET_COLD_HLEDGER = 0.5
BUDGET_WARM_HLEDGER = 0.1
BUDGET_K = 1.1  # time ∝ n^k, on LINEAR_PAIR
LINEAR_PAIR = (10_000, 100_000)
QUOTE_SIZES = (1_000, 8_000)  # percentages in a quote: the ratio of times should be near 8
BUDGET_QUOTE_RATIO = 12.0  # × the time at the smaller size, for 8 × the text (quadratic: 64)
DIFF_SIZES = (60, 480)  # targets in the two data sets of the diff row (28 observations each)
BUDGET_DIFF_RATIO = 12.0  # × the time at the smaller size, for 8 × the targets (quadratic: 64)

Sample = tuple[float, float]  # wall time (s), peak resident memory (MB)


@dataclass(frozen=True)
class Command:
    """One command line to time, with its environment and what to do before each run."""

    argv: list[str]
    env: dict[str, str] | None = None
    before: Callable[[], None] | None = None
    cwd: Path | None = None


@dataclass
class Pairs:
    """The samples of alternated runs of a baseline and a command."""

    base: list[Sample] = field(default_factory=list)
    cmd: list[Sample] = field(default_factory=list)

    @property
    def time(self) -> float:
        return statistics.median(s[0] for s in self.cmd)

    @property
    def base_time(self) -> float:
        return statistics.median(s[0] for s in self.base)

    @property
    def ratio(self) -> float:
        """The median of the per-pair ratios."""
        return statistics.median(c[0] / b[0] for b, c in zip(self.base, self.cmd, strict=True))

    @property
    def memory(self) -> float:
        return max(s[1] for s in self.cmd)

    @property
    def spread(self) -> tuple[float, float]:
        """The lowest and highest per-pair ratio."""
        ratios = [c[0] / b[0] for b, c in zip(self.base, self.cmd, strict=True)]
        return min(ratios), max(ratios)

    def ratio_text(self, digits: int = 2) -> str:
        """The median ratio with the range of the per-pair ratios: ``1.06 (0.98-1.12)``."""
        low, high = self.spread
        return f"{self.ratio:.{digits}f} ({low:.{digits}f}–{high:.{digits}f})"


@dataclass
class Table:
    """A Markdown table whose rows end with a budget and whether it holds."""

    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def add(self, cells: list[str], checks: Sequence[tuple[str, bool]], what: str) -> None:
        """A row; ``checks`` are its budgets with whether each holds (none: a reference row)."""
        if not checks:
            self.rows.append([*cells, "none (reference)", "—"])
            return
        missed = [text for text, ok in checks if not ok]
        holds = "yes" if not missed else f"MISSED ({'; '.join(missed)})"
        self.rows.append([*cells, "; ".join(text for text, _ in checks), holds])
        if missed:
            self.misses.append(f"{what}: {'; '.join(missed)}")

    def lines(self) -> list[str]:
        header = [*self.header, "budget", "holds?"]
        return [
            "| " + " | ".join(header) + " |",
            "|" + "---|" * len(header),
            *("| " + " | ".join(row) + " |" for row in self.rows),
        ]


def measure(command: Command) -> Sample:
    """Wall time and peak resident memory of one run of ``command`` (``before`` not timed)."""
    if command.before:
        command.before()
    start = time.perf_counter()
    proc = subprocess.Popen(
        command.argv,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=command.env,
        cwd=command.cwd,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        again = subprocess.run(
            command.argv,
            capture_output=True,
            text=True,
            env=command.env,
            cwd=command.cwd,
            check=False,
        )
        raise SystemExit(
            f"benchmark command failed ({code}): {' '.join(command.argv)}\n{again.stderr[-2000:]}"
        )
    return elapsed, usage.ru_maxrss / 1024


def pairs(baseline: Command, command: Command, runs: int) -> Pairs:
    """``runs`` alternated pairs (baseline, command), after one warm-up run of each."""
    measure(baseline)
    measure(command)
    result = Pairs()
    for _ in range(runs):
        result.base.append(measure(baseline))
        result.cmd.append(measure(command))
    return result


def environment(cache: Path, enabled: bool = True) -> dict[str, str]:
    """The environment of a Python run: no CCTRACK_* setting but its own result cache, and
    Python's bytecode cache on (beside the result cache), as for an installed cctrack: a
    PYTHONDONTWRITEBYTECODE inherited from the shell would compile cctrack's modules from
    source on every run, while the libraries' bytecode came with their install."""
    drop = ("CCTRACK", "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env["PYTHONPYCACHEPREFIX"] = str(cache.parent / "bytecode")
    env["CCTRACK_CACHE_DIR"] = str(cache)
    if not enabled:
        env["CCTRACK_NO_CACHE"] = "1"
    return env


def emptied(cache: Path) -> Callable[[], None]:
    """A ``before`` that empties the result cache: the next run is cold."""
    return lambda: shutil.rmtree(cache, ignore_errors=True)


def cold(argv: list[str], data: Path, cache: Path) -> Command:
    """``cctrack ARGV --data DATA`` with an empty result cache before every run."""
    return Command(
        [*CCTRACK, *argv, "--data", str(data)], environment(cache), before=emptied(cache)
    )


def restorer(data: Path, cache: Path) -> Callable[[], None]:
    """A ``before`` that puts back the observations file as it is now and empties the cache:
    every run of ``add-observation`` appends to the same data."""
    path = data / "observations.yaml"
    pristine = path.read_bytes()

    def restore() -> None:
        path.write_bytes(pristine)
        shutil.rmtree(cache, ignore_errors=True)

    return restore


def progress(text: str) -> None:
    print(f"... {text}", file=sys.stderr, flush=True)


def find_hledger() -> str | None:
    """hledger's path, installing Debian's package when missing and possible."""
    found = shutil.which("hledger")
    if found or not shutil.which("apt-get") or os.geteuid() != 0:
        return found
    progress("installing hledger with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    cmd = ["apt-get", "install", "-y", "-q", "hledger"]
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, env=env)
    return shutil.which("hledger")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def sec(seconds: float) -> str:
    return f"{seconds:.3f} s" if seconds < 1 else f"{seconds:.2f} s"


def unreplayed(cache: Path) -> Callable[[], None]:
    """A ``before`` that removes the stored outputs (cctrack.replay), keeping the result cache."""

    def remove() -> None:
        for entry in cache.glob("replay-*.marshal"):
            entry.unlink()

    return remove


def startup(runs: int, work: Path) -> Table:
    """The start-up table, on the shipped data (run outside any ./data directory)."""
    minimal = work / "minimal_typer.py"
    minimal.write_text(MINIMAL_TYPER, encoding="utf-8")
    typer_app = Command([PY, str(minimal), "--help"], environment(work / "c"), cwd=work)
    floor = Command([PY, "-c", IMPORT_FLOOR], environment(work / "c"), cwd=work)
    libraries = Command([PY, "-c", LIBRARY_FLOOR], environment(work / "c"), cwd=work)
    rows: list[tuple[str, Command, Command, str, bool]] = [
        (
            "`cctrack --help`",
            Command([*CCTRACK, "--help"], environment(work / "c-help"), cwd=work),
            typer_app,
            "minimal Typer app `--help`",
            True,
        ),
    ]
    for name in ("status", "validate"):
        warm = environment(work / f"c-{name}")  # filled by the warm-up run
        command = Command([*CCTRACK, name], warm, cwd=work)
        rows.append((f"`cctrack {name}` (warm)", command, floor, "import floor", True))
        rows.append((f"`cctrack {name}` (warm)", command, libraries, "Typer and Rich", False))
    for name in ("status", "validate"):
        cache = work / f"c-result-{name}"
        only = Command([*CCTRACK, name], environment(cache), cwd=work, before=unreplayed(cache))
        rows.append((f"`cctrack {name}` (result cache warm)", only, libraries, "Typer and Rich",
                     False))  # fmt: skip
    for name in ("status", "validate"):
        off = environment(work / "c-off", enabled=False)
        rows.append(
            (
                f"`cctrack {name}` (cache off)",
                Command([*CCTRACK, name], off, cwd=work),
                libraries,
                "Typer and Rich",
                False,
            )
        )
    table = Table(["command", "median", "baseline", "baseline median", "ratio (range)"])
    for name, command, baseline, label, budgeted in rows:
        progress(f"start-up: {name} / {label}")
        p = pairs(baseline, command, runs)
        checks = [(f"≤ {BUDGET_STARTUP} × baseline", p.ratio <= BUDGET_STARTUP)] if budgeted else []
        table.add(
            [name, ms(p.time), label, ms(p.base_time), p.ratio_text()], checks, f"start-up {name}"
        )
    return table


@dataclass
class Scale:
    """The scale tables and the cold times the linearity table is fitted on."""

    against_validate: Table
    against_hledger: Table
    appends: Table
    cold: dict[str, dict[int, float]] = field(default_factory=dict)  # command → n → seconds
    memory: dict[str, dict[int, float]] = field(default_factory=dict)  # command → n → peak MB


def n_targets(n: int) -> int:
    """The targets of a generated data set of ``n`` observations: more targets, not more years."""
    return max(N_TARGETS, -(-n // PER_TARGET))


def scale(
    sizes: list[int], runs: int, work: Path, hledger: str | None, large: int, floor_mb: float
) -> Scale:
    """Cold commands against cold validate, status/validate against hledger, and appends."""
    out = Scale(
        Table(["observations", "command", "median", "cold validate median", "ratio (range)",
               "peak memory", "beyond the interpreter"]),
        Table(["observations", "command", "median", "hledger median", "ratio (range)",
               "peak memory"]),
        Table(["observations", "command", "median", "cold status median", "ratio (range)",
               "peak memory"]),
    )  # fmt: skip
    for n in sizes:
        big = n >= large
        runs_n = min(runs, LARGE_RUNS) if big else runs
        progress(f"scale {n:,}: generating the data ({n_targets(n):,} targets)")
        data = work / f"data-{n}"
        generate(data, n, n_targets(n))
        added = work / f"data-{n}-add"  # add-observation's own copy, restored before each run
        shutil.copytree(data, added)
        validate = cold(["validate"], data, work / "c-validate")
        commands = {"status": cold(["status"], data, work / "c-cmd")}
        if not big:
            commands[f"show {SHOW_ID}"] = cold(["show", SHOW_ID], data, work / "c-cmd")
            commands["report --html FILE"] = cold(
                ["report", "--html", str(work / "report.html")], data, work / "c-cmd"
            )
        commands["add-observation"] = Command(
            [*CCTRACK, "add-observation", *NEW_OBSERVATION, "--data", str(added)],
            environment(work / "c-add"),
            before=restorer(added, work / "c-add"),
        )
        base: list[Sample] = []
        measured: dict[str, Pairs] = {}
        for name, command in commands.items():
            progress(f"scale {n:,}: cold validate / {name}")
            measured[name] = pairs(validate, command, runs_n)
            base += measured[name].base
        v_time, v_memory = statistics.median(s[0] for s in base), max(s[1] for s in base)
        out.cold.setdefault("validate", {})[n] = v_time
        out.memory.setdefault("validate", {})[n] = v_memory
        out.against_validate.add(
            [f"{n:,}", "validate (cold, the baseline)", sec(v_time), sec(v_time), "1.00",
             f"{v_memory:.0f} MB", per_observation(v_memory, floor_mb, n)],
            memory_checks(v_memory, n, large, floor_mb),
            f"{n:,} validate",
        )  # fmt: skip
        for name, p in measured.items():
            out.cold.setdefault(name, {})[n] = p.time
            out.memory.setdefault(name, {})[n] = p.memory
            checks = memory_checks(p.memory, n, large, floor_mb)
            if n >= BUDGET_SCALE_AT and name not in {"status", "add-observation"}:
                checks.insert(0, (f"≤ {BUDGET_SCALE} × validate", p.ratio <= BUDGET_SCALE))
            if big and name == "status":
                ok = p.time <= BUDGET_LARGE_SECONDS
                checks.insert(0, (f"≤ {BUDGET_LARGE_SECONDS:g} s", ok))
            out.against_validate.add(
                [f"{n:,}", f"{name} (cold)", sec(p.time), sec(p.base_time), p.ratio_text(),
                 f"{p.memory:.0f} MB", per_observation(p.memory, floor_mb, n)],
                checks,
                f"{n:,} {name}",
            )  # fmt: skip
        appends(out.appends, n, data, runs_n, work, big)
        if hledger and not big:
            against_hledger(out.against_hledger, n, data, runs_n, work, hledger)
    return out


# An observation appended by hand (as an editor or a `git pull` would): valid, of a generated
# growth target, from a source no generated observation has.
APPENDED = (
    '  - target: target-0009\n    period: 2025\n    change: "+6.50%"\n'
    "    source: {title: Appended, url: https://example.org/bench/appended}\n"
)


def appends(table: Table, n: int, data: Path, runs: int, work: Path, big: bool) -> None:
    """``status`` after an append made outside cctrack, and ``add-observation``, each with the
    cache warm for the data before the append, against a cold ``status`` of that data."""
    copy, cache = work / f"data-{n}-append", work / f"c-append-{n}"
    shutil.copytree(data, copy)
    path = copy / "observations.yaml"
    pristine = path.read_bytes()
    env = environment(cache)
    progress(f"scale {n:,}: filling the cache for the appends")
    argv = [*CCTRACK, "status", "--data", str(copy)]
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
    snapshot = work / f"c-append-{n}-snapshot"
    shutil.copytree(cache, snapshot)

    def warm(extra: bytes) -> Callable[[], None]:
        def before() -> None:
            path.write_bytes(pristine + extra)
            shutil.rmtree(cache, ignore_errors=True)
            shutil.copytree(snapshot, cache)

        return before

    cold_cache = work / f"c-append-{n}-cold"

    def pristine_cold() -> None:
        path.write_bytes(pristine)
        shutil.rmtree(cold_cache, ignore_errors=True)

    baseline = Command(argv, environment(cold_cache), before=pristine_cold)
    rows = {
        "status after an append outside cctrack": Command(
            argv, env, before=warm(APPENDED.encode())
        ),
        "add-observation (cache warm)": Command(
            [*CCTRACK, "add-observation", *NEW_OBSERVATION, "--data", str(copy)],
            env,
            before=warm(b""),
        ),
    }
    for name, command in rows.items():
        progress(f"scale {n:,}: cold status / {name}")
        p = pairs(baseline, command, runs)
        checks = [(f"≤ {BUDGET_APPEND:g} × cold status", p.ratio <= BUDGET_APPEND)] if big else []
        table.add(
            [f"{n:,}", name, sec(p.time), sec(p.base_time), p.ratio_text(),
             f"{p.memory:.0f} MB"],
            checks,
            f"{n:,} {name}",
        )  # fmt: skip


def per_observation(mb: float, floor_mb: float, n: int) -> str:
    """Peak memory beyond the bare interpreter's, per observation."""
    return f"{(mb - floor_mb) * 2**20 / n:,.0f} B/obs"


def memory_checks(mb: float, n: int, large: int, floor_mb: float) -> list[tuple[str, bool]]:
    """The memory budgets of a row of ``n`` observations."""
    limit = BUDGET_MEMORY_LARGE_MB if n >= large else BUDGET_MEMORY_MB
    checks = [(f"< {limit:,} MB", mb < limit)]
    if n >= large:
        per = (mb - floor_mb) * 2**20 / n
        checks.append(
            (f"< {BUDGET_BYTES_PER_OBSERVATION} B/obs", per < BUDGET_BYTES_PER_OBSERVATION)
        )
    return checks


def against_hledger(table: Table, n: int, data: Path, runs: int, work: Path, hledger: str) -> None:
    """Cold and warm status and validate against ``hledger balance --budget``."""
    ledger = work / f"ledger-{n}.journal"
    journal(ledger, n, n_targets(n))
    baseline = Command([hledger, "balance", "--budget", "-f", str(ledger)])
    for name in ("status", "validate"):
        for warm in (False, True):
            cache = work / f"c-hledger-{name}-{warm}"
            argv = [*CCTRACK, name, "--data", str(data)]
            # warm: the warm-up run fills the cache and every timed run hits it
            command = Command(argv, environment(cache), before=None if warm else emptied(cache))
            label = f"{name} ({'warm' if warm else 'cold'})"
            progress(f"scale {n:,}: hledger / {label}")
            p = pairs(baseline, command, runs)
            if warm:
                ratio = p.ratio_text(3) + (f", 1/{1 / p.ratio:.0f}" if p.ratio < 1 else "")
                check = (
                    f"≤ 1/{1 / BUDGET_WARM_HLEDGER:.0f} × hledger",
                    p.ratio <= BUDGET_WARM_HLEDGER,
                )
            else:
                ratio = p.ratio_text()
                check = (f"≤ {BUDGET_COLD_HLEDGER:g} × hledger", p.ratio <= BUDGET_COLD_HLEDGER)
            # the budgets are stated at 100,000 observations; smaller sizes are reference
            table.add(
                [f"{n:,}", label, sec(p.time), sec(p.base_time), ratio, f"{p.memory:.0f} MB"],
                [check] if n >= BUDGET_SCALE_AT else [],
                f"{n:,} {label} vs hledger",
            )


def interpreter_memory(runs: int) -> float:
    """The peak resident memory of the bare interpreter (``python -c pass``), the median."""
    return statistics.median(measure(Command([PY, "-c", "pass"]))[1] for _ in range(runs))


def linearity(cold: dict[str, dict[int, float]], sizes: list[int]) -> Table:
    """The exponent k of time ∝ n^k between consecutive sizes, for each cold command (a command
    not run at a size has no k there)."""
    steps = list(itertools.pairwise(sizes))
    table = Table(["command", *(f"{n:,}" for n in sizes), *(f"k {a:,} → {b:,}" for a, b in steps)])
    for name, times in cold.items():
        ks = {(a, b): math.log(times[b] / times[a]) / math.log(b / a)
              for a, b in steps if a in times and b in times}  # fmt: skip
        checks: list[tuple[str, bool]] = []
        if LINEAR_PAIR in ks:
            a, b = LINEAR_PAIR
            checks.append((f"k ≤ {BUDGET_K} on {a:,} → {b:,}", ks[LINEAR_PAIR] <= BUDGET_K))
        table.add(
            [name, *(sec(times[n]) if n in times else "—" for n in sizes),
             *(f"{ks[step]:.2f}" if step in ks else "—" for step in steps)],
            checks,
            f"linearity of {name}",
        )  # fmt: skip
    return table


def memory_growth(memory: dict[str, dict[int, float]], sizes: list[int], large: int) -> Table:
    """The peak memory of each cold command at each size, and what each observation added
    between consecutive sizes: (peak₂ − peak₁) / (n₂ − n₁), the code and libraries left out;
    budgeted on the step to ``large`` (:data:`BUDGET_BYTES_PER_OBSERVATION`)."""
    steps = list(itertools.pairwise(sizes))
    table = Table(["command", *(f"{n:,}" for n in sizes),
                   *(f"per observation {a:,} → {b:,}" for a, b in steps)])  # fmt: skip
    for name, peaks in memory.items():
        added = {(a, b): (peaks[b] - peaks[a]) * 2**20 / (b - a)
                 for a, b in steps if a in peaks and b in peaks}  # fmt: skip
        last = [(a, b) for a, b in added if b >= large]
        checks = [(f"< {BUDGET_BYTES_PER_OBSERVATION} B on {a:,} → {b:,}",
                   added[a, b] < BUDGET_BYTES_PER_OBSERVATION) for a, b in last]  # fmt: skip
        table.add(
            [name, *(f"{peaks[n]:.0f} MB" if n in peaks else "—" for n in sizes),
             *(f"{added[step]:,.0f} B" if step in added else "—" for step in steps)],
            checks,
            f"memory of {name}",
        )  # fmt: skip
    return table


def quote_linearity(runs: int) -> Table:
    """Checking a quote of many percentages ("下降1.5%，" repeated), at n and 8n of them: the
    time of :func:`cctrack.quotes.check_quote` in this process (the quote reader alone, as
    every command and ``add-observation --quote`` run it), median of ``runs``."""
    from cctrack.quotes import check_quote

    a, b = QUOTE_SIZES
    times = {}
    for n in QUOTE_SIZES:
        quote = "其中一项下降 1.5%，" * n
        samples = []
        for _ in range(runs):
            t0 = time.perf_counter()
            check_quote(quote, None, Decimal("-0.015"))
            samples.append(time.perf_counter() - t0)
        times[n] = statistics.median(samples)
    ratio = times[b] / times[a]
    table = Table(["quote", f"{a:,} percentages", f"{b:,} percentages", "ratio"])
    table.add(
        ["check_quote", ms(times[a]), ms(times[b]), f"{ratio:.1f}"],
        [(f"ratio ≤ {BUDGET_QUOTE_RATIO:g} (linear: 8)", ratio <= BUDGET_QUOTE_RATIO)],
        "linearity of quote checking",
    )
    return table


def diff_linearity(runs: int, sizes: tuple[int, int] = DIFF_SIZES) -> Table:
    """``diff`` of a generated data set (two years of figures) against itself without the
    full-year figures of its second year, a year earlier (so that every target changes, and
    each change is attributed by recomputation), at n and 8n targets with 28 observations each:
    the time of :func:`cctrack.diff.compare` with both sides' assessments (what ``cctrack
    diff`` does after reading the files), in this process, median of ``runs``."""
    from datetime import date

    from cctrack.dataset import load_dataset
    from cctrack.diff import State, compare

    times, changed = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            data = Path(tmp) / f"d{n}"
            generate(data, 28 * n, n)
            ds = load_dataset(data)
            targets = tuple(e.model for e in ds.targets)
            observations = tuple(e.model for e in ds.observations)
            fewer = tuple(o for o in observations if o.period.text not in {"2013", "2013-12-31"})
            before = State(targets, fewer, date(2026, 6, 30), "growth-ratio")
            after = State(targets, observations, date(2027, 6, 30), "growth-ratio")
            samples = []
            for _ in range(runs):
                t0 = time.perf_counter()
                found = compare(before, after)
                samples.append(time.perf_counter() - t0)
            times[n], changed[n] = statistics.median(samples), len(found)
    a, b = sizes
    ratio = times[b] / times[a]
    table = Table(["diff", f"{a:,} targets", f"{b:,} targets", "ratio"])
    table.add(
        [f"compare ({changed[a]:,} and {changed[b]:,} changed)", ms(times[a]), ms(times[b]),
         f"{ratio:.1f}"],
        [(f"ratio ≤ {BUDGET_DIFF_RATIO:g} (linear: {b / a:g})", ratio <= BUDGET_DIFF_RATIO)],
        "linearity of diff",
    )  # fmt: skip
    return table


def code_version() -> str:
    """The commit measured (``abc1234``, ``+ changes`` when the tree differs from it), or the
    package version outside a git checkout."""
    git = ["git", "-C", str(ROOT)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    if head.returncode != 0:
        from cctrack import __version__

        return f"cctrack {__version__} (no git checkout)"
    dirty = subprocess.run([*git, "status", "--porcelain", "--", "cctrack", "bench"],
                           capture_output=True, text=True).stdout.strip()  # fmt: skip
    return f"commit {head.stdout.strip()}" + (" + uncommitted changes" if dirty else "")


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
    return (
        f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}"
    )


def page(
    runs: int,
    hledger_version: str,
    start: Table,
    big: Scale,
    linear: Table,
    growth: Table,
    quotes: Table,
    diffs: Table,
    large: int,
    floor_mb: float,
) -> list[str]:
    """docs/performance.md."""
    misses = start.misses + big.against_validate.misses + big.against_hledger.misses
    misses += big.appends.misses + linear.misses + quotes.misses + diffs.misses
    summary = ("Budgets missed: " + "; ".join(misses) + ".") if misses else "Every budget holds."
    hledger_rows = (
        big.against_hledger.lines()
        if big.against_hledger.rows
        else ["hledger is not installed: these rows were skipped."]
    )
    return [
        "# Performance",
        "",
        "Written by `python bench/run.py` (rerun it to refresh this page). Every ratio compares a "
        "whole command in a subprocess with a baseline measured in the same run, as alternating "
        f"pairs (baseline, command, baseline, command, …): one discarded warm-up run of each, then "
        f"{runs} pairs ({LARGE_RUNS} from {large:,} observations). The ratio is the median of "
        "the per-pair ratios (these machines are noisy, and a pair sees the same noise), with "
        "the lowest and highest of them in brackets; the times shown are the medians of each "
        "side. "
        "Peak memory is the largest resident set size of the command over its runs (`os.wait4`); "
        f"beyond the interpreter: less the bare interpreter's ({floor_mb:.0f} MB), per "
        "observation. "
        "Python's bytecode cache is on for every Python command, as for an installed cctrack "
        "(the warm-up run fills it). "
        "Every row states its budget and whether it holds; a miss reads MISSED and names what "
        "failed.",
        "",
        f"Machine: {machine()}.  ",
        f"Code: {code_version()}.  ",
        f"hledger: {hledger_version or 'not installed'}.",
        "",
        summary,
        "",
        "## Start-up (shipped data)",
        "",
        *start.lines(),
        "",
        f'Import floor: `python -c "{IMPORT_FLOOR}"`, what a warm `python -m cctrack status` '
        "or `validate` imports (runpy for `-m`; the `cctrack` script loads `re` instead): the "
        "same command line on unchanged files writes the output stored by the last "
        "run (`cctrack/replay.py`) without loading Typer, Rich or the core. Typer and Rich: "
        f'`python -c "{LIBRARY_FLOOR}"`, what the command needs when it is not replayed. '
        "Result cache warm: the stored output removed before each run (another command line on "
        "the same files), so the checked and assessed result comes from the result cache and is "
        "rendered; cache off (`CCTRACK_NO_CACHE=1`): read, model, check and assess every time.",
        "",
        f"## Scale: against cold `validate` ({N_TARGETS} targets, or one per {PER_TARGET} "
        "observations)",
        "",
        *big.against_validate.lines(),
        "",
        "Cold: an empty result cache before every run, so each run reads, models, checks and "
        f"assesses (and stores its result). `show {SHOW_ID}`; `report --html` writes its page; "
        "`add-observation` appends one valid observation (a change of a generated target, from a "
        "new source) to the same data every run (the file is restored before each run), and its "
        f"time includes the write. The ratio budgets apply from {BUDGET_SCALE_AT:,} "
        f"observations; the memory per observation from {large:,} (below, the code and "
        "libraries a command loads, about 30 MB, weigh hundreds of bytes an observation by "
        "themselves: the figure is shown, not budgeted); the memory budget applies to every row "
        f"({BUDGET_MEMORY_LARGE_MB:,} MB from {large:,} observations, where only `status`, "
        "`validate` and `add-observation` run). Where there are two cores or more, `report "
        "--html` uses a second one: a child process stores its result while the page is made, "
        "and from 20,000 observations another makes the later cards of the page; its time is "
        "the clock's until both have ended, its peak memory the largest of the three processes' "
        "(they share most of their pages), and it takes a little more CPU time than one "
        "process would.",
        "",
        "## Appends: against cold `status`",
        "",
        *(big.appends.lines() if big.appends.rows else ["No appends were measured."]),
        "",
        "The cache is filled for the data as it was (by a `status` run before the pairs, "
        "restored before each run); then `status` runs after one observation was appended to "
        "`observations.yaml` as an editor or a `git pull` would, or `add-observation` appends "
        "one itself (and prints the target's new status). The baseline is a cold `status` of "
        f"the data before the append. The budgets apply from {large:,} observations.",
        "",
        "## Scale: against `hledger balance --budget`",
        "",
        *hledger_rows,
        "",
        "The hledger journal has one transaction per observation and a monthly budget rule per "
        "target account. Warm: the files are unchanged, so the checked and assessed result comes "
        "from the cache.",
        "",
        "## Linearity",
        "",
        *linear.lines(),
        "",
        "k is fitted on the cold medians of the scale tables: k = log(t₂ / t₁) / log(n₂ / n₁). "
        "Times are whole commands, start-up included, so a k below 1 partly reflects the fixed "
        "start-up cost spread over more observations.",
        "",
        *growth.lines(),
        "",
        "Peak memory of each cold command (the scale tables' column), and the memory each "
        "observation added between consecutive sizes: the code and libraries a command loads "
        "(about 30 MB beyond the bare interpreter) are in every peak, so the per-observation "
        "figure of the scale tables, which counts them, is larger at smaller sizes. What an "
        "observation adds on the way to the largest size is held to the same budget as the "
        f"largest size's peak (< {BUDGET_BYTES_PER_OBSERVATION} B): the issue's \"peak memory "
        'linear and below 400 bytes an observation beyond the interpreter", read both as the '
        "slope and as the whole peak where the code is a small part of it; `show` and `report` "
        "run to 100,000 observations only (they hold every observation's role, which they read) "
        "and are not budgeted per observation.",
        "",
        *quotes.lines(),
        "",
        "A quote's figures are read in time linear in its length, however many percentages it "
        "holds (a word of falling is looked for just before each one, not in all the text "
        "before it).",
        "",
        *diffs.lines(),
        "",
        "`cctrack diff` assesses both sides once and only the targets whose verdict moved again, "
        "once per difference found: its time grows with the number of targets, not its square "
        "(docs/method.md §16).",
        "",
        "The data sets come from `bench/generate.py`: per target and year one full-year figure, "
        "twelve monthly year-to-date figures and a proxy of another scope, 10% growth-only, 5% "
        "preliminary, sources repeated through YAML aliases.",
        "",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a trial run: sizes 1000,10000 and 3 runs (unless given)",
    )
    parser.add_argument("--runs", type=int, help="alternated pairs per ratio (default 9)")
    parser.add_argument("--sizes", help="observation counts (default 1000,10000,100000,1000000)")
    parser.add_argument(
        "--large",
        type=int,
        default=LARGE,
        help=f"from this many observations only the budgeted commands run, with at most "
        f"{LARGE_RUNS} pairs (default {LARGE:,})",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument(
        "--diff-only",
        metavar="N,M",
        help="only the diff row, at N and M targets (e.g. 20,160); printed, nothing written",
    )
    args = parser.parse_args()
    runs: int = args.runs or (3 if args.quick else 9)
    if args.diff_only:
        a, b = (int(x) for x in args.diff_only.split(","))
        print("\n".join(diff_linearity(runs, (a, b)).lines()))
        return
    sizes = [
        int(x)
        for x in (
            args.sizes or ("1000,10000" if args.quick else "1000,10000,100000,1000000")
        ).split(",")
    ]
    hledger = find_hledger()
    if not hledger:
        progress("hledger not found and not installable: its rows are skipped")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        floor_mb = interpreter_memory(runs)
        start = startup(runs, work)
        big = scale(sizes, runs, work, hledger, args.large, floor_mb)
    linear = linearity(big.cold, sizes)
    growth = memory_growth(big.memory, sizes, args.large)
    version = ""
    if hledger:
        version = subprocess.run([hledger, "--version"], capture_output=True, text=True).stdout
    doc = page(
        runs,
        version.strip(),
        start,
        big,
        linear,
        growth,
        quote_linearity(runs),
        diff_linearity(runs),
        args.large,
        floor_mb,
    )
    print("\n".join(doc))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(doc), encoding="utf-8")
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()
