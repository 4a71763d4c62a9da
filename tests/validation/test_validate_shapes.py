"""Every shape: the minimal fixture passes it, one mutation breaks it, with the exact result and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jobarch.graph.architecture import load
from jobarch.validation import validate
from tests.helpers import MINIMAL


def run(tmp_path: Path, text: str):
    path = tmp_path / "arch.ttl"
    path.write_text(text, encoding="utf-8")
    return validate(load([path])).findings, text


def replace(old: str, new: str, text: str = MINIMAL) -> str:
    assert text.count(old) >= 1, f"fixture does not contain {old!r}"
    return text.replace(old, new, 1)


def subject_line(text: str, label: str) -> int:
    """The line a node is written at: its subject line, or for a blank node the line opening it."""
    if label.endswith(" []"):
        # nested blank nodes are placed at the outermost one's opening line
        owner, predicate, _ = label.split(" ")[:3]
        lines = text.splitlines()
        starts = [i for i, line in enumerate(lines, 1) if re.match(rf"^{re.escape(owner)}(\s|$)", line)]
        # an owner written twice (a statement added at the end): the block that has the predicate, last first
        return next(
            i
            for start in reversed(starts)
            for i in range(start, len(lines) + 1)
            if lines[i - 1].strip().startswith(predicate)
        )
    pattern = re.compile(rf"^{re.escape(label)}(\s|$)")
    return next(i for i, line in enumerate(text.splitlines(), 1) if pattern.match(line))


def test_minimal_fixture_passes_every_shape(tmp_path):
    findings, _ = run(tmp_path, MINIMAL)
    assert findings == []


def test_sample_architecture_gives_exactly_the_years_warning(sample_architecture):
    findings = validate(sample_architecture).findings
    assert [(f.severity, f.focus_label, f.shape) for f in findings] == [
        ("warning", "rubric:MANUFA3-M2-years", "jash:RubricYearsShape")
    ]
    f = findings[0]
    assert "2–5" in f.message and "5–8" in f.message
    assert f.location.path.name == "manufacturing-operations.ttl"
    assert f.location.path.read_text(encoding="utf-8").splitlines()[f.location.line - 1] == "rubric:MANUFA3-M2-years"


# a P1 profile of focus B, below ex:profileB2 (P2) on the same track
PROFILE_B1 = """
ex:profileB1
    a ja:JobProfile ;
    ja:code "FUNC1.FAM1B1.P1" ;
    skos:prefLabel "Focus B — P1"@en ;
    skos:inScheme ex:arch ;
    ja:focus ex:focusB ;
    ja:level ex:P1 ;
    ja:status ja:Draft ;
    ja:responsibility [ ja:order 1 ; ja:text "Learns B."@en ] ;
    prov:wasDerivedFrom ex:source .
"""


# (mutation, [(focus, shape, severity)])
CASES = {
    "duplicate code": (
        lambda: replace("ex:source a ja:JobPostingSource ;", 'ex:source a ja:JobPostingSource ; ja:code "FAM1A1" ;'),
        [("ex:focusA", "jash:CodeShape", "violation"), ("ex:source", "jash:CodeShape", "violation")],
    ),
    "code with language tag": (
        lambda: replace('ja:code "FAM1" ;', 'ja:code "FAM1"@en ;'),
        [("ex:fam", "jash:CodeShape/ja:code", "violation")],
    ),
    "code with spaces": (
        lambda: replace('ja:code "FAM1" ;', 'ja:code "FAM 1" ;'),
        [
            ("ex:fam", "jash:CodeShape/ja:code", "violation"),  # and its foci no longer start with it
            ("ex:focusA", "jash:FocusShape", "violation"),
            ("ex:focusB", "jash:FocusShape", "violation"),
        ],
    ),
    "family without function": (
        lambda: replace("    skos:broader ex:fn .", "    ."),
        [("ex:fam", "jash:FamilyShape/skos:broader", "violation")],
    ),
    "focus under a function": (
        lambda: replace(
            "    skos:broader ex:fam ;\n    ja:requiresSkill ex:skill-b",
            "    skos:broader ex:fn ;\n    ja:requiresSkill ex:skill-b",
        ),
        [("ex:focusB", "jash:FocusShape/skos:broader", "violation")],
    ),
    "taxonomy cycle": (
        lambda: replace(
            "    skos:topConceptOf ex:arch .", "    skos:topConceptOf ex:arch ;\n    skos:broader ex:focusA ."
        ),
        [
            ("ex:fam", "jash:TaxonomyNodeShape", "violation"),
            ("ex:fn", "jash:FunctionShape/skos:broader", "violation"),
            ("ex:fn", "jash:TaxonomyNodeShape", "violation"),
            ("ex:focusA", "jash:TaxonomyNodeShape", "violation"),
        ],
    ),
    "focus code not under family code": (
        lambda: replace('ja:code "FAM1B1" ;', 'ja:code "XYZ1" ;'),
        [
            ("ex:focusB", "jash:FocusShape", "violation"),
            ("ex:profileB2", "jash:ProfileShape", "violation"),
            ("ex:profileB3", "jash:ProfileShape", "violation"),
        ],
    ),
    "distinct from an undefined focus": (
        lambda: replace("ja:distinctFrom ex:focusB ;", "ja:distinctFrom ex:nowhere ;"),
        [("ex:focusA", "jash:FocusShape/ja:distinctFrom", "violation")],
    ),
    "distinct from itself": (
        lambda: replace("ja:distinctFrom ex:focusB ;", "ja:distinctFrom ex:focusA ;"),
        [("ex:focusA", "jash:FocusShape", "violation")],
    ),
    "focus without profiles": (
        lambda: (
            MINIMAL
            + '\nex:focusC a ja:Focus ; ja:code "FAM1C1" ; skos:prefLabel "Focus C"@en ; skos:inScheme ex:arch ; skos:broader ex:fam .\n'
        ),
        [("ex:focusC", "jash:FocusStaffedShape", "warning")],
    ),
    "level without track": (
        lambda: replace("    ja:track ex:trackP ;\n    ja:rank 2 ;", "    ja:rank 2 ;"),
        [("ex:P2", "jash:LevelShape/ja:track", "violation")],
    ),
    "two levels share a rank": (
        lambda: replace("ja:rank 2 ;", "ja:rank 1 ;"),
        [("ex:P1", "jash:LevelShape", "violation"), ("ex:P2", "jash:LevelShape", "violation")],
    ),
    "rank is text": (
        lambda: replace("ja:rank 2 ;", 'ja:rank "2" ;'),
        [("ex:P2", "jash:LevelShape/ja:rank", "violation")],
    ),
    "experience range reversed": (
        lambda: replace(
            "    ja:minYearsExperience 2 ;\n    ja:maxYearsExperience 5 .",
            "    ja:minYearsExperience 6 ;\n    ja:maxYearsExperience 5 .",
        ),
        [
            ("ex:P2", "jash:LevelShape/ja:minYearsExperience", "violation"),
            ("ex:cell-P2-years", "jash:RubricYearsShape", "warning"),
        ],
    ),
    "profile code does not match focus and level": (
        lambda: replace('ja:code "FUNC1.FAM1B1.P2" ;', 'ja:code "FUNC1.FAM1B1.P9" ;'),
        [("ex:profileB2", "jash:ProfileShape", "violation")],
    ),
    "profile code not in three parts": (
        lambda: replace('ja:code "FUNC1.FAM1B1.P2" ;', 'ja:code "FUNC1-FAM1B1-P2" ;'),
        [
            ("ex:profileB2", "jash:ProfileShape", "violation"),
            ("ex:profileB2", "jash:ProfileShape/ja:code", "violation"),
        ],
    ),
    "profile without focus": (
        lambda: replace("    ja:focus ex:focusB ;\n    ja:level ex:P2 ;", "    ja:level ex:P2 ;"),
        [("ex:profileB2", "jash:ProfileShape/ja:focus", "violation")],
    ),
    "profile at an undefined level": (
        lambda: replace(
            "    ja:focus ex:focusB ;\n    ja:level ex:P2 ;", "    ja:focus ex:focusB ;\n    ja:level ex:P9 ;"
        ),
        [("ex:profileB2", "jash:ProfileShape/ja:level", "violation")],
    ),
    "profile not typed": (
        lambda: replace("ex:profileB2\n    a ja:JobProfile ;", "ex:profileB2\n"),
        [("ex:profileB2", "jash:ProfileTypeShape", "violation")],
    ),
    "two profiles for one focus and level": (
        lambda: (
            MINIMAL
            + '\nex:profileB2bis a ja:JobProfile ; ja:code "FUNC1.FAM1B1.P2" ; skos:prefLabel "Focus B — P2 bis"@en ;'
            ' ja:focus ex:focusB ; ja:level ex:P2 ; ja:responsibility [ ja:order 1 ; ja:text "x"@en ] ; prov:wasDerivedFrom ex:source .\n'
        ),
        [
            ("ex:profileB2", "jash:CodeShape", "violation"),
            ("ex:profileB2", "jash:ProfileShape", "violation"),
            ("ex:profileB2bis", "jash:CodeShape", "violation"),
            ("ex:profileB2bis", "jash:ProfileShape", "violation"),
        ],
    ),
    "responsibilities share an order": (
        lambda: replace(
            '[ ja:order 2 ; ja:text "Does the second thing."@en ]',
            '[ ja:order 1 ; ja:text "Does the second thing."@en ]',
        ),
        [("ex:profileA1", "jash:ProfileShape", "violation")],
    ),
    "responsibility without text": (
        lambda: replace('[ ja:order 1 ; ja:text "Leads B."@en ]', "[ ja:order 1 ]"),
        [("ex:profileB3 ja:responsibility []", "jash:ResponsibilityShape/ja:text", "violation")],
    ),
    "profile without responsibilities": (
        lambda: replace('    ja:responsibility [ ja:order 1 ; ja:text "Leads B."@en ] ;\n', ""),
        [("ex:profileB3", "jash:ProfileShape/ja:responsibility", "warning")],
    ),
    "unknown status": (
        lambda: replace("ja:status ja:Draft ;", "ja:status ex:P1 ;"),
        [("ex:profileB2", "jash:ProfileShape/ja:status", "violation")],
    ),
    "two preferred labels in one language": (
        lambda: replace('skos:prefLabel "Function One"@en ;', 'skos:prefLabel "Function One"@en, "Function 1"@en ;'),
        [("ex:fn", "jash:ConceptLabelShape/skos:prefLabel", "violation")],
    ),
    "alias equal to the preferred label": (
        lambda: replace('skos:altLabel "A One"@en ;', 'skos:altLabel "Focus A — P1"@en ;'),
        [("ex:profileA1", "jash:ConceptLabelShape/skos:altLabel", "violation")],
    ),
    "two concepts of a scheme share a preferred label": (
        lambda: replace('skos:prefLabel "Skill B"@en', 'skos:prefLabel "Skill A"@en'),
        [("ex:skill-a", "jash:ConceptLabelShape", "violation"), ("ex:skill-b", "jash:ConceptLabelShape", "violation")],
    ),
    "required skill not defined": (
        lambda: replace("ja:requiresSkill ex:skill-a .", "ja:requiresSkill ex:skill-z ."),
        [("ex:skill-z", "jash:RequiredSkillShape", "violation")],
    ),
    "skill without definition": (
        lambda: replace(' skos:definition "Doing B."@en ;', ""),
        [("ex:skill-b", "jash:SkillShape/skos:definition", "warning")],
    ),
    "proficiency outside the scale": (
        lambda: (
            MINIMAL
            + "\nex:focusB\n    ja:skillRequirement [ a ja:SkillRequirement ; ja:skill ex:skill-b ; ja:proficiency 7 ] .\n"
        ),
        [("ex:focusB ja:skillRequirement []", "jash:SkillRequirementShape", "violation")],
    ),
    "proficiency not a whole number": (
        lambda: MINIMAL + "\nex:focusB\n    ja:skillRequirement [ ja:skill ex:skill-b ; ja:proficiency 1.5 ] .\n",
        [
            ("ex:focusB ja:skillRequirement []", "jash:SkillRequirementShape", "violation"),
            ("ex:focusB ja:skillRequirement []", "jash:SkillRequirementShape/ja:proficiency", "violation"),
        ],
    ),
    "skill requirement without a skill": (
        lambda: MINIMAL + "\nex:focusB\n    ja:skillRequirement [ a ja:SkillRequirement ; ja:proficiency 1 ] .\n",
        [("ex:focusB ja:skillRequirement []", "jash:SkillRequirementShape/ja:skill", "violation")],
    ),
    "skill requirement of an undefined skill": (
        lambda: MINIMAL + "\nex:focusB\n    ja:skillRequirement [ ja:skill ex:skill-z ; ja:proficiency 1 ] .\n",
        [("ex:focusB ja:skillRequirement []", "jash:SkillRequirementShape/ja:skill", "violation")],
    ),
    "skill relation type neither essential nor optional": (
        lambda: (
            MINIMAL + "\nex:focusB\n    ja:skillRequirement [ ja:skill ex:skill-b ; ja:relationType ja:Published ] .\n"
        ),
        [("ex:focusB ja:skillRequirement []", "jash:SkillRequirementShape/ja:relationType", "violation")],
    ),
    "skill importance above 5": (
        lambda: MINIMAL + "\nex:focusB\n    ja:skillRequirement [ ja:skill ex:skill-b ; ja:importance 7 ] .\n",
        [("ex:focusB ja:skillRequirement []", "jash:SkillRequirementShape/ja:importance", "violation")],
    ),
    "skill stated twice on one focus": (
        lambda: (
            MINIMAL
            + "\nex:focusB\n    ja:skillRequirement [ ja:skill ex:skill-b ; ja:proficiency 1 ] , [ ja:skill ex:skill-b ; ja:proficiency 2 ] .\n"
        ),
        [("ex:focusB", "jash:SkillRequirementHolderShape", "violation")],
    ),
    "skill requirement on a level": (
        lambda: MINIMAL + "\nex:P1\n    ja:skillRequirement [ ja:skill ex:skill-a ; ja:proficiency 1 ] .\n",
        [("ex:P1", "jash:SkillRequirementHolderShape", "violation")],
    ),
    "proficiency step without anchor": (
        lambda: replace(' skos:definition "Applies it alone."@en ;', ""),
        [("ex:proficiency-2", "jash:ProficiencyLevelShape/skos:definition", "warning")],
    ),
    "two proficiency steps with one value": (
        lambda: replace("ja:ProficiencyLevel ; ja:order 2 ;", "ja:ProficiencyLevel ; ja:order 1 ;"),
        [("ex:proficiency", "jash:ProficiencyScaleShape", "violation")],
    ),
    "proficiency falls as the level rises": (
        lambda: (
            MINIMAL + PROFILE_B1 + "\nex:focusB\n    ja:skillRequirement [ ja:skill ex:skill-b ; ja:proficiency 2 ] .\n"
            "ex:profileB2\n    ja:skillRequirement [ ja:skill ex:skill-b ; ja:proficiency 1 ] .\n"
        ),
        [("ex:profileB2", "jash:SkillDepthShape", "warning")],
    ),
    "proficiency falls where the level above keeps its focus's": (
        lambda: (
            MINIMAL + PROFILE_B1 + "\nex:focusB\n    ja:skillRequirement [ ja:skill ex:skill-b ; ja:proficiency 1 ] .\n"
            "ex:profileB1\n    ja:skillRequirement [ ja:skill ex:skill-b ; ja:proficiency 2 ] .\n"
        ),
        [("ex:profileB2", "jash:SkillDepthShape", "warning")],
    ),
    "an essential skill dropped at the level above": (
        lambda: (
            MINIMAL
            + PROFILE_B1
            + "\nex:profileB1\n    ja:skillRequirement [ ja:skill ex:skill-a ; ja:proficiency 1 ] .\n"
        ),
        [("ex:profileB2", "jash:SkillDepthShape", "warning")],
    ),
    "fewer essential skills at the level above": (
        lambda: (
            MINIMAL
            + PROFILE_B1
            + "\nex:profileB1\n    ja:skillRequirement [ ja:skill ex:skill-a ; ja:relationType ja:Essential ] .\n"
            "ex:profileB2\n    ja:skillRequirement [ ja:skill ex:skill-a ; ja:relationType ja:Optional ] .\n"
        ),
        [("ex:profileB2", "jash:SkillDepthShape", "warning")],
    ),
    "skill required by a level": (
        lambda: replace(
            "    ja:rank 1 ;\n    ja:grade 1 ;", "    ja:rank 1 ;\n    ja:grade 1 ;\n    ja:requiresSkill ex:skill-a ;"
        ),
        [("ex:P1", "jash:RequiresSkillSubjectShape", "violation")],
    ),
    "rubric cell without level": (
        lambda: replace(
            "ex:cell-M1-knowledge a ja:RubricCell ; ja:appliesTo ex:arch ; ja:level ex:M1 ;",
            "ex:cell-M1-knowledge a ja:RubricCell ; ja:appliesTo ex:arch ;",
        ),
        [
            ("ex:cell-M1-knowledge", "jash:RubricCellShape/ja:level", "violation"),
            ("ex:fn", "jash:RubricCompletenessShape", "warning"),
        ],
    ),
    "two cells for one level and dimension": (
        lambda: (
            MINIMAL
            + '\nex:cell-dup a ja:RubricCell ; ja:appliesTo ex:arch ; ja:level ex:P1 ; ja:dimension ex:knowledge ; ja:text "Again."@en .\n'
        ),
        [
            ("ex:cell-P1-knowledge", "jash:RubricCellShape", "violation"),
            ("ex:cell-dup", "jash:RubricCellShape", "violation"),
        ],
    ),
    "rubric years contradict the level": (
        lambda: replace(
            'ja:text "2-5 years"@en ; ja:minYearsExperience 2 ; ja:maxYearsExperience 5',
            'ja:text "6-9 years"@en ; ja:minYearsExperience 6 ; ja:maxYearsExperience 9',
        ),
        [("ex:cell-P2-years", "jash:RubricYearsShape", "warning")],
    ),
    "rubric incomplete for a ladder": (
        lambda: replace(
            'ex:cell-M1-knowledge a ja:RubricCell ; ja:appliesTo ex:arch ; ja:level ex:M1 ; ja:dimension ex:knowledge ; ja:text "Leads."@en .\n',
            "",
        ),
        [("ex:fn", "jash:RubricCompletenessShape", "warning")],
    ),
    "rubric cell for a skill": (
        lambda: replace(
            "ex:cell-P1-knowledge a ja:RubricCell ; ja:appliesTo ex:arch ;",
            "ex:cell-P1-knowledge a ja:RubricCell ; ja:appliesTo ex:skill-a ;",
        ),
        [
            ("ex:cell-P1-knowledge", "jash:RubricCellShape/ja:appliesTo", "violation"),
            ("ex:fn", "jash:RubricCompletenessShape", "warning"),
        ],
    ),
    "profile without source": (
        lambda: replace(
            '    ja:status ja:Draft ;\n    ja:responsibility [ ja:order 1 ; ja:text "Does B things."@en ] ;\n    prov:wasDerivedFrom ex:source .',
            '    ja:status ja:Draft ;\n    ja:responsibility [ ja:order 1 ; ja:text "Does B things."@en ] .',
        ),
        [("ex:profileB2", "jash:ProfileEvidenceShape/prov:wasDerivedFrom", "violation")],
    ),
    "source not defined": (
        lambda: replace(
            '    ja:status ja:Draft ;\n    ja:responsibility [ ja:order 1 ; ja:text "Does B things."@en ] ;\n    prov:wasDerivedFrom ex:source .',
            '    ja:status ja:Draft ;\n    ja:responsibility [ ja:order 1 ; ja:text "Does B things."@en ] ;\n    prov:wasDerivedFrom ex:elsewhere .',
        ),
        [("ex:profileB2", "jash:ProfileEvidenceShape/prov:wasDerivedFrom", "violation")],
    ),
    "source without title": (
        lambda: replace(
            'ex:source a ja:JobPostingSource ; dct:title "Job postings"@en .', "ex:source a ja:JobPostingSource ."
        ),
        [("ex:source", "jash:SourceShape/dct:title", "violation")],
    ),
    "published profile fails the quality gate": (
        lambda: replace(
            "[ ja:qualityDimension ex:clarity ; ja:score 4 ]", "[ ja:qualityDimension ex:clarity ; ja:score 3 ]"
        ),
        [("ex:profileA1", "jash:ProfileEvidenceShape", "violation")],
    ),
    "score outside the scale": (
        lambda: replace(
            "[ ja:qualityDimension ex:accuracy ; ja:score 5 ]", "[ ja:qualityDimension ex:accuracy ; ja:score 7 ]"
        ),
        [("ex:profileA1", "jash:ProfileEvidenceShape", "violation")],
    ),
    "published without assessment": (
        lambda: replace("ja:status ja:Draft ;", "ja:status ja:Published ;"),
        [("ex:profileB2", "jash:ProfileEvidenceShape", "violation")],
    ),
    "dimension scored twice": (
        lambda: replace(
            "[ ja:qualityDimension ex:clarity ; ja:score 4 ]",
            "[ ja:qualityDimension ex:clarity ; ja:score 4 ] , [ ja:qualityDimension ex:clarity ; ja:score 5 ]",
        ),
        [("ex:profileA1", "jash:ProfileEvidenceShape", "violation")],
    ),
    "pass threshold above the scale": (
        lambda: replace("ja:passThreshold 4 .", "ja:passThreshold 6 ."),
        [
            ("ex:policy", "jash:QualityPolicyShape/ja:passThreshold", "violation"),  # and every score now fails
            ("ex:profileA1", "jash:ProfileEvidenceShape", "violation"),
            ("ex:profileA1", "jash:ProfileEvidenceShape", "violation"),
        ],
    ),
    "mapping code not in the scheme's form": (
        lambda: replace('ja:mappedCode "51-1011" ;', 'ja:mappedCode "51-1011.00" ;'),
        [("ex:profileA1 ja:classificationMapping []", "jash:MappingShape", "violation")],
    ),
    "mapping without source": (
        lambda: replace('        ja:mappingSource "curator" ;\n', ""),
        [("ex:profileA1 ja:classificationMapping []", "jash:MappingShape/ja:mappingSource", "violation")],
    ),
    "mapping confidence above 1": (
        lambda: replace("ja:confidence 0.9", "ja:confidence 1.5"),
        [("ex:profileA1 ja:classificationMapping []", "jash:MappingShape/ja:confidence", "violation")],
    ),
    "mapped occupation not linked with SKOS": (
        lambda: replace("    ] ;\n    skos:closeMatch soc:51-1011 .", "    ] ."),
        [("ex:profileA1 ja:classificationMapping []", "jash:MappingLinkShape", "warning")],
    ),
    "weights do not sum to 1": (
        lambda: replace("ja:levelWeight 0.5 ;", "ja:levelWeight 0.4 ;"),
        [("ex:adjacency", "jash:AdjacencyModelShape", "violation")],
    ),
    "a skill weight on top of weights that sum to 1": (
        lambda: replace("ja:levelWeight 0.5 ;", "ja:levelWeight 0.5 ;\n    ja:skillWeight 0.2 ;"),
        [("ex:adjacency", "jash:AdjacencyModelShape", "violation")],
    ),
    "skill weight above 1": (
        lambda: replace(
            "ja:taxonomyWeight 0.5 ;\n    ja:levelWeight 0.5 ;",
            "ja:taxonomyWeight 0 ;\n    ja:levelWeight -0.5 ;\n    ja:skillWeight 1.5 ;",
        ),
        [
            ("ex:adjacency", "jash:AdjacencyModelShape/ja:levelWeight", "violation"),
            ("ex:adjacency", "jash:AdjacencyModelShape/ja:skillWeight", "violation"),
        ],
    ),
    "band thresholds not increasing": (
        lambda: replace("ja:order 2 ; ja:maxDistance 0.6 .", "ja:order 2 ; ja:maxDistance 0.2 ."),
        [("ex:adjacency", "jash:AdjacencyModelShape", "violation")],
    ),
    "score that is not an integer": (
        lambda: replace(
            "[ ja:qualityDimension ex:accuracy ; ja:score 5 ]", '[ ja:qualityDimension ex:accuracy ; ja:score "high" ]'
        ),
        [
            (
                "ex:profileA1 ja:qualityAssessment [] ja:dimensionScore []",
                "jash:DimensionScoreShape/ja:score",
                "violation",
            )
        ],
    ),
    "assessment without scores": (
        lambda: MINIMAL.replace(
            "    ja:status ja:Draft ;\n",
            "    ja:status ja:Draft ;\n    ja:qualityAssessment [ a ja:QualityAssessment ] ;\n",
        ),
        [("ex:profileB2 ja:qualityAssessment []", "jash:QualityAssessmentShape/ja:dimensionScore", "violation")],
    ),
    "architecture without a name": (
        lambda: replace('    skos:prefLabel "Minimal"@en ;\n', ""),
        [("ex:arch", "jash:ArchitectureShape/skos:prefLabel", "violation")],
    ),
    "adjacency outside 0 to 1": (
        lambda: (
            MINIMAL
            + "\nex:adj1 a ja:Adjacency ; ja:fromProfile ex:profileA1 ; ja:toProfile ex:profileB2 ; ja:distance 1.4 ; ja:band ex:far .\n"
        ),
        [("ex:adj1", "jash:AdjacencyShape/ja:distance", "violation")],
    ),
    "two bands instead of three": (
        lambda: replace("ja:matchBand ex:near, ex:mid, ex:far .", "ja:matchBand ex:near, ex:mid ."),
        [
            ("ex:adjacency", "jash:AdjacencyModelShape", "violation"),
            ("ex:adjacency", "jash:AdjacencyModelShape", "violation"),
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES), ids=lambda c: c.replace(" ", "-"))
def test_shape_violation(tmp_path, case):
    mutate, expected = CASES[case]
    findings, text = run(tmp_path, mutate())
    got = sorted((f.focus_label, f.shape, f.severity) for f in findings)
    assert got == sorted(expected), "\n".join(f"{f.focus_label} {f.shape} {f.severity}: {f.message}" for f in findings)
    for f in findings:
        assert f.location is not None and f.location.path.name == "arch.ttl"
        if f.focus_label in ("ex:skill-z",):  # used but never defined: the line that uses it
            assert "ex:skill-z" in text.splitlines()[f.location.line - 1]
        elif f.focus_label != "ex:elsewhere":
            assert f.location.line == subject_line(text, f.focus_label), f
        assert f.message and "{?" not in f.message and "{$" not in f.message


def test_messages_say_how_to_fix(tmp_path):
    findings, _ = run(tmp_path, CASES["mapping code not in the scheme's form"][0]())
    assert '"51-1011.00" is not a O*NET / SOC code' in findings[0].message
    findings, _ = run(tmp_path, CASES["source not defined"][0]())
    assert "ex:elsewhere is not a defined ja:Source" in findings[0].message
