"""``schemathesis run --checks all`` against /openapi.json of a real gunicorn, as a user runs it.

Every check runs, in every phase (coverage, fuzzing, stateful), with the settings of the
repository's schemathesis.toml (why each is there is written in it). The served schema
depends on the settings: the ``callback`` field is described only where callbacks are on.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"


def test_schemathesis_with_all_checks_passes(server) -> None:
    done = subprocess.run(
        [
            str(SCHEMATHESIS),
            "run",
            "--checks",
            "all",
            "--max-examples",
            "50",
            "--no-color",
            server.url + "/openapi.json",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and "failed" not in done.stdout.split("SUMMARY")[-1]


def test_callback_is_described_only_where_callbacks_are_on(server, make_server) -> None:
    def form(url: str) -> dict:
        spec = requests.get(url + "/openapi.json", timeout=10).json()
        return spec["paths"]["/api/v1/jobs"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]

    assert "127\\.0\\.0\\.1" in form(server.url)["properties"]["callback"]["pattern"]
    assert "callback" not in form(make_server(BUDGETPACK_CALLBACK_HOSTS="").url)["properties"]
