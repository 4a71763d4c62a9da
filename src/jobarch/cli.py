"""The ``jobarch`` command. It parses arguments and calls :mod:`jobarch.api`; nothing else.

Exit status everywhere: 0 success, 1 findings, 2 usage errors and unreadable input.
Errors print as ``path:line:col: message`` without a traceback unless ``--debug``.
"""
from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path

import click

from . import api
from .errors import JobarchError
from . import output
from . import report as report_formats
from .render import FORMATS, print_profile, render_profile
from .validate import SEVERITIES
from .writer import atomic_write


class JobarchGroup(click.Group):
    """Turns every JobarchError into a one-line message and exit status 2."""

    def invoke(self, ctx: click.Context):
        from .store import close_stores
        ctx.call_on_close(close_stores)  # an open Oxigraph store locks its directory until closed
        try:
            return super().invoke(ctx)
        except JobarchError as exc:
            if ctx.meta.get("jobarch.debug"):
                traceback.print_exc()
            click.echo(f"error: {exc}" if exc.location is None else str(exc), err=True)
            sys.exit(exc.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug in jobarch: say so briefly, keep the traceback for --debug
            if ctx.meta.get("jobarch.debug"):
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)", err=True)
            sys.exit(2)


def data_options(func):
    """--data and --store, shared by every command that reads the architecture."""
    func = click.option("--store", "store", metavar="SELECTOR", default=None,
                        help="memory (default), oxigraph:PATH or sparql:URL. [env: JOBARCH_STORE]")(func)
    func = click.option("--data", "data", multiple=True, metavar="PATH", type=click.Path(),
                        help="Architecture file or directory (repeatable). Default: jobarch.toml's, else the sample. [env: JOBARCH_DATA]")(func)
    return func


@click.group(cls=JobarchGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.version_option(package_name="jobarch")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """jobarch: a knowledge-graph engine for job architectures.

    \b
    Example:
      jobarch show MANUFA3.MANUFACT13A2.M2
    """
    ctx.meta["jobarch.debug"] = debug


@main.command()
@click.argument("code")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="terminal (rich), markdown or text. Default: terminal on a terminal, text otherwise.")
@click.option("-k", "adjacent_k", type=click.IntRange(0, 100), default=5, show_default=True, help="How many adjacent roles to list.")
@data_options
def show(code: str, fmt: str | None, adjacent_k: int, data: tuple[str, ...], store: str | None) -> None:
    """Show one job profile as its page.

    \b
    Example:
      jobarch show MANUFA3.MANUFACT13A2.M2 --format markdown
    """
    backend = api.open_architecture(data, store)
    profile = api.profile(backend, code)
    neighbours, note = api.page_neighbours(backend, code, k=adjacent_k, data=data)
    fmt = fmt or ("terminal" if sys.stdout.isatty() else "text")
    if fmt == "terminal":
        print_profile(profile, neighbours, note)
    else:
        click.echo(render_profile(profile, fmt, neighbours, note), nl=False)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(report_formats.FORMATS), default="text", show_default=True,
              help="text for people, json, sarif (SARIF 2.1.0 for code review), turtle (the W3C SHACL report).")
@click.option("--severity", type=click.Choice(SEVERITIES), default="violation", show_default=True,
              help="Exit 1 when there is a result at or above this severity.")
@click.option("--changed", is_flag=True, help="Only the nodes of files git sees as changed, and the nodes that reference them.")
@click.option("--only", "only", multiple=True, type=click.Path(), metavar="FILE",
              help="Only the nodes defined in FILE (repeatable), and the nodes that reference them.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to a file (atomically).")
@data_options
def validate(paths, fmt, severity, changed, only, output, data, store) -> None:
    """Check the architecture against the SHACL shapes.

    Each result names the file and line of the node it is about. Exit status:
    0 nothing at or above --severity, 1 something is, 2 unreadable input.

    \b
    Examples:
      jobarch validate data/
      jobarch validate data/ --changed --format sarif -o results.sarif
    """
    result, arch = api.validate_architecture(paths or data, only=list(only) or None, changed=changed)
    text = report_formats.render(result, fmt, len(arch.files))
    if output:
        atomic_write(Path(output), text)
    else:
        click.echo(text, nl=False)
    if result.at_or_above(severity):
        sys.exit(1)


@main.command("queries")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def list_queries(fmt: str) -> None:
    """List the named queries with their descriptions and parameters.

    \b
    Example:
      jobarch queries
    """
    from .query import named_queries
    queries = named_queries()
    if fmt == "json":
        click.echo(json.dumps([{"name": q.name, "description": q.description, "examples": list(q.examples),
                                "params": [vars(p) for p in q.params]} for q in queries.values()], indent=2))
        return
    from rich.console import Console
    from rich.table import Table
    table = Table("name", "description", "parameters", show_lines=True)
    for q in queries.values():
        params = "\n".join(f"{p.name} ({p.type}{', required' if p.required else f', default {p.default}'})"
                           + (f": {p.doc}" if p.doc else "") for p in q.params)
        table.add_row(q.name, q.description, params or "-")
    Console().print(table)


@main.command("query")
@click.argument("name", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE", help="A parameter of the named query (repeatable).")
@click.option("--file", "query_file", type=click.Path(exists=True, dir_okay=False), help="Run your own query from a file.")
@click.option("-e", "--expr", "expr", metavar="SPARQL", help="Run your own query given inline.")
@click.option("--format", "fmt", type=click.Choice(output.SELECT_FORMATS + output.GRAPH_FORMATS), default="table", show_default=True,
              help="SELECT: table, csv, tsv, json (SPARQL results JSON), md. CONSTRUCT/DESCRIBE: turtle, json-ld, nt.")
@click.option("--reason", is_flag=True, help="Query the data plus its OWL-RL inferences.")
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Stop the query after this many seconds (0: no limit).")
@click.option("--allow-service", is_flag=True, help="Allow SERVICE clauses (they send data to other endpoints).")
@data_options
def run_query_command(name, params, query_file, expr, fmt, reason, timeout, allow_service, data, store) -> None:
    """Run a named query, or your own with --file or -e. Queries are read-only.

    \b
    Examples:
      jobarch query profiles_at_level --param level=M2
      jobarch query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' --format csv
    """
    sources = [x for x in (name, query_file, expr) if x]
    if len(sources) != 1:
        raise click.UsageError("give exactly one of: a query NAME, --file, or -e")
    raw = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.UsageError(f"--param takes KEY=VALUE, not {item!r}")
        raw[key] = value
    text = Path(query_file).read_text(encoding="utf-8") if query_file else expr
    backend = api.open_architecture(data, store, reason=reason)
    result = api.query(backend, name, text=text, params=raw, allow_service=allow_service,
                       timeout=timeout or None, source=query_file or ("-e" if expr else None))
    if fmt == "table" and result.kind == "SELECT":
        from rich.console import Console
        Console().print(output.rich_table(result))
    else:
        click.echo(output.render_result(result, fmt if fmt != "table" else "turtle"), nl=False)


@main.command()
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False), help="Write the inferred triples here (Turtle). Default: standard output.")
@click.option("--engine", type=click.Choice(["auto", "owlrl", "rules"]), default="auto", show_default=True,
              help="owlrl (reference), rules (fast, semi-naive), auto (rules on large architectures).")
@data_options
def reason(out, engine, data, store) -> None:
    """Compute the OWL-RL closure (owlrl) and write only the new data triples.

    The curators' files are never touched; the summary goes to standard error.
    With --store oxigraph:PATH the inferences live in the store's own graph
    (queried with `jobarch query --reason`) and are recomputed only when a
    file changed since the last run.

    \b
    Examples:
      jobarch reason -o derived/inferred.ttl
      jobarch reason --store oxigraph:.jobarch/store -o /dev/null
    """
    inference = api.reason(data, engine, store)
    if out:
        target = Path(out).resolve()
        if any(target == p.resolve() for p in api.curator_files(data)):
            raise JobarchError("refusing to write inferences into a curator's file", hint="choose another -o path")
        atomic_write(target, inference.turtle())
    else:
        click.echo(inference.turtle(), nl=False)
    click.echo(inference.summary(), err=True)


def _neighbour_rows(neighbours) -> list[dict]:
    return [{"code": n.code, "title": n.title, "distance": round(n.distance, 6), "band": n.band,
             "taxonomy": round(n.taxonomy, 6), "level": round(n.level, 6), "sharedSkills": n.shared_skills,
             "skillsUnion": n.skills_union, "skillOverlap": round(n.skill_overlap, 6)} for n in neighbours]


@main.command()
@click.argument("code")
@click.option("-k", type=click.IntRange(1, 10000), default=10, show_default=True, help="How many neighbours.")
@click.option("--band", help="Only neighbours within this match band (e.g. strong).")
@click.option("--max-distance", type=click.FloatRange(0, 1), help="Only neighbours at most this far.")
@click.option("--same-track", is_flag=True, help="Only neighbours on the profile's own track.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "md"]), default="table", show_default=True)
@data_options
def adjacent(code, k, band, max_distance, same_track, fmt, data, store) -> None:
    """The nearest profiles of a profile, with distance, band and skill overlap.

    \b
    Example:
      jobarch adjacent MANUFA3.MANUFACT13A2.M2 -k 5 --band partial
    """
    backend = api.open_architecture(data, store)
    index = api.adjacency_index(backend, data)
    rows = _neighbour_rows(api.adjacent(index, code, k, band, max_distance, same_track))
    if fmt == "json":
        click.echo(json.dumps({"profile": code, "neighbours": rows}, indent=2, ensure_ascii=False))
        return
    headers = ["code", "title", "distance", "band", "taxonomy", "level", "skills shared"]
    values = [[r["code"], r["title"], f"{r['distance']:.3f}", r["band"], f"{r['taxonomy']:.3f}", f"{r['level']:.3f}",
               f"{r['sharedSkills']}/{r['skillsUnion']} ({r['skillOverlap']:.0%})"] for r in rows]
    if fmt == "csv":
        import csv
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows(values)
    elif fmt == "md":
        click.echo("| " + " | ".join(headers) + " |\n|" + "---|" * len(headers))
        for v in values:
            click.echo("| " + " | ".join(x.replace("|", "\\|") for x in v) + " |")
    else:
        from rich.console import Console
        from rich.table import Table
        table = Table(*headers, title=f"Nearest to {code}")
        for v in values:
            table.add_row(*v)
        Console().print(table)


@main.command("compare")
@click.argument("codes", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["terminal", "markdown", "json"]), default="terminal", show_default=True)
@data_options
def compare_command(codes, fmt, data, store) -> None:
    """Two or three profiles side by side, with distance and band.

    \b
    Example:
      jobarch compare MANUFA3.MANUFACT13A2.M2 MANUFA3.MANUFACT14A1.M2
    """
    backend = api.open_architecture(data, store)
    result = api.compare_profiles(backend, api.adjacency_index(backend, data), codes)
    if fmt == "json":
        click.echo(result.to_json(), nl=False)
    elif fmt == "markdown":
        click.echo(result.to_markdown(), nl=False)
    else:
        from rich.console import Console
        Console().print(result.rich_table())


@main.command("path")
@click.argument("start")
@click.argument("goal")
@click.option("--band", default="partial", show_default=True, help="Only moves within this match band.")
@click.option("-k", type=click.IntRange(1, 1000), default=10, show_default=True, help="Neighbours considered per step.")
@data_options
def path_command(start, goal, band, k, data, store) -> None:
    """A career path: the shortest chain of moves, each within a band.

    \b
    Example:
      jobarch path MANUFA3.MANUFACT11A1.P1 MANUFA3.MANUFACT13A2.M3 --band partial
    """
    backend = api.open_architecture(data, store)
    index = api.adjacency_index(backend, data)
    steps = index.career_path(start, goal, band, k)
    for i, code in enumerate(steps):
        c = index.profiles[code]
        if i == 0:
            click.echo(f"  {code}  {c.title}")
            continue
        before = index.profiles[steps[i - 1]]
        d = index.distance(steps[i - 1], code)
        changes = []
        if before.level != c.level:
            changes.append(f"level {before.level} → {c.level}")
        if before.focus != c.focus:
            changes.append(f"focus → {c.title.rsplit(' — ', 1)[0]}")
        gain = sorted(api.skill_labels(backend, c.skills - before.skills))
        if gain:
            changes.append("skills to gain: " + ", ".join(gain))
        click.echo(f"→ {code}  {c.title}  [{d.total:.2f}, {d.band}] " + "; ".join(changes))


@main.command("adjacency")
@click.option("--out", "-o", "out", type=click.Path(dir_okay=False), required=True, help="The derived Turtle file to write.")
@click.option("-k", type=click.IntRange(1, 1000), default=10, show_default=True)
@data_options
def adjacency_command(out, k, data, store) -> None:
    """Materialise the k-nearest graph as ja:Adjacency nodes in a derived file, for SPARQL.

    \b
    Example:
      jobarch adjacency -o derived/adjacency.ttl && jobarch query adjacent_profiles --data data --data derived/adjacency.ttl --param profile=MANUFA3.MANUFACT13A2.M2
    """
    target = Path(out).resolve()
    if any(target == p.resolve() for p in api.curator_files(data)):
        raise JobarchError("refusing to write derived adjacency into a curator's file", hint="choose another --out path")
    backend = api.open_architecture(data, store)
    count = api.adjacency_index(backend, data).write_turtle(target, k)
    click.echo(f"wrote {count:,} adjacencies to {out}", err=True)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on; loopback unless you mean to share it.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--query-timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True, help="Seconds a /sparql query may run.")
@click.option("--max-rows", type=click.IntRange(min=1), default=10000, show_default=True, help="Largest /sparql answer, in rows.")
@data_options
def serve_command(host, port, query_timeout, max_rows, data, store) -> None:
    """Serve profile pages, compare, browse, search and a read-only SPARQL endpoint.

    \b
    Examples:
      jobarch serve                       # http://127.0.0.1:8000/
      jobarch serve --store oxigraph:.jobarch/store --port 8080
    """
    from .server import Settings, serve
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: serving on {host}: anyone who can reach it can read the architecture", err=True)
    serve(data, store, host, port, Settings(query_timeout=query_timeout, max_rows=max_rows))


@main.command("load")
@data_options
def load_command(data, store) -> None:
    """Put the architecture into a persistent store: Oxigraph on disk, or a SPARQL server (Graph Store Protocol).

    Oxigraph reloads only the files that changed since the last load.

    \b
    Examples:
      jobarch load --store oxigraph:.jobarch/store
      jobarch load --store sparql:http://127.0.0.1:7878/query
    """
    if not store:
        raise click.UsageError("say which store to load with --store (memory keeps nothing)")
    backend, count = api.load_into_store(store, data)
    click.echo(f"loaded {count} file{'s' if count != 1 else ''} into {backend.selector}", err=True)


@main.command("synth")
@click.option("--profiles", type=click.IntRange(1, 1_000_000), required=True, help="How many profiles.")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same architecture.")
@click.option("-o", "--out", type=click.Path(file_okay=False), required=True, help="Directory to write (created).")
def synth_command(profiles, seed, out) -> None:
    """Write a synthetic architecture shaped like the sample (for benchmarks and trials).

    \b
    Example:
      jobarch synth --profiles 10000 --seed 7 -o /tmp/arch10k
    """
    from .synth import synthesize
    target = Path(out)
    if target.exists() and any(target.iterdir()):
        raise JobarchError("the output directory is not empty", hint="choose a new directory; synth never overwrites files")
    files = synthesize(profiles, seed, target)
    click.echo(f"wrote {profiles:,} profiles in {len(files)} files to {out}", err=True)


@main.command("fmt")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--check", is_flag=True, help="Change nothing; list the files that would change and exit 1 if any.")
@click.option("--drop-comments", is_flag=True, help="Allow dropping comments that cannot be kept (inside a statement).")
@data_options
def fmt_command(paths, check, drop_comments, data, store) -> None:
    """Rewrite Turtle files in one canonical, diff-friendly layout (atomically; comments kept).

    \b
    Examples:
      jobarch fmt data/
      jobarch fmt --check data/
    """
    from .formatting import format_files
    from .load import discover
    files = discover(paths or data or [api.resolve_data_paths()[0]])
    results = format_files(files, check=check, drop_comments=drop_comments)
    changed = [r for r in results if r.changed]
    for r in changed:
        click.echo(f"{'would reformat' if check else 'reformatted'} {report_formats.display_path(r.path)}")
        for line in r.dropped_comments:
            click.echo(f"{report_formats.display_path(r.path)}:{line}: dropped a comment inside a statement", err=True)
    click.echo(f"{len(changed)} of {len(results)} file{'s' if len(results) != 1 else ''} {'would change' if check else 'changed'}", err=True)
    if check and changed:
        sys.exit(1)


@main.command("diff")
@click.argument("sides", nargs=-1, type=click.Path())
@click.option("--git", "revisions", metavar="REV1..REV2", help="Compare two git revisions of the given paths (REV2 empty: the working tree).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text", show_default=True)
def diff_command(sides, revisions, fmt) -> None:
    """A semantic diff by profile and section: two files, two directories, or --git REV1..REV2 PATH.

    Exit status 1 when there are differences, as diff does.

    \b
    Examples:
      jobarch diff old/ data/
      jobarch diff --git HEAD~1.. data/
    """
    from . import diff as semantic_diff
    if revisions:
        if not sides:
            raise click.UsageError("--git needs the paths to compare, e.g. jobarch diff --git HEAD~1.. data/")
        changes = semantic_diff.diff_git(revisions, [Path(p) for p in sides])
    else:
        if len(sides) != 2:
            raise click.UsageError("give two files or two directories (or --git REV1..REV2 PATH)")
        changes = semantic_diff.diff([Path(sides[0])], [Path(sides[1])])
    click.echo(semantic_diff.render(changes, fmt), nl=False)
    if changes:
        sys.exit(1)


@main.command("stats")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@data_options
def stats_command(fmt, data, store) -> None:
    """Counts per function, level and track; skills and sources per profile; quality, alias, mapping and rubric coverage.

    \b
    Example:
      jobarch stats --format json
    """
    from .stats import architecture_stats
    numbers = architecture_stats(api.open_architecture(data, store))
    if fmt == "json":
        click.echo(json.dumps(numbers, indent=2))
        return
    from rich.console import Console
    from rich.table import Table
    table = Table("measure", "value", title="Architecture statistics")
    for key, value in numbers.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        elif isinstance(value, float):
            value = f"{value:.1%}"
        table.add_row(key, str(value))
    Console().print(table)


@main.command("export")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(["skos", "esco", "schema", "sssom", "csv", "rdf"]))
@click.option("-o", "--out", type=click.Path(), help="Write here (atomically); for esco, a directory gets the RDF and the three CSV files.")
@click.option("--rdf-format", type=click.Choice(["turtle", "nt", "json-ld", "xml"]), default="turtle", show_default=True,
              help="Serialisation for the rdf format.")
@data_options
def export_command(fmt, out, rdf_format, data, store) -> None:
    """Export to other ontologies and systems: skos, esco (RDF, or CSV files in a directory), schema (JSON-LD), sssom, csv, rdf.

    Output is deterministic: the same architecture gives the same bytes.

    \b
    Examples:
      jobarch export skos -o taxonomy.ttl
      jobarch export esco -o esco/
      jobarch export sssom -o mappings.sssom.tsv
    """
    from .exports import export
    result = export(api.open_architecture(data, store), fmt, Path(out) if out else None, rdf_format)
    if out is None:
        click.echo(result, nl=False)
    elif isinstance(result, list):
        click.echo("wrote " + ", ".join(report_formats.display_path(p) for p in result), err=True)


@main.command("import")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(["csv", "page", "skos"]))
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--out", type=click.Path(file_okay=False), required=True, help="Directory for the Turtle files.")
@click.option("--base", "base_iri", help="Base IRI for new resources (default: jobarch.toml's base_iri).")
@click.option("--depths", default="1,2,3", show_default=True, help="skos: hierarchy depths of function, family, focus.")
@click.option("--level-from", type=click.Choice(["last-digit", "notation-suffix"]), default="last-digit", show_default=True,
              help="skos: how a concept below a focus gives its profile's level.")
@click.option("--track", default="P", show_default=True, help="skos: the track of levels read from digits.")
def import_command(fmt, source, out, base_iri, depths, level_from, track) -> None:
    """Turn external data into architecture files: csv (the export's layout), page (a profile page as text), skos (a classification).

    Bad rows are reported by row and column and nothing is written.

    \b
    Examples:
      jobarch import csv profiles.csv -o imported/
      jobarch import page profile-page.txt -o imported/
      jobarch import skos isco.ttl -o imported/ --depths 1,2,3 --level-from last-digit
    """
    from .import_page import import_page
    from .import_skos import SkosMapping, import_skos
    from .imports import DEFAULT_BASE, import_csv
    base = base_iri or api.resolve().base_iri or DEFAULT_BASE
    if fmt == "skos":
        try:
            fn_depth, fam_depth, focus_depth = (int(d) for d in depths.split(","))
        except ValueError:
            raise click.UsageError("--depths takes three numbers, e.g. 1,2,3") from None
        written = import_skos(Path(source), Path(out), SkosMapping(fn_depth, fam_depth, focus_depth, level_from, track), base)
    else:
        written = (import_csv if fmt == "csv" else import_page)(Path(source), Path(out), base)
    click.echo(f"wrote {len(written)} files to {out}", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
