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
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .errors import JobarchError, Location

#: Files larger than this are refused unless the user raises the limit (--max-bytes, JOBARCH_MAX_BYTES,
#: jobarch.toml's max_bytes).
DEFAULT_MAX_BYTES = 512 * 1024 * 1024
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?", re.I)


def parse_size(text: str | int) -> int:
    """``200M``, ``1.5G``, ``1048576``: a size in bytes (binary multiples, as ``du -h`` shows them)."""
    match = _SIZE.fullmatch(str(text).strip())
    if not match:
        raise JobarchError(f"not a size: {text!r}", hint="write it as bytes or with K, M or G, e.g. 512M")
    number, unit = float(match.group(1)), match.group(2).lower()
    size = int(number * 1024 ** " kmgt".index(unit or " "))
    if size <= 0:
        raise JobarchError(f"a size limit of {text!r} would refuse every file", hint="give a size above 0, e.g. 512M")
    return size


def max_bytes() -> int:
    """The size limit in force: ``--max-bytes`` and ``jobarch.toml`` set ``JOBARCH_MAX_BYTES`` for the process
    (and the query workers it starts), else the default."""
    configured = os.environ.get("JOBARCH_MAX_BYTES")
    return parse_size(configured) if configured else DEFAULT_MAX_BYTES


def umask() -> int:
    """The process's umask (reading it means setting it; it is put straight back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path, content: str | bytes) -> None:
    """Replace ``path`` with ``content`` in one step (see :func:`atomic_write_chunks`)."""
    atomic_write_chunks(path, [content.encode("utf-8") if isinstance(content, str) else content])


def atomic_write_chunks(path: Path, chunks: Iterable[bytes]) -> None:
    """Replace ``path`` with the bytes of ``chunks`` in one step (a large result never whole in memory); a new
    file gets the mode the umask allows.

    A symbolic link is written through (the link stays); a device or FIFO (``-o /dev/null``, ``/dev/stdout``)
    is written to, never replaced by a file. A failed write is a JobarchError naming the path."""
    path = Path(path)
    try:
        if path.exists() and not path.is_file():
            if path.is_dir():
                raise JobarchError("is a directory", Location(path), hint="give a file name")
            with open(path, "wb") as handle:
                handle.writelines(chunks)
            return
        target = path.resolve() if path.is_symlink() else path
        target.parent.mkdir(parents=True, exist_ok=True)
        _replace(target, chunks)
    except OSError as exc:
        raise JobarchError(f"cannot write: {exc.strerror or exc}", Location(path)) from None


def _replace(path: Path, chunks: Iterable[bytes]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.writelines(chunks)
            handle.flush()
            os.fsync(handle.fileno())
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~umask()
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """A regular file's bytes, refusing special files and stopping at the limit (:func:`max_bytes`) while reading."""
    return b"".join(read_chunks(path, limit, size=None))


def read_chunks(path: Path, limit: int | None = None, size: int | None = 1 << 20) -> Iterator[bytes]:
    """A regular file's bytes in chunks of ``size`` (None: one chunk), refusing special files (a FIFO would block
    forever, ``/dev/zero`` never ends) and stopping at the limit while reading, never trusting ``st_size``."""
    path = Path(path)
    limit = max_bytes() if limit is None else limit
    read = 0
    try:
        with open(path, "rb", opener=_open_no_block) as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise JobarchError(
                    "not a regular file (a device, FIFO or socket is never read)",
                    Location(path),
                    hint="give jobarch a regular file (copy a stream to a file first)",
                )
            while chunk := handle.read(limit + 1 - read if size is None else min(size, limit + 1 - read)):
                read += len(chunk)
                if read > limit:
                    raise JobarchError(
                        f"file is over the limit of {limit:,} bytes",
                        Location(path),
                        hint="raise the limit with --max-bytes (or max_bytes in jobarch.toml) "
                        "if it is meant to be this large",
                    )
                yield chunk
    except OSError as exc:
        raise JobarchError(f"cannot read file: {exc.strerror}", Location(path)) from None


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


def read_text(path: Path, limit: int | None = None) -> str:
    """Read a curator's file as UTF-8 (bounded, regular files only)."""
    return decode_utf8(Path(path), read_bytes(path, limit))


def content_stamp(path: Path) -> str:
    """A digest of a file's bytes: a store knows a file changed by its content, never by mtime and size
    (``cp -p`` and ``rsync -a`` restore both)."""
    hasher = new_hasher()
    for chunk in read_chunks(path):
        hasher.update(chunk)
    return hasher.hexdigest()


def digest(data: bytes) -> str:
    """The one content digest jobarch uses for files (store freshness, the ledger of written results)."""
    hasher = new_hasher()
    hasher.update(data)
    return hasher.hexdigest()


def new_hasher() -> Any:
    """The hash behind :func:`digest`, to feed in pieces."""
    import hashlib

    return hashlib.blake2b(digest_size=16)


def display_path(path: Path) -> str:
    """A path relative to the working directory when it is below it, as editors and CI expect."""
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:  # another drive on Windows
        return str(path)
