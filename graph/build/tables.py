"""Load the curated tables and registers under data/ into typed rows, in four separate steps.

1. read every declared table into typed rows (``vetkg.build.reading``) and define their ids;
2. check the rows against each other: references, links, hierarchies (``vetkg.build.row_checks``);
3. check each quote against its own source's file, and the report's names against the
   report (``vetkg.build.quotes``), where the shared folder holds them;
4. resolve the registers' strings (``vetkg.build.registers``).

Every problem of every step is reported in one pass, as ``data/<file>:<line>: <column>: <what>``.
"""

from __future__ import annotations

from pathlib import Path

from vetkg.build.quotes import check_quotes, check_report_names, source_files
from vetkg.build.reading import read_table
from vetkg.build.registers import resolve_registers
from vetkg.build.row_checks import check_rows
from vetkg.build.rows import DataError, Tables
from vetkg.build.schema import TABLES
from vetkg.paths import DATA_DIR, SHARED_DIR

__all__ = ["DataError", "Tables", "load_tables", "read_tables"]


def read_tables(data_dir: Path, problems: list[str]) -> Tables:
    """Every declared table's rows, and the table that defines each id (step 1)."""
    data_dir = Path(data_dir)
    rows, id_table, where = {}, {}, {}

    def define(identifier: str, name: str, place: str, column: str) -> None:
        if identifier in id_table:
            problems.append(f"{place}: {column}: {identifier!r} is already defined at {where[identifier]}")
        else:
            id_table[identifier], where[identifier] = name, place

    for name, table in TABLES.items():
        path = data_dir / table.path
        if not path.exists():
            problems.append(f"{table.display}:0: file: is missing")
            continue
        rows[name] = read_table(table, path, problems)
        for row in rows[name]:
            if table.defines_ids:
                define(row.key, name, f"{table.display}:{row.line}", table.key)
            if table.source:
                # Each row of a register is evidence that other rows may cite.
                define(row.evidence_id, "evidence", f"{table.display}:{row.line}", "row")
    return Tables(rows, id_table)


def load_tables(data_dir: Path = DATA_DIR, shared_dir: Path = SHARED_DIR) -> Tables:
    """Load and check every declared table; raise DataError listing all problems.

    The quotes are checked against the source files that ``shared_dir`` holds; an installed
    package without the shared folder checks the rest.
    """
    problems: list[str] = []
    tables = read_tables(data_dir, problems)
    check_rows(tables, problems)
    files = source_files(tables, shared_dir)
    check_quotes(tables, files, problems)
    check_report_names(tables, files, problems)
    tables.registers = resolve_registers(tables, problems)
    if problems:
        raise DataError(problems)
    return tables
