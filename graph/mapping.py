"""Turn typed rows into triples, following the column mapping declared in ``vetkg.schema``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, SKOS, XSD

from vetkg.namespaces import VET, VKG
from vetkg.register_triples import register_row_triples
from vetkg.registers import Registers
from vetkg.schema import TABLES, Column
from vetkg.tables import PartialDate, Row, Tables

Triple = tuple[URIRef, URIRef, object]

# How each target dataset of data/links.csv is written: an IRI pattern or a code property.
LINK_IRIS = {
    "wikidata": (OWL.sameAs, "http://www.wikidata.org/entity/"),
    "geonames": (SKOS.exactMatch, "https://sws.geonames.org/"),
    "ror": (SKOS.exactMatch, "https://ror.org/"),
}
LINK_CODES = {
    "iso3166-1-alpha2": VET.iso3166Alpha2,
    "iso3166-1-alpha3": VET.iso3166Alpha3,
    "iso3166-2": VET.iso3166_2,
    "gbt2260": VET.gbt2260Code,
}


def entity_iri(identifier: str) -> URIRef:
    """The IRI of an entity: the vetkg id namespace plus its ASCII id."""
    return VKG[identifier]


def date_literal(value: PartialDate) -> Literal:
    if value.day is not None:
        return Literal(str(value), datatype=XSD.date)
    if value.month is not None:
        return Literal(str(value), datatype=XSD.gYearMonth)
    return Literal(str(value), datatype=XSD.gYear)


def link_triples(row: Row) -> list[Triple]:
    """The link, and the English name that the linked record gives the entity."""
    (entity,) = row.values["entity"]
    subject = entity_iri(entity)
    target, identifier = row.values["target"], row.values["identifier"]
    if target in LINK_IRIS:
        predicate, base = LINK_IRIS[target]
        suffix = "/" if target == "geonames" else ""
        triples = [(subject, predicate, URIRef(base + identifier + suffix))]
    else:
        triples = [(subject, LINK_CODES[target], Literal(identifier))]
    if row.values["name"]:
        triples.append((subject, SKOS.prefLabel, Literal(row.values["name"], lang="en")))
    return triples


def cell_objects(column: Column, value) -> Iterator[object]:
    kind = column.kind
    if column.many and kind != "ref":
        for item in value:
            yield from cell_objects(replace(column, many=False), item)
    elif kind == "ref":
        yield from (entity_iri(ref) for ref in value)
    elif kind == "label_zh":
        yield Literal(value, lang="zh")
    elif kind == "label_en":
        yield Literal(value, lang="en")
    elif kind == "date":
        yield date_literal(value)
    elif kind == "decimal":
        # Keep the report's digits (88.10 stays 88.10). Whole numbers get ".0" so that the
        # Turtle shorthand, which always carries a point, reads back as the same literal.
        text = format(value, "f")
        yield Literal(text if "." in text else f"{text}.0", datatype=XSD.decimal)
    elif kind == "integer":
        yield Literal(value)
    elif kind == "iri":
        yield URIRef(value)
    elif kind == "choice" and column.concepts:
        yield dict(column.concepts)[value]
    elif column.predicate == VET.quote:
        yield Literal(value, lang="zh")
    else:
        yield Literal(value)


def row_triples(row: Row, registers: Registers | None = None) -> list[Triple]:
    """All triples of one row; a register row needs the registers resolved."""
    table = TABLES[row.table]
    if table.rows_are == "register":
        return register_row_triples(row, registers)
    if table.rows_are == "mapping":
        # The mapping tables make no triples of their own: they resolve the registers' strings.
        return []
    if table.rows_are == "link":
        return link_triples(row)
    subject = entity_iri(row.key)
    triples: list[Triple] = []
    if table.rows_are == "entity":
        triples.append((subject, RDF.type, table.rdf_type or VET[row.values["class"]]))
        triples += [(subject, predicate, obj) for predicate, obj in table.constants]
    for column in table.columns:
        value = row.values[column.name]
        if value is None or column.predicate is None:
            continue
        triples += [(subject, column.predicate, obj) for obj in cell_objects(column, value)]
    return triples


def map_rows(tables: Tables) -> Iterator[tuple[Row, list[Triple]]]:
    """Each row with its triples, in table order."""
    for row in tables:
        yield row, row_triples(row, tables.registers)
