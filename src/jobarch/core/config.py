"""Where the architecture is and which store holds it.

Resolution order, most specific first: command-line options, then the
environment (``JOBARCH_DATA``, ``JOBARCH_STORE``), then the nearest
``jobarch.toml`` found by walking up from the current directory (as git finds
its repository), then the bundled sample architecture, so that a newcomer's
first command works anywhere.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import JobarchError, Location
from .resources import sample_data_dir

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_NAME = "jobarch.toml"


@dataclass
class Settings:
    data: list[Path]
    store: str = "memory"
    base_iri: str | None = None
    adjacency: dict = field(default_factory=dict)
    config_file: Path | None = None
    graph_store: str | None = None


def find_config(start: Path | None = None) -> Path | None:
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        candidate = directory / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def read_config(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise JobarchError(f"invalid TOML: {exc}", Location(path, line)) from None


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
    selector = store or os.environ.get("JOBARCH_STORE") or config.get("store") or "memory"
    return Settings(
        paths, selector, config.get("base_iri"), config.get("adjacency", {}), config_path, config.get("graph_store")
    )
