"""Template tags of the site shell."""

from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def language_url(context, language_code: str) -> str:
    """The address of the current page in another language (the language switcher)."""
    request = context.get("request")
    if request is None:
        return "/"
    return translate_url(request.get_full_path(), language_code)


@register.filter
def dong(amount) -> str:
    """`{{ amount|dong }}` renders 1234567 as `1.234.567 ₫`."""
    from basics.money import format_dong

    return format_dong(amount)
