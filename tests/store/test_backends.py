"""Every command gives the same results on every store backend."""

from __future__ import annotations

import pytest

from jobarch import api
from jobarch.cli import main
from jobarch.core.errors import JobarchError
from jobarch.domain.profile import get_profile
from jobarch.present.pages import render_profile
from jobarch.query import named_queries
from jobarch.store import open_store
from tests.helpers import REFERENCE_CODE, assert_contains_in_order, reference_lines

EXAMPLES = {
    "level": "M2",
    "track": "M",
    "focus": "MANUFACT13A2",
    "profile": REFERENCE_CODE,
    "skill": "gmp compliance",
    "group": "leadership & people",
    "from": REFERENCE_CODE,
    "to": "MANUFA3.MANUFACT14A1.M2",
    "code": "51-1011",
    "text": "technician",
    "minimum": "3",
    "skill1": "GMP Compliance",
}


def canonical(result):
    return sorted(tuple("" if t is None else str(t) for t in row) for row in result.rows)


#: Named queries with nothing to say about the sample (every other one must answer rows, or the comparison of
#: backends below would compare two empty answers).
EMPTY_ON_SAMPLE = {
    "adjacent_profiles": "reads the adjacency graph that `jobarch adjacency` writes, not loaded here",
    "unmapped_profiles": "every sample profile has a classification mapping",
}


def test_every_named_query_gives_the_same_rows(backends):
    empty = set()
    for name, q in named_queries().items():
        params = {p.name: EXAMPLES[p.name] for p in q.params if p.required}
        answers = {b: canonical(api.query(s, name, params=params, timeout=None)) for b, s in backends.items()}
        for kind, answer in answers.items():
            assert answer == answers["memory"], (kind, name)
        if not answers["memory"]:
            empty.add(name)
    assert empty == set(EMPTY_ON_SAMPLE)


def test_the_reference_page_on_every_backend(backends):
    pages = {
        b: render_profile(get_profile(s, REFERENCE_CODE), "text", api.page_neighbours(s, REFERENCE_CODE)[0])
        for b, s in backends.items()
    }
    assert_contains_in_order(pages["oxigraph"], reference_lines())
    assert all(page == pages["memory"] for page in pages.values())


#: A parameter used in the branches of a union (bound there too, see jobarch.store.bindings), in a subquery
#: branch and in a branch that assigns the variable itself: each must keep SPARQL's answer.
UNION_PARAMETER = """
PREFIX ja: <https://w3id.org/jobarch#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?kind ?value WHERE {
  { ?f ja:code ?focus ; skos:prefLabel ?value . BIND("label" AS ?kind) }
  UNION # a comment between the branches { UNION
  { ?p ja:focus/ja:code ?focus ; ja:code ?value . BIND("profile" AS ?kind) }
  UNION { SELECT ?focus (COUNT(*) AS ?value) ("count" AS ?kind) WHERE { ?p ja:focus/ja:code ?focus } GROUP BY ?focus }
  UNION { BIND("MANUFACT13A2" AS ?focus) BIND("assigned" AS ?kind) BIND(?focus AS ?value) }
}
"""


@pytest.mark.parametrize("focus", ["MANUFACT13A2", 'MANUFACT13A2" } UNION { ?s ?p ?value } #', "NOPE"])
def test_a_parameter_in_union_branches_keeps_the_answers(backends, focus):
    """Against the same query with the binding only in the outermost group, as SPARQL defines it (rdflib's
    pre-binding, the memory store's, reads a subquery and an assigned variable otherwise: not compared here)."""
    from rdflib import Literal

    from jobarch.store.bindings import into_where

    outer_only = into_where(UNION_PARAMETER, f"VALUES ?focus {{ {Literal(focus).n3()} }}")
    for backend, store in backends.items():
        if backend == "memory":
            continue
        answer = canonical(store.query(UNION_PARAMETER, {"focus": Literal(focus)}))
        assert answer == canonical(store.query(outer_only)), backend
        kinds = {row[0] for row in answer}
        if focus == "MANUFACT13A2":  # its label (English, German), three profiles, their count, the assigned
            assert kinds == {"label", "profile", "count", "assigned"} and len(answer) == 7, (backend, answer)
        else:  # one term, never query text: no branch matches it
            assert answer == [], (backend, answer)


def test_adjacency_and_compare_on_every_backend(backends):
    nearest = {
        b: [
            (n.code, round(n.distance, 9), n.band, n.shared_skills)
            for n in api.adjacency_index(s).nearest(REFERENCE_CODE, k=8)
        ]
        for b, s in backends.items()
    }
    assert all(n == nearest["memory"] for n in nearest.values())
    tables = {
        b: api.compare_profiles(s, api.adjacency_index(s), [REFERENCE_CODE, "QUALIT2.QUALIT10A1.M2"]).to_json()
        for b, s in backends.items()
    }
    assert all(t == tables["memory"] for t in tables.values())


def test_oxigraph_store_reloads_only_changed_files(tmp_path, runner):
    import shutil

    from jobarch.core.resources import sample_data_dir
    from jobarch.graph.sources import discover
    from jobarch.store.oxigraph import OxigraphStore

    data = tmp_path / "arch"
    shutil.copytree(sample_data_dir(), data)
    store = OxigraphStore(tmp_path / "store")
    first = store.sync(discover([data]))
    assert len(first.loaded) == 7 and not first.unchanged  # six files and the ontology
    assert store.sync(discover([data])).loaded == []  # a later command: nothing to parse again
    (data / "skills.ttl").write_text(
        (data / "skills.ttl").read_text(encoding="utf-8").replace("People Leadership", "People Management"),
        encoding="utf-8",
    )
    (data / "sources.ttl").unlink()
    report = store.sync(discover([data]))
    assert [p.name for p in report.loaded] == ["skills.ttl"] and len(report.removed) == 1
    names = {
        str(r[0]) for r in store.query("SELECT ?l WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }").rows
    }
    assert "People Management" in names and "People Leadership" not in names
    assert store.query("ASK { ?s a <https://w3id.org/jobarch#JobPostingSource> }").boolean is False


def test_oxigraph_keeps_what_loaded_when_one_file_is_broken(tmp_path):
    """A syntax error in one file names it; the files that did load are not parsed again once it is fixed."""
    import shutil

    from jobarch.core.resources import sample_data_dir
    from jobarch.graph.architecture import load
    from jobarch.graph.sources import discover
    from jobarch.store.oxigraph import OxigraphStore

    data = tmp_path / "arch"
    shutil.copytree(sample_data_dir(), data)
    good = (data / "skills.ttl").read_text(encoding="utf-8")
    (data / "skills.ttl").write_text(good + '\nskill:broken skos:prefLabel "open .\n', encoding="utf-8")
    store = OxigraphStore(tmp_path / "store")
    with pytest.raises(JobarchError) as error:
        store.sync(discover([data]))
    assert "skills.ttl" in str(error.value.location)
    (data / "skills.ttl").write_text(good, encoding="utf-8")
    assert [p.name for p in store.sync(discover([data])).loaded] == ["skills.ttl"]
    union = {(s, p, o) for s, p, o, _ in load([data]).dataset.quads((None, None, None, None))}
    assert len(store) == len(union)  # every file's triples and the ontology's, each once


def test_oxigraph_cli_reports_syntax_errors_like_the_memory_store(runner, write, tmp_path):
    bad = write("bad.ttl", '@prefix ex: <https://example.org/> .\nex:a ex:b "open .\n')
    memory = runner.invoke(main, ["show", "X", "--data", str(bad)])
    oxigraph = runner.invoke(main, ["show", "X", "--data", str(bad), "--store", f"oxigraph:{tmp_path / 's'}"])
    assert memory.exit_code == oxigraph.exit_code == 2
    assert memory.stderr == oxigraph.stderr and f"{bad}:2:" in oxigraph.stderr


def test_unreachable_endpoint_is_a_clear_error(runner):
    result = runner.invoke(main, ["query", "levels", "--store", "sparql:http://127.0.0.1:9/query"])
    assert result.exit_code == 2 and "cannot reach the SPARQL endpoint http://127.0.0.1:9/query" in result.stderr


def test_endpoint_errors_are_reported(oxigraph_server):
    from jobarch.core.errors import JobarchError

    store = open_store(f"sparql:{oxigraph_server}/query")
    with pytest.raises(JobarchError, match="the SPARQL endpoint answered 400"):
        store.query("SELECT * WHERE { ?s ?p }")


def test_unknown_selector(runner):
    result = runner.invoke(main, ["query", "levels", "--store", "postgres:x"])
    assert result.exit_code == 2 and "unknown store selector 'postgres:x'" in result.stderr


def test_load_command_fills_a_server(runner, oxigraph_server, tmp_path):
    store = f"sparql:{oxigraph_server}/query"
    assert runner.invoke(main, ["load", "--store", store]).exit_code == 0
    result = runner.invoke(
        main, ["query", "profiles_at_level", "--param", "level=M2", "--store", store, "--format", "csv"]
    )
    assert result.exit_code == 0 and len(result.output.splitlines()) == 9
