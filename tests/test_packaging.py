"""The distributions as users get them: the sdist and the wheel carry the shipped data set, and a
cctrack installed from the wheel finds it from any directory.

The builds run offline: pip without build isolation uses the hatchling of this environment (the
`test` extra installs it), and the fresh virtualenv borrows this environment's packages for
cctrack's dependencies instead of downloading them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ("targets.yaml", "observations.yaml")
TIMEOUT = 300


def run(cmd: list[str], cwd: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"CCTRACK_DATA", "PYTHONPATH"}}
    env.update(extra)
    proc = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8",
        timeout=TIMEOUT, check=False,
    )  # fmt: skip
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def pip(*args: str, cwd: Path) -> None:
    proc = run([sys.executable, "-m", "pip", *args, "--no-deps", "--no-index"], cwd)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def build_wheel(source: Path, out: Path) -> Path:
    pip("wheel", "--no-build-isolation", "--wheel-dir", str(out), str(source), cwd=out)
    (wheel,) = out.glob("cctrack-*.whl")
    return wheel


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sdist")
    proc = run([sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(out)], ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (archive,) = out.glob("cctrack-*.tar.gz")
    return archive


@pytest.fixture(scope="module")
def source_tree(sdist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist unpacked: a source tree with the data set in data/ only."""
    out = tmp_path_factory.mktemp("unpacked")
    with tarfile.open(sdist) as tar:
        tar.extractall(out, filter="data")
    (tree,) = out.iterdir()
    return tree


@pytest.fixture(scope="module", params=["checkout", "sdist"])
def wheel(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built as `pip install .` builds it from the checkout, or as pip builds it from
    the sdist on an index."""
    out = tmp_path_factory.mktemp("wheel")
    if request.param == "checkout":
        return build_wheel(ROOT, out)
    return build_wheel(request.getfixturevalue("source_tree"), out)


def test_copying_the_data_directory_copies_the_files(tmp_path: Path) -> None:
    # `cp -r data mydata` copies links as links: a copy must not write into the shipped files
    mine = tmp_path / "mydata"
    shutil.copytree(ROOT / "data", mine, symlinks=True)
    assert not mine.is_symlink()
    for name in SHIPPED:
        assert not (mine / name).is_symlink()
        assert (mine / name).read_bytes() == (ROOT / "data" / name).read_bytes()


@pytest.mark.slow
def test_sdist_holds_the_data_directory_once(sdist: Path) -> None:
    with tarfile.open(sdist) as tar:
        names = [n.split("/", 1)[1] for n in tar.getnames() if "/" in n]
    assert {f"data/{name}" for name in SHIPPED} <= set(names)
    assert not [n for n in names if n.startswith("cctrack/data/")]  # the files enter once


@pytest.mark.slow
def test_a_source_tree_uses_its_data_directory(source_tree: Path, tmp_path: Path) -> None:
    proc = run([sys.executable, "-m", "cctrack", "validate"], tmp_path, PYTHONPATH=str(source_tree))
    assert proc.returncode == 0, proc.stderr
    assert f" in {source_tree / 'data'} (" in proc.stderr


@pytest.mark.slow
def test_wheel_holds_the_shipped_data(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as whl:
        names = whl.namelist()
        for name in SHIPPED:
            assert whl.read(f"cctrack/data/{name}") == (ROOT / "data" / name).read_bytes()
    assert len(names) == len(set(names))
    assert not [n for n in names if n.startswith("data/")]


@pytest.mark.slow
def test_wheel_holds_the_catalogues_and_the_report_templates(wheel: Path) -> None:
    render = ROOT / "cctrack" / "render"
    files = [*render.glob("locale/*.po"), *render.glob("templates/*")]
    assert len(files) >= 4
    with zipfile.ZipFile(wheel) as whl:
        for path in files:
            name = path.relative_to(ROOT).as_posix()
            assert whl.read(name) == path.read_bytes(), name


@pytest.mark.slow
def test_installed_wheel_shows_the_shipped_targets_from_anywhere(
    wheel: Path, tmp_path: Path
) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"
    query = "import json, sysconfig; print(json.dumps(sysconfig.get_paths()))"
    paths = json.loads(run([str(python), "-c", query], tmp_path).stdout)
    pip("--python", str(python), "install", str(wheel), cwd=tmp_path)
    # Then cctrack's dependencies come from this environment's site directories, after the
    # venv's own packages (paths in a .pth file: the .pth files there, an editable cctrack's
    # among them, are not read). Added after the install, so pip saw no other cctrack.
    borrowed = [p for p in sys.path if Path(p).name in ("site-packages", "dist-packages")]
    (Path(paths["purelib"]) / "zz-borrowed.pth").write_text("\n".join(borrowed) + "\n")
    cctrack = str(Path(paths["scripts"]) / "cctrack")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    status = run([cctrack, "status", "--format", "json"], elsewhere)
    assert status.returncode == 0, status.stderr
    shipped = yaml.safe_load((ROOT / "data" / "targets.yaml").read_text(encoding="utf-8"))
    ids = [t["id"] for t in shipped["targets"]]
    assert [t["id"] for t in json.loads(status.stdout)["targets"]] == ids

    validate = run([cctrack, "validate"], elsewhere)
    assert validate.returncode == 0, validate.stderr
    assert (
        f"in {Path(paths['purelib']) / 'cctrack' / 'data'} ({len(ids)} targets" in validate.stderr
    )

    # the words and the report's template come from the installed package, in both languages
    for lang, title in (("en", "Development targets: progress report"), ("zh", "发展目标进展报告")):
        page = elsewhere / f"report-{lang}.html"
        report = run([cctrack, "report", "--html", str(page), "--lang", lang], elsewhere)
        assert report.returncode == 0, report.stderr
        text = page.read_text(encoding="utf-8")
        assert f"<h1>{title}</h1>" in text and text.count('<section class="card"') == len(ids)
