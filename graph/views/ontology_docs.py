"""The ontology's documentation: pyLODE's page of ``vet.ttl``, with the concept schemes.

pyLODE shows every label of a term side by side, so each zh and en pair is joined into one
"zh · en" label in the copy that it reads; the ontology itself is unchanged. pyLODE knows
nothing of ``schemes.ttl``: its schemes and their concepts are a section of our own,
placed before pyLODE's namespaces, with one anchor per concept as for a class.
"""

from __future__ import annotations

import logging

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from vetkg.namespaces import VET
from vetkg.paths import ONTOLOGY_FILE, SCHEMES_FILE

JOINED = (RDFS.label, DCTERMS.title)
SECTION_BEFORE = '<div id="namespaces"'


def _pylode_page(ontology: Graph) -> str:
    # pyLODE configures the root logger at DEBUG as it loads; keep the caller's logging, and
    # keep pyLODE's records out of it.
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    logging.disable(logging.CRITICAL)
    try:
        from pylode import OntPub

        publication = OntPub(ontology, sort_subjects=True)
        # pyLODE makes a term's anchor from its label; ours are its local name, which is what
        # entity pages and the w3id IRIs (vet:Local → /ontology#Local) point at.
        publication.fids.update({str(term): str(term)[len(str(VET)):] for term in set(ontology.all_nodes())
                                 if str(term).startswith(str(VET)) and str(term) != str(VET)})
        return publication.make_html()
    finally:
        logging.disable(logging.NOTSET)
        root.setLevel(level)
        root.handlers[:] = handlers


def _bilingual(graph: Graph) -> Graph:
    """A copy in which each term's zh and en label (and title) are one label, "zh · en"."""
    joined = Graph()
    for triple in graph:
        joined.add(triple)
    for predicate in JOINED:
        for subject in set(graph.subjects(predicate, None)):
            by_language = {label.language: str(label) for label in graph.objects(subject, predicate)}
            if {"zh", "en"} <= set(by_language):
                joined.remove((subject, predicate, None))
                joined.add((subject, predicate, Literal(f"{by_language['zh']} · {by_language['en']}")))
    return joined


SCHEMES_SECTION = """<div id="schemes" class="section">
<h2>Concept schemes 概念体系</h2>
{% for scheme in schemes %}<div class="property entity" id="{{ scheme.local }}">
<h3>{{ scheme.zh }} · {{ scheme.en }}</h3>
<p><code>{{ scheme.iri }}</code></p>
{% for definition in scheme.definitions %}<p>{{ definition }}</p>{% endfor %}
{% if scheme.concepts %}<table>
<tr><th>concept</th><th>notation</th><th>zh</th><th>en</th><th>definition</th></tr>
{% for concept in scheme.concepts %}<tr id="{{ concept.local }}">
<td><code>vet:{{ concept.local }}</code></td><td>{{ concept.notation }}</td>
<td>{{ concept.zh }}</td><td>{{ concept.en }}</td><td>{{ concept.definition }}</td></tr>
{% endfor %}</table>
{% else %}<p>Its concepts are entities of the data, each with its page under /id/.</p>{% endif %}
</div>
{% endfor %}</div>
"""


def _term(graph: Graph, term) -> dict:
    labels = {label.language: str(label) for label in graph.objects(term, RDFS.label)}
    definitions = {text.language: str(text) for text in graph.objects(term, SKOS.definition)}
    return {"iri": str(term), "local": str(term)[len(str(VET)):], "zh": labels.get("zh", ""),
            "en": labels.get("en", ""), "definition": definitions.get("en", ""),
            "definitions": [definitions[language] for language in sorted(definitions)],
            "notation": str(graph.value(term, SKOS.notation) or "")}


def _schemes_section(schemes: Graph) -> str:
    """The concept schemes and their concepts, as HTML in pyLODE's manner."""
    from jinja2 import Environment

    listed = [{**_term(schemes, scheme), "concepts": [
        _term(schemes, concept) for concept in sorted(schemes.subjects(SKOS.inScheme, scheme))]}
        for scheme in sorted(schemes.subjects(RDF.type, SKOS.ConceptScheme))]
    return Environment(autoescape=True).from_string(SCHEMES_SECTION).render(schemes=listed)


def ontology_html() -> str:
    """The documentation page of the ontology and its concept schemes."""
    ontology = Graph().parse(ONTOLOGY_FILE, format="turtle")
    html = _pylode_page(_bilingual(ontology))
    if SECTION_BEFORE not in html:
        raise RuntimeError("pyLODE's page has no namespaces section to put the concept schemes before")
    schemes = Graph().parse(SCHEMES_FILE, format="turtle")
    return html.replace(SECTION_BEFORE, _schemes_section(schemes) + SECTION_BEFORE, 1)
