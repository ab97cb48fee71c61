"""The dataset's own description in VoID and DCAT: title, licence, version, size, sources.

A server adds where its dumps are, with their checksums.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, QB, RDF, SKOS, XSD

from vetkg.build.writing import MANIFEST
from vetkg.namespaces import DCAT, ORG, SCHEMA, VET, VKG, VOID

DATASET = VKG.vetkg
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
HOMEPAGE = URIRef("https://w3id.org/vetkg")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
# The first build, and the release of this version (CITATION.cff's date-released, which a test
# holds to it): dates of the project, not of the clock, so that builds stay byte-identical.
ISSUED = "2026-11-29"
MODIFIED = "2026-12-06"
VOCABULARIES = (VET._NS, ORG, SKOS, PROV, QB, DCTERMS, SCHEMA)


def dataset_version() -> str:
    from vetkg import __version__

    return __version__


def describe_dataset(graph: Graph) -> Graph:
    """Add the description of the dataset to ``graph`` and return it.

    ``void:triples`` counts the whole graph, the description with it, so that it is the
    number a store of the graph gives. Nothing here depends on the clock, so the description
    does not break byte-identical builds.
    """
    entities = {s for s in graph.subjects(RDF.type) if str(s).startswith(str(VKG))}
    add = graph.add
    add((DATASET, RDF.type, DCAT.Dataset))
    add((DATASET, RDF.type, VOID.Dataset))
    add((DATASET, DCTERMS.title, Literal("中国职业教育知识图谱", lang="zh")))
    title = "vetkg: a knowledge graph of China's vocational education"
    add((DATASET, DCTERMS.title, Literal(title, lang="en")))
    add((DATASET, DCTERMS.description, Literal(
        "根据《中国职业教育发展报告》构建的开放关联数据知识图谱，每个事实附有原文证据。", lang="zh")))
    add((DATASET, DCTERMS.description, Literal(
        "An open linked-data knowledge graph of China's vocational education and training, built "
        "from the China Vocational Education Development Report, with verbatim evidence for every "
        "fact.", lang="en")))
    add((DATASET, DCTERMS.license, LICENCE))
    add((DATASET, OWL.versionInfo, Literal(dataset_version())))
    add((DATASET, DCAT.version, Literal(dataset_version())))
    add((DATASET, DCTERMS.issued, Literal(ISSUED, datatype=XSD.date)))
    add((DATASET, DCTERMS.modified, Literal(MODIFIED, datatype=XSD.date)))
    _credit(graph)
    add((DATASET, VOID.entities, Literal(len(entities), datatype=XSD.integer)))
    add((DATASET, VOID.uriSpace, Literal(str(VKG))))
    add((DATASET, VOID.exampleResource, VKG.moe))
    for vocabulary in VOCABULARIES:
        add((DATASET, VOID.vocabulary, URIRef(str(vocabulary))))
    for row_subject in graph.subjects(RDF.type, VET.Source):
        add((DATASET, DCTERMS.source, row_subject))
    for keyword, lang in (("职业教育", "zh"), ("vocational education", "en"), ("China", "en")):
        add((DATASET, DCAT.keyword, Literal(keyword, lang=lang)))
    # The last triple: the count, which counts itself.
    add((DATASET, VOID.triples, Literal(len(graph) + 1, datatype=XSD.integer)))
    return graph


def _credit(graph: Graph) -> None:
    """Who publishes and makes the dataset, and where to reach them: the project's page."""
    makers = BNode("vetkg-contributors")
    contact = BNode("vetkg-contact")
    for triple in ((DATASET, DCTERMS.publisher, makers), (DATASET, DCTERMS.creator, makers),
                   (makers, RDF.type, URIRef("http://xmlns.com/foaf/0.1/Organization")),
                   (makers, URIRef("http://xmlns.com/foaf/0.1/name"), Literal("vetkg contributors")),
                   (makers, URIRef("http://xmlns.com/foaf/0.1/homepage"), HOMEPAGE),
                   (DATASET, DCAT.landingPage, HOMEPAGE),
                   (DATASET, DCAT.contactPoint, contact), (contact, RDF.type, VCARD.Kind),
                   (contact, VCARD.fn, Literal("vetkg contributors")), (contact, VCARD.hasURL, HOMEPAGE)):
        graph.add(triple)




SPDX = Namespace("http://spdx.org/rdf/terms#")
# The exports of ``vetkg build``; vetkg.context.jsonld is their JSON-LD context, not a dump.
DUMP_NAMES = ("vetkg.ttl", "vetkg.nt", "vetkg.jsonld", "vetkg.trig")
DUMP_MEDIA = {".ttl": "text/turtle", ".nt": "application/n-triples", ".jsonld": "application/ld+json",
              ".trig": "application/trig"}


@dataclass(frozen=True)
class Dump:
    """A file of the built graph that a server offers for download, with its SHA-256."""

    name: str
    sha256: str
    size: int

    @property
    def media_type(self) -> str:
        return DUMP_MEDIA[Path(self.name).suffix]


def read_dumps(site_dir: Path) -> list[Dump]:
    """The graph's dumps that a build wrote, with the checksums of its SHA256SUMS manifest."""
    manifest = site_dir / MANIFEST
    if not manifest.is_file():
        return []
    dumps = []
    for line in manifest.read_text("utf-8").splitlines():
        checksum, _, name = line.partition("  ")
        if name in DUMP_NAMES and (site_dir / name).is_file():
            dumps.append(Dump(name, checksum, (site_dir / name).stat().st_size))
    return sorted(dumps, key=lambda dump: dump.name)


def add_distributions(description: Graph, base_url: str, dumps: list[Dump]) -> Graph:
    """State where the dumps are: one dcat:Distribution each, with its size and SHA-256."""
    description.bind("spdx", SPDX)
    for dump in dumps:
        url = URIRef(f"{base_url}/dumps/{dump.name}")
        checksum = BNode(f"sha256-{dump.sha256}")
        description.add((DATASET, VOID.dataDump, url))
        description.add((DATASET, DCAT.distribution, url))
        description.add((url, RDF.type, DCAT.Distribution))
        description.add((url, DCAT.downloadURL, url))
        description.add((url, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{dump.media_type}")))
        description.add((url, DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)))
        description.add((url, SPDX.checksum, checksum))
        description.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        description.add((checksum, SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary)))
    return description
