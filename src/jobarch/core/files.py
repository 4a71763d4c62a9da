"""Reading and writing curators' files safely.

Writes are atomic (a temporary file in the same directory, then a rename), so
a reader or a crash never sees half a file, and they get the permissions the
user's umask gives a new file (or the old file's, when one is replaced).
Reads are bounded while reading, not by trusting ``st_size``, and refuse
what is not a regular file (a FIFO would block forever, ``/dev/zero`` never
ends).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from .errors import JobarchError, Location

#: Files larger than this are refused unless the caller raises the limit (--max-bytes, jobarch.toml's max_bytes).
DEFAULT_MAX_BYTES = 512 * 1024 * 1024


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path, content: str | bytes) -> None:
    """Replace ``path`` with ``content`` in one step; a new file gets the mode the umask allows."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A regular file's bytes, refusing special files and stopping at ``max_bytes`` while reading."""
    path = Path(path)
    try:
        with open(path, "rb", opener=_open_no_block) as handle:
            mode = os.fstat(handle.fileno()).st_mode
            if not stat.S_ISREG(mode):
                raise JobarchError(
                    "not a regular file (a device, FIFO or socket is never read)",
                    Location(path),
                    hint="point jobarch at the Turtle files themselves",
                )
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise JobarchError(f"cannot read file: {exc.strerror}", Location(path)) from None
    if len(data) > max_bytes:
        raise JobarchError(
            f"file is over the limit of {max_bytes:,} bytes",
            Location(path),
            hint="raise the limit with --max-bytes (or max_bytes in jobarch.toml) if it is meant to be this large",
        )
    return data


def _open_no_block(path: str, flags: int) -> int:
    """Open without blocking on a FIFO that has no writer (the check above then refuses it)."""
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def decode_utf8(path: Path, data: bytes) -> str:
    """Text of a file as UTF-8, naming the line and column of the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise JobarchError(
            f"file is not UTF-8 (byte 0x{data[exc.start]:02x})",
            Location(path, line, col),
            hint="save the file as UTF-8",
        ) from None


def read_text(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read a curator's file as UTF-8 (bounded, regular files only)."""
    return decode_utf8(Path(path), read_bytes(path, max_bytes))


def content_stamp(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """A digest of a file's bytes: a store knows a file changed by its content, never by mtime and size
    (``cp -p`` and ``rsync -a`` restore both)."""
    import hashlib

    return hashlib.blake2b(read_bytes(path, max_bytes), digest_size=16).hexdigest()


def display_path(path: Path) -> str:
    """A path relative to the working directory when it is below it, as editors and CI expect."""
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:  # another drive on Windows
        return str(path)
