"""SHACL validation a curator can act on: the shapes in ``shapes/``, findings placed at ``path:line``, reports.

The engines import their validator when they run (pyshacl takes a while to
import), so the findings and report formats cost nothing to import.
"""

from typing import Any

from ..core.errors import JobarchError
from .findings import SEVERITIES, Finding, ValidationReport

#: The validation engines a user may ask for (the CLI's choices).
ENGINES = ("auto", "fast", "pyshacl")


def choose_engine(engine: str) -> tuple[str, list[str]]:
    """``fast`` or ``pyshacl`` for an asked ``auto``/``fast``/``pyshacl``, and the notes a report carries: ``auto``
    falls back to pyshacl (saying why) when a shape uses a feature the compiler does not know; ``fast`` refuses."""
    if engine not in ENGINES:
        raise JobarchError(f"unknown validation engine {engine!r}", hint="use one of: " + ", ".join(ENGINES))
    if engine == "pyshacl":
        return engine, []
    from . import shapes
    from .compiler import UnsupportedShapeError, compile_shapes

    try:
        compile_shapes(shapes.shapes_graph())
    except UnsupportedShapeError as exc:
        if engine == "fast":
            raise JobarchError(f"the fast engine cannot check this shape: {exc}", hint="use --engine pyshacl") from None
        return "pyshacl", [f"validated with pyshacl: the fast engine cannot check this shape: {exc}"]
    return "fast", []


def __getattr__(name: str) -> Any:
    if name in ("shapes_graph", "validate", "validate_files"):
        from . import pyshacl_engine

        return getattr(pyshacl_engine, "validate" if name == "validate_files" else name)
    if name == "validate_store":
        from . import fast_engine

        return fast_engine.validate_store
    raise AttributeError(f"module 'jobarch.validation' has no attribute {name!r}")


__all__ = [
    "SEVERITIES",
    "Finding",
    "ValidationReport",
    "choose_engine",
    "shapes_graph",
    "validate",
    "validate_files",
    "validate_store",
]
