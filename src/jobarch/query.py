"""Named SPARQL queries: the files in ``queries/`` and their header comments.

A query file opens with comment lines that say what it is::

    # name: profiles_at_level
    # description: All profiles at a level, across functions.
    # param: level string (required) -- the level code, e.g. M2
    # param: track string = P -- a track code

Parameters are bound into the query as variables of the same name (never
pasted into the text), typed by the header.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .errors import JobarchError
from .resources import resource_dir

_HEADER = re.compile(r"^#\s*(name|description|param|example):\s*(.*)$")
_PARAM = re.compile(r"^(?P<name>\w+)\s+(?P<type>\w+)\s*(?:\((?P<required>required)\)|=\s*(?P<default>\S+))?\s*(?:--\s*(?P<doc>.*))?$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    required: bool = False
    default: str | None = None
    doc: str = ""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    text: str
    path: Path
    params: tuple[Param, ...] = field(default_factory=tuple)
    examples: tuple[str, ...] = field(default_factory=tuple)


def parse_query_file(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    name, description, params, examples = path.stem, "", [], []
    for lineno, line in enumerate(text.splitlines(), 1):
        match = _HEADER.match(line.strip())
        if not match:
            if line.strip() and not line.lstrip().startswith("#"):
                break
            continue
        key, value = match.group(1), match.group(2).strip()
        if key == "name":
            name = value
        elif key == "description":
            description = value
        elif key == "example":
            examples.append(value)
        else:
            pm = _PARAM.match(value)
            if not pm:
                raise JobarchError(f"bad parameter header {value!r}", hint="write '# param: NAME TYPE (required) -- doc' or '# param: NAME TYPE = DEFAULT -- doc'")
            params.append(Param(pm["name"], pm["type"], bool(pm["required"]), pm["default"], (pm["doc"] or "").strip()))
    return NamedQuery(name, description, text, path, tuple(params), tuple(examples))


@cache
def internal(name: str) -> str:
    """The text of a query jobarch itself runs (``queries/internal/NAME.rq``)."""
    return (resource_dir("queries") / "internal" / f"{name}.rq").read_text(encoding="utf-8")
