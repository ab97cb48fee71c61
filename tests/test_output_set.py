"""An output folder is replaced as a whole: a kill at any moment leaves one build, never a mix."""

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PATIENCE
from vetkg.build import writing
from vetkg.build.built_store import STORE
from vetkg.build.writing import MANIFEST, OutputFolderError, write_output_set

FIXTURES = Path(__file__).parent / "fixtures"


def contents(folder: Path) -> dict[str, bytes]:
    """The files of an output set but the store's, a database whose files vary from run to run."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and path.relative_to(folder).parts[0] != STORE}


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.parent.iterdir() if path.name.startswith(f".{folder.name}."))


def test_the_folder_holds_exactly_the_new_files_and_their_manifest(tmp_path):
    out = tmp_path / "build"
    write_output_set(out, {out / "a.txt": "一", out / "sub" / "b.txt": "two"})
    write_output_set(out, {out / "c.txt": "three"})
    found = contents(out)
    assert sorted(found) == [MANIFEST, "c.txt"]
    assert found[MANIFEST].decode().endswith("  c.txt\n")
    assert leftovers(out) == []


def test_files_and_folders_get_the_usual_permissions(tmp_path):
    previous = os.umask(0o022)
    try:
        out = tmp_path / "build"
        write_output_set(out, {out / "sub" / "a.txt": "a"})
        writing.write_atomically({tmp_path / "single.txt": "b"})
    finally:
        os.umask(previous)
    assert oct((out / "sub" / "a.txt").stat().st_mode & 0o777) == "0o644"
    assert oct((out / MANIFEST).stat().st_mode & 0o777) == "0o644"
    assert oct(out.stat().st_mode & 0o777) == "0o755"
    assert oct((tmp_path / "single.txt").stat().st_mode & 0o777) == "0o644"


def test_a_folder_that_is_not_an_earlier_build_is_never_replaced(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(OutputFolderError, match="is not empty"):
        write_output_set(tmp_path, {tmp_path / "vetkg.nt": ""})
    assert contents(tmp_path) == {"notes.txt": b"mine"}


@pytest.mark.parametrize("failing", range(4))
def test_a_failure_at_any_write_leaves_the_old_set_untouched(tmp_path, monkeypatch, failing):
    out = tmp_path / "build"
    write_output_set(out, {out / "a.txt": "old a", out / "b.txt": "old b"})
    before = contents(out)
    calls = []
    real = writing._write

    def failing_write(path, text):
        calls.append(path)
        if len(calls) > failing:
            raise OSError("disk full")
        real(path, text)

    monkeypatch.setattr(writing, "_write", failing_write)
    with pytest.raises(OSError, match="disk full"):
        write_output_set(out, {out / "a.txt": "new a", out / "b.txt": "new b", out / "c.txt": "new c"})
    assert contents(out) == before
    assert leftovers(out) == []


def test_a_failed_exchange_leaves_the_old_set_untouched(tmp_path, monkeypatch):
    out = tmp_path / "build"
    write_output_set(out, {out / "a.txt": "old"})
    before = contents(out)

    def refused(_first, _second):
        raise OSError("exchange refused")

    monkeypatch.setattr(writing, "_exchange", refused)
    with pytest.raises(OSError, match="exchange refused"):
        write_output_set(out, {out / "a.txt": "new"})
    assert contents(out) == before
    assert leftovers(out) == []


def killed_after(command: list[str], lines_on_stderr: int, stdout_line: bool) -> None:
    """Run ``vetkg build`` and kill it with SIGKILL as soon as it has printed so many progress
    lines (its stages), or its first line of output, which it prints once the set is in place."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(lines_on_stderr):
            assert process.stderr.readline(), "the build ended before the stage to kill it at"
        if stdout_line:
            assert process.stdout.readline(), "the build wrote nothing"
    finally:
        process.kill()
        process.communicate()


def test_a_kill_at_any_stage_leaves_the_old_or_the_new_build(tmp_path):
    """``vetkg build`` is killed with SIGKILL at the start of each of its stages, and once its
    new set is in place; each kill leaves one whole build, never a mix."""
    out = tmp_path / "build"
    old_data = tmp_path / "old-data"
    shutil.copytree(FIXTURES / "mini-data", old_data)
    themes = old_data / "themes.csv"
    themes.write_text(themes.read_text(encoding="utf-8").replace(",skilled talent,", ",skilled workers,"),
                      encoding="utf-8")
    vetkg = [sys.executable, "-m", "vetkg", "build", "--out", str(out), "--data", str(old_data)]
    new_command = [*vetkg[:-1], str(FIXTURES / "mini-data")]
    finished = subprocess.run(new_command, check=True, capture_output=True, text=True)
    new = contents(out)
    stages = finished.stderr.count("\n")
    assert stages >= 5, finished.stderr
    subprocess.run(vetkg, check=True, capture_output=True)
    old = contents(out)
    assert old != new and MANIFEST in old and MANIFEST in new
    for stage in range(1, stages + 1):
        killed_after(new_command, stage, stdout_line=False)
        found = contents(out)
        assert found in (old, new), f"a kill at stage {stage} left a mix"
        # Until the last stage, which writes the set, the old build stands whole.
        assert stage == stages or found == old, f"a kill at stage {stage} left the new build"
        if found == new:
            subprocess.run(vetkg, check=True, capture_output=True)
    killed_after(new_command, stages, stdout_line=True)
    assert contents(out) == new
    # A killed run may leave its staging folder beside the output; the next run removes it.
    subprocess.run(new_command, check=True, capture_output=True)
    assert contents(out) == new
    assert leftovers(out) == []


def test_sigterm_while_the_set_is_written_leaves_the_old_set_and_no_staging_folder(tmp_path):
    out = tmp_path / "build"
    write_output_set(out, {out / "a.txt": "old"})
    before, handler = contents(out), signal.getsignal(signal.SIGTERM)

    def stopped(_path):
        os.kill(os.getpid(), signal.SIGTERM)

    with pytest.raises(SystemExit) as stop:
        write_output_set(out, {out / "a.txt": "new"}, folders={"store": stopped})
    assert stop.value.code == 128 + signal.SIGTERM
    assert contents(out) == before and leftovers(out) == []
    # Outside a write, SIGTERM is handled as it was.
    assert signal.getsignal(signal.SIGTERM) == handler


def test_sigterm_stops_the_server_and_removes_its_temporary_store(tmp_path, graph):
    dump = tmp_path / "vetkg.nt"
    dump.write_text(graph.serialize(format="nt"), encoding="utf-8")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    server = subprocess.Popen([sys.executable, "-m", "vetkg", "serve", "--port", "0", "--graph", str(dump)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env={**os.environ, "TMPDIR": str(temporary)})
    try:
        assert "serving on" in server.stdout.readline()
        assert [path.name for path in temporary.iterdir() if path.name.startswith("vetkg-store-")]
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=PATIENCE) == 0
    finally:
        server.kill()
        server.communicate()
    assert not [path.name for path in temporary.iterdir() if path.name.startswith("vetkg-store-")]
