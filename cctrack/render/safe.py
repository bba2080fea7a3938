"""User text made safe for each output: the terminal, Markdown cells and CSV cells.

Names, titles, notes and reasons come from data files anyone can edit. Printed raw they could
move the cursor, retitle the terminal (ESC sequences), break out of a Markdown table into a
heading and a link in a CI summary, or run as a formula in a spreadsheet. Rich markup is never
an issue here: every renderer hands user text to Rich as :class:`rich.text.Text`, never as markup.
The HTML report (its template and its charts) escapes with :func:`html_text`.
"""

from __future__ import annotations

import re
from html import escape

# The bidirectional controls (embeddings, overrides, isolates, marks), which could make a cell
# read in another order than it is stored ("Trojan Source").
_BIDI_CHARS = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
_BIDI = re.compile(f"[{_BIDI_CHARS}]")
# C0 and C1 control characters, DEL, the Unicode line and paragraph separators, and the above.
_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI_CHARS}]")
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# What html_text changes: the characters escape() replaces, and the bidirectional controls
# (``HTML_CHANGES.search(text)``: whether html_text changes ``text``).
HTML_CHANGES = re.compile(f"[&<>\"'{_BIDI_CHARS}]")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char in "\n\r\t\u2028\u2029":
        return " "
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def bidi_visible(text: str) -> str:
    """``text`` with its bidirectional controls written out (``\\u202e``), as every other
    output writes them: for the HTML report, whose escaping leaves them in."""
    return _BIDI.sub(_visible, text)


def html_text(value: object) -> str:
    """Text for an HTML element or a quoted attribute: escaped as the standard library does
    (``&lt;``, ``&quot;``, ``&#x27;``), its bidirectional controls written out. Text with
    none of those characters (most of a report's) is returned as it is, after one search."""
    text = str(value)
    return escape(bidi_visible(text), quote=True) if HTML_CHANGES.search(text) else text


def html_escaped(text: str) -> str:
    """:func:`html_text` of text that ``HTML_CHANGES`` finds something to change in (a caller
    of many texts searches each itself, rather than calling html_text for each)."""
    return escape(bidi_visible(text), quote=True)


def json_escaped(document: str) -> str:
    """A JSON document with its bidirectional controls as JSON escapes (``\\u202e``): the same
    strings to a JSON reader, none of them raw in a terminal or an editor."""
    return _BIDI.sub(lambda m: f"\\u{ord(m.group()):04x}", document)


def terminal(text: str) -> str:
    """Text for a terminal line: control characters written out (``\\x1b``, ``\\u202e``),
    line breaks and tabs as spaces, so one cell stays one line and nothing reaches the
    terminal as a command."""
    return _CONTROL.sub(_visible, text)


def markdown(text: str) -> str:
    """Text for a Markdown table cell: one line, and every character that Markdown or HTML
    would read as syntax escaped with a backslash."""
    return _MARKDOWN.sub(r"\\\1", terminal(text))


def csv_cell(text: str) -> str:
    """Text for a spreadsheet cell: one that would start a formula gets a leading ``'``
    (OWASP's advice against CSV injection); control characters are written out."""
    text = terminal(text)
    return "'" + text if text.startswith(_FORMULA_START) else text
