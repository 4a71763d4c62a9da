"""SHACL validation a curator can act on: the shapes in ``shapes/``, findings placed at ``path:line``, reports.

The engines import their validator when they run (pyshacl takes a while to
import), so the findings and report formats cost nothing to import.
"""

from typing import Any

from .findings import SEVERITIES, Finding, ValidationReport


def __getattr__(name: str) -> Any:
    if name in ("shapes_graph", "validate", "validate_files"):
        from . import pyshacl_engine

        return getattr(pyshacl_engine, "validate" if name == "validate_files" else name)
    if name == "validate_store":
        from . import fast_engine

        return fast_engine.validate_store
    raise AttributeError(f"module 'jobarch.validation' has no attribute {name!r}")


__all__ = ["SEVERITIES", "Finding", "ValidationReport", "shapes_graph", "validate", "validate_files", "validate_store"]
