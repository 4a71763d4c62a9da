"""A store directory that several processes can use at once: immutable generations behind a pointer.

RocksDB allows one writer per directory, and a read-only view opened while
another process writes is undefined behaviour. So a jobarch store directory
never changes a generation that anyone may be reading::

    STORE/
      jobarch-store.json   the format, the jobarch version, and the current generation
      write.lock           writers take it exclusively, one at a time
      g0000007/            one generation: db/ (RocksDB) and state/ (jobarch's own files)
        readers.lock       every process reading this generation holds it shared

A writer takes ``write.lock``, checkpoints the current generation into a new
one (RocksDB hard-links its immutable files, so this takes milliseconds),
changes the new one, closes it and only then points ``jobarch-store.json`` at
it. Readers open a generation read-only and always see a consistent snapshot;
old generations are deleted once no reader holds them. A directory from
another jobarch version, or one that cannot be opened, is rebuilt, never
trusted; deleting the whole directory is always safe.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..core.errors import JobarchError, Location
from ..core.files import atomic_write
from ..core.version import __version__

fcntl: Any
try:  # POSIX advisory locks; elsewhere a store is used by one process at a time
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

POINTER = "jobarch-store.json"
FORMAT = 2  # the layout of a store directory; another one is rebuilt
WAIT_NOTICE = 1.0  # seconds before a waiting writer says why it waits
COLLECT_TRIES = 20  # times a last reader tries the write lock to delete old generations (25 ms apart)


@dataclass(frozen=True)
class Generation:
    """One immutable generation: its RocksDB directory and jobarch's state beside it."""

    path: Path

    @property
    def db(self) -> Path:
        return self.path / "db"

    @property
    def state(self) -> Path:
        return self.path / "state"


class NothingToWrite(Exception):  # noqa: N818 - a signal, not an error
    """Raised in a :meth:`Generations.writing` block that finds nothing left to write: the new generation is
    dropped and the current one stays (no identical generation piles up behind each process that waited)."""


def _lock(handle: IO[Any], exclusive: bool, blocking: bool = True) -> bool:
    if fcntl is None:
        return True
    flags = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | (0 if blocking else fcntl.LOCK_NB)
    try:
        fcntl.flock(handle.fileno(), flags)
        return True
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return False
        raise


class Generations:
    """The generations of one store directory."""

    def __init__(self, root: Path):
        self.root = root

    # ------------------------------------------------------------------ the pointer
    def _pointer(self) -> dict:
        try:
            value = json.loads((self.root / POINTER).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            return {"damaged": True}
        return value if isinstance(value, dict) else {"damaged": True}

    def current(self) -> Generation | None:
        """The generation readers should open, or None when there is none this jobarch version can trust."""
        pointer = self._pointer()
        if pointer.get("format") != FORMAT or pointer.get("jobarch") != __version__ or not pointer.get("current"):
            return None
        generation = Generation(self.root / str(pointer["current"]))
        return generation if generation.db.is_dir() else None

    def check_ownership(self) -> None:
        """Refuse a non-empty directory that is not a jobarch store: rebuilding it would destroy someone's data."""
        if not self.root.exists():
            return
        if not self.root.is_dir():
            raise JobarchError("the store path is a file, not a directory", Location(self.root))
        entries = [p.name for p in self.root.iterdir()]
        ours = {POINTER, "write.lock", "jobarch-manifest.json", "jobarch-files.json"}
        if entries and not (ours & set(entries)) and not any(e.startswith("g") and e[1:].isdigit() for e in entries):
            raise JobarchError(
                "this directory holds something that is not a jobarch store",
                Location(self.root),
                hint="jobarch only rebuilds stores it made; give --store oxigraph: an empty or new directory",
            )

    # ------------------------------------------------------------------ reading
    @contextlib.contextmanager
    def reading(self) -> Iterator[Generation | None]:
        """Hold the current generation shared (so no writer deletes it) while the block reads it."""
        for _ in range(20):
            generation = self.current()
            if generation is None:
                yield None
                return
            try:
                handle = open(generation.path / "readers.lock", "a+")  # noqa: SIM115 - held for the whole block
            except FileNotFoundError:  # deleted between reading the pointer and opening it: look again
                continue
            except OSError:  # a read-only store (permissions, a read-only mount): no writer can delete it either
                yield generation
                return
            with handle:
                _lock(handle, exclusive=False)
                read = self.current() == generation and generation.db.is_dir()
                if read:
                    yield generation
            if read:
                if self.current() != generation:  # a writer moved on while we read: we may be its last reader
                    self._collect_when_free()
                return
            time.sleep(0.01)
        raise JobarchError(
            "the store keeps changing under this process",
            Location(self.root),
            hint="another jobarch process is writing it in a loop; try again when it is done",
        )

    # ------------------------------------------------------------------ writing
    @contextlib.contextmanager
    def writing(self, notice: Callable[[str], None] | None = None) -> Iterator[Generation]:
        """Take the write lock (waiting for another writer), yield a new generation to fill, then make it current.

        The new generation starts as a checkpoint of the current one (or empty
        when there is none to trust). If the block raises, the new generation
        is removed and the current one stays as it was.
        """
        self.check_ownership()
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "write.lock", "a+") as lock:
            if not _lock(lock, exclusive=True, blocking=False):
                if notice:
                    notice(f"waiting for another jobarch process that is updating the store {self.root} …")
                _lock(lock, exclusive=True)
            previous = self.current()
            if previous is None:
                self._clear_generations()
            number = 1 + max((int(p.name[1:]) for p in self._generation_dirs()), default=0)
            generation = Generation(self.root / f"g{number:07d}")
            generation.path.mkdir()
            try:
                if previous is not None:
                    self._checkpoint(previous, generation)
                else:
                    generation.state.mkdir()
                try:
                    yield generation
                except NothingToWrite:  # another process wrote it all while this one waited for the lock
                    shutil.rmtree(generation.path, ignore_errors=True)
                    return
                atomic_write(
                    self.root / POINTER,
                    json.dumps({"format": FORMAT, "jobarch": __version__, "current": generation.path.name}, indent=1)
                    + "\n",
                )
            except BaseException:
                shutil.rmtree(generation.path, ignore_errors=True)
                raise
            self.collect()  # under the write lock: no generation is being filled

    def _checkpoint(self, source: Generation, target: Generation) -> None:
        import pyoxigraph as ox

        ox.Store.read_only(str(source.db)).backup(str(target.db))  # RocksDB hard-links its immutable files
        shutil.copytree(source.state, target.state, copy_function=_link_or_copy)

    # ------------------------------------------------------------------ cleaning up
    def _generation_dirs(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return sorted(p for p in self.root.iterdir() if p.is_dir() and p.name.startswith("g") and p.name[1:].isdigit())

    def collect(self) -> list[Path]:
        """Delete the generations that are not current and that no process reads; returns what was deleted.

        Only a writer calls this, holding the write lock, so a generation being filled is never taken for an old one.
        """
        current = self.current()
        removed = []
        for path in self._generation_dirs():
            if current is not None and path == current.path:
                continue
            try:
                handle = open(path / "readers.lock", "a+")  # noqa: SIM115
            except OSError:
                continue
            with handle:
                if _lock(handle, exclusive=True, blocking=False):
                    shutil.rmtree(path, ignore_errors=True)
                    removed.append(path)
        return removed

    def _collect_when_free(self) -> None:
        """Delete old generations if no writer is at work. A writer that is may be collecting right now, and have
        found this process still reading: waiting a moment for it to finish closes that window; a writer busy
        for longer collects again when it commits."""
        with contextlib.suppress(OSError), open(self.root / "write.lock", "a+") as lock:
            for _ in range(COLLECT_TRIES):
                if _lock(lock, exclusive=True, blocking=False):
                    self.collect()
                    return
                time.sleep(0.025)

    def _clear_generations(self) -> None:
        """Drop what this version cannot trust (another format or version, a damaged pointer, a jobarch 0.1
        store's files): it is rebuilt. Only called on a directory :meth:`check_ownership` accepted."""
        for path in self.root.iterdir():
            if path.is_dir() and path.name.startswith("g") and path.name[1:].isdigit():
                shutil.rmtree(path, ignore_errors=True)
            elif path.is_file() and path.name not in (POINTER, "write.lock"):
                path.unlink(missing_ok=True)

    def size(self) -> int:
        """Bytes on disk (hard-linked files counted once)."""
        seen, total = set(), 0
        for dirpath, _dirs, names in os.walk(self.root):
            for name in names:
                try:
                    st = os.stat(os.path.join(dirpath, name))
                except OSError:
                    continue
                if (st.st_dev, st.st_ino) not in seen:
                    seen.add((st.st_dev, st.st_ino))
                    total += st.st_size
        return total

    @staticmethod
    def clear_all(root: Path) -> list[Path]:
        """Delete every cache under ``root`` (the per-user cache directory); returns what was removed."""
        import shutil

        removed = [p for p in root.iterdir() if p.is_dir()] if root.is_dir() else []
        for path in removed:
            shutil.rmtree(path, ignore_errors=True)
        return removed

    def clear(self) -> None:
        """Delete the whole store (the next command rebuilds it)."""
        shutil.rmtree(self.root, ignore_errors=True)

    def info(self) -> dict[str, Any]:
        """What a person asks of a store directory: where, how big, which generation, from which jobarch."""
        pointer = self._pointer()
        current = self.current()
        sources = {}
        if current is not None:
            try:
                sources = json.loads((current.state / "sources.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                sources = {}
        return {
            "path": str(self.root),
            "exists": self.root.is_dir(),
            "bytes": self.size() if self.root.is_dir() else 0,
            "generation": current.path.name if current else None,
            "generations": len(self._generation_dirs()),
            "jobarch": pointer.get("jobarch"),
            "usable": current is not None,
            "files": sum(1 for e in sources.values() if e.get("kind") == "file"),
            "triples": sum(int(e.get("triples", 0)) for e in sources.values() if e.get("kind") in ("file", "ontology")),
            "updated": os.path.getmtime(self.root / POINTER) if (self.root / POINTER).exists() else None,
        }


def _link_or_copy(src: str, dst: str) -> None:
    """State files are replaced, never changed in place, so a hard link is as good as a copy."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
