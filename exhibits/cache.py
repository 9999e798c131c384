"""The page cache of anonymous public pages, per language, invalidated by a content version.

A cached page is served from the cache alone: no session, no user and no query is read (the
anonymous visitor has no cookies to look up). The browse and search pages also keep their facet
counts in the cache under the same version (``exhibits.search.facet_counts``), so a page not yet
cached does not count the whole catalogue again.

Any save or delete of archive or exhibit records moves the version (``basics.content``,
watched from ``archive.apps`` and ``exhibits.apps``), so a published, withdrawn or edited item
shows at once; today's date is in the key too, so an embargo that lifts at midnight lifts on the
cached pages as well.
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from basics.content import bump_content_version, content_version

__all__ = ["PAGE_TIMEOUT", "bump_content_version", "content_version", "page_key", "public_page"]

PAGE_TIMEOUT = 60 * 15


def page_cache_enabled() -> bool:
    """``EXHIBITS_PAGE_CACHE = False`` turns the page cache off (``manage.py bench`` measures pages so)."""
    return getattr(settings, "EXHIBITS_PAGE_CACHE", True)


def _cacheable_request(request: HttpRequest) -> bool:
    if not page_cache_enabled():
        return False
    if request.method not in ("GET", "HEAD"):
        return False
    if "messages" in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def page_key(request: HttpRequest) -> str:
    digest = hashlib.sha256(request.get_full_path().encode("utf-8", "surrogatepass")).hexdigest()
    language = translation.get_language() or "vi"
    return f"exhibits:page:{content_version()}:{timezone.localdate().isoformat()}:{language}:{digest}"


def public_page(view):
    """Cache a public view's 200 responses for anonymous visitors, never for signed-in staff."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = page_key(request)
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            response = HttpResponse(content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if (
            response.status_code == 200
            and not getattr(response, "streaming", False)
            and not response.cookies
            and not getattr(request, "_exhibits_no_cache", False)
        ):
            cache.set(key, (response.content, response["Content-Type"]), PAGE_TIMEOUT)
        return response

    return wrapper
