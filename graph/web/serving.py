"""The HTTP server in front of the endpoint: waitress, strict about the requests it takes.

Waitress reads each request whole in its event loop before a thread runs the application,
so a slow client holds a connection, never a thread. It refuses a request with two
Content-Length headers, a length that is not digits, or a malformed header line, and bounds
the size of the headers and the body. Two checks are added here, each a 400 that RFC 9112
allows a server to answer: a header line folded onto the next (obsolete line folding,
section 5.2), rather than joined; and a request with both Content-Length and
Transfer-Encoding (section 6.3), which may be an attempt to smuggle a second request.
"""

from __future__ import annotations

import logging
import re
import threading

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser, ParsingError
from waitress.server import TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher

from vetkg.query.pool import Limits

FOLDED_LINE = re.compile(rb"\r\n[ \t]")
STATED_LENGTH = re.compile(rb"\r\ncontent-length:", re.IGNORECASE)
TRANSFER_CODING = re.compile(rb"\r\ntransfer-encoding:", re.IGNORECASE)
# Seconds an idle connection stays open.
IDLE_CONNECTION = 30
# Threads beyond those that wait for or hold a worker: static files, front pages, refusals.
SPARE_THREADS = 4


class _StrictParser(HTTPRequestParser):
    def parse_header(self, header_plus: bytes) -> None:
        if FOLDED_LINE.search(header_plus):
            raise ParsingError("a header line is folded onto the next (obsolete line folding): "
                               "send each header on one line")
        if STATED_LENGTH.search(header_plus) and TRANSFER_CODING.search(header_plus):
            raise ParsingError("a request may state Content-Length or Transfer-Encoding, not both")
        super().parse_header(header_plus)


class _StrictChannel(HTTPChannel):
    parser_class = _StrictParser


class EndpointServer(TcpWSGIServer):
    """A waitress server for one application, run by ``serve_forever`` until ``shutdown``."""

    channel_class = _StrictChannel

    def __init__(self, application, host: str, port: int, limits: Limits, trusted_proxy: str | None = None):
        # Enough threads for every request that may wait for or hold a worker in either lane,
        # so that the lanes' queue caps, not the thread count, decide who waits.
        threads = 2 * limits.queue_cap + limits.workers + limits.view_workers + SPARE_THREADS
        options = ({"trusted_proxy": trusted_proxy, "trusted_proxy_headers": "x-forwarded-for"}
                   if trusted_proxy else {})
        adjustments = Adjustments(
            host=host, port=port, threads=threads, connection_limit=max(100, 2 * threads),
            channel_timeout=IDLE_CONNECTION, ident="vetkg",
            # The endpoint answers a larger body or query string with its own message.
            max_request_body_size=limits.max_request_bytes,
            max_request_header_size=limits.max_request_bytes + 16 * 1024, **options,
        )
        dispatcher = ThreadedTaskDispatcher()
        dispatcher.set_thread_count(threads)
        super().__init__(application, map={}, dispatcher=dispatcher, adj=adjustments)
        self.server_port = self.effective_port
        self._stopping = threading.Event()
        self._stopped = threading.Event()

    def serve_forever(self) -> None:
        """Answer requests until ``shutdown`` is called (or the thread is interrupted)."""
        try:
            while not self._stopping.is_set():
                self.asyncore.loop(timeout=self.adj.asyncore_loop_timeout, map=self._map,
                                   use_poll=True, count=1)
        finally:
            for channel in list(self._map.values()):
                channel.close()
            self.task_dispatcher.shutdown(timeout=1)
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop ``serve_forever``, running in another thread, and wait until it has."""
        self._stopping.set()
        self.pull_trigger()
        self._stopped.wait()


# Waitress warns of queued tasks and of threads still waiting for a worker as it stops; the
# endpoint's own limits answer for both.
logging.getLogger("waitress.queue").setLevel(logging.ERROR)
logging.getLogger("waitress").setLevel(logging.ERROR)
