"""Building: row accounting, golden snapshot, determinism, loaders and failure safety."""

import csv
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner
from rdflib import RDF, Dataset, Graph, URIRef
from rdflib.compare import graph_diff, to_isomorphic
from rdflib.namespace import DCTERMS, FOAF

from vetkg.build import exports as export_module
from vetkg.build.built_store import INPUTS, STORE, current_store
from vetkg.build.exports import (
    DERIVED,
    EXPORT_NAMES,
    NTRIPLES,
    export_texts,
    write_derived_export,
    write_exports,
)
from vetkg.build.graph import build_graph
from vetkg.build.mapping import map_rows
from vetkg.build.schema import TABLES, RowsAre
from vetkg.build.tables import DataError, load_tables
from vetkg.build.writing import MANIFEST
from vetkg.cli import main
from vetkg.namespaces import VKG
from vetkg.paths import DATA_DIR
from vetkg.query import ntriples

TESTS = Path(__file__).parent
MINI_DATA = TESTS / "fixtures" / "mini-data"
MINI_EXPECTED = TESTS / "expected" / "mini.ttl"


def declined(row, registers):
    """Whether a row makes no triple of its own: a mapping row (it resolves the registers'
    strings), or a row of the list comparison for a school that kept its name."""
    if TABLES[row.table].rows_are is RowsAre.MAPPING:
        return True
    if row.table == "register_comparison":
        return registers.former_names.get(row.values["moe_code"]) is not row
    return False


def test_every_row_of_every_table_reaches_the_graph(graph):
    csv_rows = sum(
        len(list(csv.reader(path.open(encoding="utf-8")))) - 1 for path in DATA_DIR.rglob("*.csv")
    )
    tables = load_tables()
    mapped = list(map_rows(tables))
    assert csv_rows > 0
    assert len(tables) == csv_rows == len(mapped)
    for row, triples in mapped:
        assert bool(triples) != declined(row, tables.registers), f"{row.table}:{row.line}"
        for triple in triples:
            assert triple in graph, f"{row.table}:{row.line}: {triple} missing"


def test_a_retired_id_only_points_to_the_entity_that_replaced_it(graph):
    retired = load_tables().rows["retired_ids"]
    assert retired
    for row in retired:
        old = URIRef(VKG[row.key])
        (replacement,) = row.values["replaced_by"]
        assert set(graph.predicate_objects(old)) == {(DCTERMS.isReplacedBy, VKG[replacement])}
        assert (VKG[replacement], RDF.type, None) in graph
        assert not list(graph.subject_predicates(old)), f"{row.key} is still in use"


def test_golden_mini_graph_is_isomorphic(update_snapshots):
    graph = build_graph(MINI_DATA)
    assert len(graph) > 0
    if update_snapshots:
        MINI_EXPECTED.write_text(export_module.to_turtle(graph), encoding="utf-8")
    expected = Graph().parse(MINI_EXPECTED, format="turtle")
    if to_isomorphic(graph) != to_isomorphic(expected):
        _, only_built, only_expected = graph_diff(to_isomorphic(graph), to_isomorphic(expected))
        pytest.fail(
            "built graph differs from tests/expected/mini.ttl\n"
            f"only in built:\n{only_built.serialize(format='nt')}\n"
            f"only in expected:\n{only_expected.serialize(format='nt')}"
        )


def test_a_build_writes_the_exports_of_the_main_job_byte_for_byte(tmp_path, main_job_runs):
    # A third hash seed: set and dict orders differ between processes.
    subprocess.run([sys.executable, "-m", "vetkg", "build", "--out", str(tmp_path)], check=True,
                   env={**os.environ, "PYTHONHASHSEED": "9"}, capture_output=True)
    _, files, _ = main_job_runs[3]
    for name in EXPORT_NAMES:
        built = (tmp_path / name).read_bytes()
        assert built and built == files[Path(name)], f"{name} differs between builds"


@pytest.fixture(scope="module")
def exports(tmp_path_factory, graph):
    out = tmp_path_factory.mktemp("exports")
    write_exports(graph, out)
    return out


@pytest.mark.parametrize("name, rdflib_format, oxigraph_format", [
    ("vetkg.ttl", "turtle", pyoxigraph.RdfFormat.TURTLE),
    ("vetkg.nt", "nt", pyoxigraph.RdfFormat.N_TRIPLES),
    ("vetkg.trig", "trig", pyoxigraph.RdfFormat.TRIG),
])
def test_exports_load_in_rdflib_and_pyoxigraph(exports, graph, name, rdflib_format, oxigraph_format):
    path = exports / name
    if rdflib_format == "trig":
        quads = list(Dataset().parse(path, format="trig").quads())
        assert len(quads) == len(graph)
        named = {str(export_module.ONTOLOGY_GRAPH), str(export_module.DATA_GRAPH)}
        assert {str(quad[3]) for quad in quads} == named
    else:
        assert len(Graph().parse(path, format=rdflib_format)) == len(graph)
    store = pyoxigraph.Store()
    store.load(path=str(path), format=oxigraph_format)
    assert len(store) == len(graph)


def test_jsonld_export_round_trips(exports, graph):
    loaded = Graph().parse(exports / "vetkg.jsonld", format="json-ld")
    assert to_isomorphic(loaded) == to_isomorphic(graph)


def _break(data_copy, name, line, column, value):
    path = data_copy / f"{name}.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows[line - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows(rows)


def test_bad_rows_are_all_reported_with_file_line_and_column(data_copy):
    _break(data_copy, "documents", 2, "issued", "2023-13-40")
    _break(data_copy, "places", 3, "within", "CN-XX")
    _break(data_copy, "observations", 4, "value", "1,094")
    _break(data_copy, "organizations", 5, "label_zh", "")
    with pytest.raises(DataError) as caught:
        load_tables(data_copy)
    problems = caught.value.problems
    for start in ("data/documents.csv:2: issued: '2023-13-40' is not a real date",
                  "data/places.csv:3: within: 'CN-XX' is not defined",
                  "data/observations.csv:4: value: '1,094' is not a plain decimal"):
        assert any(problem.startswith(start) for problem in problems), start
    assert "data/organizations.csv:5: label_zh: must not be empty" in problems
    assert len(problems) == 4


def test_failed_build_leaves_previous_outputs_intact(data_copy, tmp_path):
    out = tmp_path / "build"
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--out", str(out)]).exit_code == 0
    before = {name: (out / name).read_bytes() for name in EXPORT_NAMES}
    _break(data_copy, "documents", 2, "issued", "2023-13-40")
    result = runner.invoke(main, ["build", "--data", str(data_copy), "--out", str(out)])
    assert result.exit_code == 1
    assert "data/documents.csv:2: issued:" in result.output
    assert {name: (out / name).read_bytes() for name in EXPORT_NAMES} == before
    assert sorted(path.name for path in out.iterdir()) == sorted([*EXPORT_NAMES, MANIFEST, STORE, INPUTS])


def test_a_serializer_failing_midway_touches_no_output(graph, tmp_path, monkeypatch):
    write_exports(graph, tmp_path)
    before = {name: (tmp_path / name).read_bytes() for name in EXPORT_NAMES}

    def broken(_named_blocks, _stream):
        raise RuntimeError("disk full")

    monkeypatch.setattr(export_module, "write_trig", broken)
    with pytest.raises(RuntimeError):
        write_exports(graph, tmp_path)
    assert {name: (tmp_path / name).read_bytes() for name in EXPORT_NAMES} == before
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([*EXPORT_NAMES, MANIFEST])


def test_dataset_description_credits_sources_and_counts_triples(graph, store):
    from rdflib.namespace import DCTERMS, OWL

    from vetkg.build.void import DATASET, ISSUED, MODIFIED, VCARD, dataset_version
    from vetkg.namespaces import DCAT, VET, VKG, VOID

    # One count everywhere: the description's, the graph's and the store's.
    assert int(graph.value(DATASET, VOID.triples)) == len(graph) == len(store)
    assert str(graph.value(DATASET, DCTERMS.issued)) == ISSUED
    assert str(graph.value(DATASET, DCTERMS.modified)) == MODIFIED
    maker = graph.value(DATASET, DCTERMS.publisher)
    assert maker == graph.value(DATASET, DCTERMS.creator)
    assert str(graph.value(maker, FOAF.name)) == "vetkg contributors"
    assert graph.value(graph.value(DATASET, DCAT.contactPoint), VCARD.hasURL) is not None
    # Every source states a licence or what is known of its rights, the report and the MOE lists included.
    sources_of_graph = set(graph.subjects(RDF.type, VET.Source))
    assert len(sources_of_graph) > 10
    assert all(graph.value(source, DCTERMS.license) or graph.value(source, DCTERMS.rights)
               for source in sources_of_graph)
    assert "public information" in str(graph.value(VKG["moe-hei-2025"], DCTERMS.rights))
    assert str(graph.value(DATASET, OWL.versionInfo)) == dataset_version()
    assert str(graph.value(DATASET, DCTERMS.license)) == "https://creativecommons.org/licenses/by/4.0/"
    sources = set(graph.objects(DATASET, DCTERMS.source))
    assert {VKG.report, VKG["src-geonames"], VKG["src-ror"]} <= sources
    assert "Data from GeoNames.org" in {str(o) for o in graph.objects(VKG["src-geonames"], None)}


def test_the_main_job_writes_the_same_bytes_every_time(main_job_runs):
    (_, first, _), (_, second, _) = main_job_runs[3], main_job_runs[7]
    assert len(first) > 40
    assert first == second


def test_the_main_job_s_store_holds_its_dump_and_is_current(main_job_runs):
    out, files, _ = main_job_runs[3]
    # Compared as Oxigraph reads them both: it writes a decimal in its shortest form (92.70 as 92.7).
    loaded = pyoxigraph.Store()
    loaded.load(files[Path("vetkg.nt")], format=pyoxigraph.RdfFormat.N_TRIPLES)
    built = pyoxigraph.Store.read_only(str(out / STORE))
    assert len(loaded) > 1000 and len(built) == len(loaded)
    # Blank nodes (the dataset's publisher and contact) have labels of each store's own.
    named = [{quad for quad in store if not isinstance(quad.subject, pyoxigraph.BlankNode)
              and not isinstance(quad.object, pyoxigraph.BlankNode)} for store in (built, loaded)]
    assert named[0] == named[1]
    assert current_store(build_dir=out, rebuild=False) == out / STORE


def test_exports_streamed_in_small_blocks_are_those_of_the_whole_graph(graph, tmp_path, monkeypatch):
    whole = export_texts(graph)
    ntriples_file = tmp_path / NTRIPLES
    ntriples_file.write_text(whole[NTRIPLES], encoding="utf-8")
    monkeypatch.setattr(ntriples, "BLOCK_BYTES", 4096)
    blocks = list(ntriples.file_blocks(ntriples_file))
    assert len(blocks) > 100 and b"".join(blocks) == ntriples_file.read_bytes()
    # A subject's lines are never split between two blocks.
    subjects = [{line.split(b" ", 1)[0] for line in block.splitlines()} for block in blocks]
    assert sum(map(len, subjects)) == len(set().union(*subjects))
    for name in DERIVED:
        write_derived_export(name, ntriples_file, tmp_path / name)
        assert (tmp_path / name).read_text(encoding="utf-8") == whole[name], name


def test_the_synthetic_system_of_the_benchmarks_is_valid_data(tmp_path):
    sys.path.insert(0, str(TESTS.parent / "benchmarks"))
    try:
        from synthetic import generate
    finally:
        sys.path.pop(0)
    # Its rows are not the report's or the MOE list's, so the quotes are checked against no files.
    data = generate(tmp_path / "data", schools=3, indicators=2, years=range(2020, 2022))
    tables = load_tables(data, shared_dir=tmp_path / "no-shared-folder")
    assert len(tables.rows["observations"]) > 12
