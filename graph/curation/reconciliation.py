"""The W3C Reconciliation Service API, version 0.2, over the name index (``vetkg.curation.search``).

A spreadsheet tool such as OpenRefine sends a batch of names, each with an optional type and
properties, and gets candidates back with a score and a ``match`` flag. Ids are the local
ids of ``https://w3id.org/vetkg/id/`` (the manifest's identifierSpace); types and properties
are the ontology's local names (its schemaSpace). See
https://www.w3.org/community/reports/reconciliation/CG-FINAL-specs-0.2-20230410/.

Scoring: the name's score, 0–100 (``vetkg.curation.search``: traditional characters and
full-width forms fold, a division's kind may be left out); a property that agrees takes it
30 % of the way to 100, one that disagrees multiplies it by 0.6, and an entity of another
type (with ``type_strict: should``) by 0.8. A 学校标识码 that agrees makes the score 100.
``match`` is true when one candidate alone scores 100 and no property disagrees with it.
Each candidate carries these parts as ``features``. Data extension adds an institution's
values from the MOE list (``build/csv/institutions.csv``) as columns.
"""

from __future__ import annotations

from dataclasses import dataclass

from vetkg.curation.search import Entity, Match, NameIndex, curie, normalise
from vetkg.spaces import ID_SPACE, ONTOLOGY_SPACE
from vetkg.views.browse import INSTITUTION_COLUMNS, Column

VERSIONS = ["0.2"]
SCHEMA_SPACE = ONTOLOGY_SPACE
DEFAULT_LIMIT = 5
# Past this, one request would hold a worker for long; OpenRefine sends 10 at a time.
BATCH_SIZE = 50
DEFAULT_TYPES = ("EducationalInstitution", "VocationalInstitution", "PublicAuthority",
                 "ProvincialDivision", "City", "PolicyDocument", "Initiative")
DISAGREEING = 0.6
AGREEING = 0.3
OTHER_TYPE = 0.8


INSTITUTIONS = frozenset({SCHEMA_SPACE + "EducationalInstitution"})


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


# Data extension adds an institution's values from its row of the MOE list.
EXTENSION = INSTITUTION_COLUMNS


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
        "extend": {"propose_properties": {**service, "service_path": "/reconcile/properties"},
                   "property_settings": []},
        "feature_view": {"url": f"{base_url}/#reconciliation-{{{{id}}}}"},
    }


def with_default_types(document: dict, index: NameIndex) -> dict:
    return {**document, "defaultTypes": [_type(index, SCHEMA_SPACE + name) for name in DEFAULT_TYPES]}


def _type(index: NameIndex, class_iri: str) -> dict:
    return {"id": type_id(class_iri), "name": index.type_name(str(class_iri))}


def type_id(class_iri: str) -> str:
    class_iri = str(class_iri)
    return class_iri[len(SCHEMA_SPACE):] if class_iri.startswith(SCHEMA_SPACE) else curie(class_iri)


def type_iri(identifier: str) -> str:
    if identifier.startswith(("http://", "https://")):
        return identifier
    return SCHEMA_SPACE + identifier.removeprefix("vet:")


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


def _candidate(match: Match, index: NameIndex, score: float, features: list[dict]) -> dict:
    entity = match.entity
    return {
        "id": entity.id, "name": entity.zh or entity.en, "score": score, "match": False, "features": features,
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
        features = [{"id": "name", "value": match.score}]
        if types and strictness == "all" and not types <= entity.classes:
            continue
        if types and strictness == "should":
            features.append({"id": "type", "value": bool(types & entity.classes)})
            score *= 1.0 if types & entity.classes else OTHER_TYPE
        for pid, values in properties:
            agrees = _agrees(index, entity, pid, values)
            features.append({"id": pid, "value": agrees})
            if agrees:
                score = 100.0 if pid == "moeCode" else score + (100.0 - score) * AGREEING
            else:
                score, agreeing = score * DISAGREEING, False
        scored.append((round(score, 1), agreeing, match, features))
    scored.sort(key=lambda item: (-item[0], not item[2].preferred, item[2].entity.zh, item[2].entity.iri))
    candidates = [_candidate(match, index, score, features) for score, _, match, features in scored[:limit]]
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
    """Entities, types or properties whose names begin with or contain ``prefix``.

    Entities come institutions first, each kind by how well it matches, so that a school is
    not pushed down by the places its name begins with.
    """
    if kind == "entity":
        matches = index.search(prefix, limit=cursor + 50)
        matches.sort(key=lambda match: not match.entity.classes & INSTITUTIONS)
        found = [{"id": match.entity.id, "name": match.entity.zh or match.entity.en,
                  "description": match.entity.en} for match in matches]
    elif kind == "type":
        wanted = normalise(prefix)
        found = [_type(index, class_) for class_ in index.types
                 if class_.startswith(SCHEMA_SPACE) and wanted in normalise(
                     index.type_name(class_) + type_id(class_))]
    elif kind == "property":
        wanted = normalise(prefix)
        found = [{"id": prop.id, "name": prop.name} for prop in PROPERTIES.values()
                 if wanted in normalise(prop.id + prop.name)]
    else:
        raise ReconcileError(f"no suggest service for {kind!r}")
    return {"result": found[cursor:cursor + 10]}


def propose_properties(asked_type: str = "", limit: int = len(EXTENSION)) -> dict:
    """The values data extension can add: an institution's, whatever the type asked for."""
    properties = [{"id": column.id, "name": f"{column.zh} · {column.en}"} for column in EXTENSION.values()]
    return {"type": asked_type, "properties": properties[:max(limit, 0)], "limit": limit}


def _extension_value(row: dict, column: Column) -> list[dict]:
    value = row.get(column.value, "")
    if not value:
        return []
    if column.label and value.startswith(ID_SPACE):
        return [{"id": value[len(ID_SPACE):], "name": row[column.label]}]
    return [{"str": row[column.label] if column.label else value}]


def extend(rows: dict[str, dict], index: NameIndex, request) -> dict:
    """The values of the asked properties for each id.

    An institution's come from its row of the MOE list; any other entity's names and class
    from the index; an unknown id has none.
    """
    if not isinstance(request, dict) or not isinstance(request.get("ids"), list) or not all(
            isinstance(item, str) for item in request["ids"]):
        raise ReconcileError('extend needs "ids", a list of strings')
    wanted = request.get("properties")
    if not isinstance(wanted, list) or not all(isinstance(item, dict) and "id" in item for item in wanted):
        raise ReconcileError('extend needs "properties", a list of objects with an "id"')
    unknown = [item["id"] for item in wanted if item["id"] not in EXTENSION]
    if unknown:
        raise ReconcileError(f"unknown properties {unknown}; known: {', '.join(EXTENSION)}")
    if len(request["ids"]) > BATCH_SIZE * 10:
        raise ReconcileError(f"extend takes at most {BATCH_SIZE * 10} ids at a time")
    columns = [EXTENSION[item["id"]] for item in wanted]
    answered = {}
    for identifier in request["ids"]:
        row = rows.get(identifier)
        entity = index.entities.get(ID_SPACE + identifier)
        if row is None and entity is not None:
            first = min(entity.direct) if entity.direct else ""
            row = {"nameZh": entity.zh, "nameEn": entity.en, "class": first,
                   "classZh": index.type_name(first) if first else ""}
        answered[identifier] = {column.id: _extension_value(row or {}, column) for column in columns}
    return {"meta": [{"id": column.id, "name": f"{column.zh} · {column.en}"} for column in columns],
            "rows": answered}
