"""jobarch: a knowledge-graph engine for job architectures.

The package is layered (see ARCHITECTURE.md): a small ``core``, then
``graph``, ``reasoning``, ``store``, ``query``, ``validation``, ``domain``,
``io`` and ``present``, with :mod:`jobarch.api` as the one facade the CLI and
the web server call. The names below are imported when first used, so that
``import jobarch.something`` costs only what that module needs.
"""

from typing import Any

_LAZY = {
    "__version__": "jobarch.core.version",
    "open_architecture": "jobarch.api",
    "profile": "jobarch.api",
    "profile_page": "jobarch.api",
    "JobarchError": "jobarch.core.errors",
    "Location": "jobarch.core.errors",
    "Architecture": "jobarch.graph.architecture",
    "load": "jobarch.graph.architecture",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'jobarch' has no attribute {name!r}")


__all__ = [
    "Architecture",
    "JobarchError",
    "Location",
    "__version__",
    "load",
    "open_architecture",
    "profile",
    "profile_page",
]
