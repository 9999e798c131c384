"""schemathesis against the API's own OpenAPI schema, in process (WSGI, no server): no answer is a
5xx, every status, header and body matches what the schema says, for data the schema allows."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

pytestmark = pytest.mark.django_db

# The schema as the API serves it; reading it touches no database.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture
def connection_kept_open():
    """The WSGI handler closes the database connection at the end of each request when it is
    inside a transaction, as every test is; Django's test client holds these two signals off for
    the same reason, and so does this test while schemathesis calls the application."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(catalogue, make, connection_kept_open):
    """Public and hidden items, an exhibit whose gallery holds both, a leader: every endpoint has
    something to find."""
    exhibit = make.exhibit("Truyền thống vẻ vang", slug="truyen-thong")
    make.block(exhibit, "gallery", items=[catalogue.tradition, catalogue.draft])
    make.leader("Nguyễn Văn Bí Thư", catalogue.bloc, "secretary", start=2010, end=2015)
    return catalogue


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_schema(case, world):
    case.call_and_validate()
