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
from .render import render_profile
from .store import Store, open_store
from .validate import ValidationReport, validate
from .vcs import changed_files


def open_architecture(data: Sequence[str | Path] = (), store: str | None = None) -> Store:
    """Load the architecture (options, then environment, then jobarch.toml, then the sample) into a store."""
    settings = resolve(data, store)
    backend = open_store(settings.store)
    backend.load(load(settings.data))
    return backend


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
