"""Admin search that ignores diacritics and case, for the registers and lists that have no folded column.

"lien chi" finds "Liên chi ủy", "thiet bi dien tu" finds "Thiết bị điện tử": each word of the query,
folded as the catalogue's search folds it, must appear in the folded text of the row's search fields.
The rows' search fields are read and folded here, so this is for lists of thousands of rows (bodies,
bookings, budget lines), not for the items, which search their stored folded text in the database.
"""

from basics.text import fold, fold_words


class FoldedSearchMixin:
    """A ModelAdmin mixin: `search_fields` searched without diacritics (each word in some field)."""

    def get_search_results(self, request, queryset, search_term):
        words = fold_words(search_term)
        if not words:
            return queryset, False
        fields = [name.lstrip("^=@") for name in self.get_search_fields(request)]
        texts: dict[int, list[str]] = {}
        for pk, *values in queryset.order_by().values_list("pk", *fields).iterator(chunk_size=2000):
            texts.setdefault(pk, []).extend(str(value) for value in values if value not in (None, ""))
        matches = [pk for pk, values in texts.items() if all(word in fold(" ".join(values)) for word in words)]
        return queryset.filter(pk__in=matches), False
