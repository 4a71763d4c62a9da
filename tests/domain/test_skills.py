"""Skills with depth on the sample: resolved requirements, what changes between levels, matching people."""

from __future__ import annotations

import json
import shutil

import pytest

from jobarch import api
from jobarch.cli import main
from jobarch.core.errors import JobarchError
from jobarch.core.resources import sample_data_dir
from jobarch.domain.facts import profile_facts
from jobarch.domain.skills import proficiency_scale, skill_changes, skill_names
from tests.helpers import REFERENCE_CODE

M1, M3 = "MANUFA3.MANUFACT13A2.M1", "MANUFA3.MANUFACT13A2.M3"


def requirements(store, code):
    facts = next(f for f in profile_facts(store).values() if f.code == code)
    labels = skill_names(store)
    return {labels[r.skill]: r for r in facts.requirements}, facts.requirements


def test_the_reference_profile_needs_its_focus_skills_at_its_own_depth(backend):
    by_name, _ = requirements(backend, REFERENCE_CODE)
    assert len(by_name) == 15
    gmp = by_name["GMP Compliance"]
    assert (gmp.essential, gmp.proficiency, gmp.importance, gmp.own) == (True, 4, 5.0, True)  # the M2 override
    aseptic = by_name["Aseptic Technique"]
    assert (aseptic.proficiency, aseptic.own) == (3, False)  # the focus's statement
    assert not by_name["Technology Transfer"].essential  # optional on the focus, left so at M2
    m3, _ = requirements(backend, M3)
    assert m3["Technology Transfer"].essential and m3["Technology Transfer"].proficiency == 3  # the M3 override
    assert m3["Budget Management"].proficiency is None  # a plain ja:requiresSkill: essential, no depth
    assert m3["Budget Management"].essential


def test_skill_changes_from_m2_to_m3_by_name_and_proficiency(backend):
    _, m2 = requirements(backend, REFERENCE_CODE)
    _, m3 = requirements(backend, M3)
    changes = skill_changes(m2, m3, skill_names(backend))
    assert [c.words() for c in changes] == [
        "Budget Management (new, essential)",
        "Bioreactor/Fermenter Operation 3 → 4",
        "Cell Culture Science 3 → 4",
        "Deviation/CAPA/Change Control Management 3 → 4",
        "People Leadership 3 → 4",
        "Production Equipment Qualification 2 → 3",
        "Production Scheduling 3 → 4",
        "Technology Transfer 2 → 3, optional → essential",
    ]
    assert [c.kind for c in changes][:2] == ["new", "up"]
    assert skill_changes(m3, m3, {}) == []


def test_the_sample_declares_a_five_step_scale_with_anchors(memory_store):
    scale = proficiency_scale(memory_store)
    assert [s.value for s in scale] == [1, 2, 3, 4, 5]
    assert scale[2].label == "Practitioner" and scale[2].anchor


def test_match_ranks_by_essential_coverage_then_shortfall(backend):
    skills = ["GMP Compliance=3", "Bioreactor/Fermenter Operation=3", "Aseptic Technique=3", "People Leadership=3"]
    got = api.match(backend, skills, 5)
    assert [m.code for m in got[:2]] == [M1, REFERENCE_CODE]  # same coverage, M1 asks fewer points
    assert got[0].coverage == got[1].coverage and got[0].shortfall < got[1].shortfall
    keys = [(-m.coverage, m.shortfall) for m in got]
    assert keys == sorted(keys)
    gmp = next(g for g in got[1].to_learn if g.label == "GMP Compliance")
    assert (gmp.have, gmp.need, gmp.essential) == (3, 4, True)
    assert all(g.label != "Aseptic Technique" for g in got[0].to_learn)  # met at the depth asked


def test_match_without_a_depth_counts_the_skill_as_met(memory_store):
    got = api.match(memory_store, ["gmp compliance"], 50)
    assert got and all(all(g.label != "GMP Compliance" for g in m.to_learn) for m in got)


def test_match_refuses_unknown_skills_and_depths_off_the_scale(memory_store):
    with pytest.raises(JobarchError, match="no skill is named 'GMP Complience'") as exc:
        api.match(memory_store, ["GMP Complience=3"])
    assert "GMP Compliance" in (exc.value.hint or "")
    with pytest.raises(JobarchError, match=r"not on the scale \(1 Awareness, .*5 Expert\)"):
        api.match(memory_store, ["GMP Compliance=9"])
    with pytest.raises(JobarchError, match="proficiency 'high' is not on the scale"):
        api.match(memory_store, ["GMP Compliance=high"])


def test_match_skips_what_it_cannot_read_and_says_what_was_meant(memory_store):
    """One mistyped line used to abort the whole match; now it is skipped, with the closest names."""
    wanted = ["GMP Compliance=3", "bioreactors=3", "Aseptic Technique=Advanced", "People Leadership=9"]
    found = api.match(memory_store, wanted, 5, strict=False)
    assert found and [s.spec for s in found.skipped] == ["bioreactors=3", "People Leadership=9"]
    assert found.skipped[0].suggestions[0] == "Bioreactor/Fermenter Operation"
    assert "not on the scale" in found.skipped[1].reason
    same = api.match(memory_store, ["GMP Compliance=3", "Aseptic Technique=4"], 5)
    assert [m.code for m in found] == [m.code for m in same]  # a scale name is its number
    with pytest.raises(JobarchError, match="none of these lines names a skill") as exc:
        api.match(memory_store, ["bioreactors=3"], strict=False)
    assert "Bioreactor/Fermenter Operation" in (exc.value.hint or "")


def test_matching_from_a_profiles_own_skills_finds_it_among_the_full_fits(memory_store):
    lines = api.skills_of(memory_store, REFERENCE_CODE)
    assert "People Leadership=3" in lines and "GMP Compliance=4" in lines
    found = api.match(memory_store, lines, 5)
    full = [m.code for m in found if m.coverage == 1 and m.shortfall == 0]
    assert found[0].code in full and REFERENCE_CODE in full
    assert api.skills_of(memory_store, "Production Supervision (Upstream Processing) — M2") == lines


def test_match_command_reads_skills_from_options_and_a_file(runner, write):
    skills = write("me.txt", "# what I can do\nGMP Compliance=3\n\nAseptic Technique=3  # since 2019\n")
    result = runner.invoke(
        main,
        ["match", "--skill", "People Leadership=3", "--skill", "Bioreactor/Fermenter Operation=3"]
        + ["--skills-file", str(skills), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    got = json.loads(result.output)
    assert got[0]["code"] == M1 and got[0]["essentialMet"] == 4
    assert {"skill", "have", "need", "essential"} <= set(got[1]["toLearn"][0])
    bad = runner.invoke(main, ["match", "--skill", "Juggling=5"])
    assert bad.exit_code == 2 and "no skill is named 'Juggling'" in bad.output and "Traceback" not in bad.output
    table = runner.invoke(main, ["match", "--skill", "GMP Compliance=3", "-n", "2", "--format", "md"])
    assert table.exit_code == 0 and table.output.count("\n| MANUFA3") + table.output.count("\n| QUALIT") == 2


def test_an_edited_proficiency_is_seen_by_the_next_match(tmp_path, monkeypatch):
    """The facts kept in a persistent store follow an edit inside a requirement's blank node."""
    data = tmp_path / "data"
    shutil.copytree(sample_data_dir(), data)
    monkeypatch.setenv("JOBARCH_CACHE_DIR", str(tmp_path / "cache"))
    store = api.open_architecture([data])
    before = api.match(store, ["GMP Compliance=3"], 100)
    assert any(m.code == REFERENCE_CODE and any(g.label == "GMP Compliance" for g in m.to_learn) for m in before)
    store.close()
    path = data / "manufacturing-operations.ttl"
    text = path.read_text(encoding="utf-8")
    start = text.index("profile:MANUFA3.MANUFACT13A2.M2\n")
    at = text.index("ja:skill skill:gmp-compliance", start)
    block = text.rindex("ja:proficiency 4", start, at)
    path.write_text(text[:block] + "ja:proficiency 3" + text[block + len("ja:proficiency 4") :], encoding="utf-8")
    store = api.open_architecture([data])
    after = api.match(store, ["GMP Compliance=3"], 100)
    reference = next(m for m in after if m.code == REFERENCE_CODE)
    assert all(g.label != "GMP Compliance" for g in reference.to_learn)
    store.close()
