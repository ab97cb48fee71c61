"""Propose ROR links, and Wikidata links through ROR, for organisations by their exact zh names.

The reference is the shared folder's subset of ROR's Chinese records (CC0). An organisation
is a candidate for a record when its zh name equals the record's name or one of its aliases,
exactly; withdrawn and inactive records are left out. A name that fits several records, or a
record that several organisations' names fit, is ``ambiguous``: it waits for a person and
never becomes a link by itself. The record's English name comes with the link, as the
institution's own published name.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from vetkg.build.schema import LINK_TARGETS
from vetkg.curation.candidates import Candidate
from vetkg.paths import REFERENCE_DIR
from vetkg.query import catalogue
from vetkg.query.store import run_query

ROR_FILE = REFERENCE_DIR / "ror_cn_organizations_subset.csv"


def read_records(path: Path = ROR_FILE) -> list[dict[str, str]]:
    """The active records of the reference, each with its list of zh names and aliases."""
    with path.open(encoding="utf-8", newline="") as stream:
        records = [row for row in csv.DictReader(stream) if row["status"] == "active"]
    for record in records:
        record["names"] = [name.strip() for name in record["name_zh"].split(";") if name.strip()]
    return records


def ror_candidates(store, records: list[dict[str, str]]) -> list[Candidate]:
    """A ROR candidate, and a Wikidata one where the record has a QID, per matching name."""
    by_name = defaultdict(set)
    for record in records:
        for name in record["names"]:
            by_name[name].add(record["ror"])
    by_id = {record["ror"]: record for record in records}
    entities = run_query(store, catalogue.text("link/ror-unlinked")).plain_rows()
    matches = {entity: sorted(by_name.get(label, ())) for entity, label, _wikidata in entities}
    claimed = defaultdict(set)
    for entity, found in matches.items():
        for identifier in found:
            claimed[identifier].add(entity)
    has_wikidata = {entity for entity, _label, wikidata in entities if wikidata}
    candidates = []
    for entity, found in matches.items():
        for identifier in found:
            ror_id = LINK_TARGETS["ror"].identifier_of(identifier)
            if ror_id is None:
                # Not a ROR IRI: nothing a person could accept.
                continue
            record = by_id[identifier]
            status = "proposed" if len(found) == 1 and len(claimed[identifier]) == 1 else "ambiguous"
            local = entity.rsplit("/", 1)[1]
            names = (record["names"][0], record["name_en"], "1.0", status, f"ROR {record['ror_release']}")
            candidates.append(Candidate(local, "ror", ror_id, *names, name=record["name_en"]))
            items = [item.strip() for item in record["wikidata"].split(";") if item.strip()]
            if entity not in has_wikidata:
                # A record that gives several items leaves the choice to a person.
                wikidata_status = status if len(items) == 1 else "ambiguous"
                candidates += [Candidate(local, "wikidata", item, *names[:3], wikidata_status, names[4])
                               for item in items]
    return sorted(set(candidates))
