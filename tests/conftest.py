import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from vetkg.build.built_store import STORE, current_store
from vetkg.build.graph import build_graph
from vetkg.paths import DATA_DIR, SOURCE_FILE
from vetkg.query.store import open_store
from vetkg.web.server import make_endpoint_server

TESTS = Path(__file__).parent
# How long a test waits for something that should happen before it gives up: a bound so that
# no test hangs, never a measure of speed, which is the benchmarks' work.
PATIENCE = 300
FIXTURES = TESTS / "fixtures"
EXPECTED = TESTS / "expected"


PR_SET_CHILD_SUBREAPER = 36


def pytest_configure(config):
    """Make the test process the reaper of every process its tests start, however deep.

    A process whose parent dies is then handed to this one instead of to init, so that the
    check at the end of the session sees it.
    """
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1)


def _living_descendants() -> dict[int, str]:
    """The processes below this one that are still running, by pid, with their command lines."""
    parents, commands = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            commands[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(
                "utf-8", "replace").strip()
        except OSError:
            continue
        # The fields after the command name, which may hold spaces, start with the state.
        state, parent = stat.rpartition(")")[2].split()[:2]
        if state != "Z":
            parents[int(entry.name)] = int(parent)
    found, frontier = {}, {os.getpid()}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier and pid not in found}
        found |= {pid: commands.get(pid, "") for pid in frontier}
    # multiprocessing's resource tracker belongs to this process, and ends with it.
    return {pid: command for pid, command in found.items() if "resource_tracker" not in command}


def _reap() -> None:
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def pytest_sessionfinish(session, exitstatus):
    """Fail the run if a process that a test started outlives the tests."""
    if not Path("/proc").is_dir():
        return
    # A process stopped at the end of its test may take a moment to exit.
    for _ in range(50):
        _reap()
        living = _living_descendants()
        if not living:
            return
        time.sleep(0.2)
    report = "\n".join(f"  {pid}: {command[:200]}" for pid, command in sorted(living.items()))
    session.config.pluginmanager.get_plugin("terminalreporter").write_line(
        f"{len(living)} process(es) started by the tests outlived them:\n{report}", red=True)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
    for pid in living:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    _reap()


def pytest_addoption(parser):
    parser.addoption("--update-snapshots", action="store_true",
                     help="rewrite tests/expected/ from the current output instead of comparing")


@pytest.fixture(scope="session")
def update_snapshots(request):
    return request.config.getoption("--update-snapshots")


@pytest.fixture(scope="session")
def report_text():
    """The text of the report, or a skip that says where it was looked for."""
    if not SOURCE_FILE.exists():
        pytest.skip(f"the report is not at {SOURCE_FILE}; set VETKG_SHARED to the shared folder")
    return SOURCE_FILE.read_text(encoding="utf-8")


# CI sets this after installing Chromium, so that a browser test that would skip fails there.
REQUIRE_BROWSER = "VETKG_REQUIRE_BROWSER"


@pytest.fixture(scope="session")
def chromium():
    """The paths of Debian's chromium and chromedriver, or a skip that says how to get them."""
    found = shutil.which("chromium"), shutil.which("chromedriver")
    if all(found):
        return found
    message = ("the browser tests need Debian's chromium and chromium-driver and a Chinese font; "
               "install them with `make browser` (as root: apt-get), then run `make test` again")
    if os.environ.get(REQUIRE_BROWSER):
        pytest.fail(f"{REQUIRE_BROWSER} is set: {message}")
    pytest.skip(message)


@pytest.fixture(scope="session")
def graph():
    return build_graph(DATA_DIR)


@pytest.fixture(scope="session")
def store(graph):
    return open_store(graph)


@pytest.fixture(scope="session", autouse=True)
def store_cache(tmp_path_factory):
    """A cache folder of the tests' own, into which a command builds its store, once."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VETKG_CACHE", str(folder))
        yield folder


@pytest.fixture(scope="session")
def built_once(graph, store_cache):
    """The graph, with a store built from the current tables ready for the commands to open."""
    current_store()
    return graph


@pytest.fixture(scope="session")
def main_job_runs(tmp_path_factory):
    """Two runs of ``vetkg run`` in processes of their own, under different hash seeds (set
    and dict orders differ between processes): by seed, the files each wrote and its output."""
    runs = {}
    for seed in (3, 7):
        out = tmp_path_factory.mktemp(f"run-{seed}") / "build"
        done = subprocess.run([sys.executable, "-m", "vetkg", "run", "--out", str(out)], check=True,
                              env={**os.environ, "PYTHONHASHSEED": str(seed)}, capture_output=True, text=True)
        # The store is a database, whose files differ from run to run; its triples are compared apart.
        files = {path.relative_to(out): path.read_bytes() for path in out.rglob("*")
                 if path.is_file() and path.relative_to(out).parts[0] != STORE}
        runs[seed] = (out, files, done)
    return runs


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of the curated tables."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """An in-memory Oxigraph server on 127.0.0.1, from the oxigraph package; yields its base URL."""
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    assert binary, "the oxigraph server is installed by the test extras of pyproject.toml"
    port = _free_port()
    log = tmp_path_factory.mktemp("oxigraph") / "server.log"
    with open(log, "wb") as stream:
        process = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{port}"],
                                   stdout=stream, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"oxigraph did not start: {log.read_text()}") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextlib.contextmanager
def running_endpoint(graph, limits, **options):
    """vetkg's endpoint on a free port of 127.0.0.1, served by a thread; yields its address."""
    server, application = make_endpoint_server(graph, "127.0.0.1", 0, limits, **options)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        application.close()
