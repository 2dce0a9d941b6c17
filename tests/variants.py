"""The variant fixtures (tests/fixtures/variants): renderings and edited DOCX files made
from the corpus by tests/fixtures/render_variants.py, listed in its manifest."""
from __future__ import annotations

import json
from functools import cache

from tests.truth import FIXTURES, load_truth

VARIANTS_DIR = FIXTURES / "variants"
MANIFEST: list[dict] = json.loads((VARIANTS_DIR / "manifest.json").read_text(encoding="utf-8"))["variants"]


def variants_of(ext: str) -> list[str]:
    """File names of the variants of one format (``pdf`` or ``docx``)."""
    return [v["file"] for v in MANIFEST if v["file"].endswith("." + ext)]


@cache
def variant_truth(name: str) -> dict:
    """What the variant prints: its own truth when its content was edited (amounts
    scaled, organisation renamed, years shifted), else its source document's."""
    entry = next(v for v in MANIFEST if v["file"] == name)
    if entry.get("truth_file"):
        return json.loads((VARIANTS_DIR / entry["truth_file"]).read_text(encoding="utf-8"))
    return load_truth(entry["source"][:3])
