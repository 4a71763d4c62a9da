"""Commands that read the architecture: show, queries, query, adjacent, compare, path, match, search, stats."""

from __future__ import annotations

import json
import sys

import click

from .. import api
from ..core.text import terminal_safe
from ..present import results, views
from ..present.pages import PAGE_FORMATS, print_profile, render_profile
from ..present.tables import FORMATS as TABLE_FORMATS
from ..present.tables import emit, print_table
from ..query import named_queries
from .base import data_options, format_option, main


@main.command()
@click.argument("code")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(PAGE_FORMATS),
    default=None,
    help="terminal (rich), markdown or text. Default: terminal on a terminal, text otherwise.",
)
@click.option(
    "-k",
    "adjacent_k",
    type=click.IntRange(0, 100),
    default=5,
    show_default=True,
    help="How many adjacent roles to list.",
)
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
        emit(render_profile(profile, fmt, neighbours, note), nl=False)


@main.command("queries")
@format_option(["table", "json"], "table")
def list_queries(fmt: str) -> None:
    """List the named queries with their descriptions and parameters.

    \b
    Example:
      jobarch queries
    """
    queries = named_queries()
    if fmt == "json":
        emit(
            json.dumps(
                [
                    {
                        "name": q.name,
                        "description": q.description,
                        "examples": list(q.examples),
                        "params": [vars(p) for p in q.params],
                    }
                    for q in queries.values()
                ],
                indent=2,
            )
        )
        return
    print_table(views.queries_table(queries.values()))


@main.command("query")
@click.argument("name", required=False)
@click.option(
    "--param", "-p", "params", multiple=True, metavar="KEY=VALUE", help="A parameter of the named query (repeatable)."
)
@click.option("--file", "query_file", type=click.Path(dir_okay=False), help="Run your own query from a file.")
@click.option("-e", "--expr", "expr", metavar="SPARQL", help="Run your own query given inline.")
@format_option(
    list(dict.fromkeys(results.SELECT_FORMATS + results.GRAPH_FORMATS)),
    "table",
    "SELECT: table, csv, tsv, json or xml (SPARQL results), md. CONSTRUCT/DESCRIBE: turtle, json-ld, nt, xml.",
)
@click.option("--reason", is_flag=True, help="Query the data plus its OWL-RL inferences.")
@click.option(
    "--timeout",
    type=float,
    default=60.0,
    show_default=True,
    help="Stop the query after this many seconds (0: no limit).",
)
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
    text = api.read_query_file(query_file) if query_file else expr
    backend = api.open_architecture(data, store, reason=reason)
    result = api.query(
        backend,
        name,
        text=text,
        params=raw,
        allow_service=allow_service,
        timeout=timeout or None,
        source=query_file or ("-e" if expr else None),
    )
    if fmt == "table" and result.kind == "SELECT":
        print_table(results.result_table(result))
    else:
        emit(results.render_result(result, fmt if fmt != "table" else "turtle"), nl=False)


@main.command()
@click.argument("code")
@click.option("-k", type=click.IntRange(1, 10000), default=10, show_default=True, help="How many neighbours.")
@click.option("--band", help="Only neighbours within this match band (e.g. strong).")
@click.option("--max-distance", type=click.FloatRange(0, 1), help="Only neighbours at most this far.")
@click.option("--same-track", is_flag=True, help="Only neighbours on the profile's own track.")
@format_option(TABLE_FORMATS, "table")
@data_options
def adjacent(code, k, band, max_distance, same_track, fmt, data, store) -> None:
    """The nearest profiles of a profile, with distance, band and skill overlap.

    \b
    Example:
      jobarch adjacent MANUFA3.MANUFACT13A2.M2 -k 5 --band partial
    """
    backend = api.open_architecture(data, store)
    neighbours = api.adjacent(api.adjacency_index(backend, data), code, k, band, max_distance, same_track)
    if fmt == "json":
        emit(
            json.dumps(
                {"profile": code, "neighbours": views.neighbour_records(neighbours)}, indent=2, ensure_ascii=False
            )
        )
        return
    print_table(views.neighbours_table(code, neighbours), fmt)


@main.command("compare")
@click.argument("codes", nargs=-1, required=True)
@format_option(["terminal", "markdown", "json"], "terminal")
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
        emit(result.to_json(), nl=False)
    else:
        print_table(views.comparison_table(result), "md" if fmt == "markdown" else "table")


@main.command("path")
@click.argument("start")
@click.argument("goal")
@click.option("--band", default="partial", show_default=True, help="Only moves within this match band.")
@data_options
def path_command(start, goal, band, data, store) -> None:
    """A career path: the fewest moves between two profiles (codes or titles), each within a band, over the whole
    architecture; each move says why it is plausible.

    \b
    Example:
      jobarch path MANUFA3.MANUFACT11A1.P1 MANUFA3.MANUFACT13A2.M3 --band partial
    """
    backend = api.open_architecture(data, store)
    steps = api.path(backend, api.adjacency_index(backend, data), start, goal, band)
    for line in views.path_lines(steps):
        click.echo(terminal_safe(line))


@main.command("match")
@click.option(
    "--skill",
    "skills",
    multiple=True,
    metavar="NAME[=LEVEL]",
    help='A skill you have and, after "=", your proficiency on the architecture\'s scale (repeatable).',
)
@click.option(
    "--skills-file",
    type=click.Path(dir_okay=False),
    help="A file of skills, one NAME[=LEVEL] per line ('#' starts a comment).",
)
@click.option("--from-profile", "from_profile", metavar="CODE", help="Start from a profile's skills (code or title).")
@click.option("--strict", is_flag=True, help="Refuse a line that names no skill instead of skipping it.")
@click.option("-n", "limit", type=click.IntRange(1, 10000), default=10, show_default=True, help="How many profiles.")
@format_option(TABLE_FORMATS, "table")
@data_options
def match_command(skills, skills_file, from_profile, strict, limit, fmt, data, store) -> None:
    """The profiles that best fit your skills, and what each would need you to learn.

    Ranked by the share of a profile's essential skills you have, then by the
    proficiency points you lack.

    \b
    Example:
      jobarch match --skill "GMP Compliance=3" --skill "Bioreactor Operation=Advanced"
      jobarch match --from-profile MANUFA3.MANUFACT13A2.M2 --skill "Quality Risk Management=2"
    """
    backend = api.open_architecture(data, store)
    wanted = api.skills_of(backend, from_profile) if from_profile else []
    wanted += list(skills)
    if skills_file is not None:
        wanted += api.read_skills_file(skills_file)
    matches = api.match(backend, wanted, limit, strict=strict)
    for line in views.skipped_lines(matches.skipped):
        click.echo(terminal_safe(line), err=True)
    if fmt == "json":
        emit(json.dumps(views.match_records(matches), indent=2, ensure_ascii=False))
        return
    print_table(views.match_table(matches), fmt)


@main.command("search")
@click.argument("text")
@click.option("--function", default="", help="Only profiles of this function (its code).")
@click.option("--family", default="", help="Only profiles of this family (its code).")
@click.option("--track", default="", help="Only profiles on this track (M, P, ...).")
@click.option("--level", default="", help="Only profiles at this level (its code).")
@click.option("-n", "limit", type=click.IntRange(1, 10000), default=20, show_default=True, help="How many profiles.")
@format_option(TABLE_FORMATS, "table")
@data_options
def search_command(text, function, family, track, level, limit, fmt, data, store) -> None:
    """Profiles ranked by where the words occur: titles and aliases first, then focus, family and function, level
    names, skills, descriptions and responsibilities; words match by stem, a misspelt one gets a suggestion.

    \b
    Example:
      jobarch search "upstream supervisor" --track M
    """
    backend = api.open_architecture(data, store)
    filters = api.search_filters(function, family, track, level)
    found, _ = api.search(backend, text, filters=filters, with_skills=False)
    if found.corrected_from:
        click.echo(f"nothing matches {text!r}; showing {found.suggestion!r}", err=True)
    print_table(views.search_table(found.suggestion or text, found.hits[:limit]), fmt)
    if found.total > limit:
        click.echo(f"{limit} of {found.total} profiles shown (-n for more)", err=True)


@main.command("stats")
@format_option(["table", "json"], "table")
@data_options
def stats_command(fmt, data, store) -> None:
    """Counts per function, level and track, and how complete the architecture is.

    Skills and sources per profile; quality pass rate; alias, mapping and rubric coverage.

    \b
    Example:
      jobarch stats --format json
    """
    numbers = api.stats(api.open_architecture(data, store))
    if fmt == "json":
        emit(json.dumps(numbers, indent=2))
        return
    print_table(views.stats_table(numbers))
