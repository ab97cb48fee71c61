"""Read the curated tables under data/ into typed rows, reporting every problem in one pass.

Each table is declared once in ``vetkg.schema``: its columns, their types and the RDF
predicate each column becomes. This module knows nothing about RDF; it only checks the
text of the tables against those declarations and returns typed rows.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from vetkg.kinds import read_cell
from vetkg.paths import DATA_DIR, SHARED_DIR
from vetkg.registers import Registers, resolve_registers
from vetkg.report_check import REPORT_SOURCE, check_against_report
from vetkg.row_checks import check_hierarchies, check_links
from vetkg.schema import TABLES, Table

# Control, format and line- or paragraph-separator characters have no place in a cell.
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}


@dataclass(frozen=True)
class Row:
    """One validated row: its table, its line in the file, and its typed values."""

    table: str
    line: int
    values: dict = field(hash=False)
    # A register row keeps its line as the file has it: the row's cells verbatim.
    text: str = field(default="", hash=False, compare=False)

    @property
    def key(self) -> str:
        table = TABLES[self.table]
        value = self.values[table.key]
        # A table keyed by a reference (links, mentions) is keyed by the entity it names.
        return value[0] if isinstance(value, tuple) else table.id_prefix + value

    @property
    def number(self) -> int:
        """A register row's number: its 序号 where the register has one, else its position."""
        table = TABLES[self.table]
        return self.values[table.row_number] if table.row_number else self.line - 1

    @property
    def evidence_id(self) -> str:
        """The id of the evidence that a register row is."""
        return f"{TABLES[self.table].source}-row-{self.number}"


@dataclass
class Tables:
    """All rows of all tables, and the table in which each id is defined."""

    rows: dict[str, list[Row]]
    id_table: dict[str, str]
    registers: Registers = field(default_factory=Registers)

    def __iter__(self):
        for name in TABLES:
            yield from self.rows.get(name, [])

    def __len__(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


class DataError(Exception):
    """The tables hold problems; ``problems`` lists one line per problem."""

    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem(s) in the data:\n" + "\n".join(problems))
        self.problems = problems


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


def _lines(table: Table, raw: bytes, display: str, problems: list[str]) -> list[str]:
    """The file's lines, each problem reported at its own line.

    Curated tables end their lines with LF; a register keeps the CRLF of its published file,
    so there a lone CR or LF is the problem.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(f"{display}:1: file: starts with a byte-order mark")
        raw = raw[3:]
    ending = b"\r\n" if table.rows_are == "register" else b"\n"
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


def read_table(table: Table, path: Path, display: str, problems: list[str]) -> list[Row]:
    """Read one CSV file into rows, appending a line to ``problems`` for each problem."""
    lines = _lines(table, path.read_bytes(), display, problems)
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


def check_references(tables: Tables, displays: dict[str, str], problems: list[str]) -> None:
    """Every reference names an id defined in one of the tables the column allows."""
    for row in tables:
        table = TABLES[row.table]
        for column in table.columns:
            if column.kind != "ref" or row.values[column.name] is None:
                continue
            for ref in row.values[column.name]:
                found = tables.id_table.get(ref)
                if found not in column.targets:
                    where = f"is defined in {found}" if found else "is not defined"
                    problems.append(
                        f"{displays[row.table]}:{row.line}: {column.name}: {ref!r} {where};"
                        f" expected an id of {' or '.join(column.targets)}"
                    )


def report_file(tables: Tables, shared_dir: Path = SHARED_DIR) -> Path | None:
    """The report's text file, where sources.csv says it is, if it is present."""
    for row in tables.rows.get("sources", []):
        if row.key == REPORT_SOURCE and row.values["path"]:
            path = Path(shared_dir) / row.values["path"]
            return path if path.is_file() else None
    return None


def load_tables(data_dir: Path = DATA_DIR, shared_dir: Path = SHARED_DIR) -> Tables:
    """Load and validate every declared table; raise DataError listing all problems.

    Where the report is present in ``shared_dir``, its quotes and labels are checked against it.
    """
    data_dir = Path(data_dir)
    problems: list[str] = []
    rows: dict[str, list[Row]] = {}
    id_table: dict[str, str] = {}
    where: dict[str, str] = {}
    displays = {}
    def define(identifier: str, name: str, place: str, column: str) -> None:
        if identifier in id_table:
            problems.append(f"{place}: {column}: {identifier!r} is already defined at {where[identifier]}")
        else:
            id_table[identifier] = name
            where[identifier] = place

    for name, table in TABLES.items():
        path = data_dir / table.path
        display = f"data/{table.path}"
        displays[name] = display
        if not path.exists():
            problems.append(f"{display}:0: file: is missing")
            continue
        rows[name] = read_table(table, path, display, problems)
        for row in rows[name]:
            if table.defines_ids:
                define(row.key, name, f"{display}:{row.line}", table.key)
            if table.source:
                # Each row of a register is evidence that other rows may cite.
                define(row.evidence_id, "evidence", f"{display}:{row.line}", "row")
    tables = Tables(rows, id_table)
    check_references(tables, displays, problems)
    check_links(tables, displays, problems)
    check_hierarchies(tables, displays, problems)
    report = report_file(tables, shared_dir)
    if report is not None:
        check_against_report(tables, displays, report.read_text(encoding="utf-8"), problems)
    tables.registers = resolve_registers(tables, problems)
    if problems:
        raise DataError(problems)
    return tables
