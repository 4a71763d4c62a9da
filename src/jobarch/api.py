"""The Python face of every command: what the CLI calls, callable from code.

>>> import jobarch
>>> store = jobarch.open_architecture()            # the bundled sample
>>> page = jobarch.profile_page(store, "MANUFA3.MANUFACT13A2.M2", fmt="text")
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from .config import resolve
from .load import load
from .model import Profile, get_profile
from .render import render_profile
from .store import Store, open_store


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
