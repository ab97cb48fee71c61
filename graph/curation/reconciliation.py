"""The W3C Reconciliation Service API, version 0.2, over the name index (``vetkg.curation.search``).

A spreadsheet tool such as OpenRefine sends a batch of names, each with an optional type and
properties, and gets candidates back with a score and a ``match`` flag. Ids are the local
ids of ``https://w3id.org/vetkg/id/`` (the manifest's identifierSpace); types and properties
are the ontology's local names (its schemaSpace). See
https://www.w3.org/community/reports/reconciliation/CG-FINAL-specs-0.2-20230410/.

Scoring: the name's score, 0–100; a property that disagrees multiplies it by 0.6, and an
entity of another type (with ``type_strict: should``) by 0.8. A 学校标识码 that agrees makes
the score 100. ``match`` is true when one candidate alone scores 100 and no property
disagrees with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from vetkg.curation.search import Entity, Match, NameIndex, curie, normalise
from vetkg.namespaces import VET

VERSIONS = ["0.2"]
ID_SPACE = "https://w3id.org/vetkg/id/"
SCHEMA_SPACE = str(VET)
DEFAULT_LIMIT = 5
# Past this, one request would hold a worker for long; OpenRefine sends 10 at a time.
BATCH_SIZE = 50
DEFAULT_TYPES = ("EducationalInstitution", "VocationalInstitution", "PublicAuthority",
                 "ProvincialDivision", "City", "PolicyDocument", "Initiative")
DISAGREEING = 0.6
OTHER_TYPE = 0.8


class ReconcileError(ValueError):
    """A request that does not follow the specification; the message says what is wrong."""


@dataclass(frozen=True)
class Property:
    id: str
    zh: str
    en: str

    @property
    def name(self) -> str:
        return f"{self.zh} · {self.en}"


PROPERTIES = {prop.id: prop for prop in (
    Property("moeCode", "学校标识码", "MOE school code"),
    Property("province", "所属省份", "province"),
    Property("location", "所在地", "location"),
)}


def manifest(base_url: str) -> dict:
    """The service manifest, with the addresses of this server's views, previews and suggest."""
    service = {"service_url": base_url}
    return {
        "versions": VERSIONS,
        "name": "vetkg: China's vocational education and training",
        "identifierSpace": ID_SPACE,
        "schemaSpace": SCHEMA_SPACE,
        "documentation": f"{base_url}/",
        "view": {"url": f"{base_url}/id/{{{{id}}}}"},
        "preview": {"url": f"{base_url}/reconcile/preview?id={{{{id}}}}", "width": 420, "height": 160},
        "suggest": {kind: {**service, "service_path": f"/reconcile/suggest/{kind}"}
                    for kind in ("entity", "type", "property")},
        "batchSize": BATCH_SIZE,
    }


def with_default_types(document: dict, index: NameIndex) -> dict:
    return {**document, "defaultTypes": [_type(index, VET[name]) for name in DEFAULT_TYPES]}


def _type(index: NameIndex, class_iri: str) -> dict:
    return {"id": _type_id(class_iri), "name": index.type_name(str(class_iri))}


def _type_id(class_iri: str) -> str:
    class_iri = str(class_iri)
    return class_iri[len(SCHEMA_SPACE):] if class_iri.startswith(SCHEMA_SPACE) else curie(class_iri)


def type_iri(type_id: str) -> str:
    if type_id.startswith(("http://", "https://")):
        return type_id
    return SCHEMA_SPACE + type_id.removeprefix("vet:")


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _query_types(query: dict) -> frozenset[str]:
    types = query.get("type", [])
    if not all(isinstance(item, str) for item in _as_list(types)):
        raise ReconcileError("type must be a string or a list of strings")
    return frozenset(type_iri(item) for item in _as_list(types) if item)


def _property_values(query: dict) -> list[tuple[str, list[str]]]:
    """(property id, the normalised values given) for each property of the query."""
    properties = query.get("properties", [])
    if not isinstance(properties, list):
        raise ReconcileError("properties must be a list")
    found = []
    for prop in properties:
        if not isinstance(prop, dict) or "pid" not in prop or "v" not in prop:
            raise ReconcileError('each property needs "pid" and "v"')
        if prop["pid"] not in PROPERTIES:
            raise ReconcileError(f"unknown property {prop['pid']!r}; known: {', '.join(PROPERTIES)}")
        values = []
        for value in _as_list(prop["v"]):
            value = value.get("id", value.get("name", "")) if isinstance(value, dict) else value
            values.append(normalise(str(value)))
        found.append((prop["pid"], [value for value in values if value]))
    return found


def _agrees(index: NameIndex, entity: Entity, pid: str, values: list[str]) -> bool:
    if pid == "moeCode":
        return entity.code in values
    places = entity.provinces if pid == "province" else entity.locations
    return any(value in index.place_names(place) for place in places for value in values)


def _candidate(match: Match, index: NameIndex, score: float) -> dict:
    entity = match.entity
    return {
        "id": entity.id, "name": entity.zh, "score": score, "match": False,
        "description": " · ".join(part for part in (entity.en, match.name if match.name not in
                                                      (entity.zh, entity.en) else "") if part),
        "type": [_type(index, class_) for class_ in sorted(entity.direct)],
    }


def reconcile_one(index: NameIndex, query: dict) -> list[dict]:
    """The candidates for one query object of a batch, best first."""
    if not isinstance(query, dict) or not isinstance(query.get("query", ""), str):
        raise ReconcileError('a query is an object whose "query" is a string')
    limit = query.get("limit", DEFAULT_LIMIT)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise ReconcileError("limit must be a positive integer")
    limit = min(limit, 100)
    types = _query_types(query)
    strictness = query.get("type_strict", "any")
    if strictness not in ("any", "all", "should"):
        raise ReconcileError('type_strict must be "any", "all" or "should"')
    properties = _property_values(query)
    # A query may give only a code: the code is then the name searched for.
    text = query.get("query", "") or next((values[0] for pid, values in properties
                                          if pid == "moeCode" and values), "")
    matches = index.search(text, limit=max(limit * 4, 20),
                           types=types if strictness == "any" else frozenset())
    scored = []
    for match in matches:
        entity, score, agreeing = match.entity, match.score, True
        if types and strictness == "all" and not types <= entity.classes:
            continue
        if types and strictness == "should" and not types & entity.classes:
            score *= OTHER_TYPE
        for pid, values in properties:
            if _agrees(index, entity, pid, values):
                score = 100.0 if pid == "moeCode" else score
            else:
                score, agreeing = score * DISAGREEING, False
        scored.append((round(score, 1), agreeing, match))
    scored.sort(key=lambda item: (-item[0], not item[2].preferred, item[2].entity.zh, item[2].entity.iri))
    candidates = [_candidate(match, index, score) for score, _, match in scored[:limit]]
    if scored and scored[0][0] == 100.0 and scored[0][1] and (
            len(scored) == 1 or scored[1][0] < 100.0):
        candidates[0]["match"] = True
    return candidates


def reconcile(index: NameIndex, queries) -> dict:
    """The answer to a batch: each query's key with its candidates."""
    if not isinstance(queries, dict) or not queries:
        raise ReconcileError("queries must be a non-empty object of query objects")
    if len(queries) > BATCH_SIZE:
        raise ReconcileError(f"a batch holds at most {BATCH_SIZE} queries; this one has {len(queries)}")
    return {key: {"result": reconcile_one(index, query)} for key, query in queries.items()}


def suggest(index: NameIndex, kind: str, prefix: str, cursor: int = 0) -> dict:
    """Entities, types or properties whose names begin with or contain ``prefix``."""
    if kind == "entity":
        found = [{"id": match.entity.id, "name": match.entity.zh, "description": match.entity.en}
                 for match in index.search(prefix, limit=cursor + 10)]
    elif kind == "type":
        wanted = normalise(prefix)
        found = [_type(index, class_) for class_ in index.types
                 if class_.startswith(SCHEMA_SPACE) and wanted in normalise(
                     index.type_name(class_) + _type_id(class_))]
    elif kind == "property":
        wanted = normalise(prefix)
        found = [{"id": prop.id, "name": prop.name} for prop in PROPERTIES.values()
                 if wanted in normalise(prop.id + prop.name)]
    else:
        raise ReconcileError(f"no suggest service for {kind!r}")
    return {"result": found[cursor:cursor + 10]}
