"""Search as people type it: words matched by their stem, in every field that describes a profile, ranked.

``supervisor`` finds "Production Supervision" (both stem to ``supervis``),
``manager`` finds the profiles at the manager levels (level names are
indexed), ``upstream supervisor`` needs both words, a skill or a word of a
responsibility finds the profiles that need or do it, and a word no profile
has gets a suggestion from the words that exist (``bioreacter`` →
``bioreactor``). The index is built from one query and answers from memory: a
search never scans the store. A store that can say what its data is
(``fingerprint()``) keeps the index in its state, so a command or a server
start on unchanged files reads it back instead of building it again.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import snowballstemmer

from ..core import languages
from ..core.i18n import N_
from ..query import internal
from ..store import Store, kept
from .facts import profile_facts
from .skills import skill_names

STATE = "search-index"
VERSION = 3  # 2: profile codes indexed; 3: each text stemmed in its language, titles in every language

#: How much a word found in each field counts; a profile's score is the sum over the query's words of the
#: best field each was found in.
FIELD_WEIGHTS = {
    "code": 10.0,
    "title": 8.0,
    "alias": 6.0,
    "taxonomy": 4.0,
    "level": 3.0,
    "skill": 2.0,
    "description": 1.5,
    "responsibility": 1.0,
}
FIELD_NAMES = {  # what a page calls each field (translated where shown)
    "code": N_("code"),
    "title": N_("title"),
    "alias": N_("alias"),
    "taxonomy": N_("focus, family or function"),
    "level": N_("level"),
    "skill": N_("skill"),
    "description": N_("description"),
    "responsibility": N_("responsibility"),
}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
MIN_PREFIX = 5  # a query word and an indexed stem match when one starts the other and the shorter is this long


@dataclass
class Hit:
    code: str
    title: str
    score: float
    matched: dict[str, str] = field(default_factory=dict)  # query word -> the field it was found in (best)


@dataclass
class SearchResult:
    hits: list[Hit]  # every hit, best first (pages slice them; ``total`` counts them)
    suggestion: str | None = None  # the query with its misspelt words replaced by the nearest known ones
    facets: dict[str, dict[str, int]] = field(default_factory=dict)  # function/track/level -> value -> hits
    corrected_from: str | None = None  # the query as typed, when it found nothing and these are the suggestion's

    @property
    def total(self) -> int:
        return len(self.hits)


@dataclass(frozen=True)
class Filters:
    """Narrow the hits by where the profiles sit; read from the codes (``FUNCTION.FOCUS.LEVEL``, a focus code
    starting with its family's, a level code starting with its track's), so filtering costs no query."""

    function: str = ""
    family: str = ""
    track: str = ""
    level: str = ""

    def keep(self, code: str) -> bool:
        parts = code.split(".")
        if len(parts) != 3:
            return not (self.function or self.family or self.track or self.level)
        function, focus, level = parts
        return (
            (not self.function or function == self.function)
            and (not self.family or focus.startswith(self.family))
            and (not self.track or level.rstrip("0123456789") == self.track)
            and (not self.level or level == self.level)
        )


def _facets(codes: list[str]) -> dict[str, dict[str, int]]:
    facets: dict[str, dict[str, int]] = {"function": {}, "track": {}, "level": {}}
    for code in codes:
        parts = code.split(".")
        if len(parts) == 3:
            for name, value in (("function", parts[0]), ("track", parts[2].rstrip("0123456789")), ("level", parts[2])):
                facets[name][value] = facets[name].get(value, 0) + 1
    return {name: dict(sorted(values.items())) for name, values in facets.items()}


#: The Snowball stemmer of each language a text may be tagged with (untagged text is read as English).
STEMMERS = {
    "en": "english", "de": "german", "fr": "french", "es": "spanish", "it": "italian", "nl": "dutch",
    "pt": "portuguese", "sv": "swedish", "da": "danish", "no": "norwegian", "nb": "norwegian", "nn": "norwegian",
    "fi": "finnish", "ru": "russian", "hu": "hungarian", "ro": "romanian", "tr": "turkish", "el": "greek",
    "ca": "catalan", "lt": "lithuanian", "ga": "irish", "id": "indonesian", "ar": "arabic", "eu": "basque",
}  # fmt: skip
#: Languages that write compounds as one word: a query word also finds the compounds it ends
#: ("leitung" finds "Produktionsleitung"), not only those it starts.
COMPOUNDING = {"german", "dutch", "swedish", "danish", "norwegian", "finnish"}


def stemmer_of(language: str | None) -> str:
    """The Snowball stemmer for a text's language tag (English for untagged text and languages it lacks)."""
    return STEMMERS.get((language or "en").lower().split("-")[0], "english")


class SearchIndex:
    """Every profile's words by stem, with the best field each stem appears in: each text stemmed in its own
    language, and a query's words in every language the index holds."""

    def __init__(self, rows: list[tuple[str, str, str, str]]):
        self._stemmers: dict[str, snowballstemmer.stemmer] = {}
        self._stems_of: dict[str, dict[str, str]] = defaultdict(dict)  # stemmer -> word -> stem
        self._titles: dict[str, set[tuple[str, str]]] = defaultdict(set)  # code -> (title, language)
        self._by_chain: dict[tuple[str, ...], dict[str, str]] = {}
        self.postings: dict[str, dict[str, str]] = defaultdict(dict)  # stem -> profile code -> best field
        self._compounds: dict[str, str] = {}  # a word of a compounding language -> its stem
        words_of: dict[
            tuple[str, str], list[str]
        ] = {}  # the same text (a skill's name) recurs for thousands of profiles
        for code, kind, value, language in rows:
            if kind == "title":
                self._titles[code].add((value, language))
            stemmer = stemmer_of(language)
            words = words_of.get((stemmer, value))
            if words is None:
                words = words_of[stemmer, value] = sorted({self._stem(w, stemmer) for w in self._words(value)})
                if stemmer in COMPOUNDING:
                    self._compounds.update((w, self._stem(w, stemmer)) for w in self._words(value))
            weight = FIELD_WEIGHTS[kind]
            for stem in words:
                best = self.postings[stem]
                if weight > FIELD_WEIGHTS.get(best.get(code, ""), 0.0):
                    best[code] = kind
        self._ready()

    def _ready(self) -> None:
        """What answering needs beside the postings: the known words, the sorted stems, the compounds reversed."""
        self.words = {word for stems in self._stems_of.values() for word in stems}
        self._stems = sorted(self.postings)
        self._ends = sorted(word[::-1] for word in self._compounds)

    @property
    def titles(self) -> dict[str, str]:
        """Each profile's title by code, in the reader's languages (core/languages)."""
        chain = languages.current()
        titles = self._by_chain.get(chain)
        if titles is None:
            titles = self._by_chain[chain] = {code: languages.choose(found) for code, found in self._titles.items()}
        return titles

    @classmethod
    def from_store(cls, store: Store) -> SearchIndex:
        rows = [
            (c, k, v, language or "")
            for c, k, v, language in store.values(internal("search_documents")).rows
            if c and k in FIELD_WEIGHTS and v
        ]
        focus_skills: dict[str, list[tuple[str, str]]] = {}
        for focus, skill, language in store.values(internal("search_focus_skills")).rows:
            if focus and skill:
                focus_skills.setdefault(focus, []).append((skill, language or ""))
        profiles = {code for code, _, _, _ in rows}
        codes = [(code, "code", code, "") for code in profiles]  # a person searching for their own code finds it
        inherited = [  # a profile's code names its focus (FUNCTION.FOCUS.LEVEL)
            (code, "skill", skill, language)
            for code in profiles
            if code.count(".") == 2
            for skill, language in focus_skills.get(code.split(".")[1], ())
        ]
        return cls(rows + codes + inherited)

    def to_state(self) -> dict:
        """The index as JSON-ready numbers and strings (codes and fields numbered, postings flat)."""
        codes = sorted({c for found in self.postings.values() for c in found} | set(self._titles))
        number = {c: i for i, c in enumerate(codes)}
        kinds = list(FIELD_WEIGHTS)
        return {
            "codes": codes,
            "titles": [sorted(self._titles.get(c, ())) for c in codes],
            "stems": self._stems_of,
            "compounds": self._compounds,
            "postings": {
                stem: [x for code, kind in found.items() for x in (number[code], kinds.index(kind))]
                for stem, found in self.postings.items()
            },
        }

    @classmethod
    def from_state(cls, saved: dict) -> SearchIndex:
        index = cls([])
        codes, kinds = saved["codes"], list(FIELD_WEIGHTS)
        for code, titles in zip(codes, saved["titles"], strict=True):
            if titles:
                index._titles[code] = {(title, language) for title, language in titles}
        index._stems_of = defaultdict(dict, {name: dict(stems) for name, stems in saved["stems"].items()})
        index._compounds = dict(saved["compounds"])
        index.postings = defaultdict(dict)
        for stem, flat in saved["postings"].items():
            index.postings[stem] = {codes[flat[i]]: kinds[flat[i + 1]] for i in range(0, len(flat), 2)}
        index._ready()
        return index

    def _words(self, value: str) -> list[str]:
        return [w.lower() for w in _WORD.findall(value)]

    def _stem(self, word: str, stemmer: str) -> str:
        stems = self._stems_of[stemmer]
        stem = stems.get(word)
        if stem is None:  # the stemmer is pure Python: each distinct word is stemmed once
            algorithm = self._stemmers.get(stemmer)
            if algorithm is None:
                algorithm = self._stemmers[stemmer] = snowballstemmer.stemmer(stemmer)
            stem = stems[word] = algorithm.stemWord(word)
        return stem

    def _matching_stems(self, word: str) -> list[str]:
        """The indexed stems a query word finds: its stem in each language the index holds; in the reader's
        languages also the stems it starts or that start it (supervisor ~ supervis(ion): another language's
        stemmer would cut a typo to a stem that starts half the index); and the compounds it ends (leitung ~
        Produktionsleitung)."""
        found: list[str] = []
        held = list(self._stems_of) or ["english"]
        reader = {stemmer_of(tag) for tag in languages.current()} & set(held) or {"english"}
        for stemmer in held:
            stem = self._stem(word, stemmer)
            found += [stem] if stem in self.postings else []
            if len(stem) >= MIN_PREFIX and stemmer in reader:
                found += [s for s in self._prefixed(self._stems, stem) if s != stem]
                found += [stem[:n] for n in range(MIN_PREFIX, len(stem)) if stem[:n] in self.postings]
        if len(word) >= MIN_PREFIX:
            found += [self._compounds[w[::-1]] for w in self._prefixed(self._ends, word[::-1])]
        return list(dict.fromkeys(found))

    @staticmethod
    def _prefixed(stems: list[str], prefix: str) -> list[str]:
        start = bisect.bisect_left(stems, prefix)
        out = []
        for stem in stems[start:]:
            if not stem.startswith(prefix):
                break
            out.append(stem)
        return out

    def search(self, query: str, limit: int | None = None, filters: Filters | None = None) -> SearchResult:
        """Every profile with every word of ``query`` (by stem, in any field), best first; a query that finds
        nothing because of misspelt words answers with the corrected query's hits, saying so."""
        found = self._search(self._words(query), limit, filters)
        exact = next((i for i, hit in enumerate(found.hits) if hit.code.casefold() == query.strip().casefold()), 0)
        if exact:  # a code typed whole names its profile before the profiles that share its parts
            found.hits.insert(0, found.hits.pop(exact))
        if found.hits or not found.suggestion:
            return found
        corrected = self._search(self._words(found.suggestion), limit, filters)
        if not corrected.hits:
            return SearchResult([], None, found.facets)
        corrected.corrected_from, corrected.suggestion = query, found.suggestion
        return corrected

    def _search(self, words: list[str], limit: int | None, filters: Filters | None) -> SearchResult:
        if not words:
            return SearchResult([])
        scores: dict[str, float] | None = None
        matched: dict[str, dict[str, str]] = defaultdict(dict)
        for word in words:
            found: dict[str, str] = {}
            for stem in self._matching_stems(word):
                for code, kind in self.postings[stem].items():
                    if FIELD_WEIGHTS[kind] > FIELD_WEIGHTS.get(found.get(code, ""), 0.0):
                        found[code] = kind
            step = {code: FIELD_WEIGHTS[kind] for code, kind in found.items()}
            scores = step if scores is None else {c: s + step[c] for c, s in scores.items() if c in step}
            for code, kind in found.items():
                matched[code][word] = FIELD_NAMES[kind]
        if not scores:
            return SearchResult([], self._suggest(words))
        facets = _facets(list(scores))  # before filtering: what each filter would leave
        if filters is not None:
            scores = {code: score for code, score in scores.items() if filters.keep(code)}
        ranked = _ranked(scores)[:limit]
        hits = [Hit(code, self.titles.get(code, code), score, matched[code]) for code, score in ranked]
        return SearchResult(hits, None, facets)

    def _suggest(self, words: list[str]) -> str | None:
        """The query with every word that is not a known word replaced by the closest known one (``None`` when
        a word has none close, or nothing would change)."""
        replaced = []
        for word in words:
            if word in self.words:
                replaced.append(word)
                continue
            close = difflib.get_close_matches(word, self.words, n=1, cutoff=0.75)
            if not close:
                return None
            replaced.append(close[0])
        return " ".join(replaced) if replaced != words else None


def _ranked(scores: dict[str, float]) -> list[tuple[str, float]]:
    """Best score first; among equal scores the functions take turns (by code within each), so that a word
    many functions share does not list one function's profiles before any other's."""
    tiers: dict[float, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for code in sorted(scores):
        tiers[scores[code]][code.split(".", 1)[0]].append(code)
    out = []
    for score in sorted(tiers, reverse=True):
        by_function = [tiers[score][f] for f in sorted(tiers[score])]
        for turn in range(max(len(codes) for codes in by_function)):
            out += [(codes[turn], score) for codes in by_function if turn < len(codes)]
    return out


def search_index(store: Store) -> SearchIndex:
    """The store's search index: read back from its state when the files are unchanged, else built (and kept)."""
    return kept(
        store,
        STATE,
        VERSION,
        lambda: SearchIndex.from_store(store),
        lambda index: {"index": index.to_state()},
        lambda saved: SearchIndex.from_state(saved["index"]),
    )


def skill_directory(store: Store) -> dict[str, int]:
    """Every skill's name with how many profiles need it (directly or through their focus), by name: read from
    the profile facts kept with the store, so that a search or a picker asks the store nothing more."""
    needed = Counter(skill for facts in profile_facts(store).values() for skill in facts.skills)
    directory: Counter[str] = Counter()
    for skill, name in skill_names(store).items():
        directory[name] += needed.get(skill, 0)
    return dict(sorted(directory.items(), key=lambda item: (item[0].casefold(), item[0])))


def skills_containing(directory: dict[str, int], text: str, limit: int = 200) -> list[tuple[str, int]]:
    """The skills whose name contains ``text`` (case-insensitive), with how many profiles need each."""
    wanted = text.casefold()
    return [(name, count) for name, count in directory.items() if wanted in name.casefold()][:limit]


__all__ = [
    "FIELD_WEIGHTS",
    "Filters",
    "Hit",
    "SearchIndex",
    "SearchResult",
    "search_index",
    "skill_directory",
    "skills_containing",
]
