"""The server while it opens the architecture: listening at once, never blocking a reader.

Opening the store reads every file the first time (15 s at 10,000 profiles
on an empty cache). The server listens before that: until the store is open
every request gets a page saying so (``503`` with ``Retry-After``; the page
reloads itself), then the application takes over, its lifespan run as if the
server had just started. A store that cannot be opened (a file with a
syntax error) stops the server, and :func:`jobarch.web.app.serve` raises the
error the command prints.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from ..core.errors import JobarchError
from .site import render

RETRY_AFTER = "2"  # seconds
log = logging.getLogger("jobarch.serve")

Scope = dict[str, Any]
Receive = Callable[[], Any]
Send = Callable[[dict[str, Any]], Any]


class Starting:
    """An ASGI application that answers "starting" until ``build()`` (run in a thread) returns the real one."""

    def __init__(self, build: Callable[[], Any], stop: Callable[[], None]) -> None:
        self.build, self.stop = build, stop
        self.app: Any = None
        self.error: JobarchError | None = None
        self._shutdown = asyncio.Event()
        self._lifespan: asyncio.Task | None = None
        self._opening: asyncio.Task | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._serve_lifespan(receive, send)
        elif self.app is not None:
            await self.app(scope, receive, send)
        elif scope["type"] == "http":
            await self._starting_page(scope, send)

    async def _serve_lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self._opening = asyncio.create_task(self._open())
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self._opening is not None and not self._opening.done():
                    self._opening.cancel()  # the thread opening the store ends with the process
                self._shutdown.set()
                if self._lifespan is not None:
                    await self._lifespan  # the application's own shutdown: its query workers stop
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _open(self) -> None:
        try:
            app = await asyncio.to_thread(self.build)
        except JobarchError as exc:
            self.error = exc
            self.stop()
            return
        except Exception as exc:  # the server stops rather than answer "starting" for ever
            log.exception("the architecture could not be opened")
            self.error = JobarchError(f"the architecture could not be opened: {exc}")
            self.stop()
            return
        started = asyncio.Event()
        messages = iter([{"type": "lifespan.startup"}])

        async def app_receive() -> dict[str, Any]:
            message = next(messages, None)
            if message is not None:
                return message
            await self._shutdown.wait()
            return {"type": "lifespan.shutdown"}

        async def app_send(message: dict[str, Any]) -> None:
            if message["type"].startswith("lifespan.startup."):
                started.set()

        lifespan = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}, "state": {}}
        self._lifespan = asyncio.create_task(app(lifespan, app_receive, app_send))
        await started.wait()
        self.app = app
        log.info("the architecture is open: serving its pages")

    async def _starting_page(self, scope: Scope, send: Send) -> None:
        accept = dict(scope.get("headers") or []).get(b"accept", b"").decode("latin-1")
        if "text/html" in accept:
            body, media = render("starting.html.j2", retry=RETRY_AFTER).encode("utf-8"), b"text/html; charset=utf-8"
        else:
            body, media = b"503: the server is starting (opening the architecture); retry shortly\n", b"text/plain"
        headers = [
            (b"content-type", media),
            (b"content-length", str(len(body)).encode()),
            (b"retry-after", RETRY_AFTER.encode()),
            (b"cache-control", b"no-store"),
        ]
        await send({"type": "http.response.start", "status": 503, "headers": headers})
        await send({"type": "http.response.body", "body": body})
