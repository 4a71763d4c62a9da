"""The Python face of every command: what the CLI calls, callable from code.

>>> import jobarch
>>> store = jobarch.open_architecture()            # the bundled sample
>>> page = jobarch.profile_page(store, "MANUFA3.MANUFACT13A2.M2", fmt="text")
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from .config import resolve  # noqa: F401 - also part of the API: where the architecture is
from .load import Architecture, discover, load
from .adjacency import AdjacencyIndex, Neighbour
from .compare import Comparison, compare
from .model import Profile, get_profile
from .query import bind_params, find_query, internal, run_query
from .reasoning import INFERRED_GRAPH, Inference, add_inferences, infer
from .reasoning_store import refresh_inferences
from .render import render_profile
from .errors import JobarchError
from .store import QueryResult, Store, open_store
from .store_oxigraph import OxigraphStore
from .store_sparql import SparqlStore
from .validate import ValidationReport, validate
from .vcs import changed_files


def open_architecture(data: Sequence[str | Path] = (), store: str | None = None, *, reason: bool = False) -> Store:
    """Load the architecture (options, then environment, then jobarch.toml, then the sample) into a store.

    With ``reason``, the OWL-RL inferences are added as their own named graph.
    """
    settings = resolve(data, store)
    backend = open_store(settings.store, settings.graph_store)
    if isinstance(backend, OxigraphStore):
        files = discover(settings.data)
        if reason:  # syncs, then recomputes inferences only if a file changed
            refresh_inferences(backend, files, read_back=False)
        else:
            backend.sync(files)  # Oxigraph parses; unchanged files are not read again
    elif isinstance(backend, SparqlStore):
        if reason:
            arch = load(settings.data)
            backend.put_graph(str(INFERRED_GRAPH), infer(arch).graph.serialize(format="turtle").encode("utf-8"))
    else:
        arch = load(settings.data)
        if reason:
            add_inferences(arch, infer(arch))
        backend.load(arch)
    return backend


def load_into_store(store: str, data: Sequence[str | Path] = ()) -> tuple[Store, int]:
    """Put the architecture's files into a persistent store (Oxigraph on disk, or a SPARQL server); returns files loaded."""
    settings = resolve(data, store)
    backend = open_store(settings.store, settings.graph_store)
    if isinstance(backend, OxigraphStore):
        return backend, len(backend.sync(discover(settings.data)).loaded)
    arch = load(settings.data)
    backend.load(arch)
    return backend, len(arch.files)


def query(store: Store, name: str | None = None, *, text: str | None = None, params: dict[str, str] | None = None,
          allow_service: bool = False, timeout: float | None = 60.0, source: str | None = None) -> QueryResult:
    """Run a named query (typed, bound parameters) or an analyst's own query text, read-only."""
    if name is not None:
        named = find_query(name)
        return run_query(store, named.text, bind_params(named, params or {}), allow_service=allow_service,
                         timeout=timeout, source=str(named.path))
    if params:
        raise JobarchError("--param works with named queries only", hint="write the value into your own query")
    return run_query(store, text or "", None, allow_service=allow_service, timeout=timeout, source=source or "query")


def reason(data: Sequence[str | Path] = (), engine: str = "auto", store: str | None = None) -> Inference:
    """The data-level OWL-RL entailments of the architecture (what reasoning adds), by owlrl or the fast rules.

    With an Oxigraph store, the inferences are kept in the store's inferred
    graph and recomputed only when a file changed since the last run.
    """
    settings = resolve(data, store)
    backend = open_store(settings.store, settings.graph_store)
    if isinstance(backend, OxigraphStore):
        return refresh_inferences(backend, discover(settings.data), engine)
    return infer(load(settings.data), engine)


def profile(store: Store, code: str) -> Profile:
    """One profile with everything its page shows; unknown codes raise with the closest codes."""
    return get_profile(store, code)


def load_architecture(data: Sequence[str | Path] = ()) -> Architecture:
    """Load the architecture's files (options, then environment, then jobarch.toml, then the sample)."""
    return load(resolve(data).data)


def validate_architecture(
    data: Sequence[str | Path] = (),
    only: Sequence[str | Path] | None = None,
    changed: bool = False,
) -> tuple[ValidationReport, Architecture]:
    """Validate with the shapes; ``only`` or ``changed`` (git) limit it to some files' nodes and their referrers.

    Limiting gives, for those nodes, the results a full run would give: the
    whole architecture is still loaded so references and uniqueness are
    checked against everything.
    """
    settings = resolve(data)
    arch = load(settings.data)
    files: list[Path] | None = None
    if only:
        files = discover(only)
    if changed:
        files = (files or []) + changed_files(settings.data)
    return validate(arch, only=files), arch


def adjacency_index(store: Store, data: Sequence[str | Path] = ()) -> AdjacencyIndex:
    """Coordinates of every profile and the adjacency model (jobarch.toml's [adjacency] overrides it)."""
    return AdjacencyIndex.from_store(store, resolve(data).adjacency)


def adjacent(index: AdjacencyIndex, code: str, k: int = 10, band: str | None = None,
             max_distance: float | None = None, same_track: bool = False) -> list[Neighbour]:
    """The nearest profiles of a profile, nearest first, ties by code."""
    return index.nearest(code, k=k, band=band, max_distance=max_distance, same_track=same_track)


def compare_profiles(store: Store, index: AdjacencyIndex, codes: Sequence[str]) -> Comparison:
    """Two or three profiles side by side, with distances from the first."""
    if not 2 <= len(codes) <= 3:
        raise JobarchError("compare takes two or three profile codes")
    return compare([get_profile(store, c) for c in codes], index)


def page_neighbours(store: Store, code: str, k: int = 5, data: Sequence[str | Path] = ()) -> tuple[list[Neighbour] | None, str]:
    """The adjacent roles a page shows, or None and the reason adjacency cannot be computed."""
    try:
        return AdjacencyIndex.from_store(store, resolve(data).adjacency).nearest(code, k=k), ""
    except JobarchError as exc:
        return None, f"Not computed: {exc.message}."


def profile_page(store: Store, code: str, fmt: str = "text", k: int = 5) -> str:
    """One profile rendered as its page (plain text or Markdown), adjacent roles included."""
    profile = get_profile(store, code)
    neighbours, note = page_neighbours(store, code, k)
    return render_profile(profile, fmt, neighbours, note)


def skill_labels(store: Store, skills) -> list[str]:
    """The names of some skills (by IRI), for messages such as "skills to gain"."""
    names = {str(r["skill"]): str(r["label"]) for r in store.select(internal("skill_labels"))}
    return [names.get(str(s), str(s)) for s in skills]


def resolve_data_paths(data: Sequence[str | Path] = ()) -> list[Path]:
    """The architecture's paths: options, then environment, then jobarch.toml, then the sample."""
    return resolve(data).data


def curator_files(data: Sequence[str | Path] = ()) -> list[Path]:
    """The architecture's own files (found, not parsed): derived output must never overwrite one."""
    return discover(resolve(data).data)
