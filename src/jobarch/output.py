"""Query results for people (rich tables, Markdown) and machines (CSV, TSV, SPARQL JSON, RDF)."""
from __future__ import annotations

import csv
import io
import json

from rdflib import BNode, URIRef
from rdflib.namespace import XSD

from .namespaces import PREFIX_IRIS
from .store import QueryResult

SELECT_FORMATS = ("table", "csv", "tsv", "json", "md")
GRAPH_FORMATS = ("turtle", "json-ld", "nt")


def _plain(term) -> str:
    return "" if term is None else str(term)


def term_binding(term) -> dict[str, str]:
    """One bound term as the SPARQL results formats describe it: type, value, and a literal's language or datatype."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    entry = {"type": "literal", "value": str(term)}
    if term.language:
        entry["xml:lang"] = term.language
    elif term.datatype and term.datatype != XSD.string:
        entry["datatype"] = str(term.datatype)
    return entry


def sparql_json(result: QueryResult) -> str:
    """The W3C SPARQL 1.1 Query Results JSON format."""
    if result.kind == "ASK":
        return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
    bindings = [{var: term_binding(term) for var, term in zip(result.vars, row) if term is not None} for row in result.rows]
    return json.dumps({"head": {"vars": result.vars}, "results": {"bindings": bindings}},
                      indent=2, ensure_ascii=False) + "\n"


def delimited(result: QueryResult, delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(result.vars)
    for row in result.rows:
        writer.writerow([_plain(t).replace("\t", " ") if delimiter == "\t" else _plain(t) for t in row])
    return buffer.getvalue()


def markdown(result: QueryResult) -> str:
    def cell(term) -> str:
        return _plain(term).replace("|", "\\|").replace("\n", " ")
    lines = ["| " + " | ".join(result.vars) + " |", "|" + "---|" * len(result.vars)]
    lines += ["| " + " | ".join(cell(t) for t in row) + " |" for row in result.rows]
    return "\n".join(lines) + "\n"


def rich_table(result: QueryResult, title: str | None = None):
    from rich.table import Table
    table = Table(title=title, show_lines=False)
    for var in result.vars:
        table.add_column(var, overflow="fold")
    for row in result.rows:
        table.add_row(*(_plain(t) for t in row))
    table.caption = f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}"
    return table


def serialize_graph(graph, fmt: str) -> str:
    """A graph as Turtle, N-Triples, RDF/XML or JSON-LD, with jobarch's prefixes (JSON-LD: as its compact @context)."""
    for prefix, ns in PREFIX_IRIS.items():
        graph.bind(prefix, ns, override=False)
    if fmt == "json-ld":
        return graph.serialize(format="json-ld", context=dict(PREFIX_IRIS), auto_compact=True)
    return graph.serialize(format=fmt)


def render_result(result: QueryResult, fmt: str) -> str:
    """Text for every format but the rich table (which prints itself)."""
    if result.kind in ("CONSTRUCT", "DESCRIBE"):
        return serialize_graph(result.graph, fmt if fmt in GRAPH_FORMATS else "turtle")
    if result.kind == "ASK":
        return sparql_json(result) if fmt == "json" else ("true\n" if result.boolean else "false\n")
    if fmt == "json":
        return sparql_json(result)
    if fmt == "csv":
        return delimited(result, ",")
    if fmt == "tsv":
        return delimited(result, "\t")
    if fmt == "md":
        return markdown(result)
    raise ValueError(fmt)


__all__ = ["SELECT_FORMATS", "GRAPH_FORMATS", "render_result", "rich_table", "serialize_graph", "sparql_json"]
