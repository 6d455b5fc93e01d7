"""Property-based test of the whole JSON API from its own OpenAPI document (schemathesis).

Every operation in /api/v1/openapi.json, those added later included, gets EXAMPLES generated
requests (fixed seed: the same ones every run) as an administrator, as a keeper and anonymously, on
both backends. No answer may be a 5xx, and every answer must match what the document says about
it (status code documented or default, body valid against its schema). Failures are collected per
operation, so one run names all of them.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from relief_stock.auth import operations as auth_ops
from relief_stock.database import atomic

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))  # a deeper run: FUZZ_EXAMPLES=50
CHECKS = [not_a_server_error, response_schema_conformance]


def _fresh_context(app):
    """Each request in its own app context, as under a real server (g, the user, the locale)."""

    def wsgi(environ, start_response):
        with app.app_context():
            return list(app(environ, start_response))

    return wsgi


@pytest.mark.parametrize("role", ["admin", "keeper", "anonymous"])
def test_no_server_errors_and_answers_match_the_document(app, backend, world, receive_one, role):
    receive_one(20)
    headers = {}
    if role != "anonymous":
        with atomic():
            _token, secret = auth_ops.issue_token(world.users[role], "fuzz")
        headers = {"Authorization": f"Bearer {secret}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _fresh_context(app))
    failures, tally = [], {"operations": 0, "requests": 0, "5xx": 0, "schema violations": 0}
    for result in schema.get_all_operations():
        operation = result.ok()
        tally["operations"] += 1

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def probe(case):
            response = case.call(headers=headers)
            tally["requests"] += 1
            tally["5xx"] += response.status_code >= 500
            try:
                case.validate_response(response, checks=[response_schema_conformance], headers=headers)
            except (Exception, BaseExceptionGroup):
                tally["schema violations"] += 1
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except (Exception, BaseExceptionGroup) as failure:  # a group of failed checks
                failures.append(f"{case.operation.label} -> {response.status_code}: {str(failure)[:400]}")

        probe()
    # The figures for the record (pytest -s shows them): what was asked, and what went wrong.
    print(f"\nschemathesis on {backend} as {role}: " + ", ".join(f"{v} {k}" for k, v in tally.items()))
    assert failures == [], "\n".join(failures[:40])
