"""Aligned text tables for terminals, where a CJK character takes two columns."""

from __future__ import annotations


def width(text: str) -> int:
    return sum(2 if "\u2e80" <= char <= "\uffef" else 1 for char in text)


def text_table(header: list[str], rows: list[list[str]]) -> str:
    """The header, a rule, the rows with their columns aligned, and the count of rows."""
    lines_of = [header, *rows]
    widths = [max(width(row[i]) for row in lines_of) for i in range(len(header))]
    lines = []
    for n, row in enumerate(lines_of):
        lines.append("  ".join(cell + " " * (widths[i] - width(cell)) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * column for column in widths))
    lines.append(f"({len(rows)} rows)")
    return "\n".join(lines) + "\n"
