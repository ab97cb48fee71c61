"""Every command opens one built store, and never answers from one built from other inputs."""

import shutil
import subprocess
import sys

import pyoxigraph
import pytest
from click.testing import CliRunner

from tests.conftest import FIXTURES, PATIENCE
from vetkg.build.built_store import INPUTS, STORE, StaleStore, current_store, inputs_fingerprint
from vetkg.cli import main


@pytest.fixture
def mini_data(tmp_path, monkeypatch):
    """A copy of the small tables, and a cache folder of this test's own."""
    monkeypatch.setenv("VETKG_CACHE", str(tmp_path / "cache"))
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "mini-data", data)
    return data


def _rename(table, old: str, new: str) -> None:
    text = table.read_text(encoding="utf-8")
    assert old in text
    table.write_text(text.replace(old, new), encoding="utf-8")


def _triples(folder) -> int:
    return len(pyoxigraph.Store.read_only(str(folder)))


def test_a_store_is_built_once_into_the_cache_and_rebuilt_when_a_table_changes(mini_data, tmp_path):
    said = []
    first = current_store(mini_data, tmp_path / "build", say=said.append)
    assert first == tmp_path / "cache" / "graph" / STORE and _triples(first) > 1000
    assert len(said) == 1 and "no store has been built into" in said[0]
    assert current_store(mini_data, tmp_path / "build", say=said.append) == first and len(said) == 1
    _rename(mini_data / "places.csv", "Beijing Municipality", "Beijing")
    with pytest.raises(StaleStore, match="vetkg run"):
        current_store(mini_data, tmp_path / "build", rebuild=False)
    assert current_store(mini_data, tmp_path / "build", say=said.append) == first and len(said) == 2
    assert (tmp_path / "cache" / "graph" / INPUTS).read_text().startswith(inputs_fingerprint(mini_data))


def test_the_build_folder_s_store_is_opened_while_it_is_current(mini_data, tmp_path):
    out = tmp_path / "build"
    result = CliRunner().invoke(main, ["build", "--data", str(mini_data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert current_store(mini_data, out, rebuild=False) == out / STORE
    assert _triples(out / STORE) == len((out / "vetkg.nt").read_text(encoding="utf-8").splitlines())
    _rename(mini_data / "themes.csv", "skilled talent", "skilled workers")
    with pytest.raises(StaleStore, match="built from other tables, ontology or code"):
        current_store(mini_data, out, rebuild=False)


def test_a_command_refuses_a_stale_store_when_asked(tmp_path, monkeypatch):
    """Run where no build/ is, with an empty cache: --if-stale refuse stops at once."""
    monkeypatch.setenv("VETKG_CACHE", str(tmp_path / "cache"))
    done = subprocess.run([sys.executable, "-m", "vetkg", "--if-stale", "refuse", "stats"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=PATIENCE)
    assert done.returncode == 1 and "run `vetkg run` to build it" in done.stderr
    assert not (tmp_path / "cache").exists()
