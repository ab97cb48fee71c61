"""The dataset's own description in VoID and DCAT: title, licence, version, size, sources."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, QB, RDF, SKOS, XSD

from vetkg.namespaces import DCAT, ORG, SCHEMA, VET, VKG, VOID

DATASET = VKG.vetkg
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
VOCABULARIES = (VET._NS, ORG, SKOS, PROV, QB, DCTERMS, SCHEMA)


def dataset_version() -> str:
    from vetkg import __version__

    return __version__


def describe_dataset(graph: Graph) -> Graph:
    """Add the description of the dataset to ``graph`` and return it.

    ``void:triples`` counts the graph before the description is added. Nothing here depends
    on the clock, so the description does not break byte-identical builds.
    """
    triples = len(graph)
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
    add((DATASET, VOID.triples, Literal(triples, datatype=XSD.integer)))
    add((DATASET, VOID.entities, Literal(len(entities), datatype=XSD.integer)))
    add((DATASET, VOID.uriSpace, Literal(str(VKG))))
    add((DATASET, VOID.exampleResource, VKG.moe))
    for vocabulary in VOCABULARIES:
        add((DATASET, VOID.vocabulary, URIRef(str(vocabulary))))
    for row_subject in graph.subjects(RDF.type, VET.Source):
        add((DATASET, DCTERMS.source, row_subject))
    for keyword, lang in (("职业教育", "zh"), ("vocational education", "en"), ("China", "en")):
        add((DATASET, DCAT.keyword, Literal(keyword, lang=lang)))
    return graph


