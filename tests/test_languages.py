"""Multilingual architectures on the command line: texts in the reader's language with a visible fallback, the
interface's words from the catalogs, search per language, coverage and warnings per language, exports that keep
every language.

The sample's reference focus carries German labels, definitions and the reference profile's responsibilities
(written for the sample, marked illustrative); everything else in it is English only.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from jobarch.cli import main
from jobarch.core import languages
from jobarch.core.i18n import LOCALE_DIR
from jobarch.core.resources import sample_data_dir
from tests.helpers import REFERENCE_CODE, REPO

GERMAN_TITLE = "Produktionsleitung (Upstream-Prozess) — M2"
ENGLISH_TITLE = "Production Supervision (Upstream Processing) — M2"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def run(runner, *args: str):
    result = runner.invoke(main, list(args))
    assert result.exit_code == 0, result.output + result.stderr
    return result.output


def test_show_reads_german_with_its_headings_and_marks_what_falls_back(runner):
    page = run(runner, "show", REFERENCE_CODE, "--lang", "de", "--format", "text")
    lines = page.splitlines()
    assert lines[0] == f"Herstellungsbetrieb / {GERMAN_TITLE}"
    assert "Aufgaben nach Stufe" in lines and "Stufenleitlinien" in lines  # the catalog's headings
    assert "- Verfasst, prüft und genehmigt Abweichungen" in page  # the reference profile's own German text
    # a text the focus lacks in German is shown in English, marked; German text never is
    assert "- People Leadership [en]" in lines
    assert not any("Produktionsleitung" in line and "[en]" in line for line in lines)
    assert "M2 — Manager II  ◀ Ihre Stufe" in lines
    english = run(runner, "show", REFERENCE_CODE, "--format", "text")  # the same process, English again
    assert english.splitlines()[0] == f"Manufacturing Operations / {ENGLISH_TITLE}" and "[en]" not in english


def test_a_fallback_chain_and_a_bad_tag(runner):
    french_first = run(runner, "show", REFERENCE_CODE, "--lang", "fr,de", "--format", "text")
    assert (
        french_first.splitlines()[0] == f"Herstellungsbetrieb [de] / {GERMAN_TITLE} [de]"
    )  # no French: German, marked
    result = runner.invoke(main, ["show", REFERENCE_CODE, "--lang", "de_DE!"])
    assert result.exit_code == 2 and "'de_DE!' is not a language tag" in result.stderr


def test_jobarch_toml_lang_is_read_and_checked(tmp_path):
    """A fresh process in a directory whose jobarch.toml says lang = "de": German without --lang."""
    shutil.copytree(sample_data_dir(), tmp_path / "data")
    (tmp_path / "jobarch.toml").write_text('[jobarch]\ndata = "data"\nlang = "de,en"\n', encoding="utf-8")
    jobarch = [sys.executable, "-m", "jobarch"]
    shown = subprocess.run([*jobarch, "show", REFERENCE_CODE, "--format", "text"], cwd=tmp_path, capture_output=True)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.decode().splitlines()[0] == f"Herstellungsbetrieb / {GERMAN_TITLE}"
    (tmp_path / "jobarch.toml").write_text('[jobarch]\ndata = "data"\nlang = "de en"\n', encoding="utf-8")
    refused = subprocess.run([*jobarch, "stats"], cwd=tmp_path, capture_output=True)
    assert refused.returncode == 2 and b"jobarch.toml" in refused.stderr and b"is not a language tag" in refused.stderr


def test_search_stems_each_language_and_finds_german_compounds(runner):
    def hits(*args: str) -> list[dict]:
        return json.loads(run(runner, "search", *args, "--format", "json"))

    focus = [f"MANUFA3.MANUFACT13A2.M{n}" for n in (1, 2, 3)]
    family = [*focus, "MANUFA3.MANUFACT13A1.M1", "MANUFA3.MANUFACT13A1.M2"]  # the family is "Produktionsleitung"
    found = hits("leitung", "--lang", "de")  # the end of the compound "Produktionsleitung"
    assert [h["code"] for h in found] == family and found[1]["title"] == GERMAN_TITLE
    assert [h["code"] for h in hits("Produktionsleitungen")] == family  # a German plural, stemmed as German
    assert set(focus) <= {h["code"] for h in hits("supervisors")}  # English stems as before
    assert hits("leitung")[1]["title"] == ENGLISH_TITLE  # found in German, titled in the reader's language


def test_stats_counts_what_each_language_lacks(runner):
    numbers = json.loads(run(runner, "stats", "--lang", "de", "--format", "json"))
    assert numbers["declaredLanguages"] == ["en"]
    german, english = numbers["languages"]["de"], numbers["languages"]["en"]
    assert german["profile title"] == {"present": 3, "missing": 68}
    assert german["responsibility"]["present"] == 5 and german["skill name"]["present"] == 0
    assert english["profile title"] == {"present": 71, "missing": 0}
    table = run(runner, "stats", "--lang", "de")
    assert "in de" in table and "profile title 3/71" in table


def test_a_declared_language_missing_is_a_warning_on_both_engines(runner, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(sample_data_dir(), data)
    architecture = data / "architecture.ttl"
    text = architecture.read_text(encoding="utf-8")
    assert 'ja:language "en"^^xsd:language ;' in text
    architecture.write_text(
        text.replace('ja:language "en"^^xsd:language ;', 'ja:language "en"^^xsd:language , "de"^^xsd:language ;'),
        encoding="utf-8",
    )
    found = {}
    for engine in ("fast", "pyshacl"):
        result = runner.invoke(main, ["validate", str(data), "--engine", engine, "--format", "json"])
        assert result.exit_code == 0, result.stderr  # warnings only
        found[engine] = sorted(
            (f["focusNode"], f["message"])
            for f in json.loads(result.output)["results"]
            if "ja:language" in f["message"]
        )
    assert found["fast"] == found["pyshacl"]
    messages = [m for _, m in found["fast"]]
    assert len(messages) == 71 * 2 - 4  # a title and the responsibilities of each profile, but what is German
    assert any(f"{REFERENCE_CODE} has no title" in m for m in messages) is False
    assert any(
        m.startswith(
            'https://example.org/jobarch/sample/profile/MANUFA3.MANUFACT13A2.M1 has no responsibility text in "de"'
        )
        for m in messages
    )
    clean = runner.invoke(main, ["validate", "--format", "json"])  # the sample declares English only
    assert not [f for f in json.loads(clean.output)["results"] if "ja:language" in f["message"]]


def test_esco_csv_per_language_and_schema_org_keeps_every_language(runner, tmp_path):
    out = tmp_path / "esco"
    run(runner, "export", "esco", "-o", str(out))
    assert {p.name for p in out.glob("occupations_*.csv")} == {"occupations_en.csv", "occupations_de.csv"}

    def reference_row(name: str) -> dict:
        with (out / name).open(encoding="utf-8", newline="") as handle:
            return next(r for r in csv.DictReader(handle) if r["code"] == REFERENCE_CODE)

    german, english = reference_row("occupations_de.csv"), reference_row("occupations_en.csv")
    assert german["preferredLabel"] == GERMAN_TITLE and english["preferredLabel"] == ENGLISH_TITLE
    assert german["description"].startswith("Leitung der GMP-Upstream-Bioproduktion")
    with (out / "occupations_de.csv").open(encoding="utf-8", newline="") as handle:  # no row without its label
        assert all(r["preferredLabel"] for r in csv.DictReader(handle))
    skos = run(runner, "export", "skos")
    assert f'"{GERMAN_TITLE}"@de' in skos and f'"{ENGLISH_TITLE}"@en' in skos


def test_named_queries_answer_in_the_reader_language_without_repeating_rows(runner):
    def rows(*args: str) -> list[dict]:
        return list(
            csv.DictReader(
                run(runner, "query", "profiles_at_level", "--param", "level=M2", "--format", "csv", *args).splitlines()
            )
        )

    german, english = rows("--lang", "de"), rows()
    assert len(german) == len(english) == len({r["code"] for r in english})
    assert {r["code"]: r["title"] for r in german}[REFERENCE_CODE] == GERMAN_TITLE
    assert {r["code"]: r["title"] for r in english}[REFERENCE_CODE] == ENGLISH_TITLE
    own = run(
        runner,
        "query",
        "-e",
        f'SELECT ?t WHERE {{ ?p ja:code "{REFERENCE_CODE}" ; skos:prefLabel ?t }}',
        "--format",
        "csv",
    )
    assert len(own.splitlines()) == 3  # an analyst's own query: every row, in every language


def test_every_word_of_the_interface_is_in_the_german_catalog():
    """Every message the templates and the code mark is translated in de.po, with the same placeholders, and the
    catalog holds nothing that is no longer used."""
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    method_map = [("src/jobarch/**.py", "python"), ("src/jobarch/**/templates/**.j2", "jinja2")]
    options = {"src/jobarch/**/templates/**.j2": {"extensions": "jinja2.ext.i18n"}}
    marked = {}
    for _, _, message, _, _ in extract_from_dir(str(REPO), method_map, options, keywords=keywords):
        marked[message if isinstance(message, str) else message[0]] = message
    assert len(marked) > 250
    with (LOCALE_DIR / "de" / "LC_MESSAGES" / "jobarch.po").open("rb") as handle:
        catalog = read_po(handle, locale="de")
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
    assert sorted(set(marked) - set(translated)) == [], "marked but not in the German catalog"
    assert sorted(set(translated) - set(marked)) == [], "in the German catalog but no longer used"
    for key, message in translated.items():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"untranslated: {key!r}"
        for translation in strings:
            assert set(PLACEHOLDER.findall(translation)) <= set(PLACEHOLDER.findall(key)) | {"num"}, key
            assert set(PLACEHOLDER.findall(key)) - {"num"} <= set(PLACEHOLDER.findall(translation)), key


@pytest.mark.parametrize(
    ("header", "chain"),
    [
        ("de-DE,de;q=0.9,en;q=0.8", ("de-de", "de", "en")),
        ("en;q=0.2, fr", ("fr", "en")),
        ("*", ()),
        ("xx_YY, ;q=abc, de;q=0", ()),
        ("a" * 5000, ()),
    ],
)
def test_accept_language_is_read_by_quality_and_never_fails(header, chain):
    assert languages.from_accept_language(header) == chain


def test_a_text_is_chosen_by_the_chain_then_untagged_then_any():
    texts = [("Leitung", "de"), ("Supervision", "en"), ("Encadrement", "fr"), ("plain", "")]
    assert languages.choose(texts, ("de", "en")) == "Leitung"
    assert languages.choose(texts, ("pt",)) == "plain"  # untagged before another language
    assert languages.choose([("Leitung", "de-CH")], ("de",)).language == "de-CH"
    assert languages.is_fallback("en", ("de", "en")) and not languages.is_fallback("de-AT", ("de",))
    assert not languages.is_fallback("", ("de",))  # untagged text is the architecture's own language


def test_the_catalog_directory_ships_with_the_package():
    assert (LOCALE_DIR / "de" / "LC_MESSAGES" / "jobarch.po").is_file()
    assert Path(LOCALE_DIR).is_relative_to(Path(languages.__file__).resolve().parent.parent)
