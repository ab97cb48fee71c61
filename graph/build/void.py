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
DESCRIPTION_ZH = "根据《中国职业教育发展报告》构建的开放关联数据知识图谱，每个事实附有原文证据。"
VOCABULARIES = (VET._NS, ORG, SKOS, PROV, QB, DCTERMS, SCHEMA)


def dataset_version() -> str:
    from vetkg import __version__

    return __version__


def dataset_description(entities: int, sources: list[URIRef]) -> list[tuple]:
    """The description of a dataset of ``entities`` entities, citing ``sources``.

    The count of triples is left out: ``triple_count`` makes it once the whole graph, this
    description with it, is counted. Nothing here depends on the clock, so the description
    does not break byte-identical builds.
    """
    triples = [(DATASET, RDF.type, DCAT.Dataset), (DATASET, RDF.type, VOID.Dataset),
               (DATASET, DCTERMS.title, Literal("中国职业教育知识图谱", lang="zh")),
               (DATASET, DCTERMS.title,
                Literal("vetkg: a knowledge graph of China's vocational education", lang="en")),
               (DATASET, DCTERMS.description, Literal(DESCRIPTION_ZH, lang="zh")),
               (DATASET, DCTERMS.description, Literal(
                   "An open linked-data knowledge graph of China's vocational education and training, built "
                   "from the China Vocational Education Development Report, with verbatim evidence for every "
                   "fact.", lang="en")),
               (DATASET, DCTERMS.license, LICENCE),
               (DATASET, OWL.versionInfo, Literal(dataset_version())),
               (DATASET, DCAT.version, Literal(dataset_version())),
               (DATASET, DCTERMS.issued, Literal(ISSUED, datatype=XSD.date)),
               (DATASET, DCTERMS.modified, Literal(MODIFIED, datatype=XSD.date)),
               *_credit(),
               (DATASET, VOID.entities, Literal(entities, datatype=XSD.integer)),
               (DATASET, VOID.uriSpace, Literal(str(VKG))),
               (DATASET, VOID.exampleResource, VKG.moe)]
    triples += [(DATASET, VOID.vocabulary, URIRef(str(vocabulary))) for vocabulary in VOCABULARIES]
    triples += [(DATASET, DCTERMS.source, source) for source in sources]
    triples += [(DATASET, DCAT.keyword, Literal(keyword, lang=lang))
                for keyword, lang in (("职业教育", "zh"), ("vocational education", "en"), ("China", "en"))]
    return triples


def triple_count(triples: int) -> tuple:
    """The last triple of the description: how many triples the graph has, this one with them."""
    return (DATASET, VOID.triples, Literal(triples, datatype=XSD.integer))


def _credit() -> list[tuple]:
    """Who publishes and makes the dataset, and where to reach them: the project's page."""
    makers = BNode("vetkg-contributors")
    contact = BNode("vetkg-contact")
    return [(DATASET, DCTERMS.publisher, makers), (DATASET, DCTERMS.creator, makers),
            (makers, RDF.type, URIRef("http://xmlns.com/foaf/0.1/Organization")),
            (makers, URIRef("http://xmlns.com/foaf/0.1/name"), Literal("vetkg contributors")),
            (makers, URIRef("http://xmlns.com/foaf/0.1/homepage"), HOMEPAGE),
            (DATASET, DCAT.landingPage, HOMEPAGE),
            (DATASET, DCAT.contactPoint, contact), (contact, RDF.type, VCARD.Kind),
            (contact, VCARD.fn, Literal("vetkg contributors")), (contact, VCARD.hasURL, HOMEPAGE)]




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
