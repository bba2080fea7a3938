"""One road from files to output: every command's numbers and roles come from one assessment,
cached runs equal uncached ones, and the module graph keeps words in ``render/``."""

from __future__ import annotations

import ast
import html
import importlib.util
import json
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import cctrack
from cctrack import pipeline
from cctrack.cli import app
from cctrack.location import PACKAGED
from cctrack.render.catalogue import words
from cctrack.render.words import observation_rows
from cctrack.scorecard import grouped

ROOT = Path(__file__).resolve().parent.parent
CODE = Path(cctrack.__file__).parent
AS_OF = "2026-11-22"
runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "CCTRACK_DATA": None})
wide = CliRunner(env={"COLUMNS": "2000", "NO_COLOR": "1", "CCTRACK_DATA": None})


def _generate(directory: Path, n: int, targets: int) -> None:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(directory, n, targets)


@pytest.fixture(scope="module", params=["shipped", "generated"])
def data_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp(request.param) / "data"
    if request.param == "shipped":
        shutil.copytree(PACKAGED, target)
    else:
        _generate(target, 1_500, 30)
    return target


def cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


# --- one assessment behind every output --------------------------------------------------------

DATA = re.compile(r'<data value="([^"]*)" data-key="([^"]*)">')
CARD = re.compile(r'<section class="card" id="target-([^"]+)"(.*?)</section>', re.S)
OBS_ROW = re.compile(r"<tr>(<td.*?)</tr>", re.S)
CELL = re.compile(r'<span class="v">(.*?)</span></td>', re.S)


def _report(data_dir: Path, tmp_path: Path) -> dict[str, str]:
    out = tmp_path / "report.html"
    runner.invoke(app, ["report", "--html", str(out), "--data", str(data_dir), "--as-of", AS_OF])
    return {tid: body for tid, body in CARD.findall(out.read_text(encoding="utf-8"))}


def test_json_report_and_show_agree_for_every_target(data_dir: Path, tmp_path: Path) -> None:
    doc = json.loads(cli("status", "--format", "json", "--data", str(data_dir), "--as-of", AS_OF))
    cards = _report(data_dir, tmp_path)
    result = pipeline.run(data_dir, date.fromisoformat(AS_OF))
    assert [a.target.id for a in grouped(result.assessments)] == list(cards)  # in plan order
    assert [t["id"] for t in doc["targets"]] == [a.target.id for a in result.assessments]
    shown_ids = doc["targets"] if data_dir.parent.name.startswith("shipped") else doc["targets"][:8]
    for t in shown_ids:
        card = cards[t["id"]]
        numbers = {key: value for value, key in DATA.findall(card)}
        for key, value in numbers.items():  # every number of the card is the JSON's, exactly
            if key.startswith("change "):
                continue
            expected = t[key]["value"] if key in {"base", "current"} else t[key]
            assert float(value) == expected, (t["id"], key)
        a = result.assessment(t["id"])
        assert a is not None
        rows = observation_rows(a, words("en"))
        # the report lists the observations and roles that `show` lists, in the same order
        html_rows = [
            [html.unescape(c) for c in CELL.findall(r)]
            for r in OBS_ROW.findall(card.split("Sources", 1)[-1])
        ]
        assert [(r[0], r[3]) for r in html_rows] == [(r.period, r.use) for r in rows]
        # JSON carries the same roles
        assert [o["role"] for o in t["observations"]] == [u.role.value for u in a.uses]
        args = ["show", t["id"], "--data", str(data_dir), "--as-of", AS_OF]
        show = wide.invoke(app, args).stdout  # wide enough that no cell folds
        for r in rows:
            line = rf"^\s*{re.escape(r.period)}\s.*{re.escape(r.value)}.*{re.escape(r.use)}"
            assert re.search(line, show, re.M), (t["id"], r)
        if t["progress_ratio"] is not None:
            assert f"{t['progress_ratio']:.2f}" in show


def test_show_and_json_roles_for_the_shipped_tourism_target(tmp_path: Path) -> None:
    # as of mid-2024: 2023 is the newest full year published
    doc = json.loads(cli("status", "tourism-revenue", "--format", "json", "--as-of", "2024-06-30"))
    (t,) = doc["targets"]
    roles = {(o["period"], o["role"]) for o in t["observations"]}
    assert ("2017", "before-base") in roles
    assert ("2023", "base") in roles  # the tourism plan's base year (start 2024)
    # the biomedicine target (no start): 2023 is current, and its +10.8% gives the base
    doc = json.loads(
        cli("status", "biomedicine-output", "--format", "json", "--as-of", "2024-06-30")
    )
    (t,) = doc["targets"]
    (current,) = [o for o in t["observations"] if o["role"] == "current"]
    assert current["period"] == "2023" and current["derives"] == ["2022"]
    show = cli("show", "biomedicine-output", "--as-of", "2024-06-30")
    assert re.search(r"2022 .*derived: base", show)
    assert re.search(r"2023 .*used: current; its change gives the 2022 value", show)


# --- the cache wraps the one road ----------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["status", "--format", "json"],
        ["status", "--format", "markdown"],
        ["show", "tourism-revenue"],
        ["report", "--html", "{out}"],
    ],
    ids=lambda c: c[0] + (c[2] if len(c) > 2 and c[0] == "status" else ""),
)
def test_cached_and_uncached_output_are_identical(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(PACKAGED, data)

    def output(cache: bool) -> str:
        if cache:
            monkeypatch.delenv("CCTRACK_NO_CACHE", raising=False)
        else:
            monkeypatch.setenv("CCTRACK_NO_CACHE", "1")
        out = tmp_path / "report.html"
        args = [c.replace("{out}", str(out)) for c in command]
        text = cli(*args, "--data", str(data), "--as-of", AS_OF)
        return out.read_text(encoding="utf-8") if command[0] == "report" else text

    fresh = output(cache=False)
    first, second = output(cache=True), output(cache=True)
    assert fresh == first == second
    assert len(fresh) > 500


def test_show_and_report_are_served_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A status table stores no roles of the observations (it reads none): the first run that
    reads them computes and stores them; from then on every command is served."""
    data = tmp_path / "data"
    shutil.copytree(PACKAGED, data)
    cli("status", "--data", str(data), "--as-of", AS_OF)
    computed: list[str] = []
    compute = pipeline._compute

    def counted(*args: Any) -> Any:
        computed.append("cold")
        return compute(*args)

    monkeypatch.setattr(pipeline, "_compute", counted)
    cli("status", "--data", str(data), "--as-of", AS_OF)
    assert computed == []
    shown = cli("show", "tourism-revenue", "--data", str(data), "--as-of", AS_OF)
    assert computed == ["cold"]

    def fail(*_: object) -> Any:
        raise AssertionError("computed again although the files did not change")

    monkeypatch.setattr(pipeline, "_compute", fail)
    assert cli("show", "tourism-revenue", "--data", str(data), "--as-of", AS_OF) == shown
    assert "tourism-revenue" in shown
    cli("report", "--html", str(tmp_path / "r.html"), "--data", str(data), "--as-of", AS_OF)
    cli("status", "--data", str(data), "--as-of", AS_OF)


def test_add_observation_leaves_the_cache_warm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(PACKAGED, data)
    before = cli("status", "tourism-revenue", "--format", "json", "--data", str(data))
    n = len(json.loads(before)["targets"][0]["observations"])
    result = runner.invoke(
        app,
        ["add-observation", "tourism-revenue", "2024", "300 billion", "--source", "Test source",
         "--data", str(data)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    monkeypatch.setattr(pipeline, "_compute", lambda *_: pytest.fail("computed again"))
    out = cli("status", "tourism-revenue", "--format", "json", "--data", str(data))
    # the entry just written is in the cached result
    assert len(json.loads(out)["targets"][0]["observations"]) == n + 1


# --- the module graph ---------------------------------------------------------------------------


def _imports(code: Path = CODE, package: str = "cctrack") -> dict[str, set[str]]:
    """Each module of the package in ``code`` and the package's modules it imports (at any depth
    of the file). ``from P import M`` imports the module ``P.M`` where ``M`` is one (a package's
    ``__init__`` running first is no edge worth a cycle), else the names of ``P``."""
    modules: dict[str, Path] = {}
    for path in code.rglob("*.py"):
        name = ".".join((package, *path.relative_to(code).with_suffix("").parts))
        modules[name.removesuffix(".__init__")] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:  # relative: from the module's own package upwards
                    base = ".".join(here.split(".")[: len(here.split(".")) - node.level + 1])
                    origin = f"{base}.{node.module}" if node.module else base
                else:
                    origin = node.module or ""
                if origin != package and not origin.startswith(f"{package}."):
                    continue
                subs = {f"{origin}.{a.name}" for a in node.names}
                found |= (subs & modules.keys()) or {origin}
                if subs - modules.keys():  # names defined in the module (or package) itself
                    found.add(origin)
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.startswith(f"{package}.")}
        graph[name] = found - {name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """A cycle of imports among the graph's modules (``a -> b -> a``), or nothing."""
    graph = {m: {d for d in deps if d in graph} for m, deps in graph.items()}
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(m: str, path: list[str]) -> bool:
        state[m] = 1
        for d in sorted(graph[m]):
            if state.get(d) == 1:
                cycle.extend([*path, m, d])
                return True
            if d not in state and visit(d, [*path, m]):
                return True
        state[m] = 2
        return False

    any(visit(m, []) for m in sorted(graph) if m not in state)
    return cycle


def test_only_render_and_the_cli_import_render() -> None:
    graph = _imports()
    offenders = {
        (m, i)
        for m, deps in graph.items()
        for i in deps
        if i.startswith("cctrack.render")
        and not m.startswith("cctrack.render")
        and m != "cctrack.cli"
    }
    assert offenders == set()


def test_checking_needs_no_assessment() -> None:
    """The road runs one way, read → model → check → assess → render: nothing ``check`` reaches
    by its imports, at any depth, is ``assess`` (the series both use is in ``cctrack.series``)."""
    graph = _imports()
    reached: set[str] = set()
    todo = ["cctrack.check"]
    while todo:
        for d in graph.get(todo.pop(), set()) - reached:
            reached.add(d)
            todo.append(d)
    assert "cctrack.series" in reached
    assert "cctrack.assess" not in reached
    assert not any(m.startswith("cctrack.render") for m in reached)


def _package(root: Path, files: dict[str, str]) -> Path:
    """A package ``pkg`` in ``root`` made of ``files`` (path in the package: source)."""
    for name, text in files.items():
        path = root / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pkg"


def test_the_cycle_check_sees_a_module_imported_from_its_package(tmp_path: Path) -> None:
    """The shape of the numbers <-> zh cycle: one module imports the other as ``from PKG import
    MODULE`` (inside a function, too), the other imports names from the first."""
    code = _package(tmp_path, {
        "__init__.py": "",
        "render/__init__.py": "",
        "render/numbers.py": "def points():\n    from pkg.render import zh\n    return zh\n",
        "render/zh.py": "from pkg.render.numbers import points\n",
        "render/words.py": "from pkg.render import numbers, zh\n",
    })  # fmt: skip
    graph = _imports(code, "pkg")
    assert graph["pkg.render.numbers"] == {"pkg.render.zh"}
    assert graph["pkg.render.words"] == {"pkg.render.numbers", "pkg.render.zh"}
    assert _cycle(graph) == ["pkg.render.numbers", "pkg.render.zh", "pkg.render.numbers"]


def test_the_cycle_check_passes_a_graph_without_one(tmp_path: Path) -> None:
    code = _package(tmp_path, {
        "__init__.py": "from pkg.render import words\n",  # a package importing its module
        "render/__init__.py": "",
        "render/numbers.py": "X = 1\n",
        "render/zh.py": "from pkg.render.numbers import X\nfrom . import numbers\n",
        "render/words.py": "from pkg.render import numbers, zh\nfrom pkg import render\n",
    })  # fmt: skip
    graph = _imports(code, "pkg")
    assert graph["pkg.render.zh"] == {"pkg.render.numbers"}
    assert graph["pkg.render.words"] == {"pkg.render.numbers", "pkg.render.zh", "pkg.render"}
    assert _cycle(graph) == []


def test_no_import_cycle() -> None:
    cycle = _cycle(_imports())
    assert cycle == [], " -> ".join(cycle)


def test_the_assessment_holds_no_words() -> None:
    """assess.py makes no sentence a person reads: its notes are codes with values."""
    source = (CODE / "assess.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):  # an f-string outside a docstring or assert
            pytest.fail(f"assess.py line {node.lineno} formats text")


@pytest.mark.parametrize("record", ["Target", "Observation", "Request"])
def test_the_wide_records_are_made_with_keywords(record: str) -> None:
    """Target (21 fields), Observation (15) and Request (16) are made by naming each field: no
    call in the code or the tests passes one by position (the cache's pickle does, by design)."""
    calls = []
    for path in [*CODE.rglob("*.py"), *(ROOT / "tests").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                f = node.func
                name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)
                if name == record:
                    calls.append((path.name, node.lineno, len(node.args)))
    assert calls, f"no call of {record} found: the test looks in the wrong place"
    assert [c for c in calls if c[2]] == []
