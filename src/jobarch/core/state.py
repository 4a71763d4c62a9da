"""The small named values a store keeps beside its data: one class, for the store layer that keeps them and for
the reasoning layer below it that reads and writes its own (which inferences the derived graph follows from)."""

from __future__ import annotations

from typing import Any


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
