"""``export sssom``: the classification mappings as an SSSOM TSV with its metadata header."""

from __future__ import annotations

from ...core.namespaces import JA, SEMAPV, SKOS
from ...query import internal
from ...store import Store
from ..csv_layout import tsv_cell
from .rows import profile_records

DESCRIPTION = "the classification mappings as SSSOM TSV"
#: SSSOM's own word for "no licence stated" (a mapping set must name one; jobarch never invents one for an owner).
UNSPECIFIED_LICENSE = "https://w3id.org/sssom/license/unspecified"
SSSOM_PREDICATES = {
    "exactMatch": "skos:exactMatch",
    "closeMatch": "skos:closeMatch",
    "broadMatch": "skos:broadMatch",
    "narrowMatch": "skos:narrowMatch",
    "relatedMatch": "skos:relatedMatch",
}


class _Curies:
    """CURIEs for IRIs: one prefix per namespace (an IRI up to its last ``/`` or ``#``), named after what the
    IRIs are (``japrofile``, a scheme's name), numbered when one kind of IRI lives in several namespaces: the
    curie map expands every CURIE back to its exact IRI."""

    def __init__(self) -> None:
        self.bases: dict[str, str] = {}  # prefix -> namespace
        self._names: dict[tuple[str, str], str] = {}  # (kind, namespace) -> prefix

    def of(self, iri: str, kind: str) -> str:
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        namespace, local = iri[:cut], iri[cut:]
        prefix = self._names.get((kind, namespace))
        if prefix is None:
            taken = {p for (k, _), p in self._names.items() if k == kind}
            prefix = kind if kind not in taken else f"{kind}{len(taken) + 1}"
            self._names[(kind, namespace)] = prefix
            self.bases[prefix] = namespace
        return f"{prefix}:{local}"


def export(store: Store, mapping_set_id: str | None = None) -> str:
    """The mapping set is named after the architecture (``<its namespace>mappings.sssom.tsv``) unless
    ``mapping_set_id`` is given, and carries the licence the architecture declares (``dct:license``)."""
    curies = _Curies()
    lines = []
    for r in profile_records(store):
        subject = curies.of(r.iri, "japrofile")
        for m in r.mappings:
            if not m.concept:
                continue
            scheme = (m.scheme.rsplit("#", 1)[-1] if "#" in m.scheme else "scheme").lower()
            predicate = SSSOM_PREDICATES.get(m.relation, "skos:closeMatch")
            # a mapping jobarch's own tools made (synth, an import's link to its source) was curated by no one
            made_by_jobarch = m.source in ("", "synth") or m.source.startswith("jobarch ")
            justification = "semapv:UnspecifiedMatching" if made_by_jobarch else "semapv:ManualMappingCuration"
            lines.append(
                [subject, r.title, predicate, curies.of(m.concept, scheme), justification, m.confidence, m.source]
            )
    curie_map = {"skos": str(SKOS), "semapv": str(SEMAPV), "ja": str(JA), **curies.bases}
    architecture = store.select(internal("architecture_base"))
    namespace = str(architecture[0]["architecture"]).rsplit("/", 1)[0] + "/" if architecture else str(JA)
    licence = store.select(internal("architecture_license"))
    header = (
        ["#curie_map:"]
        + [f'#  {k}: "{v}"' for k, v in sorted(curie_map.items())]
        + [
            f'#mapping_set_id: "{mapping_set_id or namespace + "mappings.sssom.tsv"}"',
            f'#license: "{licence[0]["license"] if licence else UNSPECIFIED_LICENSE}"',
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
