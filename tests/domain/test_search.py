"""The search index: kept in a persistent store's state, and `jobarch search` on the command line."""

from __future__ import annotations

import shutil

from jobarch import api
from jobarch.cli import main
from jobarch.core.resources import sample_data_dir
from jobarch.domain import search


def test_the_index_is_kept_with_the_store_and_rebuilt_after_an_edit(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(sample_data_dir(), data)
    monkeypatch.setenv("JOBARCH_CACHE_DIR", str(tmp_path / "cache"))
    store = api.open_architecture([data])
    first = api.search_index(store).search("upstream supervisor")
    store.close()
    built = []
    original = search.SearchIndex.from_store
    monkeypatch.setattr(search.SearchIndex, "from_store", classmethod(lambda cls, s: built.append(1) or original(s)))
    store = api.open_architecture([data])
    again = api.search_index(store).search("upstream supervisor")
    assert not built  # read back from the store's state
    assert [(h.code, h.score, h.matched) for h in again.hits] == [(h.code, h.score, h.matched) for h in first.hits]
    assert api.search_index(store).search("bioreacter").hits  # stems and suggestions survive the round trip
    store.close()
    path = data / "quality.ttl"
    path.write_text(path.read_text(encoding="utf-8").replace("QC Microbiology", "QC Mycology"), encoding="utf-8")
    store = api.open_architecture([data])
    assert api.search_index(store).search("mycology").hits and built  # the files changed: built again
    store.close()


def test_search_command(runner):
    result = runner.invoke(main, ["search", "upstream supervisor", "--track", "M", "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "code,title,score,found in"
    assert lines[1].startswith("MANUFA3.MANUFACT13A2.M1,") and "supervisor: title" in lines[1]
    assert all(".P" not in line.split(",")[0] for line in lines[1:])  # the track filter
    missing = runner.invoke(main, ["search", "zzzqqq"])
    assert missing.exit_code == 0 and "zzzqqq" in missing.output
    typo = runner.invoke(main, ["search", "mycrobiology"])  # a misspelt query answers with its correction
    assert typo.exit_code == 0 and "nothing matches 'mycrobiology'; showing 'microbiology'" in typo.output
    assert "QUALIT2.QUALIT20A1." in typo.output
