"""Values every page of the site shell needs."""

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

from archive.institution import current as current_institution
from traditions.navigation import main_navigation


def _search_url() -> str:
    try:
        return reverse("exhibits:search")
    except NoReverseMatch:
        return ""


def site(request: HttpRequest) -> dict:
    return {
        "main_navigation": SimpleLazyObject(lambda: main_navigation(request.path)),
        "search_url": SimpleLazyObject(_search_url),
        "institution": SimpleLazyObject(current_institution),
    }
