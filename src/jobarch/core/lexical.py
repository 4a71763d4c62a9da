"""The tokens Turtle and SPARQL share (strings, IRIs, comments), written once for both scanners.

The Turtle line scanner (:mod:`jobarch.graph.lines`) and the SPARQL
parameter binder (:func:`jobarch.store.base.inject_values`) must never
mistake a ``{``, ``#`` or ``WHERE`` inside a string or IRI for syntax.
"""

LONG_STRING = r'''"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
SHORT_STRING = r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*\'"""
IRI = r"<[^>\s]*>"
COMMENT = r"\#[^\n]*"
