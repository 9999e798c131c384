"""The exhibits' texts in Vietnamese and English (django-modeltranslation), as the items' are
(see archive.translation); their histories are registered after the translation fields exist."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from exhibits.models import Exhibit, ExhibitBlock


@register(Exhibit)
class ExhibitTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "cover_alt")
    empty_values = ""  # an empty text is stored as "", as before


@register(ExhibitBlock)
class ExhibitBlockTranslationOptions(TranslationOptions):
    fields = ("heading", "text", "quote_source")
    empty_values = ""  # an empty text is stored as "", as before


register_history(Exhibit)
register_history(ExhibitBlock, m2m_fields=["items"])
