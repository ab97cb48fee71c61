"""Read one curated table or register into typed rows, reporting every problem at its line.

Each table is declared once in ``vetkg.build.schema``: its columns, their types and the RDF
predicate each column becomes. This module knows nothing about RDF; it only checks the
text of a table against its declaration and returns typed rows.
"""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

from vetkg.build.kinds import read_cell
from vetkg.build.rows import Row
from vetkg.build.schema import Table

# Control, format and line- or paragraph-separator characters have no place in a cell.
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}


def _invisible(text: str) -> str | None:
    """A description of the first control or separator character in the text, if any."""
    # Printable text (str.isprintable, fast) holds none of them.
    if text.isprintable():
        return None
    for char in text:
        if unicodedata.category(char) in INVISIBLE_CATEGORIES:
            name = unicodedata.name(char, "a control character")
            return f"U+{ord(char):04X} ({name})"
    return None


def _lines(table: Table, raw: bytes, problems: list[str]) -> list[str]:
    """The file's lines, each problem reported at its own line.

    Curated tables end their lines with LF; a register keeps the ending of its published file,
    so in a CRLF register a lone CR or LF is the problem.
    """
    display = table.display
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(f"{display}:1: file: starts with a byte-order mark")
        raw = raw[3:]
    ending = table.line_ending.encode()
    pieces = raw.split(ending)
    if pieces and pieces[-1] == b"":
        pieces.pop()
    lines, broken = [], False
    for number, piece in enumerate(pieces, start=1):
        try:
            line = piece.decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(f"{display}:{number}: file: byte {piece[error.start]:#04x} at byte "
                            f"{error.start + 1} of the line is not UTF-8")
            broken = True
            continue
        if "\r" in line or "\n" in line:
            problems.append(f"{display}:{number}: file: a line must end with {ending.decode()!r} alone")
            broken = True
        lines.append(line)
    return [] if broken else lines


def _cells(line: str) -> list[str]:
    """One line's cells; csv.Error for an unclosed quote or a cell over the field limit."""
    return next(csv.reader([line], strict=True), [])


def read_table(table: Table, path: Path, problems: list[str]) -> list[Row]:
    """Read one CSV file into rows, appending a line to ``problems`` for each problem.

    Problems name the file as ``table.display``, whatever folder ``path`` is in.
    """
    display = table.display
    lines = _lines(table, path.read_bytes(), problems)
    if not lines:
        return []
    expected = [column.name for column in table.columns]
    try:
        header = _cells(lines[0])
    except csv.Error as error:
        header = [f"({error})"]
    if header != expected:
        problems.append(
            f"{display}:1: header: expected {','.join(expected)}; found {','.join(header or [])}"
        )
        return []
    rows = []
    # One line is one row: a quoted cell cannot hold a line break, so each line parses alone
    # and a problem is reported at the line that has it.
    for line, text in enumerate(lines[1:], start=2):
        try:
            cells = _cells(text)
        except csv.Error as error:
            problems.append(f"{display}:{line}: row: {error}")
            continue
        if len(cells) != len(expected):
            problems.append(f"{display}:{line}: row: has {len(cells)} cells, expected {len(expected)}")
            continue
        # A bad cell becomes None and is reported; the row is kept so that its id still
        # resolves and one mistake does not cascade into errors elsewhere.
        values = {}
        for column, cell in zip(table.columns, cells, strict=True):
            values[column.name] = None
            invisible = _invisible(cell)
            if invisible:
                problems.append(f"{display}:{line}: {column.name}: contains {invisible}")
            elif cell != cell.strip() or "  " in cell:
                problems.append(f"{display}:{line}: {column.name}: stray whitespace in {cell!r}")
            elif not cell:
                if column.required:
                    problems.append(f"{display}:{line}: {column.name}: must not be empty")
            else:
                try:
                    values[column.name] = read_cell(column, cell)
                except ValueError as error:
                    problems.append(f"{display}:{line}: {column.name}: {error}")
        if values[table.key] is not None:
            rows.append(Row(table.name, line, values, lines[line - 1] if table.source else ""))
    return rows
