"""The agency API against its own OpenAPI document: schemathesis generates valid and invalid requests for every
operation, with a real key of an agency that has cases, and checks that every answer is documented (status, content
type, body schema) and never a server error."""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from portal.agencies.tests.factories import make_agency
from portal.applications.models import Application
from portal.applications.tests.factories import submitted_application
from portal.integrations.actions import agency_api as actions
from portal.integrations.models import ApiScope
from portal.services.tests.factories import make_service

CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            # A well-formed folio that names no case of the key's agency is a 404; a refused change, a 409.
            "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "404", "409"]},
        },
    }
)
schema = schemathesis.openapi.from_wsgi("/api/agencias/v1/openapi.json", WSGIHandler(), config=CONFIG)


@pytest.fixture(scope="module")
def api_token(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            agency = make_agency("ESQ")
            service = make_service(agency, homoclave="ESQ-01-001")
            for _ in range(3):
                application = submitted_application(service)
                Application.objects.filter(pk=application.pk).update(
                    submitted_at=timezone.now() - dt.timedelta(hours=1)
                )
            _key, token = actions.do_create_api_key(agency, name="Pruebas", scope=ApiScope.WRITE, actor=None)
            yield token
        finally:
            transaction.set_rollback(True)


@pytest.fixture
def in_test_transaction():
    """Let the real WSGI application, called in this thread, see the test's transaction (see portal/api's test)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_agency_api_honours_its_openapi_document(case, api_token, in_test_transaction):
    case.call_and_validate(headers={"Authorization": f"Bearer {api_token}"})
