"""The reader's languages: which of a text's translations a command or a page shows.

An architecture may state a label, a definition or a responsibility in
several languages (``"Produktionsleitung"@de`` beside ``"Production
Supervision"@en``). A reader asks for a chain of languages (``--lang de,en``,
``lang`` in jobarch.toml, the browser's ``Accept-Language``); each text is
taken in the first language of the chain that has it, else untagged, else in
any language, and a text taken further down the chain than the reader's first
language is a *fallback* that pages mark.

The chain is the reader's, not the store's: one server answers readers of
several languages from one store. It is held in a context variable for the
command or the request (as gettext's active locale is), so the domain readers
that choose texts need no extra parameter threaded through every call.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar

from .errors import JobarchError

DEFAULT: tuple[str, ...] = ("en",)
#: The languages jobarch's own words (the pages' headings, buttons and messages) are translated into
#: (``src/jobarch/locale``; English is the source).
INTERFACE = ("en", "de")

_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")  # BCP 47, as far as choosing a text needs it
_reading: ContextVar[tuple[str, ...] | None] = ContextVar("jobarch_languages", default=None)
_configured: tuple[str, ...] | None = None


class Text(str):
    """A text that remembers its language tag, so that a page can mark (and tag with ``lang``) a text shown in
    another language than its reader's."""

    language: str = ""

    def __new__(cls, value: str, language: str = "") -> Text:
        made = super().__new__(cls, value)
        made.language = language
        return made

    def __reduce__(self) -> tuple:
        return (Text, (str(self), self.language))


def parse(spec: str | Sequence[str]) -> tuple[str, ...]:
    """``"de,en"`` (or a list) as a chain of lower-case tags; a tag that is not a language tag is an error."""
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    chain: list[str] = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        if not _TAG.match(item):
            raise JobarchError(f"{item!r} is not a language tag", hint="write tags like de, en or pt-BR: --lang de,en")
        if item.lower() not in chain:
            chain.append(item.lower())
    if not chain:
        raise JobarchError("no language given", hint="e.g. --lang de,en")
    return tuple(chain)


def from_accept_language(header: str) -> tuple[str, ...]:
    """The chain an ``Accept-Language`` header asks for, by quality (``*`` and malformed entries skipped)."""
    weighted = []
    for position, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        match = re.search(r"q=([0-9.]+)", params)
        if match:
            try:
                quality = float(match.group(1))
            except ValueError:
                continue
        if tag and tag != "*" and _TAG.match(tag.strip()) and quality > 0:
            weighted.append((-quality, position, tag.strip().lower()))
    chain: list[str] = []
    for _, _, tag in sorted(weighted):
        for candidate in (tag, tag.split("-")[0]):  # de-AT also reads de
            if candidate not in chain:
                chain.append(candidate)
    return tuple(chain)


def configure(spec: str | Sequence[str] | None) -> None:
    """The chain for this process when a reader asks for none (jobarch.toml's ``lang``)."""
    global _configured
    _configured = parse(spec) if spec else None


def current() -> tuple[str, ...]:
    """The chain texts are chosen by now: the command's or request's, else the configured one, else English."""
    return _reading.get() or _configured or DEFAULT


def choice_key() -> str:
    """The current chain as far as it changes what a reader is shown: each tag's primary language, in order.
    :func:`rank` and :func:`interface` read no more, so ``en-us,en`` (a browser's) and ``en`` (the server's)
    are one key: what is computed or rendered for one serves the other."""
    return ",".join(dict.fromkeys(tag.split("-")[0] for tag in current()))


def primary() -> str:
    """The reader's first language: a text in another is a fallback (see :func:`is_fallback`)."""
    return current()[0]


@contextlib.contextmanager
def reading(chain: Sequence[str] | None) -> Iterator[None]:
    """Choose texts by ``chain`` inside the block (a request's languages); None keeps the current chain."""
    token = _reading.set(tuple(chain)) if chain else None
    try:
        yield
    finally:
        if token is not None:
            _reading.reset(token)


@contextlib.contextmanager
def command_scope() -> Iterator[None]:
    """What a command chose (``--lang``, jobarch.toml's ``lang``) lasts until the command ends: a process that
    runs several commands (tests, a notebook) starts each in the languages it had before."""
    configured, token = _configured, _reading.set(_reading.get())
    try:
        yield
    finally:
        _reading.reset(token)
        configure(configured)


def activate(chain: Sequence[str] | None) -> None:
    """Choose texts by ``chain`` for the rest of this command (the CLI's ``--lang``)."""
    if chain:
        _reading.set(tuple(chain))


def interface() -> str:
    """The language jobarch's own words are shown in: the reader's first language it is translated into, else
    English."""
    for tag in current():
        if tag.split("-")[0] in INTERFACE:
            return tag.split("-")[0]
    return "en"


def name_of(language: str, in_language: str | None = None) -> str:
    """A language's name in ``in_language`` (default: the interface's; "Englisch" for a German reader), else its
    tag."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language.replace("-", "_")).get_display_name(in_language or interface()) or language
    except (UnknownLocaleError, ValueError):
        return language


def rank(language: str | None, chain: Sequence[str] | None = None) -> int:
    """How well a text's language serves the chain: its position in it (a tag's primary language counts:
    ``de-CH`` serves ``de``), then untagged text, then any other language. Lower is better."""
    chain = chain or current()
    if not language:
        return len(chain)
    language = language.lower()
    for position, wanted in enumerate(chain):
        if language == wanted or language.split("-")[0] == wanted.split("-")[0]:
            return position
    return len(chain) + 1


def is_fallback(language: str | None, chain: Sequence[str] | None = None) -> bool:
    """Whether a text in ``language`` is not in the reader's first language (untagged text is not marked: it
    is the architecture's own language, which jobarch cannot know better)."""
    return bool(language) and rank(language, chain) > 0


def choose(texts: Iterable[tuple[str, str | None]], chain: Sequence[str] | None = None) -> str:
    """The text (of ``(text, language)`` pairs) a reader of the chain is shown, with its language; "" for none."""
    chain = chain or current()
    chosen: tuple[int, str, str] | None = None
    for value, language in texts:
        key = (rank(language, chain), value, language or "")
        if chosen is None or key < chosen:
            chosen = key
    if chosen is None:
        return ""
    return Text(chosen[1], chosen[2]) if chosen[2] else chosen[1]


def prefer(rows: list[dict], chain: Sequence[str] | None = None) -> list[dict]:
    """The rows of a SELECT with, for each variable holding language-tagged text, only the rows whose text
    serves the chain best among the rows that agree on every other variable.

    A query that reads a profile's title, its focus's label and its definition returns every combination of
    their translations; this keeps the one combination a reader of the chain wants, and a list (the aliases,
    the responsibilities) in the best language each item has, without a language filter in every query.
    """
    if len(rows) < 2:
        return rows
    chain = chain or current()
    names = list(rows[0])
    for name in names:
        tagged = [getattr(row.get(name), "language", None) for row in rows]
        if not any(tagged):
            continue
        ranks = [rank(language, chain) for language in tagged]
        if min(ranks) == max(ranks):  # every row's text serves the chain alike: none is dropped
            continue
        others = [n for n in names if n != name]
        keys = [tuple(row.get(n) for n in others) for row in rows]
        top: dict[tuple, int] = {}
        for key, value in zip(keys, ranks, strict=True):
            if value < top.get(key, 1 << 30):
                top[key] = value
        rows = [row for row, key, value in zip(rows, keys, ranks, strict=True) if value == top[key]]
    return rows
