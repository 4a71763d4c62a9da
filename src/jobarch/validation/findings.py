"""Validation results as curators and tools see them, whatever engine found them."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph
from rdflib.term import Node

from ..core.errors import Location

SEVERITIES = ("info", "warning", "violation")  # ascending


@dataclass(frozen=True)
class Finding:
    """One validation result, placed in the curator's file."""

    severity: str  # "violation", "warning" or "info"
    message: str
    focus: Node
    focus_label: str
    path: str | None
    value: Node | None
    shape: str
    component: str
    location: Location | None

    @property
    def sort_key(self) -> tuple:
        loc = self.location
        return (str(loc.path) if loc else "~", loc.line or 0 if loc else 0, self.focus_label, self.shape, self.message)


@dataclass
class ValidationReport:
    findings: list[Finding]
    report_graph: Graph = field(repr=False)
    focus_limited: bool = False

    @property
    def conforms(self) -> bool:
        return not any(f.severity == "violation" for f in self.findings)

    def counts(self) -> dict[str, int]:
        return {sev: sum(1 for f in self.findings if f.severity == sev) for sev in reversed(SEVERITIES)}

    def at_or_above(self, severity: str) -> list[Finding]:
        floor = SEVERITIES.index(severity)
        return [f for f in self.findings if SEVERITIES.index(f.severity) >= floor]
