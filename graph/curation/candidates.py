"""Link candidates awaiting a person's review, and their move into ``data/links.csv``.

The tools that look for links (``vetkg link wikidata``, ``vetkg link ror``) write what they
find to a review file outside ``data/``, as ``proposed`` or, where a name fits more than one
record or one record more than one entity, ``ambiguous``. A person marks rows ``accepted``
or ``rejected``; ``vetkg link accept`` then moves the accepted rows into ``data/links.csv``,
which is the only way a tool writes into the curated tables, and only on that request.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, fields
from pathlib import Path

from vetkg.build.schema import LINK_TARGETS, TABLES
from vetkg.build.writing import write_atomically
from vetkg.paths import DATA_DIR, ROOT

CANDIDATES_FILE = ROOT / "review" / "link-candidates.csv"
LINKS_FILE = DATA_DIR / "links.csv"
STATUSES = ("proposed", "ambiguous", "accepted", "rejected")


class CandidateError(Exception):
    """Accepting the candidates would break the links table; ``problems`` says where."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True, order=True)
class Candidate:
    """A proposed link of a vetkg entity to a record of another dataset.

    ``label_zh`` and ``label_en`` are the record's names; ``score`` is the share of the
    entity's names that match; ``name`` is the English name the link gives the entity, which
    only ROR, the registry of the institutions' own names, supplies.
    """

    entity: str
    target: str
    identifier: str
    label_zh: str
    label_en: str
    score: str
    status: str
    retrieved: str
    name: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return self.entity, self.target, self.identifier


COLUMNS = [field.name for field in fields(Candidate)]


def read_candidates(path: Path = CANDIDATES_FILE) -> list[Candidate]:
    """The candidates of a review file; CandidateError names each row a person left malformed.

    A person edits the file by hand: a status that is not one of STATUSES (a typo such as
    ``acepted``) would otherwise drop the row from what is accepted without a word.
    """
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        if reader.fieldnames != COLUMNS:
            raise CandidateError([f"{path}:1: header: expected {','.join(COLUMNS)}"])
        candidates, problems = [], []
        for line, row in enumerate(reader, start=2):
            if None in row or None in row.values():
                problems.append(f"{path}:{line}: row: does not have the header's {len(COLUMNS)} cells")
            elif row["status"] not in STATUSES:
                problems.append(f"{path}:{line}: status: {row['status']!r} is not one of "
                                f"{', '.join(STATUSES)}")
            else:
                candidates.append(Candidate(**row))
    if problems:
        raise CandidateError(problems)
    return candidates


def merge_candidates(existing: list[Candidate], found: list[Candidate]) -> list[Candidate]:
    """New candidates replace the old proposals; a person's decision is kept."""
    merged = {candidate.key: candidate for candidate in found}
    for candidate in existing:
        if candidate.status in ("accepted", "rejected") or candidate.key not in merged:
            merged[candidate.key] = candidate
    return sorted(merged.values())


def _csv(header: list[str], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _candidates_text(candidates: list[Candidate]) -> str:
    return _csv(COLUMNS, ([getattr(candidate, column) for column in COLUMNS] for candidate in candidates))


def write_candidates(candidates: list[Candidate], path: Path = CANDIDATES_FILE) -> None:
    write_atomically({Path(path): _candidates_text(candidates)})


def _read_links(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    return rows[0], rows[1:]


def accept_candidates(candidates_file: Path = CANDIDATES_FILE, links_file: Path = LINKS_FILE) -> int:
    """Move the accepted candidates into the links table; return how many were moved.

    Raises CandidateError, and changes neither file, when an accepted row would give an entity
    a second identifier in the same dataset, or give one identifier to a second entity.
    """
    candidates = read_candidates(candidates_file)
    accepted = [candidate for candidate in candidates if candidate.status == "accepted"]
    header, rows = _read_links(links_file)
    expected = [column.name for column in TABLES["links"].columns]
    if header != expected:
        raise CandidateError([f"{links_file}:1: header: expected {','.join(expected)}"])
    by_entity = {(row[0], row[1]): row[2] for row in rows}
    by_identifier = {(row[1], row[2]): row[0] for row in rows}
    problems = []
    for candidate in accepted:
        entity, target, identifier = candidate.key
        if target not in LINK_TARGETS or not LINK_TARGETS[target].is_identifier(identifier):
            problems.append(f"{candidates_file}: {entity}: {identifier!r} is not a {target} identifier")
        elif by_entity.get((entity, target), identifier) != identifier:
            problems.append(f"{candidates_file}: {entity} already has the {target} identifier "
                            f"{by_entity[(entity, target)]}, not {identifier}")
        elif by_identifier.get((target, identifier), entity) != entity:
            problems.append(f"{candidates_file}: {target} {identifier} already belongs to "
                            f"{by_identifier[(target, identifier)]}, not {entity}")
        else:
            by_entity[(entity, target)] = identifier
            by_identifier[(target, identifier)] = entity
            if [entity, target, identifier] not in (row[:3] for row in rows):
                rows.append([entity, target, identifier, candidate.name, ""])
    if problems:
        raise CandidateError(problems)
    write_atomically({
        links_file: _csv(header, sorted(rows)),
        candidates_file: _candidates_text([c for c in candidates if c.status != "accepted"]),
    })
    return len(accepted)
