"""The words of one language: a catalogue of keyed texts, and the forms of numbers and periods.

Every word and sentence a person reads comes from ``cctrack/render/locale/LANG.po``: one gettext
catalogue per language, each with the same keys (``msgid``, a code such as ``note.stale``) and
the same named placeholders (``{year}``), so a translator edits one file and no code. A third
language is one more file beside them (copy ``en.po``, translate each ``msgstr``); ``--lang``
offers every file found there, and a test checks that it holds every key with the same
placeholders.

Why ``.po`` read here rather than :mod:`gettext`: the standard library reads only compiled
``.mo`` files, which would mean a build step and two copies of every catalogue in the repository;
the keys are codes, not English sentences, so no fallback to the ``msgid`` is wanted (a missing
key is an error, and a test finds it before a user does). The reader is strict: a line it does
not understand is an error naming the file and line. Only the language asked for is read, once
per process (``words``), when the first word is wanted.

A count is written with a plural entry (``msgid_plural``, ``msgstr[0]``, ``msgstr[1]``; the
header's ``Plural-Forms`` says how many forms and which a count takes): ``w.plural(key, n)``.

An empty ``msgstr`` has one meaning: the data's own form, as written. English leaves periods
(``2024-H1``), plan names and units as the data writes them; Chinese gives their patterns
(``{year}年上半年``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

LOCALE = Path(__file__).resolve().parent / "locale"

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
_ESCAPE = re.compile(r"\\(.)")


class CatalogueError(ValueError):
    """A catalogue line the reader does not understand (``FILE:LINE: what``)."""


def _unquote(text: str, where: str) -> str:
    m = re.fullmatch(r'"((?:[^"\\]|\\.)*)"', text.strip())
    if m is None:
        raise CatalogueError(f"{where}: expected a quoted string, got {text.strip()!r}")

    def escape(e: re.Match[str]) -> str:
        if e[1] not in _ESCAPES:
            raise CatalogueError(f"{where}: unknown escape \\{e[1]}")
        return _ESCAPES[e[1]]

    return _ESCAPE.sub(escape, m[1])


def read_po(path: Path) -> dict[str, str]:
    """The entries of a ``.po`` file, ``msgid`` to ``msgstr``; the header under the empty key,
    and each form of a plural entry under ``key[N]`` (its ``msgstr[N]``).

    Only what cctrack's catalogues use is accepted: comments, ``msgid`` and ``msgstr`` with
    continuation strings, and plural entries (``msgid_plural``, then ``msgstr[0]``,
    ``msgstr[1]``...). Anything else (``msgctxt``, a duplicate or a missing ``msgstr``) is an
    error naming the file and line."""
    out: dict[str, str] = {}
    field = ""
    parts: dict[str, list[str]] = {}

    def finish(where: str) -> None:
        if not parts:
            return
        key = "".join(parts.pop("msgid"))
        plural = parts.pop("msgid_plural", None) is not None
        if key in out or f"{key}[0]" in out:
            raise CatalogueError(f"{where}: duplicate key {key!r}")
        if plural:
            for n, (_, text) in enumerate(sorted(parts.items())):
                out[f"{key}[{n}]"] = "".join(text)
        else:
            out[key] = "".join(parts["msgstr"])
        parts.clear()

    lines = path.read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines, 1):
        where = f"{path.name}:{n}"
        if not line.strip() or line.startswith("#"):
            if field.startswith("msgstr"):
                finish(where)
                field = ""
            continue
        if line.startswith('"'):
            if not field:
                raise CatalogueError(f"{where}: a string outside an entry")
            parts[field].append(_unquote(line, where))
            continue
        word, _, rest = line.partition(" ")
        form = re.fullmatch(r"msgstr\[(\d)\]", word)
        if word == "msgid":
            if field.startswith("msgstr"):
                finish(where)
            elif field:
                raise CatalogueError(f"{where}: msgid without msgstr before it")
        elif word in ("msgstr", "msgid_plural"):
            if field != "msgid":
                raise CatalogueError(f"{where}: unexpected {word!r}")
        elif form is None or field != (f"msgstr[{int(form[1]) - 1}]" if int(form[1])
                                       else "msgid_plural"):  # fmt: skip
            raise CatalogueError(f"{where}: unexpected {word!r}")
        field = word
        parts[field] = [_unquote(rest, where)]
    if field and not field.startswith("msgstr"):
        raise CatalogueError(f"{path.name}:{len(lines)}: {field} without msgstr")
    finish(f"{path.name}:{len(lines)}")
    return out


def languages() -> list[str]:
    """The languages with a catalogue, ``en`` first."""
    found = sorted(p.stem for p in LOCALE.glob("*.po"))
    return sorted(found, key=lambda lang: lang != "en")


# (key, pattern of a period's text): the forms of cctrack.period. Compiled when first needed
# (a language that writes periods as the data does never needs them: start-up is measured).
_PERIOD_FORMS = (
    ("period.year", r"(?P<year>\d{4})"),
    ("period.half", r"(?P<year>\d{4})-H(?P<half>[12])"),
    ("period.quarter", r"(?P<year>\d{4})-Q(?P<quarter>[1-4])"),
    ("period.month", r"(?P<year>\d{4})-(?P<month>\d{2})"),
    ("period.months", r"(?P<year>\d{4})-(?P<first>\d{2})/(?P=year)-(?P<last>\d{2})"),
    ("period.months_across",
     r"(?P<year>\d{4})-(?P<first>\d{2})/(?P<last_year>\d{4})-(?P<last>\d{2})"),
    ("period.years", r"(?P<year>\d{4})/(?P<last_year>\d{4})"),
)  # fmt: skip
_FIVE_YEAR = r"(.*?)\b(\d{1,2})(?:st|nd|rd|th) Five-Year Plan \((\d{4})-(\d{4})\)"
_ANNUAL = r"(\d{4}) annual targets"


class Words:
    """One language's words: ``w("key", name=value)`` is the entry with its placeholders filled
    in; the methods write numbers, periods and plan names in the language's forms."""

    def __init__(self, lang: str, entries: dict[str, str]) -> None:
        self.lang = lang
        header = entries.get("", "")
        self.entries = {k: v for k, v in entries.items() if k and not k.endswith("]")}
        forms: dict[str, list[str]] = {}
        for k, v in entries.items():
            if k.endswith("]"):
                forms.setdefault(k[: k.rindex("[")], []).append(v)
        self.forms = {k: tuple(v) for k, v in forms.items()}
        m = re.search(r"^Plural-Forms: *nplurals=(\d+); *plural=(.+?);?$", header, re.M)
        self.nplurals, self._plural_rule = (int(m[1]), m[2]) if m else (0, "")
        self._rule: Callable[[int], int] | None = None
        wrong = [k for k, v in self.forms.items() if len(v) != self.nplurals]
        if wrong:
            raise CatalogueError(f"{lang}.po: {wrong[0]!r} needs one form per plural "
                                 f"(Plural-Forms: nplurals={self.nplurals})")  # fmt: skip
        self.group = entries["number.group"]
        self.periods_as_written = not any(entries[key] for key, _ in _PERIOD_FORMS)
        self.scales = [
            (word, int(exp), int(start))
            for word, exp, start in (s.rsplit(":", 2) for s in entries["number.scales"].split())
        ]

    def __call__(self, key: str, /, **params: Any) -> str:
        """The entry ``key`` with its placeholders filled in."""
        text = self.entries[key]
        return text.format(**params) if params else text

    def plural(self, key: str, count: int, /, **params: Any) -> str:
        """The form of the plural entry ``key`` for ``count`` (the catalogue's Plural-Forms:
        ``1 value``, ``2 values``; Chinese has one form), its placeholders filled in
        (``{count}`` is given)."""
        return self.forms[key][self.plural_form(count)].format(**{"count": count, **params})

    def plural_form(self, count: int) -> int:
        """Which form of a plural entry ``count`` takes: the header's ``plural=`` rule."""
        if self._rule is None:
            from gettext import c2py  # the standard library's reader of the C expression

            self._rule = c2py(self._plural_rule)
        return int(self._rule(count))

    def join(self, items: Iterable[str]) -> str:
        """A list in the language's form: ``a, b`` (``a、b``)."""
        return self("list.separator").join(items)

    # --- periods and plans -------------------------------------------------------------------

    def period(self, p: object) -> str:
        """A period in the language's form (``2024-H1``, ``2024年上半年``); a date, and any form
        the catalogue leaves empty, as the data writes it."""
        text = str(p)
        if self.periods_as_written:
            return text
        for key, pattern in _PERIOD_FORMS:
            m = re.fullmatch(pattern, text)
            if m is not None:
                form = self.entries[key]
                if not form:
                    return text
                g = m.groupdict()
                if "half" in g:
                    g["half"] = self(f"period.half.{g['half']}")
                if "quarter" in g:
                    g["quarter"] = self(f"period.quarter.{g['quarter']}")
                names = self.entries.get("month.short_names", "").split(",")
                for k in ("month", "first", "last"):
                    if k in g:  # a month by its short name where the language has them
                        g[k] = names[int(g[k]) - 1] if len(names) == 12 else str(int(g[k]))
                return form.format(**g)
        return text

    def periods(self, items: Iterable[object]) -> str:
        """``2016, 2022`` (``2016年、2022年``)."""
        return self.join(self.period(p) for p in items)

    def span(self, first: object | None, last: object) -> str:
        """The years an average covers: ``2021-2025`` (``2021年至2025年``)."""
        if first is None:
            return self.period(last)
        return self("period.span", first=self.period(first), last=self.period(last))

    def numeral(self, n: int) -> str:
        """``14``, or in the catalogue's digits (``十四``: ``numeral.digits`` and
        ``numeral.ten``); 1 to 99."""
        digits, ten = self.entries["numeral.digits"], self.entries["numeral.ten"]
        if not digits:
            return str(n)
        tens, ones = divmod(n, 10)
        head = "" if tens == 0 else (ten if tens == 1 else digits[tens] + ten)
        return head + (digits[ones] if ones or not head else "")

    def plan(self, name: str) -> str:
        """A plan's name in the language where it follows a common pattern ("14th Five-Year
        Plan (2021-2025)", "2026 annual targets"); otherwise as written (the data's words)."""
        m = re.fullmatch(_FIVE_YEAR, name) if self.entries["plan.five_year"] else None
        if m:
            return self("plan.five_year", prefix=m[1].strip(), number=int(m[2]),
                        numeral=self.numeral(int(m[2])), first=m[3], last=m[4])  # fmt: skip
        m = re.fullmatch(_ANNUAL, name) if self.entries["plan.annual"] else None
        if m:
            return self("plan.annual", year=m[1])
        return name

    # --- numbers -----------------------------------------------------------------------------

    def unit(self, name: str) -> str:
        """A unit cctrack knows in the language (``元``); others, and units the catalogue leaves
        empty, as the data writes them."""
        from cctrack.quantity import canonical_unit

        return self.entries.get(f"unit.{_unit_code(canonical_unit(name))}") or name

    def humanize(self, mag: Decimal, unit: str | None, significant: int | None = None) -> str:
        """A non-negative finite value in the language's scales, with its unit: ``316.5 bn
        yuan`` (``3165亿元``), to two decimals of its scale or to ``significant`` digits;
        the caller adds the sign."""
        scaled, word = self._scaled(mag)
        if significant is not None:
            scaled, word = self._scaled(_rounded(mag, significant))
            text = f"{scaled:,f}"
            text = text.replace(",", self.group) if self.group != "," else text
        else:
            text = self._trim(scaled)
        number = text if word is None else self("number.scaled", number=text, scale=word)
        if not unit:
            return number
        from cctrack.quantity import canonical_unit

        known = self.entries.get(f"unit.{_unit_code(canonical_unit(unit))}")
        if known:
            return self("number.known_unit", amount=number, unit=known)
        return self("number.unit", amount=number, unit=unit)

    def significant(self, mag: Decimal) -> int:
        """How many significant digits ``humanize`` writes of a non-negative value (``752.24
        bn``: 5)."""
        scaled, _ = self._scaled(mag)
        return max(1, len(round(scaled, 2).normalize().as_tuple().digits))

    def _scaled(self, mag: Decimal) -> tuple[Decimal, str | None]:
        """The value in the largest of the language's scales it reaches, and that scale's word
        (None: no scale)."""
        for word, exp, start in self.scales:  # compare as rounded: 999,999.9 is 1 M, not 1,000 k
            if round(mag.scaleb(-exp), 2) >= Decimal(10) ** (start - exp):
                return mag.scaleb(-exp), word
        return mag, None

    def _trim(self, number: Decimal) -> str:
        text = f"{number:,.2f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text.replace(",", self.group) if self.group != "," else text


def _rounded(mag: Decimal, significant: int) -> Decimal:
    """``mag`` to ``significant`` significant digits (half even), trailing zeros kept."""
    return round(mag, significant - mag.adjusted() - 1) if mag else mag


@functools.cache
def words(lang: str = "en") -> Words:
    """The words of ``lang``, read once per process (about 2 ms for a catalogue: a cache of
    the entries saved nothing measurable on a warm ``status``)."""
    path = LOCALE / f"{lang}.po"
    if not path.is_file():
        raise KeyError(f"no catalogue for language {lang!r}")
    return Words(lang, read_po(path))


# Chinese units of the data the catalogues name in each language (``26 bn jin``, ``2 M mu``).
_RENDERED_UNITS = {"斤": "jin", "jin": "jin", "亩": "mu", "mu": "mu"}


def _unit_code(unit: str) -> str:
    """The code of a unit's catalogue entry: the quantity's canonical name, or the renderer's
    own name of a Chinese unit (``斤``: ``jin``)."""
    return _RENDERED_UNITS.get(unit, unit)
