"""Write files so that a failure or a kill part-way leaves every earlier file as it was.

``write_atomically`` replaces single files. ``OutputSet`` (and ``write_output_set``, for a set
held in memory) replaces a whole output folder, such as build/, in one step: its files are
written into a staging folder beside it, which is then exchanged with the old folder by one
``renameat2(RENAME_EXCHANGE)`` call, so that a reader, or a kill at any moment, sees either
the old set or the new one.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import hashlib
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

# The file that lists an output set with its checksums, in the format of sha256sum.
MANIFEST = "SHA256SUMS"
EARLIER_MARKER = "vetkg.nt"
_STAGING = ".staging-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputFolderError(Exception):
    """The output folder holds something that is not an earlier output set."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write(path: Path, text: str | bytes) -> None:
    data = text.encode("utf-8") if isinstance(text, str) else text
    with open(path, "wb") as stream:
        stream.write(data)


def write_atomically(files: dict[Path, str | bytes]) -> None:
    """Write every file to a temporary name first, then rename them all into place.

    If anything fails before the renames, no existing file has been touched. Files get the
    permissions of any new file (0644 under the usual umask), not the 0600 of a temporary one.
    """
    mode = 0o666 & ~_umask()
    temporary: dict[Path, Path] = {}
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            os.close(handle)
            temporary[path] = Path(name)
            _write(temporary[path], text)
            os.chmod(name, mode)
        for path, temp in temporary.items():
            os.replace(temp, path)
    finally:
        for temp in temporary.values():
            if temp.exists():
                temp.unlink()


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step; False where the system cannot (not Linux, old kernel)."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS):
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


def _remove_stale_staging(out_dir: Path) -> None:
    """Remove staging folders that a killed run left beside the output folder."""
    pattern = re.compile(rf"\.{re.escape(out_dir.name)}{_STAGING}([0-9]+)-")
    for stale in out_dir.parent.glob(f".{out_dir.name}{_STAGING}*"):
        owner = pattern.match(stale.name)
        if owner and int(owner.group(1)) != os.getpid() and not _alive(int(owner.group(1))):
            shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


@contextlib.contextmanager
def _stopped_by_exception():
    """Within it, SIGTERM ends the process as Ctrl-C does, by an exception.

    So the ``finally`` that removes the staging folder runs; a SIGKILL's leftover is removed
    by the next run. Only the main thread can set a handler: elsewhere nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, _frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


class OutputSet:
    """An output folder being written: into a staging folder beside it, until ``commit``.

    A long job writes its files one by one, each as soon as it is ready (``path``, ``write``),
    so that nothing needs to be held in memory until the end. ``commit`` writes the SHA256SUMS
    manifest of the files and exchanges the staging folder with the output folder in one step;
    leaving the ``with`` block without a commit (an error, Ctrl-C, SIGTERM) removes the staging
    folder, and the output folder is as it was.

    An existing ``out_dir`` is replaced only if it is empty or an earlier output set (it has
    the manifest, or the N-Triples dump of a build before manifests), so that a mistyped
    --out never deletes other files.
    """

    def __init__(self, out_dir: Path):
        self.given, self.out_dir = Path(out_dir), Path(out_dir).absolute()
        if self.out_dir.exists() and any(self.out_dir.iterdir()) and not any(
                (self.out_dir / name).is_file() for name in (MANIFEST, EARLIER_MARKER)):
            raise OutputFolderError(f"{self.given} is not empty and holds no {MANIFEST} of an earlier build; "
                                    "give a new or empty folder")
        self.folders: list[str] = []
        self.staging: Path | None = None

    def __enter__(self) -> OutputSet:
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_staging(self.out_dir)
        self._signals = _stopped_by_exception()
        self._signals.__enter__()
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}{_STAGING}{os.getpid()}-",
                                             dir=self.out_dir.parent))
        os.chmod(self.staging, 0o777 & ~_umask())
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            # After a commit, the staging folder holds the old set.
            shutil.rmtree(self.staging, ignore_errors=True)
        finally:
            self._signals.__exit__(*exc_info)

    def path(self, name: str) -> Path:
        """Where the file ``name`` (relative to the output folder) is written before the commit."""
        path = self.staging / name
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def write(self, name: str, text: str | bytes) -> None:
        _write(self.path(name), text)

    def folder(self, name: str) -> Path:
        """A folder of the set that the manifest leaves out: it holds a database, whose bytes vary."""
        self.folders.append(name)
        return self.staging / name

    def commit(self) -> list[Path]:
        """Write the manifest and put the set in place of the output folder; return its paths."""
        names = sorted(path.relative_to(self.staging).as_posix() for path in self.staging.rglob("*")
                       if path.is_file() and path.relative_to(self.staging).parts[0] not in self.folders)
        _write(self.staging / MANIFEST, "".join(f"{_file_digest(self.staging / name)}  {name}\n"
                                                for name in names))
        if not self.out_dir.exists():
            os.rename(self.staging, self.out_dir)
        elif not _exchange(self.staging, self.out_dir):
            # Without an exchange, out_dir is briefly absent, never a mix of two sets.
            aside = self.staging.with_name(self.staging.name + "-old")
            os.rename(self.out_dir, aside)
            os.rename(self.staging, self.out_dir)
            self.staging = aside
        return sorted(self.given / name for name in [*names, MANIFEST, *self.folders])


def write_output_set(out_dir: Path, files: dict[Path, str | bytes],
                     folders: dict[str, Callable[[Path], None]] | None = None) -> list[Path]:
    """Make ``out_dir`` hold exactly these files (paths under it) and a SHA256SUMS manifest.

    ``folders`` are filled in place by their functions, each given its path, and are left out
    of the manifest (see ``OutputSet``, which this writes through).
    """
    output = OutputSet(out_dir)
    with output:
        for path, text in files.items():
            output.write(Path(path).absolute().relative_to(output.out_dir).as_posix(), text)
        for name, fill in (folders or {}).items():
            fill(output.folder(name))
        return output.commit()
