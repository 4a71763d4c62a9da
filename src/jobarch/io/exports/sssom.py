"""``export sssom``: the classification mappings as an SSSOM TSV with its metadata header."""

from __future__ import annotations

from ...core.namespaces import JA, SEMAPV, SKOS
from ...store import Store
from ..csv_layout import tsv_cell
from .rows import profile_records

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
    for r in profile_records(store):
        subject_prefix = "japrofile"
        bases[subject_prefix] = (
            r.iri[: len(r.iri) - len(r.code)] if r.iri.endswith(r.code) else r.iri.rsplit("/", 1)[0] + "/"
        )
        for m in r.mappings:
            if not m.concept:
                continue
            prefix = (m.scheme.rsplit("#", 1)[-1] if "#" in m.scheme else "scheme").lower()
            bases.setdefault(
                prefix, m.concept[: len(m.concept) - len(m.code)] if m.concept.endswith(m.code) else m.concept
            )
            predicate = SSSOM_PREDICATES.get(m.relation, "skos:closeMatch")
            justification = (
                "semapv:ManualMappingCuration" if m.source not in ("", "synth") else "semapv:UnspecifiedMatching"
            )
            lines.append(
                [
                    f"{subject_prefix}:{r.code}",
                    r.title,
                    predicate,
                    f"{prefix}:{m.code}",
                    justification,
                    m.confidence,
                    m.source,
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
        "mapping_tool",  # the mapping's ja:mappingSource: the tool or crosswalk that produced it
    ]
    body = ["\t".join(columns)] + ["\t".join(tsv_cell(c) for c in line) for line in sorted(lines)]
    return "\n".join(header + body) + "\n"
