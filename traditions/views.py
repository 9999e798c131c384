"""Site-wide views that belong to no app."""

import threading

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

#: Seconds /healthz waits for the database before it answers 503: a load balancer's check must
#: get an answer in time even when the database's packets are lost, not hang with it.
HEALTH_TIMEOUT = 1.5


def _ask_database(answer: dict) -> None:
    """Run in its own thread, on its own connection, closed after: a probe stuck on a dead network
    ends by itself within the connection's timeouts (DJANGO_DB_CONNECT_TIMEOUT, DJANGO_DB_NETWORK_TIMEOUT_MS)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        answer["database"] = "ok"
    except DatabaseError:
        answer["database"] = "unavailable"
    finally:
        connection.close()


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers a query within HEALTH_TIMEOUT, 503 when it does not (for load balancers)."""
    answer: dict = {}
    probe = threading.Thread(target=_ask_database, args=(answer,), name="healthz", daemon=True)
    probe.start()
    probe.join(HEALTH_TIMEOUT)
    if answer.get("database") == "ok":
        return JsonResponse({"status": "ok", "database": "ok"})
    return JsonResponse({"status": "error", "database": answer.get("database", "no answer")}, status=503)


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico whatever the page says; send them to the SVG icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
