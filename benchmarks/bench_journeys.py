"""The journeys' pages at size: `jobarch serve` (a subprocess on loopback) over a synthetic architecture, each
page fetched six times in a row once the server's start-up work is done: the first (the page rendered) and the
median of the rest (kept pages answer those), its status and size. With ``--baseline SRC`` the same pages are
fetched from a second server run from another checkout's ``src`` in the same run (these machines are noisy:
compare within a run only).

    python benchmarks/bench_journeys.py --profiles 10000 --baseline /tmp/old/src
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine, synthetic, table


def pages(codes: list[str]) -> dict[str, str]:
    """The journeys' pages, between profiles of the synthetic architecture chosen by position."""
    first, near, far = codes[0], codes[1], codes[len(codes) * 9 // 10]
    function, focus = first.split(".")[0], first.split(".")[1]
    same_function = next(c for c in codes[10:] if c.split(".")[0] == function and c.split(".")[1] != focus)
    return {
        "search, 1st page": "/search?q=manager",
        "search, page 20": "/search?q=manager&page=20",
        "search, typo": "/search?q=managr+focsu",
        "path in a function": f"/path?from={first}&to={same_function}",
        "path across functions": f"/path?from={first}&to={far}&band=stretch",
        "no path (partial)": f"/path?from={first}&to={far}&band=partial",
        "compare three": f"/compare?codes={first},{near},{far}",
        "match, a line skipped": "/match?" + urllib.parse.urlencode({"skills": "Skill 1=3\nSkill 2=Advanced\nbogus=2"}),
        "match from a profile": f"/match?from={first}",
        "ladder": f"/foci/{focus}/ladder",
        "level": "/levels/M2",
        "named query": "/queries/thinly_sourced_profiles",
    }


def serve(data: Path, src: str | None) -> tuple[subprocess.Popen, str, float]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, **({"PYTHONPATH": src} if src else {}))
    start = time.monotonic()
    command = [sys.executable, "-m", "jobarch", "serve", "--data", str(data), "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    while True:  # the pages are measured warm: once the server has built its indexes (search says so meanwhile)
        try:
            urllib.request.urlopen(base + "/search?q=warm", timeout=60).read()
            break
        except OSError:
            if process.poll() is not None:
                raise SystemExit("the server did not start") from None
            time.sleep(0.1)
    ready = time.monotonic() - start
    settled(process.pid)
    return process, base, ready


def settled(pid: int, deadline: float = 120.0) -> None:
    """Wait until the server's start-up work in the background is done: its CPU time still for a second."""

    def cpu() -> float:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    end = time.monotonic() + deadline
    while time.monotonic() < end:
        before = cpu()
        time.sleep(1.0)
        if cpu() - before < 0.05:
            return


def fetch(base: str, path: str) -> tuple[int, int, float]:
    start = time.monotonic()
    try:
        with urllib.request.urlopen(base + path, timeout=300) as response:
            body, status = response.read(), response.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read(), exc.code
    return status, len(body), time.monotonic() - start


def measure(data: Path, src: str | None, wanted: dict[str, str]) -> tuple[float, dict[str, tuple]]:
    process, base, started = serve(data, src)
    try:
        out = {}
        for name, path in wanted.items():
            runs = [fetch(base, path) for _ in range(6)]
            out[name] = (runs[0][0], runs[0][1], runs[0][2], statistics.median(r[2] for r in runs[1:]))
        return started, out
    finally:
        process.terminate()
        process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--data", type=Path, help="an architecture to serve instead of a synthetic one")
    parser.add_argument("--baseline", help="another checkout's src directory, served and measured in the same run")
    args = parser.parse_args()
    data = args.data or synthetic(args.profiles, seed=1)
    listed = subprocess.run(
        [sys.executable, "-m", "jobarch", "query", "profiles", "--data", str(data), "--format", "csv"],
        capture_output=True,
        text=True,
        check=True,
    )
    codes = [line.split(",")[0] for line in listed.stdout.splitlines()[1:]]
    wanted = pages(codes)
    started, now = measure(data, None, wanted)
    before = measure(data, args.baseline, wanted) if args.baseline else None
    print(f"{machine()}; {len(codes):,} profiles; server ready (search answers) after {started:.1f} s")
    rows = []
    for name in wanted:
        status, size, first, warm = now[name]
        row = [name, status, f"{size / 1024:.0f}", f"{first * 1000:.0f}", f"{warm * 1000:.0f}"]
        if before is not None:
            b_status, b_size, _, b_warm = before[1][name]
            row.append(f"{b_status}, {b_size / 1024:.0f} KB, {b_warm * 1000:.0f} ms")
        rows.append(tuple(row))
    headers = ("page", "status", "KB", "first ms", "warm ms") + (("baseline",) if before is not None else ())
    print(table(rows, headers))


if __name__ == "__main__":
    main()
