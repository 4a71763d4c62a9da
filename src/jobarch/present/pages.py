"""Render a profile as its page: plain text, Markdown, or a rich terminal view.

Plain text follows the reference page line for line; Markdown is the same page
for review comments and wikis; the terminal view is the Markdown rendered by
rich, so there are two templates and no third layout to keep in step.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from ..core.errors import JobarchError
from ..core.text import markdown_text, table_cell, terminal_safe
from ..domain.profile import Profile
from .translations import install as install_translations

PAGE_FORMATS = ("terminal", "markdown", "text")


if TYPE_CHECKING:
    from jinja2 import Environment


@cache
def _environment(fmt: str) -> Environment:
    """Templates whose every printed value passes one sanitiser: Markdown never carries raw HTML from data,
    and text never carries terminal escapes (the HTML views escape separately)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    clean = markdown_text if fmt == "markdown" else terminal_safe
    env = Environment(
        loader=PackageLoader("jobarch.present", "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        finalize=lambda value: clean(value) if isinstance(value, str) else value,
    )
    env.filters["cell"] = table_cell
    install_translations(env, html=False)
    return env


def render_profile(profile: Profile, fmt: str = "text", adjacent: Sequence | None = (), note: str = "") -> str:
    """The profile page as text or Markdown.

    ``adjacent`` None means adjacency could not be computed (``note`` says why).
    """
    templates = {"text": "page.txt.j2", "markdown": "page.md.j2"}
    if fmt not in templates:
        hint = "the terminal page is print_profile()" if fmt == "terminal" else "use text or markdown"
        raise JobarchError(f"no profile page as {fmt!r}", hint=hint)
    name = templates[fmt]
    if adjacent is None:
        adjacent, note = [], note or "Not computed."
    elif not adjacent and not note:
        note = "No other profiles to compare with."
    return _environment(fmt).get_template(name).render(p=profile, adjacent=list(adjacent), adjacent_note=note)


def print_profile(profile: Profile, adjacent: Sequence | None = (), note: str = "", console=None) -> None:
    """Show the page in the terminal, wrapped to its width."""
    from rich.console import Console
    from rich.markdown import Markdown

    console = console or Console()
    console.print(Markdown(render_profile(profile, "markdown", adjacent, note)))
