"""The IRI spaces of vetkg as text, for code that needs no rdflib terms (and so no rdflib)."""

ID_SPACE = "https://w3id.org/vetkg/id/"
ONTOLOGY_SPACE = "https://w3id.org/vetkg/ontology#"
