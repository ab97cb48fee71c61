"""The one declaration of every curated table: its columns, their types and their RDF mapping.

``data/README.md`` documents the same tables for people; a test checks that each file's
header equals the columns declared here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, QB, SKOS

from vetkg.namespaces import ORG, SCHEMA, VET, VKG

# Tables whose rows are things with labels and evidence.
ENTITY_TABLES = ("places", "organizations", "documents", "initiatives", "cooperation", "levels")
AGENTS = ("organizations", "places")


@dataclass(frozen=True)
class Column:
    """One column: its name, kind, whether it is required, and the predicate it becomes.

    Kinds: id, label_zh, label_en, text, date, decimal, integer, choice, class and ref.
    A ref names ids of the ``targets`` tables, several separated by ';' when ``many``.
    """

    name: str
    kind: str
    predicate: URIRef | None = None
    required: bool = False
    many: bool = False
    targets: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    any_script: bool = False


@dataclass(frozen=True)
class Table:
    """A curated table: its columns and the triples every row shares.

    ``rdf_type`` is the class of every row, unless a column of kind ``class`` names it;
    ``constants`` are (predicate, object) pairs added to every row.
    """

    name: str
    path: str
    columns: tuple[Column, ...]
    rdf_type: URIRef | None = None
    constants: tuple[tuple[URIRef, URIRef], ...] = ()
    key: str = "id"
    doc: str = ""
    rows_are_facts: bool = field(default=True)

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


def _id() -> Column:
    return Column("id", "id", required=True)


def _labels(any_script: bool = False) -> tuple[Column, Column]:
    return (
        Column("label_zh", "label_zh", SKOS.prefLabel, required=True, any_script=any_script),
        Column("label_en", "label_en", SKOS.prefLabel, required=True),
    )


def _evidence() -> Column:
    return Column("evidence", "ref", PROV.wasDerivedFrom, True, True, ("evidence",))


def _class(*choices: str) -> Column:
    return Column("class", "class", required=True, choices=choices)


def _ref(name, predicate, targets, required=False, many=False) -> Column:
    return Column(name, "ref", predicate, required, many, tuple(targets))


LINK_TARGETS = (
    "wikidata",
    "geonames",
    "ror",
    "iso3166-1-alpha2",
    "iso3166-1-alpha3",
    "iso3166-2",
    "gbt2260",
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "sources",
            "data/sources.csv",
            (_id(), *_labels(), Column("path", "text", VET.sourceFile, required=True)),
            rdf_type=VET.Source,
            doc="The publications and datasets that evidence quotes come from.",
        ),
        Table(
            "evidence",
            "data/evidence.csv",
            (
                _id(),
                _ref("source", DCTERMS.source, ["sources"], required=True),
                Column("locator", "text", VET.locator, required=True),
                Column("quote", "text", VET.quote, required=True),
            ),
            rdf_type=VET.Evidence,
            doc="Verbatim quotes from a source, with where they stand in it.",
        ),
        Table(
            "places",
            "data/places.csv",
            (
                _id(),
                _class(
                    "Country", "Province", "AutonomousRegion", "Municipality",
                    "SpecialAdministrativeRegion", "City", "KeyRegion",
                ),
                *_labels(),
                _ref("within", SCHEMA.containedInPlace, ["places"]),
                _evidence(),
            ),
            doc="Countries, provincial-level divisions, cities and key regions.",
        ),
        Table(
            "organizations",
            "data/organizations.csv",
            (
                _id(),
                _class(
                    "GovernmentBody", "PartyBody", "PublicInstitution", "ResearchInstitution",
                    "SocialOrganisation", "SteeringCommittee", "EducationalInstitution",
                    "University", "VocationalInstitution", "SecondaryVocationalSchool",
                    "TechnicalSchool", "HigherVocationalCollege", "VocationalUniversity",
                    "Company", "Industry", "InternationalOrganisation", "Alliance",
                    "CityIndustryEducationConsortium", "IndustryEducationCommunity",
                ),
                *_labels(),
                _ref("parent", ORG.subOrganizationOf, ["organizations"]),
                _ref("located_in", SCHEMA.location, ["places"]),
                Column("founded", "date", SCHEMA.foundingDate),
                _ref("based_on", VET.basedOn, ["organizations"]),
                _evidence(),
            ),
            doc="Bodies, institutions, companies, industries and alliances.",
        ),
        Table(
            "documents",
            "data/documents.csv",
            (
                _id(),
                _class("Law", "Regulation", "Opinion", "Plan", "Standard", "Catalogue"),
                *_labels(),
                _ref("issuer", VET.issuedBy, AGENTS, many=True),
                Column("issued", "date", DCTERMS.issued),
                _ref("jurisdiction", VET.jurisdiction, ["places"], required=True),
                _ref("amends", VET.amends, ["documents"]),
                _ref("implements", VET.implements, ["initiatives"]),
                _evidence(),
            ),
            doc="Laws, regulations, opinions, plans, standards and catalogues.",
        ),
        Table(
            "initiatives",
            "data/initiatives.csv",
            (
                _id(),
                _class(
                    "Programme", "ReformPilot", "Strategy", "CooperationBrand", "Event",
                    "Competition",
                ),
                *_labels(),
                _ref("initiated_by", VET.initiatedBy, AGENTS, many=True),
                Column("started", "date", SCHEMA.startDate),
                Column("ended", "date", SCHEMA.endDate),
                _ref("part_of", DCTERMS.isPartOf, ["initiatives"]),
                _ref("succeeds", VET.succeeds, ["initiatives"]),
                _ref("set_out_in", VET.setOutIn, ["documents"]),
                _ref("concerns", VET.concerns, ["places", "organizations", "levels"], many=True),
                _evidence(),
            ),
            doc="Programmes, reform pilots, strategies, cooperation brands, events and competitions.",
        ),
        Table(
            "cooperation",
            "data/cooperation.csv",
            (
                _id(),
                *_labels(),
                _ref("chinese_party", VET.chineseParty, ["organizations"], True, True),
                _ref("foreign_party", VET.foreignParty, ["organizations"], many=True),
                _ref("country", VET.country, ["places"], required=True),
                Column("date", "date", DCTERMS.date),
                _ref("result", VET.result, ["organizations"]),
                _evidence(),
            ),
            rdf_type=VET.CooperationProject,
            doc="International cooperation projects as n-ary nodes.",
        ),
        Table(
            "levels",
            "data/levels.csv",
            (
                _id(),
                *_labels(),
                _ref("broader", SKOS.broader, ["levels"]),
                _ref("isced_level", VET.iscedLevel, ["isced"], many=True),
                _ref("isced_category", VET.iscedCategory, ["isced"]),
                _evidence(),
            ),
            rdf_type=VET.EducationLevel,
            constants=((SKOS.inScheme, VET.EducationSystem),),
            doc="The levels of figure 1-1 and the vocational groupings of the statistics.",
        ),
        Table(
            "isced",
            "data/isced.csv",
            (
                _id(),
                Column("notation", "text", SKOS.notation, required=True),
                Column("kind", "choice", VET.iscedKind, True, choices=("level", "category", "sub-category")),
                Column("label_en", "label_en", SKOS.prefLabel, required=True),
                Column("eurostat_code", "text", VET.eurostatCode),
                _ref("broader", SKOS.broader, ["isced"]),
            ),
            rdf_type=VET.IscedConcept,
            constants=((SKOS.inScheme, VET.ISCED2011), (DCTERMS.source, VKG["isced-2011"])),
            doc="ISCED 2011 levels and categories, copied from the shared reference table.",
            rows_are_facts=False,
        ),
        Table(
            "units",
            "data/units.csv",
            (
                _id(),
                *_labels(any_script=True),
                _ref("base", VET.baseUnit, ["units"]),
                Column("multiplier", "integer", VET.multiplier),
            ),
            rdf_type=VET.Unit,
            doc="Units of observation values, with exact multipliers of their base units.",
            rows_are_facts=False,
        ),
        Table(
            "indicators",
            "data/indicators.csv",
            (_id(), *_labels(), _evidence()),
            rdf_type=VET.Indicator,
            doc="What observations measure.",
        ),
        Table(
            "datasets",
            "data/datasets.csv",
            (_id(), *_labels(), _evidence()),
            rdf_type=QB.DataSet,
            constants=((QB.structure, VET.ObservationStructure),),
            doc="The figures, tables and text passages that observations are grouped by.",
        ),
        Table(
            "observations",
            "data/observations.csv",
            (
                _id(),
                _ref("dataset", QB.dataSet, ["datasets"], required=True),
                _ref("indicator", VET.indicator, ["indicators"], required=True),
                _ref("scope", VET.scope, [*ENTITY_TABLES], required=True),
                Column("period", "date", VET.refPeriod),
                Column("value", "decimal", VET.value, required=True),
                _ref("unit", VET.unit, ["units"], required=True),
                Column(
                    "qualifier", "choice", VET.qualifier, choices=("more-than", "nearly", "about")
                ),
                _evidence(),
            ),
            rdf_type=QB.Observation,
            doc="Statistics as W3C Data Cube observations.",
        ),
        Table(
            "links",
            "data/links.csv",
            (
                _ref("entity", None, [*ENTITY_TABLES], required=True),
                Column("target", "choice", required=True, choices=LINK_TARGETS),
                Column("identifier", "text", required=True),
            ),
            key="entity",
            doc="Identifiers of entities in other open datasets, from ../shared/reference/.",
            rows_are_facts=False,
        ),
    )
}

QUALIFIERS = {"more-than": VET.MoreThan, "nearly": VET.Nearly, "about": VET.About}
