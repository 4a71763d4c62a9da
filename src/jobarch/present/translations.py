"""The pages' words in the reader's language (core/i18n's catalogs in the templates), and the mark on a data
text shown in another language than the page's (the texts themselves are chosen in core/languages)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..core import languages
from ..core.i18n import _, gettext, ngettext


def fallback_note(language: str) -> str:
    """What the mark on a text in another language says."""
    return _("not available in %(wanted)s; shown in %(shown)s") % {
        "wanted": languages.name_of(languages.primary().split("-")[0]),
        "shown": languages.name_of(language),
    }


def shown_html(value: Any) -> Markup | Any:
    """A data text on a page: tagged with its language where it differs from the page's, and marked (a small
    language code with an explanation) where the reader's first language lacked it."""
    language = getattr(value, "language", "")
    if not language or language.split("-")[0] == languages.interface():
        return value
    tagged = Markup('<span lang="{}">{}</span>').format(language, value)
    if not languages.is_fallback(language):
        return tagged
    return tagged + Markup(' <abbr class="fallback" title="{}">{}</abbr>').format(
        fallback_note(language), language.upper()
    )


def shown_text(value: Any) -> Any:
    """A data text in a plain-text or Markdown page: ``[en]`` after it where the reader's first language lacked it."""
    language = getattr(value, "language", "")
    if language and languages.is_fallback(language):
        return f"{value} [{language}]"
    return value


def install(environment: Any, html: bool) -> None:
    """Give a Jinja2 environment the catalogs (``_``, ``ngettext``), the ``shown`` filter and the page's language."""
    environment.add_extension("jinja2.ext.i18n")
    environment.install_gettext_callables(gettext, ngettext, newstyle=True)
    environment.filters["shown"] = shown_html if html else shown_text
    environment.globals["page_language"] = languages.interface
