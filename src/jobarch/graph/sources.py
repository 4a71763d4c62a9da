"""The architecture's files: which files are RDF, and parsing one with rdflib into a graph.

Parsing never fetches anything: files are read and decoded here, then handed
to rdflib as text, and JSON-LD documents that point to a remote ``@context``
are refused. Every syntax error carries ``path:line:col``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph, URIRef

from ..core.errors import JobarchError, Location
from ..core.files import read_text
from .terms import rdflib_to_ntriples, triple_from_ox
from .triples import Triple

#: File extensions read as RDF, and the rdflib parser of each.
FILE_FORMATS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json-ld": "json-ld",
}
#: The formats whose text the line scanner (:mod:`jobarch.graph.lines`) can read.
LINE_FORMATS = {"turtle", "nt", "trig"}


def file_format(path: Path) -> str | None:
    return FILE_FORMATS.get(path.suffix.lower())


def graph_iri(path: Path) -> str:
    """The named graph a file's triples live in: the file's own URI."""
    return path.resolve().as_uri()


def discover(paths: Iterable[Path | str]) -> list[Path]:
    """The RDF files named by ``paths``: files as given, directories walked in sorted order.

    Hidden files and directories are skipped; other files in a directory are
    ignored unless their extension is an RDF one. A file named explicitly must
    have an RDF extension.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise JobarchError("no such file or directory", Location(path))
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if not p.is_dir()  # a FIFO or device named .ttl is found, and then refused when read
                and p.suffix.lower() in FILE_FORMATS
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not files:
                raise JobarchError(
                    "no RDF files found in this directory",
                    Location(path),
                    hint=f"jobarch reads files ending in {', '.join(sorted(FILE_FORMATS))}",
                )
            found.extend(files)
        elif path.suffix.lower() not in FILE_FORMATS:
            raise JobarchError(
                f"not an RDF file (unknown extension {path.suffix or '(none)'!r})",
                Location(path),
                hint=f"jobarch reads files ending in {', '.join(sorted(FILE_FORMATS))}",
            )
        else:
            found.append(path)
    seen: set[Path] = set()
    unique = []
    for p in found:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def parse_file(path: Path, text: str | None = None) -> Graph:
    """Parse one file into a fresh graph named by the file's URI; errors carry path:line:col."""
    fmt = file_format(path)
    if fmt is None:
        raise JobarchError(f"not an RDF file (unknown extension {path.suffix!r})", Location(path))
    if text is None:
        text = read_text(path)
    uri = graph_iri(path)
    if fmt == "json-ld":
        _check_json_ld(path, text)
    if fmt in _OXIGRAPH_SYNTAX:
        return _parse_with_oxigraph(path, text, fmt, uri)
    parsed = Graph(identifier=URIRef(uri))  # JSON-LD, after _check_json_ld: through rdflib, fetching nothing
    try:
        parsed.parse(data=text, format=fmt, publicID=uri)
    except JobarchError:
        raise
    except Exception as exc:  # rdflib raises many types; each becomes path:line where it says one
        raise syntax_error(path, exc) from None
    _check_iris(path, parsed)
    return parsed


#: What an IRI may not hold (RFC 3987): rdflib's JSON-LD parser lets these through, and every store refuses them.
_NOT_IN_IRIS = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _check_iris(path: Path, graph: Graph) -> None:
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef) and _NOT_IN_IRIS.search(term):
                raise JobarchError(
                    f"not an IRI: {str(term)!r} (spaces, quotes, <, >, braces, |, ^, ` and \\ are not allowed)",
                    Location(path),
                    hint="percent-encode the character (a space is %20, a quote %22)",
                )


def file_triples(path: Path, text: str, base: str | None = None) -> list[Triple]:
    """A file's triples as N-Triples text, read against ``base`` (default: the file's own URI), errors at
    ``path:line:col``. Turtle, N-Triples and TriG go through Oxigraph (lexical forms kept, no Python object per
    term); JSON-LD through :func:`parse_file`."""
    fmt = file_format(path)
    if fmt in _OXIGRAPH_SYNTAX:
        import pyoxigraph as ox

        syntax = getattr(ox.RdfFormat, _OXIGRAPH_SYNTAX[fmt])
        try:
            return [
                (str(q.subject), str(q.predicate), str(q.object))
                for q in ox.parse(text.encode("utf-8"), syntax, base_iri=base or graph_iri(path))
            ]
        except SyntaxError as exc:
            raise oxigraph_syntax_error(path, exc) from None
    return [rdflib_to_ntriples(t) for t in parse_file(path, text)]


_PREFIX = re.compile(r"^[ \t]*(?:@prefix|PREFIX)[ \t]+([A-Za-z][\w.-]*)?:[ \t]*<([^>]*)>", re.M | re.I)


def bind_declared_prefixes(graph: Graph, texts: Iterable[str]) -> None:
    """Bind the prefixes the files declare, the first declaration of a prefix or namespace winning.

    Every curie jobarch shows (a finding's node, a path) is written with
    these, whichever engine found it and whatever rdflib bound by default.
    """
    declared: dict[str, str] = {}
    for text in texts:
        for prefix, namespace in _PREFIX.findall(text):
            if prefix not in declared and namespace not in declared.values():
                declared[prefix] = namespace
                graph.bind(prefix, namespace, override=True, replace=True)


#: JSON-LD nesting jobarch reads: Python's JSON parser and rdflib's JSON-LD parser recurse on depth.
MAX_JSON_DEPTH = 256


def _json_too_deep(path: Path, text: str) -> JobarchError | None:
    """Where a JSON document first nests deeper than :data:`MAX_JSON_DEPTH` (scanned without recursion)."""
    depth, in_string, escaped = 0, False, False
    for position, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                line = text.count("\n", 0, position) + 1
                col = position - (text.rfind("\n", 0, position) + 1) + 1
                return JobarchError(
                    f"JSON-LD nested deeper than {MAX_JSON_DEPTH} levels",
                    Location(path, line, col),
                    hint="flatten the document (give nested nodes an @id at the top level)",
                )
        elif char in "]}":
            depth -= 1
    return None


def _check_json_ld(path: Path, text: str) -> None:
    too_deep = _json_too_deep(path, text)
    if too_deep is not None:
        raise too_deep
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise JobarchError(f"invalid JSON: {exc.msg}", Location(path, exc.lineno, exc.colno)) from None
    except ValueError as exc:  # Python refuses integers of more than 4,300 digits (a denial of service otherwise)
        raise JobarchError(
            f"invalid JSON: {str(exc).split(';')[0]}", Location(path), hint="write such a number as a string"
        ) from None
    stack = [doc]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "@import" in item:  # JSON-LD 1.1: rdflib would fetch it (a URL, a local file, a relative path)
                raise JobarchError(
                    f"JSON-LD @import {item['@import']!r} is not fetched",
                    Location(path),
                    hint="inline the imported context in the document",
                )
            ctx = item.get("@context")
            remote = [c for c in (ctx if isinstance(ctx, list) else [ctx]) if isinstance(c, str)]
            if remote:
                raise JobarchError(
                    f"remote JSON-LD context {remote[0]!r} is not fetched",
                    Location(path),
                    hint="inline the context in the document",
                )
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


_OXIGRAPH_SYNTAX = {"turtle": "TURTLE", "nt": "N_TRIPLES", "trig": "TRIG"}
_POSITION = re.compile(
    r"^Parser error (?:at line \d+ (?:between columns \d+ and \d+|column \d+)"
    r"|between line \d+ column \d+ and line \d+ column \d+): "
)


def _parse_with_oxigraph(path: Path, text: str, fmt: str, uri: str) -> Graph:
    """Turtle, N-Triples and TriG through Oxigraph's parser: it places errors exactly, does not recurse on nesting
    (rdflib's parser fails at a few hundred nested ``[ ]``) and is faster; the triples become rdflib terms with
    their lexical forms as written. A TriG file's graphs are flattened into the file's graph."""
    import pyoxigraph as ox

    graph = Graph(identifier=URIRef(uri))
    quads = ox.parse(text.encode("utf-8"), getattr(ox.RdfFormat, _OXIGRAPH_SYNTAX[fmt]), base_iri=uri)
    try:
        graph.addN((*triple_from_ox(quad), graph) for quad in quads)
    except SyntaxError as exc:
        raise oxigraph_syntax_error(path, exc) from None
    for prefix, namespace in quads.prefixes.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def oxigraph_syntax_error(path: Path, exc: SyntaxError) -> JobarchError:
    """Oxigraph's parse error (exact line and column) as a JobarchError at ``path:line:col``."""
    why = _POSITION.sub("", exc.msg or str(exc))
    return JobarchError(f"syntax error: {why}", Location(path, exc.lineno, exc.offset), hint=_hint(why))


def syntax_error(path: Path, exc: Exception) -> JobarchError:
    """A parser's error (rdflib's, for the JSON-LD it reads) as a JobarchError at ``path:line`` where it names one.
    Turtle, N-Triples and TriG go through Oxigraph, whose errors carry exact positions (oxigraph_syntax_error)."""
    why = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    match = re.search(r"line (\d+)", str(exc))
    return JobarchError(f"syntax error: {why}", Location(path, int(match.group(1)) if match else None), hint=_hint(why))


def _hint(why: str) -> str | None:
    match = re.search(r'Prefix "([^"]*):" not bound', why) or re.search(
        r"The prefix ([^\s:]*):? has not been declared", why
    )
    if match:
        return f"declare it with '@prefix {match.group(1)}: <...> .' at the top of the file"
    if "newline found in string" in why or "Unexpected end of file" in why or "line jump" in why.lower():
        return 'close the string on the same line, or use """triple quotes""" for text over several lines'
    return None
