"""Running a vetted query on a store, stopped at its time limit.

rdflib and pyoxigraph cannot interrupt a running query, so a query with a
limit runs in a worker process that is ended when the limit passes.
"""

from __future__ import annotations

import multiprocessing
from typing import Any

from rdflib.term import Identifier

from ..core.errors import JobarchError, QueryTimeoutError
from ..store import QueryResult, Store
from .safety import check_query, with_standard_prefixes


def run_query(
    store: Store,
    text: str,
    bindings: dict[str, Identifier] | None = None,
    *,
    allow_service: bool = False,
    timeout: float | None = 60.0,
    source: str = "query",
) -> QueryResult:
    """Vet and run a query on a store, stopping it after ``timeout`` seconds (None: no limit)."""
    check_query(text, allow_service=allow_service, source=source)
    text = with_standard_prefixes(text)
    if not timeout:
        return store.query(text, bindings)
    task, start = store.query_task(text, bindings)
    return run_with_timeout(task, timeout, what=f"query {source}", start=start)


def _worker(task, send) -> None:
    try:
        send.send(("ok", task()))
    except JobarchError as exc:
        send.send(("jobarch", (exc.message, exc.location, exc.hint)))
    except BaseException as exc:  # report, do not hang the parent
        send.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        send.close()


def run_with_timeout(task, timeout: float, what: str, start: str = "fork"):
    """Run ``task`` in a worker process and kill it after ``timeout`` seconds.

    rdflib and pyoxigraph cannot interrupt a running query, so a runaway one is
    stopped by ending the process that runs it; the result comes back pickled.
    ``start`` is the multiprocessing start method: ``fork`` shares the
    parent's memory (an in-memory store), ``forkserver`` needs a picklable
    task but inherits nothing.
    """
    if start not in multiprocessing.get_all_start_methods():  # no fork (Windows): run in process, without a limit
        return task()
    ctx: Any = multiprocessing.get_context(start)
    if start == "forkserver":  # workers start with the task's imports done
        ctx.set_forkserver_preload([getattr(task, "func", task).__module__])
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_worker, args=(task, send), daemon=True)
    proc.start()
    send.close()
    try:
        if not receive.poll(timeout):
            raise QueryTimeoutError(
                f"{what} took longer than {timeout:g} s and was stopped",
                hint="raise the limit with --timeout, or make the query more selective",
            )
        status, payload = receive.recv()
    except EOFError:
        raise JobarchError(f"{what} failed: the worker process ended without an answer") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
    if status == "ok":
        return payload
    if status == "jobarch":
        raise JobarchError(*payload)
    raise JobarchError(f"{what} failed: {payload}")
