"""The catalogue's texts in Vietnamese and English (django-modeltranslation).

Each registered field gets ``<field>_vi`` (the text every record has) and ``<field>_en``; reading
the field itself gives the current language's text, falling back to the Vietnamese. The item's
history is registered here, after its translation fields exist, so that both languages are
versioned (django-simple-history's way with modeltranslation).
"""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from archive.models import Item
from archive.models.items import GENERATED_SEARCH_FIELDS


@register(Item)
class ItemTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "description")
    empty_values = ""  # an empty text is stored as "", as before


register_history(Item, excluded_fields=["search_text", *GENERATED_SEARCH_FIELDS])
