"""Table Schemas and the concept map, shipped as JSON data next to this file."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

SCHEMA_DIR = Path(__file__).parent


@cache
def load_json(name: str) -> dict:
    """Read one JSON file of this folder (cached: schemas never change at run time),
    without the ``$comment`` a generated file starts with: it says how the file is
    made, which is no part of the schema a package carries."""
    data = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    data.pop("$comment", None)
    return data
