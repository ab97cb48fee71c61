"""The triples of the registers' rows: institutions, 双高 units and the rows as evidence.

Each fact drawn from a register is derived from the row that states it: a ``vet:RegisterRow``
that holds the row's cells verbatim as its quote, its number and its source, whose as-of
date the source carries. Resolution of the rows' strings is ``vetkg.build.registers``'s work.
"""

from __future__ import annotations

import csv
import io
from pathlib import PurePosixPath

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS

from vetkg.build.kinds import date_literal
from vetkg.build.registers import (
    CATALOGUE_DOCUMENT,
    CATALOGUE_EVIDENCE,
    LUBAN_BRAND,
    SHUANGGAO_PROGRAMME,
    Registers,
    institution_level,
    major_groups,
    place_keys,
)
from vetkg.build.rows import Row
from vetkg.build.schema import CATALOGUE_LEVELS, INSTITUTIONS, LUBAN_WORKSHOPS, MAJORS, OWNERSHIPS, TABLES
from vetkg.namespaces import SCHEMA, VET, VKG

TIERS = {"A": VET.TierA, "B": VET.TierB, "C": VET.TierC}
UNIT_KINDS = {
    "school": (VET.SchoolConstructionUnit, "高水平学校建设单位"),
    "major_group": (VET.MajorGroupConstructionUnit, "高水平专业群建设单位"),
}


def institution_iri(code: str):
    return VKG[TABLES[INSTITUTIONS].id_prefix + code]


def published_text(row: Row) -> str:
    """The row's cells that the publisher's list holds, as the file writes them.

    The columns a transcription added (the pages that helped, whether a second source agreed)
    come last and are left off: they are not the publisher's words.
    """
    table = TABLES[row.table]
    if not table.transcription_columns:
        return row.text
    cells = next(csv.reader([row.text]))[:len(table.columns) - len(table.transcription_columns)]
    line = io.StringIO()
    csv.writer(line, lineterminator="").writerow(cells)
    return line.getvalue()


def evidence_triples(row: Row) -> list:
    """The row itself as evidence: its source, number, a locator and its published cells verbatim.

    The pages that helped transcribe or verify the row are secondary evidence beside it, never
    its source, which is the publisher's list.
    """
    table = TABLES[row.table]
    evidence = VKG[row.evidence_id]
    numbered = "序号" if table.row_number else "row"
    triples = [
        (evidence, RDF.type, VET.PressReport if table.pages_column else VET.RegisterRow),
        (evidence, DCTERMS.source, VKG[table.source]),
        (evidence, VET.rowNumber, Literal(row.number)),
        (evidence, VET.locator, Literal(f"{PurePosixPath(table.path).name} {numbered} {row.number}")),
        (evidence, VET.quote, Literal(published_text(row), lang="zh")),
    ]
    if table.transcription_columns:
        sources, verified = table.transcription_columns
        triples += [(evidence, VET.checkedAgainst, Literal(page.strip()))
                    for page in row.values[sources].split(";") if page.strip()]
        triples.append((evidence, VET.secondSourceAgrees, Literal(row.values[verified] == "yes")))
    if table.pages_column:
        triples += [(evidence, VET.reportedIn, URIRef(page.strip()))
                    for page in row.values[table.pages_column].split(";") if page.strip()]
    return triples


def _derived(subject, row: Row) -> list:
    return [(subject, PROV.wasDerivedFrom, VKG[row.evidence_id]), *evidence_triples(row)]


# The predicate of each place column of a register, widest first: the province, then the city.
PLACE_PREDICATES = (VET.province, SCHEMA.location)


def sponsor_and_place_triples(subject, row: Row, registers: Registers) -> list:
    """The bodies and places that a register row's declared sponsor and place columns name."""
    table = TABLES[row.table]
    triples = [(subject, predicate, VKG[registers.places[key]])
               for predicate, (_, key) in zip(PLACE_PREDICATES, place_keys(row), strict=False)]
    if table.sponsor_column:
        triples += [(subject, VET.sponsor, VKG[body])
                    for body in registers.sponsors[row.values[table.sponsor_column]]]
    return triples


def institution_triples(row: Row, registers: Registers) -> list:
    """A school of the 2025 list: class, name, code, level, ownership, place and sponsors."""
    values = row.values
    code = values["moe_code"]
    school = institution_iri(code)
    level = institution_level(code, row, registers)
    cls = {"higher-vocational-short-cycle": VET.HigherVocationalCollege,
           "higher-vocational-bachelor": VET.VocationalUniversity}.get(level, VET.University)
    remark = values["remark"]
    triples = [
        (school, RDF.type, cls),
        (school, SKOS.prefLabel, Literal(values["name_zh"], lang="zh")),
        (school, VET.moeCode, Literal(code)),
        (school, VET.educationLevel, VKG[level]),
        (school, VET.ownership, OWNERSHIPS[remark] if remark else VET.Public),
        *sponsor_and_place_triples(school, row, registers),
    ]
    return triples + _derived(school, row)


def former_name_triples(row: Row, registers: Registers) -> list:
    """The 2017 name of a school that kept its code under a new name."""
    code = row.values["moe_code"]
    if registers.former_names.get(code) is not row:
        return []
    school = institution_iri(code)
    return [(school, SKOS.altLabel, Literal(row.values["name_2017"], lang="zh")), *_derived(school, row)]


def unit_triples(row: Row, registers: Registers) -> list:
    """A 双高 unit of 2019 with its tier, its school and its major groups."""
    match = registers.units.get(row.number)
    if match is None:
        return []
    values = row.values
    unit = VKG[f"shuanggao-2019-unit-{row.number:03d}"]
    cls, kind_zh = UNIT_KINDS[values["unit_kind"]]
    triples = [
        (unit, RDF.type, cls),
        (unit, SKOS.prefLabel, Literal(f"{kind_zh}({values['name_zh']})", lang="zh")),
        (unit, VET.listedName, Literal(values["name_zh"], lang="zh")),
        (unit, VET.programme, VKG[SHUANGGAO_PROGRAMME]),
        (unit, VET.tier, TIERS[values["tier"]]),
        *_derived(unit, row),
    ]
    school = institution_iri(match.code) if match.code else None
    if school is not None:
        triples.append((unit, VET.institution, school))
    else:
        triples.append((unit, SKOS.editorialNote, Literal(f"No school: {match.unlisted}.", lang="en")))
    if match.bridge is not None:
        triples += _derived(unit, match.bridge)
    for number, name in enumerate(major_groups(row), start=1):
        group = VKG[f"shuanggao-2019-unit-{row.number:03d}-group-{number}"]
        triples += [
            (unit, VET.majorGroup, group),
            (group, RDF.type, VET.MajorGroup),
            (group, SKOS.prefLabel, Literal(f"{name}({values['name_zh']})", lang="zh")),
            (group, PROV.wasDerivedFrom, VKG[row.evidence_id]),
        ]
        if school is not None:
            triples.append((group, VET.institution, school))
        major = registers.group_majors.get((row.number, number))
        if major is not None:
            triples += [(group, VET.coreMajor, major_iri(major)), *_derived(group, major)]
    return triples


def vocational_bachelor_triples(row: Row, registers: Registers) -> list:
    """The list of the 87 本科层次职业学校 is the evidence of a school's class and level."""
    code = row.values["moe_code"]
    return _derived(institution_iri(code), row) if code in registers.vocational_bachelor else []


def major_iri(row: Row):
    return VKG[row.key]


def scheme_iri(level: str):
    return VKG[f"major-catalogue-2021-{CATALOGUE_LEVELS[level]}"]


# The names of each level's table of the catalogue, as the report calls its majors.
SCHEME_NAMES = {
    "zhongzhi": ("中职专业", "secondary vocational majors"),
    "gaozhi_zhuanke": ("高职专科专业", "higher vocational majors (short-cycle)"),
    "gaozhi_benke": ("高职本科专业", "higher vocational majors (bachelor's level)"),
}
# A concept of the catalogue above the majors: its class, the prefix of its id, and how it
# hangs from the concept above it.
UPPER_CONCEPTS = {
    "category": (VET.MajorCategory, "major-category-2021-"),
    "class": (VET.MajorClass, "major-class-2021-"),
}


def _scheme_triples(level: str) -> list:
    scheme = scheme_iri(level)
    zh, en = SCHEME_NAMES[level]
    return [
        (scheme, RDF.type, SKOS.ConceptScheme),
        (scheme, RDF.type, VET.MajorCatalogue),
        (scheme, SKOS.prefLabel, Literal(f"职业教育专业目录(2021年)·{zh}", lang="zh")),
        (scheme, SKOS.prefLabel, Literal(f"Catalogue of Vocational Education Majors (2021): {en}",
                                         lang="en")),
        (scheme, SCHEMA.educationalLevel, VKG[CATALOGUE_LEVELS[level]]),
        (scheme, DCTERMS.source, VKG[CATALOGUE_DOCUMENT]),
        # The report's words that the catalogue is designed as one structure over three levels.
        (scheme, PROV.wasDerivedFrom, VKG[CATALOGUE_EVIDENCE]),
    ]


def _concept_triples(concept, cls, name: str, notation: str, row: Row) -> list:
    level = row.values["level"]
    return [
        (concept, RDF.type, SKOS.Concept),
        (concept, RDF.type, cls),
        (concept, SKOS.prefLabel, Literal(name, lang="zh")),
        (concept, SKOS.notation, Literal(notation)),
        (concept, SKOS.inScheme, scheme_iri(level)),
        (concept, SCHEMA.educationalLevel, VKG[CATALOGUE_LEVELS[level]]),
        *_derived(concept, row),
    ]


def major_triples(row: Row, registers: Registers) -> list:
    """A major of the 2021 catalogue, under its class and category, in its level's scheme.

    A category or class comes with the first row that names it, and is tied to the
    categories or classes of the same name at the other two levels.
    """
    values, catalogue = row.values, registers.catalogue
    level = values["level"]
    printed = values["major_code"]
    code = TABLES[MAJORS].key_code(printed)
    major = major_iri(row)
    triples = _concept_triples(major, VET.Major, values["major_zh"], code, row)
    triples.append((major, SKOS.broader, VKG[UPPER_CONCEPTS["class"][1] + values["class_code"]]))
    if printed != code:
        triples.append((major, VET.nationallyControlled, Literal(True)))
    for column, (cls, prefix) in UPPER_CONCEPTS.items():
        if not catalogue.introduces(column, row):
            continue
        own = values[f"{column}_code"]
        concept = VKG[prefix + own]
        triples += _concept_triples(concept, cls, values[f"{column}_zh"], own, row)
        triples += [(concept, SKOS.closeMatch, VKG[prefix + other])
                    for other in catalogue.counterparts(column, row)]
        if column == "category":
            triples += [(concept, SKOS.topConceptOf, scheme_iri(level)), *_scheme_triples(level)]
        else:
            category = VKG[UPPER_CONCEPTS["category"][1] + values["category_code"]]
            triples.append((concept, SKOS.broader, category))
    return triples


def workshop_triples(row: Row, registers: Registers) -> list:
    """A Luban Workshop as news pages report it: host country and institution, Chinese partners, date.

    A partner that no list names is kept as the page writes it, not tied to a school.
    """
    workshop = registers.workshops.get(row.number)
    if workshop is None:
        return []
    values = row.values
    node = VKG[f"luban-workshop-{row.number:02d}"]
    host = values["host_institution"]
    label = f"{values['host_country_zh']}鲁班工坊" + (f" · {host}" if host else "")
    triples = [
        (node, RDF.type, VET.LubanWorkshop),
        (node, RDF.type, VET.CooperationProject),
        (node, SKOS.prefLabel, Literal(label, lang="zh")),
        (node, SKOS.prefLabel, Literal(f"Luban Workshop in {values['host_country_en']}", lang="en")),
        (node, DCTERMS.isPartOf, VKG[LUBAN_BRAND]),
        (node, VET.country, VKG[workshop.country]),
        (node, VET.reportedStatus, Literal(values["status"])),
        *[(node, VET.chineseParty, institution_iri(code)) for code in workshop.partners],
        *[(node, VET.chinesePartyName, Literal(name)) for name in workshop.unlisted],
        *_derived(node, row),
    ]
    if host:
        triples.append((node, VET.hostName, Literal(host)))
    if values["opened"]:
        triples.append((node, DCTERMS.date, date_literal(values["opened"])))
    if values["note"]:
        triples.append((node, SKOS.note, Literal(values["note"], lang="en")))
    return triples


REGISTER_MAPPERS = {
    INSTITUTIONS: institution_triples,
    "vocational_bachelor_register": vocational_bachelor_triples,
    "shuanggao_register": unit_triples,
    "register_comparison": former_name_triples,
    MAJORS: major_triples,
    LUBAN_WORKSHOPS: workshop_triples,
}


def register_row_triples(row: Row, registers: Registers) -> list:
    return REGISTER_MAPPERS[row.table](row, registers)
