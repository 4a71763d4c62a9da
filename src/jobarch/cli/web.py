"""`jobarch serve`: the architecture in the browser, and a read-only SPARQL endpoint."""

from __future__ import annotations

import click

from .base import data_options, main


@main.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to listen on; loopback unless you mean to share it.",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--query-timeout",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    help="Seconds a /sparql query may run.",
)
@click.option(
    "--max-rows", type=click.IntRange(min=1), default=10000, show_default=True, help="Largest /sparql answer, in rows."
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="Query worker processes: how many /sparql queries run at once (pages never wait for them).",
)
@click.option(
    "--query-memory",
    type=click.IntRange(min=0),
    default=1024,
    show_default=True,
    metavar="MIB",
    help="MiB of memory a /sparql query may use (past it, 503 and the worker is replaced); 0: no limit.",
)
@click.option(
    "--allow-host",
    "allow_host",
    multiple=True,
    metavar="NAME",
    help="Also answer requests whose Host header names NAME (repeatable; '*' for any). Loopback and --host "
    "are always allowed.",
)
@click.option(
    "--base-iri",
    metavar="IRI",
    help="The IRI the server's paths map onto, so that the data's IRIs dereference (GET /level/M2 is "
    "<IRI>level/M2). Default: the namespace of the architecture's own IRI.",
)
@data_options
def serve_command(
    host, port, query_timeout, max_rows, workers, query_memory, allow_host, base_iri, data, store
) -> None:
    """Serve profile pages, compare, browse, search and a read-only SPARQL endpoint.

    \b
    Examples:
      jobarch serve                       # http://127.0.0.1:8000/
      jobarch serve --store oxigraph:.jobarch/store --port 8080
    """
    from ..web.app import Limits, serve
    from ..web.guard import allowed_hosts

    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: serving on {host}: anyone who can reach it can read the architecture", err=True)
    limits = Limits(
        query_timeout=query_timeout,
        max_rows=max_rows,
        workers=workers,
        query_memory=query_memory * 2**20 or None,
        allowed_hosts=tuple(allowed_hosts(host, allow_host)),
        base_iri=base_iri,
    )
    serve(data, store, host, port, limits)
