"""A pool of query worker processes with a deadline that holds.

Neither Oxigraph nor rdflib can interrupt a running query, so each query runs in a worker
process holding its own copy of the store. A worker that misses the deadline is killed and
replaced. Workers also cap the rows they return and serialize the answer themselves.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
from dataclasses import dataclass

RESULT_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_FORMATS = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
}


@dataclass(frozen=True)
class Answer:
    """An HTTP-ready answer: status, media type, body and whether rows were cut at the cap."""

    status: int
    media_type: str
    body: bytes
    truncated: bool = False


class DeadlineExceeded(Exception):
    """The query ran past the deadline; its worker was stopped."""


class PoolBusy(Exception):
    """No worker became free in time."""


def _plain(status: int, message: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", message.encode("utf-8"))


def _select_answer(solutions, result_format: str, row_cap: int) -> Answer:
    from vetkg.store import ResultTable, _from_oxigraph

    variables = [variable.value for variable in solutions.variables]
    rows, truncated = [], False
    for solution in solutions:
        if len(rows) == row_cap:
            truncated = True
            break
        rows.append(tuple(_from_oxigraph(solution[name]) for name in variables))
    table = ResultTable(variables, rows)
    text = {"json": table.to_json, "xml": table.to_xml, "csv": table.to_csv,
            "tsv": table.to_tsv}[result_format]()
    return Answer(200, f"{RESULT_FORMATS[result_format]}; charset=utf-8", text.encode("utf-8"),
                  truncated)


def _boolean_answer(value: bool, result_format: str) -> Answer:
    import json

    if result_format == "xml":
        body = ('<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{str(value).lower()}</boolean></sparql>\n")
        return Answer(200, RESULT_FORMATS["xml"], body.encode("utf-8"))
    body = json.dumps({"head": {}, "boolean": value}) + "\n"
    return Answer(200, RESULT_FORMATS["json"], body.encode("utf-8"))


def _graph_answer(triples, graph_format: str, row_cap: int) -> Answer:
    import pyoxigraph

    kept, truncated = [], False
    for triple in triples:
        if len(kept) == row_cap:
            truncated = True
            break
        kept.append(triple)
    formats = {"turtle": pyoxigraph.RdfFormat.TURTLE, "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
               "jsonld": pyoxigraph.RdfFormat.JSON_LD}
    body = pyoxigraph.serialize(kept, format=formats[graph_format])
    return Answer(200, f"{GRAPH_FORMATS[graph_format]}; charset=utf-8", body, truncated)


def answer_query(store, query: str, result_format: str, graph_format: str, row_cap: int) -> Answer:
    """Run one query on a pyoxigraph store and serialize its answer."""
    import pyoxigraph

    try:
        result = store.query(query)
        if isinstance(result, pyoxigraph.QuerySolutions):
            return _select_answer(result, result_format, row_cap)
        if isinstance(result, pyoxigraph.QueryBoolean):
            return _boolean_answer(bool(result), result_format)
        return _graph_answer(result, graph_format, row_cap)
    except SyntaxError as error:
        return _plain(400, f"the query does not parse: {error}")
    except (OSError, ValueError, RuntimeError) as error:
        return _plain(500, f"the query failed: {error}")


def _worker_main(connection, ntriples: bytes, row_cap: int) -> None:
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    connection.send("ready")
    while True:
        try:
            query, result_format, graph_format = connection.recv()
        except EOFError:
            return
        connection.send(answer_query(store, query, result_format, graph_format, row_cap))


class QueryPool:
    """``size`` worker processes, each with the whole graph, answering one query at a time."""

    def __init__(self, ntriples: bytes, size: int = 2, deadline: float = 10.0,
                 row_cap: int = 10_000, wait: float = 30.0):
        self.deadline, self.row_cap, self.wait = deadline, row_cap, wait
        self._ntriples = ntriples
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue = queue.Queue()
        self._closed = False
        for _ in range(size):
            self._idle.put(self._start())

    def _start(self):
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main, args=(child, self._ntriples, self.row_cap), daemon=True
        )
        process.start()
        child.close()
        if parent.recv() != "ready":
            raise RuntimeError("a query worker failed to start")
        return process, parent

    def _replace(self, worker) -> None:
        process, connection = worker
        process.kill()
        process.join()
        connection.close()
        if not self._closed:
            self._idle.put(self._start())

    def run(self, query: str, result_format: str = "json", graph_format: str = "turtle") -> Answer:
        """Answer a query within the deadline, or raise DeadlineExceeded or PoolBusy."""
        try:
            worker = self._idle.get(timeout=self.wait)
        except queue.Empty:
            raise PoolBusy(f"no query worker became free within {self.wait:g} s") from None
        process, connection = worker
        message = f"the query did not finish within {self.deadline:g} s and was stopped"
        try:
            connection.send((query, result_format, graph_format))
            if connection.poll(self.deadline):
                answer = connection.recv()
                self._idle.put(worker)
                return answer
        except (EOFError, OSError):
            message = "the query worker stopped without an answer"
        # Replace the worker in the background, so that this answer is not delayed.
        threading.Thread(target=self._replace, args=(worker,), daemon=True).start()
        raise DeadlineExceeded(message)

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                process, connection = self._idle.get_nowait()
            except queue.Empty:
                return
            process.kill()
            process.join()
            connection.close()
