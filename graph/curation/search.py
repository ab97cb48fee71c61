"""Find entities by a name: any zh or en label, alternative label, acronym or MOE code.

The index is built once per store from three catalogue queries (``queries/search/``) and
kept in memory: every name is normalised (NFKC, case-folded, without spaces or punctuation)
and posted under each of its character bigrams. A search scores only the names that share
bigrams with the query, so its cost grows with the names that resemble the query, not with
the graph. Scores run from 0 to 100:

- 100: the query equals a name once normalised (深圳职业技术大学, 深圳職業技術大學, ＳＺＰＵ,
  4144011113): traditional characters fold to simplified ones (OpenCC), full-width to half-width;
- 98: it equals a name but for the kind of a division it begins with (天津职业大学 for
  天津市职业大学), near-equal, never alone an automatic match;
- 60–95: the query is part of a name, or a name is part of the query (广东 … 职业技术学院);
- 55–90: a name holds every part of the query, a division and the rest (深圳职业 for
  深圳信息职业技术学院);
- up to 90: the names share enough bigrams (the Dice coefficient), which catches typos and
  variant characters (深圳职业技朮大学).

Results are sorted by score, then by whether the preferred label matched, then by label and
id, so that the same query always gives the same list.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import pickle
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from vetkg.query import catalogue
from vetkg.query.text_table import text_table
from vetkg.spaces import ID_SPACE, ONTOLOGY_SPACE

# Spaces, punctuation and symbols: 《》“”()·-, and the like; letters and digits remain.
NOT_A_NAME_CHARACTER = re.compile(r"[\W_]+")
# A division is often named without its kind: 广东 for 广东省, 广西 for 广西壮族自治区. The
# index also holds that short form of a division's zh name; the graph does not state it.
DIVISION_KIND = re.compile(
    r"(?:(?:壮族|回族|维吾尔|藏族|苗族|侗族|彝族|土家族|朝鲜族|布依族|傣族|白族|哈尼族|蒙古族|"
    r"哈萨克|柯尔克孜|蒙古|羌族|黎族|傈僳族|景颇族)*自治[区州县]|特别行政区|地区|盟|省|市)$")
DIVISION = "https://schema.org/AdministrativeArea"
LOWEST_SCORE = 40.0
NEAR_EQUAL = 98.0
ID_PREFIX = ID_SPACE


@functools.cache
def _simplified():
    import opencc

    return opencc.OpenCC("t2s")


def normalise(name: str) -> str:
    """The form in which names are compared.

    ＳＺＰＵ, szpu and S.Z.P.U. are one, and so are 深圳職業技術大學 and 深圳职业技术大学.
    """
    simplified = _simplified().convert(unicodedata.normalize("NFKC", name))
    return NOT_A_NAME_CHARACTER.sub("", simplified.casefold())


def bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def name_score(query: str, name: str) -> float:
    """How well a normalised query fits a normalised name, 0–100."""
    if query == name:
        return 100.0
    if query in name:
        return 60.0 + 35.0 * len(query) / len(name) - (0.0 if name.startswith(query) else 2.0)
    if name in query and len(name) > 1:
        return 50.0 + 40.0 * len(name) / len(query)
    mine, theirs = bigrams(query), bigrams(name)
    return 90.0 * 2 * len(mine & theirs) / (len(mine) + len(theirs))


@dataclass
class Entity:
    """What a result shows of an entity, and what reconciliation compares."""

    iri: str
    zh: str = ""
    en: str = ""
    # Every class the entity has and each superclass; ``direct`` are its own.
    classes: set[str] = field(default_factory=set)
    direct: set[str] = field(default_factory=set)
    provinces: set[str] = field(default_factory=set)
    locations: set[str] = field(default_factory=set)
    code: str = ""

    @property
    def id(self) -> str:
        """The local id, as in /id/<id>; an IRI outside vetkg stays whole."""
        return self.iri[len(ID_PREFIX):] if self.iri.startswith(ID_PREFIX) else self.iri


@dataclass(frozen=True)
class Match:
    entity: Entity
    score: float
    # The name that matched, as the graph writes it, and whether it is the preferred label.
    name: str
    preferred: bool


def curie(iri: str) -> str:
    """vet:Province for the ontology's IRI, and so on for the project's prefixes."""
    if iri.startswith(ONTOLOGY_SPACE):
        return "vet:" + iri[len(ONTOLOGY_SPACE):]
    # The other prefixes are rdflib's namespaces, which the ontology's own terms do without.
    from vetkg.namespaces import PREFIXES

    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(str(item[1]))):
        if iri.startswith(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)):]}"
    return iri


def _values(store: pyoxigraph.Store, query: str) -> list[tuple[str, ...]]:
    """Each solution's values as text, '' where unbound.

    They are read from Oxigraph's own JSON, several times faster than making rdflib terms.
    """
    from vetkg.query.store import select_bindings

    variables, solutions = select_bindings(store, catalogue.text(query))
    # Interned, so that the many repeats of a class or place are one string, also when pickled.
    return [tuple(sys.intern(solution[name]["value"]) if name in solution else "" for name in variables)
            for solution in solutions]


class NameIndex:
    """Every entity's names, posted by bigram; see the module's docstring."""

    def __init__(self, store: pyoxigraph.Store):
        superclasses: dict[str, set[str]] = defaultdict(set)
        for class_, superclass in _values(store, "search/superclasses"):
            superclasses[class_].add(superclass)
        self.entities: dict[str, Entity] = {}
        for iri, zh, en, class_, province, location, code in _values(store, "search/entities"):
            entity = self.entities.setdefault(iri, Entity(iri, zh, en, code=code))
            entity.direct.add(class_)
            entity.classes.update({class_} | superclasses[class_])
            entity.provinces.update([province] if province else [])
            entity.locations.update([location] if location else [])
        # (normalised name, the name as written, entity IRI, preferred?, a variant?)
        self.names: list[tuple[str, str, str, bool, bool]] = []
        self.postings: dict[str, list[int]] = defaultdict(list)
        self.names_of: dict[str, set[str]] = defaultdict(set)
        # A division's normalised name in full (天津市) and without its kind (天津).
        self.divisions: dict[str, str] = {}
        for iri, name, kind in _values(store, "search/names"):
            normal = normalise(name)
            if iri not in self.entities or not normal:
                continue
            self._add(normal, name, iri, kind == "label")
            if DIVISION in self.entities[iri].classes and kind == "label":
                short = DIVISION_KIND.sub("", normal)
                if len(short) > 1 and short != normal:
                    self._add(short, name, iri, True)
                    self.divisions[normal] = short
        # A name that begins with a division in full is also known without the division's kind.
        for normal, name, iri, preferred, _ in list(self.names):
            variant = self.without_division_kind(normal)
            if variant != normal and DIVISION not in self.entities[iri].classes:
                self._add(variant, name, iri, preferred, variant=True)
        self.types = {row[0]: row[1:] for row in _values(store, "search/types")}

    def without_division_kind(self, normal: str) -> str:
        """天津职业大学 for 天津市职业大学: the leading division's name without its kind."""
        for length in range(min(len(normal) - 1, 12), 1, -1):
            short = self.divisions.get(normal[:length])
            if short:
                return short + normal[length:]
        return normal

    def parts(self, normal: str) -> list[str]:
        """A query's parts: a division it begins with (in full or not) and the rest."""
        for length in range(min(len(normal) - 2, 12), 1, -1):
            head = normal[:length]
            if head in self.divisions or head in self.divisions.values():
                return [self.divisions.get(head, head), normal[length:]]
        return [normal]

    def _add(self, normal: str, name: str, iri: str, preferred: bool, variant: bool = False) -> None:
        self.names.append((normal, name, iri, preferred, variant))
        self.names_of[iri].add(normal)
        for gram in bigrams(normal):
            self.postings[gram].append(len(self.names) - 1)

    def place_names(self, iri: str) -> set[str]:
        """The normalised names and id of an entity, as a property value may give them."""
        entity = self.entities.get(iri)
        return self.names_of.get(iri, set()) | ({normalise(entity.id)} if entity else set())

    def type_name(self, class_iri: str) -> str:
        zh, en, _ = self.types.get(class_iri, ("", "", ""))
        return " · ".join(part for part in (zh, en) if part) or curie(class_iri)

    def _candidates(self, query: str) -> set[int]:
        """The names that share at least a third of the query's bigrams."""
        grams = bigrams(query)
        shared = Counter(i for gram in grams for i in self.postings.get(gram, ()))
        needed = max(1, len(grams) // 3)
        return {i for i, count in shared.items() if count >= needed}

    def search(self, text: str, limit: int = 10, types: frozenset[str] = frozenset()) -> list[Match]:
        """The best match of each entity whose names fit ``text``, best first.

        ``types`` are class IRIs: an entity of none of them, or of no subclass, is left out.
        """
        query = normalise(text)
        if not query:
            return []
        parts = self.parts(query)
        variant = self.without_division_kind(query)
        best: dict[str, Match] = {}
        for i in self._candidates(query) | (self._candidates(variant) if variant != query else set()):
            normal, name, iri, preferred, near = self.names[i]
            entity = self.entities[iri]
            if types and not types & entity.classes:
                continue
            score = name_score(query, normal)
            if variant != query:
                score = max(score, min(name_score(variant, normal), NEAR_EQUAL))
            if near:
                score = min(score, NEAR_EQUAL)
            if len(parts) > 1 and all(part in normal for part in parts):
                score = max(score, 55.0 + 35.0 * len(query) / max(len(normal), len(query)))
            score = round(score, 1)
            if score < LOWEST_SCORE:
                continue
            match = Match(entity, score, name, preferred)
            if iri not in best or _rank(match) < _rank(best[iri]):
                best[iri] = match
        return sorted(best.values(), key=_rank)[:limit]


def built_index(store_path: Path) -> NameIndex:
    """The index of a built store (``vetkg.build.built_store``), made once and kept in the cache.

    It is kept by the fingerprint of the inputs the store was built from, of this module and
    of the queries that read the names, so that it is never older than the store or the code;
    other indexes are removed.
    """
    from vetkg.build.built_store import built_from, cache_root
    from vetkg.build.writing import write_atomically

    store_path = Path(store_path)
    fingerprint = built_from(store_path.parent)
    store = pyoxigraph.Store.read_only(str(store_path))
    if fingerprint is None:
        return NameIndex(store)
    folder = cache_root() / "search"
    code = hashlib.sha256(Path(__file__).read_bytes())
    for query in catalogue.group("search"):
        code.update(query.text.encode("utf-8"))
    kept = folder / f"{fingerprint}-{code.hexdigest()[:16]}.pickle"
    if kept.is_file():
        # Written by this function into the user's own cache, like a compiled module. The
        # collector would walk the many new objects again and again as they are made.
        gc.disable()
        try:
            return pickle.loads(kept.read_bytes())
        finally:
            gc.enable()
    index = NameIndex(store)
    write_atomically({kept: pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL)})
    for other in folder.glob("*.pickle"):
        if other != kept:
            other.unlink(missing_ok=True)
    return index


def _rank(match: Match):
    return (-match.score, not match.preferred, match.entity.zh, match.entity.iri)


def format_matches(index: NameIndex, matches: list[Match]) -> str:
    """An aligned text table of matches for a terminal, with the id to use in /id/<id>."""
    rows = [[f"{match.score:.1f}", match.entity.id, match.entity.zh, match.entity.en,
             " · ".join(curie(class_) for class_ in sorted(match.entity.direct)),
             "" if match.name in (match.entity.zh, match.entity.en) else match.name]
            for match in matches]
    return text_table(["score", "id", "zh", "en", "class", "matched"], rows)
