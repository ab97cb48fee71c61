"""Write files so that a failure or a kill part-way leaves every earlier file as it was.

``write_atomically`` replaces single files. ``write_output_set`` replaces a whole output
folder, such as build/, in one step: its files are written into a staging folder beside it,
which is then exchanged with the old folder by one ``renameat2(RENAME_EXCHANGE)`` call, so
that a reader, or a kill at any moment, sees either the old set or the new one.
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


def manifest_text(files: dict[str, bytes]) -> str:
    """``sha256sum -c`` input for the files, by their path relative to the output folder."""
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items()))


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


def write_output_set(out_dir: Path, files: dict[Path, str | bytes],
                     folders: dict[str, Callable[[Path], None]] | None = None) -> list[Path]:
    """Make ``out_dir`` hold exactly these files (paths under it) and a SHA256SUMS manifest.

    ``folders`` are filled in place by their functions, each given its path, and are left out
    of the manifest: they hold a database, whose bytes differ from run to run.

    An existing ``out_dir`` is replaced only if it is empty or an earlier output set (it has
    the manifest, or the N-Triples dump of a build before manifests), so that a mistyped
    --out never deletes other files.
    """
    given, out_dir = Path(out_dir), Path(out_dir).absolute()
    if out_dir.exists() and any(out_dir.iterdir()) and not any(
            (out_dir / name).is_file() for name in (MANIFEST, EARLIER_MARKER)):
        raise OutputFolderError(f"{given} is not empty and holds no {MANIFEST} of an earlier build; "
                                "give a new or empty folder")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(out_dir)
    contents = {Path(path).absolute().relative_to(out_dir).as_posix():
                text.encode("utf-8") if isinstance(text, str) else text for path, text in files.items()}
    with _stopped_by_exception():
        _replace(out_dir, contents, folders or {})
    return sorted(given / name for name in [*contents, MANIFEST, *(folders or {})])


def _replace(out_dir: Path, contents: dict[str, bytes], folders: dict[str, Callable[[Path], None]]) -> None:
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}{_STAGING}{os.getpid()}-", dir=out_dir.parent))
    try:
        os.chmod(staging, 0o777 & ~_umask())
        for name, data in contents.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            _write(staging / name, data)
        _write(staging / MANIFEST, manifest_text(contents))
        for name, fill in folders.items():
            fill(staging / name)
        if not out_dir.exists():
            os.rename(staging, out_dir)
        elif not _exchange(staging, out_dir):
            # Without an exchange, out_dir is briefly absent, never a mix of two sets.
            aside = staging.with_name(staging.name + "-old")
            os.rename(out_dir, aside)
            os.rename(staging, out_dir)
            staging = aside
    finally:
        # After the exchange, the staging folder holds the old set.
        shutil.rmtree(staging, ignore_errors=True)
