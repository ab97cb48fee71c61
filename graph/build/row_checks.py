"""Checks of rows against other rows and the schema: references, links, and hierarchies that loop.

Each problem is reported as ``data/<file>:<line>: <column>: <what>``, at the row that
makes it: the second of two rows that clash, the row whose reference closes a cycle.
"""

from __future__ import annotations

from vetkg.build.schema import LINK_TARGETS, TABLES, RowsAre


def check_references(tables, problems: list[str]) -> None:
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
                        f"{table.display}:{row.line}: {column.name}: {ref!r} {where};"
                        f" expected an id of {' or '.join(column.targets)}"
                    )


def check_links(tables, problems: list[str]) -> None:
    """Each link's identifier is well formed, and links never clash.

    An identifier has the form of its target dataset (Q42, 1809867, CN-GX …); an entity has
    one identifier per target, and an identifier of a target names one entity.
    """
    for name in (name for name, table in TABLES.items() if table.rows_are is RowsAre.LINK):
        display = TABLES[name].display
        by_entity: dict[tuple, int] = {}
        by_identifier: dict[tuple, tuple[str, int]] = {}
        for row in tables.rows.get(name, []):
            entity, target, identifier = (row.values[key] for key in ("entity", "target", "identifier"))
            if target and identifier and not LINK_TARGETS[target].is_identifier(identifier):
                problems.append(f"{display}:{row.line}: identifier: {identifier!r} is not "
                                f"a {target} identifier")
            if not (entity and target and identifier):
                continue
            seen = by_entity.setdefault((entity, target), row.line)
            if seen != row.line:
                problems.append(f"{display}:{row.line}: target: {entity[0]!r} already has a {target} "
                                f"identifier at line {seen}")
            other, line = by_identifier.setdefault((target, identifier), (entity[0], row.line))
            if line != row.line and other != entity[0]:
                problems.append(f"{display}:{row.line}: identifier: {target} {identifier!r} is already "
                                f"the identifier of {other!r} at line {line}")
            elif line != row.line:
                problems.append(f"{display}:{row.line}: identifier: repeats line {line}")


def hierarchy_columns(table_name: str) -> list[str]:
    """The single-valued references of a table into itself, such as broader, part_of and within."""
    return [column.name for column in TABLES[table_name].columns
            if column.kind == "ref" and not column.many and table_name in column.targets]


def check_hierarchies(tables, problems: list[str]) -> None:
    """No chain of a hierarchy column leads back to where it started.

    Rows are taken in file order; each reference is followed up the chain made by the rows
    before it, which never loops, so a cycle is reported once, at the row that closes it.
    """
    for name in TABLES:
        for column in hierarchy_columns(name):
            up: dict[str, str] = {}
            for row in tables.rows.get(name, []):
                target = row.values[column]
                if not target:
                    continue
                start, node, chain = row.key, target[0], [row.key]
                while node is not None and node != start:
                    chain.append(node)
                    node = up.get(node)
                if node == start:
                    loop = " → ".join([*chain, start])
                    problems.append(f"{TABLES[name].display}:{row.line}: {column}: closes a cycle: {loop}")
                    continue
                up[start] = target[0]


def check_rows(tables, problems: list[str]) -> None:
    """Every check of rows against rows, each problem appended to ``problems``."""
    check_references(tables, problems)
    check_links(tables, problems)
    check_hierarchies(tables, problems)
