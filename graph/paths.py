"""Where the project's inputs are: the package data, and the shared folder beside a checkout.

The curated tables, the ontology and the query catalogue are package data (``vetkg.data``,
``vetkg.ontology``, ``vetkg.queries``), so an installed vetkg finds them from any folder; in
a checkout they are the repository's own ``data/``, ``ontology/`` and ``queries/``.
"""

import os
from importlib.resources import files
from pathlib import Path

DATA_DIR = Path(str(files("vetkg.data")))
ONTOLOGY_DIR = Path(str(files("vetkg.ontology")))
ONTOLOGY_FILE = ONTOLOGY_DIR / "vet.ttl"
# The SKOS concept schemes, apart from the OWL ontology; the graph holds both.
SCHEMES_FILE = ONTOLOGY_DIR / "schemes.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
QUERIES_DIR = Path(str(files("vetkg.queries")))
# The checkout's root, for a curator's files (review/); in an installed package, its folder.
ROOT = DATA_DIR.parent
DEFAULT_BUILD_DIR = Path("build")

# The report and the reference tables sit in the shared folder beside the repository;
# VETKG_SHARED points elsewhere when a checkout lives in another place. An installed package
# works without them: the report is then not read back against the quotes.
SHARED_DIR = Path(os.environ.get("VETKG_SHARED", ROOT.parent / "shared"))
SOURCE_FILE = SHARED_DIR / "source" / "000_8bccd1680dbc5b0d.txt"
REFERENCE_DIR = SHARED_DIR / "reference"
