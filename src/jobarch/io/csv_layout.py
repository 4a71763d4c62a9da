"""The flat CSV layout of profiles: what ``export csv`` writes and ``import csv`` reads back, and the one
way jobarch writes any spreadsheet cell.

One row per profile; list columns (aliases, responsibilities, skills,
sources, quality ``Dimension=score``, mappings ``Scheme:code:source[:confidence]``)
join their items with :data:`LIST_SEPARATOR`.

A cell a spreadsheet would run as a formula (one beginning ``=``, ``+``,
``-``, ``@``, a tab or a carriage return: OWASP's CSV injection) is written
with a leading apostrophe, which spreadsheets show as text; ``import csv``
takes it off again, so the round trip loses nothing (:func:`neutralise`,
:func:`restore`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

COLUMNS = [
    "code",
    "title",
    "definition",
    "status",
    "function_code",
    "function",
    "family_code",
    "family",
    "focus_code",
    "focus",
    "level_code",
    "level",
    "track",
    "grade",
    "min_years",
    "max_years",
    "aliases",
    "responsibilities",
    "skills",
    "sources",
    "quality",
    "mappings",
]
REQUIRED = ["code", "function_code", "family_code", "focus_code", "level_code"]
LIST_SEPARATOR = " | "


def join_items(items: list[str]) -> str:
    return LIST_SEPARATOR.join(items)


def split_items(cell: str | None) -> list[str]:
    return [part.strip() for part in (cell or "").split(LIST_SEPARATOR) if part.strip()]


# A value that starts, after any apostrophes, with a character a spreadsheet reads as a formula. Counting the
# apostrophes makes neutralise/restore exact inverses: "'=x" is written "''=x" and read back as "'=x".
_FORMULA = re.compile(r"'*[=+\-@\t\r]")


def neutralise(value: str) -> str:
    """A cell as written to any CSV or TSV: a would-be formula gets a leading apostrophe."""
    return "'" + value if _FORMULA.match(value) else value


def restore(value: str) -> str:
    """A cell as read from jobarch's CSV: the apostrophe :func:`neutralise` added is taken off."""
    return value[1:] if value.startswith("'") and _FORMULA.match(value, 1) else value


def csv_text(rows: Iterable[Sequence[str]], *, line_end: str = "\n") -> str:
    """Rows as CSV text, every cell neutralised (quoting keeps commas, quotes and line breaks inside a cell)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=line_end).writerows([neutralise(str(cell)) for cell in row] for row in rows)
    return buffer.getvalue()


def tsv_cell(value: str) -> str:
    """A cell of a plain TSV (SSSOM): neutralised, with tabs and line breaks turned to spaces, so a value can
    never start a column or a row of its own."""
    return neutralise(re.sub(r"[\t\n\r\v\f\x85\u2028\u2029]", " ", value))
