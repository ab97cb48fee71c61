"""The endpoint against hostile requests: each limit the README states, held over real HTTP."""

import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection

import pyoxigraph
import pytest

from tests.conftest import PATIENCE
from tests.test_guard import REFUSED
from tests.test_serve import CARTESIAN, http
from vetkg.query.pool import Limits
from vetkg.web.server import make_endpoint_server


def serving(graph, limits):
    server, application = make_endpoint_server(graph, "127.0.0.1", 0, limits)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, application


@pytest.fixture(scope="module")
def one_worker_server(graph):
    """One worker and a queue of one: easy to fill."""
    server, application = serving(graph, Limits(deadline=2.0, workers=1, queue_cap=1, byte_cap=20_000,
                                                 max_request_bytes=4096))
    yield application
    server.shutdown()
    application.close()


@pytest.fixture
def one_worker(one_worker_server):
    """The server, once its worker is free again after the test before."""
    settled(one_worker_server.base_url)
    return one_worker_server.base_url


@pytest.fixture
def slow_replacement(one_worker_server, monkeypatch):
    """A stopped worker's replacement takes 2 s to start, however fast this machine starts one.

    So a request that waits for the busy worker runs out of its own deadline before a
    replacement could take it, which is what the tests that use this fixture hold.
    """
    pool = one_worker_server.pool
    start = pool._start

    def slow_start():
        time.sleep(2.0)
        return start()

    monkeypatch.setattr(pool, "_start", slow_start)


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections made to it."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}/sparql"
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._stop:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self):
        self._stop = True
        self._thread.join()
        self.socket.close()


def settled(base):
    """Wait until a worker answers: one stopped by an earlier test is replaced in the background."""
    deadline = time.monotonic() + PATIENCE
    while sparql(base, "ASK { ?s ?p ?o }")[0] != 200:
        assert time.monotonic() < deadline, "no worker came back"
        time.sleep(0.2)


def sparql(base, query, **headers):
    return http(f"{base}/sparql", data=urllib.parse.urlencode({"query": query}).encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded", **headers})


def test_the_listener_counts_what_the_engine_would_do_unguarded(graph):
    """Without the guard, the embedded engine does connect to a SERVICE address."""
    listener = Listener()
    try:
        # The listener closes the connection at once, so the query fails; it did connect.
        with pytest.raises(OSError):
            list(pyoxigraph.Store().query(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"))
        time.sleep(0.3)
        assert listener.connections >= 1
    finally:
        listener.close()


def test_no_refused_form_makes_the_server_connect_anywhere(one_worker):
    listener = Listener()
    try:
        for query in REFUSED:
            status, _, body = sparql(one_worker, query.replace("http://127.0.0.1:9/", listener.url)
                                     .replace("http://x/", listener.url))
            assert status in (400, 413), (query, body)
        time.sleep(0.3)
        assert listener.connections == 0
    finally:
        listener.close()


def raw_post(base, headers, body=b""):
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    connection = HTTPConnection(host, int(port), timeout=10)
    connection.putrequest("POST", "/sparql")
    for name, value in headers.items():
        connection.putheader(name, value)
    connection.endheaders()
    if body:
        connection.send(body)
    response = connection.getresponse()
    answer = response.status, response.read()
    connection.close()
    return answer


@pytest.mark.parametrize("length, status", [
    (None, 411), ("-1", 400), ("-100000", 400), ("1e3", 400), ("4097", 413), ("99999999999", 413),
])
def test_a_body_length_that_is_missing_negative_or_too_large_is_refused(one_worker, length, status):
    headers = {"Content-Type": "application/sparql-query"}
    if length is not None:
        headers["Content-Length"] = length
    got, body = raw_post(one_worker, headers, b"ASK {}" * 10)
    assert got == status, body


def test_a_chunked_body_is_read_whole_and_bounded_as_a_stated_length_is(one_worker):
    headers = {"Content-Type": "application/sparql-query", "Transfer-Encoding": "chunked"}
    got, body = raw_post(one_worker, headers, b"6\r\nASK {}\r\n0\r\n\r\n")
    assert got == 200 and b'"boolean"' in body
    large = b"#" * 5000
    got, _body = raw_post(one_worker, headers, f"{len(large):x}\r\n".encode() + large + b"\r\n0\r\n\r\n")
    assert got == 413


def raw_request(base, request: bytes, timeout: float = 10) -> bytes:
    """The status line of the answer to bytes sent as they are, so that nothing is corrected on the way."""
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as connection:
        connection.sendall(request)
        answer = b""
        while b"\r\n" not in answer:
            chunk = connection.recv(4096)
            if not chunk:
                break
            answer += chunk
    return answer.split(b"\r\n", 1)[0]


@pytest.mark.parametrize("request_bytes", [
    # Two lengths that disagree, and two that agree: RFC 9112, 6.3.
    b"POST /sparql HTTP/1.1\r\nHost: a\r\nContent-Type: application/sparql-query\r\n"
    b"Content-Length: 6\r\nContent-Length: 9\r\n\r\nASK {}",
    b"POST /sparql HTTP/1.1\r\nHost: a\r\nContent-Type: application/sparql-query\r\n"
    b"Content-Length: 6\r\nContent-Length: 6\r\n\r\nASK {}",
    b"POST /sparql HTTP/1.1\r\nHost: a\r\nContent-Type: application/sparql-query\r\n"
    b"Content-Length: +6\r\n\r\nASK {}",
    # Obsolete line folding: RFC 9112, 5.2.
    b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: a\r\nAccept: application/json,\r\n text/csv\r\n\r\n",
    b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: a\r\nAccept: text/csv\r\n\tx\r\n\r\n",
    # Whitespace between a header's name and its colon: RFC 9112, 5.1.
    b"GET / HTTP/1.1\r\nHost : a\r\n\r\n",
    # A bare line feed inside a header line.
    b"GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n",
    # Both a length and chunks: RFC 9112, 6.1.
    b"POST /sparql HTTP/1.1\r\nHost: a\r\nContent-Type: application/sparql-query\r\n"
    b"Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nASK {}\r\n0\r\n\r\n",
])
def test_requests_that_rfc_9112_lets_a_server_reject_are_400(one_worker, request_bytes):
    assert raw_request(one_worker, request_bytes).split(b" ")[1] == b"400"
    assert http(one_worker + "/sparql?query=ASK%7B%7D")[0] == 200


def test_a_huge_literal_is_checked_in_the_worker_and_other_requests_go_on(one_worker):
    literal = "SELECT * WHERE { ?s ?p \"" + "a" * 3900 + "\" }"
    with ThreadPoolExecutor(max_workers=2) as pool:
        heavy = pool.submit(sparql, one_worker, literal)
        # The front page needs no worker: an HTTP thread answers it while the one worker checks.
        front = pool.submit(http, f"{one_worker}/")
        assert front.result()[0] == 200
        assert heavy.result()[0] == 200


def test_waiting_counts_toward_the_deadline_and_a_full_queue_is_answered_at_once(
        one_worker, slow_replacement):
    with ThreadPoolExecutor(max_workers=3) as pool:
        busy = pool.submit(sparql, one_worker, CARTESIAN)
        time.sleep(0.3)
        waiting = pool.submit(sparql, one_worker, "ASK { ?s ?p ?o }")
        time.sleep(0.3)
        status, headers, body = sparql(one_worker, "ASK { ?s ?p ?o }")
        assert status == 503 and headers["Retry-After"] == "5" and b"busy" in body
        assert busy.result()[0] == 503
        waited = waiting.result()
    # The waiting request had 2 s in all: the busy worker took them, so it is refused in time.
    assert waited[0] == 503 and b"within the deadline" in waited[2]


def test_entity_pages_and_views_wait_for_a_worker_under_the_deadline(one_worker, slow_replacement):
    with ThreadPoolExecutor(max_workers=1) as pool:
        busy = pool.submit(sparql, one_worker, CARTESIAN)
        time.sleep(0.3)
        status, _, body = http(f"{one_worker}/id/moe")
        assert status == 503 and b"deadline" in body
        busy.result()
    settled(one_worker)
    assert http(f"{one_worker}/id/moe")[0] == 200


def test_an_answer_over_the_byte_cap_is_refused(one_worker):
    status, _, body = sparql(one_worker, "SELECT ?q WHERE { ?e <https://w3id.org/vetkg/ontology#quote> ?q }")
    assert status == 413 and b"20000 bytes" in body
    status, _, body = sparql(one_worker, "CONSTRUCT WHERE { ?s ?p ?o }", Accept="text/turtle")
    assert status == 413
    assert sparql(one_worker, "ASK { ?s ?p ?o }")[0] == 200


def test_head_answers_have_headers_and_no_body(one_worker):
    for path in ("/", "/id/moe", "/sparql?query=ASK%7B%7D", "/nothing-here"):
        request = urllib.request.Request(f"{one_worker}{path}", method="HEAD")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, length, body = response.status, response.headers["Content-Length"], response.read()
        except urllib.error.HTTPError as error:
            status, length, body = error.code, error.headers["Content-Length"], error.read()
        assert status in (200, 404) and int(length) > 0 and body == b"", path


def test_a_query_over_the_memory_cap_stops_its_worker_and_the_endpoint_recovers(graph):
    server, application = serving(graph, Limits(deadline=60.0, workers=1, memory_cap=1536 * 2**20))
    try:
        hog = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY RAND()"
        status, _, body = sparql(application.base_url, hog)
        assert status == 503 and b"memory cap of 1536 MiB" in body, body
        deadline = time.monotonic() + PATIENCE
        while sparql(application.base_url, "ASK { ?s ?p ?o }")[0] != 200:
            assert time.monotonic() < deadline, "no worker replaced the stopped one"
            time.sleep(0.5)
    finally:
        server.shutdown()
        application.close()


def failing_job(store):
    raise ValueError("this job always fails")


def test_a_failed_job_is_a_500_and_keeps_its_worker(graph):
    from vetkg.query.pool import Jobs, PoolError, QueryPool
    from vetkg.query.store import SharedStore

    shared = SharedStore(graph)
    pool = QueryPool(shared.path, size=1, deadline=60, jobs=Jobs((failing_job,)))
    try:
        (process, _connection), = pool.idle_workers()
        with pytest.raises(PoolError) as failed:
            pool.call(failing_job)
        assert failed.value.status == 500 and "this job always fails" in str(failed.value)
        with pytest.raises(ValueError, match="not a job of this pool"):
            pool.call(settled)
        assert pool.run("ASK { ?s ?p ?o }").status == 200
        assert [worker[0].pid for worker in pool.idle_workers()] == [process.pid]
    finally:
        pool.close()
        shared.close()


@pytest.mark.parametrize("path", ["/id/%00", "/id/a%20b", "/id/x%0d%0aSet-Cookie:%20a=b", "/id/a%3Eb",
                                  "/reconcile/preview?id=%00", "/institutions?province=%00"])
def test_an_id_that_no_iri_can_hold_is_not_found_never_a_failure(one_worker, path):
    status, headers, _ = http(f"{one_worker}{path}")
    assert status in (200, 404), path
    assert "Set-Cookie" not in headers


def test_every_answer_forbids_sniffing_and_every_page_states_its_policy(one_worker):
    for path, media in (("/id/moe", "text/html"), ("/sparql?query=ASK%7B%7D&format=json", "application"),
                        ("/static/vetkg.css", "text/css"), ("/nothing-here", "text/")):
        status, headers, _ = http(f"{one_worker}{path}", headers={"Accept": "text/html"})
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert headers["Content-Type"].startswith(media), (path, headers["Content-Type"])
        assert ("Content-Security-Policy" in headers) == headers["Content-Type"].startswith("text/html"), path


def test_a_page_runs_the_scripts_of_the_site_s_templates_and_no_other(one_worker):
    from vetkg.views.site import INLINE_SCRIPT, NOT_RUN, inline_script_hashes, script_hash

    status, headers, body = http(f"{one_worker}/network/governance")
    assert status == 200
    policy = headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    scripts = [text for attributes, text in INLINE_SCRIPT.findall(body.decode("utf-8"))
               if not NOT_RUN.search(attributes)]
    assert len(scripts) == 2 and all(script_hash(text) in policy for text in scripts)
    assert set(inline_script_hashes()) <= set(policy.replace(";", " ").split())
    assert script_hash("alert(1)") not in policy
