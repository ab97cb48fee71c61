"""The endpoint's pages, made from the store inside a worker (``vetkg.execution``).

Each job takes the worker's read-only store and returns an Answer, or for an entity page
the values that the server's template shows. Nothing here runs in an HTTP thread.
"""

from __future__ import annotations

import functools

import pyoxigraph
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, SKOS

from vetkg import catalogue
from vetkg.catalogue import fill_values
from vetkg.charts import load_series, render_svg
from vetkg.execution import GRAPH_FORMATS, Answer, plain
from vetkg.namespaces import PREFIX_CONTEXT, VKG, VOID, bind_prefixes
from vetkg.site import network_page
from vetkg.store import _from_oxigraph, run_query
from vetkg.void import DATASET

SERIALIZERS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld"}
# A chart of more lines than this cannot be read; queries/pages/scopes-of-series.rq asks for one more.
CHART_LINES_UP_TO = 24


def rdf_answer(graph: Graph, graph_format: str) -> Answer:
    body = bind_prefixes(graph).serialize(
        format=SERIALIZERS[graph_format],
        **({"context": PREFIX_CONTEXT, "auto_compact": True} if graph_format == "jsonld" else {}),
    )
    return Answer(200, f"{GRAPH_FORMATS[graph_format][0]}; charset=utf-8",
                  body.encode("utf-8") if isinstance(body, str) else body)


def _about(store: pyoxigraph.Store, subject: URIRef):
    for quad in store.quads_for_pattern(pyoxigraph.NamedNode(str(subject)), None, None):
        yield subject, URIRef(quad.predicate.value), _from_oxigraph(quad.object)


def describe_entity(store: pyoxigraph.Store, identifier: str, graph_format: str) -> Answer:
    """The entity's own triples and those of its evidence, or 404."""
    iri = VKG[identifier]
    description = Graph()
    for triple in _about(store, iri):
        description.add(triple)
    if not len(description):
        return plain(404, f"no entity {iri}")
    for evidence in list(description.objects(iri, PROV.wasDerivedFrom)):
        for triple in _about(store, evidence):
            description.add(triple)
    return rdf_answer(description, graph_format)


@functools.cache
def _page_queries() -> dict[str, str]:
    return {query.name: query.text for query in catalogue.group("pages", "entity-*.rq")}


def _charts(store: pyoxigraph.Store, iri: URIRef) -> list[str]:
    """The charts of the series the entity is the dataset, the indicator or a scope of.

    A series of more than CHART_LINES_UP_TO scopes is not charted: its lines could not be
    read, and the page's table of observations holds the entity's own figures.
    """
    of_entity = fill_values(catalogue.text("pages/series-of-entity"), "entity", [iri])
    scopes_of_series = catalogue.text("pages/scopes-of-series")
    charts = []
    for dataset, indicator in run_query(store, of_entity).plain_rows():
        scopes = fill_values(fill_values(scopes_of_series, "dataset", [URIRef(dataset)]),
                             "indicator", [URIRef(indicator)])
        if len(run_query(store, scopes)) <= CHART_LINES_UP_TO:
            charts += [render_svg(series) for series in load_series(store, {dataset}, {indicator})]
    return charts


def entity_page(store: pyoxigraph.Store, identifier: str) -> dict | None:
    """What an entity's page shows: labels, its sections' rows and its charts; None if unknown."""
    iri = VKG[identifier]
    statements = list(_about(store, iri))
    if not statements:
        return None
    sections = {}
    for name, text in _page_queries().items():
        # A VALUES block, not a substitution, which Oxigraph applies only after the joins.
        table = run_query(store, fill_values(text, "entity", [iri]))
        sections[name] = [dict(zip(table.variables, row, strict=True)) for row in table.plain_rows()]
    labels = {label.language: str(label) for _, predicate, label in statements
              if predicate == SKOS.prefLabel}
    return {"iri": str(iri), "labels": labels, "sections": sections, "charts": _charts(store, iri)}


def void_description(store: pyoxigraph.Store, base_url: str, graph_format: str) -> Answer:
    """The VoID and DCAT description of the dataset, with this endpoint's address."""
    description = Graph()
    for triple in _about(store, DATASET):
        description.add(triple)
    if base_url:
        description.add((DATASET, VOID.sparqlEndpoint, URIRef(f"{base_url}/sparql")))
    return rdf_answer(description, graph_format)


JOBS = {"describe": describe_entity, "entity": entity_page, "network": network_page,
        "void": void_description}
