"""Template tags of the public pages: search links, pictures, sharing and search-engine tags."""

import json
from html import escape
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse, translate_url
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext

from basics.languages import text_language
from exhibits import images

register = template.Library()


def _changed_url(request, params: dict, changes: dict) -> str:
    """``params`` (the query string without "page") with ``changes`` made: None or "" removes a key."""
    params = dict(params)
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return f"{request.path}?{query}" if query else request.path


@register.simple_tag(takes_context=True)
def query_url(context, **changes) -> str:
    """The current address with some parameters changed (None or "" removes one); back to page 1."""
    request = context["request"]
    return _changed_url(request, {key: value for key, value in request.GET.items() if key != "page"}, changes)


@register.simple_tag(takes_context=True)
def facet_items(context, values, name: str, *, capitalise: bool = False) -> SafeString:
    """The ``<li>`` links of one facet of the browse sidebar, each the address ``query_url`` gives:
    an unselected value is added, a selected one removed. ``name`` "decade" stands for the pair
    year_from, year_to (a decade's label reads "1950–1959").

    Written here rather than as a loop of ``{% query_url %}`` tags: a sidebar has about fifty links.
    Values are escaped with ``html.escape``, as Django's ``escape`` does.
    """
    request = context["request"]
    params = {key: value for key, value in request.GET.items() if key != "page"}
    keys = ("year_from", "year_to") if name == "decade" else (name,)
    unselect = escape(gettext("bỏ chọn"))
    rows = []
    for facet in values:
        label = escape(capfirst(facet.label) if capitalise else facet.label)
        count = escape(intcomma(facet.count))
        if facet.selected:
            href = escape(_changed_url(request, params, dict.fromkeys(keys, "")))
            rows.append(
                f'<li><a aria-current="true" class="facet-selected" href="{href}">{label} <span class="count">'
                f'({count})</span> <span class="visually-hidden">{unselect}</span>✕</a></li>'
            )
        else:
            chosen = {"year_from": facet.value, "year_to": facet.label[5:]} if name == "decade" else {name: facet.value}
            href = escape(_changed_url(request, params, chosen))
            rows.append(f'<li><a href="{href}">{label} <span class="count">({count})</span></a></li>')
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped above


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    request = context["request"]
    params = request.GET.copy()
    params["page"] = str(number)
    return f"{request.path}?{params.urlencode()}"


@register.filter
def lang_attr(obj, field: str) -> SafeString:
    """` lang="vi"` for the element that shows ``obj.<field>`` when the page is in another
    language and the record has no text in it (the Vietnamese is shown), else nothing."""
    language = text_language(obj, field)
    return mark_safe(f' lang="{language}"') if language != get_language() else SafeString("")


@register.filter
def card_picture(item):
    """The picture of an item's card: that of its first media file (primary first) that has one,
    from the media files ``selectors.item_cards`` prefetched."""
    return images.first_picture(item.media.all())


@register.filter
def sources(media_file):
    return images.image_sources(media_file)


@register.filter
def media_url(media_file, variant="original"):
    return images.media_url(media_file, variant)


@register.filter
def download_url(media_file):
    return images.media_url(media_file, download=True)


def _absolute(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


@register.inclusion_tag("exhibits/_seo.html", takes_context=True)
def seo_head(context, title="", description="", image="", kind="website"):
    """Canonical URL, hreflang alternates (vi, en, x-default) and OpenGraph tags of a page."""
    request = context["request"]
    path = request.path
    alternates = [(code, _absolute(translate_url(path, code))) for code, _name in settings.LANGUAGES]
    return {
        "canonical": _absolute(path),
        "alternates": alternates,
        "x_default": _absolute(translate_url(path, settings.LANGUAGE_CODE)),
        "title": title,
        "description": description,
        "image": _absolute(image),
        "kind": kind,
        "language": context.get("LANGUAGE_CODE", "vi"),
    }


@register.filter
def deepzoom_sources(media):
    """The OpenSeadragon tile sources of one media file (each PDF page) or a list of them (one per
    image), as JSON for a data attribute: IIIF ``info.json`` addresses through the checked view,
    or a plain large image for a file whose tiles are not made yet. Empty when none is tiled."""
    files = media if isinstance(media, (list, tuple)) else [media]
    if not any(m.has_tiles for m in files):
        return ""
    found = []
    for m in files:
        if m.has_tiles:
            found += [reverse("archive:media_iiif_info", args=[m.pk, page]) for page in range(m.tiled_pages)]
        else:
            picture = images.image_sources(m)
            found.append({"type": "image", "url": picture.large} if picture else None)
    return json.dumps([f for f in found if f is not None])
