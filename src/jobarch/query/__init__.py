"""SPARQL: the named queries in ``queries/``, the safety rules every query passes, and running under a time limit."""

from .named import NamedQuery, Param, bind_params, bundled, find_query, internal, named_queries, typed_term
from .run import run_query, vet
from .safety import check_query, with_standard_prefixes

__all__ = [
    "NamedQuery",
    "Param",
    "bind_params",
    "bundled",
    "check_query",
    "find_query",
    "internal",
    "named_queries",
    "run_query",
    "typed_term",
    "vet",
    "with_standard_prefixes",
]
