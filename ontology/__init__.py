"""The ontology and the SHACL shapes, shipped with the package as ``vetkg.ontology``."""
