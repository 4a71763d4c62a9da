"""What git knows about the curators' files: which changed since a revision, and a file as it was."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path

from .errors import JobarchError


def git_bytes(args: list[str], cwd: Path) -> bytes:
    """Run git; its output as bytes; its failure becomes a JobarchError with git's own message."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise JobarchError("git is not installed", hint="install git, or name the files to check with --only") from None
    if done.returncode != 0:
        raise JobarchError(
            f"git {' '.join(args[:3])} failed: {done.stderr.decode('utf-8', 'replace').strip()}",
            hint="run inside the git repository of the architecture, or name the files with --only",
        )
    return done.stdout


def git(args: list[str], cwd: Path) -> str:
    """Run git; its output as text."""
    return git_bytes(args, cwd).decode("utf-8", "replace")


def top_level(start: Path) -> Path:
    return Path(git(["rev-parse", "--show-toplevel"], start.resolve()).strip())


def changed_files(paths: list[Path], since: str = "HEAD") -> list[Path]:
    """Files under ``paths`` that differ from ``since`` (staged, unstaged or untracked)."""
    start = next((p if p.is_dir() else p.parent for p in paths), Path.cwd())
    top = top_level(start)
    names = git(["diff", "--name-only", since, "--"], top).splitlines()
    names += git(["ls-files", "--others", "--exclude-standard"], top).splitlines()
    roots = [p.resolve() for p in paths]
    found = []
    for name in sorted(set(names)):
        full = (top / name).resolve()
        if full.exists() and any(full == r or r in full.parents for r in roots):
            found.append(full)
    return found


def files_at(
    revision: str, paths: list[Path], suffixes: tuple[str, ...] = (), only: Iterable[str] | None = None
) -> dict[str, bytes]:
    """The files under ``paths`` (ending in one of ``suffixes``, if given; among ``only``, if given) as they were
    at ``revision``: repository-relative name -> content, read in one ``git cat-file --batch``."""
    top = top_level(Path.cwd())
    rel = [str(p.resolve().relative_to(top)) for p in paths]
    names = git(["ls-tree", "-r", "--name-only", revision, "--", *rel], top).splitlines()
    wanted = [n for n in names if not suffixes or Path(n).suffix.lower() in suffixes]
    if only is not None:
        keep = set(only)
        wanted = [n for n in wanted if n in keep]
    if not wanted:
        return {}
    try:
        done = subprocess.run(
            ["git", "cat-file", "--batch"],
            cwd=top,
            input="".join(f"{revision}:{name}\n" for name in wanted).encode("utf-8"),
            capture_output=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        raise JobarchError(f"git cat-file failed: {exc}") from None
    found, out, at = {}, done.stdout, 0
    for name in wanted:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        size = int(header[2])
        found[name] = out[end + 1 : end + 1 + size]
        at = end + 1 + size + 1
    return found


def changed_between(
    first: str, second: str | None, paths: list[Path], suffixes: tuple[str, ...] = ()
) -> dict[str, Path]:
    """The files under ``paths`` that differ between ``first`` and ``second`` (None: the working tree, untracked
    files included), by repository-relative name, with their path in the working tree. git answers from its
    index and the files' stat data: nothing unchanged is read."""
    top = top_level(next((p if p.is_dir() else p.parent for p in paths), Path.cwd()))
    rel = [str(p.resolve().relative_to(top)) for p in paths]
    revisions = [first] if second is None else [first, second]
    names = git(["diff", "--name-only", "--no-renames", *revisions, "--", *rel], top).splitlines()
    if second is None:
        names += git(["ls-files", "--others", "--exclude-standard", "--", *rel], top).splitlines()
    return {n: top / n for n in sorted(set(names)) if not suffixes or Path(n).suffix.lower() in suffixes}
