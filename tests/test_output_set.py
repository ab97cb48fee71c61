"""An output folder is replaced as a whole: a kill at any moment leaves one build, never a mix."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vetkg.build import writing
from vetkg.build.writing import MANIFEST, OutputFolderError, write_output_set

FIXTURES = Path(__file__).parent / "fixtures"


def contents(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


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


def test_a_kill_at_any_moment_leaves_the_old_or_the_new_build(tmp_path):
    """``vetkg build`` is killed with SIGKILL at moments spread over its whole run."""
    out = tmp_path / "build"
    old_data = tmp_path / "old-data"
    shutil.copytree(FIXTURES / "mini-data", old_data)
    themes = old_data / "themes.csv"
    themes.write_text(themes.read_text(encoding="utf-8").replace(",skilled talent,", ",skilled workers,"),
                      encoding="utf-8")
    vetkg = [sys.executable, "-m", "vetkg", "build", "--out", str(out), "--data", str(old_data)]
    subprocess.run(vetkg, check=True, capture_output=True)
    old = contents(out)
    new_command = [*vetkg[:-1], str(FIXTURES / "mini-data")]
    started = time.monotonic()
    subprocess.run(new_command, check=True, capture_output=True)
    duration = time.monotonic() - started
    new = contents(out)
    assert old != new and MANIFEST in old and MANIFEST in new
    seen = set()
    for step in range(10):
        subprocess.run(vetkg, check=True, capture_output=True)
        process = subprocess.Popen(new_command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * (0.5 + step / 9 * 0.6))
        process.send_signal(signal.SIGKILL)
        process.wait()
        found = contents(out)
        assert found in (old, new), f"a kill after step {step} left a mix"
        seen.add("new" if found == new else "old")
    assert seen == {"old", "new"}, f"the kills fell only where the build was {seen}"
    # A killed run may leave its staging folder beside the output; the next run removes it.
    subprocess.run(new_command, check=True, capture_output=True)
    assert contents(out) == new
    assert leftovers(out) == []
