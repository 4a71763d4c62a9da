"""Read-only by construction: what a query may not do, checked before any store sees it.

Updates are refused (stores are changed by editing the files), ``FROM`` would
make an engine fetch a URL, and ``SERVICE`` would send data to another
endpoint unless the user allows it.

Two parsers read every query: rdflib's, which vets it, and the engine's,
which runs it. Where they could read the same text differently (a comment
ended by a carriage return, ``\\u`` escapes), a refused construct could hide
from one and run in the other. So the text is first read once by the SPARQL
grammar's own rules (:func:`jobarch.core.lexical.scan_sparql`): its comments
are blanked, and that comment-free text is what is vetted *and* what runs;
the keywords ``SERVICE`` and ``FROM`` are refused wherever that reading finds
them, whatever rdflib's tree says.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.errors import JobarchError, Location
from ..core.lexical import scan_sparql
from ..core.namespaces import PREFIXES
from ..graph.planner import SPARQL_PARSER_LOCK

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query


def with_standard_prefixes(text: str) -> str:
    """Declare the usual prefixes (ja, skos, prov, dct, rdf, rdfs, owl, xsd, schema, esco) a query leaves undeclared.

    Analysts can write ``ja:code`` without a PREFIX line on every backend; a
    query's own declarations come later in the text and so take precedence.
    """
    declared = {m.lower() for m in re.findall(r"(?i)\bPREFIX\s+([\w.-]*):", text)}
    header = " ".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items() if p.lower() not in declared)
    return f"{header}\n{text}" if header else text


MAX_NESTING = 40  # brackets deep; rdflib's recursive parser gives out past ~60, and no analyst's query nears it


def runnable_text(text: str, *, allow_service: bool = False, source: str = "query") -> str:
    """The text to send to an engine: the query with its comments blanked, once it passed every check.

    Line and column numbers are those of the text as written."""
    scanned = scan_sparql(text)
    if scanned.depth > MAX_NESTING:
        raise JobarchError(
            f"the query nests brackets {scanned.depth} deep, more than the {MAX_NESTING} jobarch accepts",
            Location(Path(source)),
            hint="flatten the query: join patterns in one group instead of nesting them",
        )
    keywords = scanned.keywords("SERVICE", "FROM")
    if "SERVICE" in keywords and not allow_service:
        raise _service_refused()
    if "FROM" in keywords:
        raise _from_refused()
    check_query(scanned.without_comments, allow_service=allow_service, source=source)
    return scanned.without_comments


def check_query(text: str, *, allow_service: bool = False, source: str = "query") -> Query:
    """Parse and vet an analyst's query with rdflib; errors name ``source:line:col``. A query vetted once is
    not parsed again (a server asks the same named queries on every page), and parsing holds rdflib's parser
    lock. Use :func:`runnable_text` for the text an engine is given."""
    with SPARQL_PARSER_LOCK:
        try:
            return _checked(text, allow_service, source)
        except RecursionError:
            raise JobarchError(
                "the query is too large or too deeply nested for jobarch's SPARQL parser",
                Location(Path(source)),
                hint="split it into smaller queries, or use VALUES for long lists of terms",
            ) from None


def _service_refused() -> JobarchError:
    return JobarchError(
        "SERVICE is refused: it would send data to another endpoint", hint="pass --allow-service if you mean it"
    )


def _from_refused() -> JobarchError:
    return JobarchError(
        "FROM / FROM NAMED is refused: it would fetch data from a URL", hint="load the data with --data instead"
    )


@lru_cache(maxsize=1024)
def _checked(text: str, allow_service: bool, source: str) -> Query:
    from pyparsing import ParseException  # rdflib's SPARQL parser is imported by the commands that check queries
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(text)
    except ValueError as exc:  # rdflib expands \\u escapes before parsing, and refuses an out-of-range one
        raise JobarchError(f"invalid escape in SPARQL: {exc}", Location(Path(source))) from None
    except ParseException as exc:
        if _is_update(text):
            raise JobarchError(
                "updates are refused: jobarch runs queries read-only",
                hint="change the Turtle files instead, then reload",
            ) from None
        raise JobarchError(f"syntax error in SPARQL: {exc.msg}", Location(Path(source), exc.lineno, exc.col)) from None
    names = set(_node_names(tree))
    if "ServiceGraphPattern" in names and not allow_service:
        raise _service_refused()
    if "datasetClause" in tree[1]:
        raise _from_refused()
    try:
        return translateQuery(tree, initNs=PREFIXES)
    except Exception as exc:  # rdflib rejects some well-formed but invalid queries at this stage
        raise JobarchError(f"invalid SPARQL: {exc}", Location(Path(source))) from None


def _is_update(text: str) -> bool:
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
        return True
    except ParseException:
        return False


def _node_names(node: Any) -> Iterator[str]:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item.name
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, ParseResults)):
            stack.extend(item)
