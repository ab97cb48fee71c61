"""Every link to another dataset agrees with the verified tables in ../shared/reference/."""

import csv
import json

import pytest
from rdflib.namespace import PROV, SKOS

from tests.test_data_lint import without_title_marks
from vetkg.build.tables import load_tables
from vetkg.namespaces import VET
from vetkg.paths import REFERENCE_DIR


def reference(name, key):
    path = REFERENCE_DIR / name
    if not path.exists():
        pytest.skip(f"the reference tables are not at {REFERENCE_DIR}; set VETKG_SHARED")
    return {row[key]: row for row in csv.DictReader(path.open(encoding="utf-8"))}


@pytest.fixture(scope="module")
def names():
    """The English name that each link brings, by entity."""
    return {row.values["entity"][0]: row.values["name"] for row in load_tables().rows["links"]
            if row.values["name"]}


@pytest.fixture(scope="module")
def links():
    rows = load_tables().rows["links"]
    assert rows
    found = {}
    for row in rows:
        (entity,) = row.values["entity"]
        found.setdefault(entity, {})[row.values["target"]] = row.values["identifier"]
    return found


def test_province_links(links):
    provinces = reference("cn_provinces_34.csv", "iso_3166_2")
    linked = {entity: targets for entity, targets in links.items() if entity in provinces}
    assert linked
    for entity, targets in linked.items():
        row = provinces[entity]
        assert row["qid_status"].startswith("agree"), entity
        assert targets == {
            "iso3166-2": row["iso_3166_2"], "gbt2260": row["gb_t_2260_code"],
            "wikidata": row["wikidata_qid"], "geonames": row["geonames_id"],
        }, entity


def test_country_links(links):
    countries = reference("countries_iso3166_wikidata_geonames.csv", "iso_alpha2")
    linked = {entity: targets for entity, targets in links.items() if entity in countries}
    assert linked
    for entity, targets in linked.items():
        row = countries[entity]
        assert row["qid_agreement"] == "agree", entity
        assert targets == {
            "iso3166-1-alpha2": row["iso_alpha2"], "iso3166-1-alpha3": row["iso_alpha3"],
            "wikidata": row["wikidata_qid"], "geonames": row["geonames_id"],
        }, entity


def ror_records():
    """Every ROR record of the reference tables: its English name and Wikidata item, if one."""
    selected = reference("organizations_wikidata_ror.csv", "ror_id")
    subset = reference("ror_cn_organizations_subset.csv", "ror")
    records = {ror: (row["name_en"], row["wikidata"]) for ror, row in subset.items()
               if row["status"] == "active"}
    records |= {ror: (row["ror_name"], row["wikidata_qid"]) for ror, row in selected.items() if ror}
    return records


def test_organization_links(links, names):
    """A ROR link is to a record of the reference tables; the Wikidata item, if any, is the
    one that record gives, and the English name the link brings is the record's."""
    records = ror_records()
    linked = {entity: targets for entity, targets in links.items() if "ror" in targets}
    assert len(linked) > 600
    for entity, targets in linked.items():
        name_en, item = records[f"https://ror.org/{targets['ror']}"]
        assert targets.get("wikidata", item) == item, entity
        assert set(targets) <= {"ror", "wikidata"}, entity
        assert names[entity] == name_en, entity


def test_linked_institutions_take_their_english_name_from_ror(links, names):
    institutions = [row.key for row in load_tables().rows["institutions"]]
    assert institutions
    with_ror = [key for key in institutions if "ror" in links.get(key, {})]
    assert with_ror and all(key in names for key in with_ror)
    assert not [key for key in institutions if key in names and "ror" not in links.get(key, {})]


def is_city_or_county(entity):
    """A city or county has the id CN-<GB/T 2260 code>."""
    return entity[3:].isdigit()


def test_city_and_county_links(links):
    """A city or county (id CN-<GB/T 2260 code>) has its code, the prefecture's GeoNames id, and
    a Wikidata QID only where the reference does not rate the candidate low."""
    prefectures = reference("cn_prefecture_level_divisions.csv", "gb_t_2260_code")
    counties = reference("gbt2260_nbs_counties_modood.csv", "code")
    linked = {entity: targets for entity, targets in links.items() if is_city_or_county(entity)}
    assert linked
    for entity, targets in linked.items():
        code = entity[3:]
        assert targets["gbt2260"] == code, entity
        if code in prefectures:
            row = prefectures[code]
            expected = {"gbt2260": code, "geonames": row["geonames_id"]}
            if row["qid_confidence"] != "low":
                expected["wikidata"] = row["wikidata_qid_candidate"]
            assert targets == expected, entity
        else:
            assert code in counties and targets == {"gbt2260": code}, entity


def test_every_link_is_checked_by_one_of_the_tests_above(links):
    provinces = reference("cn_provinces_34.csv", "iso_3166_2")
    countries = reference("countries_iso3166_wikidata_geonames.csv", "iso_alpha2")
    unchecked = [e for e, t in links.items()
                 if e not in provinces and e not in countries and "ror" not in t and not is_city_or_county(e)]
    assert unchecked == []


def test_every_chinese_division_carries_its_gbt2260_code(links):
    divisions = [row.key for row in load_tables().rows["places"]
                 if row.values["class"] in ("Province", "Municipality", "AutonomousRegion", "City")]
    assert divisions
    assert [key for key in divisions if "gbt2260" not in links.get(key, {})] == []


def ror_acronyms():
    """The acronyms that each ROR record of the reference tables gives."""
    acronyms = {ror: {item.strip() for item in row["acronyms"].split(";") if item.strip()}
                for ror, row in reference("ror_cn_organizations_subset.csv", "ror").items()}
    for record in json.loads((REFERENCE_DIR / "ror_records_selected_orgs.json").read_text("utf-8")):
        # Records of ROR's schema 2 list acronyms among their names; those of schema 1 apart.
        acronyms[record["id"]] = set(record.get("acronyms", ())) | {
            name["value"] for name in record.get("names", ()) if "acronym" in name["types"]}
    return acronyms


def test_every_acronym_is_one_the_linked_ror_record_gives():
    known = ror_acronyms()
    rows = [row for row in load_tables().rows["links"] if row.values["acronyms"]]
    assert len(rows) > 300
    for row in rows:
        assert row.values["target"] == "ror", f"data/links.csv:{row.line}"
        record = f"https://ror.org/{row.values['identifier']}"
        assert set(row.values["acronyms"]) <= known[record], f"data/links.csv:{row.line}"


def test_every_alternative_label_is_in_its_evidence_or_a_reference_table(graph):
    """A zh altLabel is written in one of the entity's quotes or register rows; an en
    altLabel is an acronym of the ROR record the entity is linked to."""
    known = ror_acronyms()
    checked = {"zh": 0, "en": 0}
    for entity, label in graph.subject_objects(SKOS.altLabel):
        if label.language == "zh":
            quotes = "".join(str(quote) for evidence in graph.objects(entity, PROV.wasDerivedFrom)
                             for quote in graph.objects(evidence, VET.quote))
            assert without_title_marks(str(label)).split("(")[0] in without_title_marks(quotes), (
                entity, label)
        else:
            assert label.language == "en", (entity, label)
            records = [str(match) for match in graph.objects(entity, SKOS.exactMatch)
                       if str(match) in known]
            assert any(str(label) in known[ror] for ror in records), (entity, label)
        checked[label.language] += 1
    assert checked["zh"] > 50 and checked["en"] > 300
