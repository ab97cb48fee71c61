"""The files vendored under ``vetkg/views/static``: style sheet, boundary file, query editor.

Pages inline them when written as files of the site, so that they work offline; the server
serves them by name under ``/static/``.
"""

from __future__ import annotations

from importlib import resources


def static_text(name: str) -> str:
    return resources.files("vetkg.views").joinpath("static", name).read_text("utf-8")


def static_files() -> dict[str, bytes]:
    """The files under vetkg/views/static, read once: the only files the server serves by name."""
    folder = resources.files("vetkg.views").joinpath("static")
    return {entry.name: entry.read_bytes() for entry in folder.iterdir() if entry.is_file()}
