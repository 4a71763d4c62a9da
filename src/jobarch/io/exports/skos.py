"""``export skos``: the taxonomy (functions › families › foci › profiles) and the skills as SKOS concept schemes.

The graph must pass qSKOS-style integrity checks (``queries/checks/skos.rq``)
before it is written.
"""

from __future__ import annotations

from collections.abc import Iterable

from ...core.errors import JobarchError
from ...core.namespaces import PREFIX_IRIS
from ...graph.triples import Triple
from ...graph.turtle import canonical_turtle_from
from ...query import bundled
from ...store import Store, scratch_store

DESCRIPTION = "the taxonomy and the skills as SKOS concept schemes (Turtle)"


def skos_triples(store: Store) -> list[Triple]:
    return store.construct(bundled("export", "skos"))


def skos_problems(triples: Iterable[Triple]) -> list[tuple[str, str]]:
    """qSKOS-style integrity problems of SKOS triples (empty: they pass), checked in a scratch Oxigraph store."""
    found = scratch_store(triples).values(bundled("checks", "skos"))
    problem, concept = found.column("problem"), found.column("concept")
    return [(row[problem] or "", row[concept] or "") for row in found.rows]


def export(store: Store) -> str:
    triples = skos_triples(store)
    problems = skos_problems(triples)
    if problems:
        raise JobarchError(
            f"the SKOS export fails its integrity checks: {problems[0][0]} ({problems[0][1]})",
            hint=f"{len(problems)} problem(s); run jobarch validate",
        )
    return canonical_turtle_from(triples, PREFIX_IRIS, ["# SKOS export of a jobarch architecture."])
