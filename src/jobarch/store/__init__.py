"""Store backends behind one interface, chosen by a selector string (``KIND`` or ``KIND:ARGUMENT``).

Backends register by name with a lazy ``module:function`` path, the way
rdflib's plugins do: nothing is imported until a selector names it, and no
caller imports a backend. Third parties add a backend through the
``jobarch.stores`` entry-point group (``name = "package.module:open_function"``);
the function takes the selector's argument and keyword options and returns
a :class:`Store`.
"""

from __future__ import annotations

import importlib
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.config import CACHE_SELECTOR as CACHE
from ..core.errors import JobarchError
from ..graph.triples import Triple
from .base import (
    QueryResult,
    State,
    Store,
    SyncReport,
    Values,
    kept,
    save_state,
    saved_state,
    server_state_dirs,
)
from .bindings import Binding, inject_values


@dataclass(frozen=True)
class Backend:
    kind: str
    target: str | Callable[..., Store]  # "module:function", or the function itself
    usage: str  # the selector as a user writes it, e.g. oxigraph:PATH
    help: str

    def factory(self) -> Callable[..., Store]:
        if callable(self.target):
            return self.target
        module, _, name = self.target.partition(":")
        return getattr(importlib.import_module(module), name)


_BACKENDS: dict[str, Backend] = {}
_scopes: list[weakref.WeakSet[Store]] = []  # stores opened inside each active closing_stores() block


def register(kind: str, target: str | Callable[..., Store], usage: str | None = None, help: str = "") -> None:
    """Make ``--store KIND[:ARGUMENT]`` open a backend; ``target`` is ``module:function`` or the function."""
    _BACKENDS[kind] = Backend(kind, target, usage or kind, help)


def unregister(kind: str) -> None:
    _BACKENDS.pop(kind, None)


def backends() -> list[Backend]:
    """The registered backends (built in, then those of installed packages), for help texts and choices."""
    _load_entry_points()
    return list(_BACKENDS.values())


_entry_points_loaded = False


def _load_entry_points() -> None:
    global _entry_points_loaded
    if _entry_points_loaded:
        return
    _entry_points_loaded = True
    from importlib.metadata import entry_points

    for ep in entry_points(group="jobarch.stores"):
        if ep.name not in _BACKENDS:
            register(ep.name, ep.value, f"{ep.name}:…", f"from {ep.value}")


def selectors_help() -> str:
    return ", ".join(b.usage for b in backends())


def open_store(selector: str = "memory", **options: Any) -> Store:
    """Create the backend a selector names, the way OAK picks an adapter; options go to its factory."""
    kind, _, argument = selector.partition(":")
    if kind not in _BACKENDS:
        _load_entry_points()
    backend = _BACKENDS.get(kind)
    if backend is None:
        raise JobarchError(f"unknown store selector {selector!r}", hint=f"use one of: {selectors_help()}")
    store = backend.factory()(argument, **options)
    if _scopes:
        _scopes[-1].add(store)
    return store


def scratch_store(triples: Iterable[Triple] = ()) -> Store:
    """A throwaway store in this process holding ``triples`` (or synced with files by the caller): work on a copy
    (validating a store that also holds inferences, checking an export) without naming a backend."""
    store = open_store(SCRATCH)
    store.insert(triples)
    return store


@contextmanager
def closing_stores() -> Iterator[None]:
    """Close every store opened inside the block when it ends, even on error (the CLI wraps each command in one:
    an open Oxigraph store locks its directory until closed)."""
    opened: weakref.WeakSet[Store] = weakref.WeakSet()
    _scopes.append(opened)
    try:
        yield
    finally:
        _scopes.remove(opened)
        for store in list(opened):
            store.close()


#: The selector of :func:`scratch_store`: an embedded store in memory.
SCRATCH = "oxigraph"
INFERENCES_DIR = "with-inferences"  # beside the cache: the files and their OWL-RL inferences


def inferences_store(cache_dir: Path) -> Store:
    """An embedded store on disk beside the architecture's cache for the files *and* their OWL-RL inferences: what
    a server's "with inferences" switch queries while its own store holds what the files say. Kept on disk so
    that the inferences are computed again only when a file changed."""
    return open_store(f"oxigraph:{cache_dir / INFERENCES_DIR}")


register(
    CACHE,
    "jobarch.store.oxigraph:open_cache",
    CACHE,
    "the default: an embedded Oxigraph store kept beside jobarch.toml (or in your cache directory)",
)
register("memory", "jobarch.store.memory:open_memory", "memory", "rdflib in process; the reference for correctness")
register(
    "oxigraph",
    "jobarch.store.oxigraph:open_oxigraph",
    "oxigraph:PATH",
    "an embedded Oxigraph store on disk, reloading only the files that changed",
)
register(
    "sparql",
    "jobarch.store.sparql:open_sparql",
    "sparql:URL",
    "any SPARQL 1.1 endpoint, loaded with the Graph Store Protocol",
)

__all__ = [
    "Backend",
    "Binding",
    "QueryResult",
    "State",
    "Store",
    "SyncReport",
    "backends",
    "closing_stores",
    "inferences_store",
    "inject_values",
    "open_store",
    "kept",
    "save_state",
    "server_state_dirs",
    "saved_state",
    "scratch_store",
    "register",
    "selectors_help",
    "unregister",
    "Values",
]
