"""The command line: every command runs and says what it did."""

import csv
import json
import re
import subprocess
import sys

from click.testing import CliRunner

from tests.conftest import PATIENCE
from vetkg.build.exports import to_ntriples
from vetkg.cli import main


def invoke(*args):
    result = CliRunner().invoke(main, list(args))
    return result


def test_python_dash_m_runs():
    result = subprocess.run([sys.executable, "-m", "vetkg", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for command in ("build", "validate", "query", "viz", "stats", "run"):
        assert command in result.stdout


def test_build_writes_the_exports(tmp_path):
    result = invoke("build", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    for name in ("vetkg.ttl", "vetkg.nt", "vetkg.jsonld", "vetkg.trig"):
        assert (tmp_path / name).stat().st_size > 0


def test_validate_reports_and_passes():
    result = invoke("validate")
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output
    assert "WARN conflicting-observations-violation" in result.output


def test_query_list_shows_questions_in_both_languages():
    result = invoke("query", "--list")
    assert result.exit_code == 0
    assert "co-building-province-plans" in result.output
    assert "共建" in result.output and "Which plan" in result.output


def test_query_formats(built_once):
    table = invoke("query", "law-revisions")
    assert table.exit_code == 0 and "中华人民共和国职业教育法" in table.output and "(1 rows)" in table.output
    csv_out = invoke("query", "law-revisions", "--format", "csv")
    assert csv_out.output.splitlines()[0] == "lawZh,enacted,revisionZh,revised"
    document = json.loads(invoke("query", "law-revisions", "--format", "json").output)
    assert document["head"]["vars"] == ["lawZh", "enacted", "revisionZh", "revised"]
    assert document["results"]["bindings"][0]["enacted"]["value"] == "1996"
    tsv_out = invoke("query", "law-revisions", "--format", "tsv").output
    assert tsv_out.splitlines()[0] == "?lawZh\t?enacted\t?revisionZh\t?revised"
    xml_out = invoke("query", "law-revisions", "--format", "xml").output
    assert xml_out.startswith("<?xml") and '<variable name="lawZh"/>' in xml_out


def test_query_of_another_form_and_past_its_timeout(tmp_path, built_once):
    ask, construct, cartesian = tmp_path / "ask.rq", tmp_path / "construct.rq", tmp_path / "cartesian.rq"
    ask.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    construct.write_text("CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 2", encoding="utf-8")
    cartesian.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", encoding="utf-8")
    assert invoke("query", str(ask)).output.splitlines()[:3] == ["boolean", "-------", "true"]
    turtle = invoke("query", str(construct))
    assert turtle.exit_code == 0 and turtle.output.count(" a ") == 2
    # Past the timeout the command ends its own process, so it runs in a process of its own.
    stopped = subprocess.run([sys.executable, "-m", "vetkg", "query", str(cartesian), "--timeout", "1"],
                             capture_output=True, text=True, timeout=PATIENCE)
    assert stopped.returncode == 1 and "the query did not finish within 1 s" in stopped.stderr


def test_query_runs_on_a_built_dump_and_on_a_store_folder_without_rebuilding(tmp_path, built_once):
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "vetkg.nt").write_text(to_ntriples(built_once), encoding="utf-8")
    embedded = invoke("query", "vocational-universities", "--format", "csv").output
    assert len(embedded.splitlines()) == 88
    dump = invoke("query", "vocational-universities", "--format", "csv", "--graph",
                  str(tmp_path / "build" / "vetkg.nt"))
    assert dump.exit_code == 0 and dump.output == embedded
    from vetkg.query.store import bulk_load

    folder = bulk_load(tmp_path / "build" / "vetkg.nt", tmp_path / "store")
    stored = invoke("query", "vocational-universities", "--format", "csv", "--graph", str(folder))
    assert stored.exit_code == 0 and stored.output == embedded
    broken = tmp_path / "broken.nt"
    broken.write_text("<a> <b> .\n", encoding="utf-8")
    failed = invoke("query", "vocational-universities", "--graph", str(broken))
    assert failed.exit_code == 1 and "broken.nt" in failed.output


def test_query_by_file_and_unknown_name(tmp_path, built_once):
    query = tmp_path / "count.rq"
    query.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", encoding="utf-8")
    result = invoke("query", str(query), "--format", "csv")
    assert result.exit_code == 0 and int(result.output.splitlines()[1]) > 1000
    missing = invoke("query", "no-such-question")
    assert missing.exit_code == 1 and "no query named 'no-such-question'" in missing.output


def test_broken_sparql_is_an_error_not_a_crash(tmp_path, built_once):
    query = tmp_path / "broken.rq"
    query.write_text("SELECT ?x WHERE { ?x ", encoding="utf-8")
    result = invoke("query", str(query))
    assert result.exit_code == 1
    assert "does not parse" in result.output


def test_stats(built_once):
    result = invoke("stats")
    assert result.exit_code == 0
    assert "triples:" in result.output and "Wikidata" in result.output and "qb:Observation" in result.output
    facts = result.output.split("facts-with-evidence:")[1].splitlines()[3].split()
    assert int(facts[0]) > 200 and facts[0] == facts[1], "every fact carries evidence"


def test_viz_writes_a_page(tmp_path, built_once):
    out = tmp_path / "page.html"
    result = invoke("viz", "--view", "cooperation", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text("utf-8").startswith("<!DOCTYPE html>")
    assert invoke("viz", "--view", "nothing").exit_code == 1


def test_run_writes_everything_and_says_where(main_job_runs):
    out, _, result = main_job_runs[3]
    assert f"writing the checksums into {out}\n" in result.stderr
    for stage in ("reading the tables", "checking", "answering the query catalogue",
                  "drawing view governance", "drawing charts", "waiting for the checks"):
        assert stage in result.stderr
    assert re.search(r"^[0-9,]+ triples; [0-9]+ checks passed with [1-9][0-9]* warning", result.stdout, re.M)
    assert "WARN conflicting-observations" in result.stdout
    assert f"vetkg serve --site {out}" in result.stdout
    assert (out / "vetkg.ttl").exists() and (out / "validation.txt").exists()
    assert len(list((out / "results").glob("*.csv"))) >= 15
    assert (out / "network-governance.html").exists()
    assert (out / "network-cooperation.html").exists()
    entities = list(csv.DictReader((out / "csv" / "entities.csv").open(encoding="utf-8-sig")))
    assert list(entities[0]) == ["iri", "class", "classZh", "classEn", "labelZh", "labelEn", "wikidata"]
    institutions = list(csv.DictReader((out / "csv" / "institutions.csv").open(encoding="utf-8-sig")))
    # Every institution of the MOE list, once, and in entities.csv whatever its labels.
    assert len(institutions) == len({row["code"] for row in institutions}) == 2919
    assert {row["iri"] for row in institutions} <= {row["iri"] for row in entities}
    assert sum(not row["labelEn"] for row in entities) > 2000
    assert sum(row["shuanggaoTierZh"] == "A档" for row in institutions) > 0
    assert all(row["province"] and row["level"] and row["sponsor"] for row in institutions)
    observations = (out / "csv" / "observations.csv").read_text("utf-8-sig").splitlines()
    assert len(observations) > 100
    # A 双高 unit tied to no school, and a major group tied to no major, are named with their
    # place in the register, not dropped silently.
    left_out = (out / "registers-left-out.txt").read_text("utf-8").splitlines()
    assert ("data/registers/shuanggao_2019.csv:55: 兰州资源环境职业技术学院 (4162013933 in the 2017 list) "
            "is not in the 2025 list, and no list names the school that took its place; the unit is kept "
            "without its school") in left_out
    assert any(line.startswith("data/registers/shuanggao_2019.csv:2: major group '汽车制造与装配技术'")
               for line in left_out)
    context = json.loads((out / "vetkg.context.jsonld").read_text("utf-8"))
    assert context["@context"]["vkg"] == "https://w3id.org/vetkg/id/"
