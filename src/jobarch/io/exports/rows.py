"""Profiles as records with their list-valued facts: what the flat exports (CSV, ESCO, schema.org, SSSOM) write.

The store is read with a few queries, each one scan (every statement of a
set of predicates; responsibilities; scores), read as plain values and
joined here, so that an export costs seconds at tens of thousands of
profiles. Which profiles, and their place in the taxonomy, come from the
profile facts kept with the store (:mod:`jobarch.domain.facts`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ...core import languages
from ...core.namespaces import DCTERMS, JA, PROV, RDFS, SKOS
from ...domain.facts import profile_facts
from ...domain.skills import Requirement
from ...query import internal
from ...store import Store

MATCHES = {str(SKOS[n]): n for n in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")}
LAST = 10**9  # the order of an item without ja:order
# plain strings, read once: the statements are indexed by IRI text
CODE, ORDER, STATUS, GRADE, MIN_YEARS, MAX_YEARS = (
    str(JA[n]) for n in ("code", "order", "status", "grade", "minYearsExperience", "maxYearsExperience")
)
MAPPING, MAPPING_SCHEME, MAPPED_CODE, MAPPED_CONCEPT, MAPPING_SOURCE, CONFIDENCE = (
    str(JA[n])
    for n in ("classificationMapping", "mappingScheme", "mappedCode", "mappedConcept", "mappingSource", "confidence")
)
PREF_LABEL, ALT_LABEL, HIDDEN_LABEL, DEFINITION = (
    str(SKOS[n]) for n in ("prefLabel", "altLabel", "hiddenLabel", "definition")
)
LABEL, TITLE, DERIVED_FROM = str(RDFS.label), str(DCTERMS.title), str(PROV.wasDerivedFrom)
IN_SCHEME, MODIFIED = str(SKOS.inScheme), str(DCTERMS.modified)


@dataclass(frozen=True)
class Skill:
    iri: str
    label: str
    definition: str
    scheme: str = ""  # the skills' scheme (skos:inScheme)
    modified: str = ""  # dct:modified of the skill, else of its scheme


@dataclass(frozen=True)
class Mapping:
    scheme: str  # the scheme's IRI
    scheme_label: str
    code: str
    source: str
    confidence: str
    concept: str
    relation: str  # the SKOS relation that links the profile to the concept (exactMatch, closeMatch, ...), or ""


@dataclass
class ProfileRecord:
    iri: str
    code: str
    title: str
    definition: str  # the profile's own
    status: str
    function_code: str
    function: str
    family_code: str
    family: str
    focus_code: str
    focus: str
    level_code: str
    level: str
    track: str
    grade: str
    min_years: str
    max_years: str
    inherited_definition: str = (
        ""  # the nearest of focus, family, function: what a page shows when the profile has none
    )
    aliases: list[str] = field(default_factory=list)
    hidden_labels: list[str] = field(default_factory=list)
    responsibilities: list[str] = field(default_factory=list)
    skills: list[Skill] = field(default_factory=list)
    requirements: dict[str, Requirement] = field(default_factory=dict)  # by skill IRI: essential or optional, depth
    sources: list[str] = field(default_factory=list)  # titles
    scores: list[tuple[str, str]] = field(default_factory=list)  # (dimension label, score)
    mappings: list[Mapping] = field(default_factory=list)
    scheme: str = ""  # the scheme the profile is in (skos:inScheme)
    modified: str = ""  # dct:modified of the profile, else of its scheme
    #: every language's texts, as (text, language) pairs, for the exports that keep them all (schema.org):
    #: "title", "definition" (the one a page shows: its own, else inherited), "alias", "responsibility"
    texts: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


class _Values:
    """Statements by subject and predicate (where one value is wanted, the one in the reader's languages)."""

    def __init__(self, rows: list[tuple[str | None, ...]]):
        self.by: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
        for subject, prop, value, language in rows:
            if subject and prop and value is not None:
                self.by[subject][prop].append((value, language or ""))

    def all(self, subject: str, prop: str) -> list[str]:
        return sorted({v for v, _ in self.by.get(subject, {}).get(str(prop), [])})  # str(): a URIRef never equals one

    def one(self, subject: str, prop: str) -> str:
        """One value: in the reader's languages, else untagged, else the first (stable on every backend)."""
        values = self.by.get(subject, {}).get(str(prop))
        if not values:
            return ""
        if len(values) == 1:  # nothing to choose (most values)
            return values[0][0]
        return str(languages.choose(values))

    def text(self, subject: str, prop: str) -> str:
        """:meth:`one` keeping the value's language (core.languages.Text), for the exports that tag texts."""
        return languages.choose(self.by.get(subject, {}).get(str(prop), []))

    def in_languages(self, subject: str, prop: str) -> list[str]:
        """Every value in the best of the reader's languages the subject has them in (a German alias list, else
        the English one)."""
        values = self.by.get(subject, {}).get(str(prop), [])
        if len({language for _, language in values}) < 2:  # one language (or none): every value
            return sorted({v for v, _ in values})
        ranks = [languages.rank(language) for _, language in values]
        return sorted({v for (v, _), r in zip(values, ranks, strict=True) if r == min(ranks)})

    def tagged(self, subject: str, prop: str) -> list[tuple[str, str]]:
        """Every value with its language, in order."""
        return sorted(set(self.by.get(subject, {}).get(str(prop), [])))

    def order(self, subject: str) -> float:
        value = self.one(subject, ORDER)
        try:
            return float(value)
        except ValueError:
            return LAST


@dataclass
class ExportData:
    """What the flat exports read from the store, in every language: read once, then made into records in each
    language an export writes (:func:`profile_records`)."""

    facts: dict
    values: _Values
    responsibilities: dict[str, dict[str, list]]  # profile -> responsibility node -> (order, text, language)
    scores: list[tuple[str, str, str]]  # (profile, dimension, score)


def read_export_data(store: Store) -> ExportData:
    responsibilities: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for profile, node, order, text, language in store.values(internal("export_responsibilities")).rows:
        if profile and node and text is not None:
            responsibilities[profile][node].append((_number(order), text, language or ""))
    scores = [
        (profile, dimension, score)
        for profile, dimension, score in store.values(internal("export_scores")).rows
        if profile and dimension and score is not None
    ]
    return ExportData(
        profile_facts(store), _Values(store.values(internal("export_values")).rows), responsibilities, scores
    )


def profile_records(store: Store, data: ExportData | None = None) -> list[ProfileRecord]:
    """Every profile placed in the taxonomy and at a coded level, with what the flat exports write, by code, in
    the reader's languages (``data``, when the caller read it already for another language)."""
    data = data or read_export_data(store)
    facts, values, responsibilities = data.facts, data.values, data.responsibilities
    scores: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for profile, dimension, score in data.scores:
        scores[profile].add((values.one(dimension, PREF_LABEL) or dimension, score))
    skills: dict[str, tuple[float, Skill]] = {}  # by IRI, read once however many profiles need it
    sources: dict[str, tuple[float, str, str]] = {}
    records = []
    for iri, f in facts.items():
        focus_code, family_code = values.one(f.focus, CODE), values.one(f.family, CODE)
        if not (f.code and f.function_code and family_code and focus_code and f.level_code):
            continue  # not placed: validation reports what is missing
        status = values.one(iri, STATUS)
        definition = values.one(iri, DEFINITION)
        inherited_from = next((n for n in (f.focus, f.family, f.function) if values.one(n, DEFINITION)), "")
        for s in f.skills - skills.keys():
            scheme = values.one(s, IN_SCHEME)
            skill = Skill(
                s,
                values.text(s, PREF_LABEL),
                values.one(s, DEFINITION),
                scheme,
                values.one(s, MODIFIED) or values.one(scheme, MODIFIED),
            )
            skills[s] = (values.order(s), skill)
        derived = values.all(iri, DERIVED_FROM)
        for s in set(derived) - sources.keys():
            sources[s] = (values.order(s), values.one(s, TITLE), s)
        records.append(
            ProfileRecord(
                iri=iri,
                code=f.code,
                title=values.one(iri, PREF_LABEL),
                definition=definition,
                status=values.one(status, LABEL) if status else "",
                function_code=f.function_code,
                function=values.one(f.function, PREF_LABEL),
                family_code=family_code,
                family=values.one(f.family, PREF_LABEL),
                focus_code=focus_code,
                focus=values.one(f.focus, PREF_LABEL),
                level_code=f.level_code,
                level=values.one(f.level, PREF_LABEL),
                track=f.track_code,
                grade=values.one(f.level, GRADE) or _grade(f.grade),
                min_years=values.one(f.level, MIN_YEARS),
                max_years=values.one(f.level, MAX_YEARS),
                inherited_definition=values.one(inherited_from, DEFINITION),
                aliases=values.in_languages(iri, ALT_LABEL),
                hidden_labels=values.in_languages(iri, HIDDEN_LABEL),
                responsibilities=_in_reader_languages(responsibilities[iri]),
                skills=[
                    skill
                    for _, skill in sorted(
                        (skills[s] for s in f.skills), key=lambda item: (item[0], item[1].label, item[1].iri)
                    )
                ],
                requirements={r.skill: r for r in f.requirements},
                sources=[title for _, title, _ in sorted(sources[s] for s in derived)],
                scores=sorted(scores[iri]),
                mappings=_mappings(values, iri),
                scheme=values.one(iri, IN_SCHEME),
                modified=values.one(iri, MODIFIED) or values.one(values.one(iri, IN_SCHEME), MODIFIED),
                texts={
                    "title": values.tagged(iri, PREF_LABEL),
                    "definition": values.tagged(iri if definition else inherited_from, DEFINITION),
                    "alias": values.tagged(iri, ALT_LABEL),
                    "responsibility": sorted(
                        {(t, lang) for texts in responsibilities[iri].values() for _, t, lang in texts}
                    ),
                },
            )
        )
    return sorted(records, key=lambda r: r.code)


def _in_reader_languages(nodes: dict[str, list[tuple[float, str, str]]]) -> list[str]:
    """A profile's responsibilities in order, each in the reader's languages (one text per responsibility)."""
    chosen = []
    for texts in nodes.values():
        if len(texts) == 1:  # one text (most responsibilities): nothing to choose
            chosen.append((texts[0][0], texts[0][1]))
            continue
        text = languages.choose([(t, lang) for _, t, lang in texts])
        chosen.append((min(order for order, _, _ in texts), text))
    return [t for _, t in sorted(set(chosen))]


def _mappings(values: _Values, profile: str) -> list[Mapping]:
    linked = {target: MATCHES[p] for p in MATCHES for target in values.all(profile, p)}
    found: dict[tuple[str, str, str], Mapping] = {}
    for m in values.all(profile, MAPPING):
        scheme = values.one(m, MAPPING_SCHEME)
        concept = values.one(m, MAPPED_CONCEPT)
        mapping = Mapping(
            scheme,
            values.one(scheme, LABEL),
            values.one(m, MAPPED_CODE),
            values.one(m, MAPPING_SOURCE),
            values.one(m, CONFIDENCE),
            concept,
            linked.get(concept, ""),
        )
        found.setdefault((mapping.code, mapping.scheme_label, mapping.source), mapping)
    return sorted(found.values(), key=lambda m: (m.scheme_label, m.code))


def _number(value: str | None) -> float:
    try:
        return float(value) if value is not None else LAST
    except ValueError:
        return LAST


def _grade(value: float | None) -> str:
    return "" if value is None else (str(int(value)) if float(value).is_integer() else str(value))
