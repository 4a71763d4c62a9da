"""Which source asserts which triples: the files, the ontology, and derived graphs such as the inferences.

The fast store keeps every triple once, in its default graph, because
Oxigraph answers queries on its default graph four to twenty times faster
than over the union of named graphs. What each source asserts is kept beside
it, as compressed N-Triples written by Oxigraph, so that a changed file can
be reloaded by difference: its old triples leave the store unless another
source asserts them too (a count is kept for the few triples that more than
one source asserts), its new ones enter. Named graphs exist only where a
TriG file writes them; their triples are in the default graph as well.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.files import atomic_write, new_hasher
from ..core.files import digest as content_digest
from ..graph.triples import Triple, split_line
from .base import State

ENTRIES = "sources"  # state: source name -> {"blob", "kind", "stamp", "content", "triples"}
SHARED = "shared"  # state: N-Triples line -> how many sources assert it (only when more than one)


def has_blank_node(line: str) -> bool:
    return line.startswith("_:") or line.split(" ", 2)[2].startswith("_:")


@dataclass
class Content:
    """What one source asserts: default-graph triples, and named-graph quads (TriG) as N-Quads lines."""

    triples: set[str] = field(default_factory=set)
    quads: set[str] = field(default_factory=set)

    def encode(self) -> bytes:
        body = "\n".join(sorted(self.triples)) + "\n\x00\n" + "\n".join(sorted(self.quads))
        return zlib.compress(body.encode("utf-8"), 1)

    @classmethod
    def decode(cls, blob: bytes) -> Content:
        triples, _, quads = zlib.decompress(blob).decode("utf-8").partition("\n\x00\n")
        return cls({line for line in triples.split("\n") if line}, {line for line in quads.split("\n") if line})


class Blobs:
    """Content-addressed blobs: on disk beside the store's state, or in memory."""

    def __init__(self, directory: Path | None):
        self.directory = directory
        self._memory: dict[str, bytes] = {}

    def put(self, data: bytes) -> str:
        digest = content_digest(data)
        if self.directory is None:
            self._memory[digest] = data
        elif not (self.directory / digest).exists():
            atomic_write(self.directory / digest, data)
        return digest

    def put_stream(self, chunks: Iterable[bytes]) -> str:
        """A blob written as it comes (a streamed file's compressed N-Triples), never whole in memory."""
        if self.directory is None:
            return self.put(b"".join(chunks))
        import os
        import tempfile

        self.directory.mkdir(parents=True, exist_ok=True)
        hasher = new_hasher()
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".stream.")
        try:
            with os.fdopen(fd, "wb") as handle:
                for chunk in chunks:
                    hasher.update(chunk)
                    handle.write(chunk)
            digest = hasher.hexdigest()
            os.replace(tmp, self.directory / digest)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def get(self, digest: str) -> bytes:
        if self.directory is None:
            return self._memory[digest]
        return (self.directory / digest).read_bytes()

    def keep_only(self, digests: set[str]) -> None:
        if self.directory is None:
            self._memory = {k: v for k, v in self._memory.items() if k in digests}
        elif self.directory.is_dir():
            for path in self.directory.iterdir():
                if path.name not in digests:
                    path.unlink(missing_ok=True)


class Sources:
    """The sources of a store and the counts of what several of them assert."""

    def __init__(self, state: State, blobs: Blobs):
        self.state = state
        self.blobs = blobs
        self._entries: dict[str, dict[str, Any]] = dict(state.get(ENTRIES) or {})
        self._shared: dict[str, int] | None = None

    @property
    def entries(self) -> dict[str, dict[str, Any]]:
        return self._entries

    @property
    def shared(self) -> dict[str, int]:
        if self._shared is None:
            self._shared = dict(self.state.get(SHARED) or {})
        return self._shared

    def content(self, name: str) -> Content:
        entry = self._entries.get(name)
        return Content() if entry is None else Content.decode(self.blobs.get(entry["blob"]))

    def triples(self, name: str) -> Iterator[Triple]:
        for line in self.content(name).triples:
            yield split_line(line)

    def record(self, name: str, triples: Content, **entry: Any) -> None:
        """Record what a source asserts; ``entry`` adds its kind, file stamp and file digest (``content``)."""
        self._entries[name] = {**entry, "blob": self.blobs.put(triples.encode()), "triples": len(triples.triples)}

    def record_stream(self, name: str, lines: Iterable[bytes], **entry: Any) -> None:
        """Record what a streamed source asserts, from N-Triples chunks, compressed on the way (the blob reads back
        as :class:`Content`; its lines are not sorted, nor its triples counted against other sources')."""
        compressor = zlib.compressobj(1)

        def compressed() -> Iterator[bytes]:
            for chunk in lines:
                yield compressor.compress(chunk.replace(b" .\n", b"\n"))
            yield compressor.compress(b"\n\x00\n") + compressor.flush()

        self._entries[name] = {**entry, "blob": self.blobs.put_stream(compressed()), "triples": 0}

    def drop(self, name: str) -> None:
        self._entries.pop(name, None)

    def save(self) -> None:
        self.state.put(ENTRIES, self._entries)
        if self._shared is not None:
            self.state.put(SHARED, {k: v for k, v in self._shared.items() if v > 1})
        self.blobs.keep_only({entry["blob"] for entry in self._entries.values()})

    # ------------------------------------------------------------------ counting
    def release(self, lines: Iterable[str]) -> list[str]:
        """A source stops asserting ``lines``: those no other source asserts are returned, to leave the store."""
        shared, gone = self.shared, []
        for line in lines:
            count = shared.get(line, 1)
            if count > 1:
                if count == 2:
                    del shared[line]
                else:
                    shared[line] = count - 1
            else:
                gone.append(line)
        return gone

    def claim(self, lines: Iterable[str], present: Callable[[list[str]], set[str]]) -> list[str]:
        """A source starts asserting ``lines``: those not yet in the store are returned, to enter it; the others
        (``present`` says which of a list are in the store already) gain a count."""
        lines = list(lines)
        found = present([line for line in lines if not has_blank_node(line)])  # a blank node belongs to one file
        shared, new = self.shared, []
        for line in lines:
            if line in found:
                shared[line] = shared.get(line, 1) + 1
            else:
                new.append(line)
        return new
