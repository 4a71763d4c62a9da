"""Adjacency at scale: nearest-k without all pairs.

    python benchmarks/bench_adjacency.py [--profiles 50000] [--baseline-profiles 5000]

Targets (issue: adjacent roles): on 50,000 profiles one `adjacent` query in
under 0.1 s after loading, materialising k = 10 for every profile within 60 s
and 4 GiB; against a brute-force all-pairs baseline on 5,000 profiles measured
in the same run, the same neighbours and the speed-up printed.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import synthetic, table, timed

from jobarch.domain.adjacency import AdjacencyIndex
from jobarch.graph.sources import discover
from jobarch.store import open_store


def index_for(profiles: int) -> tuple[AdjacencyIndex, dict]:
    r: dict = {}
    root = synthetic(profiles)
    store = open_store("oxigraph:" + tempfile.mkdtemp(prefix="jobarch-adj-store-"))
    with timed("load", r):
        store.sync(discover([root]))
    with timed("index", r):
        index = AdjacencyIndex.from_store(store)
    return index, r


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=50000)
    parser.add_argument("--baseline-profiles", type=int, default=5000)
    parser.add_argument("-k", type=int, default=10)
    args = parser.parse_args()
    rng = random.Random(1)

    small, _ = index_for(args.baseline_profiles)
    sample = rng.sample(sorted(small.profiles), 50)
    start = time.perf_counter()
    fast = [[(round(n.distance, 9), n.code) for n in small.nearest(c, k=args.k)] for c in sample]
    fast_s = (time.perf_counter() - start) / len(sample)
    start = time.perf_counter()
    slow = [[(round(d, 9), code) for d, code in small.nearest_brute_force(c, k=args.k)] for c in sample]
    slow_s = (time.perf_counter() - start) / len(sample)
    assert fast == slow, "nearest-k differs from brute force"

    big, r = index_for(args.profiles)
    codes = rng.sample(sorted(big.profiles), 200)
    times = []
    for c in codes:
        start = time.perf_counter()
        big.nearest(c, k=args.k)
        times.append(time.perf_counter() - start)
    out = Path(tempfile.mkdtemp(prefix="jobarch-adj-out-")) / "adjacency.ttl"
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with timed("materialise", r):
        written = big.write_turtle(out, k=args.k)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(
        f"\nAdjacency: brute force vs buckets on {args.baseline_profiles:,} profiles (50 queries, same neighbours: yes)"
    )
    print(
        table(
            [
                ("brute force, all pairs", f"{slow_s * 1000:.1f} ms", "baseline"),
                ("bucketed nearest-k", f"{fast_s * 1000:.2f} ms", f"{slow_s / fast_s:.0f}x faster"),
            ],
            ("per query", "time", "ratio"),
        )
    )
    print(f"\nAdjacency on {args.profiles:,} profiles (k = {args.k})")
    print(
        table(
            [
                ("load into Oxigraph", f"{r['load']:.1f} s", ""),
                ("build index (coordinates, skills)", f"{r['index']:.1f} s", ""),
                ("one adjacent query, median of 200", f"{statistics.median(times) * 1000:.2f} ms", "target < 100 ms"),
                ("one adjacent query, slowest of 200", f"{max(times) * 1000:.2f} ms", ""),
                (
                    f"materialise k={args.k} for all ({written:,} adjacencies)",
                    f"{r['materialise']:.1f} s",
                    "target < 60 s",
                ),
                ("peak RSS of the whole run", f"{max(rss, rss_before) / 1024:.2f} GiB", "target < 4 GiB"),
            ],
            ("step", "value", "target"),
        )
    )


if __name__ == "__main__":
    main()
