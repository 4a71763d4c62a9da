"""What stands between the network and the pages: allowed hosts, same-origin writes, security headers.

A server on loopback is still reachable from every web page the user opens:
a page can point a name it controls at 127.0.0.1 (DNS rebinding) or post a
form to it. So the ``Host`` header must name a host the server was told to
answer to (loopback by default, plus ``--host`` and ``--allow-host``), a POST
from another origin is refused, and every answer tells the browser to run no
script, load nothing from elsewhere and never frame the page.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def allowed_hosts(bound: str, extra: Iterable[str] = ()) -> list[str]:
    """The names a ``Host`` header may carry: loopback, the interface served on (unless it is every
    interface, which names no host), and what the operator allows (``*`` allows any)."""
    hosts = list(LOOPBACK)
    if bound not in ("0.0.0.0", "::", ""):
        hosts.append(bound)
    hosts.extend(extra)
    return hosts


Headers = list[tuple[bytes, bytes]]


class HttpMiddleware:
    """An ASGI middleware that acts on HTTP requests only (the rest pass through), given their headers by name."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        await self.handle(scope, headers, receive, send)

    async def handle(self, scope: dict, headers: dict[str, str], receive: Any, send: Any) -> None:
        raise NotImplementedError


def rewriting_headers(send: Any, change: Callable[[Headers], Headers]) -> Callable[[dict], Awaitable[None]]:
    """``send`` with the answer's headers passed through ``change`` first."""

    async def wrapped(message: dict) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": change(list(message.get("headers", [])))}
        await send(message)

    return wrapped


class Guard(HttpMiddleware):
    """Refuse cross-origin writes, add the security headers to every answer."""

    async def handle(self, scope: dict, headers: dict[str, str], receive: Any, send: Any) -> None:
        if scope["method"] in _UNSAFE and _cross_origin(headers):
            await _refuse(send, 403, "cross-origin requests that send data are refused\n")
            return

        def secure(out: Headers) -> Headers:
            present = {k.decode("latin-1").lower() for k, _ in out}
            return out + [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items() if k not in present]

        await self.app(scope, receive, rewriting_headers(send, secure))


def _cross_origin(headers: dict[str, str]) -> bool:
    """A browser says where a request comes from (``Sec-Fetch-Site``, ``Origin``); a script or command-line
    client says nothing, and is not a page acting behind the user's back."""
    site = headers.get("sec-fetch-site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = headers.get("origin")
    if origin is None:
        return False
    if origin == "null":
        return True
    return urlsplit(origin).netloc.lower() != headers.get("host", "").lower()


async def _refuse(send: Any, status: int, body: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")]
            + [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()],
        }
    )
    await send({"type": "http.response.body", "body": body.encode("utf-8")})
