"""Validation at scale: jobarch vs plain pyshacl, and --changed vs the full run.

    python benchmarks/bench_validate.py --profiles 10000 [--baseline-timeout 3600]

Targets (issue: SHACL validation): full validation no slower than plain
pyshacl on the same graph and shapes; validating after editing one file at
least 20x faster than the full run. Both sides of each ratio run here, now.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import pyshacl
from common import synthetic, table, timed
from rdflib import Graph

from jobarch.graph.architecture import load
from jobarch.validation import shapes_graph, validate


def _plain(files: list[str], queue) -> None:
    graph = Graph()
    for f in files:
        graph.parse(f, format="turtle")
    from jobarch.core.resources import ontology_path

    graph.parse(ontology_path(), format="turtle")
    start = time.perf_counter()
    conforms, report, _ = pyshacl.validate(graph, shacl_graph=shapes_graph(), inference="none")
    queue.put((time.perf_counter() - start, len(list(report.subjects()))))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=10000)
    parser.add_argument(
        "--baseline-timeout",
        type=float,
        default=3600.0,
        help="stop plain pyshacl after this many seconds and report a lower bound",
    )
    args = parser.parse_args()
    root = synthetic(args.profiles)
    files = sorted(root.rglob("*.ttl"))
    r: dict = {}
    with timed("load", r):
        arch = load([root])
    with timed("full", r):
        full = validate(arch)
    edited = next(f for f in reversed(files) if f.name.startswith("family-"))
    edited.write_text(edited.read_text(encoding="utf-8").replace("ja:score 5 ]", "ja:score 3 ]", 1), encoding="utf-8")
    with timed("load (after edit)", r):
        arch = load([root])
    with timed("changed", r):
        changed = validate(arch, only=[edited])
    queue: multiprocessing.Queue = multiprocessing.Queue()
    proc = multiprocessing.Process(target=_plain, args=([str(f) for f in files], queue))
    proc.start()
    proc.join(args.baseline_timeout)
    if proc.is_alive():
        proc.terminate()
        plain, plain_note = args.baseline_timeout, f"> {args.baseline_timeout:.0f} (stopped)"
    else:
        plain, _ = queue.get()
        plain_note = f"{plain:.1f}"
    print(
        f"\nValidation, {args.profiles} profiles, {len(arch.dataset):,} triples, {len(files)} files; "
        f"full run: {len(full.findings)} results, changed run: {len(changed.findings)} results"
    )
    rows = [
        ("load (rdflib parse, per-file graphs)", f"{r['load']:.1f}", ""),
        ("plain pyshacl, validation only", plain_note, "baseline"),
        (
            "jobarch validate, full",
            f"{r['full']:.1f}",
            f"{plain / r['full']:.1f}x faster than plain" + (" (lower bound)" if plain_note.startswith(">") else ""),
        ),
        (
            "jobarch validate --only <edited file>",
            f"{r['changed']:.1f}",
            f"{r['full'] / r['changed']:.1f}x faster than full",
        ),
        ("end to end, full (load + validate)", f"{r['load'] + r['full']:.1f}", ""),
        (
            "end to end, changed (load + validate)",
            f"{r['load (after edit)'] + r['changed']:.1f}",
            f"{(r['load'] + r['full']) / (r['load (after edit)'] + r['changed']):.1f}x faster",
        ),
    ]
    print(table(rows, ("step", "seconds", "ratio")))


if __name__ == "__main__":
    main()
