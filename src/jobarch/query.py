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

import multiprocessing
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Iterator

from pyparsing import ParseException, ParseResults
from rdflib import Literal, URIRef
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Identifier

from .errors import JobarchError, QueryTimeout, Location
from .namespaces import PREFIXES
from .resources import resource_dir
from .store import QueryResult, Store

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
        import difflib
        close = difflib.get_close_matches(name, list(queries), n=3)
        raise JobarchError(f"no named query {name!r}",
                           hint=("did you mean: " + ", ".join(close)) if close else "list them with: jobarch queries")
    return queries[name]


def bind_params(nq: NamedQuery, raw: dict[str, str]) -> dict[str, Identifier]:
    """Turn ``key=value`` strings into typed RDF terms, with defaults; unknown or missing names are errors."""
    known = {p.name: p for p in nq.params}
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise JobarchError(f"query {nq.name!r} has no parameter {unknown[0]!r}",
                           hint="its parameters: " + (", ".join(known) or "none"))
    bound: dict[str, Identifier] = {}
    for param in nq.params:
        value = raw.get(param.name, param.default)
        if value is None:
            raise JobarchError(f"query {nq.name!r} needs --param {param.name}=...",
                               hint=param.doc or f"a {param.type}")
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


# ---------------------------------------------------------------------------
# Safety: read-only, no SERVICE unless allowed, no FROM (it would fetch URLs)
# ---------------------------------------------------------------------------

def with_standard_prefixes(text: str) -> str:
    """Declare the usual prefixes (ja, skos, prov, dct, rdf, rdfs, owl, xsd, schema, esco) a query leaves undeclared.

    Analysts can write ``ja:code`` without a PREFIX line on every backend; a
    query's own declarations come later in the text and so take precedence.
    """
    declared = {m.lower() for m in re.findall(r"(?i)\bPREFIX\s+([\w.-]*):", text)}
    header = " ".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items() if p.lower() not in declared)
    return f"{header}\n{text}" if header else text


def check_query(text: str, *, allow_service: bool = False, source: str = "query") -> Query:
    """Parse and vet an analyst's query; errors name ``source:line:col``."""
    try:
        tree = parseQuery(text)
    except ParseException as exc:
        if _is_update(text):
            raise JobarchError("updates are refused: jobarch runs queries read-only",
                               hint="change the Turtle files instead, then reload") from None
        raise JobarchError(f"syntax error in SPARQL: {exc.msg}", Location(Path(source), exc.lineno, exc.col)) from None
    names = set(_node_names(tree))
    if "ServiceGraphPattern" in names and not allow_service:
        raise JobarchError("SERVICE is refused: it would send data to another endpoint",
                           hint="pass --allow-service if you mean it")
    if "datasetClause" in tree[1]:
        raise JobarchError("FROM / FROM NAMED is refused: it would fetch data from a URL",
                           hint="load the data with --data instead")
    try:
        return translateQuery(tree, initNs=PREFIXES)
    except Exception as exc:  # rdflib rejects some well-formed but invalid queries at this stage
        raise JobarchError(f"invalid SPARQL: {exc}", Location(Path(source))) from None


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
        return True
    except ParseException:
        return False


def _node_names(node) -> Iterator[str]:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item.name
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, ParseResults)):
            stack.extend(item)


def run_query(store: Store, text: str, bindings: dict[str, Identifier] | None = None, *,
              allow_service: bool = False, timeout: float | None = 60.0, source: str = "query") -> QueryResult:
    """Vet and run a query on a store, stopping it after ``timeout`` seconds (None: no limit)."""
    check_query(text, allow_service=allow_service, source=source)
    text = with_standard_prefixes(text)
    if not timeout:
        return store.query(text, bindings)
    task, start = store.query_task(text, bindings)
    return run_with_timeout(task, timeout, what=f"query {source}", start=start)


def _worker(task, send) -> None:
    try:
        send.send(("ok", task()))
    except JobarchError as exc:
        send.send(("jobarch", (exc.message, exc.location, exc.hint)))
    except BaseException as exc:  # report, do not hang the parent
        send.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        send.close()


def run_with_timeout(task, timeout: float, what: str, start: str = "fork"):
    """Run ``task`` in a worker process and kill it after ``timeout`` seconds.

    rdflib and pyoxigraph cannot interrupt a running query, so a runaway one is
    stopped by ending the process that runs it; the result comes back pickled.
    ``start`` is the multiprocessing start method: ``fork`` shares the
    parent's memory (an in-memory store), ``forkserver`` needs a picklable
    task but inherits nothing.
    """
    if start not in multiprocessing.get_all_start_methods():  # no fork (Windows): run in process, without a limit
        return task()
    ctx = multiprocessing.get_context(start)
    if start == "forkserver":
        ctx.set_forkserver_preload(["jobarch.store_oxigraph"])  # workers start with the imports done
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_worker, args=(task, send), daemon=True)
    proc.start()
    send.close()
    try:
        if not receive.poll(timeout):
            raise QueryTimeout(f"{what} took longer than {timeout:g} s and was stopped",
                               hint="raise the limit with --timeout, or make the query more selective")
        status, payload = receive.recv()
    except EOFError:
        raise JobarchError(f"{what} failed: the worker process ended without an answer") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
    if status == "ok":
        return payload
    if status == "jobarch":
        raise JobarchError(*payload)
    raise JobarchError(f"{what} failed: {payload}")
