"""Lighthouse (mobile) on the pages people land on, served by `jobarch serve` over a synthetic architecture.

Lighthouse 12.2.3 (the last release for Node 20) is installed with npm into a
cache folder the first time; Chromium is Debian's (``/usr/bin/chromium``).
Each page is audited once the server has built its views (the profile page
with its adjacent roles), with Lighthouse's default mobile emulation and
simulated throttling. Printed: the four category scores, the Core Web
Vitals, and every weighted audit under 0.9.

    python benchmarks/bench_lighthouse.py --profiles 10000
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_journeys import serve
from common import synthetic

LIGHTHOUSE = "12.2.3"
TOOLS = Path(os.environ.get("JOBARCH_BENCH_TOOLS", Path(tempfile.gettempdir()) / "jobarch-bench-tools"))
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
    "--disable-component-update --disable-sync"
)
VITALS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift")


def lighthouse() -> Path:
    """The lighthouse command, installed with npm the first time."""
    command = TOOLS / "node_modules" / ".bin" / "lighthouse"
    if not command.exists():
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(TOOLS), "-E", f"lighthouse@{LIGHTHOUSE}"], check=True)
    return command


def audit(command: Path, url: str, name: str) -> dict:
    out = Path(tempfile.mkdtemp(prefix="jobarch-lighthouse-"))
    flags = f"{CHROME_FLAGS} --user-data-dir={out / 'profile'}"
    done = subprocess.run(
        [str(command), url, "--quiet", "--chrome-path=" + (shutil.which("chromium") or "/usr/bin/chromium")]
        + [f"--chrome-flags={flags}", "--form-factor=mobile", "--output=json", f"--output-path={out / 'report.json'}"]
        + ["--only-categories=performance,accessibility,best-practices,seo"],
        capture_output=True,
        text=True,
    )
    # Lighthouse 12 on Chromium 156 exits 1 after a gatherer it does not score fails ("frame_sequence"); the
    # report is complete unless it says runtimeError
    report_file = out / "report.json"
    if not report_file.exists():
        raise SystemExit(f"Lighthouse wrote no report for {name}: {done.stderr[-2000:]}")
    report = json.loads(report_file.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        raise SystemExit(f"Lighthouse failed on {name}: {report['runtimeError']}")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=10000)
    args = parser.parse_args()
    command = lighthouse()
    data = synthetic(args.profiles, seed=1)
    process, base, _ = serve(data, None)
    try:
        codes = [
            line.split('"')[1]
            for p in sorted(data.rglob("*.ttl"))
            for line in p.read_text(encoding="utf-8").splitlines()
            if 'ja:code "' in line and line.split('"')[1].count(".") == 2
        ]
        code, other = codes[0], codes[len(codes) // 2]
        pages = {
            "home": "/",
            "profile": f"/profiles/{code}",
            "search": "/search?q=manager",
            "level": "/levels/M2",
            "compare": f"/compare?codes={code},{other}",
        }
        deadline = time.monotonic() + 300
        while b"Being computed" in urllib.request.urlopen(base + pages["profile"], timeout=60).read():
            if time.monotonic() > deadline:
                raise SystemExit("the adjacency index was not built in 5 minutes")
            time.sleep(1)
        print(f"Lighthouse {LIGHTHOUSE}, mobile; {args.profiles:,} profiles")
        for name, path in pages.items():
            report = audit(command, base + path, name)
            scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
            audits = report["audits"]
            vitals = ", ".join(f"{v}: {audits[v]['displayValue']}" for v in VITALS)
            print(f"{name:8} {scores}  {vitals}")
            for category in report["categories"].values():
                for ref in category["auditRefs"]:
                    found = audits[ref["id"]]
                    if ref.get("weight") and found.get("score") is not None and found["score"] < 0.9:
                        print(f"           below 0.9: {ref['id']} {found['score']} {found.get('displayValue', '')}")
    finally:
        process.terminate()
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
