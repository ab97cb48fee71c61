"""Typed rows: what reading a table gives, and what every later step of the build takes."""

from __future__ import annotations

from dataclasses import dataclass, field

from vetkg.build.schema import TABLES


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
        return value[0] if isinstance(value, tuple) else table.entity_id(value)

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
    # What the registers say once their strings are resolved: the ``Registers`` that the last
    # step of loading sets (``vetkg.build.registers``, which reads these rows).
    registers: object = None

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

    def __reduce__(self):
        # The build reads the tables in a process of its own, which sends this back whole.
        return (DataError, (self.problems,))
