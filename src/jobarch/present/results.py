"""Query results for people (tables) and machines (the SPARQL 1.1 results formats, RDF syntaxes).

SELECT and ASK answers become SPARQL Results JSON or XML, CSV or TSV, or a
:class:`~jobarch.present.tables.Table` (terminal, Markdown); graphs become
Turtle, N-Triples, JSON-LD or RDF/XML through :mod:`jobarch.graph.serialize`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Literal
from rdflib.term import Node

from ..graph.serialize import serialize_graph
from ..graph.terms import term_ntriples, to_binding
from ..store import QueryResult
from .tables import Table, render

SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml", "md")
GRAPH_FORMATS = ("turtle", "json-ld", "nt", "xml")


def _plain(term: object) -> str:
    return "" if term is None else str(term)


def sparql_json(result: QueryResult) -> str:
    """The W3C SPARQL 1.1 Query Results JSON format."""
    if result.kind == "ASK":
        return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
    bindings = [
        {var: to_binding(term) for var, term in zip(result.vars, row, strict=True) if term is not None}
        for row in result.rows
    ]
    return (
        json.dumps({"head": {"vars": result.vars}, "results": {"bindings": bindings}}, indent=2, ensure_ascii=False)
        + "\n"
    )


def sparql_xml(result: QueryResult) -> str:
    """The W3C SPARQL Query Results XML format."""
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "  <head>"]
    if result.kind == "ASK":
        out += ["  </head>", f"  <boolean>{str(result.boolean).lower()}</boolean>", "</sparql>"]
        return "\n".join(out) + "\n"
    out += [f"    <variable name={quoteattr(v)}/>" for v in result.vars]
    out += ["  </head>", "  <results>"]
    for row in result.rows:
        out.append("    <result>")
        for var, term in zip(result.vars, row, strict=True):
            if term is None:
                continue
            binding = to_binding(term)
            attributes = "".join(
                f" {name}={quoteattr(binding[name])}" for name in ("xml:lang", "datatype") if name in binding
            )
            value = f"<{binding['type']}{attributes}>{escape(binding['value'])}</{binding['type']}>"
            out.append(f"      <binding name={quoteattr(var)}>{value}</binding>")
        out.append("    </result>")
    out += ["  </results>", "</sparql>"]
    return "\n".join(out) + "\n"


def sparql_tsv(result: QueryResult) -> str:
    """The W3C SPARQL 1.1 Query Results TSV format: ``?``-named columns, every term in Turtle syntax."""
    lines = ["\t".join(f"?{v}" for v in result.vars)]
    lines += ["\t".join(_turtle_term(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def sparql_csv(result: QueryResult) -> str:
    """The W3C SPARQL 1.1 Query Results CSV format: plain values, blank nodes as ``_:label``, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.vars)
    writer.writerows(
        [["" if t is None else f"_:{t}" if isinstance(t, BNode) else str(t) for t in row] for row in result.rows]
    )
    return buffer.getvalue()


_XSD = "http://www.w3.org/2001/XMLSchema#"
_TURTLE_SHORT = {
    _XSD + "integer": re.compile(r"[+-]?\d+"),
    _XSD + "decimal": re.compile(r"[+-]?\d*\.\d+"),
    _XSD + "boolean": re.compile(r"true|false"),
}


def _turtle_term(term: Node | None) -> str:
    """A term in Turtle syntax: its N-Triples form, numbers and booleans in Turtle's short form where valid."""
    if term is None:
        return ""
    if isinstance(term, Literal) and not term.language:
        short = _TURTLE_SHORT.get(str(term.datatype))
        if short is not None and short.fullmatch(str(term)):
            return str(term)
    return term_ntriples(term)


def result_table(result: QueryResult) -> Table:
    """A SELECT answer as a table of plain values, with its row count as the caption."""
    rows = [[_plain(t) for t in row] for row in result.rows]
    return Table(list(result.vars), rows, caption=f"{len(rows)} row{'s' if len(rows) != 1 else ''}")


def render_result(result: QueryResult, fmt: str) -> str:
    """Text for every format but the rich table (which prints itself)."""
    if result.kind in ("CONSTRUCT", "DESCRIBE"):
        assert result.graph is not None
        return serialize_graph(result.graph, fmt if fmt in GRAPH_FORMATS else "turtle")
    if result.kind == "ASK":
        if fmt == "json":
            return sparql_json(result)
        return sparql_xml(result) if fmt == "xml" else ("true\n" if result.boolean else "false\n")
    if fmt == "json":
        return sparql_json(result)
    if fmt == "xml":
        return sparql_xml(result)
    return render(result_table(result), fmt)


__all__ = ["GRAPH_FORMATS", "SELECT_FORMATS", "render_result", "result_table", "sparql_json", "sparql_xml"]
