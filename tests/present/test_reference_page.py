"""The reference profile page must round-trip through the graph."""

from __future__ import annotations

from jobarch.cli import main
from jobarch.domain.profile import get_profile
from jobarch.present.pages import render_profile
from tests.helpers import REFERENCE_CODE, assert_contains_in_order, reference_lines

SECTIONS = [
    "Responsibilities by level",
    "Level guidelines",
    "Skills",
    "Provenance",
    "Level — M2 — Manager II",
    "Adjacent roles",
    "Title aliases",
    "Classification mappings",
]


def test_text_page_contains_every_reference_line_in_order(memory_store):
    page = render_profile(get_profile(memory_store, REFERENCE_CODE), "text")
    assert_contains_in_order(page, reference_lines())


def test_sections_appear_in_page_order(memory_store):
    page = render_profile(get_profile(memory_store, REFERENCE_CODE), "text").splitlines()
    positions = [page.index(s) for s in SECTIONS]
    assert positions == sorted(positions)


def test_reference_profile_content_counts(memory_store):
    profile = get_profile(memory_store, REFERENCE_CODE)
    assert [lv.code for lv in profile.responsibilities] == ["M1", "M2", "M3"]
    assert [len(lv.items) for lv in profile.responsibilities] == [5, 5, 5]
    assert [lv.current for lv in profile.responsibilities] == [False, True, False]
    # the page lists 15 skill name/definition pairs, all inherited from the focus
    assert len(profile.skills) == 15 and all(s.inherited for s in profile.skills)
    assert len(profile.sources) == 7
    assert profile.level.experience == "5–8"
    assert profile.aliases == []
    assert [(m.scheme, m.code, m.source) for m in profile.mappings] == [
        ("O*NET / SOC", "51-1011", "jfm-factory.resolve")
    ]
    assert profile.quality.passed and profile.quality.threshold == 4


def test_function_rubric_wins_over_universal(memory_store):
    profile = get_profile(memory_store, REFERENCE_CODE)
    m2 = next(row for row in profile.rubric if row.level_code == "M2")
    assert m2.cells[3].startswith("2–5 years in team leadership")


def test_markdown_page_marks_current_level(memory_store):
    page = render_profile(get_profile(memory_store, REFERENCE_CODE), "markdown")
    assert "### ▶ M2 — Manager II (your level)" in page
    assert "### M1 — Manager I" in page
    assert "| **M2** |" in page


def test_cli_show_text_and_markdown(runner):
    result = runner.invoke(main, ["show", REFERENCE_CODE, "--format", "text"])
    assert result.exit_code == 0, result.output
    assert_contains_in_order(result.output, reference_lines())
    result = runner.invoke(main, ["show", REFERENCE_CODE, "--format", "markdown"])
    assert result.exit_code == 0 and result.output.startswith("# Manufacturing Operations / ")


def test_cli_show_terminal_renders_with_rich(runner):
    result = runner.invoke(main, ["show", REFERENCE_CODE, "--format", "terminal"])
    assert result.exit_code == 0
    assert "Responsibilities by level" in result.output and "People Leadership" in result.output


def test_unknown_code_suggests_closest(runner):
    result = runner.invoke(main, ["show", "MANUFA3.MANUFACT13A2.M9"])
    assert result.exit_code == 2
    assert "no profile with code 'MANUFA3.MANUFACT13A2.M9'" in result.stderr
    assert "MANUFA3.MANUFACT13A2.M2" in result.stderr
    assert "Traceback" not in result.output


def test_profile_without_aliases_or_mappings_says_so(write, runner):
    minimal = write(
        "arch/minimal.ttl",
        """
@prefix ja: <https://w3id.org/jobarch#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/x/> .
ex:fn a ja:Function ; ja:code "FUNC1" ; skos:prefLabel "Function One"@en ; skos:definition "Does things."@en .
ex:fam a ja:JobFamily ; ja:code "FAM1" ; skos:prefLabel "Family"@en ; skos:broader ex:fn .
ex:focus a ja:Focus ; ja:code "FAM1A1" ; skos:prefLabel "Focus"@en ; skos:broader ex:fam .
ex:lvl a ja:Level ; ja:code "P1" ; skos:prefLabel "Associate"@en ; ja:rank 1 ; ja:grade 1 .
ex:p a ja:JobProfile ; ja:code "FUNC1.FAM1A1.P1" ; ja:focus ex:focus ; ja:level ex:lvl .
""",
    )
    result = runner.invoke(main, ["show", "FUNC1.FAM1A1.P1", "--data", str(minimal), "--format", "text"])
    assert result.exit_code == 0, result.output
    assert "No title aliases recorded for this profile yet." in result.output
    assert "No classification mappings recorded for this profile yet." in result.output
    assert "Quality: not assessed yet" in result.output
    # a profile without its own title or definition inherits them
    assert "Function One / Focus — P1" in result.output
    assert "Does things." in result.output
