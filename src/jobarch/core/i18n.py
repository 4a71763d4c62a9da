"""jobarch's own words in the reader's language: gettext catalogs.

The words jobarch writes around the data (the pages' headings and
explanations, the phrases that describe a change or a requirement) are marked
with ``_()``/``ngettext()`` and translated in Babel's ``.po`` catalogs under
``src/jobarch/locale`` (English is the source language). A catalog is compiled
in memory the first time its language is asked for, so no compiled ``.mo``
file is kept in the repository. The language is the interface's
(:func:`core.languages.interface`): the reader's first that has a catalog.
"""

from __future__ import annotations

import gettext as gnu
from functools import cache
from io import BytesIO
from pathlib import Path

from . import languages

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "jobarch"


@cache
def catalog(language: str) -> gnu.NullTranslations:
    """The compiled catalog of one language (English, the source, translates to itself)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.is_file():
        return gnu.NullTranslations()
    with path.open("rb") as handle:
        messages = read_po(handle, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, messages)
    compiled.seek(0)
    return gnu.GNUTranslations(compiled)


def gettext(message: str) -> str:
    """``message`` in the interface's language."""
    return catalog(languages.interface()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural of ``message`` for ``n``, in the interface's language."""
    return catalog(languages.interface()).ngettext(singular, plural, n)


_ = gettext


def N_(message: str) -> str:  # noqa: N802 - gettext's name for it, which the extraction looks for
    """Mark a word for the catalogs where it is defined and translate it where it is shown (``_(aspect)``)."""
    return message
