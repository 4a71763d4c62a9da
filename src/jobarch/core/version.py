"""jobarch's version: read from the installed package's metadata, the one place it is written (pyproject.toml)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("jobarch")
except PackageNotFoundError:  # pragma: no cover - running from a source tree that was never installed
    __version__ = "0+unknown"
