"""Property tests of the HTTP API with schemathesis: every operation of /openapi.json is fed
generated requests, valid and invalid, and every check must pass (status codes, content
types and bodies as documented, no 5xx, schema-valid requests accepted, invalid rejected).

The brief routes are the one exception to "schema-valid requests are accepted": a brief
refuses a window longer than briefs.MAX_WINDOW_DAYS, a bound between two parameters that
OpenAPI cannot state, with a 400 naming them.
"""
from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

EXAMPLES = 8  # per operation: bounded, so the suite stays fast


def test_api_schema_every_operation_passes_every_check(seed_db, boundaries_dir):
    from eventwire.web.app import create_app
    from eventwire.services import WebSettings
    app = create_app(WebSettings(db_url=seed_db, boundaries_dir=boundaries_dir))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:
        excluded = [positive_data_acceptance] if operation.path.startswith("/brief") else []

        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case):
            case.call_and_validate(excluded_checks=excluded)
        try:
            check()
        except Exception as exc:  # noqa: BLE001 -- collect every operation's failures
            failures[operation.label] = str(exc)[:2000]
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
