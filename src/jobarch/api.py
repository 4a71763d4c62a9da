"""The Python face of every command: what the CLI and the web server call, callable from code.

>>> import jobarch
>>> store = jobarch.open_architecture()            # the bundled sample
>>> page = jobarch.profile_page(store, "MANUFA3.MANUFACT13A2.M2", fmt="text")
>>> page.splitlines()[0]
'Manufacturing Operations / Production Supervision (Upstream Processing) — M2'

Every function resolves where the architecture is (options, then the
environment, then ``jobarch.toml``, then the sample), opens the store a
selector names, and brings it up to date with the files; no function here
knows which backend it holds.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Identifier

from .core import languages
from .core.config import CACHE_SELECTOR, Settings, resolve
from .core.errors import JobarchError, Location, closest
from .core.namespaces import JA
from .core.vcs import changed_files
from .domain import levels, skills
from .domain.adjacency import AdjacencyIndex, Neighbour
from .domain.compare import Comparison, compare
from .domain.levels import Ladder, LevelOverview
from .domain.matching import find_matches
from .domain.matching import skills_of as profile_skill_lines
from .domain.paths import NoPathError as NoPathError
from .domain.paths import Step, career_path
from .domain.profile import Profile, get_profile, profile_codes, unknown_profile
from .domain.profile import resolve_profile as resolve_profile
from .domain.search import Filters, SearchIndex, SearchResult, skills_containing
from .domain.search import search_index as stored_search_index
from .domain.search import skill_directory as directory_of_skills
from .domain.skills import Matches, ProficiencyStep
from .domain.stats import architecture_stats
from .domain.taxonomy import taxonomy_tree
from .graph.architecture import Architecture, load
from .graph.sources import discover
from .present.pages import render_profile
from .query import NamedQuery, bind_params, find_query, internal, named_queries, run_query
from .query.workers import DEFAULT_MEMORY as DEFAULT_QUERY_MEMORY
from .query.workers import AnswerLimits as AnswerLimits  # the server's types, named through the facade
from .query.workers import QueryWorkers
from .reasoning import Inference

if TYPE_CHECKING:
    from .io.diff import SubjectChange
    from .io.fmt import FormatResult
    from .validation import ValidationReport
from .graph.serialize import serialize_graph as serialize_graph
from .io.imports.skos_plan import SkosMapping as SkosMapping
from .query.workers import ClientGoneError as ClientGoneError
from .query.workers import WorkersBusyError as WorkersBusyError
from .store import QueryResult, Store, SyncReport, inferences_store, open_store, scratch_store, server_state_dirs
from .store import closing_stores as closing_stores


def settings(data: Sequence[str | Path] = (), store: str | None = None) -> Settings:
    """Where the architecture is and which store holds it: options, environment, jobarch.toml, the sample."""
    return resolve(data, store)


def open_architecture(data: Sequence[str | Path] = (), store: str | None = None, *, reason: bool = False) -> Store:
    """Open the store a selector names and bring it up to date with the architecture's files.

    With ``reason``, the OWL-RL inferences are kept in the store as their own graph.
    """
    config = resolve(data, store)
    backend = _open(config)
    backend.sync(discover(config.data), reason="auto" if reason else None)
    return backend


def open_with_inferences(data: Sequence[str | Path] = ()) -> Store:
    """The architecture and its OWL-RL inferences in a store of their own beside the cache (whatever store
    serves the files): what a query "with inferences" runs on. The inferences are computed again only when a file
    changed; at 10,000 profiles the first time takes about half a minute."""
    config = resolve(data, None)
    if config.cache_dir is None:
        raise JobarchError("no cache directory for the inferences", hint="run from the architecture's directory")
    backend = inferences_store(config.cache_dir)
    backend.sync(discover(config.data), reason="auto")
    return backend


def load_into_store(store: str | None, data: Sequence[str | Path] = ()) -> tuple[Store, SyncReport]:
    """Put the architecture's files into a persistent store (Oxigraph on disk, or a SPARQL server): the store
    ``store`` names, else jobarch.toml's. Returns the store and what the sync did (loaded, unchanged, removed)."""
    config = resolve(data, store)
    if config.store in ("memory", CACHE_SELECTOR) and not store:
        raise JobarchError(
            "say which store to load with --store, or set store = in jobarch.toml",
            hint="jobarch load --store sparql:http://127.0.0.1:7878/query",
        )
    backend = _open(config, load=True)
    return backend, backend.sync(discover(config.data))


def reason(data: Sequence[str | Path] = (), engine: str = "auto", store: str | None = None) -> Inference:
    """The data-level OWL-RL entailments of the architecture (what reasoning adds), by owlrl or the fast rules.

    A persistent store keeps them in its inferred graph and recomputes them
    only when a file changed since the last run.
    """
    config = resolve(data, store)
    backend = _open(config)
    inference = backend.sync(discover(config.data), reason=engine).inference
    if inference is None:
        raise JobarchError(f"the store {config.store!r} did not reason", hint="use --store memory or oxigraph:PATH")
    return inference


def query(
    store: Store,
    name: str | None = None,
    *,
    text: str | None = None,
    params: dict[str, str] | None = None,
    allow_service: bool = False,
    timeout: float | None = 60.0,
    source: str | None = None,
) -> QueryResult:
    """Run a named query (typed, bound parameters; each text in the reader's languages where it has several) or
    an analyst's own query text (every row), read-only, stopped after ``timeout`` seconds. A long-lived caller
    runs analysts' queries on :func:`query_workers` instead."""
    if name is not None:
        named = find_query(name)
        result = run_query(
            store,
            named.text,
            bind_params(named, params or {}),
            allow_service=allow_service,
            timeout=timeout,
            source=str(named.path),
        )
        return result.in_reader_languages()  # a bundled query's texts in the reader's languages; one's own: as is
    if params:
        raise JobarchError("--param works with named queries only", hint="write the value into your own query")
    return run_query(
        store,
        text or "",
        None,
        allow_service=allow_service,
        timeout=timeout,
        source=source or "query",
    )


def queries() -> list[NamedQuery]:
    """Every named query, by name: what the SPARQL page offers to start from."""
    return list(named_queries().values())


def named_query(name: str) -> NamedQuery:
    """One named query (its text, description and typed parameters); unknown names raise with the closest."""
    return find_query(name)


def named_query_bindings(named: NamedQuery, params: dict[str, str]) -> dict[str, Identifier]:
    """A named query's parameters as typed terms, defaults applied (to bind, never to paste into the text)."""
    return bind_params(named, params)


def query_workers(
    store: Store, size: int = 2, queue: int = 8, memory: int | None = DEFAULT_QUERY_MEMORY
) -> QueryWorkers:
    """Worker processes that vet (see :func:`jobarch.query.vet`) and run anyone's queries on ``store`` without
    blocking the caller, each killed at its time limit, when its client leaves, or past ``memory`` bytes (see
    :mod:`jobarch.query.workers`)."""
    return QueryWorkers(store, size, queue, memory)


def profile(store: Store, code: str) -> Profile:
    """One profile with everything its page shows; unknown codes raise with the closest codes."""
    return get_profile(store, code)


def profile_graph(store: Store, code: str) -> Graph:
    """One profile's own RDF (with the blank nodes it owns): what its page answers as linked data."""
    iri = coded_resource(store, JA.JobProfile, code)
    if iri is None:
        raise unknown_profile(store, code)
    return resource_graph(store, iri)


def level_overview(store: Store, code: str) -> LevelOverview | None:
    """A level as people ask about it: meaning, years, the levels around it, its equivalent on the other track."""
    return levels.level_overview(store, code)


def similar_profile_codes(store: Store, code: str, n: int = 5) -> list[str]:
    """The existing profile codes closest to a mistyped one (for "did you mean" links)."""
    return closest(code, profile_codes(store), n)


def resource_graph(store: Store, iri: URIRef) -> Graph:
    """A resource's own triples and those of the blank nodes it owns (empty when the store says nothing of it)."""
    result = store.query(internal("resource_graph"), {"resource": iri})
    return result.graph if result.graph is not None else Graph()


def resource_kind(store: Store, iri: URIRef) -> dict[str, Any] | None:
    """What a resource is (its types, code and label), for choosing its page; None when it is not in the store."""
    rows = store.select(internal("resource_kind"), resource=iri)
    if not rows:
        return None
    first = rows[0]
    return {"types": {r["type"] for r in rows}, "code": first.get("code"), "label": first.get("label")}


def coded_resource(store: Store, type_: URIRef, code: str) -> URIRef | None:
    """The resource of ``type_`` (a profile, focus, family, function or level class) with this code."""
    rows = store.select(internal("coded_resource"), code=Literal(code), type=type_)
    found = rows[0]["resource"] if rows else None
    return found if isinstance(found, URIRef) else None


def architecture_base(store: Store) -> str | None:
    """The namespace of the architecture's own IRI (``…/sample/`` for ``…/sample/architecture``): the base that
    `serve` maps its paths onto, so that the data's IRIs dereference."""
    rows = store.select(internal("architecture_base"))
    return str(rows[0]["architecture"]).rsplit("/", 1)[0] + "/" if rows else None


def load_architecture(data: Sequence[str | Path] = ()) -> Architecture:
    """Load the architecture's files with rdflib (options, then environment, then jobarch.toml, then the sample)."""
    return load(resolve(data).data)


def validate_architecture(
    data: Sequence[str | Path] = (),
    only: Sequence[str | Path] | None = None,
    changed: bool = False,
    *,
    store: str | None = None,
    engine: str = "auto",
) -> ValidationReport:
    """Validate with the shapes; ``only`` or ``changed`` (git) limit it to some files' nodes and their referrers.

    Limiting gives, for those nodes, the results a full run would give: the
    whole architecture is still read so references and uniqueness are
    checked against everything. ``engine`` is ``fast`` (the shapes compiled
    to queries on an Oxigraph store: the warm cache, or a scratch copy for
    other selectors), ``pyshacl`` (the reference, on the files in memory) or
    ``auto`` (fast, unless a shape uses a feature the compiler does not
    know; the report's notes then say so).
    """
    from .validation import choose_engine, validate_files, validate_store  # pyshacl is imported only to validate

    config = resolve(data, store)
    files = discover(config.data)
    limit: list[Path] | None = None
    if only:
        limit = discover(only)
        known = {p.resolve() for p in files}
        for path in limit:
            if path.resolve() not in known:
                raise JobarchError(
                    "not one of the architecture's files", Location(path), hint="pass files inside the --data paths"
                )
    if changed:
        limit = (limit or []) + changed_files(config.data)
    engine, notes = choose_engine(engine)
    if engine == "pyshacl":
        report = validate_files(load(files), only=limit)
    else:
        # the selected store when it keeps what each file asserts (the cache, oxigraph:PATH), else a scratch copy
        backend = _open(config)  # opening connects to nothing: a remote store is only asked when queried
        target = backend if backend.keeps_sources else scratch_store()
        target.sync(files)
        report = validate_store(target, files, only=limit)
    report.files = files
    report.notes = notes + report.notes
    return report


def _open(config: Settings, **options: Any) -> Store:
    """The store the settings select, with what every backend may need to know (and jobarch.toml's ``lang``
    as the languages texts are read in when the command asked for none)."""
    if config.lang:
        languages.configure(config.lang)
    return open_store(
        config.store, graph_store=config.graph_store, cache_dir=config.cache_dir, root=config.root, **options
    )


def adjacency_index(store: Store, data: Sequence[str | Path] = ()) -> AdjacencyIndex:
    """Coordinates of every profile and the adjacency model (jobarch.toml's [adjacency] overrides it)."""
    return AdjacencyIndex.from_store(store, resolve(data).adjacency)


def adjacent(
    index: AdjacencyIndex,
    code: str,
    k: int = 10,
    band: str | None = None,
    max_distance: float | None = None,
    same_track: bool = False,
) -> list[Neighbour]:
    """The nearest profiles of a profile, nearest first, ties by code."""
    return index.nearest(code, k=k, band=band, max_distance=max_distance, same_track=same_track)


def compare_profiles(store: Store, index: AdjacencyIndex, codes: Sequence[str]) -> Comparison:
    """Two or three profiles side by side, with distances from the first."""
    if not 2 <= len(codes) <= 3:
        raise JobarchError("compare takes two or three profile codes")
    titles = index.titles
    return compare([get_profile(store, resolve_profile(store, c, titles)) for c in codes], index)


def path(store: Store, index: AdjacencyIndex, start: str, goal: str, band: str = "partial") -> list[Step]:
    """A career path over the whole architecture: the fewest moves, each within ``band``, with what changes at each
    step and why it is plausible. When none exists, :class:`NoPathError` says what is missing and carries the
    nearest reachable profiles and the band that would join the two."""
    titles = index.titles
    return career_path(store, index, resolve_profile(store, start, titles), resolve_profile(store, goal, titles), band)


def match(
    store: Store, skills: Sequence[str], limit: int = 10, *, strict: bool = True, index: AdjacencyIndex | None = None
) -> Matches:
    """The profiles that best fit a person's skills (``"GMP Compliance=3"``, a scale name as ``=Advanced``, or a
    name alone for any depth), ranked by the share of essential skills they have, then by the proficiency points
    they lack. Unless ``strict``, a line naming no skill is skipped and listed in ``.skipped`` with the closest
    names, so one mistyped line does not lose the rest."""
    return find_matches(store, skills, limit, strict=strict, index=index)


def skills_of(store: Store, code: str, index: AdjacencyIndex | None = None) -> list[str]:
    """A profile's skills as a person writes theirs (``GMP Compliance=3``): "match from my profile" starts there.
    A caller holding the adjacency index passes it, and no profile facts are read."""
    titles = index.titles if index is not None else None
    return profile_skill_lines(store, resolve_profile(store, code, titles), index)


def read_skills_file(path: str | Path) -> list[str]:
    """The skills listed in a file, one ``NAME[=LEVEL]`` per line (``#`` starts a comment), read through the
    guarded reader every input goes through: a FIFO or ``/dev/zero`` is refused, a file past the size limit too."""
    from .core.files import read_text

    lines = (line.split("#", 1)[0].strip() for line in read_text(Path(path)).splitlines())
    return [line for line in lines if line]


def read_query_file(path: str | Path) -> str:
    """An analyst's query file, read through the guarded reader (no special files, bounded size, UTF-8)."""
    from .core.files import read_text

    return read_text(Path(path))


def proficiency_scale(store: Store) -> list[ProficiencyStep]:
    """The architecture's proficiency steps (value, name, anchor), lowest first."""
    return skills.proficiency_scale(store)


def page_neighbours(
    store: Store, code: str, k: int = 5, data: Sequence[str | Path] = (), index: AdjacencyIndex | None = None
) -> tuple[list[Neighbour] | None, str]:
    """The adjacent roles a page shows (from ``index`` when the caller keeps one), or None and the reason
    adjacency cannot be computed."""
    try:
        return (index or adjacency_index(store, data)).nearest(code, k=k), ""
    except JobarchError as exc:
        return None, f"Not computed: {exc.message}."


def profile_page(store: Store, code: str, fmt: str = "text", k: int = 5) -> str:
    """One profile rendered as its page (plain text or Markdown), adjacent roles included."""
    found = get_profile(store, code)
    neighbours, note = page_neighbours(store, code, k)
    return render_profile(found, fmt, neighbours, note)


def stats(store: Store) -> dict[str, Any]:
    """Counts per function, level and track; skills and sources per profile; quality, alias, mapping and rubric
    coverage."""
    return architecture_stats(store)


def focus_profiles(store: Store, code: str) -> list[dict]:
    """A focus with its profiles by level (empty when no focus has the code)."""
    return store.select(internal("focus_profiles"), focusCode=Literal(code))


def focus_overview(store: Store, code: str) -> dict[str, list]:
    """What a focus is about: its definition and notes, the skills it requires, the foci it is distinct from."""
    found: dict[str, list] = {"definition": [], "note": [], "skill": [], "distinct": []}
    for row in store.select(internal("focus_overview"), focusCode=Literal(code)):
        kind = str(row["kind"])
        found[kind].append(
            (str(row["code"]), str(row["value"] or row["code"])) if kind == "distinct" else str(row["value"])
        )
    return found


def taxon_overview(store: Store, kind: str, code: str) -> dict[str, list[str]]:
    """What a function or a family (``kind``) is about: its definitions and scope notes."""
    types = {"function": JA.Function, "family": JA.JobFamily}
    if kind not in types:
        raise JobarchError(f"no taxonomy level {kind!r}", hint="function or family")
    found: dict[str, list[str]] = {"definition": [], "note": []}
    for row in store.select(internal("taxon_overview"), code=Literal(code), type=types[kind]):
        found[str(row["kind"])].append(str(row["value"]))
    return found


def taxonomy(store: Store) -> dict[str, dict]:
    """Functions -> families -> foci with their labels and profile counts (see :mod:`jobarch.domain.taxonomy`)."""
    return taxonomy_tree(store)


def focus_ladder(store: Store, code: str, profiles: list[dict] | None = None) -> Ladder | None:
    """A focus's levelling grid: every level of every track by grade, equivalent levels side by side, with the
    focus's profile and rubric where it is staffed (None when no focus has the code). ``profiles``: the focus's
    :func:`focus_profiles` when the caller read them already."""
    rows = focus_profiles(store, code) if profiles is None else profiles
    return levels.focus_ladder(store, code, rows) if rows else None


def levels_index(store: Store) -> Ladder:
    """Every level by grade and track, equivalent levels side by side, with its meaning and profile count."""
    return levels.levels_index(store)


def ladder_grid(store: Store, code: str) -> dict[str, Any]:
    """The foci under a family or function × the levels they are staffed at: the profile code in each cell."""
    return levels.ladder_grid(store, code)


def family_level_counts(store: Store) -> dict[str, Any]:
    """Profiles per family and level (levels in ladder order by track): the architecture at a glance."""
    return levels.family_level_counts(store)


def search_filters(function: str = "", family: str = "", track: str = "", level: str = "") -> Filters:
    """Filters for :func:`search`: a function, family, track or level code (empty: any)."""
    return Filters(function, family, track, level)


def search_index(store: Store) -> SearchIndex:
    """The words of every profile by stem: kept in a persistent store's state while its files are unchanged,
    else built from one query (a long-lived caller keeps it)."""
    return stored_search_index(store)


def search(
    store: Store,
    text: str,
    index: SearchIndex | None = None,
    filters: Filters | None = None,
    skills: dict[str, int] | None = None,
    *,
    with_skills: bool = True,
) -> tuple[SearchResult, list[tuple[str, int]]]:
    """Profiles ranked by where the words of ``text`` occur (stems, every field, codes; a misspelt query answers
    with its correction; see :mod:`jobarch.domain.search`), narrowed by ``filters``, and the skills whose name
    contains ``text`` with how many profiles need each (from ``skills``, a :func:`skill_directory` a long-lived
    caller keeps; ``with_skills=False`` when they are not wanted)."""
    found = (index or search_index(store)).search(text, filters=filters)
    if not with_skills:
        return found, []
    return found, skills_containing(skills if skills is not None else skill_directory(store), text)


def skill_directory(store: Store) -> dict[str, int]:
    """Every skill's name with how many profiles need it: what skill pickers list and search filters."""
    return directory_of_skills(store)


def export(
    store: Store,
    fmt: str,
    out: Path | None = None,
    *,
    force: bool = False,
    protected: Sequence[Path] = (),
    **options: Any,
) -> str | list[Path]:
    """An export other systems accept (see :mod:`jobarch.io.exports`), written atomically to ``out`` or returned.
    A target jobarch did not write is replaced only with ``force``; ``protected`` files (the architecture's,
    see :func:`curator_files`) never."""
    from .io.exports import export as write_export

    return write_export(store, fmt, out, force=force, protected=protected, **options)


def import_file(
    fmt: str, source: Path, out: Path, base: str | None = None, *, force: bool = False, **options: Any
) -> list[Path]:
    """Turn outside data (csv, page, skos) into Turtle files in ``out``; returns the files written.

    The files are written to a staging directory and swapped in for ``out`` at once, so stale files of an
    earlier import never mix with new ones; an ``out`` holding files jobarch did not write needs ``force``,
    and one holding the configured architecture's own files is refused, ``force`` or not."""
    import importlib

    from .core.outputs import output_directory
    from .io.imports import IMPORTERS
    from .io.imports.builder import DEFAULT_BASE

    module, function, _ = IMPORTERS[fmt]
    run = getattr(importlib.import_module(f"jobarch.io.imports.{module}"), function)
    base = base or resolve().base_iri or DEFAULT_BASE
    with output_directory(out, force=force, protected=curator_files()) as staging:
        written = list(run(source, staging, base=base, **options))
    return [out / path.relative_to(staging) for path in written]


def synthesize(profiles: int, seed: int, out: Path, *, force: bool = False) -> list[Path]:
    """Write a synthetic architecture shaped like the sample into ``out`` (same seed, same bytes); ``out`` is
    replaced whole, under the same rules as an import (never over the configured architecture's files)."""
    from .io.synth import synthesize as write_synthetic

    return write_synthetic(profiles, seed, out, force=force, protected=curator_files())


def format_files(
    paths: Sequence[str | Path] = (), *, check: bool = False, drop_comments: bool = False
) -> list[FormatResult]:
    """Rewrite the Turtle files under ``paths`` (default: the architecture's) in the canonical layout, atomically,
    keeping comments; with ``check`` only say which would change. A file that cannot be rewritten without losing
    a comment or a triple is refused and left as it is."""
    from .io.fmt import format_files as rewrite

    return rewrite(discover(paths or resolve().data), check=check, drop_comments=drop_comments)


def diff(old: Sequence[str | Path], new: Sequence[str | Path]) -> list[SubjectChange]:
    """What changed from the files under ``old`` to those under ``new``, by subject and section; files whose
    bytes are equal on both sides are not read."""
    from .io.diff import diff as compare_files

    return compare_files([Path(p) for p in old], [Path(p) for p in new])


def diff_git(revisions: str, paths: Sequence[str | Path]) -> list[SubjectChange]:
    """What changed between two git revisions (``REV1..REV2``; ``REV1..``: to the working tree) of the files
    under ``paths``; git names the changed files and only those are read."""
    from .io.diff import diff_git as compare_revisions

    return compare_revisions(revisions, [Path(p) for p in paths])


def diff_report(changes: Sequence[SubjectChange], fmt: str = "text") -> str:
    """A diff as text (a line per subject), JSON (for tools) or Markdown (a pull request's summary)."""
    from .io.diff import render

    return render(list(changes), fmt)


def import_plan(source: Path, mapping: Any = None) -> str:
    """How ``import skos`` would map this classification (depths, levels, what is folded), as text."""
    from .io.imports.skos import plan_skos

    return plan_skos(source, mapping).render()


def cache_info(data: Sequence[str | Path] = ()) -> dict[str, Any]:
    """Where the default store's cache of this architecture is, how big, and what it holds."""
    from .store.generations import Generations

    return Generations(_cache_dir(data)).info()


def cache_clear(data: Sequence[str | Path] = (), everything: bool = False) -> list[Path]:
    """Delete the default store's cache of this architecture (or, with ``everything``, every cache in the
    per-user directory); the next command rebuilds it. Always safe: it only holds what the files say."""
    from .store.generations import Generations

    directory = _cache_dir(data)
    servers = server_state_dirs(directory, everything)  # what commands derived from SPARQL servers
    for state in servers:
        shutil.rmtree(state, ignore_errors=True)
    if not everything:
        Generations(directory).clear()
        return [directory, *servers]
    return [*Generations.clear_all(directory.parent), *servers]


def _cache_dir(data: Sequence[str | Path]) -> Path:
    directory = resolve(data).cache_dir
    if directory is None:
        raise JobarchError("this architecture has no cache directory", hint="see jobarch cache info")
    return directory


def curator_files(data: Sequence[str | Path] = ()) -> list[Path]:
    """The architecture's own files (found, not parsed): derived output must never overwrite one."""
    return discover(resolve(data).data)


def resolve_data_paths(data: Sequence[str | Path] = ()) -> list[Path]:
    """The architecture's paths: options, then environment, then jobarch.toml, then the sample."""
    return resolve(data).data
