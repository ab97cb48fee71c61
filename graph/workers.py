"""A pool of worker processes that do all of the endpoint's work on the graph, under limits.

Neither Oxigraph nor rdflib can interrupt a running query, and rdflib's SPARQL parser, which
the guard uses, is slow on pathological input. So every piece of work that reads query text
or the graph (a SPARQL query, an entity page, a network view, the dataset description) runs
in a worker process, and the HTTP threads only wait. The workers share one persistent
Oxigraph store, opened read-only, so none of them parses the graph.

Limits, each held by a test:
- a deadline that covers waiting for a worker as well as the work; a worker that misses it
  is killed and replaced;
- a queue of waiting requests; when it is full, the answer is 503 at once;
- a memory cap per worker (an OS limit on its address space); a worker that reaches it
  dies and is replaced, and the answer is 503;
- a row cap (the answer is cut and says so) and a byte cap (the answer is refused with 413).
"""

from __future__ import annotations

import functools
import json
import multiprocessing
import queue
import resource
import signal
import threading
import time
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
HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Answer:
    """An HTTP-ready answer: status, media type, body and whether rows were cut at the cap."""

    status: int
    media_type: str
    body: bytes
    truncated: bool = False


@dataclass(frozen=True)
class WorkerLimits:
    """What one worker may use; the README states them."""

    row_cap: int = 10_000
    byte_cap: int = 16 * 1024 * 1024
    memory_cap: int = 2 * 1024 * 1024 * 1024

    def over_memory(self) -> str:
        return f"the work needed more than the memory cap of {self.memory_cap // 2**20} MiB and was stopped"


class PoolError(Exception):
    """The work was not done: ``status`` and ``retry_after`` say how to answer."""

    def __init__(self, message: str, status: int = 503, retry_after: int | None = None):
        super().__init__(message)
        self.status, self.retry_after = status, retry_after

    def __reduce__(self):
        # A worker sends it through a pipe: keep the status and Retry-After across.
        return (PoolError, (str(self), self.status, self.retry_after))


def plain(status: int, message: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))


class _TooLarge(Exception):
    pass


def _over(size: int, limits: WorkerLimits) -> None:
    if size > limits.byte_cap:
        raise _TooLarge


def _select_answer(solutions, result_format: str, limits: WorkerLimits) -> Answer:
    from vetkg.store import ResultTable, _from_oxigraph

    variables = [variable.value for variable in solutions.variables]
    rows, truncated, size = [], False, 0
    for solution in solutions:
        if len(rows) == limits.row_cap:
            truncated = True
            break
        row = tuple(_from_oxigraph(solution[name]) for name in variables)
        # A cheap bound before serializing: each value with room for its markup.
        size += sum(len(term) + 64 for term in row if term is not None)
        _over(size, limits)
        rows.append(row)
    table = ResultTable(variables, rows)
    text = {"json": table.to_json, "xml": table.to_xml, "csv": table.to_csv,
            "tsv": table.to_tsv}[result_format]()
    body = text.encode("utf-8")
    _over(len(body), limits)
    return Answer(200, f"{RESULT_FORMATS[result_format]}; charset=utf-8", body, truncated)


def _boolean_answer(value: bool, result_format: str) -> Answer:
    if result_format == "xml":
        body = ('<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{str(value).lower()}</boolean></sparql>\n")
        return Answer(200, RESULT_FORMATS["xml"], body.encode("utf-8"))
    body = json.dumps({"head": {}, "boolean": value}) + "\n"
    return Answer(200, RESULT_FORMATS["json"], body.encode("utf-8"))


def _graph_answer(triples, graph_format: str, limits: WorkerLimits) -> Answer:
    import pyoxigraph

    kept, truncated, size = [], False, 0
    for triple in triples:
        if len(kept) == limits.row_cap:
            truncated = True
            break
        size += len(str(triple))
        _over(size, limits)
        kept.append(triple)
    formats = {"turtle": pyoxigraph.RdfFormat.TURTLE, "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
               "jsonld": pyoxigraph.RdfFormat.JSON_LD}
    body = pyoxigraph.serialize(kept, format=formats[graph_format])
    _over(len(body), limits)
    return Answer(200, f"{GRAPH_FORMATS[graph_format]}; charset=utf-8", body, truncated)


def answer_query(store, query: str, result_format: str, graph_format: str,
                 limits: WorkerLimits = WorkerLimits()) -> Answer:
    """Check one query with the guard, run it on a pyoxigraph store and serialize its answer."""
    import pyoxigraph

    from vetkg.guard import QueryRefused, check_query

    try:
        check_query(query)
    except QueryRefused as error:
        return plain(400, str(error))
    try:
        result = store.query(query)
        if isinstance(result, pyoxigraph.QuerySolutions):
            return _select_answer(result, result_format, limits)
        if isinstance(result, pyoxigraph.QueryBoolean):
            return _boolean_answer(bool(result), result_format)
        return _graph_answer(result, graph_format, limits)
    except _TooLarge:
        return plain(413, f"the answer is larger than the endpoint's cap of {limits.byte_cap} bytes; "
                          "ask for fewer rows (LIMIT) or shorter values")
    except SyntaxError as error:
        return plain(400, f"the query does not parse: {error}")
    except (OSError, ValueError, RuntimeError) as error:
        return plain(500, f"the query failed: {error}")


def _cap_memory(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _worker_main(connection, store_path: str, limits: WorkerLimits) -> None:
    import pyoxigraph

    from vetkg import pages

    # A worker is stopped by the pool, not by the terminal's Ctrl-C.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _cap_memory(limits.memory_cap)
    store = pyoxigraph.Store.read_only(store_path)
    jobs = {"query": functools.partial(answer_query, limits=limits), **pages.JOBS}
    connection.send("ready")
    while True:
        try:
            kind, args = connection.recv()
        except EOFError:
            return
        try:
            connection.send(jobs[kind](store, *args))
        except MemoryError:
            # The cap was reached in Python; this worker's heap may be fragmented, so it ends.
            connection.send(PoolError(limits.over_memory()))
            return
        except Exception as error:  # a failed page must not cost the pool a worker
            connection.send(PoolError(f"the work failed: {error}", status=500))


class QueryPool:
    """``size`` worker processes answering one piece of work each at a time, under limits."""

    def __init__(self, store_path, size: int = 2, deadline: float = 10.0,
                 limits: WorkerLimits = WorkerLimits(), queue_cap: int = 16):
        self.deadline, self.limits, self.queue_cap = deadline, limits, queue_cap
        self._store_path = str(store_path)
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue = queue.Queue()
        self._waiting = 0
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(size):
            self._idle.put(self._start())

    def _start(self):
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main, args=(child, self._store_path, self.limits), daemon=True
        )
        process.start()
        child.close()
        try:
            ready = parent.recv()
        except EOFError:
            ready = None
        if ready != "ready":
            raise RuntimeError(f"a worker failed to start (exit code {process.exitcode})")
        return process, parent

    def _replace(self, worker) -> None:
        process, connection = worker
        process.kill()
        process.join()
        connection.close()
        if not self._closed:
            self._idle.put(self._start())

    def _take(self, deadline: float, seconds: float):
        with self._lock:
            if self._waiting >= self.queue_cap:
                raise PoolError(f"the endpoint is busy: {self.queue_cap} requests are waiting already",
                                retry_after=5)
            self._waiting += 1
        try:
            return self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise PoolError(f"no worker became free within the deadline of {seconds:g} s",
                            retry_after=5) from None
        finally:
            with self._lock:
                self._waiting -= 1

    def call(self, kind: str, *args, seconds: float | None = None):
        """Do one piece of work within the deadline (or ``seconds``), counted from now.

        Raise PoolError if it was stopped, or if no worker was free in time.
        """
        seconds = seconds or self.deadline
        deadline = time.monotonic() + seconds
        worker = self._take(deadline, seconds)
        process, connection = worker
        message = f"the work did not finish within {seconds:g} s and was stopped"
        try:
            connection.send((kind, args))
            if connection.poll(max(0.0, deadline - time.monotonic())):
                result = connection.recv()
                if not isinstance(result, PoolError) or result.status == 500:
                    # An answer, or a failure that leaves the worker as it was.
                    self._idle.put(worker)
                    if isinstance(result, PoolError):
                        raise result
                    return result
                message = str(result)
        except (EOFError, OSError):
            process.join(1)
            message = (self.limits.over_memory() if process.exitcode == -signal.SIGABRT
                       else "the worker stopped without an answer")
        # Replace the worker in the background, so that this answer is not delayed.
        threading.Thread(target=self._replace, args=(worker,), daemon=True).start()
        raise PoolError(message)

    def run(self, query: str, result_format: str = "json", graph_format: str = "turtle") -> Answer:
        """Answer a SPARQL query; PoolError if it was stopped or no worker was free."""
        return self.call("query", query, result_format, graph_format)

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
