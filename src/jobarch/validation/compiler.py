"""The shapes compiled to set-at-a-time SPARQL: one query finds every violation of one constraint.

pyshacl evaluates each constraint once per focus node, in Python; at 10,000
profiles that is millions of small steps. Here each constraint of a shape with
targets becomes one SELECT over the whole target, answering ``?this`` (the
focus node), ``?value`` where the constraint has one, and for a SHACL-SPARQL
constraint its own variables (its message needs them). The store's query
engine then does the work set-at-a-time, as the rules engine does for owlrl.

Nested shapes (``sh:node``, ``sh:or``, ``sh:not``) become boolean SPARQL
expressions with ``EXISTS``, so they are checked inside the same query. A
shape feature this compiler does not know raises :class:`UnsupportedShapeError`: the
caller falls back to pyshacl and says so; the fast engine never checks less.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import cache

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from ..core.namespaces import OWL, RDF, RDFS, SH
from ..store.bindings import into_where

SUBCLASSES = re.compile(r"__SUBCLASSES<([^>]*)>__")  # filled per run with the class and its subclasses in the data
MAX_COUNT_IN_EXISTS = 4  # nested min/max counts are written as that many distinct values

_SEVERITY: dict[Node, str] = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
_NODE_KIND: dict[Node, str] = {
    SH.IRI: "!isIRI({v})",
    SH.BlankNode: "!isBlank({v})",
    SH.Literal: "!isLiteral({v})",
    SH.BlankNodeOrIRI: "isLiteral({v})",
    SH.BlankNodeOrLiteral: "isIRI({v})",
    SH.IRIOrLiteral: "isBlank({v})",
}
_RANGES = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
_NUMERIC = {"integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger"}
_VALUE_PARAMS = {
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH.pattern,
    SH["in"],
    SH.node,
    SH["or"],
    SH["not"],
    SH.minLength,
    SH.maxLength,
    *_RANGES,
}
_PAIR_PARAMS = {SH.lessThan: "<", SH.lessThanOrEquals: "<="}
_DOCUMENTATION = {SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group, SH.flags, RDF.type}
_DOCUMENTATION |= {RDFS.comment, RDFS.label, SH.deactivated}
_TARGETS = {SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode}
_NODE_PARAMS = _VALUE_PARAMS | _DOCUMENTATION | _TARGETS | {SH.property, SH.sparql}
_PROPERTY_PARAMS = _NODE_PARAMS | {SH.path, SH.minCount, SH.maxCount, SH.uniqueLang, SH.disjoint, *_PAIR_PARAMS}
_COMPONENT: dict[Node, str] = {
    SH["class"]: "ClassConstraintComponent",
    SH.datatype: "DatatypeConstraintComponent",
    SH.nodeKind: "NodeKindConstraintComponent",
    SH.pattern: "PatternConstraintComponent",
    SH["in"]: "InConstraintComponent",
    SH.node: "NodeConstraintComponent",
    SH["or"]: "OrConstraintComponent",
    SH["not"]: "NotConstraintComponent",
    SH.minLength: "MinLengthConstraintComponent",
    SH.maxLength: "MaxLengthConstraintComponent",
    SH.minInclusive: "MinInclusiveConstraintComponent",
    SH.maxInclusive: "MaxInclusiveConstraintComponent",
    SH.minExclusive: "MinExclusiveConstraintComponent",
    SH.maxExclusive: "MaxExclusiveConstraintComponent",
    SH.minCount: "MinCountConstraintComponent",
    SH.maxCount: "MaxCountConstraintComponent",
    SH.lessThan: "LessThanConstraintComponent",
    SH.lessThanOrEquals: "LessThanOrEqualsConstraintComponent",
    SH.disjoint: "DisjointConstraintComponent",
    SH.uniqueLang: "UniqueLangConstraintComponent",
    SH.sparql: "SPARQLConstraintComponent",
}


class UnsupportedShapeError(Exception):
    """A shape uses a SHACL feature the compiler does not translate (the message says which and where)."""


@dataclass(frozen=True)
class Check:
    """One constraint of one shape as a query answering every violating focus node."""

    shape: Node  # the shape that reports (sh:sourceShape)
    component: str  # the SHACL constraint component's local name
    severity: str
    path: URIRef | None
    query: str
    value_is_focus: bool = False  # node-level constraints report the focus node as the value
    constraint: Node | None = None  # a SHACL-SPARQL constraint's node (sh:sourceConstraint)
    messages: tuple[str, ...] = field(default=())  # templates: the constraint's, then the shape's
    branch: str = ""  # the check without its target, where it binds ?this itself: batched with its shape's others
    target: str = ""  # the pattern giving ?this, shared by the checks of one shape


@dataclass(frozen=True)
class Batch:
    """Checks answered by one query: rows carry ``?check``, the index of the check they belong to."""

    query: str
    checks: tuple[Check, ...]


def batches(checks: tuple[Check, ...]) -> tuple[Batch, ...]:
    """The checks grouped per target, so that each target is evaluated once for all of them.

    A check that binds ``?this`` on its own (a property's values, its count)
    becomes one branch of a UNION joined with the target; the others (a
    missing value, SHACL-SPARQL) keep their own query.
    """
    grouped: dict[str, list[Check]] = {}
    out: list[Batch] = []
    for check in checks:
        if check.branch:
            grouped.setdefault(check.target, []).append(check)
        else:
            out.append(Batch(check.query, (check,)))
    for target, members in grouped.items():
        union = " UNION ".join(f"{{ {c.branch} BIND ({i} AS ?check) }}" for i, c in enumerate(members))
        out.append(Batch(f"SELECT DISTINCT ?check ?this ?value WHERE {{ {target} {union} }}", tuple(members)))
    return tuple(out)


@cache
def compile_shapes(shapes: Graph) -> tuple[Check, ...]:
    """Every check of every shape with targets, in a stable order; raises :class:`UnsupportedShapeError`."""
    compiler = _Compiler(shapes)
    checks: list[Check] = []
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)) | _targeted(shapes), key=str):
        if _deactivated(shapes, shape) or not any((shape, t, None) in shapes for t in _TARGETS):
            continue
        checks.extend(compiler.shape_checks(shape))
    return tuple(checks)


def _targeted(shapes: Graph) -> set[Node]:
    return {s for t in _TARGETS for s in shapes.subjects(t, None)}


def _deactivated(shapes: Graph, shape: Node) -> bool:
    return any(isinstance(v, Literal) and v.value is True for v in shapes.objects(shape, SH.deactivated))


class _Compiler:
    def __init__(self, shapes: Graph):
        self.shapes = shapes
        self.counter = itertools.count()
        self.prefixes = _prefix_block(shapes)

    # ------------------------------------------------------------ shapes with targets
    def shape_checks(self, shape: Node) -> list[Check]:
        self._refuse_unknown(shape, _NODE_PARAMS)
        if (shape, SH.path, None) in self.shapes:
            raise UnsupportedShapeError(f"{self._name(shape)}: a property shape with targets")
        target = self._target(shape)
        severity = self._severity(shape)
        messages = self._messages(shape)
        checks = []
        for param, expression in self._value_violations(shape, "?this"):
            query = f"SELECT DISTINCT ?this WHERE {{ {target} FILTER ({expression}) }}"
            checks.append(Check(shape, _COMPONENT[param], severity, None, query, True, None, messages))
        for constraint in sorted(self.shapes.objects(shape, SH.sparql), key=str):
            checks.append(self._sparql_check(shape, constraint, target, severity, messages))
        for prop in sorted(self.shapes.objects(shape, SH.property), key=str):
            if not _deactivated(self.shapes, prop):
                checks.extend(self._property_checks(prop, target))
        return checks

    def _property_checks(self, prop: Node, target: str) -> list[Check]:
        self._refuse_unknown(prop, _PROPERTY_PARAMS)
        if any((prop, t, None) in self.shapes for t in (*_TARGETS, SH.sparql, SH.property)):
            raise UnsupportedShapeError(
                f"{self._name(prop)}: targets, SPARQL or property shapes inside a property shape"
            )
        path = self._path(prop)
        severity, messages = self._severity(prop), self._messages(prop)
        checks = []

        def check(param: Node, query: str, branch: str = "") -> None:
            checks.append(Check(prop, _COMPONENT[param], severity, path, query, False, None, messages, branch, target))

        for param, expression in self._value_violations(prop, "?value"):
            branch = f"?this {path.n3()} ?value . FILTER ({expression})"
            check(param, f"SELECT DISTINCT ?this ?value WHERE {{ {target} {branch} }}", branch)
        if (low := self._integer(prop, SH.minCount)) is not None and low > 0:
            if low == 1:
                body = f"{target} FILTER NOT EXISTS {{ ?this {path.n3()} ?any }}"
                check(SH.minCount, f"SELECT DISTINCT ?this WHERE {{ {body} }}")
            else:
                body = f"{target} OPTIONAL {{ ?this {path.n3()} ?any }}"
                check(
                    SH.minCount, f"SELECT ?this WHERE {{ {body} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?any) < {low})"
                )
        if (high := self._integer(prop, SH.maxCount)) is not None:
            having = f"HAVING (COUNT(DISTINCT ?any) > {high})"
            counted = f"SELECT ?this WHERE {{ ?this {path.n3()} ?any . }} GROUP BY ?this {having}"
            check(SH.maxCount, f"SELECT ?this WHERE {{ {target} {{ {counted} }} }}", f"{{ {counted} }}")
        for param, op in _PAIR_PARAMS.items():
            for other in self.shapes.objects(prop, param):
                pattern = f"?this {path.n3()} ?value . ?this {_iri(other).n3()} ?other ."
                check(
                    param,
                    f"SELECT DISTINCT ?this ?value WHERE {{ {target} {pattern} "
                    f"FILTER (!COALESCE(?value {op} ?other, false)) }}",
                )
        for other in self.shapes.objects(prop, SH.disjoint):
            pattern = f"?this {path.n3()} ?value . ?this {_iri(other).n3()} ?value ."
            check(SH.disjoint, f"SELECT DISTINCT ?this ?value WHERE {{ {target} {pattern} }}")
        if any(isinstance(v, Literal) and v.value is True for v in self.shapes.objects(prop, SH.uniqueLang)):
            pattern = f"?this {path.n3()} ?a, ?b ."
            same = 'LANG(?a) != "" && LCASE(LANG(?a)) = LCASE(LANG(?b)) && !sameTerm(?a, ?b)'
            check(
                SH.uniqueLang,
                f"SELECT DISTINCT ?this (LCASE(LANG(?a)) AS ?lang) WHERE {{ {target} {pattern} FILTER ({same}) }}",
            )
        return checks

    def _sparql_check(self, shape: Node, constraint: Node, target: str, severity: str, messages: tuple) -> Check:
        self._refuse_unknown(constraint, {RDF.type, SH.select, SH.message, SH.prefixes, SH.deactivated, RDFS.comment})
        select = self.shapes.value(constraint, SH.select)
        if not isinstance(select, Literal):
            raise UnsupportedShapeError(f"{self._name(shape)}: a SPARQL constraint without sh:select")
        text = str(select)
        if re.search(r"\$(?!this\b)\w+", text):
            raise UnsupportedShapeError(
                f"{self._name(shape)}: a SPARQL constraint with pre-bound variables other than $this"
            )
        query = into_where(_project_this_in_subqueries(text).replace("$this", "?this"), target)
        own = tuple(sorted(str(m) for m in self.shapes.objects(constraint, SH.message)))
        return Check(
            shape, "SPARQLConstraintComponent", severity, None, self.prefixes + query, True, constraint, own + messages
        )

    # ------------------------------------------------------------ pieces
    def _target(self, shape: Node) -> str:
        parts = []
        for cls in sorted(self.shapes.objects(shape, SH.targetClass), key=str):
            parts.append(f"?this a ?targetType . VALUES ?targetType {{ {subclasses(_iri(cls))} }}")
        for p in sorted(self.shapes.objects(shape, SH.targetSubjectsOf), key=str):
            parts.append(f"?this {_iri(p).n3()} ?targetObject .")
        for p in sorted(self.shapes.objects(shape, SH.targetObjectsOf), key=str):
            parts.append(f"?targetSubject {_iri(p).n3()} ?this .")
        nodes = sorted(self.shapes.objects(shape, SH.targetNode), key=str)
        if nodes:
            parts.append(f"VALUES ?this {{ {' '.join(n.n3() for n in nodes)} }}")
        union = " UNION ".join(f"{{ {p} }}" for p in parts)
        return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"

    def _value_violations(self, shape: Node, var: str) -> list[tuple[Node, str]]:
        """(parameter, a SPARQL expression true when ``var`` violates it) for each value-type constraint."""
        found: list[tuple[Node, str]] = []
        g = self.shapes
        for cls in sorted(g.objects(shape, SH["class"]), key=str):
            t = self._fresh()
            found.append((SH["class"], f"NOT EXISTS {{ {var} a {t} . VALUES {t} {{ {subclasses(_iri(cls))} }} }}"))
        for dt in g.objects(shape, SH.datatype):
            found.append((SH.datatype, _datatype_violation(_iri(dt), var)))
        for kind in g.objects(shape, SH.nodeKind):
            if kind not in _NODE_KIND:
                raise UnsupportedShapeError(f"{self._name(shape)}: sh:nodeKind {kind}")
            found.append((SH.nodeKind, _NODE_KIND[kind].format(v=var)))
        for pattern in g.objects(shape, SH.pattern):
            flags = g.value(shape, SH.flags)
            args = f"STR({var}), {Literal(str(pattern)).n3()}" + (f", {Literal(str(flags)).n3()}" if flags else "")
            found.append((SH.pattern, f"(isBlank({var}) || !REGEX({args}))"))
        for members in g.objects(shape, SH["in"]):
            terms = list(Collection(g, members))
            found.append((SH["in"], "!(" + (" || ".join(f"sameTerm({var}, {t.n3()})" for t in terms) or "false") + ")"))
        for param, op in _RANGES.items():
            for bound in g.objects(shape, param):
                found.append((param, f"!COALESCE({var} {op} {bound.n3()}, false)"))
        for param, op in ((SH.minLength, "<"), (SH.maxLength, ">")):
            if (n := self._integer(shape, param)) is not None:
                found.append((param, f"(isBlank({var}) || STRLEN(STR({var})) {op} {n})"))
        for nested in sorted(g.objects(shape, SH.node), key=str):
            found.append((SH.node, f"!({self.conforms(nested, var)})"))
        for members in g.objects(shape, SH["or"]):
            alternatives = [self.conforms(m, var) for m in Collection(g, members)]
            found.append((SH["or"], "!(" + (" || ".join(f"({a})" for a in alternatives) or "false") + ")"))
        for nested in g.objects(shape, SH["not"]):
            found.append((SH["not"], f"({self.conforms(nested, var)})"))
        return found

    def conforms(self, shape: Node, var: str, depth: int = 0) -> str:
        """A SPARQL expression true when the node in ``var`` conforms to ``shape`` (targets ignored)."""
        if depth > 8:
            raise UnsupportedShapeError(f"{self._name(shape)}: shapes nested more than 8 deep (or recursive)")
        self._refuse_unknown(shape, _PROPERTY_PARAMS - {SH.uniqueLang, SH.disjoint, *_PAIR_PARAMS})
        if any(self.shapes.objects(shape, SH.sparql)):
            raise UnsupportedShapeError(f"{self._name(shape)}: a SPARQL constraint in a nested shape")
        if _deactivated(self.shapes, shape):
            return "true"
        path = self.shapes.value(shape, SH.path)
        parts = []
        if path is None:
            parts += [f"!({e})" for _, e in self._value_violations(shape, var)]
            for prop in sorted(self.shapes.objects(shape, SH.property), key=str):
                parts.append(self.conforms(prop, var, depth + 1))
        else:
            p = self._path(shape).n3()
            for _, e in self._value_violations(shape, (v := self._fresh())):
                parts.append(f"NOT EXISTS {{ {var} {p} {v} . FILTER ({e}) }}")
            if (low := self._integer(shape, SH.minCount)) is not None and low > 0:
                parts.append(f"EXISTS {{ {self._distinct_values(var, p, low, shape)} }}")
            if (high := self._integer(shape, SH.maxCount)) is not None:
                parts.append(f"NOT EXISTS {{ {self._distinct_values(var, p, high + 1, shape)} }}")
        return " && ".join(f"({p})" for p in parts) or "true"

    def _distinct_values(self, var: str, path: str, n: int, shape: Node) -> str:
        if n > MAX_COUNT_IN_EXISTS:
            raise UnsupportedShapeError(
                f"{self._name(shape)}: a count above {MAX_COUNT_IN_EXISTS - 1} in a nested shape"
            )
        values = [self._fresh() for _ in range(n)]
        distinct = " && ".join(f"!sameTerm({a}, {b})" for a, b in itertools.combinations(values, 2))
        return " ".join(f"{var} {path} {v} ." for v in values) + (f" FILTER ({distinct})" if distinct else "")

    def _path(self, prop: Node) -> URIRef:
        path = self.shapes.value(prop, SH.path)
        if not isinstance(path, URIRef):
            raise UnsupportedShapeError(f"{self._name(prop)}: a property path other than one predicate")
        return path

    def _integer(self, shape: Node, param: URIRef) -> int | None:
        value = self.shapes.value(shape, param)
        if value is None:
            return None
        if not (isinstance(value, Literal) and isinstance(value.value, int)):
            raise UnsupportedShapeError(f"{self._name(shape)}: {param} is not an integer")
        return int(value.value)

    def _severity(self, shape: Node) -> str:
        severity = self.shapes.value(shape, SH.severity)
        if severity is not None and severity not in _SEVERITY:
            raise UnsupportedShapeError(f"{self._name(shape)}: severity {severity}")
        return "violation" if severity is None else _SEVERITY[severity]

    def _messages(self, shape: Node) -> tuple[str, ...]:
        return tuple(sorted(str(m) for m in self.shapes.objects(shape, SH.message)))

    def _refuse_unknown(self, shape: Node, allowed: set) -> None:
        """Any SHACL parameter not translated here: refuse rather than check less."""
        for p in set(self.shapes.predicates(shape, None)):
            if p not in allowed and str(p).startswith(str(SH)):
                raise UnsupportedShapeError(f"{self._name(shape)}: {p.n3(self.shapes.namespace_manager)}")

    def _fresh(self) -> str:
        return f"?_v{next(self.counter)}"

    def _name(self, shape: Node) -> str:
        return shape.n3(self.shapes.namespace_manager) if isinstance(shape, URIRef) else "a blank-node shape"


def subclasses(cls: URIRef) -> str:
    """A placeholder for ``cls`` and its subclasses (``rdfs:subClassOf*`` in the data), filled in per run.

    A closure looked up once per run and written as ``VALUES`` keeps each
    class check to one triple pattern; a property path inside ``NOT EXISTS``
    is evaluated by Oxigraph without the outer binding (slow at scale).
    """
    return f"__SUBCLASSES<{cls}>__"


def _iri(node: Node) -> URIRef:
    if not isinstance(node, URIRef):
        raise UnsupportedShapeError(f"{node!r} where an IRI is expected")
    return node


def _datatype_violation(datatype: URIRef, var: str) -> str:
    """Not a literal of ``datatype`` with a valid lexical form (as pyshacl checks)."""
    if datatype == RDF.langString:
        return f'!(isLiteral({var}) && LANG({var}) != "")'
    if str(datatype) == "http://www.w3.org/2001/XMLSchema#string":
        return f'!(isLiteral({var}) && LANG({var}) = "" && DATATYPE({var}) = {datatype.n3()})'
    check = f"isLiteral({var}) && DATATYPE({var}) = {datatype.n3()}"
    if str(datatype).rsplit("#", 1)[-1] in _NUMERIC:
        check += f" && isNumeric({var})"  # an ill-formed number is no number
    return f"!({check})"


def _prefix_block(shapes: Graph) -> str:
    """PREFIX lines for every sh:declare of the shapes (SHACL-SPARQL's sh:prefixes, resolved once)."""
    lines = {}
    for ontology in shapes.subjects(RDF.type, OWL.Ontology):
        for declaration in shapes.objects(ontology, SH.declare):
            prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                lines[str(prefix)] = f"PREFIX {prefix}: <{namespace}>\n"
    return "".join(lines[p] for p in sorted(lines))


def _project_this_in_subqueries(query: str) -> str:
    """Subqueries that use ``$this`` also answer it, so that they join on the focus node.

    pyshacl pre-binds ``$this`` everywhere, subqueries included; a subquery
    evaluated once for all focus nodes must carry the focus node out.
    """
    starts = [m.end() for m in re.finditer(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?", query, re.I)]
    for start in reversed(starts[1:]):
        depth, end = 0, len(query)
        for i in range(start, len(query)):
            if query[i] == "{":
                depth += 1
            elif query[i] == "}":
                depth -= 1
                if depth < 0:
                    end = i
                    break
        projection = re.match(r"[^{]*?(?=\bWHERE\b|\{)", query[start:end], re.I | re.S)
        answered = projection is not None and re.search(r"\$this\b|^\s*\*", projection.group(0))
        if "$this" in query[start:end] and not answered:
            query = query[:start] + "$this " + query[start:]
    return query


__all__ = ["SH", "SUBCLASSES", "Batch", "Check", "UnsupportedShapeError", "batches", "compile_shapes"]
