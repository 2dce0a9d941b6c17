"""schemathesis against /openapi.json: generated requests never get a 5xx, and answers match the spec.

All of schemathesis' checks run except positive_data_acceptance: the schema can say
"a binary file" but not "a budget disclosure", so schema-valid bytes are rightly
refused with 415 or 422. Both valid and deliberately invalid requests are generated.
"""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_api_never_fails_on_generated_requests(server, mode: GenerationMode) -> None:
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json")
    for result in schema.get_all_operations():
        operation = result.ok()
        if mode is GenerationMode.NEGATIVE and not ({"parameters", "requestBody"} & operation.definition.raw.keys()):
            continue  # nothing to make invalid

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case) -> None:
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        check()
