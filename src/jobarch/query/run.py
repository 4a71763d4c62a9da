"""Running a vetted query on a store, stopped at its time limit.

rdflib and pyoxigraph cannot interrupt a running query. A command runs it in
a thread of its own process, which gives up waiting at the limit; the command
then ends, and the query with it. Nothing is started, so a fast query costs
nothing extra. A long-lived caller (the server) uses :mod:`.workers` instead,
whose processes can be killed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from rdflib.term import Identifier

from ..core.errors import QueryTimeoutError
from ..store import QueryResult, Store
from .safety import runnable_text, with_standard_prefixes


def run_query(
    store: Store,
    text: str,
    bindings: dict[str, Identifier] | None = None,
    *,
    allow_service: bool = False,
    timeout: float | None = 60.0,
    source: str = "query",
) -> QueryResult:
    """Vet and run a query on a store, stopping it after ``timeout`` seconds (None: no limit).

    Vetting is inside the time limit too: a query made to be slow to parse is stopped like one slow to run."""

    def ask() -> QueryResult:
        return store.query(vet(text, allow_service=allow_service, source=source), bindings)

    if not timeout:
        return ask()
    return run_in_thread(ask, timeout, what=f"query {source}")


def vet(text: str, *, allow_service: bool = False, source: str = "query") -> str:
    """The query as it will run: refused if it would write, call out or read outside the store (see
    :mod:`.safety`), its comments blanked, with the standard prefixes declared."""
    return with_standard_prefixes(runnable_text(text, allow_service=allow_service, source=source))


def _timeout(what: str, timeout: float) -> QueryTimeoutError:
    return QueryTimeoutError(
        f"{what} took longer than {timeout:g} s and was stopped",
        hint="raise the limit with --timeout, or make the query more selective",
    )


def run_in_thread(task: Callable[[], Any], timeout: float, what: str) -> Any:
    """Run ``task`` in a daemon thread and stop waiting for it after ``timeout`` seconds.

    Oxigraph releases the GIL while it evaluates, and rdflib yields it, so
    this thread keeps the clock. The abandoned query ends with the process.
    """
    outcome: list[Any] = []

    def work() -> None:
        try:
            outcome.append(("ok", task()))
        except BaseException as exc:  # handed to the caller below
            outcome.append(("error", exc))

    thread = threading.Thread(target=work, name="jobarch-query", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise _timeout(what, timeout)
    status, value = outcome[0]
    if status == "error":
        raise value
    return value
