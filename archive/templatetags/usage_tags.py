"""``{% usage_beacon kind ref %}``: the script that counts a public page once it has loaded.

The page carries a signed token of what it shows, so the beacon counts only what a page of the
site rendered and the counter needs no query to check it (``archive.usage_views.usage_beacon``).
"""

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html

from archive.models import UsageKind
from archive.usage import search_ref
from archive.usage_views import usage_token

register = template.Library()


@register.simple_tag
def usage_beacon(kind: str, ref: str = "", nothing_found: bool = False) -> str:
    """The beacon of one use; a search that found nothing also counts among those that found nothing."""
    if kind == UsageKind.SEARCH:
        ref = search_ref(ref)
    entries = [(kind, ref)]
    if kind == UsageKind.SEARCH and nothing_found:
        entries.append((UsageKind.SEARCH_EMPTY, ref))
    return format_html(
        '<script src="{}" data-usage-url="{}" data-usage-token="{}" defer></script>',
        static("archive/usage.js"),
        reverse("archive:usage_beacon"),
        usage_token(entries),
    )
