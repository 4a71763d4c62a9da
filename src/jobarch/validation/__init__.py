"""SHACL validation a curator can act on: the shapes in ``shapes/``, findings placed at ``path:line``, reports."""

from .findings import SEVERITIES, Finding, ValidationReport
from .pyshacl_engine import shapes_graph, validate

__all__ = ["SEVERITIES", "Finding", "ValidationReport", "shapes_graph", "validate"]
