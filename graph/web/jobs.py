"""The server's jobs: pages and answers made from the store inside a worker of the pool.

Each job takes the worker's read-only store and returns an Answer, or for an entity page
the values that the server's template shows. Nothing here runs in an HTTP thread.
"""

from __future__ import annotations

import functools
import json
from collections import Counter

import pyoxigraph
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from vetkg.build.graph import load_ontology
from vetkg.build.schema import LINK_TARGETS
from vetkg.build.void import DATASET, Dump, add_distributions
from vetkg.curation.reconciliation import (
    ReconcileError,
    extend,
    reconcile,
    suggest,
    type_id,
    with_default_types,
)
from vetkg.curation.search import NameIndex
from vetkg.namespaces import CC, DCAT, PREFIX_CONTEXT, VKG, VOID, bind_prefixes
from vetkg.query import catalogue
from vetkg.query.catalogue import fill_page, fill_values
from vetkg.query.pool import GRAPH_FORMATS, Answer, Jobs, plain
from vetkg.query.results import from_oxigraph
from vetkg.query.store import run_query
from vetkg.views import browse
from vetkg.views.charts import load_series, render_svg
from vetkg.views.site import catalogue_page, map_page, network_download, network_page, ontology_page

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
        yield subject, URIRef(quad.predicate.value), from_oxigraph(quad.object)


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


# How many entities of one relation an entity page lists at a time; the rest are paged.
RELATION_PAGE = 50


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


def entity_page(store: pyoxigraph.Store, identifier: str, relation: str = "", page: int = 1) -> dict | None:
    """What an entity's page shows: labels, its links each way by relation, figures and charts.

    Each relation shows RELATION_PAGE entities at a time; ``relation`` ("in" or "out", a
    space and the relation's IRI) and ``page`` choose the page of one of them. None if the
    entity is unknown.
    """
    iri = VKG[identifier]
    statements = list(_about(store, iri))
    if not statements:
        return None
    sections = {}
    for name, text in _page_queries().items():
        # A VALUES block, not a substitution, which Oxigraph applies only after the joins.
        table = run_query(store, fill_values(text, "entity", [iri]))
        sections[name] = table.plain_records()
    labels = {label.language: str(label) for _, predicate, label in statements
              if predicate == SKOS.prefLabel}
    alternatives = sorted(str(label) for _, predicate, label in statements
                          if predicate == SKOS.altLabel)
    links = _links_out(statements)
    chosen = (relation, page)
    return {"iri": str(iri), "id": identifier, "labels": labels, "alt_labels": alternatives,
            "links": links, "sections": sections, "charts": _charts(store, iri), "page_size": RELATION_PAGE,
            "outgoing": _by_relation(sections.pop("entity-statements"), "object", "out", chosen),
            "incoming": _incoming(store, iri, chosen),
            "link_names": {link["iri"]: f"{link['title']} {link['identifier']}" for link in links}}


def _by_relation(rows: list[dict], other: str, direction: str, chosen: tuple[str, int]) -> list[dict]:
    """An entity's links one way, grouped by relation, each with its count and one page of rows.

    A province is the place of hundreds of schools and a level the level of thousands: a
    group shows RELATION_PAGE of them, the first page unless ``chosen`` (relation, page)
    names another. ``other`` is the column of the entity at the other end.
    """
    groups: dict[str, dict] = {}
    for row in rows:
        key = f"{direction} {row['predicate']}"
        group = groups.setdefault(key, {
            "key": key, "predicate": row["predicate"], "zh": row["predicateZh"], "en": row["predicateEn"],
            "all": []})
        group["all"].append({"iri": row[other], "zh": row[f"{other}Zh"], "en": row[f"{other}En"]})
    for group in groups.values():
        every = group.pop("all")
        shown, page, pages = browse.paged(every, chosen[1] if chosen[0] == group["key"] else 1, RELATION_PAGE)
        group.update(count=len(every), page=page, pages=pages, rows=shown)
    return list(groups.values())


def _incoming(store: pyoxigraph.Store, iri: URIRef, chosen: tuple[str, int]) -> list[dict]:
    """The links into an entity, grouped by relation: each relation's count and one page of rows.

    Only the page is read, so an indicator that a national register's figures point to costs
    a count and RELATION_PAGE rows.
    """
    groups = []
    counts = fill_values(catalogue.text("pages/incoming-counts"), "entity", [iri])
    for row in run_query(store, counts).plain_records():
        key, count = f"in {row['predicate']}", int(row["count"])
        pages = max(1, -(-count // RELATION_PAGE))
        page = min(max(chosen[1] if chosen[0] == key else 1, 1), pages)
        query = fill_values(fill_values(catalogue.text("pages/incoming-page"), "entity", [iri]),
                            "predicate", [URIRef(row["predicate"])])
        rows = run_query(store, fill_page(query, RELATION_PAGE, (page - 1) * RELATION_PAGE)).plain_records()
        groups.append({"key": key, "predicate": row["predicate"], "zh": row["predicateZh"],
                       "en": row["predicateEn"], "count": count, "page": page, "pages": pages,
                       "rows": [{"iri": each["subject"], "zh": each["subjectZh"], "en": each["subjectEn"]}
                                for each in rows]})
    return groups


# The browsable exports: what the page is called, its rows' query and their facets.
BROWSABLE = {"institutions": ("exports/institutions", browse.INSTITUTIONS),
             "entities": ("exports/entities", browse.ENTITIES)}


@functools.lru_cache(maxsize=len(BROWSABLE))
def _rows(store: pyoxigraph.Store, name: str) -> tuple[list[str], list[dict]]:
    """The columns and rows of one of the CSV exports, kept: the worker's store is read-only."""
    table = run_query(store, catalogue.text(BROWSABLE[name][0]))
    return table.variables, browse.prepared(table.plain_records())


def browse_page(store: pyoxigraph.Store, name: str, chosen: dict[str, str], sort: str, page: int) -> dict:
    """What /institutions or /browse shows for a selection: facets with counts, and a page of rows."""
    return browse.browse(BROWSABLE[name][1], _rows(store, name)[1], chosen, sort, page)


def browse_download(store: pyoxigraph.Store, name: str, chosen: dict[str, str], sort: str,
                    output: str) -> Answer:
    """Every row of a selection, in the columns of its CSV export, as CSV or JSON."""
    columns, rows = _rows(store, name)
    selected = browse.sorted_selection(BROWSABLE[name][1], rows, chosen, sort)
    if output == "csv":
        return Answer(200, "text/csv; charset=utf-8", browse.as_csv(selected, columns).encode("utf-8"))
    return Answer(200, "application/json; charset=utf-8", browse.as_json(selected, columns).encode("utf-8"))


def _links_out(statements) -> list[dict]:
    """The entity's links to other datasets, each with the dataset's name and the identifier."""
    links = []
    for _, predicate, value in statements:
        for target in LINK_TARGETS.values():
            if predicate != target.predicate:
                continue
            identifier = target.identifier_of(str(value)) if target.iri_format else str(value)
            if identifier:
                links.append({"title": target.title, "identifier": identifier,
                              "iri": str(value) if target.iri_format else ""})
    return sorted(links, key=lambda link: (link["title"], link["identifier"]))


def ontology_graph(store: pyoxigraph.Store, graph_format: str) -> Answer:
    """The ontology and its concept schemes, as the files state them."""
    return rdf_answer(load_ontology(), graph_format)


def _served_description(store: pyoxigraph.Store, base_url: str, dumps: list[Dump]) -> Graph:
    description = Graph()
    for triple in _about(store, DATASET):
        description.add(triple)
    if base_url:
        description.add((DATASET, VOID.sparqlEndpoint, URIRef(f"{base_url}/sparql")))
    return add_distributions(description, base_url, dumps)


def void_description(store: pyoxigraph.Store, base_url: str, graph_format: str,
                     dumps: list[Dump] = ()) -> Answer:
    """The VoID and DCAT description of the dataset, with this endpoint's address and dumps."""
    return rdf_answer(_served_description(store, base_url, list(dumps)), graph_format)


def dataset_values(store: pyoxigraph.Store, base_url: str, dumps: list[Dump]) -> dict:
    """What the dataset page shows: the description's values, its sources, and the dumps."""
    description = _served_description(store, base_url, dumps)

    def by_language(subject, predicate, graph=description):
        return {value.language or "": str(value) for value in graph.objects(subject, predicate)}

    sources = []
    for source in sorted(description.objects(DATASET, DCTERMS.source)):
        about = Graph()
        for triple in _about(store, source):
            about.add(triple)
        sources.append({"id": str(source)[len(str(VKG)):],
                        "labels": by_language(source, SKOS.prefLabel, about),
                        "licence": str(about.value(source, DCTERMS.license) or ""),
                        "attribution": str(about.value(source, CC.attributionName) or "")})
    return {"titles": by_language(DATASET, DCTERMS.title),
            "descriptions": by_language(DATASET, DCTERMS.description),
            "licence": str(description.value(DATASET, DCTERMS.license)),
            "version": str(description.value(DATASET, DCAT.version)),
            "triples": int(description.value(DATASET, VOID.triples)),
            "entities": int(description.value(DATASET, VOID.entities)),
            "endpoint": str(description.value(DATASET, VOID.sparqlEndpoint) or ""),
            "sources": sources, "dumps": dumps, "base_url": base_url}


# A search counts the classes of at most this many matches, the best.
SEARCH_FACETED = 2000


@functools.lru_cache(maxsize=1)
def name_index(store: pyoxigraph.Store) -> NameIndex:
    """The index of names, built once and kept: the store is read-only.

    The query lane's forker builds it before it forks a worker, so every worker shares it.
    """
    return NameIndex(store)


def search_results(store: pyoxigraph.Store, text: str, limit: int, types: frozenset[str]) -> dict:
    """The matches of a search, the count of every match's class, and the types to narrow to.

    A match is plain values: id, labels, class names, score and the name that matched.
    """
    index = name_index(store)
    found = index.search(text, SEARCH_FACETED, types) if text else []
    counts = Counter(class_ for match in found for class_ in match.entity.direct)
    facets = [{"id": type_id(class_), "name": index.type_name(class_), "count": count}
              for class_, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
    matches = [{"id": match.entity.id, "iri": match.entity.iri, "zh": match.entity.zh,
                "en": match.entity.en, "score": match.score, "name": match.name,
                "types": [index.type_name(class_) for class_ in sorted(match.entity.direct)]}
               for match in found[:limit]]
    return {"results": matches, "count": len(found), "facets": facets,
            "types": with_default_types({}, index)["defaultTypes"]}


def preview_values(store: pyoxigraph.Store, identifier: str) -> dict | None:
    """What a reconciliation preview shows of an entity; None if the index has no such id."""
    index = name_index(store)
    entity = index.entities.get(str(VKG[identifier]))
    if entity is None:
        return None
    places = sorted(index.entities[place].zh for place in entity.provinces | entity.locations
                    if place in index.entities)
    return {"iri": entity.iri, "zh": entity.zh, "en": entity.en, "code": entity.code,
            "places": places, "types": [index.type_name(class_) for class_ in sorted(entity.direct)]}


def _json(status: int, document) -> Answer:
    return Answer(status, "application/json; charset=utf-8",
                  json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def reconcile_job(store: pyoxigraph.Store, queries) -> Answer:
    """A batch of reconciliation queries, or 400 saying what in it breaks the specification."""
    try:
        return _json(200, reconcile(name_index(store), queries))
    except ReconcileError as error:
        return _json(400, {"error": str(error)})


def suggest_job(store: pyoxigraph.Store, kind: str, prefix: str, cursor: int) -> Answer:
    try:
        return _json(200, suggest(name_index(store), kind, prefix, cursor))
    except ReconcileError as error:
        return _json(400, {"error": str(error)})


def extend_job(store: pyoxigraph.Store, request) -> Answer:
    """Data extension: the asked values of each id, from the institutions' rows and the index."""
    rows = {row["iri"][len(str(VKG)):]: row for row in _rows(store, "institutions")[1]}
    try:
        return _json(200, extend(rows, name_index(store), request))
    except ReconcileError as error:
        return _json(400, {"error": str(error)})


def reconcile_manifest(store: pyoxigraph.Store, document: dict) -> Answer:
    return _json(200, with_default_types(document, name_index(store)))


# What the query lane's workers do besides SPARQL: pages that read a bounded part of the
# graph. The name index is built once, before the workers are forked, and shared by them.
QUERY_JOBS = Jobs((describe_entity, entity_page, void_description, search_results, reconcile_job, suggest_job,
                   extend_job, reconcile_manifest, preview_values, ontology_graph, dataset_values),
                  on_start=name_index)
# What the view lane's workers do: pages drawn from a view, the register or the whole ontology.
VIEW_JOBS = Jobs((network_page, network_download, ontology_page, map_page, catalogue_page, browse_page,
                  browse_download))
