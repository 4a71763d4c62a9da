"""Shared helpers for the benchmarks: timing, peak memory, synthetic data, tables.

Every benchmark measures its baseline in the same run, on the same machine,
and prints ratios: absolute times on shared machines are noise.
"""

from __future__ import annotations

import gc
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jobarch.io.synth import synthesize


@contextmanager
def timed(label: str, results: dict, memory: bool = False):
    """Time a block (wall clock) and, if asked, its peak Python heap with tracemalloc."""
    gc.collect()
    if memory:
        tracemalloc.start()
    start = time.perf_counter()
    try:
        yield
    finally:
        results[label] = time.perf_counter() - start
        if memory:
            results[label + " peak MiB"] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()


def synthetic(profiles: int, seed: int = 7) -> Path:
    """A fresh synthetic architecture in a temporary directory (never in the repository)."""
    root = Path(tempfile.mkdtemp(prefix=f"jobarch-bench-{profiles}-"))
    synthesize(profiles, seed, root)
    return root


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mib() -> float:
    """RSS right now (a baseline: imports done, nothing loaded yet)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def peak_rss_mib() -> float:
    """This process's own peak RSS. Not ru_maxrss: Linux carries that across exec, so a
    spawned child would report its parent's peak when the parent's was higher."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return rss_mib()


def machine() -> str:
    return f"{os.cpu_count()} cores, Python {os.sys.version.split()[0]}"


def table(rows: list[tuple], headers: tuple) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=True)]

    def line(r: tuple) -> str:
        return "| " + " | ".join(str(x).ljust(w) for x, w in zip(r, widths, strict=True)) + " |"

    return "\n".join([line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)])


@contextmanager
def oxigraph_loaded(data: Path, work: Path) -> Iterator[str]:
    """A real Oxigraph server (the tests' helper starts it) loaded with ``data`` by `jobarch load` as a user
    would; yields its store selector. The load's seconds are printed."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.conftest import oxigraph_serving

    with oxigraph_serving(work / "server") as url:
        selector = f"sparql:{url}/query"
        env = {**os.environ, "JOBARCH_CACHE_DIR": str(work / "load-cache")}
        started = time.perf_counter()
        command = [sys.executable, "-m", "jobarch", "load", "--store", selector, "--data", str(data)]
        subprocess.run(command, env=env, check=True, capture_output=True)
        print(f"  loaded into {selector} in {time.perf_counter() - started:.2f} s", flush=True)
        yield selector
