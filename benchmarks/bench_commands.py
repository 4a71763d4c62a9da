"""Every command the way a user runs it: a subprocess, cold (no cache) and warm, with its own peak memory.

    python benchmarks/bench_commands.py [--sizes 1000 10000 50000] [--memory-max 10000] [--timeout 600]

For each size a synthetic architecture is generated (never committed). Every
command runs as ``python -m jobarch ...`` with the default store (the warm
cache): first on an empty cache directory (cold: what the first command after
a clone costs), then again (warm). Beside it, in the same run, the same
command the way it ran before (``--store memory``: rdflib, every file parsed
each time; ``validate --engine pyshacl``) up to ``--memory-max`` profiles, on
a few representative commands (they take minutes each at 10,000 profiles), and with ``--before SRC`` every
command as an earlier jobarch ran it (cold / warm, its own cache). Peak RSS is each child's own
(``wait4``). Targets (issue: every command at real size): at 10,000 profiles
warm read commands <= 1 s, exports <= 10 s, the first command after a clone
<= 10 s; at 50,000, warm reads <= 2 s and <= 2 GiB for any command. With ``--sparql``, the read commands,
queries and exports also run over a real Oxigraph server loaded by ``jobarch load`` (first and second run,
each with its own cache directory: what a command derives is kept per server state).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import machine, oxigraph_loaded, synthetic, table

MEMORY = ["--store", "memory"]
BASELINES = {  # the same command the way it ran before: rdflib's memory store, or pyshacl for validation
    "show": MEMORY,
    "adjacent": MEMORY,
    "stats": MEMORY,
    "query profiles_at_level": MEMORY,
    "export csv": MEMORY,
    "match": MEMORY,
    "validate": ["--engine", "pyshacl"],
}
READS = {"show", "adjacent", "compare", "path", "stats", "match"}


def codes(root: Path) -> dict[str, str]:
    """Codes to run the commands with: a profile, one of the same focus, one elsewhere, its focus."""
    text = next(root.rglob("family-01.ttl")).read_text(encoding="utf-8")
    found = re.findall(r'ja:code "([A-Z0-9]+\.([A-Z0-9]+)\.([PM]\d))"', text)
    first = found[0]
    same_focus = next(c for c in found[1:] if c[1] == first[1])
    other = next(c for c in found if c[1] != first[1])
    file = next(root.rglob("family-01.ttl"))
    return {"profile": first[0], "focus": first[1], "same": same_focus[0], "other": other[0], "file": str(file)}


def commands(c: dict[str, str], classification: Path, out: Path) -> list[tuple[str, list[str]]]:
    queries = [
        ("adjacent_profiles", ["--param", f"profile={c['profile']}"]),
        ("alias_search", ["--param", "text=alias"]),
        ("coverage_matrix", []),
        ("distinct_foci", ["--param", f"focus={c['focus']}"]),
        ("focus_ladder", ["--param", f"focus={c['focus']}"]),
        ("levels", []),
        ("occupation_codes", []),
        ("profile_skills", ["--param", f"profile={c['profile']}"]),
        ("profile_sources", ["--param", f"profile={c['profile']}"]),
        ("profiles", []),
        ("profiles_at_level", ["--param", "level=M2"]),
        ("profiles_by_occupation_code", ["--param", "code=51-1011"]),
        ("profiles_needing_skill", ["--param", "skill=Skill 7"]),
        ("profiles_needing_skill_group", ["--param", "group=none"]),
        ("profiles_on_track", ["--param", "track=M"]),
        ("quality_failures", []),
        ("skill_gap", ["--param", f"from={c['profile']}", "--param", f"to={c['other']}"]),
        ("skills_stepping_up", ["--param", f"profile={c['profile']}"]),
        ("profiles_matching_skills", ["--param", "skill1=Skill 7", "--param", "level1=3", "--param", "skill2=Skill 1"]),
        ("skills", []),
        ("taxonomy", []),
        ("thinly_sourced_profiles", []),
        ("unmapped_profiles", []),
    ]
    return [
        ("show", ["show", c["profile"], "--format", "text"]),
        ("adjacent", ["adjacent", c["profile"]]),
        ("compare", ["compare", c["profile"], c["other"], "--format", "json"]),
        ("path", ["path", c["profile"], c["same"]]),
        ("stats", ["stats", "--format", "json"]),
        ("match", ["match", "--skill", "Skill 7=3", "--skill", "Skill 12=2", "--skill", "Skill 31", "--format", "csv"]),
        *[(f"query {name}", ["query", name, *params, "--format", "csv"]) for name, params in queries],
        ("validate", ["validate", "--format", "json"]),
        ("validate --only one file", ["validate", "--format", "json", "--only", str(c["file"])]),
        *[
            (f"export {fmt}", ["export", fmt, "-o", str(out / f"export.{fmt}")])
            for fmt in ("skos", "esco", "schema", "sssom", "csv", "rdf")
        ],
        ("reason", ["reason", "-o", str(out / "inferred.ttl")]),
        ("import skos", ["import", "skos", str(classification), "-o", str(out / "imported")]),
    ]


def run(args: list[str], env: dict, timeout: float, cwd: Path | None = None) -> tuple[float | None, float, int]:
    """Seconds (None when stopped at the timeout), peak RSS in MiB, exit status."""
    start = time.perf_counter()
    command = args if args[0] == "git" else [sys.executable, "-m", "jobarch", *args]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return time.perf_counter() - start, usage.ru_maxrss / 1024, proc.returncode
        if time.perf_counter() > deadline:
            proc.kill()
            _, status, usage = os.wait4(proc.pid, 0)
            return None, usage.ru_maxrss / 1024, -9
        time.sleep(0.01)


def curator_rows(root: Path, work: Path, size: int, timeout: float, before: str = "") -> list[tuple[str, ...]]:
    """The curator's loop on a git checkout of the architecture: fmt --check, then diff after one family file is
    edited (cold and warm), and a diff of two whole versions; ``git diff`` itself beside them, as the floor, and
    the same command from an earlier jobarch (``before``: its ``src`` directory) in the same run."""
    checkout = work / "checkout"
    shutil.copytree(root, checkout / "data")
    git = ["git", "-c", "user.email=bench@example.org", "-c", "user.name=bench"]
    for step in (["init", "-q"], ["add", "."], ["commit", "-qm", "architecture"]):
        subprocess.run([*git, *step], cwd=checkout, check=True, capture_output=True)
    family = next((checkout / "data").rglob("family-01.ttl"))
    text = family.read_text(encoding="utf-8")
    family.write_text(text.replace('skos:prefLabel "', 'skos:prefLabel "Edited ', 1), encoding="utf-8")
    other = synthetic(size, seed=8)
    env = {**os.environ, "JOBARCH_CACHE_DIR": str(work / "cache" / "curator")}
    env.pop("JOBARCH_STORE", None)
    env.pop("JOBARCH_DATA", None)
    rows = []
    runs = [
        ("fmt --check", ["fmt", "--check", "data"], None),
        ("diff --git HEAD.. (one family edited)", ["diff", "--git", "HEAD..", "data"], ["git", "diff", "--stat"]),
        (
            "diff of two whole versions",
            ["diff", str(root), str(other)],
            ["git", "diff", "--no-index", "--stat", str(root), str(other)],
        ),
    ]
    for name, argv, floor in runs:
        cold, cold_rss, cold_exit = run(argv, env, timeout, cwd=checkout)
        warm, warm_rss, warm_exit = run(argv, env, timeout, cwd=checkout)
        baselines = []
        if before:
            seconds, _, _ = run(argv, {**env, "PYTHONPATH": before}, timeout, cwd=checkout)
            baselines.append(f"before: {fmt_time(seconds, timeout)}")
        if floor:
            seconds, _, _ = run(floor, env, timeout, cwd=checkout)
            baselines.append(f"git: {fmt_time(seconds, timeout)}")
        baseline = ", ".join(baselines)
        rows.append(row(size, name, (cold, warm), max(cold_rss, warm_rss), baseline, (cold_exit, warm_exit), timeout))
    shutil.rmtree(other, ignore_errors=True)
    return rows


def row(size, name, times, rss, baseline, exits, timeout) -> tuple[str, ...]:
    """One line of the table (and of the progress printed as it runs): cold and warm seconds, peak RSS."""
    status = "" if all(code in (0, 1) for code in exits) else " exit " + "/".join(map(str, exits))
    cells = (name, *(fmt_time(t, timeout) for t in times), f"{rss:,.0f}", baseline, status)
    print(f"  {size:,} {name}: cold {cells[1]} s, warm {cells[2]} s, {cells[3]} MiB{status}", flush=True)
    return cells


def fmt_time(seconds: float | None, timeout: float) -> str:
    return f"> {timeout:.0f}" if seconds is None else f"{seconds:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--memory-max", type=int, default=10000, help="largest size to run the memory store at")
    parser.add_argument("--timeout", type=float, default=600.0, help="stop a command after this many seconds")
    parser.add_argument("--only", nargs="*", help="run only these commands (names as in the table)")
    parser.add_argument(
        "--before", default="", help="an earlier jobarch's src directory, run beside every command (cold / warm)"
    )
    parser.add_argument(
        "--sparql",
        action="store_true",
        help="also run the read commands, queries and exports over a real Oxigraph server (loaded with jobarch load)",
    )
    args = parser.parse_args()
    print(f"Commands as subprocesses; {machine()}", flush=True)
    for size in args.sizes:
        root = synthetic(size)
        work = Path(tempfile.mkdtemp(prefix=f"jobarch-cmd-{size}-"))
        classification = work / "classification.ttl"
        from jobarch.io.synth import synthesize_classification

        synthesize_classification(classification, concepts=2000, depths=5, seed=7)
        c = codes(root)
        rows = []
        server = oxigraph_loaded(root, work) if args.sparql else contextlib.nullcontext(None)
        with server as selector:
            rows += command_rows(args, size, root, work, c, classification, selector)
        if not args.only or any(name.startswith(("fmt", "diff")) for name in args.only):
            rows += curator_rows(root, work, size, args.timeout, args.before)
        print(f"\n{size:,} profiles\n")
        print(table(rows, ("command", "cold s", "warm s", "peak RSS MiB", "baseline s (x warm)", "")))
        print(flush=True)
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(root, ignore_errors=True)


def command_rows(args, size, root, work, c, classification, selector) -> list[tuple[str, ...]]:
    rows = []
    for name, argv in commands(c, classification, work):
        if args.only and name not in args.only:
            continue
        cache = work / "cache" / re.sub(r"\W+", "-", name)
        env = {**os.environ, "JOBARCH_CACHE_DIR": str(cache), "JOBARCH_DATA": str(root)}
        env.pop("JOBARCH_STORE", None)
        shutil.rmtree(work / "imported", ignore_errors=True)
        cold, cold_rss, cold_exit = run(argv, env, args.timeout)
        shutil.rmtree(work / "imported", ignore_errors=True)
        warm, warm_rss, warm_exit = run(argv, env, args.timeout)
        memory = ""
        if args.before:  # the same command from an earlier jobarch, cold and warm, on a cache of its own
            earlier = {**env, "JOBARCH_CACHE_DIR": str(cache) + "-before", "PYTHONPATH": args.before}
            (work / "before").mkdir(exist_ok=True)  # its own outputs: it would refuse to replace ours
            then = [str(work / "before" / Path(a).name) if i and argv[i - 1] == "-o" else a for i, a in enumerate(argv)]
            shutil.rmtree(work / "before" / "imported", ignore_errors=True)
            first, _, first_exit = run(then, earlier, args.timeout)
            shutil.rmtree(work / "before" / "imported", ignore_errors=True)
            again, _, again_exit = run(then, earlier, args.timeout)
            memory = f"before: {fmt_time(first, args.timeout)} / {fmt_time(again, args.timeout)}"
            if first_exit not in (0, 1) or again_exit not in (0, 1):
                memory += f" (exit {first_exit}/{again_exit})"
            shutil.rmtree(str(cache) + "-before", ignore_errors=True)
        if size <= args.memory_max and name in BASELINES:
            seconds, _, _ = run([*argv, *BASELINES[name]], env, args.timeout)
            baseline = fmt_time(seconds, args.timeout) + (f" ({seconds / warm:.0f}x)" if seconds and warm else "")
            memory = f"{memory}; {baseline}" if memory else baseline
        if selector and (name in READS or name.startswith(("query ", "export "))):
            remote = {**env, "JOBARCH_CACHE_DIR": str(cache) + "-sparql"}
            # the embedded runs wrote the export with another cache's ledger of written files: --force replaces it
            over_argv = [*argv, "--store", selector, *(["--force"] if name.startswith("export ") else [])]
            first, _, first_exit = run(over_argv, remote, args.timeout)
            again, _, again_exit = run(over_argv, remote, args.timeout)
            over = f"sparql: {fmt_time(first, args.timeout)} / {fmt_time(again, args.timeout)}"
            if first_exit not in (0, 1) or again_exit not in (0, 1):
                over += f" (exit {first_exit}/{again_exit})"
            memory = f"{memory}; {over}" if memory else over
        exits = (cold_exit, warm_exit)
        rows.append(row(size, name, (cold, warm), max(cold_rss, warm_rss), memory, exits, args.timeout))
        shutil.rmtree(cache, ignore_errors=True)
    return rows


if __name__ == "__main__":
    main()
