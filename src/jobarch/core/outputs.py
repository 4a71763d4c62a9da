"""Writing results where a curator's work may be: never replace what jobarch did not write.

jobarch remembers the digest of every result file it writes, in a small
ledger in the user's cache directory. Replacing a file is allowed when the
file on disk is one jobarch wrote and nobody has edited since; anything else
needs ``force`` (``--force``). A curator's architecture files (``protected``)
are never a target, not even with ``force``.

A result of several files (``import``, ``export esco -o DIR``, ``synth``) is
written into a staging directory beside the target and swapped in once it
is complete: a killed run leaves the old directory or the new one, never a
mix, and what the new result replaces is removed only after it succeeded.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import JobarchError, Location
from .files import atomic_write, content_stamp, display_path, umask

_LEDGER_LIMIT = 20_000  # entries kept; the oldest are forgotten first (a forgotten file then needs --force)


def ledger_path() -> Path:
    """Beside the stores in the per-user cache directory (``JOBARCH_CACHE_DIR`` moves both)."""
    moved = os.environ.get("JOBARCH_CACHE_DIR")
    if moved:
        return Path(moved) / "written.json"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "jobarch" / "written.json"


def _ledger() -> dict[str, str]:
    try:
        entries = json.loads(ledger_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return entries if isinstance(entries, dict) else {}


def remember(paths: Iterable[Path]) -> None:
    """Record these files as jobarch's own, as they are on disk now."""
    entries = _ledger()
    for path in paths:
        if not Path(path).is_file():
            continue
        key = str(Path(path).resolve())
        entries.pop(key, None)  # re-inserted last: the dict's order is the forgetting order
        entries[key] = content_stamp(path)
    if len(entries) > _LEDGER_LIMIT:
        entries = dict(list(entries.items())[-_LEDGER_LIMIT:])
    with contextlib.suppress(OSError):  # a read-only cache costs a later --force, never the result
        atomic_write(ledger_path(), json.dumps(entries, indent=0, sort_keys=False))


def written_by_jobarch(path: Path, ledger: dict[str, str] | None = None) -> bool:
    """True when jobarch wrote this file and its bytes are still the ones written (``ledger``: one already read)."""
    recorded = (_ledger() if ledger is None else ledger).get(str(Path(path).resolve()))
    try:
        return recorded is not None and content_stamp(path) == recorded
    except JobarchError:
        return False


def _refuse_protected(path: Path, protected: Iterable[Path]) -> None:
    target = path.resolve()
    if any(target == p.resolve() for p in protected):
        raise JobarchError(
            "refusing to write a result over one of the architecture's own files",
            Location(path),
            hint="choose another -o path (jobarch fmt is the command that rewrites curators' files)",
        )


def check_target(path: Path, *, force: bool = False, protected: Iterable[Path] = ()) -> None:
    """Refuse, before any work is done, a target that holds someone's work."""
    path = Path(path)
    _refuse_protected(path, protected)
    if path.is_dir():
        raise JobarchError("is a directory; this result is one file", Location(path), hint="give a file name with -o")
    if path.is_file() and not force and not written_by_jobarch(path):  # a device (-o /dev/null) is written to
        raise JobarchError(
            "file exists and jobarch did not write it (or it was edited since)",
            Location(path),
            hint="pass --force to replace it, or choose another -o path",
        )


def write_output(path: Path, content: str | bytes, *, force: bool = False, protected: Iterable[Path] = ()) -> Path:
    """Write one result file atomically, after :func:`check_target`; returns the path."""
    path = Path(path)
    check_target(path, force=force, protected=protected)
    atomic_write(path, content)
    remember([path])
    return path


def check_directory(path: Path, *, force: bool = False, protected: Iterable[Path] = ()) -> None:
    """Refuse a target directory that holds files jobarch did not write (unless ``force``), and always one
    that holds directories or the architecture's own files: replacing it would lose them."""
    path = Path(path)
    if not path.exists():
        return
    if not path.is_dir():
        raise JobarchError("exists and is not a directory", Location(path), hint="choose a directory with -o")
    entries = list(path.iterdir())
    protected_set = {p.resolve() for p in protected}
    held = [e for e in entries if e.is_dir() or e.resolve() in protected_set]
    if held:
        raise JobarchError(
            f"refusing to replace a directory that holds {display_path(held[0])}"
            + (" (a directory)" if held[0].is_dir() else " (one of the architecture's files)"),
            Location(path),
            hint="write into a new or empty directory",
        )
    ledger = _ledger()  # read once for the whole directory
    foreign = sorted(e.name for e in entries if not written_by_jobarch(e, ledger))
    if foreign and not force:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise JobarchError(
            f"directory holds files jobarch did not write (or that were edited since): {shown}",
            Location(path),
            hint="pass --force to replace the directory's contents, or choose a new directory",
        )


@contextlib.contextmanager
def output_directory(path: Path, *, force: bool = False, protected: Iterable[Path] = ()) -> Iterator[Path]:
    """A staging directory to write a multi-file result into; swapped in for ``path`` when the block succeeds
    (the old contents removed only then), discarded when it fails."""
    path = Path(path)
    check_directory(path, force=force, protected=protected)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent))
    except OSError as exc:  # a read-only file system, a missing or unwritable parent, a parent that is a file
        raise _cannot_write(path, exc) from None
    try:
        yield staging
        os.chmod(staging, path.stat().st_mode & 0o7777 if path.exists() else 0o777 & ~umask())
        retired = None
        if path.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old", dir=path.parent))
            os.rmdir(retired)
            os.replace(path, retired)
        os.replace(staging, path)
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise _cannot_write(path, exc) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    remember(p for p in path.iterdir() if p.is_file())


def _cannot_write(path: Path, exc: OSError) -> JobarchError:
    return JobarchError(
        f"cannot write directory: {exc.strerror or exc}",
        Location(path),
        hint="choose a directory on a writable file system (-o)",
    )
