"""Generated requests to every route: bad input is a 4xx with a reason, never a 500, and the server lives."""

import urllib.parse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import running_endpoint
from tests.test_hostile import raw_request
from vetkg.query.pool import Limits
from vetkg.web.server import ROUTES

# Route paths, with a prefix route's rest generated below.
PATHS = sorted({route.path for route in ROUTES})
PARAMETERS = ["query", "format", "q", "limit", "type", "queries", "extend", "callback", "id", "prefix",
              "cursor", "focus", "hops", "relation", "page", "sort", "province", "level", "update",
              "default-graph-uri"]
# Any text, with control characters, percent signs, brackets and CJK among it.
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40) | st.sampled_from(
    ["%", "%zz", "%00", "%C0%AF", "{" * 300, "[" * 2000, "SELECT * WHERE {", "教育部", "-1", "1e9",
     "99999999999999999999", "\r\nX: y", "../../etc/passwd"])
METHODS = st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"])
BODY_TYPES = st.sampled_from(["application/x-www-form-urlencoded", "application/sparql-query",
                              "application/json", "text/plain", ""])


@pytest.fixture(scope="module")
def fuzzed_server(graph):
    with running_endpoint(graph, Limits(deadline=5.0, workers=1, view_workers=1, view_deadline=10.0,
                                        max_request_bytes=8192)) as base:
        yield base


def send(base: str, method: str, target: str, body: bytes, media: str) -> int:
    """The status of one request, sent as raw bytes; a view drawn on request may take a while."""
    head = [f"{method} {target} HTTP/1.1", f"Host: {urllib.parse.urlsplit(base).netloc}", "Connection: close",
            f"Content-Length: {len(body)}"] + ([f"Content-Type: {media}"] if media else [])
    request = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body
    return int(raw_request(base, request, timeout=120).split(b" ", 2)[1])


@settings(max_examples=100, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(path=st.sampled_from(PATHS), rest=TEXT, parameters=st.dictionaries(st.sampled_from(PARAMETERS), TEXT,
                                                                             max_size=4),
       method=METHODS, body=st.binary(max_size=200) | TEXT.map(str.encode), media=BODY_TYPES)
def test_no_generated_request_gets_a_500(fuzzed_server, path, rest, parameters, method, body, media):
    target = urllib.parse.quote(path + (rest if path.endswith("/") else ""), safe="/%") + (
        "?" + urllib.parse.urlencode(parameters) if parameters else "")
    status = send(fuzzed_server, method, target, body if method in ("POST", "PUT") else b"", media)
    # 503 is a worker stopped at the deadline or a full queue: the request was understood.
    assert status < 500 or status == 503, (method, target)
    assert send(fuzzed_server, "GET", "/sparql?query=ASK%7B%7D", b"", "") == 200
