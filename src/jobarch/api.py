"""The Python face of every command: what the CLI calls, callable from code.

>>> import jobarch
>>> store = jobarch.open_architecture()            # the bundled sample
>>> page = jobarch.profile_page(store, "MANUFA3.MANUFACT13A2.M2", fmt="text")
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from .config import resolve
from .load import Architecture, discover, load
from .model import Profile, get_profile
from .query import bind_params, find_query, run_query
from .reasoning import Inference, add_inferences, infer
from .render import render_profile
from .errors import JobarchError
from .store import QueryResult, Store, open_store
from .validate import ValidationReport, validate
from .vcs import changed_files


def open_architecture(data: Sequence[str | Path] = (), store: str | None = None, *, reason: bool = False) -> Store:
    """Load the architecture (options, then environment, then jobarch.toml, then the sample) into a store.

    With ``reason``, the OWL-RL inferences are added as their own named graph.
    """
    settings = resolve(data, store)
    arch = load(settings.data)
    if reason:
        add_inferences(arch, infer(arch))
    backend = open_store(settings.store)
    backend.load(arch)
    return backend


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


def reason(data: Sequence[str | Path] = ()) -> Inference:
    """The data-level OWL-RL entailments of the architecture (what reasoning adds)."""
    return infer(load(resolve(data).data))


def profile(store: Store, code: str) -> Profile:
    """One profile with everything its page shows; unknown codes raise with the closest codes."""
    return get_profile(store, code)


def profile_page(store: Store, code: str, fmt: str = "text") -> str:
    """One profile rendered as its page, as plain text or Markdown."""
    return render_profile(get_profile(store, code), fmt)


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
