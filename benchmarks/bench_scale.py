"""Scale: loading and querying with the embedded Oxigraph store vs rdflib, on synthetic architectures.

    python benchmarks/bench_scale.py [--sizes 1000 10000 50000] [--rdflib-max 10000]

Targets (issue: scale): at 10,000 profiles Oxigraph loads >= 8x faster than
rdflib's Graph.parse of the same files with <= 0.5x its peak memory, and the
named queries run with a median speed-up >= 5x; 50,000 profiles load and
answer every named query. Each loader runs in a fresh process so that its
peak memory (RSS, which sees Oxigraph's Rust allocations too) is its own.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import current_rss_mib, peak_rss_mib, synthetic, table

EXAMPLES = {
    "level": "M2",
    "track": "M",
    "focus": None,
    "profile": None,
    "skill": "skill 7",
    "group": "none",
    "from": None,
    "to": None,
    "code": "51-1011",
    "text": "alias",
    "minimum": "3",
}


def _load_rdflib(files, queue):
    from rdflib import Graph

    start_rss = current_rss_mib()
    start = time.perf_counter()
    graph = Graph()
    for f in files:
        graph.parse(f, format="turtle")
    queue.put((time.perf_counter() - start, peak_rss_mib() - start_rss, len(graph)))


def _load_oxigraph(files, queue):
    from jobarch.store import open_store

    start_rss = current_rss_mib()
    start = time.perf_counter()
    store = open_store("oxigraph:" + tempfile.mkdtemp(prefix="jobarch-ox-"))
    store.sync([Path(f) for f in files])
    queue.put((time.perf_counter() - start, peak_rss_mib() - start_rss, len(store)))


def in_fresh_process(target, files):
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(files, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def query_params(store) -> dict:
    """Example parameters that exist in this synthetic architecture."""
    from jobarch import api

    codes = [str(r[0]) for r in api.query(store, "profiles_at_level", params={"level": "M2"}, timeout=None).rows]
    profile = codes[0]
    focus = profile.split(".")[1]
    other = codes[-1]
    return {**EXAMPLES, "profile": profile, "focus": focus, "from": profile, "to": other}


def time_queries(store, params, limit: float | None = None) -> dict[str, float]:
    """Seconds per named query; a query stopped at ``limit`` counts as ``limit`` (so its ratio is a lower bound)."""
    from jobarch import api
    from jobarch.core.errors import JobarchError
    from jobarch.query import named_queries

    times = {}
    for name, q in named_queries().items():
        chosen = {p.name: params[p.name] for p in q.params if p.required}
        start = time.perf_counter()
        try:
            api.query(store, name, params=chosen, timeout=limit)
        except JobarchError:
            if limit is None:
                raise
        times[name] = time.perf_counter() - start
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--rdflib-max", type=int, default=10000, help="largest size to run the rdflib baseline at")
    parser.add_argument(
        "--query-limit",
        type=float,
        default=120.0,
        help="stop an rdflib query after this many seconds (lower-bound ratio)",
    )
    args = parser.parse_args()
    from jobarch.graph.architecture import load
    from jobarch.graph.sources import discover
    from jobarch.store import open_store
    from jobarch.store.memory import MemoryStore

    load_rows, query_rows = [], []
    for size in args.sizes:
        root = synthetic(size)
        files = [str(f) for f in sorted(root.rglob("*.ttl"))]
        ox_time, ox_mem, triples = in_fresh_process(_load_oxigraph, files)
        store = open_store("oxigraph:" + tempfile.mkdtemp(prefix="jobarch-oxq-"))
        store.sync(discover([root]))
        params = query_params(store)
        ox_q = time_queries(store, params)
        if size <= args.rdflib_max:
            rd_time, rd_mem, _ = in_fresh_process(_load_rdflib, files)
            load_rows.append(
                (
                    f"{size:,}",
                    f"{triples:,}",
                    f"{rd_time:.1f}",
                    f"{ox_time:.1f}",
                    f"{rd_time / ox_time:.1f}x",
                    f"{rd_mem:,.0f}",
                    f"{ox_mem:,.0f}",
                    f"{ox_mem / rd_mem:.2f}x",
                )
            )
            memory = MemoryStore(load([root]))
            rd_q = time_queries(memory, params, limit=args.query_limit)
            ratios = {n: rd_q[n] / ox_q[n] for n in ox_q}
            query_rows.append(
                (
                    f"{size:,}",
                    f"{statistics.median(ratios.values()):.1f}x",
                    f"{min(ratios.values()):.1f}x",
                    f"{max(ratios.values()):.1f}x",
                    f"{sum(rd_q.values()):.1f}",
                    f"{sum(ox_q.values()):.1f}",
                )
            )
            del memory
            print(f"{size:,}: load {load_rows[-1]}, queries {query_rows[-1]}", flush=True)
        else:
            load_rows.append((f"{size:,}", f"{triples:,}", "-", f"{ox_time:.1f}", "-", "-", f"{ox_mem:,.0f}", "-"))
            query_rows.append((f"{size:,}", "-", "-", "-", "-", f"{sum(ox_q.values()):.1f} (all {len(ox_q)} answered)"))
    print(
        "\nLoad: rdflib Graph.parse vs Oxigraph bulk load "
        "(fresh process each; memory = peak RSS minus RSS before loading)"
    )
    print(
        table(
            load_rows,
            ("profiles", "triples", "rdflib s", "oxigraph s", "speed-up", "rdflib MiB", "oxigraph MiB", "memory ratio"),
        )
    )
    print("\nNamed queries: rdflib (memory store) vs Oxigraph, per-query time ratio")
    print(table(query_rows, ("profiles", "median speed-up", "min", "max", "rdflib total s", "oxigraph total s")))


if __name__ == "__main__":
    main()
