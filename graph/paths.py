"""Where the project's inputs live, relative to the repository root."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
ONTOLOGY_FILE = ROOT / "ontology" / "vet.ttl"
SHAPES_FILE = ROOT / "ontology" / "shapes.ttl"
QUERIES_DIR = ROOT / "queries"
DEFAULT_BUILD_DIR = Path("build")

# The report and the reference tables sit in the shared folder beside the repository;
# VETKG_SHARED points elsewhere when a checkout lives in another place.
SHARED_DIR = Path(os.environ.get("VETKG_SHARED", ROOT.parent / "shared"))
SOURCE_FILE = SHARED_DIR / "source" / "000_8bccd1680dbc5b0d.txt"
REFERENCE_DIR = SHARED_DIR / "reference"
