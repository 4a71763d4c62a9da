"""Compact JSON-LD from N-Triples-text triples: one node object per subject, the prefixes as the inline @context.

Written directly rather than through a JSON-LD processor's compaction,
which takes minutes on a real architecture: the form here is the simple,
fully determined one (node objects in subject order, values sorted, every
literal's lexical form kept as a typed ``@value``), and the tests read it
back with two processors (rdflib and pyld) and compare graphs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from ..core.namespaces import RDF, XSD
from .triples import Triple, literal_parts

_RDF_TYPE = f"<{RDF.type}>"
_XSD_STRING = f"{XSD}string"
# a local part that keeps "prefix:local" a compact IRI for every processor (not "//…", which reads as an IRI)
_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")
_GEN_DELIMS = tuple(":/?#[]@")  # JSON-LD 1.1 uses a simple term as a prefix only when its IRI ends with one
_UNESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(body: str) -> str:
    """An N-Triples string body as the text it stands for."""
    if "\\" not in body:
        return body

    def one(match: re.Match[str]) -> str:
        code = match.group(1) or match.group(2)
        return chr(int(code, 16)) if code else _ECHARS[match.group(3)]

    return _UNESCAPE.sub(one, body)


class _Compactor:
    def __init__(self, prefixes: dict[str, str]):
        usable = {p: ns for p, ns in prefixes.items() if p and ns.endswith(_GEN_DELIMS)}
        self.prefixes = sorted(usable.items(), key=lambda item: -len(item[1]))
        self.used: dict[str, str] = {}

    def iri(self, value: str) -> str:
        for prefix, ns in self.prefixes:
            if value.startswith(ns) and _LOCAL.fullmatch(value[len(ns) :]):
                self.used[prefix] = ns
                return f"{prefix}:{value[len(ns) :]}"
        return value

    def node(self, term: str) -> str:
        return term if term.startswith("_:") else self.iri(term[1:-1])

    def value(self, term: str) -> Any:
        if term[0] != '"':
            return {"@id": self.node(term)}
        body, language, datatype = literal_parts(term)
        text = _unescape(body)
        if language:
            return {"@value": text, "@language": language}
        if not datatype or datatype == _XSD_STRING:
            return text
        return {"@value": text, "@type": self.iri(datatype)}


def jsonld_text(triples: Iterable[Triple], prefixes: dict[str, str]) -> str:
    """Triples as a compact JSON-LD document (``@context`` with the prefixes used, then ``@graph``)."""
    compactor = _Compactor(prefixes)
    nodes: dict[str, dict[str, list[tuple[str, Any]]]] = {}
    for s, p, o in triples:
        key = "@type" if p == _RDF_TYPE else compactor.iri(p[1:-1])
        value = compactor.node(o) if key == "@type" else compactor.value(o)
        nodes.setdefault(s, {}).setdefault(key, []).append((o, value))
    graph = []
    for subject in sorted(nodes, key=lambda s: (s.startswith("_:"), s)):
        node: dict[str, Any] = {"@id": compactor.node(subject)}
        for key in sorted(nodes[subject], key=lambda k: (k != "@type", k)):
            values = [value for _, value in sorted(nodes[subject][key], key=lambda item: item[0])]
            node[key] = values[0] if len(values) == 1 else values
        graph.append(node)
    context = dict(sorted(compactor.used.items()))
    return json.dumps({"@context": context, "@graph": graph}, indent=2, ensure_ascii=False) + "\n"


__all__ = ["jsonld_text"]
