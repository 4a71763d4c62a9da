"""Exports other systems accept, one module per format, registered by name.

Every export reads the store through SPARQL, so it works on every backend,
and is deterministic: the same architecture gives byte-identical output. A
new format is a module with ``DESCRIPTION`` and ``export(store, **options)``
(and, to write a directory, ``WRITES_DIRECTORY`` and ``export_directory``),
registered in :data:`EXPORTERS`; the CLI's choices follow.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import Any

from ...core.errors import JobarchError
from ...core.files import atomic_write
from ...store import Store

#: Format name -> module (in this package) that writes it.
EXPORTERS = {"skos": "skos", "esco": "esco", "schema": "schema", "sssom": "sssom", "csv": "csv", "rdf": "rdf"}


def exporter(fmt: str) -> ModuleType:
    if fmt not in EXPORTERS:
        raise JobarchError(f"unknown export format {fmt!r}", hint="formats: " + ", ".join(EXPORTERS))
    return importlib.import_module(f"{__name__}.{EXPORTERS[fmt]}")


def describe() -> dict[str, str]:
    """Each format with what it writes, for help texts."""
    return {fmt: exporter(fmt).DESCRIPTION for fmt in EXPORTERS}


def export(store: Store, fmt: str, out: Path | None = None, **options: Any) -> str | list[Path]:
    """Write ``fmt`` to ``out`` atomically (a directory, for formats that write several files), or return it as text."""
    module = exporter(fmt)
    if out is not None and getattr(module, "WRITES_DIRECTORY", False) and (out.is_dir() or out.suffix == ""):
        return list(module.export_directory(store, out))
    text: str = module.export(store, **options)
    if out is not None:
        atomic_write(out, text)
    return text


__all__ = ["EXPORTERS", "describe", "export", "exporter"]
