"""The Python API of the README: vetkg.load(), kg.query(), .to_pandas() and __version__."""

import re
from importlib.metadata import version
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import OWL, RDF

import vetkg
from vetkg.build.void import MODIFIED
from vetkg.paths import ONTOLOGY_FILE
from vetkg.query.catalogue import CatalogueError
from vetkg.query.results import QueryError
from vetkg.query.store import StoreError

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def kg():
    return vetkg.load()


def test_load_builds_the_graph_and_queries_by_name_or_sparql(kg, graph):
    assert len(kg) == len(graph) > 0
    plans = kg.query("co-building-province-plans")
    assert len(plans) == 8 and plans.variables[:2] == ["province", "provinceZh"]
    assert len(kg.query("stats/entities-per-class")) > 10
    counted = kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert counted.plain_rows() == [(str(len(graph)),)]
    with pytest.raises(CatalogueError):
        kg.query("no-such-question")
    with pytest.raises(QueryError):
        kg.query("SELECT ?x WHERE { ?x")


def test_every_query_form_and_iteration(kg):
    assert kg.query("ASK { ?s a <https://w3id.org/vetkg/ontology#Province> }") is True
    assert kg.query("ASK { ?s a <https://w3id.org/vetkg/ontology#Nothing> }") is False
    described = kg.query("DESCRIBE <https://w3id.org/vetkg/id/moe>")
    assert isinstance(described, Graph) and len(described) > 5
    built = kg.query("CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 4")
    assert isinstance(built, Graph) and len(built) == 4
    laws = [law for law, *_ in kg.query("law-revisions")]
    assert laws and str(laws[0]) == "中华人民共和国职业教育法"


def test_search_and_entity(kg):
    found = kg.search("深圳职业技术大学", limit=3)
    assert found and found[0].entity.id == "moe-4144011113" and found[0].score == 100
    assert all(match.entity.id.startswith("CN-") for match in kg.search("广东", type_id="Province"))
    province = kg.entity("CN-GD")
    schools = kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?s <https://w3id.org/vetkg/ontology#province> "
                       "<https://w3id.org/vetkg/id/CN-GD> }").plain_rows()[0][0]
    assert province["labels"]["zh"] == "广东省"
    assert len(province["incoming"]["https://w3id.org/vetkg/ontology#province"]) == int(schools) > 100
    assert kg.entity("no-such-entity") is None


def test_load_opens_a_dump_and_refuses_what_is_not_one(tmp_path, graph):
    dump = tmp_path / "vetkg.nt"
    dump.write_text(graph.serialize(format="nt"), encoding="utf-8")
    assert len(vetkg.load(dump)) == len(graph)
    (tmp_path / "broken.nt").write_text("<a> <b> .\n", encoding="utf-8")
    with pytest.raises(StoreError, match="broken.nt"):
        vetkg.load(tmp_path / "broken.nt")
    with pytest.raises(StoreError, match="not a dump"):
        vetkg.load(tmp_path / "notes.txt")


def test_to_pandas_gives_numbers_as_numbers(kg):
    table = kg.query("graduates-by-level")
    frame = table.to_pandas()
    assert len(frame) == len(table) > 0 and list(frame.columns) == table.variables
    assert frame["value"].dtype.kind == "f"
    assert frame["levelZh"].tolist() == [row[1] for row in table.plain_rows()]
    assert frame["value"].tolist() == [float(row[3]) for row in table.plain_rows()]
    counts = kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c }").to_pandas()
    assert counts["n"].dtype.kind == "i" and counts.loc[0, "n"] > 0


def test_one_version_everywhere():
    assert re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", vetkg.__version__)
    assert version("vetkg") == vetkg.__version__
    changelog = (PROJECT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(r"^## (\S+)", changelog, re.MULTILINE).group(1) == vetkg.__version__
    citation = (PROJECT / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(r"^version: (\S+)$", citation, re.MULTILINE).group(1) == vetkg.__version__
    assert re.search(r"^date-released: (\S+)$", citation, re.MULTILINE).group(1) == MODIFIED
    ontology = Graph().parse(ONTOLOGY_FILE)
    header = ontology.value(predicate=RDF.type, object=OWL.Ontology)
    assert str(ontology.value(header, OWL.versionInfo)) == vetkg.__version__
    assert str(ontology.value(header, OWL.versionIRI)).endswith(f"/{vetkg.__version__}")


def test_every_public_name_resolves_to_what_its_module_defines():
    names = [name for name in vetkg.__all__ if name != "__version__"]
    assert names
    for name in names:
        value = getattr(vetkg, name)
        assert value.__module__ == vetkg._PUBLIC[name], name
