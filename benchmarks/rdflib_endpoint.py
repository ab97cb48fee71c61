"""A plain rdflib SPARQL endpoint, the baseline of benchmarks/scale.py.

    python benchmarks/rdflib_endpoint.py DUMP PORT

It parses the dump into an rdflib Graph and answers GET and POST /sparql with SPARQL JSON
results, one query at a time, with no limits: it is a baseline, never a server to publish.
"""

import sys
import urllib.parse
from wsgiref.simple_server import make_server

from rdflib import Graph


def application(graph):
    def answer(environ, start_response):
        params = dict(urllib.parse.parse_qsl(environ.get("QUERY_STRING", "")))
        if environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            params |= dict(urllib.parse.parse_qsl(environ["wsgi.input"].read(length).decode("utf-8")))
        try:
            body = graph.query(params["query"]).serialize(format="json")
        except Exception as error:  # a baseline reports every failure as a 400
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [str(error).encode("utf-8")]
        start_response("200 OK", [("Content-Type", "application/sparql-results+json")])
        return [body]
    return answer


def main():
    dump, port = sys.argv[1], int(sys.argv[2])
    graph = Graph().parse(dump, format="nt")
    make_server("127.0.0.1", port, application(graph)).serve_forever()


if __name__ == "__main__":
    main()
