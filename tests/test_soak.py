"""A short soak: clients asking catalogue questions beside one that sends heavy and endless work.

Each client has an address of its own on the loopback network (127.0.0.0/8), as clients on
other machines would, and the endpoint gives turns by address. ``benchmarks/soak.py`` is the
long version, with figures.
"""

import threading
import urllib.parse
from http.client import HTTPConnection

import pytest

from tests.conftest import PATIENCE, running_endpoint
from tests.test_serve import CARTESIAN
from vetkg.query.catalogue import load_catalogue
from vetkg.query.pool import Limits

# Questions of the report and of the register, small and large.
QUESTIONS = ["brands-by-province", "law-revisions", "institutions-per-province-by-level", "bodies-under-moe",
             "documents-by-issuer", "shuanggao-by-province-and-tier"]


def ask(base: str, address: str, path: str) -> tuple[int, bytes]:
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    connection = HTTPConnection(host, int(port), timeout=PATIENCE, source_address=(address, 0))
    try:
        connection.request("GET", path, headers={"Accept": "application/sparql-results+json"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def sparql_path(text: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": text})


@pytest.fixture(scope="module")
def questions():
    chosen = [query for query in load_catalogue() if query.name in QUESTIONS]
    assert len(chosen) == len(QUESTIONS)
    return [query.text for query in chosen]


def test_normal_clients_are_answered_right_while_one_client_floods_both_lanes(graph, questions):
    limits = Limits(deadline=10.0, workers=2, view_workers=1)
    with running_endpoint(graph, limits) as base:
        expected = {text: ask(base, "127.0.0.2", sparql_path(text)) for text in questions}
        assert all(status == 200 for status, _ in expected.values())
        stop, abuse = threading.Event(), []

        def flood(path):
            while not stop.is_set():
                abuse.append(ask(base, "127.0.0.99", path)[0])

        heavy = [sparql_path(CARTESIAN), sparql_path(CARTESIAN), "/network/neighbourhood?focus=moe&hops=3",
                 "/network/neighbourhood?focus=moe&hops=2", "/network/neighbourhood?focus=CN-GD&hops=2"]
        flooders = [threading.Thread(target=flood, args=(path,)) for path in heavy]
        for thread in flooders:
            thread.start()
        answers: dict[str, list] = {}

        def client(number):
            address = f"127.0.0.{10 + number}"
            for _round in range(2):
                for text in questions[number % len(questions):] + questions[:number % len(questions)]:
                    answers.setdefault(address, []).append((text, *ask(base, address, sparql_path(text))))

        clients = [threading.Thread(target=client, args=(number,)) for number in range(4)]
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join(PATIENCE)
        stop.set()
        for thread in flooders:
            thread.join(PATIENCE)
    got = [answer for per_client in answers.values() for answer in per_client]
    assert len(got) == 4 * 2 * len(questions) and abuse
    assert [(text, status) for text, status, _ in got if status != 200] == []
    assert all(body == expected[text][1] for text, _, body in got)
