"""Running a vetted query on a store, stopped at its time limit.

rdflib and pyoxigraph cannot interrupt a running query. Two ways stop one:

* ``thread`` (the CLI's): the query runs in a thread of this process, which
  gives up waiting at the limit; the command then ends, and the query with
  it. Nothing is started, so a fast query costs nothing extra.
* ``process`` (a long-lived caller's, such as a server): the query runs in a
  worker process that is ended when the limit passes.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
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
    isolation: str = "thread",
) -> QueryResult:
    """Vet and run a query on a store, stopping it after ``timeout`` seconds (None: no limit)."""
    check_query(text, allow_service=allow_service, source=source)
    text = with_standard_prefixes(text)
    if not timeout:
        return store.query(text, bindings)
    if isolation == "thread":
        return run_in_thread(lambda: store.query(text, bindings), timeout, what=f"query {source}")
    task, start = store.query_task(text, bindings)
    return run_with_timeout(task, timeout, what=f"query {source}", start=start)


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
            raise _timeout(what, timeout)
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
