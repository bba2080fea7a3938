"""The catalogues of words (``cctrack/render/locale/*.po``): the same keys and placeholders in
every language, every key used by the code and every key the code uses present, a strict
reader, and a third language that needs no change of code."""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

import cctrack
from cctrack.render import catalogue
from cctrack.render.catalogue import CatalogueError, languages, read_po, words

CODE = Path(cctrack.__file__).parent
RENDER = CODE / "render"
KEY = re.compile(r"[a-z_]+(?:\.[a-z0-9_-]+)+")
# Entries whose languages rightly take different parameters of the same call (the code passes
# both): Chinese writes an average's rate unsigned unless negative, and names a caveat by its
# mark where English names it by its code. The test fails if this list is not exactly the set.
DIFFERENT = {"why.average", "show.caveat"}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_language_holds_the_same_keys() -> None:
    assert languages()[0] == "en" and "zh" in languages()
    english = set(words("en").entries)
    plurals = set(words("en").forms)
    assert plurals, "no plural entry read"
    for lang in languages():
        assert set(words(lang).entries) == english, lang
        assert set(words(lang).forms) == plurals, lang  # each with its language's forms


def test_every_entry_holds_the_same_placeholders_in_every_language() -> None:
    en = words("en").entries
    differ = set()
    for lang in languages():
        for key, text in words(lang).entries.items():
            if not text or not en[key]:  # the data's own form: no pattern in this language
                continue
            if placeholders(text) != placeholders(en[key]):
                differ.add(key)
    assert differ == DIFFERENT
    english = words("en").forms
    for lang in languages():  # every form of a plural entry: the placeholders of the English
        for key, forms in words(lang).forms.items():
            assert {frozenset(placeholders(f)) for f in forms + english[key]} == {
                frozenset(placeholders(english[key][-1]))
            }, (lang, key)


def test_every_catalogue_says_its_plural_forms() -> None:
    """English has two forms (one, and any other count), Chinese one; a count picks its form."""
    en, zh = words("en"), words("zh")
    assert (en.nplurals, zh.nplurals) == (2, 1)
    assert [en.plural_form(n) for n in (0, 1, 2, 21)] == [1, 0, 1, 1]
    assert {len(f) for f in en.forms.values()} == {2} and {len(f) for f in zh.forms.values()} == {1}
    assert (
        en.plural("note.forecast", 1)
        == "1 forecast shown as context only: a forecast is no evidence"
    )
    assert en.plural("note.forecast", 3).startswith("3 forecasts shown")
    assert zh.plural("note.forecast", 3).startswith("3条预测数")


def test_no_english_entry_hedges_a_plural() -> None:
    """``value(s)`` is written ``1 value`` or ``2 values``: a plural entry, not a hedge."""
    en = words("en")
    assert [k for k, t in en.entries.items() if "(s)" in t] == []


def test_every_entry_formats_with_its_placeholders() -> None:
    for lang in languages():
        w = words(lang)
        for key, text in w.entries.items():
            filled = w(key, **{name: "X" for name in placeholders(text)})
            assert "{" not in filled and "}" not in filled, (lang, key)
        for key, forms in w.forms.items():
            for n in (1, 2):
                filled = w.plural(key, n, **{name: "X" for name in placeholders(forms[-1])})
                assert "{" not in filled and "}" not in filled, (lang, key)


# --- every key used, and every key used present -------------------------------------------------


def _sources() -> Iterator[tuple[Path, ast.AST]]:
    for path in sorted(CODE.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _literals() -> set[str]:
    """Every string constant of cctrack's code (codes of the domain, keys, labels)."""
    found: set[str] = set()
    for _, tree in _sources():
        found |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
                  and isinstance(n.value, str)}  # fmt: skip
    return found


def _families() -> set[str]:
    """The prefixes of keys made in the renderers from a code: ``w(f"status.{code}")``."""
    found: set[str] = set()
    for path, tree in _sources():
        if RENDER not in path.parents:
            continue
        for n in ast.walk(tree):
            if isinstance(n, ast.JoinedStr) and n.values:
                head = n.values[0]
                text = str(head.value) if isinstance(head, ast.Constant) else ""
                if text.endswith(".") and KEY.fullmatch(f"{text}x"):
                    found.add(text)
    return found


def _used(key: str, literals: set[str], families: set[str]) -> bool:
    if key in literals:
        return True
    # a family's key: its last part is a code or label the code spells somewhere
    return any(key.startswith(p) and key.removeprefix(p) in literals for p in families)


def _template_names() -> set[str]:
    """What the report's template names: keys, ``w("report.title")``, and families of keys,
    ``w("method." ~ method)`` (ending in a dot)."""
    found: set[str] = set()
    for path in (RENDER / "templates").glob("*.html"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r"""w(?:\.plural)?\(["']([a-z0-9_-]+\.[a-z0-9_.-]*)["']""", text))
    return found


def _template_keys() -> set[str]:
    return {k for k in _template_names() if not k.endswith(".")}


def test_every_key_is_used_by_the_code() -> None:
    literals = _literals() | _template_keys()
    families = _families() | (_template_names() - _template_keys())
    en = words("en")
    unused = [k for k in [*en.entries, *en.forms] if not _used(k, literals, families)]
    assert unused == []


def test_every_key_the_code_names_is_in_the_catalogue() -> None:
    entries = words("en").entries
    named = _template_keys()
    for path, tree in _sources():
        if RENDER not in path.parents:
            continue
        for n in ast.walk(tree):
            if isinstance(n, ast.Call) and (
                (isinstance(n.func, ast.Name) and n.func.id == "w")
                or (isinstance(n.func, ast.Attribute) and n.func.attr == "plural")
            ):
                if not n.args:
                    continue
                named |= {c.value for c in ast.walk(n.args[0]) if isinstance(c, ast.Constant)
                          and isinstance(c.value, str) and KEY.fullmatch(c.value)}  # fmt: skip
    assert named, "no key found: the scan is broken"
    missing = [k for k in named if k not in entries and k not in words("en").forms]
    assert missing == []


def test_the_key_scan_would_see_an_unused_key() -> None:
    """A guard on the guard: a key nothing names is reported."""
    literals, families = _literals(), _families()
    assert not _used("report.no_such_key", literals, families)
    assert not _used("status.no_such_status", literals, families)
    assert _used("status.on_track", literals, families)


# --- the reader ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('msgid "a"\nmsgstr "b"\nmsgid "a"\nmsgstr "c"\n', "x.po:4: duplicate key 'a'"),
        ('msgid "a"\nmsgstr "b\\q"\n', "x.po:2: unknown escape \\q"),
        ('msgid "a"\nmsgstr "b"\nmsgctxt "c"\n', "x.po:3: unexpected 'msgctxt'"),
        ('msgid "a"\n', "x.po:1: msgid without msgstr"),
        ('msgid "a"\nmsgstr b\n', "x.po:2: expected a quoted string, got 'b'"),
        ('msgid "a"\nmsgid_plural "a"\nmsgstr[1] "b"\n', "x.po:3: unexpected 'msgstr[1]'"),
        ('msgid "a"\nmsgid_plural "a"\nmsgstr "b"\n', "x.po:3: unexpected 'msgstr'"),
        ('msgid "a"\nmsgstr "b"\nmsgstr[0] "c"\n', "x.po:3: unexpected 'msgstr[0]'"),
        ('msgid "a"\nmsgid_plural "a"\n', "x.po:2: msgid_plural without msgstr"),
    ],
)
def test_the_reader_names_the_line_of_a_problem(tmp_path: Path, text: str, error: str) -> None:
    (tmp_path / "x.po").write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        read_po(tmp_path / "x.po")
    assert str(caught.value) == error


def test_the_reader_joins_continued_strings_and_reads_escapes(tmp_path: Path) -> None:
    text = '# a comment\nmsgid ""\nmsgstr "Language: xx\\n"\n\nmsgid "k"\nmsgstr "a "\n"\\"b\\""\n'
    text += 'msgid "p"\nmsgid_plural "p"\nmsgstr[0] "{count} a"\nmsgstr[1] "{count} "\n"b"\n'
    (tmp_path / "x.po").write_text(text, encoding="utf-8")
    assert read_po(tmp_path / "x.po") == {
        "": "Language: xx\n",
        "k": 'a "b"',
        "p[0]": "{count} a",
        "p[1]": "{count} b",
    }


# --- a third language ---------------------------------------------------------------------------


def test_a_third_language_is_one_more_file(make_data: object, tmp_path: Path) -> None:
    """A copy of en.po with one sentence changed, under a new name, is a new ``--lang``: the
    status table speaks it, with no change of code (the CLI's choices are the files found).
    Run from a copy of the package: the installed package's directory is never written."""
    import os
    import shutil
    import subprocess
    import sys

    package = tmp_path / "site" / "cctrack"
    shutil.copytree(Path(cctrack.__file__).parent, package,
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    locale = package / "render" / "locale"
    text = (locale / "en.po").read_text(encoding="utf-8")
    new = locale / "xx.po"
    new.write_text(text.replace('msgstr "not assessable"', 'msgstr "cannot say"'), encoding="utf-8")
    data = make_data()  # type: ignore[operator]
    env = {**os.environ, "PYTHONPATH": str(package.parent), "NO_COLOR": "1", "COLUMNS": "200",
           "CCTRACK_NO_CACHE": "1"}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "cctrack", "status", "--data", str(data), "--as-of", "2024-06-01",
         "--lang", "xx"],
        capture_output=True, text=True, env=env, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "cannot say" in result.stdout and "not assessable" not in result.stdout
    assert not (catalogue.LOCALE / "xx.po").exists()


# --- numbers ------------------------------------------------------------------------------------


def test_numbers_are_written_only_in_the_words_of_a_language() -> None:
    """No number form falls back to English: every one is given the language's words."""
    from decimal import Decimal

    from cctrack.render import numbers

    with pytest.raises(TypeError):
        numbers.humanize(Decimal(5), "yuan")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        numbers.value_text(Decimal(5))  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        numbers.points_text(Decimal("0.01"), 1)  # type: ignore[call-arg]
    assert numbers.points_text(Decimal("0.012"), 1, words("zh")) == "+1.2个百分点"


# --- show ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("tid", ["tourism-revenue", "gdp-growth-avg-14th"])
def test_show_labels_its_numbers_in_words_not_field_names(tid: str) -> None:
    """The Assessment of ``show`` labels each number as the report does (``progress ratio R``)
    and writes the thresholds with the categories' words, in English as in Chinese."""
    from typer.testing import CliRunner

    from cctrack.cli import app

    env = {"NO_COLOR": "1", "COLUMNS": "200", "CCTRACK_DATA": None}
    out = CliRunner(env=env).invoke(app, ["show", tid, "--as-of", "2026-11-29"]).stdout
    steps = out[out.index("\nAssessment") :]
    steps = steps[: steps.index("\nEvidence")]
    codes = ("time_elapsed", "growth_observed", "growth_required", "progress_ratio",
             "growth_needed", "expected_now", "ahead_by", "on_track", "acceleration_needed",
             "limited_progress")  # fmt: skip
    assert [c for c in codes if c in steps] == []
    assert words("en")("report.number.progress_ratio") in steps


@pytest.mark.parametrize(
    ("lang", "tid", "shown"),
    [
        ("en", "industrial-output", ["752.235 bn yuan (2023)", "752.245 bn yuan (2023)",
                                     "base 690.441 bn", "base 691.084 bn"]),
        ("zh", "industrial-output", ["7522.35亿元", "7522.45亿元", "基期6904.41亿元"]),
        ("en", "faw-revenue", ["525.26 bn yuan (2025)", "611.90 bn yuan (2025)"]),
        ("zh", "faw-revenue", ["5252.6亿元", "6119.0亿元"]),
    ],
)  # fmt: skip
def test_a_reading_has_one_digit_more_than_its_figure(
    lang: str, tid: str, shown: list[str]
) -> None:
    """The ends of a figure's interval are written with one significant digit more than the
    figure as recorded (752.24 bn, 5415亿), in both languages: the low and the high end
    never read as the same number, and no reading claims digits the figure does not have."""
    from typer.testing import CliRunner

    from cctrack.cli import app

    env = {"NO_COLOR": "1", "COLUMNS": "400", "CCTRACK_DATA": None}
    args = ["show", tid, "--as-of", "2026-11-29", "--lang", lang]
    out = CliRunner(env=env).invoke(app, args).stdout
    readings = [ln for ln in out.splitlines() if ln.strip().startswith(("reading", "读数"))]
    for text in shown:
        assert any(text in ln for ln in readings), (text, readings)
