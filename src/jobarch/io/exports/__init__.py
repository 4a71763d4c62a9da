"""Exports other systems accept, one module per format, registered by name.

Every export reads the store through SPARQL, so it works on every backend,
and is deterministic: the same architecture gives byte-identical output. A
new format is a module with ``DESCRIPTION`` and ``export(store, **options)``
(and, to write a directory, ``WRITES_DIRECTORY`` and ``export_directory``),
registered in :data:`EXPORTERS`; the CLI's choices follow.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

from ...core.errors import JobarchError
from ...core.outputs import check_target, output_directory, write_output
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


def export(
    store: Store,
    fmt: str,
    out: Path | None = None,
    *,
    force: bool = False,
    protected: Iterable[Path] = (),
    **options: Any,
) -> str | list[Path]:
    """Write ``fmt`` to ``out`` (a directory, for formats that write several files) and return the files
    written, or, without ``out``, return it as text.

    The target is checked before any work (see :mod:`jobarch.core.outputs`): a file or directory jobarch did
    not write is replaced only with ``force``, the architecture's own files never."""
    module = exporter(fmt)
    if out is not None and getattr(module, "WRITES_DIRECTORY", False) and (out.is_dir() or out.suffix == ""):
        with output_directory(out, force=force, protected=protected) as staging:
            written = module.export_directory(store, staging)
        return [out / path.name for path in written]
    if out is not None:
        check_target(out, force=force, protected=protected)
    text: str = module.export(store, **options)
    if out is None:
        return text
    write_output(out, text, force=force, protected=protected)
    return [out]  # written, not printed as well


__all__ = ["EXPORTERS", "describe", "export", "exporter"]
