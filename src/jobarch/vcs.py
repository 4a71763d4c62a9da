"""What git knows about the curators' files: which changed since a revision."""
from __future__ import annotations

import subprocess
from pathlib import Path

from .errors import JobarchError


def _git(args: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise JobarchError("git is not installed", hint="install git, or name the files to check with --only") from None
    if done.returncode != 0:
        raise JobarchError(f"git {' '.join(args)} failed: {done.stderr.strip() or done.stdout.strip()}",
                           hint="run inside the git repository of the architecture, or name the files with --only")
    return done.stdout


def changed_files(paths: list[Path], since: str = "HEAD") -> list[Path]:
    """Files under ``paths`` that differ from ``since`` (staged, unstaged or untracked)."""
    start = next((p if p.is_dir() else p.parent for p in paths), Path.cwd())
    top = Path(_git(["rev-parse", "--show-toplevel"], start.resolve()).strip())
    names = _git(["diff", "--name-only", since, "--"], top).splitlines()
    names += _git(["ls-files", "--others", "--exclude-standard"], top).splitlines()
    roots = [p.resolve() for p in paths]
    found = []
    for name in sorted(set(names)):
        full = (top / name).resolve()
        if full.exists() and any(full == r or r in full.parents for r in roots):
            found.append(full)
    return found
