"""The one declaration of every curated table: its columns, their types and their RDF mapping.

``data/README.md`` documents the same tables for people; a test checks that each file's
header equals the columns declared here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, QB, SKOS

from vetkg.namespaces import CC, ORG, SCHEMA, VET, VKG

# Tables whose rows are things with labels and evidence.
ENTITY_TABLES = ("places", "organizations", "documents", "initiatives", "cooperation", "levels",
                 "sectors", "tasks", "themes", "groups", "persons", "statements", "institutions")
AGENTS = ("organizations", "places")
# The institutions of the MOE register: their ids are moe-<学校标识码>.
INSTITUTIONS = "institutions"
PARTIES = ("organizations", INSTITUTIONS)


@dataclass(frozen=True)
class Column:
    """One column: its name, kind, whether it is required, and the predicate it becomes.

    Kinds (``vetkg.build.kinds``): id, label_zh, label_en, text, text_zh, code, iri, date, decimal,
    integer, choice, class and ref. A code is text that matches ``pattern`` in full.
    A ref names ids of the ``targets`` tables, several separated by ';' when ``many``. When
    ``mentioned``, the row's own quotes must state the cell in so many words: the zh label of
    each target of a ref, or the zh text itself.
    """

    name: str
    kind: str
    predicate: URIRef | None = None
    required: bool = False
    many: bool = False
    targets: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    any_script: bool = False
    mentioned: bool = False
    pattern: str = ""
    # For a choice that names a concept: each allowed value and its IRI.
    concepts: tuple[tuple[str, URIRef], ...] = ()


class RowsAre(Enum):
    """What a table's rows are, which decides how they are read, checked and mapped."""

    # A node with the columns' triples.
    ENTITY = "entity"
    # One link of an entity to another dataset.
    LINK = "link"
    # The resolution of a register's string to entities; no triples of its own.
    MAPPING = "mapping"
    # Report evidence added to an entity defined elsewhere.
    MENTION = "mention"
    # An id no longer in use, with the entity that replaced it.
    RETIRED = "retired"
    # A row of a published list, kept verbatim and mapped by its register's declaration.
    REGISTER = "register"


class LabelRule(Enum):
    """How the build checks a table's zh labels against the report (``vetkg.build.quotes``)."""

    # The report or the row's own evidence states the label.
    STATED = "stated"
    # A label composed for the row (an indicator, a figure, a place's full name): its words
    # of two characters or more are the report's or the evidence's, and no two single
    # characters stand together unless they are a declared measure word.
    WORDS = "words"
    # A unit with a base: the multiplier's numeral before the base unit's label (万 + 个).
    MULTIPLE = "multiple"
    # The title that a source's publisher gives it, which the report does not name.
    TITLE = "title"


@dataclass(frozen=True)
class Table:
    """A curated table: its columns and the triples every row shares.

    ``rdf_type`` is the class of every row, unless a column of kind ``class`` names it;
    ``constants`` are (predicate, object) pairs added to every row.
    """

    name: str
    columns: tuple[Column, ...]
    rdf_type: URIRef | None = None
    constants: tuple[tuple[URIRef, URIRef], ...] = ()
    key: str = "id"
    rows_are: RowsAre = RowsAre.ENTITY
    # For a register: its file under data/, its id in sources.csv, the column that numbers its
    # rows (else their position), the prefix that makes its key an entity id, and the columns
    # whose strings name its rows' sponsors and places, resolved through register_sponsors.csv
    # and register_places.csv (a province, then a city within it).
    file: str = ""
    source: str = ""
    row_number: str = ""
    id_prefix: str = ""
    sponsor_column: str = ""
    place_columns: tuple[str, ...] = ()
    # The line ending of the published file, kept as it is published.
    line_ending: str = "\n"
    # A mark that a register's key may carry and its id drops: the K of 520101K.
    key_mark: str = ""
    # The register's last columns, added by whoever transcribed the list: the pages that helped
    # and whether a second source agreed. They are not the publisher's words.
    transcription_columns: tuple[str, ...] = ()
    # For a list of press-reported facts: the column of the pages that report each row, which
    # are the row's sources.
    pages_column: str = ""
    # How the zh labels are checked, for a table that has them.
    label_rule: LabelRule = LabelRule.STATED

    def key_code(self, key: str) -> str:
        """A register row's key without the mark it may carry: 520101 for 520101K."""
        return key.removesuffix(self.key_mark) if self.key_mark else key

    def entity_id(self, key: str) -> str:
        """The id of the entity that a register row keyed ``key`` stands for."""
        return self.id_prefix + self.key_code(key)

    @property
    def path(self) -> str:
        """The table's file, relative to the data folder."""
        return self.file or f"{self.name}.csv"

    @property
    def display(self) -> str:
        """The file as a problem names it: data/<path>."""
        return f"data/{self.path}"

    @property
    def defines_ids(self) -> bool:
        return self.key == "id" or bool(self.id_prefix)


def _id() -> Column:
    return Column("id", "id", required=True)


def _alt_labels() -> Column:
    # Other names of the entity, each stated in the row's own evidence.
    return Column("alt_labels_zh", "label_zh", SKOS.altLabel, many=True, mentioned=True)


def _labels(any_script: bool = False, en_required: bool = True) -> tuple[Column, Column]:
    return (
        Column("label_zh", "label_zh", SKOS.prefLabel, required=True, any_script=any_script),
        Column("label_en", "label_en", SKOS.prefLabel, required=en_required),
    )


def _evidence() -> Column:
    return Column("evidence", "ref", PROV.wasDerivedFrom, True, True, ("evidence",))


def _class(*choices: str) -> Column:
    return Column("class", "class", required=True, choices=choices)


def _ref(name, predicate, targets, required=False, many=False, mentioned=False) -> Column:
    return Column(name, "ref", predicate, required, many, tuple(targets), mentioned=mentioned)


def _mentions(name, predicate, targets) -> Column:
    return _ref(name, predicate, targets, many=True, mentioned=True)


def _concept(name, predicate, concepts: dict[str, URIRef]) -> Column:
    return Column(name, "choice", predicate, choices=tuple(concepts), concepts=tuple(concepts.items()))


QUALIFIERS = {"more-than": VET.MoreThan, "nearly": VET.Nearly, "about": VET.About}
LEGISLATIVE_STAGES = {
    "enacted": VET.Enacted, "in-consultation": VET.InConsultation, "planned": VET.InLegislativePlan,
}
# The 备注 of the MOE list, and the ownership each stands for; a row with none is public.
OWNERSHIPS = {
    "民办": VET.Private,
    "中外合作办学及内地与港澳合作办学": VET.SinoForeignCooperative,
    "境外高等教育机构在海南自由贸易港设立的实施理工农医类学科专业教育的学校": VET.HainanForeignRun,
}
MOE_CODE = r"[0-9]{10}"
# The catalogue of majors: the level each of its three tables is for, and its ids.
MAJORS = "majors_catalogue"
CATALOGUE_LEVELS = {
    "zhongzhi": "secondary-vocational",
    "gaozhi_zhuanke": "higher-vocational-short-cycle",
    "gaozhi_benke": "higher-vocational-bachelor",
}
MAJOR_PREFIX = "major-2021-"
# The overseas Luban Workshops that news pages report: a partial list.
LUBAN_WORKSHOPS = "luban_workshops"


def _code(name: str) -> Column:
    return Column(name, "code", required=True, pattern=MOE_CODE)


def _register_text(*names: str, required: bool = True) -> tuple[Column, ...]:
    return tuple(Column(name, "text", required=required) for name in names)


# The MOE's lists are published with CRLF line endings.
CRLF = "\r\n"
# The columns a transcription added after a list's own: the pages that helped, and whether
# a second source agreed.
TRANSCRIPTION_COLUMNS = ("sources", "verified")


def _transcription() -> tuple[Column, Column]:
    sources, verified = TRANSCRIPTION_COLUMNS
    return (Column(sources, "text", required=True),
            Column(verified, "choice", required=True, choices=("yes", "no")))
@dataclass(frozen=True)
class LinkTarget:
    """A dataset that ``links.csv`` links to: its identifiers' form, and how a link is written.

    A link is the predicate with the identifier's IRI (``iri_format``), or with the identifier
    itself as a code.
    """

    name: str
    pattern: str
    predicate: URIRef
    iri_format: str = ""
    # How a page names the dataset beside the identifier.
    title: str = ""

    def is_identifier(self, text: str) -> bool:
        return re.fullmatch(self.pattern, text) is not None

    def term(self, identifier: str):
        return URIRef(self.iri_format.format(identifier)) if self.iri_format else Literal(identifier)

    def identifier_of(self, iri: str) -> str | None:
        """The identifier that an IRI of this dataset names, or None."""
        before, _, after = self.iri_format.partition("{}")
        if not self.iri_format or not (iri.startswith(before) and iri.endswith(after)):
            return None
        identifier = iri[len(before):len(iri) - len(after)]
        return identifier if self.is_identifier(identifier) else None


LINK_TARGETS = {target.name: target for target in (
    LinkTarget("wikidata", r"Q[1-9][0-9]*", OWL.sameAs, "http://www.wikidata.org/entity/{}", "Wikidata"),
    LinkTarget("geonames", r"[1-9][0-9]*", SKOS.exactMatch, "https://sws.geonames.org/{}/", "GeoNames"),
    LinkTarget("ror", r"0[a-z0-9]{6}[0-9]{2}", SKOS.exactMatch, "https://ror.org/{}", "ROR"),
    LinkTarget("iso3166-1-alpha2", r"[A-Z]{2}", VET.iso3166Alpha2, title="ISO 3166-1 alpha-2"),
    LinkTarget("iso3166-1-alpha3", r"[A-Z]{3}", VET.iso3166Alpha3, title="ISO 3166-1 alpha-3"),
    LinkTarget("iso3166-2", r"CN-[A-Z]{2}", VET.iso3166_2, title="ISO 3166-2"),
    LinkTarget("gbt2260", r"[0-9]{6}", VET.gbt2260Code, title="GB/T 2260"),
)}

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "sources",
            (
                _id(),
                *_labels(),
                Column("path", "text", VET.sourceFile, required=True),
                Column("licence", "iri", DCTERMS.license),
                # Where a source states no licence: what is known of its rights, and how to cite it.
                Column("rights", "text", DCTERMS.rights),
                Column("attribution", "text", CC.attributionName),
                Column("publisher", "ref", DCTERMS.publisher, many=True, targets=("organizations",)),
                Column("as_of", "date", VET.asOf),
            ),
            rdf_type=VET.Source,
            label_rule=LabelRule.TITLE,
        ),
        Table(
            "evidence",
            (
                _id(),
                _ref("source", DCTERMS.source, ["sources"], required=True),
                Column("locator", "text", VET.locator, required=True),
                Column("quote", "text_zh", VET.quote, required=True),
            ),
            rdf_type=VET.Evidence,
        ),
        Table(
            "places",
            (
                _id(),
                _class(
                    "Country", "Province", "AutonomousRegion", "Municipality",
                    "SpecialAdministrativeRegion", "City", "KeyRegion", "EconomicZone", "CountryGroup",
                ),
                # A county-level city that only the register names has no English name in
                # the reference tables, and gets none.
                *_labels(en_required=False),
                _alt_labels(),
                _ref("within", SCHEMA.containedInPlace, ["places"]),
                _mentions("priority_industries", VET.priorityIndustry, ["sectors"]),
                _evidence(),
            ),
            label_rule=LabelRule.WORDS,
        ),
        Table(
            "organizations",
            (
                _id(),
                _class(
                    "GovernmentBody", "PartyBody", "MilitaryBody", "PublicInstitution", "ResearchInstitution",
                    "SocialOrganisation", "SteeringCommittee", "EducationalInstitution",
                    "University", "VocationalInstitution", "SecondaryVocationalSchool",
                    "TechnicalSchool", "HigherVocationalCollege", "VocationalUniversity",
                    "Company", "Industry", "InternationalOrganisation", "Alliance",
                    "CityIndustryEducationConsortium", "IndustryEducationCommunity",
                ),
                *_labels(),
                _alt_labels(),
                _ref("parent", ORG.subOrganizationOf, ["organizations"]),
                _mentions("commissioned_by", VET.commissionedBy, ["organizations"]),
                _ref("located_in", SCHEMA.location, ["places"]),
                Column("founded", "date", SCHEMA.foundingDate),
                _ref("based_on", VET.basedOn, ["organizations"]),
                _ref("members", ORG.hasMember, ["organizations", "places"], many=True),
                # The bodies and schools that lead a community or alliance, named in its quotes.
                _mentions("led_by", VET.ledBy, PARTIES),
                # The region or group of countries an alliance covers, as its name or quote says.
                _mentions("area_served", SCHEMA.areaServed, ["places"]),
                Column("role_zh", "label_zh", VET.role, mentioned=True),
                Column("role_en", "label_en", VET.role),
                _evidence(),
            ),
        ),
        Table(
            "documents",
            (
                _id(),
                _class(
                    "Law", "Regulation", "Opinion", "Plan", "Standard", "Catalogue", "Report", "Periodical",
                ),
                # A journal may have only a title in English.
                *_labels(any_script=True),
                _alt_labels(),
                _ref("issuer", VET.issuedBy, AGENTS, many=True),
                Column("issued", "date", DCTERMS.issued),
                _ref("jurisdiction", VET.jurisdiction, ["places"], required=True),
                _ref("amends", VET.amends, ["documents"]),
                _ref("implements", VET.implements, ["initiatives"]),
                _concept("stage", VET.legislativeStage, LEGISLATIVE_STAGES),
                _evidence(),
            ),
        ),
        Table(
            "initiatives",
            (
                _id(),
                _class(
                    "Programme", "ReformPilot", "Strategy", "CooperationBrand", "Event",
                    "Competition", "Award",
                ),
                *_labels(),
                _ref("initiated_by", VET.initiatedBy, AGENTS, many=True),
                _mentions("partners", VET.partner, AGENTS),
                Column("started", "date", SCHEMA.startDate),
                Column("ended", "date", SCHEMA.endDate),
                _ref("part_of", DCTERMS.isPartOf, ["initiatives"]),
                _ref("succeeds", VET.succeeds, ["initiatives"]),
                _ref("set_out_in", VET.setOutIn, ["documents"]),
                _ref("concerns", VET.concerns, ["places", "organizations", "levels"], many=True),
                _evidence(),
            ),
        ),
        Table(
            "cooperation",
            (
                _id(),
                *_labels(),
                _ref("chinese_party", VET.chineseParty, PARTIES, True, True),
                _ref("foreign_party", VET.foreignParty, ["organizations"], many=True),
                _ref("country", VET.country, ["places"], required=True),
                Column("date", "date", DCTERMS.date),
                _ref("result", VET.result, ["organizations"]),
                _evidence(),
            ),
            rdf_type=VET.CooperationProject,
            label_rule=LabelRule.WORDS,
        ),
        Table(
            "persons",
            (
                _id(),
                *_labels(),
                Column("title_zh", "label_zh", SCHEMA.jobTitle),
                Column("title_en", "label_en", SCHEMA.jobTitle),
                _ref("member_of", ORG.memberOf, ["organizations"]),
                _ref("nationality", SCHEMA.nationality, ["places"], required=True),
                _evidence(),
            ),
            rdf_type=SCHEMA.Person,
        ),
        Table(
            "statements",
            (
                _id(),
                *_labels(),
                _ref("speaker", PROV.wasAttributedTo, ["persons"]),
                _ref("country", VET.fromCountry, ["places"], required=True, many=True),
                _ref("occasion", VET.occasion, ["initiatives"]),
                Column("date", "date", DCTERMS.date),
                _mentions("concerns", VET.concerns, ["places", "organizations", "initiatives"]),
                _evidence(),
            ),
            rdf_type=VET.Statement,
        ),
        Table(
            "levels",
            (
                _id(),
                *_labels(),
                _alt_labels(),
                _ref("broader", SKOS.broader, ["levels"]),
                _ref("isced_level", VET.iscedLevel, ["isced"], many=True),
                _ref("isced_category", VET.iscedCategory, ["isced"]),
                _evidence(),
            ),
            rdf_type=VET.EducationLevel,
            constants=((SKOS.inScheme, VET.EducationSystem),),
        ),
        Table(
            "tasks",
            (
                _id(),
                _class("Experience", "StrategicTask", "Measure"),
                *_labels(),
                _ref("part_of", DCTERMS.isPartOf, ["tasks"]),
                _mentions("themes", VET.theme, ["themes"]),
                _ref("levels", VET.concernsLevel, ["levels"], many=True),
                _mentions("actors", VET.involves, ["organizations", "places", "groups"]),
                _mentions("learners", VET.serves, ["groups"]),
                _mentions("responsible", VET.responsibleBody, ["organizations", "places", "groups"]),
                _mentions("concerns", VET.concerns,
                          ["places", "organizations", INSTITUTIONS, "initiatives", "documents", "groups"]),
                _evidence(),
            ),
        ),
        Table(
            "themes",
            (_id(), *_labels(), _ref("broader", SKOS.broader, ["themes"]), _evidence()),
            rdf_type=VET.Theme,
            constants=((SKOS.inScheme, VET.Themes),),
        ),
        Table(
            "groups",
            (
                _id(),
                _class("ActorGroup", "LearnerGroup"),
                *_labels(),
                _ref("broader", SKOS.broader, ["groups"]),
                _evidence(),
            ),
            constants=((SKOS.inScheme, VET.Groups),),
        ),
        Table(
            "sectors",
            (_id(), *_labels(), _evidence()),
            rdf_type=VET.EconomicSector,
        ),
        Table(
            "isced",
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
        ),
        Table(
            "units",
            (
                _id(),
                *_labels(any_script=True),
                _ref("base", VET.baseUnit, ["units"]),
                Column("multiplier", "integer", VET.multiplier),
            ),
            rdf_type=VET.Unit,
            label_rule=LabelRule.MULTIPLE,
        ),
        Table(
            "indicators",
            (_id(), *_labels(), _evidence()),
            rdf_type=VET.Indicator,
            label_rule=LabelRule.WORDS,
        ),
        Table(
            "datasets",
            (
                _id(),
                *_labels(),
                _mentions("cites", DCTERMS.source, ["documents", "initiatives"]),
                _evidence(),
            ),
            rdf_type=QB.DataSet,
            constants=((QB.structure, VET.ObservationStructure),),
            label_rule=LabelRule.WORDS,
        ),
        Table(
            "observations",
            (
                _id(),
                _ref("dataset", QB.dataSet, ["datasets"], required=True),
                _ref("indicator", VET.indicator, ["indicators"], required=True),
                _ref("scope", VET.scope, [*ENTITY_TABLES], required=True),
                Column("period", "date", VET.refPeriod),
                Column("cohort", "date", VET.cohort),
                Column("value", "decimal", VET.value, required=True),
                _ref("unit", VET.unit, ["units"], required=True),
                _concept("qualifier", VET.qualifier, QUALIFIERS),
                _evidence(),
            ),
            rdf_type=QB.Observation,
        ),
        Table(
            "links",
            (
                _ref("entity", None, [*ENTITY_TABLES], required=True),
                Column("target", "choice", required=True, choices=tuple(LINK_TARGETS)),
                Column("identifier", "text", required=True),
                # The English name the record gives the entity (ROR's), used as its label.
                Column("name", "label_en"),
                # The acronyms in Latin letters that the record gives, each an English altLabel.
                Column("acronyms", "label_en", SKOS.altLabel, many=True),
            ),
            key="entity",
            rows_are=RowsAre.LINK,
        ),
        Table(
            "register_sponsors",
            (
                Column("sponsor", "text", required=True),
                _ref("bodies", None, AGENTS, required=True, many=True),
            ),
            key="sponsor",
            rows_are=RowsAre.MAPPING,
        ),
        Table(
            "register_places",
            (
                Column("province", "text", required=True),
                # Empty for the province block itself.
                Column("city", "text"),
                _ref("place", None, ["places"], required=True),
            ),
            key="province",
            rows_are=RowsAre.MAPPING,
        ),
        Table(
            "institution_mentions",
            (
                _ref("institution", None, [INSTITUTIONS], required=True),
                Column("name_zh", "label_zh", required=True, mentioned=True),
                _evidence(),
            ),
            key="institution",
            rows_are=RowsAre.MENTION,
        ),
        Table(
            "retired_ids",
            (
                _id(),
                # A published IRI never goes away: it says which entity now stands for it.
                _ref("replaced_by", DCTERMS.isReplacedBy, PARTIES, required=True),
            ),
            rows_are=RowsAre.RETIRED,
        ),
        Table(
            INSTITUTIONS,
            (
                Column("seq", "integer", required=True),
                Column("name_zh", "label_zh", required=True),
                _code("moe_code"),
                *_register_text("sponsor", "city"),
                Column("level", "choice", required=True, choices=("本科", "专科")),
                _concept("remark", VET.ownership, OWNERSHIPS),
                *_register_text("province"),
            ),
            key="moe_code",
            rows_are=RowsAre.REGISTER,
            file="registers/moe_hei_list_2025.csv",
            source="moe-hei-2025",
            line_ending=CRLF,
            row_number="seq",
            id_prefix="moe-",
            sponsor_column="sponsor",
            place_columns=("province", "city"),
        ),
        Table(
            "vocational_bachelor_register",
            (
                Column("name_zh", "label_zh", required=True),
                _code("moe_code"),
                *_register_text("province", "city"),
                _concept("remark", VET.ownership, OWNERSHIPS),
                *_transcription(),
            ),
            key="moe_code",
            rows_are=RowsAre.REGISTER,
            file="registers/vocational_bachelor_universities_2025.csv",
            source="moe-vocational-bachelor-2025",
            line_ending=CRLF,
            transcription_columns=TRANSCRIPTION_COLUMNS,
        ),
        Table(
            "shuanggao_register",
            (
                Column("name_zh", "label_zh", required=True),
                Column("unit_kind", "choice", required=True, choices=("school", "major_group")),
                Column("tier", "choice", required=True, choices=("A", "B", "C")),
                *_register_text("major_group_zh"),
                *_transcription(),
            ),
            key="name_zh",
            rows_are=RowsAre.REGISTER,
            file="registers/shuanggao_2019.csv",
            source="shuanggao-2019",
            line_ending=CRLF,
            transcription_columns=TRANSCRIPTION_COLUMNS,
        ),
        Table(
            "register_comparison",
            (
                _code("moe_code"),
                Column("status", "choice", required=True, choices=("both", "only_2017", "only_2025")),
                *_register_text("name_2017", "name_2025", "sponsor_2017", "sponsor_2025", "city_2017",
                                "city_2025", "level_2017", "level_2025", "flags", required=False),
            ),
            key="moe_code",
            rows_are=RowsAre.REGISTER,
            file="registers/compare_2017_vs_2025.csv",
            source="moe-hei-2017-2025",
            line_ending=CRLF,
        ),
        Table(
            MAJORS,
            (
                Column("level", "choice", required=True, choices=tuple(CATALOGUE_LEVELS)),
                Column("category_code", "code", required=True, pattern="[0-9]{2}"),
                *_register_text("category_zh"),
                Column("class_code", "code", required=True, pattern="[0-9]{4}"),
                *_register_text("class_zh"),
                # 国家控制布点专业 carry a K after their code, as the catalogue prints it.
                Column("major_code", "code", required=True, pattern="[0-9]{6}K?"),
                Column("major_zh", "label_zh", required=True),
            ),
            key="major_code",
            rows_are=RowsAre.REGISTER,
            file="registers/majors_2021.csv",
            source="moe-majors-2021",
            id_prefix=MAJOR_PREFIX,
            key_mark="K",
        ),
        Table(
            LUBAN_WORKSHOPS,
            (
                *_register_text("host_country_zh", "host_country_en"),
                *_register_text("host_institution", "chinese_partner", required=False),
                # A date, a month or a year as a page states it.
                Column("opened", "date"),
                Column("status", "choice", required=True,
                       choices=("operating", "under_construction", "unclear")),
                *_register_text("note", required=False),
                *_register_text("source_urls"),
            ),
            key="host_country_zh",
            rows_are=RowsAre.REGISTER,
            file="registers/luban_workshops_partial.csv",
            source="luban-workshops-news",
            pages_column="source_urls",
        ),
    )
}
