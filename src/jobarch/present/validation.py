"""Validation results for people and for machines: text, JSON, SARIF 2.1.0, SHACL Turtle."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from rdflib import Graph, URIRef

from ..core.files import display_path
from ..core.namespaces import PREFIX_IRIS, SH
from ..core.text import terminal_safe
from ..core.version import __version__
from ..graph.serialize import serialize_triples
from ..graph.terms import rdflib_to_ntriples
from ..graph.terms import unskolem as _unskolem
from ..validation.findings import Finding, ValidationReport

REPORT_FORMATS = ("text", "json", "sarif", "turtle")
_SARIF_LEVEL = {"violation": "error", "warning": "warning", "info": "note"}


def _where(finding: Finding) -> str:
    loc = finding.location
    if loc is None:
        return "(no file)"
    return f"{display_path(loc.path)}:{loc.line}" if loc.line else display_path(loc.path)


def format_text(report: ValidationReport, files: int) -> str:
    groups: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        groups[display_path(finding.location.path) if finding.location else "(no file)"].append(finding)
    lines = []
    for name in sorted(groups):
        lines.append(name)
        for f in groups[name]:
            lines.append(f"  {_where(f)}: {f.severity}: {f.message} ({f.focus_label}, {f.shape})")
        lines.append("")
    counts = report.counts()
    scope = " (changed nodes only)" if report.focus_limited else ""
    summary = ", ".join(f"{n} {sev}{'s' if n != 1 else ''}" for sev, n in counts.items())
    lines.append(f"{summary} in {files} file{'s' if files != 1 else ''}{scope}")
    return terminal_safe("\n".join(lines)) + "\n"


def _finding_dict(f: Finding) -> dict:
    return {
        "file": display_path(f.location.path) if f.location else None,
        "line": f.location.line if f.location else None,
        "severity": f.severity,
        "message": f.message,
        "focusNode": str(f.focus) if isinstance(f.focus, URIRef) else None,
        "focus": f.focus_label,
        "path": f.path,
        "value": None if f.value is None else str(f.value),
        "shape": f.shape,
        "component": f.component,
    }


def format_json(report: ValidationReport) -> str:
    return (
        json.dumps(
            {
                "conforms": report.conforms,
                "counts": report.counts(),
                "focusLimited": report.focus_limited,
                "results": [_finding_dict(f) for f in report.findings],
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )


def format_sarif(report: ValidationReport) -> str:
    """SARIF 2.1.0: one run, one rule per shape, one result per finding."""
    rules: dict[str, int] = {}
    rule_list: list[dict] = []
    results: list[dict] = []
    for f in report.findings:
        if f.shape not in rules:
            rules[f.shape] = len(rule_list)
            rule_list.append(
                {
                    "id": f.shape,
                    "name": f.shape.split(":")[-1].replace("/", "_"),
                    "shortDescription": {"text": f"SHACL shape {f.shape}"},
                    "defaultConfiguration": {"level": _SARIF_LEVEL[f.severity]},
                }
            )
        location: dict = {"logicalLocations": [{"fullyQualifiedName": f.focus_label, "kind": "object"}]}
        if f.location:
            physical: dict = {"artifactLocation": {"uri": Path(display_path(f.location.path)).as_posix()}}
            if f.location.line:
                physical["region"] = {"startLine": f.location.line}
            location["physicalLocation"] = physical
        results.append(
            {
                "ruleId": f.shape,
                "ruleIndex": rules[f.shape],
                "level": _SARIF_LEVEL[f.severity],
                "message": {"text": f.message},
                "locations": [location],
            }
        )
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "jobarch",
                        "version": __version__,
                        "informationUri": "https://w3id.org/jobarch",
                        "rules": rule_list,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def format_turtle(report: ValidationReport) -> str:
    """The W3C SHACL validation report, with the run's skolem IRIs turned back into blank nodes."""
    graph = Graph()
    for s, p, o in report.report_graph:
        graph.add((_unskolem(s), p, _unskolem(o)))
    triples = (rdflib_to_ntriples(t) for t in graph)  # jobarch's canonical Turtle: the same findings, the same bytes
    return serialize_triples(triples, "turtle", {**PREFIX_IRIS, "sh": str(SH)})


def render(report: ValidationReport, fmt: str, files: int) -> str:
    if fmt == "text":
        return format_text(report, files)
    if fmt == "json":
        return format_json(report)
    if fmt == "sarif":
        return format_sarif(report)
    if fmt == "turtle":
        return format_turtle(report)
    raise ValueError(fmt)


__all__ = ["REPORT_FORMATS", "render"]
