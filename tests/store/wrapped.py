"""A fourth backend, written the way a third party would: a subclass of Store, registered by name.

It wraps an in-memory Oxigraph store and counts the queries it answers, and
it is registered in ``tests/conftest.py`` through :func:`jobarch.store.register`
alone. The backend-equality tests run on it like on the built-in ones, which
shows that a new backend needs no change outside ``jobarch.store``.
"""

from __future__ import annotations

from jobarch.store import Store, SyncReport, open_store


class WrappedStore(Store):
    selector = "wrapped"

    def __init__(self) -> None:
        super().__init__()
        self.inner = open_store("oxigraph:")
        self.queries = 0

    def sync(self, files, *, reason=None) -> SyncReport:
        return self.inner.sync(files, reason=reason)

    def query(self, sparql, bindings=None):
        self.queries += 1
        return self.inner.query(sparql, bindings)

    def close(self) -> None:
        self.inner.close()


def open_wrapped(argument: str = "", **_options) -> WrappedStore:
    return WrappedStore()
