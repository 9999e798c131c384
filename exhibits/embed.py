"""Views other sites may show in a frame: an exhibit, and the latest public items.

Only these views may be framed, and only by the origins the deployment names
(``EMBED_ORIGINS``, from ``DJANGO_EMBED_ORIGINS``): their Content-Security-Policy says
``frame-ancestors`` 'self' and those origins, and X-Frame-Options is left off for them alone. Every
other page keeps ``X-Frame-Options: DENY`` and ``frame-ancestors 'self'``. The framed pages open
their links in a new window, out of the frame.
"""

from __future__ import annotations

import functools

from csp.constants import SELF
from csp.decorators import csp_replace
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from exhibits import registers, selectors
from exhibits.cache import public_page


def embeddable(view):
    """Let ``view`` be framed by this site and the origins of ``EMBED_ORIGINS`` (read per request)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        ancestors = {"frame-ancestors": [SELF, *settings.EMBED_ORIGINS]}
        framed = csp_replace(ancestors)(xframe_options_exempt(view))
        return framed(request, *args, **kwargs)

    return wrapper


@require_safe
@embeddable
@public_page
def latest_items(request: HttpRequest) -> HttpResponse:
    """The newest public items as cards."""
    return render(request, "exhibits/embed_latest.html", {"items": selectors.latest_items(limit=6)})


@require_safe
@embeddable
@public_page
def exhibit(request: HttpRequest, slug: str) -> HttpResponse:
    """A published exhibit, its blocks showing only public items."""
    found = next((e for e in registers.cached_register("exhibits") if e.slug == slug), None)
    if found is None:
        raise Http404
    return render(request, "exhibits/embed_exhibit.html", {"exhibit": found, "blocks": selectors.exhibit_blocks(found)})
