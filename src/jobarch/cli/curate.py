"""Commands for curators: validate, fmt, diff."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import api
from ..core.outputs import check_target, write_output
from ..core.text import terminal_safe
from ..present import validation as reports
from ..present.tables import emit
from ..validation import ENGINES as VALIDATION_ENGINES
from ..validation import SEVERITIES
from .base import data_option, format_option, main, output_option, store_option

SAME_AS_PATHS = "Architecture file or directory (repeatable); the same as PATHS. [env: JOBARCH_DATA]"


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@format_option(
    reports.REPORT_FORMATS,
    "text",
    "text for people, json, sarif (SARIF 2.1.0 for code review), turtle (the W3C SHACL report).",
)
@click.option(
    "--severity",
    type=click.Choice(SEVERITIES),
    default="violation",
    show_default=True,
    help="Exit 1 when there is a result at or above this severity.",
)
@click.option(
    "--changed", is_flag=True, help="Only the nodes of files git sees as changed, and the nodes that reference them."
)
@click.option(
    "--only",
    "only",
    multiple=True,
    type=click.Path(),
    metavar="FILE",
    help="Only the nodes defined in FILE (repeatable), and the nodes that reference them.",
)
@output_option("Write the report to a file (atomically).")
@click.option(
    "--engine",
    type=click.Choice(VALIDATION_ENGINES),
    default="auto",
    show_default=True,
    help="fast: the shapes compiled to queries on the Oxigraph store; pyshacl: the reference; "
    "auto: fast unless a shape needs pyshacl (then says so).",
)
@store_option()
@data_option(SAME_AS_PATHS)
def validate(paths, fmt, severity, changed, only, output, force, engine, store, data) -> None:
    """Check the architecture against the SHACL shapes.

    Each result names the file and line of the node it is about. Exit status:
    0 nothing at or above --severity, 1 something is, 2 unreadable input.
    The fast engine runs on the warm store (or, for --store memory or
    sparql:URL, on a scratch copy of the files) and finds what pyshacl finds.

    \b
    Examples:
      jobarch validate data/
      jobarch validate data/ --changed --format sarif -o results.sarif
      jobarch validate data/ --engine pyshacl
    """
    protected = api.curator_files(paths or data)
    if output:
        check_target(Path(output), force=force, protected=protected)
    result = api.validate_architecture(
        paths or data, only=list(only) or None, changed=changed, store=store, engine=engine
    )
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    text = reports.render(result, fmt, len(result.files))
    if output:
        write_output(Path(output), text, force=force, protected=protected)
    else:
        emit(text, nl=False)
    if result.at_or_above(severity):
        sys.exit(1)


@main.command("fmt")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--check", is_flag=True, help="Change nothing; list the files that would change and exit 1 if any.")
@click.option("--drop-comments", is_flag=True, help="Allow dropping comments that cannot be kept (inside a statement).")
@data_option(SAME_AS_PATHS)
def fmt_command(paths, check, drop_comments, data) -> None:
    """Rewrite Turtle files in one canonical, diff-friendly layout (atomically; comments kept).

    \b
    Examples:
      jobarch fmt data/
      jobarch fmt --check data/
    """
    from ..core.files import display_path

    results = api.format_files(paths or data, check=check, drop_comments=drop_comments)
    changed = [r for r in results if r.changed]
    for r in changed:
        click.echo(terminal_safe(f"{'would reformat' if check else 'reformatted'} {display_path(r.path)}"))
        for line in r.dropped_comments:
            click.echo(terminal_safe(f"{display_path(r.path)}:{line}: dropped a comment inside a statement"), err=True)
    click.echo(
        f"{len(changed)} of {len(results)} file{'s' if len(results) != 1 else ''} "
        f"{'would change' if check else 'changed'}",
        err=True,
    )
    if check and changed:
        sys.exit(1)


@main.command("diff")
@click.argument("sides", nargs=-1, type=click.Path())
@click.option(
    "--git",
    "revisions",
    metavar="REV1..REV2",
    help="Compare two git revisions of the given paths (REV2 empty: the working tree).",
)
@format_option(["text", "json", "md"], "text")
def diff_command(sides, revisions, fmt) -> None:
    """A semantic diff by profile and section: two files, two directories, or --git REV1..REV2 PATH.

    Exit status 1 when there are differences, as diff does.

    \b
    Examples:
      jobarch diff old/ data/
      jobarch diff --git HEAD~1.. data/
    """
    if revisions:
        if not sides:
            raise click.UsageError("--git needs the paths to compare, e.g. jobarch diff --git HEAD~1.. data/")
        changes = api.diff_git(revisions, sides)
    else:
        if len(sides) != 2:
            raise click.UsageError("give two files or two directories (or --git REV1..REV2 PATH)")
        changes = api.diff([sides[0]], [sides[1]])
    emit(api.diff_report(changes, fmt), nl=False)
    if changes:
        sys.exit(1)
