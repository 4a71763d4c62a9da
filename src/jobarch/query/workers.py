"""Worker processes that run queries for a long-lived caller (the server), each stoppable at any moment.

Neither Oxigraph nor rdflib can interrupt a query, and a query that runs in
the server's own process holds a CPU and memory for as long as it likes. So
the server keeps a few worker processes, each with the store open for reading
(:meth:`jobarch.store.Store.reader`); a query is sent to an idle one, and the
caller waits for the answer without blocking anything else. A worker whose
query passes its time limit, or whose client went away, is killed and
replaced; the others keep their warm store.

A query is parsed and vetted in the worker, under its time limit: a query
made to be slow to parse holds a worker, never the server's event loop.

A worker ends with the server however the server ends (``kill -9``
included): it holds the read end of a lifeline pipe whose only write end is
the server's, and a thread of the worker ends the process when that pipe
reads end-of-file. (The kernel's parent-death signal alone is not enough: a
worker's parent is the fork server, not the server.) A worker's memory is
bounded too (``RLIMIT_AS``: what it used once its store was open, plus
``memory`` bytes), so a huge ``ORDER BY`` fails alone instead of swapping
the machine.

The answer is checked in the worker against the caller's limits (rows and
bytes) before it is sent, so an oversized answer is refused where it was
computed and never copied into the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
import sys
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..core.errors import JobarchError, QueryLimitError, QueryTimeoutError
from ..store import Binding, QueryResult, Store

WORKER_NICENESS = 10
DEFAULT_MEMORY = 1 << 30  # bytes a worker may allocate for one query, above what its open store takes


class WorkersBusyError(JobarchError):
    """Every worker is busy and the queue is full: the caller should answer 503 with Retry-After."""


class ClientGoneError(JobarchError):
    """The client went away while its query ran; the worker was stopped."""


@dataclass(frozen=True)
class AnswerLimits:
    rows: int = 10_000  # rows of a SELECT, triples of a CONSTRUCT/DESCRIBE
    bytes: int = 50 * 1024 * 1024  # the answer's terms, as text


def answer_size(result: QueryResult) -> tuple[int, int]:
    """An answer's rows (or triples) and the length of its terms as text: what serialising it will cost."""
    if result.kind == "SELECT":
        return len(result.rows), sum(len(str(term)) for row in result.rows for term in row if term is not None)
    if result.graph is not None:
        return len(result.graph), sum(len(str(s)) + len(str(p)) + len(str(o)) for s, p, o in result.graph)
    return 0, 0


def check_answer(result: QueryResult, limits: AnswerLimits) -> None:
    rows, size = answer_size(result)
    unit = "rows" if result.kind == "SELECT" else "triples"
    if rows > limits.rows:
        raise JobarchError(
            f"the answer has {rows:,} {unit}, above this endpoint's limit of {limits.rows:,}",
            hint="add LIMIT and OFFSET to page through it",
        )
    if size > limits.bytes:
        raise JobarchError(
            f"the answer is {size / 2**20:,.1f} MiB of text, above this endpoint's limit of "
            f"{limits.bytes / 2**20:,.1f} MiB",
            hint="select fewer or shorter values",
        )


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _watch_lifeline(reader: Any, writer: Any) -> None:
    """End this process as soon as the server's end of the lifeline closes (the server ended, however)."""
    import threading

    writer.close()  # a forked worker inherited the server's end; only the server may hold it

    def watch() -> None:
        with contextlib.suppress(EOFError, OSError):
            while True:
                reader.recv_bytes()
        os._exit(1)

    threading.Thread(target=watch, name="jobarch-lifeline", daemon=True).start()


def _bound_memory(budget: int | None) -> None:
    """Cap the address space at what the worker uses now plus ``budget`` (None: no cap)."""
    if not budget:
        return
    with contextlib.suppress(ImportError, OSError, ValueError):
        import resource

        used = _address_space()
        if used:
            resource.setrlimit(resource.RLIMIT_AS, (used + budget, resource.getrlimit(resource.RLIMIT_AS)[1]))


def _address_space() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _serve(opener: Callable[[], Store], conn: Any, lifeline: tuple[Any, Any], memory: int | None) -> None:
    """A worker's life: open the store once, then vet and answer queries until the pipe closes."""
    from .run import vet

    _die_with_parent()
    _watch_lifeline(*lifeline)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the server, which stops the workers
    with contextlib.suppress(OSError, AttributeError):
        os.nice(WORKER_NICENESS)  # pages are someone waiting; an analyst's query can yield the CPU to them
    store = opener()
    store.query("ASK { ?s ?p ?o }")  # the engine's lazily made parts exist before the memory cap is measured
    _bound_memory(memory)
    while True:
        try:
            sparql, bindings, limits, untrusted = conn.recv()
        except (EOFError, OSError):
            return
        try:
            result = store.query(vet(sparql) if untrusted else sparql, bindings)
            check_answer(result, limits)
            reply: tuple[str, Any] = ("ok", result)
        except JobarchError as exc:
            reply = ("jobarch", (exc.message, exc.location, exc.hint))
        except MemoryError:
            reply = ("memory", None)
        except Exception as exc:  # reported to the caller; the worker lives on
            reply = ("error", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return


class _Worker:
    def __init__(self, ctx: Any, opener: Callable[[], Store], lifeline: tuple[Any, Any], memory: int | None):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_serve, args=(opener, child, lifeline, memory), daemon=True, name="jobarch-query-worker"
        )
        self.process.start()
        child.close()

    def kill(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)


class QueryWorkers:
    """A pool of ``size`` query workers over one store, with a bounded queue in front of it; each worker may
    allocate ``memory`` bytes for a query (None: unbounded)."""

    def __init__(self, store: Store, size: int = 2, queue: int = 8, memory: int | None = DEFAULT_MEMORY):
        opener, start = store.reader()
        if start not in multiprocessing.get_all_start_methods():
            start = multiprocessing.get_start_method()
        self._ctx: Any = multiprocessing.get_context(start)
        if start == "forkserver":
            preload = [getattr(opener, "func", opener).__module__, "jobarch.query.run", "rdflib.plugins.sparql.parser"]
            self._ctx.set_forkserver_preload(preload)
        self._opener = opener
        self.memory = memory
        self._lifeline = self._ctx.Pipe(duplex=False)  # (reader, writer): the writer never leaves this process
        self.size, self.queue = size, queue
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._running = 0
        self._waiting = 0
        self._free: asyncio.Condition | None = None
        self._closed = False

    @property
    def busy(self) -> int:
        """Queries running now."""
        return self._running

    @property
    def waiting(self) -> int:
        """Queries waiting for a worker now (at most ``queue``; beyond, they are told 503)."""
        return self._waiting

    @property
    def processes(self) -> list[int]:
        """The process ids of the workers alive now (for monitoring, and to show none outlives its query)."""
        return sorted(w.process.pid for w in self._all if w.process.is_alive())

    def warm(self) -> None:
        """Start the workers now, so that the first queries do not pay for opening the store."""
        while len(self._idle) < self.size:
            self._idle.append(self._start())

    def _start(self) -> _Worker:
        worker = _Worker(self._ctx, self._opener, self._lifeline, self.memory)
        self._all.add(worker)
        return worker

    async def run(
        self,
        sparql: str,
        bindings: Mapping[str, Binding] | None = None,
        *,
        timeout: float,
        limits: AnswerLimits | None = None,
        disconnected: Callable[[], Awaitable[bool]] | None = None,
        untrusted: bool = True,
    ) -> QueryResult:
        """The answer, or QueryTimeoutError past ``timeout`` (waiting included), WorkersBusyError when the queue is
        full, ClientGoneError when ``disconnected()`` says the client left; the worker is killed in the last cases.

        An ``untrusted`` query (anyone's) is vetted in the worker (:func:`jobarch.query.vet`) before it runs;
        only jobarch's own, already vetted text may pass ``untrusted=False``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        worker = await self._acquire(deadline, timeout)
        ready = asyncio.Event()
        keep = False
        try:
            worker.conn.send((sparql, dict(bindings or {}), limits or AnswerLimits(), untrusted))
            loop.add_reader(worker.conn.fileno(), ready.set)
            try:
                while not ready.is_set():
                    remaining = deadline - loop.time()
                    if remaining <= 0:
                        raise _timeout(timeout)
                    with contextlib.suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(ready.wait(), min(0.2, remaining))
                    if not ready.is_set() and disconnected is not None and await disconnected():
                        raise ClientGoneError("the client went away; its query was stopped")
            finally:
                loop.remove_reader(worker.conn.fileno())
            status, payload = await asyncio.to_thread(worker.conn.recv)  # a large answer is read off the loop
            keep = status != "memory"  # a worker that ran out of memory is replaced, not trusted again
        except (EOFError, OSError):
            raise (
                self._memory_error()
                if self.memory
                else JobarchError("the query worker ended without an answer (out of memory?)")
            ) from None
        finally:
            self._release(worker, keep)
        if status == "ok":
            return payload
        if status == "memory":
            raise self._memory_error()
        if status == "jobarch":
            raise JobarchError(*payload)
        raise JobarchError(f"query failed: {payload}")

    def _memory_error(self) -> QueryLimitError:
        return QueryLimitError(
            f"the query needed more than the {(self.memory or 0) / 2**20:,.0f} MiB a query may use, and was stopped",
            hint="add LIMIT, or make the query more selective (ORDER BY over everything sorts everything)",
        )

    async def _acquire(self, deadline: float, timeout: float) -> _Worker:
        if self._closed:
            raise WorkersBusyError("the server is stopping")
        if self._free is None:
            self._free = asyncio.Condition()
        async with self._free:
            if self._running >= self.size and self._waiting >= self.queue:
                raise WorkersBusyError(f"all {self.size} query workers are busy and {self._waiting} queries wait")
            self._waiting += 1
            try:
                loop = asyncio.get_running_loop()
                while self._running >= self.size:
                    remaining = deadline - loop.time()
                    if remaining <= 0:
                        raise _timeout(timeout)
                    with contextlib.suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(self._free.wait(), remaining)
                    if self._closed:
                        raise WorkersBusyError("the server is stopping")
            finally:
                self._waiting -= 1
            self._running += 1
        try:
            return self._idle.pop() if self._idle else self._start()
        except BaseException:
            self._running -= 1
            raise

    def _release(self, worker: _Worker, keep: bool) -> None:
        self._running -= 1
        if keep and not self._closed and worker.process.is_alive():
            self._idle.append(worker)
        else:
            worker.kill()
            self._all.discard(worker)
        if self._free is not None:
            asyncio.get_running_loop().create_task(self._notify())

    async def _notify(self) -> None:
        assert self._free is not None
        async with self._free:
            self._free.notify()

    def close(self) -> None:
        """Stop every worker (a running query with it)."""
        self._closed = True
        for worker in list(self._all):
            worker.kill()
        self._idle.clear()
        self._all.clear()


def _timeout(timeout: float) -> QueryTimeoutError:
    return QueryTimeoutError(
        f"the query took longer than {timeout:g} s and was stopped",
        hint="make the query more selective, or ask the server's operator for a longer --query-timeout",
    )


__all__ = ["AnswerLimits", "ClientGoneError", "QueryWorkers", "WorkersBusyError", "answer_size", "check_answer"]
