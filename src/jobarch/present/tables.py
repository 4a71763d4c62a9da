"""One table, written for every reader: a rich table on a terminal, CSV, TSV, Markdown or JSON.

Every command that prints rows builds a :class:`Table` and calls
:func:`render` or :func:`print_table`, so the formats behave the same
everywhere (and data is sanitised in one place, see :mod:`jobarch.present.text`).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from ..core.text import markdown_cell, terminal_safe

FORMATS = ("table", "csv", "tsv", "md", "json")


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    title: str | None = None
    caption: str | None = None
    show_lines: bool = False  # a rule between rows (multi-line cells)
    row_headers: bool = False  # the first column names the row (bold on a terminal)


def render(table: Table, fmt: str) -> str:
    """The table as CSV, TSV, Markdown or JSON text (``table`` renders as Markdown when not on a terminal)."""
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(table.headers)
        for row in table.rows:
            writer.writerow([cell.replace("\t", " ").replace("\n", " ") if fmt == "tsv" else cell for cell in row])
        return buffer.getvalue()
    if fmt == "json":
        records = [dict(zip(table.headers, row, strict=True)) for row in table.rows]
        return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    if fmt in ("md", "table"):
        lines = ["| " + " | ".join(markdown_cell(h) for h in table.headers) + " |", "|" + "---|" * len(table.headers)]
        for row in table.rows:
            cells = [
                f"**{markdown_cell(c)}**" if i == 0 and table.row_headers and c else markdown_cell(c)
                for i, c in enumerate(row)
            ]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines) + "\n"
    raise ValueError(f"unknown table format {fmt!r}")


def to_rich(table: Table) -> Any:
    """A rich Table whose cells are plain text: markup and escapes in data are shown, never interpreted."""
    from rich.table import Table as RichTable
    from rich.text import Text

    out = RichTable(title=Text(terminal_safe(table.title)) if table.title else None, show_lines=table.show_lines)
    for i, header in enumerate(table.headers):
        out.add_column(
            Text(terminal_safe(header)), overflow="fold", style="bold" if i == 0 and table.row_headers else None
        )
    for row in table.rows:
        out.add_row(*(Text(terminal_safe(cell)) for cell in row))
    if table.caption:
        out.caption = Text(terminal_safe(table.caption))
    return out


def emit(text: str, nl: bool = True) -> None:
    """Print data on standard output. On a terminal its control characters (ESC, OSC, C1, bidi overrides, which
    a label can hold) are shown as escapes, never acted on; a pipe or a file gets the bytes as they are."""
    import sys

    import click

    click.echo(terminal_safe(text) if sys.stdout.isatty() else text, nl=nl)


def print_table(table: Table, fmt: str = "table", console: Any = None) -> None:
    """Print on standard output: a rich table for ``table``, otherwise the text format."""

    if fmt == "table":
        from rich.console import Console

        (console or Console()).print(to_rich(table))
    else:
        emit(render(table, fmt), nl=False)
