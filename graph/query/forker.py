"""The process that holds the graph in memory and forks the workers of the pools from it.

Copying a national graph into memory takes seconds, and so does building the index of names;
a worker that a deadline kills must be replaced at once, not after both. So one process, the
forker, opens the store once (copied into memory up to a size, else read from its files),
builds what the jobs share (``Jobs.on_start``), and then forks every worker of every lane. A
worker shares the store and the index with the forker page by page, until it writes to them
(copy-on-write), so their memory is paid once. The forker starts no thread, so that forking
it is safe, and it forks nothing but workers.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import resource
import signal
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing import reduction
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph

from vetkg.query.ntriples import load_file

PR_SET_PDEATHSIG = 1
# How often the forker reaps the workers that ended, when nothing else asks it to.
REAP_EVERY = 0.5


def die_with_parent(parent: int | None = None) -> None:
    """Have the kernel stop this process when its parent (by default, the one that started it) dies.

    A build or a server killed at any moment must not leave its workers running on their own.
    Linux only.
    """
    if sys.platform.startswith("linux"):
        if parent is None:
            started_by = multiprocessing.parent_process()
            parent = started_by.pid if started_by is not None else os.getppid()
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        # A parent that died before the call sends no signal: this process has another parent by now.
        if os.getppid() != parent:
            os._exit(1)


def memory_store(store_path: str, dump: str | None, in_memory_up_to: int) -> pyoxigraph.Store:
    """The store to answer from: a copy in memory if it is small enough, else its files, read-only.

    The copy is loaded from the graph's N-Triples dump where there is one with the same number
    of triples, which is many times faster than reading the store's files.
    """
    files = pyoxigraph.Store.read_only(store_path)
    size = len(files)
    if size > in_memory_up_to:
        return files
    if dump is not None and Path(dump).is_file():
        in_memory = load_file(Path(dump))
        if len(in_memory) == size:
            return in_memory
    in_memory = pyoxigraph.Store()
    in_memory.bulk_extend(files)
    return in_memory


def _address_space() -> int:
    """The bytes of this process's address space now."""
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmSize:")[1].split()[0]) * 1024


def _forker_main(control: Connection, store_path: str, dump: str | None, in_memory_up_to: int,
                 warm: tuple[Callable, ...]) -> None:
    die_with_parent()
    # The forker and its workers are stopped by their pools, not by the terminal's Ctrl-C.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    store = memory_store(store_path, dump, in_memory_up_to)
    for function in warm:
        function(store)
    # What is built by now is shared with every worker: the collector must not write to it.
    gc.freeze()
    control.send("ready")
    exit_codes: dict[int, int] = {}
    while True:
        _reap(exit_codes)
        if not control.poll(REAP_EVERY):
            continue
        try:
            message = control.recv()
        except EOFError:
            return
        if message[0] == "fork":
            _fork(control, store, *message[1:])
        else:
            _reap(exit_codes)
            control.send(exit_codes.pop(message[1], None))


def _reap(exit_codes: dict[int, int]) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        exit_codes[pid] = os.waitstatus_to_exitcode(status)


def _fork(control: Connection, store: pyoxigraph.Store, serve: Callable, limits, jobs) -> None:
    ours, theirs = multiprocessing.Pipe()
    forker = os.getpid()
    pid = os.fork()
    if pid == 0:
        try:
            control.close()
            ours.close()
            die_with_parent(forker)
            # The cap is on what the work adds to the store and the index it shares.
            cap = _address_space() + limits.memory_cap
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
            serve(theirs, store, limits, jobs)
        finally:
            os._exit(0)
    theirs.close()
    control.send(pid)
    reduction.send_handle(control, ours.fileno(), os.getppid())
    ours.close()


class Forked:
    """A worker that the forker forked: what a pool needs to stop it, wait for it and read its end."""

    def __init__(self, forker: Forker, pid: int):
        self.forker, self.pid, self._exit_code = forker, pid, None

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def join(self, timeout: float | None = None) -> None:
        """Wait until the worker has ended and the forker has reaped it, at most ``timeout`` seconds."""
        until = None if timeout is None else time.monotonic() + timeout
        while self.exitcode is None and (until is None or time.monotonic() < until):
            time.sleep(0.01)

    @property
    def exitcode(self) -> int | None:
        """As multiprocessing gives it: the code, or minus the signal that ended it; None while it runs."""
        if self._exit_code is None:
            self._exit_code = self.forker.exit_code(self.pid)
        return self._exit_code


class Forker:
    """The forker process, and the channel on which the pools ask it for workers."""

    def __init__(self, store_path: Path, dump: Path | None = None, in_memory_up_to: int = 0,
                 warm: tuple[Callable, ...] = ()):
        context = multiprocessing.get_context("spawn")
        self._control, theirs = context.Pipe()
        self._process = context.Process(
            target=_forker_main, args=(theirs, str(store_path), None if dump is None else str(dump),
                                       in_memory_up_to, tuple(dict.fromkeys(warm))), daemon=True)
        self._process.start()
        theirs.close()
        self._lock = threading.Lock()
        try:
            ready = self._control.recv()
        except EOFError:
            ready = None
        if ready != "ready":
            self.close()
            raise RuntimeError(f"the worker forker failed to start (exit code {self._process.exitcode})")

    def fork(self, serve: Callable, limits, jobs) -> tuple[Forked, Connection]:
        """A new worker, running ``serve(connection, store, limits, jobs)``, and the connection to it."""
        with self._lock:
            self._control.send(("fork", serve, limits, jobs))
            pid = self._control.recv()
            connection = Connection(reduction.recv_handle(self._control))
        return Forked(self, pid), connection

    def exit_code(self, pid: int) -> int | None:
        """A worker's exit code, once the forker has reaped it; a stopped forker's workers were killed."""
        with self._lock:
            try:
                self._control.send(("exit code", pid))
                return self._control.recv()
            except (OSError, EOFError):
                return -signal.SIGKILL

    def close(self) -> None:
        """Stop the forker; its workers stop with it."""
        self._process.kill()
        self._process.join()
        with self._lock:
            self._control.close()
