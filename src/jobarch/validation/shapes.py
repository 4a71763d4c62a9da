"""The shapes files of ``shapes/`` as one rdflib graph, read once per process, for both engines.

Kept apart from the engines so that the fast path never imports pyshacl.
"""

from __future__ import annotations

from functools import cache

from rdflib import Graph

from ..core.resources import resource_dir


@cache
def shapes_graph() -> Graph:
    """All shape files of ``shapes/`` as one graph."""
    graph = Graph()
    for path in sorted(resource_dir("shapes").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph
