"""Turn typed rows into triples, following the column mapping declared in ``vetkg.build.schema``."""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

from vetkg.build.kinds import cell_terms, entity_iri
from vetkg.build.register_triples import register_row_triples
from vetkg.build.registers import Registers
from vetkg.build.rows import Row, Tables
from vetkg.build.schema import LINK_TARGETS, TABLES, RowsAre
from vetkg.namespaces import VET

Triple = tuple[URIRef, URIRef, object]


def link_triples(row: Row) -> list[Triple]:
    """The link, and the English name and acronyms that the linked record gives the entity."""
    (entity,) = row.values["entity"]
    subject = entity_iri(entity)
    target = LINK_TARGETS[row.values["target"]]
    triples = [(subject, target.predicate, target.term(row.values["identifier"]))]
    if row.values["name"]:
        triples.append((subject, SKOS.prefLabel, Literal(row.values["name"], lang="en")))
    triples += [(subject, SKOS.altLabel, Literal(acronym, lang="en"))
                for acronym in row.values["acronyms"] or ()]
    return triples


def row_triples(row: Row, registers: Registers | None = None) -> list[Triple]:
    """All triples of one row; a register row needs the registers resolved."""
    table = TABLES[row.table]
    if table.rows_are is RowsAre.REGISTER:
        return register_row_triples(row, registers)
    if table.rows_are is RowsAre.MAPPING:
        # The mapping tables make no triples of their own: they resolve the registers' strings.
        return []
    if table.rows_are is RowsAre.LINK:
        return link_triples(row)
    subject = entity_iri(row.key)
    triples: list[Triple] = []
    if table.rows_are is RowsAre.ENTITY:
        triples.append((subject, RDF.type, table.rdf_type or VET[row.values["class"]]))
        triples += [(subject, predicate, obj) for predicate, obj in table.constants]
    for column in table.columns:
        value = row.values[column.name]
        if value is None or column.predicate is None:
            continue
        triples += [(subject, column.predicate, term) for term in cell_terms(column, value)]
    return triples


def map_rows(tables: Tables) -> Iterator[tuple[Row, list[Triple]]]:
    """Each row with its triples, in table order."""
    for row in tables:
        yield row, row_triples(row, tables.registers)
