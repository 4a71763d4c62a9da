"""Which language a reader gets: asked in the link (``?lang=de``), remembered, or sent by the browser.

Order: a ``lang`` query parameter (a shared link says its language; the
choice is then remembered in a cookie), the remembered choice, the browser's
``Accept-Language``, then the server's own languages (``--lang``, jobarch.toml).
Each page is chosen and rendered in that chain (core/languages), says its
language (``<html lang>``, ``Content-Language``) and varies by what chose it,
so a cache in between keeps the languages apart. The switcher on every page is
plain links (no script): ``/language?to=de&back=/profiles/...``.
"""

from __future__ import annotations

from contextvars import ContextVar
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..core import languages
from ..core.errors import JobarchError
from .guard import Headers, HttpMiddleware, rewriting_headers

COOKIE = "jobarch-lang"
YEAR = 365 * 24 * 3600
_here: ContextVar[tuple[str, str]] = ContextVar("jobarch_page", default=("/", ""))  # the request's path and query


def _chain(text: str | None) -> tuple[str, ...]:
    try:
        return languages.parse(text) if text else ()
    except JobarchError:
        return ()  # a malformed choice is ignored, never an error page


def reader_chain(query: str, cookie: str, accept: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The reader's chain (ending with the server's own languages), and what the link asked for (to remember)."""
    asked = _chain(parse_qs(query).get("lang", [""])[0])
    remembered = _chain(cookie.replace(".", ","))  # a cookie value holds no comma
    chosen = asked or remembered or languages.from_accept_language(accept)
    tail = languages.current()  # the server's: --lang, jobarch.toml, else English
    return tuple(dict.fromkeys((*chosen, *tail))), asked


class ReaderLanguage(HttpMiddleware):
    """Every request is answered in its reader's languages."""

    async def handle(self, scope: dict, headers: dict[str, str], receive: Any, send: Any) -> None:
        cookies: SimpleCookie = SimpleCookie()
        try:
            cookies.load(headers.get("cookie", ""))
        except Exception:
            cookies = SimpleCookie()
        remembered = cookies[COOKIE].value if COOKIE in cookies else ""
        query = scope.get("query_string", b"").decode("latin-1")
        chain, asked = reader_chain(query, remembered, headers.get("accept-language", ""))
        here = _here.set((scope.get("path", "/"), query))
        with languages.reading(chain):
            interface = languages.interface()

            def tell(out: Headers) -> Headers:
                varies = {
                    part.strip()
                    for key, value in out
                    if key.lower() == b"vary"
                    for part in value.decode("latin-1").split(",")
                    if part.strip()
                }
                out = [(k, v) for k, v in out if k.lower() != b"vary"]
                out.append((b"vary", ", ".join(sorted(varies | {"Accept-Language", "Cookie"})).encode()))
                out.append((b"content-language", interface.encode()))
                if asked:
                    cookie = f"{COOKIE}={'.'.join(asked)}; Path=/; Max-Age={YEAR}; SameSite=Lax"
                    out.append((b"set-cookie", cookie.encode("latin-1")))
                return out

            try:
                await self.app(scope, receive, rewriting_headers(send, tell))
            finally:
                _here.reset(here)


def switch(request: Request) -> Response:
    """The switcher's link: remember the language and go back to the page it was chosen on."""
    back = request.query_params.get("back", "/")
    if not back.startswith("/") or back.startswith("//") or "\\" in back:
        back = "/"  # never a redirect off this server
    wanted = _chain(request.query_params.get("to", ""))
    response = RedirectResponse(back, 303)
    if wanted:
        response.set_cookie(COOKIE, ".".join(wanted), max_age=YEAR, path="/", samesite="lax")
    return response


def switcher() -> list[dict[str, Any]]:
    """The switcher's entries: each interface language, named in itself, linking back to the page shown."""
    path, query = _here.get()
    kept = urlencode([(k, v) for k, v in parse_qsl(query) if k != "lang"])
    back = path + (f"?{kept}" if kept else "")
    current = languages.interface()
    return [
        {
            "tag": tag,
            "name": languages.name_of(tag, tag).capitalize(),  # each named in itself
            "href": "/language?" + urlencode({"to": tag, "back": back}),
            "current": tag == current,
        }
        for tag in languages.INTERFACE
    ]
