"""The small named values a store keeps beside its data: one class, for the store layer that keeps them and for
the reasoning layer below it that reads and writes its own (which inferences the derived graph follows from)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .files import atomic_write


class State:
    """Small named values a store keeps beside its data (derived state: which file versions it follows, and so on).

    Values are JSON-able. This base keeps them in memory, for stores that
    last one process; a persistent backend writes them beside its data.
    """

    def __init__(self) -> None:
        self._values: dict[str, object] = {}

    def get(self, name: str) -> Any:
        return self._values.get(name)

    def put(self, name: str, value: Any) -> None:
        self._values[name] = value

    def remove(self, name: str) -> None:
        self._values.pop(name, None)


class DirectoryState(State):
    """State as small JSON files in a directory (a cache generation's, or a SPARQL server's beside the cache),
    replaced atomically, never edited in place."""

    def __init__(self, directory: Path):
        super().__init__()
        self.directory = directory

    def _path(self, name: str) -> Path:
        return self.directory / f"{name}.json"

    def get(self, name: str) -> Any:
        try:
            return json.loads(self._path(name).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None

    def put(self, name: str, value: Any) -> None:
        atomic_write(self._path(name), json.dumps(value, separators=(",", ":"), sort_keys=True))

    def remove(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)
