"""``export skos``: the taxonomy (functions › families › foci › profiles) and the skills as SKOS concept schemes.

The graph must pass qSKOS-style integrity checks (``queries/checks/skos.rq``)
before it is written.
"""

from __future__ import annotations

from rdflib import Graph

from ...core.errors import JobarchError
from ...core.namespaces import PREFIX_IRIS
from ...graph.turtle import canonical_turtle
from ...query import bundled
from ...store import Store

DESCRIPTION = "the taxonomy and the skills as SKOS concept schemes (Turtle)"


def skos_graph(store: Store) -> Graph:
    result = store.query(bundled("export", "skos"))
    return result.graph if result.graph is not None else Graph()


def skos_problems(graph: Graph) -> list[tuple[str, str]]:
    """qSKOS-style integrity problems of a SKOS graph (empty: it passes)."""
    return [(str(r[0]), str(r[1])) for r in graph.query(bundled("checks", "skos"))]  # type: ignore[index]


def export(store: Store) -> str:
    graph = skos_graph(store)
    problems = skos_problems(graph)
    if problems:
        raise JobarchError(
            f"the SKOS export fails its integrity checks: {problems[0][0]} ({problems[0][1]})",
            hint=f"{len(problems)} problem(s); run jobarch validate",
        )
    return canonical_turtle(graph, PREFIX_IRIS, ["# SKOS export of a jobarch architecture."])
