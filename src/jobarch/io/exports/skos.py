"""``export skos``: the taxonomy (functions › families › foci › profiles) and the skills as SKOS concept schemes.

The graph must pass qSKOS-style integrity checks (``queries/checks/skos.rq``)
before it is written.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from ...core.errors import JobarchError
from ...core.namespaces import PREFIX_IRIS
from ...graph.terms import parse_ntriples
from ...graph.triples import Triple
from ...graph.turtle import canonical_turtle_from
from ...query import bundled
from ...store import Store

DESCRIPTION = "the taxonomy and the skills as SKOS concept schemes (Turtle)"


def skos_triples(store: Store) -> list[Triple]:
    return store.construct(bundled("export", "skos"))


def skos_problems(triples: Iterable[Triple]) -> list[tuple[str, str]]:
    """qSKOS-style integrity problems of SKOS triples (empty: they pass), checked in a scratch Oxigraph store."""
    scratch = ox.Store()
    scratch.bulk_extend(parse_ntriples(triples))
    solutions = scratch.query(bundled("checks", "skos"))
    assert isinstance(solutions, ox.QuerySolutions)
    return [(s["problem"].value, s["concept"].value) for s in solutions]


def export(store: Store) -> str:
    triples = skos_triples(store)
    problems = skos_problems(triples)
    if problems:
        raise JobarchError(
            f"the SKOS export fails its integrity checks: {problems[0][0]} ({problems[0][1]})",
            hint=f"{len(problems)} problem(s); run jobarch validate",
        )
    return canonical_turtle_from(triples, PREFIX_IRIS, ["# SKOS export of a jobarch architecture."])
