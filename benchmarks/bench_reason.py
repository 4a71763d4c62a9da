"""Reasoning at scale: owlrl's OWL-RL closure vs the fast rules, same data-level entailments.

    python benchmarks/bench_reason.py [--baseline-profiles 1000] [--sizes 1000 10000]

Targets (issue: reasoning at scale): at 1,000 profiles the fast path is at
least 100x faster than owlrl, measured in the same run, with identical
entailments; at 10,000 profiles it finishes in under 10 s; at 50,000 it
finishes within 4 GiB. The last table runs `jobarch reason --store oxigraph:`'s
path (rules on Oxigraph's terms, no rdflib parse) in a fresh process per
size, so its peak RSS is that size's own.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import peak_rss_mib, synthetic, table

from jobarch.graph.architecture import load
from jobarch.reasoning import infer_architecture as infer


def _in_store(root: Path, queue) -> None:
    from jobarch.graph.sources import discover
    from jobarch.store import open_store

    store = open_store("oxigraph:" + tempfile.mkdtemp(prefix="jobarch-reason-"))
    start = time.perf_counter()
    store.sync(discover([root]))
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    inference = store.sync(discover([root]), reason="rules").inference
    reasoned = time.perf_counter() - start
    start = time.perf_counter()
    store.sync(discover([root]), reason="rules")
    again = time.perf_counter() - start
    queue.put((inference.data_triples, loaded, reasoned, again, len(inference.triples), peak_rss_mib() / 1024))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline-profiles", type=int, default=1000)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--store-sizes", type=int, nargs="*", default=[10000, 50000])
    args = parser.parse_args()
    rows = []
    arch = load([synthetic(args.baseline_profiles)])
    start = time.perf_counter()
    slow = infer(arch, "owlrl")
    owlrl_s = time.perf_counter() - start
    start = time.perf_counter()
    fast = infer(arch, "rules")
    rules_s = time.perf_counter() - start
    same = set(slow.graph) == set(fast.graph)
    rows.append(
        (
            f"{args.baseline_profiles:,}",
            f"{slow.data_triples:,}",
            f"{owlrl_s:.1f}",
            f"{rules_s:.2f}",
            f"{owlrl_s / rules_s:.0f}x",
            "yes" if same else "NO",
            f"{len(fast.graph):,}",
        )
    )
    for size in args.sizes:
        if size == args.baseline_profiles:
            continue
        arch = load([synthetic(size)])
        start = time.perf_counter()
        fast = infer(arch, "rules")
        rows.append(
            (
                f"{size:,}",
                f"{fast.data_triples:,}",
                "-",
                f"{time.perf_counter() - start:.2f}",
                "-",
                "-",
                f"{len(fast.graph):,}",
            )
        )
    print("\nReasoning: owlrl OWL-RL closure vs jobarch's rules (data-level entailments compared)")
    print(table(rows, ("profiles", "data triples", "owlrl s", "rules s", "speed-up", "same entailments", "inferred")))
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GiB", flush=True)
    store_rows = []
    for size in args.store_sizes:
        ctx = multiprocessing.get_context("spawn")
        queue = ctx.Queue()
        proc = ctx.Process(target=_in_store, args=(synthetic(size), queue))  # generated outside the measured process
        proc.start()
        triples, loaded, reasoned, again, inferred, rss = queue.get()
        proc.join()
        store_rows.append(
            (
                f"{size:,}",
                f"{triples:,}",
                f"{loaded:.1f}",
                f"{reasoned:.2f}",
                f"{again:.2f}",
                f"{inferred:,}",
                f"{rss:.2f}",
            )
        )
        print(store_rows[-1], flush=True)
    if store_rows:
        print("\nInside the Oxigraph store (jobarch reason --store oxigraph:PATH), fresh process per size")
        print(
            table(
                store_rows,
                ("profiles", "data triples", "load s", "rules s", "again, unchanged s", "inferred", "peak RSS GiB"),
            )
        )


if __name__ == "__main__":
    main()
