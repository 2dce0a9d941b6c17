"""The JSON files in schemas/ that build_schemas.py writes are what it writes now: a
schema edited by hand, or a generator change not run, fails here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_generated_schemas_match_their_generator():
    run = subprocess.run(
        [sys.executable, "schemas/tools/build_schemas.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
