"""The command group and the options every command shares, defined once.

Exit status everywhere: 0 success, 1 findings, 2 usage errors and unreadable input.
Errors print as ``path:line:col: message`` without a traceback unless ``--debug``.
"""

from __future__ import annotations

import gc
import sys
import traceback
from collections.abc import Callable
from typing import Any

import click

from ..core.config import set_size_limit
from ..core.errors import JobarchError
from ..core.text import terminal_safe


class JobarchGroup(click.Group):
    """Turns every JobarchError into a one-line message and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:
        from .. import api
        from ..core import languages

        ctx.with_resource(api.closing_stores())  # an open Oxigraph store locks its directory until closed
        ctx.with_resource(languages.command_scope())  # --lang and jobarch.toml's lang end with the command
        # A command builds and drops millions of small objects (terms, rows) and keeps few cycles: collecting the
        # youngest generation every 700 allocations would cost a fifth of an export's time.
        gc.set_threshold(100_000, 50, 100)
        try:
            return super().invoke(ctx)
        except JobarchError as exc:
            if ctx.meta.get("jobarch.debug"):
                traceback.print_exc()
            click.echo(terminal_safe(f"error: {exc}" if exc.location is None else str(exc)), err=True)
            sys.exit(exc.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug in jobarch: say so briefly, keep the traceback for --debug
            if ctx.meta.get("jobarch.debug"):
                raise
            click.echo(
                terminal_safe(f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)"),
                err=True,
            )
            sys.exit(2)


def store_help() -> str:
    from ..store import selectors_help

    return (
        f"Where the architecture is held: {selectors_help()}. "
        "Default: a warm Oxigraph cache of the files (see `jobarch cache info`). [env: JOBARCH_STORE]"
    )


DATA_HELP = "Architecture file or directory (repeatable). Default: jobarch.toml's, else the sample. [env: JOBARCH_DATA]"


def data_option(help: str = DATA_HELP) -> Callable:
    """The one spelling of --data (repeatable paths to the architecture's files)."""
    return click.option("--data", "data", multiple=True, metavar="PATH", type=click.Path(), help=help)


def store_option() -> Callable:
    return click.option("--store", "store", metavar="SELECTOR", default=None, help=store_help())


def _read_in(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    from ..core import languages

    if value:
        try:
            languages.activate(languages.parse(value))
        except JobarchError as exc:
            raise click.BadParameter(f"{exc.message} ({exc.hint})") from None


def lang_option() -> Callable:
    """--lang: the languages a command reads texts in, the first preferred (core/languages)."""
    return click.option(
        "--lang",
        metavar="LANG[,FALLBACK...]",
        envvar="JOBARCH_LANG",
        expose_value=False,
        callback=_read_in,
        help="Show labels, definitions and other texts in these languages, the first preferred, e.g. de,en "
        "(default: jobarch.toml's lang, else English; a text missing in them is shown in another). [env: JOBARCH_LANG]",
    )


def data_options(func: Callable) -> Callable:
    """--data, --store and --lang, shared by every command that reads the architecture."""
    return data_option()(store_option()(lang_option()(func)))


def output_option(help: str, required: bool = False, file_okay: bool = True, dir_okay: bool = False) -> Callable:
    """The one spelling of the output option: -o/--output, with --force to replace what jobarch did not write."""
    output = click.option(
        "-o",
        "--output",
        "output",
        required=required,
        help=help,
        type=click.Path(file_okay=file_okay, dir_okay=dir_okay),
    )
    force = click.option(
        "--force",
        is_flag=True,
        help="Replace an -o target that jobarch did not write (or that was edited since). "
        "The architecture's own files are never replaced.",
    )
    return lambda func: output(force(func))


def format_option(choices: tuple[str, ...] | list[str], default: str, help: str = "") -> Callable:
    return click.option(
        "--format", "fmt", type=click.Choice(list(choices)), default=default, show_default=True, help=help
    )


@click.group(cls=JobarchGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.option(
    "--max-bytes",
    metavar="SIZE",
    envvar="JOBARCH_MAX_BYTES",
    help="Refuse input files larger than this (e.g. 1G; default 512M, or jobarch.toml's max_bytes).",
)
@click.version_option(package_name="jobarch")
@click.pass_context
def main(ctx: click.Context, debug: bool, max_bytes: str | None) -> None:
    """jobarch: a knowledge-graph engine for job architectures.

    \b
    Example:
      jobarch show MANUFA3.MANUFACT13A2.M2
    """
    ctx.meta["jobarch.debug"] = debug
    set_size_limit(max_bytes)
    if not debug:
        quiet_libraries()


def quiet_libraries() -> None:
    """rdflib logs a traceback for every ill-typed literal (``"abc"^^xsd:integer``) while parsing; the shapes
    report those literals with file and line, so the library's own log stays out of the user's terminal."""
    import logging

    for name in ("rdflib", "pyshacl", "owlrl"):
        logger = logging.getLogger(name)
        logger.addHandler(logging.NullHandler())
        logger.propagate = False
