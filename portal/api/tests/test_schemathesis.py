"""The API against its own OpenAPI document: schemathesis generates valid and invalid requests for every operation
and checks that each answer is documented (status, content type, body schema) and never a server error."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            # A well-formed identifier that names nothing (tema=abc) is the client's mistake, answered 400.
            "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "404"]},
        },
    }
)
# Loaded when the module is imported (the schema needs no database). schemathesis's lazy ``from_fixture`` loader does
# not work with pytest 9 (it rewrites a node attribute that pytest no longer has).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler(), config=CONFIG)


@pytest.fixture
def in_test_transaction():
    """Let the real WSGI application, called in this thread, see the test's transaction.

    Django closes "old" database connections around every request, which would end that transaction; its own test
    client switches that off in the same way.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_honours_its_openapi_document(case, catalogue, in_test_transaction):
    case.call_and_validate()
