"""Data as safe text, for every layer that prints it.

For a terminal, no escape in data is ever acted on; for Markdown, no raw HTML
passes and no table breaks.
"""

from __future__ import annotations

import re

# C0 and C1 control characters other than tab and newline, DEL, and the bidi overrides that reorder what a reader sees.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}"


def terminal_safe(value: str) -> str:
    """Control characters (ESC, OSC 8 hyperlinks, bidi overrides) shown as escapes instead of acted on."""
    return _CONTROL.sub(_visible, value)


def table_cell(value: str, newline: str = " ") -> str:
    """A value fit for a pipe table cell: pipes escaped, newlines replaced."""
    return value.replace("|", "\\|").replace("\n", newline)


def markdown_cell(value: str) -> str:
    """A value fit for a Markdown table cell: pipes escaped, line breaks as <br>, HTML shown as text."""
    return table_cell(markdown_text(value), "<br>")


def markdown_text(value: str) -> str:
    """Prose fit for Markdown: tags shown as text (``<`` and ``>`` escaped), control characters as escapes."""
    return terminal_safe(value).replace("<", "&lt;").replace(">", "&gt;")
