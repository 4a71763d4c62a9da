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
from decimal import Decimal
from functools import cache
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from ..core.errors import JobarchError, did_you_mean
from ..core.resources import bundled_query as bundled
from ..core.resources import resource_dir

_HEADER = re.compile(r"^#\s*(name|description|param|example):\s*(.*)$")
_PARAM = re.compile(
    r"^(?P<name>\w+)\s+(?P<type>\w+)\s*(?:\((?P<required>required)\)|=\s*(?P<default>\S+))?\s*(?:--\s*(?P<doc>.*))?$"
)


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
    for line in text.splitlines():
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
                raise JobarchError(
                    f"bad parameter header {value!r}",
                    hint="write '# param: NAME TYPE (required) -- doc' or '# param: NAME TYPE = DEFAULT -- doc'",
                )
            params.append(Param(pm["name"], pm["type"], bool(pm["required"]), pm["default"], (pm["doc"] or "").strip()))
    return NamedQuery(name, description, text, path, tuple(params), tuple(examples))


@cache
def internal(name: str) -> str:
    """The text of a query jobarch itself runs (``queries/internal/NAME.rq``)."""
    return bundled("internal", name)


# ---------------------------------------------------------------------------
# The library of named queries
# ---------------------------------------------------------------------------

PARAM_TYPES = ("string", "integer", "decimal", "boolean", "iri")


@cache
def named_queries() -> dict[str, NamedQuery]:
    """The analyst-facing queries in ``queries/*.rq``, by name."""
    found = {}
    for path in sorted(resource_dir("queries").glob("*.rq")):
        nq = parse_query_file(path)
        found[nq.name] = nq
    return found


def find_query(name: str) -> NamedQuery:
    queries = named_queries()
    if name not in queries:
        raise JobarchError(
            f"no named query {name!r}",
            hint=did_you_mean(name, list(queries), n=3, cutoff=0.6) or "list them with: jobarch queries",
        )
    return queries[name]


def bind_params(nq: NamedQuery, raw: dict[str, str]) -> dict[str, Identifier]:
    """Turn ``key=value`` strings into typed RDF terms, with defaults; unknown or missing names are errors."""
    known = {p.name: p for p in nq.params}
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise JobarchError(
            f"query {nq.name!r} has no parameter {unknown[0]!r}", hint="its parameters: " + (", ".join(known) or "none")
        )
    bound: dict[str, Identifier] = {}
    for param in nq.params:
        value = raw.get(param.name, param.default)
        if value is None and not param.required:
            continue  # an optional parameter left out stays unbound
        if value is None:
            raise JobarchError(f"query {nq.name!r} needs --param {param.name}=...", hint=param.doc or f"a {param.type}")
        bound[param.name] = typed_term(param.name, param.type, value)
    return bound


def typed_term(name: str, kind: str, value: str) -> Identifier:
    """A parameter value as an RDF term of its declared type; it is bound, never pasted into the query."""
    try:
        if kind == "string":
            return Literal(value)
        if kind == "integer":
            return Literal(int(value))
        if kind == "decimal":
            return Literal(Decimal(value))
        if kind == "boolean":
            if value.lower() not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError(value)
            return Literal(value.lower() in ("true", "1", "yes"))
        if kind == "iri":
            if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*$", value):
                raise ValueError(value)
            return URIRef(value)
    except (ValueError, ArithmeticError):
        raise JobarchError(f"parameter {name}={value!r} is not a valid {kind}") from None
    raise JobarchError(f"parameter {name} has unknown type {kind!r}", hint=f"types: {', '.join(PARAM_TYPES)}")
