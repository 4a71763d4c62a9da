"""The ``jobarch`` command. It parses arguments and calls :mod:`jobarch.api`; nothing else.

Exit status everywhere: 0 success, 1 findings, 2 usage errors and unreadable input.
Errors print as ``path:line:col: message`` without a traceback unless ``--debug``.
"""
from __future__ import annotations

import sys
import traceback
from pathlib import Path

import click

from . import api
from .errors import JobarchError
from . import report as report_formats
from .render import FORMATS, print_profile, render_profile
from .validate import SEVERITIES
from .writer import atomic_write


class JobarchGroup(click.Group):
    """Turns every JobarchError into a one-line message and exit status 2."""

    def invoke(self, ctx: click.Context):
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
                        help="Store backend: memory (default). [env: JOBARCH_STORE]")(func)
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
@data_options
def show(code: str, fmt: str | None, data: tuple[str, ...], store: str | None) -> None:
    """Show one job profile as its page.

    \b
    Example:
      jobarch show MANUFA3.MANUFACT13A2.M2 --format markdown
    """
    backend = api.open_architecture(data, store)
    profile = api.profile(backend, code)
    fmt = fmt or ("terminal" if sys.stdout.isatty() else "text")
    if fmt == "terminal":
        print_profile(profile)
    else:
        click.echo(render_profile(profile, fmt), nl=False)


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


if __name__ == "__main__":  # pragma: no cover
    main()
