"""Query execution: a pool of worker processes that do all work on the graph, under limits.

Neither Oxigraph nor rdflib can interrupt a running query, and rdflib's SPARQL parser, which
the guard uses, is slow on pathological input. So every piece of work that reads query text
or the graph (a SPARQL query, an entity page, a network view, the dataset description) runs
in a worker process, and the caller only waits: the endpoint's HTTP threads, and
``vetkg query`` with its timeout. The workers are forked from one process that holds the
graph (``vetkg.query.forker``), so none of them loads or parses it. Answers are written by
Oxigraph's own serialisers; this module adds only the caps.

Limits, each held by a test:
- a deadline that covers waiting for a worker as well as the work; a worker that misses it
  is killed and replaced;
- a queue of waiting requests; when it is full, the answer is 503 at once;
- turns by client: a client holds at most one worker at a time, and of the waiting requests
  the one whose client was served least recently goes first, so that one client's many
  requests wait behind other clients' few;
- a client whose work was stopped (at the deadline or the memory cap) is heavy for a while:
  it takes a worker only when another stays idle, so that however many heavy clients there
  are, the others find a worker;
- a memory cap per worker (an OS limit on what its address space adds to the forker's); a
  worker that reaches it dies and is replaced, and the answer is 503;
- a row cap (the answer is cut and says so) and a byte cap (the answer is refused with 413).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import itertools
import re
import signal
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass

import pyoxigraph

from vetkg.query.forker import Forker

# Format name: (media type, Oxigraph's serialiser).
RESULT_FORMATS = {
    "json": ("application/sparql-results+json", pyoxigraph.QueryResultsFormat.JSON),
    "xml": ("application/sparql-results+xml", pyoxigraph.QueryResultsFormat.XML),
    "csv": ("text/csv", pyoxigraph.QueryResultsFormat.CSV),
    "tsv": ("text/tab-separated-values", pyoxigraph.QueryResultsFormat.TSV),
}
GRAPH_FORMATS = {
    "turtle": ("text/turtle", pyoxigraph.RdfFormat.TURTLE),
    "ntriples": ("application/n-triples", pyoxigraph.RdfFormat.N_TRIPLES),
    "jsonld": ("application/ld+json", pyoxigraph.RdfFormat.JSON_LD),
}
HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Answer:
    """An HTTP-ready answer: status, media type, body and whether rows were cut at the cap."""

    status: int
    media_type: str
    body: bytes
    truncated: bool = False

    @property
    def has_rows(self) -> bool:
        """Whether the body is SPARQL results (of a SELECT or an ASK), not a graph or a page."""
        return self.media_type.startswith("application/sparql-results+")


@dataclass(frozen=True)
class WorkerLimits:
    """What one worker may use; the README states them. A cap of None is no cap."""

    row_cap: int | None = 10_000
    byte_cap: int | None = 16 * 1024 * 1024
    # What a worker may add to the memory it shares with the forker (see vetkg.query.forker).
    memory_cap: int = 2 * 1024 * 1024 * 1024
    # A graph of at most this many triples is copied into the forker's memory, which every
    # worker shares: Oxigraph answers there 2 to 15 times faster than from its files. It costs
    # about 0.35 KiB a triple (0.9 GiB for 2.7 M); a larger graph is read from the files.
    in_memory_up_to: int = 4_000_000

    def over_memory(self) -> str:
        return f"the work needed more than the memory cap of {self.memory_cap // 2**20} MiB and was stopped"


@dataclass(frozen=True)
class Limits:
    """The endpoint's limits; the README states them and tests hold them."""

    deadline: float = 10.0
    row_cap: int = WorkerLimits.row_cap
    max_request_bytes: int = 64 * 1024
    workers: int = 2
    byte_cap: int = WorkerLimits.byte_cap
    memory_cap: int = WorkerLimits.memory_cap
    # Requests that may wait for a worker of one lane at once, in all and from one client; one
    # more is answered 503 at once.
    queue_cap: int = 32
    client_queue_cap: int = 4
    # Workers of the lane that draws views and pages of the register.
    view_workers: int = 1
    # A network view is the project's own query, drawn once and kept; a neighbourhood is
    # bounded by its node budget.
    view_deadline: float = 60.0

    def worker_limits(self) -> WorkerLimits:
        return WorkerLimits(self.row_cap, self.byte_cap, self.memory_cap)


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


def _over(size: int, cap: int | None) -> None:
    """Stop the answer once it holds more bytes than the cap, if there is one."""
    if cap is not None and size > cap:
        raise _TooLarge


class _CappedSink:
    """A binary writer for Oxigraph's serialisers that stops at the byte cap."""

    def __init__(self, cap: int | None):
        self.cap, self.size, self.parts = cap, 0, []

    def write(self, data) -> int:
        self.size += len(data)
        _over(self.size, self.cap)
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def _write(result, output_format, cap: int | None) -> bytes:
    sink = _CappedSink(cap)
    result.serialize(sink, format=output_format)
    return sink.getvalue()


# Characters that XML 1.0 cannot carry, even escaped; characters that its text escapes. A
# carriage return is written as a reference, which XML keeps where it would read a line end.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
XML_SPECIAL = re.compile("[&<>\"\r]")
XML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;"}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _xml_text(text: str) -> str:
    return XML_SPECIAL.sub(lambda match: XML_ESCAPES[match.group()], text)


@functools.lru_cache(maxsize=1024)
def _literal_tag(language: str, datatype: str) -> str:
    if language:
        return f'<literal xml:lang="{_xml_text(language)}">'
    return "<literal>" if datatype == XSD_STRING else f'<literal datatype="{_xml_text(datatype)}">'


def _xml_term(term) -> str:
    """A term as SPARQL XML results write it."""
    if isinstance(term, pyoxigraph.Literal):
        return _literal_tag(term.language or "", term.datatype.value) + _xml_text(term.value) + "</literal>"
    if isinstance(term, pyoxigraph.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, pyoxigraph.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    parts = zip(("subject", "predicate", "object"), (term.subject, term.predicate, term.object), strict=True)
    return "<triple>" + "".join(f"<{part}>{_xml_term(value)}</{part}>" for part, value in parts) + "</triple>"


def _capped_solutions(solutions: pyoxigraph.QuerySolutions, limits: WorkerLimits):
    """The first ``row_cap`` solutions as results again, and whether any were left out.

    Oxigraph serialises a whole answer, so the kept rows are written as SPARQL XML results and
    read back, in time linear in their size (its TSV reader slows with the square of a line's
    length). A value that XML cannot carry is rare; then the rows go through TSV, whose terms
    are Oxigraph's own N-Triples forms.
    """
    variables = [variable.value for variable in solutions.variables]
    openings = [f'<binding name="{_xml_text(variable)}">' for variable in variables]
    results, kept, size, truncated, xml = [], [], 0, False, True
    for solution in solutions:
        if len(kept) == limits.row_cap:
            truncated = True
            break
        row = list(solution)
        kept.append(row)
        pieces = [opening + _xml_term(term) + "</binding>"
                  for opening, term in zip(openings, row, strict=True) if term is not None]
        result = "<result>" + "".join(pieces) + "</result>"
        size += len(result)
        _over(size, limits.byte_cap)
        xml = xml and not NOT_IN_XML.search(result)
        results.append(result)
    if xml:
        head = "".join(f'<variable name="{_xml_text(variable)}"/>' for variable in variables)
        text = (f'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>{head}'
                f"</head><results>{''.join(results)}</results></sparql>")
        results_format = pyoxigraph.QueryResultsFormat.XML
    else:
        lines = ["\t".join(f"?{variable}" for variable in variables)]
        lines += ["\t".join("" if term is None else str(term) for term in row) for row in kept]
        text, results_format = "\n".join(lines) + "\n", pyoxigraph.QueryResultsFormat.TSV
    return pyoxigraph.parse_query_results(text.encode("utf-8"), format=results_format), truncated


def _triples(result: pyoxigraph.QueryTriples, limits: WorkerLimits) -> tuple[list, bool]:
    kept, size = [], 0
    for triple in result:
        if limits.row_cap is not None and len(kept) == limits.row_cap:
            return kept, True
        size += len(str(triple))
        _over(size, limits.byte_cap)
        kept.append(triple)
    return kept, False


def write_answer(result, result_format: str, graph_format: str, limits: WorkerLimits) -> Answer:
    """Serialise a query's result in the format asked for, under the row and byte caps."""
    truncated = False
    if isinstance(result, pyoxigraph.QueryTriples):
        media, output_format = GRAPH_FORMATS[graph_format]
        triples, truncated = _triples(result, limits)
        body = pyoxigraph.serialize(triples, format=output_format)
        _over(len(body), limits.byte_cap)
    else:
        media, output_format = RESULT_FORMATS[result_format]
        if isinstance(result, pyoxigraph.QuerySolutions) and limits.row_cap is not None:
            result, truncated = _capped_solutions(result, limits)
        body = _write(result, output_format, limits.byte_cap)
    return Answer(200, f"{media}; charset=utf-8", body, truncated)


def answer_query(store, query: str, result_format: str, graph_format: str,
                 limits: WorkerLimits = WorkerLimits()) -> Answer:
    """Check one query with the guard, run it on a pyoxigraph store and serialise its answer."""
    from vetkg.query.guard import QueryRefused, check_query

    try:
        check_query(query)
    except QueryRefused as error:
        return plain(400, str(error))
    try:
        return write_answer(store.query(query), result_format, graph_format, limits)
    except _TooLarge:
        return plain(413, f"the answer is larger than the cap of {limits.byte_cap} bytes; "
                          "ask for fewer rows (LIMIT) or shorter values")
    except SyntaxError as error:
        return plain(400, f"the query does not parse: {error}")
    except (OSError, ValueError, RuntimeError) as error:
        return plain(500, f"the query failed: {error}")


@dataclass(frozen=True)
class Jobs:
    """The work a pool's workers do besides SPARQL: functions of (store, *args), by name.

    A caller passes the function itself to ``QueryPool.call``; ``on_start`` runs once in the
    forker, before any worker is forked, so that what it builds (an index, say) is shared by
    every worker.
    """

    functions: tuple[Callable, ...] = ()
    on_start: Callable | None = None

    def warm(self) -> tuple[Callable, ...]:
        return () if self.on_start is None else (self.on_start,)

    def __post_init__(self):
        names = [function.__name__ for function in self.functions]
        if len(set(names)) != len(names) or QUERY in names:
            raise ValueError(f"the jobs of a pool need names of their own, other than {QUERY!r}: {names}")

    def name_of(self, job: Callable) -> str:
        """The name a worker knows ``job`` by; ValueError if it is not one of these jobs."""
        if job not in self.functions:
            raise ValueError(f"{getattr(job, '__name__', job)!r} is not a job of this pool")
        return job.__name__

    def table(self, limits: WorkerLimits) -> dict[str, Callable]:
        return {QUERY: functools.partial(answer_query, limits=limits),
                **{function.__name__: function for function in self.functions}}


QUERY = "query"


# Seconds that a client whose work was stopped stays heavy.
HEAVY_FOR = 60.0


class _Turns:
    """The idle workers, and the requests waiting for one, given out client by client."""

    def __init__(self, queue_cap: int, client_queue_cap: int, workers: int = 1):
        self.queue_cap, self.client_queue_cap, self.workers = queue_cap, client_queue_cap, workers
        # Client: until when it is heavy (time.monotonic()).
        self._heavy_until: dict[Hashable, float] = {}
        self._changed = threading.Condition()
        self._idle: deque = deque()
        self._tickets = itertools.count(1)
        # Client: its waiting requests' tickets, in order of arrival.
        self._waiting: dict[Hashable, deque[int]] = {}
        self._held: Counter = Counter()
        # Client: the ticket of its request served last; a client that has nothing waiting
        # or held is forgotten, and comes first when it returns.
        self._served: dict[Hashable, int] = {}

    def _next(self) -> int | None:
        """The ticket whose turn it is: the least recently served client's oldest, if it holds none.

        A heavy client's turn comes only while it would leave a worker idle (in a pool of more
        than one).
        """
        now, spare = time.monotonic(), self.workers == 1 or len(self._idle) > 1
        ready = [(self._served.get(client, 0), tickets[0]) for client, tickets in self._waiting.items()
                 if not self._held[client] and (spare or self._heavy_until.get(client, 0) <= now)]
        return min(ready)[1] if ready else None

    def mark_heavy(self, client: Hashable) -> None:
        """``client``'s work was stopped: it is heavy for HEAVY_FOR seconds."""
        with self._changed:
            now = time.monotonic()
            self._heavy_until = {other: until for other, until in self._heavy_until.items() if until > now}
            self._heavy_until[client] = now + HEAVY_FOR

    def take(self, client: Hashable, deadline: float, seconds: float):
        """A worker for ``client``, once it is its turn; PoolError if the queue is full or time runs out."""
        with self._changed:
            if sum(len(tickets) for tickets in self._waiting.values()) >= self.queue_cap:
                raise PoolError(f"the endpoint is busy: {self.queue_cap} requests are waiting already",
                                retry_after=5)
            if len(self._waiting.get(client, ())) >= self.client_queue_cap:
                raise PoolError(f"{self.client_queue_cap} of your requests are waiting already: "
                                "send the next when one is answered", retry_after=5)
            ticket = next(self._tickets)
            self._waiting.setdefault(client, deque()).append(ticket)
            try:
                while not (self._idle and self._next() == ticket):
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise PoolError(f"no worker became free within the deadline of {seconds:g} s",
                                        retry_after=5)
                    self._changed.wait(remaining)
                self._held[client] += 1
                self._served[client] = ticket
                return self._idle.popleft()
            finally:
                self._waiting[client].remove(ticket)
                if not self._waiting[client]:
                    del self._waiting[client]
                self._forget_if_idle(client)
                self._changed.notify_all()

    def release(self, client: Hashable) -> None:
        """``client`` holds one worker fewer (given back, or stopped)."""
        with self._changed:
            self._held[client] -= 1
            self._forget_if_idle(client)
            self._changed.notify_all()

    def put(self, worker) -> None:
        with self._changed:
            self._idle.append(worker)
            self._changed.notify_all()

    def idle(self) -> list:
        with self._changed:
            return list(self._idle)

    def take_idle(self):
        """An idle worker, or None: for closing the pool."""
        with self._changed:
            return self._idle.popleft() if self._idle else None

    def _forget_if_idle(self, client: Hashable) -> None:
        if self._held[client] <= 0 and client not in self._waiting:
            del self._held[client]
            self._served.pop(client, None)


def serve_work(connection, store: pyoxigraph.Store, limits: WorkerLimits, jobs: Jobs) -> None:
    """A worker's loop: do each piece of work that comes on the connection, until it closes."""
    table = jobs.table(limits)
    while True:
        try:
            name, args = connection.recv()
        except EOFError:
            return
        try:
            connection.send(table[name](store, *args))
        except MemoryError:
            # The cap was reached in Python; this worker's heap may be fragmented, so it ends.
            connection.send(PoolError(limits.over_memory()))
            return
        except Exception as error:  # a failed page must not cost the pool a worker
            connection.send(PoolError(f"the work failed: {error}", status=500))
        _give_back_memory()


def _give_back_memory() -> None:
    """Return the heap that a piece of work freed to the system (glibc only).

    A query over a national register can take a gigabyte for a moment; kept by the allocator,
    it would stay the worker's for as long as the worker lives.
    """
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


_LIBC = ctypes.CDLL(ctypes.util.find_library("c")) if sys.platform.startswith("linux") else None


class QueryPool:
    """``size`` worker processes answering one piece of work each at a time, under limits.

    Besides SPARQL queries, the workers do the ``jobs`` they are given, and nothing else.
    """

    def __init__(self, store_path, size: int = 2, deadline: float = 10.0,
                 limits: WorkerLimits = WorkerLimits(), queue_cap: int = 16, jobs: Jobs = Jobs(),
                 client_queue_cap: int | None = None, forker: Forker | None = None):
        """Start ``size`` workers, forked by ``forker``, or by a forker of the pool's own.

        A forker of its own opens the store at ``store_path`` and runs ``jobs.on_start``.
        """
        self.deadline, self.limits, self.queue_cap, self.jobs = deadline, limits, queue_cap, jobs
        self._own_forker = forker is None
        self._forker = forker or Forker(store_path, None, limits.in_memory_up_to, jobs.warm())
        self._turns = _Turns(queue_cap, queue_cap if client_queue_cap is None else client_queue_cap, size)
        self._closed = False
        try:
            for _ in range(size):
                self._turns.put(self._start())
        except BaseException:
            self.close()
            raise

    def _start(self):
        return self._forker.fork(serve_work, self.limits, self.jobs)

    def _replace(self, worker) -> None:
        process, connection = worker
        process.kill()
        process.join()
        connection.close()
        if not self._closed:
            self._turns.put(self._start())

    def idle_workers(self) -> list:
        """The (process, connection) of each idle worker."""
        return self._turns.idle()

    def call(self, job: Callable, *args, seconds: float | None = None, client: Hashable | None = None):
        """Do ``job(store, *args)`` in a worker within the deadline (or ``seconds``), counted from now.

        ``job`` is one of the pool's jobs. ``client`` (for example an address) takes turns with
        the other clients; None is a client of its own. Raise PoolError if it was stopped, or if
        no worker was free in time.
        """
        return self._call(self.jobs.name_of(job), args, seconds, client)

    def _call(self, name: str, args: tuple, seconds: float | None = None, client: Hashable | None = None):
        seconds = seconds or self.deadline
        deadline = time.monotonic() + seconds
        client = object() if client is None else client
        worker = self._turns.take(client, deadline, seconds)
        try:
            return self._work(worker, name, args, seconds, deadline)
        except PoolError as error:
            if error.status == 503:
                self._turns.mark_heavy(client)
            raise
        finally:
            self._turns.release(client)

    def _work(self, worker, name: str, args: tuple, seconds: float, deadline: float):
        process, connection = worker
        what = "the query" if name == QUERY else "the work"
        message = f"{what} did not finish within {seconds:g} s and was stopped"
        try:
            connection.send((name, args))
            if connection.poll(max(0.0, deadline - time.monotonic())):
                result = connection.recv()
                if not isinstance(result, PoolError) or result.status == 500:
                    # An answer, or a failure that leaves the worker as it was.
                    self._turns.put(worker)
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

    def run(self, query: str, result_format: str = "json", graph_format: str = "turtle",
            client: Hashable | None = None) -> Answer:
        """Answer a SPARQL query; PoolError if it was stopped or no worker was free."""
        return self._call(QUERY, (query, result_format, graph_format), client=client)

    def close(self) -> None:
        self._closed = True
        while True:
            worker = self._turns.take_idle()
            if worker is None:
                break
            process, connection = worker
            process.kill()
            process.join()
            connection.close()
        if self._own_forker:
            self._forker.close()
