"""Texts kept in Vietnamese and, where someone wrote one, in English.

A record's English text sits in ``<field>_en`` (django-modeltranslation's fields, and the
registers' own ``name_en``/``summary_en``); its Vietnamese text is the one every record has.
"""

from django.conf import settings
from django.utils.translation import get_language


def text_language(obj, field: str) -> str:
    """The language of the text an English page shows for ``obj.<field>``: the current language
    when the record has a text in it, else Vietnamese (the text every record has)."""
    current = get_language() or settings.LANGUAGE_CODE
    if current == settings.LANGUAGE_CODE or getattr(obj, f"{field}_{current}", ""):
        return current
    return settings.LANGUAGE_CODE
