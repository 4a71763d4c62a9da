"""``export sssom``: the classification mappings as an SSSOM TSV with its metadata header."""

from __future__ import annotations

from ...core.namespaces import JA, SEMAPV, SKOS
from ...graph.terms import text
from ...store import Store
from .rows import ordered, profile_rows

DESCRIPTION = "the classification mappings as SSSOM TSV"
MAPPING_SET_ID = "https://w3id.org/jobarch/mappings/architecture.sssom.tsv"
SSSOM_PREDICATES = {
    "exactMatch": "skos:exactMatch",
    "closeMatch": "skos:closeMatch",
    "broadMatch": "skos:broadMatch",
    "narrowMatch": "skos:narrowMatch",
    "relatedMatch": "skos:relatedMatch",
}


def export(store: Store, mapping_set_id: str = MAPPING_SET_ID) -> str:
    curie_map = {"skos": str(SKOS), "semapv": str(SEMAPV), "ja": str(JA)}
    bases: dict[str, str] = {}
    lines = []
    for row in profile_rows(store):
        profile_iri, code = row.values["profile"], row.values["code"]
        subject_prefix = "japrofile"
        bases[subject_prefix] = (
            profile_iri[: len(profile_iri) - len(code)]
            if profile_iri.endswith(code)
            else profile_iri.rsplit("/", 1)[0] + "/"
        )
        for r in ordered(row.lists["mapping"]):
            concept = text(r["order"])
            if not concept:
                continue
            scheme = text(r["scheme"])
            prefix = (scheme.rsplit("#", 1)[-1] if "#" in scheme else "scheme").lower()
            local = text(r["value"])
            bases.setdefault(prefix, concept[: len(concept) - len(local)] if concept.endswith(local) else concept)
            predicate = SSSOM_PREDICATES.get(text(r["relation"]).rsplit("#", 1)[-1], "skos:closeMatch")
            confidence = text(r["more"])
            lines.append(
                [
                    f"{subject_prefix}:{code}",
                    row.values["title"],
                    predicate,
                    f"{prefix}:{local}",
                    "semapv:ManualMappingCuration"
                    if text(r["extra"]) not in ("", "synth")
                    else "semapv:UnspecifiedMatching",
                    confidence,
                    text(r["extra"]),
                ]
            )
    curie_map.update(bases)
    header = (
        ["#curie_map:"]
        + [f'#  {k}: "{v}"' for k, v in sorted(curie_map.items())]
        + [
            f'#mapping_set_id: "{mapping_set_id}"',
            '#license: "https://creativecommons.org/licenses/by/4.0/"',
            '#mapping_set_description: "Classification mappings of a jobarch job architecture"',
        ]
    )
    columns = [
        "subject_id",
        "subject_label",
        "predicate_id",
        "object_id",
        "mapping_justification",
        "confidence",
        "author_label",
    ]
    body = ["\t".join(columns)] + ["\t".join(c.replace("\t", " ") for c in line) for line in sorted(lines)]
    return "\n".join(header + body) + "\n"
