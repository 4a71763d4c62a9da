"""Errors a user can act on.

Every problem caused by input (a file that does not parse, a missing code, a
bad option) is raised as :class:`JobarchError` so that the CLI can print it as
``path:line:col: message`` and exit 2 instead of showing a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """Where something is in a curator's file; line and column are 1-based."""

    path: Path
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        parts = [str(self.path)]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)


class JobarchError(Exception):
    """An input problem, reported to the user without a traceback (exit status 2)."""

    exit_code = 2

    def __init__(self, message: str, location: Location | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        return f"{text}\n  hint: {self.hint}" if self.hint else text


class QueryLimitError(JobarchError):
    """A query stopped at one of its resource limits, time or memory (the SPARQL endpoint answers 503, not 400)."""


class QueryTimeoutError(QueryLimitError):
    """A query stopped at its time limit."""


def closest(word: str, choices: list[str], n: int = 5, cutoff: float = 0.5) -> list[str]:
    """The choices closest to a mistyped name (codes, query names), best first."""
    import difflib

    return difflib.get_close_matches(word, choices, n=n, cutoff=cutoff)


def did_you_mean(word: str, choices: list[str], n: int = 5, cutoff: float = 0.5) -> str | None:
    """A hint naming the closest choices to a mistyped name, or None when none is close."""
    close = closest(word, choices, n, cutoff)
    return ("did you mean: " + ", ".join(close)) if close else None
