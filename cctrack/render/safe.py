"""User text made safe for each output: the terminal, Markdown cells and CSV cells.

Names, titles, notes and reasons come from data files anyone can edit. Printed raw they could
move the cursor, retitle the terminal (ESC sequences), break out of a Markdown table into a
heading and a link in a CI summary, or run as a formula in a spreadsheet. Rich markup is never
an issue here: every renderer hands user text to Rich as :class:`rich.text.Text`, never as markup.
The HTML report escapes with :func:`html.escape` (cctrack.render.html).
"""

from __future__ import annotations

import re

# C0 and C1 control characters, DEL, and the Unicode line and paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    return " " if char in "\n\r\t\u2028\u2029" else f"\\x{ord(char):02x}"


def terminal(text: str) -> str:
    """Text for a terminal line: control characters written out (``\\x1b``), line breaks and
    tabs as spaces, so one cell stays one line and nothing reaches the terminal as a command."""
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
