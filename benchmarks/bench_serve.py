"""`jobarch serve` under load: mixed requests at a fixed concurrency, beside the same pages fetched one at a time.

The server is the real command (a subprocess on loopback) over a synthetic
architecture; the load mixes profile, home, search, level, compare and focus
pages with SPARQL queries, some of them runaway ones that only the query time
limit stops. Reported: status counts (503s are the server saying it is full,
by design), latency percentiles per kind, and the peak RSS of the server and
its query workers.

    python benchmarks/bench_serve.py --profiles 5000 --requests 2000 --concurrency 20 [--sparql]

With ``--sparql`` the same load then runs over a real Oxigraph server as the store (``jobarch serve --store
sparql:URL``), loaded with ``jobarch load``, in the same run.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import oxigraph_loaded, synthetic

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
COUNT = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a <https://w3id.org/jobarch#JobProfile> }"


def fetch(url: str) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        exc.read()
        status = exc.code
    except OSError:
        status = 0  # connection refused or reset: an error
    return status, time.perf_counter() - started


def tree(pid: int) -> list[int]:
    """A process and its descendants (the query workers are children of a fork server the server started)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        ancestors, current = set(), int(entry)
        while current > 1 and current not in ancestors:
            ancestors.add(current)
            try:
                with open(f"/proc/{current}/stat") as stat:
                    current = int(stat.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                break
        if int(entry) == pid or pid in ancestors:
            found.append(int(entry))
    return found


def tree_peak_rss_mib(pid: int) -> float:
    """Peak RSS of a process and its descendants (VmHWM of each, summed)."""
    total = 0.0
    for member in tree(pid):
        try:
            with open(f"/proc/{member}/status") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:
            continue
        total += int(fields.get("VmHWM", "0 kB").split()[0]) / 1024
    return total


def tree_cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU seconds (user + system) of the server process itself, and of its descendants (with the workers they
    reaped): which of them the load kept busy."""
    own = others = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for member in tree(pid):
        try:
            with open(f"/proc/{member}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        utime, stime, cutime, cstime = (int(x) / tick for x in fields[11:15])
        if member == pid:
            own += utime + stime
        else:
            others += utime + stime + cutime + cstime
    return own, others


def percentiles(values: list[float]) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return f"p50 {pick(0.5):.3f}  p95 {pick(0.95):.3f}  p99 {pick(0.99):.3f}  max {ordered[-1]:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--query-timeout", type=float, default=5.0)
    parser.add_argument(
        "--sparql",
        action="store_true",
        help="then the same load over a real Oxigraph server (loaded with jobarch load) as the store, in this run",
    )
    args = parser.parse_args()
    data = synthetic(args.profiles)
    serve_and_load(args, data, [], "embedded store (the cache)")
    if args.sparql:
        with oxigraph_loaded(data, Path(tempfile.mkdtemp(prefix="jobarch-bench-server-"))) as selector:
            serve_and_load(args, data, ["--store", selector], f"{selector} (Oxigraph server)")


def serve_and_load(args: argparse.Namespace, data: Path, store: list[str], label: str) -> None:
    """Start `jobarch serve` over ``data`` (with ``store`` options), time the pages alone and under load."""
    print(f"\n## {label}", flush=True)
    env = {**os.environ, "JOBARCH_CACHE_DIR": tempfile.mkdtemp(prefix="jobarch-bench-cache-")}
    command = [sys.executable, "-m", "jobarch", "serve", "--data", str(data), *store]
    command += ["--query-timeout", str(args.query_timeout)]
    starts = []
    for cache in ("empty cache", "warm cache"):  # the second start finds what the first one wrote
        server, base, first, ready = start(command, env)
        starts.append(f"{cache}: first answer {first:.2f} s, first page {ready:.2f} s")
        if cache == "empty cache":
            server.terminate()
            server.wait(timeout=30)
    print("start-up: " + "; ".join(starts), flush=True)
    try:
        codes = [line.split('"')[1] for line in _grep(data, 'ja:code "') if line.count(".") >= 2][:2000]
        profiles = [c for c in codes if c.count(".") == 2]
        rng = random.Random(1)

        def request() -> tuple[str, str]:
            roll = rng.random()
            code = rng.choice(profiles)
            if roll < 0.40:
                return "profile", f"/profiles/{code}"
            if roll < 0.50:
                return "home", "/"
            if roll < 0.62:
                return "search", "/search?" + urllib.parse.urlencode({"q": rng.choice(["manager", "lead", "Family"])})
            if roll < 0.70:
                return "level", "/levels/" + rng.choice(["P2", "P3", "M1", "M2"])
            if roll < 0.78:
                return "compare", "/compare?codes=" + code + "," + rng.choice(profiles)
            if roll < 0.83:
                return "focus", "/foci/" + code.split(".")[1]
            if roll < 0.97:
                return "sparql", "/sparql?" + urllib.parse.urlencode({"query": COUNT})
            if store:  # over a shared server a runaway query would hold the server itself: counted instead
                return "sparql", "/sparql?" + urllib.parse.urlencode({"query": COUNT})
            return "runaway", "/sparql?" + urllib.parse.urlencode({"query": RUNAWAY})

        # the baseline: the same kinds of page, one at a time, drawn apart from the load (the server keeps the
        # pages it rendered: the load's own pages fetched first would be answered from there)
        baseline = [request() for _ in range(200)]
        plan = [request() for _ in range(args.requests)]
        alone: dict[str, list[float]] = defaultdict(list)
        for kind, path in baseline:
            if kind != "runaway":
                alone[kind].append(fetch(base + path)[1])
        statuses: Counter[tuple[str, int]] = Counter()
        loaded: dict[str, list[float]] = defaultdict(list)
        cpu_before = tree_cpu_seconds(server.pid)
        wall = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as pool:
            for (kind, _), (status, seconds) in zip(plan, pool.map(lambda kp: fetch(base + kp[1]), plan), strict=True):
                statuses[(kind, status)] += 1
                if status == 200:
                    loaded[kind].append(seconds)
        wall = time.perf_counter() - wall
        cpu = [after - before for after, before in zip(tree_cpu_seconds(server.pid), cpu_before, strict=True)]
        peak = tree_peak_rss_mib(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    pages = [s for k, v in loaded.items() if k not in ("sparql", "runaway") for s in v]
    pages_alone = [s for k, v in alone.items() if k not in ("sparql", "runaway") for s in v]
    print(
        f"{args.profiles:,} profiles; {args.requests:,} requests at concurrency {args.concurrency}; "
        f"load took {wall:.1f} s ({args.requests / wall:.0f} req/s)"
    )
    print(f"peak RSS, server and workers: {peak:,.0f} MiB")
    print(f"CPU during the load: server process {cpu[0]:.1f} s, query workers {cpu[1]:.1f} s ({wall:.1f} s wall)")
    errors = sum(n for (kind, status), n in statuses.items() if status not in (200, 503) and kind != "runaway")
    print("statuses:", ", ".join(f"{k}:{s}={n}" for (k, s), n in sorted(statuses.items())), f"| errors: {errors}")
    print(f"pages alone      {percentiles(pages_alone)}")
    print(f"pages under load {percentiles(pages)}")
    for kind in sorted(loaded):
        print(
            f"  {kind:<8} alone {statistics.median(alone[kind]) if alone.get(kind) else float('nan'):.3f}  "
            f"loaded {percentiles(loaded[kind])}"
        )


def start(command: list[str], env: dict[str, str]) -> tuple[subprocess.Popen, str, float, float]:
    """Start `jobarch serve` on a free port: the server, its base URL, the seconds until its first answer (the
    page saying it is starting counts) and until its first page (200)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    server = subprocess.Popen(
        [*command, "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    first = None
    while True:
        status = fetch(f"{base}/")[0]
        if status and first is None:
            first = time.perf_counter() - started
        if status == 200:
            return server, base, first or 0.0, time.perf_counter() - started
        if server.poll() is not None:
            raise SystemExit("the server did not start")
        time.sleep(0.05)


def _grep(root: Path, needle: str) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.ttl")):
        found += [line for line in path.read_text(encoding="utf-8").splitlines() if needle in line]
    return found


if __name__ == "__main__":
    main()
