"""A wheel of vetkg, installed into a fresh virtual environment, works from any folder.

The wheel is built without network access (``python -m build --no-isolation``) from a copy
of the project, and installed with ``--no-deps``; the environment sees the test
environment's third-party packages through a ``.pth`` file, so that nothing is downloaded,
but it imports vetkg only from what was installed. ``pip install`` of the source folder is
tried the same way.
"""

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

import vetkg
from tests.conftest import PATIENCE

PROJECT = Path(__file__).resolve().parent.parent
# What a clean clone does not hold: anywhere, caches; at the top, what running leaves behind
# (graph/build/ is the package's build stage, and is kept).
CACHES = shutil.ignore_patterns(".git", "__pycache__", "*.egg-info", ".pytest_cache", ".ruff_cache")
LEFT_AT_THE_TOP = {".venv", "build", "review"}


def left_out(folder, names):
    ignored = set(CACHES(folder, names))
    return ignored | (LEFT_AT_THE_TOP & set(names) if Path(folder) == PROJECT else set())


def _run(command, **options):
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, **options)
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """A copy of the project, as a clean clone holds it."""
    copy = tmp_path_factory.mktemp("package") / "source"
    shutil.copytree(PROJECT, copy, ignore=left_out)
    return copy


@pytest.fixture(scope="module")
def wheel(source):
    dist = source.parent / "dist"
    _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(source)])
    (built,) = dist.glob("vetkg-*.whl")
    return built


def _environment(folder: Path, requirement: str) -> tuple[Path, dict]:
    """A fresh environment with ``requirement`` installed: its bin folder, and the variables
    to run its commands with."""
    _run([sys.executable, "-m", "venv", "--without-pip", str(folder)])
    python = folder / "bin" / "python"
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site_packages = Path(_run([str(python), "-c", purelib]).stdout.strip())
    here = sysconfig.get_paths()
    # Set up first, so that building from source finds setuptools too.
    (site_packages / "test-dependencies.pth").write_text(f"{here['purelib']}\n{here['platlib']}\n")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
          "--no-index", "--no-build-isolation", "--ignore-installed", requirement])
    variables = {**os.environ, "PATH": f"{folder / 'bin'}{os.pathsep}{os.environ['PATH']}",
                 # No shared folder: an installed vetkg needs only what it ships.
                 "VETKG_SHARED": str(folder / "no-shared")}
    variables.pop("PYTHONPATH", None)
    return folder / "bin", variables


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    return _environment(tmp_path_factory.mktemp("venv") / "env", str(wheel))


def test_the_wheel_holds_the_tables_ontology_queries_and_licences(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "vetkg/data/organizations.csv" in names
    assert "vetkg/data/registers/moe_hei_list_2025.csv" in names
    assert "vetkg/ontology/vet.ttl" in names and "vetkg/ontology/shapes.ttl" in names
    assert "vetkg/queries/co-building-province-plans.rq" in names
    assert "vetkg/queries/views/governance.rq" in names
    assert "vetkg/views/templates/query.html" in names and "vetkg/views/templates/map.html" in names
    assert "vetkg/ontology/schemes.ttl" in names and "vetkg/queries/map/institutions.rq" in names
    for name in ("vetkg.css", "yasgui.min.js", "yasgui.min.css", "query-page.js", "china.json",
                 "china-nanhai.json", "china-divisions.csv", "README.md"):
        assert f"vetkg/views/static/{name}" in names, name
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)
    assert any(name.endswith(".dist-info/licenses/data/LICENSE") for name in names)
    metadata = next(name for name in names if name.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(wheel).read(metadata).decode("utf-8")
    assert "License-Expression: MIT AND CC-BY-4.0" in text
    assert f"Version: {vetkg.__version__}" in text


def test_every_command_works_from_another_folder(installed, tmp_path, oxigraph_server):
    bin_dir, variables = installed

    def vetkg_command(*args):
        return _run([str(bin_dir / "vetkg"), *args], cwd=tmp_path, env=variables).stdout

    assert vetkg_command("--version").split()[-1] == vetkg.__version__
    listed = vetkg_command("query", "--list")
    assert "co-building-province-plans" in listed and len(listed.splitlines()) > 100
    where = _run([str(bin_dir / "python"), "-c", "import vetkg.paths as p; print(p.__file__, p.DATA_DIR)"],
                 cwd=tmp_path, env=variables).stdout
    assert str(PROJECT) not in where and str(bin_dir.parent) in where
    run = vetkg_command("run", "--out", "out")
    assert "triples; " in run and "vetkg serve --site out" in run
    assert (tmp_path / "out" / "vetkg.nt").stat().st_size > 0
    assert (tmp_path / "out" / "network-governance.html").is_file()
    vetkg_command("build", "--out", "exports")
    assert (tmp_path / "exports" / "vetkg.ttl").stat().st_size > 0
    assert " 0 error(s)" in vetkg_command("validate")
    plans = vetkg_command("query", "co-building-province-plans", "--graph", "out/vetkg.nt", "--format", "csv")
    assert len(plans.splitlines()) == 9
    assert "(8 rows)" in vetkg_command("query", "co-building-province-plans")
    vetkg_command("viz", "--view", "cooperation", "--out", "cooperation.html")
    assert (tmp_path / "cooperation.html").read_text("utf-8").startswith("<!DOCTYPE html>")
    assert "communit" in vetkg_command("analyze", "--view", "governance").lower()
    assert "→ 老挝" in vetkg_command("analyze", "--path", "广西", "老挝")
    vetkg_command("plot", "--out", "charts")
    assert list((tmp_path / "charts").glob("*.svg"))
    assert "triples:" in vetkg_command("stats")
    loaded = vetkg_command("load", "--endpoint", f"{oxigraph_server}/store?graph=http://example.org/package")
    assert loaded.startswith("loaded ")
    program = ("import vetkg; kg = vetkg.load('out/vetkg.nt'); "
               "print(len(kg.query('co-building-province-plans')))")
    api = _run([str(bin_dir / "python"), "-c", program], cwd=tmp_path, env=variables).stdout
    assert api.strip() == "8"


def test_pip_install_of_the_source_folder_works_too(source, tmp_path):
    bin_dir, variables = _environment(tmp_path / "env", str(source))
    work = {"cwd": tmp_path, "env": variables}
    assert _run([str(bin_dir / "vetkg"), "--version"], **work).stdout.split()[-1] == vetkg.__version__
    where = _run([str(bin_dir / "python"), "-c", "import vetkg.paths as p; print(p.__file__, p.DATA_DIR)"],
                 **work).stdout
    assert str(PROJECT) not in where and str(bin_dir.parent) in where
    _run([str(bin_dir / "vetkg"), "build", "--out", "exports"], **work)
    assert (tmp_path / "exports" / "vetkg.nt").stat().st_size > 0


def test_serve_from_the_installed_package(installed, tmp_path):
    bin_dir, variables = installed
    _run([str(bin_dir / "vetkg"), "run", "--out", "out"], cwd=tmp_path, env=variables)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([str(bin_dir / "vetkg"), "serve", "--site", "out", "--port", str(port)],
                              cwd=tmp_path, env=variables, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + PATIENCE
        while True:
            try:
                front = urllib.request.urlopen(f"{base}/", timeout=5).read()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "the server never answered"
                time.sleep(0.2)
        assert b'href="network/governance"' in front
        page = urllib.request.urlopen(f"{base}/network/governance", timeout=PATIENCE).read()
        assert page == (tmp_path / "out" / "network-governance.html").read_bytes()
        ask = f"{base}/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D"
        answer = urllib.request.urlopen(ask, timeout=PATIENCE).read()
        assert b"true" in answer
    finally:
        server.terminate()
        server.wait(timeout=30)
