"""Where the architecture is and which store holds it.

Resolution order, most specific first: command-line options, then the
environment (``JOBARCH_DATA``, ``JOBARCH_STORE``), then the nearest
``jobarch.toml`` found by walking up from the current directory (as git finds
its repository), then the bundled sample architecture, so that a newcomer's
first command works anywhere.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import JobarchError, Location
from .files import parse_size
from .resources import sample_data_dir

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_NAME = "jobarch.toml"


#: The default store: an embedded Oxigraph store kept as a cache of the files (see :func:`cache_dir`).
CACHE_SELECTOR = "cache"


@dataclass
class Settings:
    data: list[Path]
    store: str = CACHE_SELECTOR  # the selector to open (``cache``: the store layer's default, in ``cache_dir``)
    base_iri: str | None = None
    adjacency: dict = field(default_factory=dict)
    config_file: Path | None = None
    graph_store: str | None = None
    cache_dir: Path | None = None
    lang: str | None = None  # the languages texts are read in when a reader asks for none (core/languages)

    @property
    def root(self) -> Path:
        """The architecture's root: jobarch.toml's directory, else the directory the data paths share. Files are
        named relative to it in a shared store, so that every checkout names them alike."""
        if self.config_file is not None:
            return self.config_file.resolve().parent
        folders = [(p if p.is_dir() else p.parent).resolve() for p in self.data] or [Path.cwd()]
        return Path(os.path.commonpath([str(f) for f in folders]))


def cache_dir(config_file: Path | None, data: Sequence[Path]) -> Path:
    """Where the default store keeps its cache of an architecture.

    Beside ``jobarch.toml`` (``.jobarch/cache``) when there is one; otherwise in
    the user's cache directory (platformdirs: ``$XDG_CACHE_HOME`` or ``~/.cache`` on Linux, ``~/Library/Caches``
    on macOS, ``%LOCALAPPDATA%`` on Windows), one
    directory per set of data paths. ``JOBARCH_CACHE_DIR`` moves the per-user
    location (tests use it to keep their caches apart).
    """
    if config_file is not None and not os.environ.get("JOBARCH_CACHE_DIR"):
        return config_file.parent / ".jobarch" / "cache"
    base = os.environ.get("JOBARCH_CACHE_DIR")
    if base:
        root = Path(base)
    else:
        from platformdirs import user_cache_path

        root = user_cache_path("jobarch", appauthor=False) / "stores"
    key = hashlib.blake2b("\n".join(sorted(str(p.resolve()) for p in data)).encode("utf-8"), digest_size=8)
    return root / key.hexdigest()


def find_config(start: Path | None = None) -> Path | None:
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        candidate = directory / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


#: What ``[jobarch]`` may hold, and the type of each value; anything else is refused, never ignored.
KEYS: dict[str, tuple[type, ...]] = {
    "data": (str, list),
    "store": (str,),
    "base_iri": (str,),
    "graph_store": (str,),
    "max_bytes": (int, str),
    "adjacency": (dict,),
    "lang": (str,),
}
ADJACENCY_KEYS = ("taxonomy_weight", "level_weight", "skill_weight", "cross_track_penalty")


def read_config(path: Path) -> dict:
    """jobarch.toml, checked: bad UTF-8, bad TOML, an unknown table or key, or a value of the wrong type is an
    error naming the file (a setting silently ignored is a wrong answer the user trusts)."""
    from .files import decode_utf8, read_bytes

    text = decode_utf8(path, read_bytes(path))
    try:
        config = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise JobarchError(f"invalid TOML: {exc}", Location(path, line)) from None
    _check_config(path, config)
    return config


def _check_config(path: Path, config: dict) -> None:
    import math

    from .errors import did_you_mean

    def refuse(message: str, hint: str | None = None) -> JobarchError:
        return JobarchError(message, Location(path), hint=hint)

    for table in config:
        if table == "adjacency":
            raise refuse("[adjacency] is not read here", hint="name the table [jobarch.adjacency]")
        if table != "jobarch":
            raise refuse(f"unknown table [{table}]", hint="jobarch reads the [jobarch] table")
    settings = config.get("jobarch", {})
    if not isinstance(settings, dict):
        raise refuse("jobarch must be a table", hint="write [jobarch] on a line of its own")
    for key, value in settings.items():
        if key not in KEYS:
            raise refuse(f"unknown setting jobarch.{key}", hint=did_you_mean(key, list(KEYS)) or "see the README")
        if not isinstance(value, KEYS[key]) or isinstance(value, bool):
            wanted = " or ".join(
                {"str": "a string", "list": "a list", "int": "a number", "dict": "a table"}[t.__name__]
                for t in KEYS[key]
            )
            raise refuse(f"jobarch.{key} must be {wanted}, not {type(value).__name__} {value!r}")
    data = settings.get("data", [])
    if isinstance(data, list) and not all(isinstance(item, str) and item for item in data):
        raise refuse("jobarch.data must list paths as strings")
    if "max_bytes" in settings:
        try:
            parse_size(settings["max_bytes"])
        except JobarchError:
            raise refuse(
                f"jobarch.max_bytes must be a positive size, not {settings['max_bytes']!r}", hint='e.g. "512M"'
            ) from None
    if "lang" in settings:
        from .languages import parse

        try:
            parse(settings["lang"])
        except JobarchError as exc:
            raise refuse(f"jobarch.lang: {exc.message}", hint='e.g. lang = "de,en"') from None
    for key, value in settings.get("adjacency", {}).items():
        if key not in ADJACENCY_KEYS:
            hint = did_you_mean(key, list(ADJACENCY_KEYS)) or "settings: " + ", ".join(ADJACENCY_KEYS)
            raise refuse(f"unknown setting jobarch.adjacency.{key}", hint=hint)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise refuse(f"jobarch.adjacency.{key} must be a number of 0 or more, not {value!r}")


def resolve(data: Sequence[str | Path] = (), store: str | None = None, start: Path | None = None) -> Settings:
    """Settings from options, environment, configuration file and defaults, in that order."""
    config_path = find_config(start)
    config = read_config(config_path).get("jobarch", {}) if config_path else {}
    root = config_path.parent if config_path else Path.cwd()

    if data:
        paths = [Path(p) for p in data]
    elif os.environ.get("JOBARCH_DATA"):
        paths = [Path(p) for p in os.environ["JOBARCH_DATA"].split(os.pathsep) if p]
    elif config.get("data"):
        raw = config["data"]
        paths = [root / p for p in ([raw] if isinstance(raw, str) else raw)]
    else:
        paths = [sample_data_dir()]
    selector = store or os.environ.get("JOBARCH_STORE") or config.get("store") or CACHE_SELECTOR
    return Settings(
        paths,
        selector,
        config.get("base_iri"),
        config.get("adjacency", {}),
        config_path,
        config.get("graph_store"),
        cache_dir(config_path, paths),
        config.get("lang"),
    )


def set_size_limit(option: str | None = None) -> None:
    """The input size limit for this process and the workers it starts: ``--max-bytes`` (or
    ``JOBARCH_MAX_BYTES``), else ``max_bytes`` in jobarch.toml, else the default (see :func:`files.max_bytes`)."""
    if not option:
        config_path = find_config()
        option = read_config(config_path).get("jobarch", {}).get("max_bytes") if config_path else None
    if option:
        os.environ["JOBARCH_MAX_BYTES"] = str(parse_size(option))
