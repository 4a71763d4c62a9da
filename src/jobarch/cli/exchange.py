"""Commands that move the architecture in and out: export, import, load, reason, adjacency, synth."""

from __future__ import annotations

from pathlib import Path

import click

from .. import api
from ..core.files import display_path
from ..core.outputs import check_target, write_output
from ..graph.serialize import SERIALIZATIONS
from ..io.exports import EXPORTERS
from ..io.imports import IMPORTERS
from ..present import views
from ..present.tables import emit
from ..reasoning import ENGINES
from .base import data_option, data_options, main, output_option


@main.command("export")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(list(EXPORTERS)))
@output_option("Write here (atomically); for esco, a directory gets the RDF and the three CSV files.", dir_okay=True)
@click.option(
    "--rdf-format",
    type=click.Choice(list(SERIALIZATIONS)),
    default="turtle",
    show_default=True,
    help="Serialisation for the rdf format.",
)
@data_options
def export_command(fmt, output, force, rdf_format, data, store) -> None:
    """Export to other ontologies and systems: skos, esco, schema (JSON-LD), sssom, csv, rdf.

    esco writes RDF, or with -o DIR also ESCO's three CSV files.

    Output is deterministic: the same architecture gives the same bytes.

    \b
    Examples:
      jobarch export skos -o taxonomy.ttl
      jobarch export esco -o esco/
      jobarch export sssom -o mappings.sssom.tsv
    """
    target = Path(output) if output else None
    options = {"rdf_format": rdf_format} if fmt == "rdf" else {}
    protected = api.curator_files(data)
    result = api.export(api.open_architecture(data, store), fmt, target, force=force, protected=protected, **options)
    if isinstance(result, str):
        emit(result, nl=False)
    elif isinstance(result, list):
        click.echo("wrote " + ", ".join(display_path(p) for p in result), err=True)


@main.command("import")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(list(IMPORTERS)))
@click.argument("source", type=click.Path(exists=True))
@output_option("Directory for the Turtle files (replaced whole; see --force).", file_okay=False, dir_okay=True)
@click.option("--base", "base_iri", help="Base IRI for new resources (default: jobarch.toml's base_iri).")
@click.option(
    "--depths",
    default="auto",
    show_default=True,
    help="skos: hierarchy depths of function, family, focus (e.g. 1,2,3), or auto: chosen from the data.",
)
@click.option(
    "--level-from",
    type=click.Choice(["auto", "last-digit", "notation-suffix", "none"]),
    default="auto",
    show_default=True,
    help="skos: how the deepest concepts give their profile's level; none: each is a focus with one profile.",
)
@click.option("--track", default="P", show_default=True, help="skos: the track of levels read from digits.")
@click.option(
    "--code-from",
    metavar="PROPERTY",
    help="skos: the property holding the source's codes (a CURIE the file declares, or an IRI); "
    "default: skos:notation, or a property detected as holding one code per concept.",
)
@click.option("--plan", "plan_only", is_flag=True, help="skos: print how each depth maps, write nothing.")
def import_command(fmt, source, output, force, base_iri, depths, level_from, track, code_from, plan_only) -> None:
    """Turn external data into architecture files: csv, page, skos or onet.

    csv reads the layout `jobarch export csv` writes, page a profile page as
    text, skos a SKOS classification of occupations (see --plan), onet the
    directory of O*NET's database text files.

    Bad rows are reported by row and column and nothing is written.

    \b
    Examples:
      jobarch import csv profiles.csv -o imported/
      jobarch import page profile-page.txt -o imported/
      jobarch import skos classification.ttl --plan
      jobarch import skos isco.ttl -o imported/ --depths 1,2,3 --level-from last-digit
      jobarch import onet db_29_2_text/ -o onet/
    """
    options = {}
    if fmt == "skos":
        chosen: tuple[int | None, ...] = (None, None, None)
        if depths != "auto":
            try:
                chosen = tuple(int(d) for d in depths.split(","))
                assert len(chosen) == 3
            except (ValueError, AssertionError):
                raise click.UsageError("--depths takes three numbers, e.g. 1,2,3 (or auto)") from None
        function_depth, family_depth, focus_depth = chosen
        options["mapping"] = api.SkosMapping(function_depth, family_depth, focus_depth, level_from, track, code_from)
        if plan_only:
            emit(api.import_plan(Path(source), options["mapping"]), nl=False)
            return
    elif plan_only or code_from:
        raise click.UsageError(f"{'--plan' if plan_only else '--code-from'} is for skos imports")
    if fmt != "onet" and Path(source).is_dir():
        raise click.UsageError(f"{fmt} reads a file; only onet reads a directory")
    if not output:
        raise click.UsageError("say where to write with -o DIRECTORY")
    written = api.import_file(fmt, Path(source), Path(output), base_iri, force=force, **options)
    click.echo(f"wrote {len(written)} files to {output}", err=True)


@main.command("load")
@data_options
def load_command(data, store) -> None:
    """Put the architecture into a persistent store: Oxigraph on disk, or a SPARQL server (Graph Store Protocol).

    A store reloads only the files that changed since the last load and forgets the files that are gone; a
    SPARQL server names each file's graph by its path from the architecture's root, so every checkout loads
    the same graphs. The store is --store, else jobarch.toml's.

    \b
    Examples:
      jobarch load --store oxigraph:.jobarch/store
      jobarch load --store sparql:http://127.0.0.1:7878/query
    """
    backend, report = api.load_into_store(store, data)
    for line in views.load_lines(report, backend.selector):
        click.echo(line, err=True)


@main.command()
@output_option("Write the inferred triples here (Turtle). Default: standard output.")
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="auto",
    show_default=True,
    help="owlrl (reference), rules (fast, semi-naive), auto (rules on large architectures).",
)
@data_options
def reason(output, force, engine, data, store) -> None:
    """Compute the OWL-RL closure and write only the new data triples.

    The curators' files are never touched; the summary goes to standard error.
    With a persistent store (--store oxigraph:PATH) the inferences live in the
    store's own graph (queried with `jobarch query --reason`) and are
    recomputed only when a file changed since the last run.

    \b
    Examples:
      jobarch reason -o derived/inferred.ttl
      jobarch reason --store oxigraph:.jobarch/store -o /dev/null
    """
    protected = api.curator_files(data)
    if output:
        check_target(Path(output), force=force, protected=protected)
    inference = api.reason(data, engine, store)
    if output:
        write_output(Path(output), inference.turtle(), force=force, protected=protected)
    else:
        emit(inference.turtle(), nl=False)
    click.echo(inference.summary(), err=True)


@main.command("adjacency")
@output_option("The derived Turtle file to write.", required=True)
@click.option("-k", type=click.IntRange(1, 1000), default=10, show_default=True)
@data_options
def adjacency_command(output, force, k, data, store) -> None:
    """Materialise the k-nearest graph as ja:Adjacency nodes in a derived file, for SPARQL.

    \b
    Example:
      jobarch adjacency -o derived/adjacency.ttl
      jobarch query adjacent_profiles --data data --data derived/adjacency.ttl \\
          --param profile=MANUFA3.MANUFACT13A2.M2
    """
    target = Path(output)
    protected = api.curator_files(data)
    check_target(target, force=force, protected=protected)
    backend = api.open_architecture(data, store)
    count = api.adjacency_index(backend, data).write_turtle(target, k, force=force, protected=protected)
    click.echo(f"wrote {count:,} adjacencies to {output}", err=True)


@main.command("synth")
@click.option("--profiles", type=click.IntRange(1, 1_000_000), required=True, help="How many profiles.")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same architecture.")
@output_option("Directory to write (created).", required=True, file_okay=False, dir_okay=True)
def synth_command(profiles, seed, output, force) -> None:
    """Write a synthetic architecture shaped like the sample (for benchmarks and trials).

    \b
    Example:
      jobarch synth --profiles 10000 --seed 7 -o /tmp/arch10k
    """
    files = api.synthesize(profiles, seed, Path(output), force=force)
    click.echo(f"wrote {profiles:,} profiles in {len(files)} files to {output}", err=True)


@main.group("cache")
def cache_group() -> None:
    """The default store: an embedded Oxigraph store kept as a cache of the architecture's files.

    It lives beside jobarch.toml (.jobarch/cache) or in your cache directory
    (~/.cache/jobarch/stores, or $XDG_CACHE_HOME). Deleting it is always safe.

    \b
    Examples:
      jobarch cache info
      jobarch cache clear
    """


@cache_group.command("info")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@data_option()
def cache_info_command(fmt, data) -> None:
    """Where the cache of this architecture is, how big it is, and what it holds."""
    import json
    import time

    info = api.cache_info(data)
    if fmt == "json":
        emit(json.dumps(info, indent=2))
        return
    updated = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(info["updated"])) if info["updated"] else "never"
    click.echo(f"location   {info['path']}")
    click.echo(f"size       {info['bytes'] / 2**20:,.1f} MiB")
    click.echo(
        f"holds      {info['files']} files, {info['triples']:,} triples" if info["usable"] else "holds      nothing yet"
    )
    click.echo(f"updated    {updated} (generation {info['generation'] or '-'}, jobarch {info['jobarch'] or '-'})")


@cache_group.command("clear")
@click.option("--all", "everything", is_flag=True, help="Clear every architecture's cache in your cache directory.")
@data_option()
def cache_clear_command(everything, data) -> None:
    """Delete the cache (the next command rebuilds it from the files)."""
    removed = api.cache_clear(data, everything)
    click.echo(f"cleared {len(removed)} cache{'s' if len(removed) != 1 else ''}", err=True)
