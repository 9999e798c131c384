"""Browse and search of the public catalogue: diacritic-free matching, portable ranking, facets.

Matching is ``ItemQuerySet.search`` over the archive's folded ``Item.search_text``: on PostgreSQL
its plain words by full-text search (``Item.search_vector``, ``to_tsvector('simple', …)`` under a
GIN index), elsewhere by ``LIKE '% word %'``, and codes by ``LIKE`` over ``search_codes`` (a
trigram index on PostgreSQL); the matches are the same on every database.

Ranking is a few tiers that SQLite and PostgreSQL decide alike (``rank_tiers``): the exact
inventory number, the whole phrase in the title, every word in the title, the whole phrase
anywhere, then every word somewhere. Results come in one order everywhere (``RELEVANCE_ORDER``):
the rank, highest first, then the date with the undated last, then the key. A page is read tier
by tier (``RankedMatches``; the two title tiers in one query), each a filtered query in that order
that stops once the page is full, and the tiers after the page are never asked, so a common
word's first page does not rank every match. On PostgreSQL a tier's title or phrase condition
also carries what it implies as full-text search (``Item.title_vector``, ``Item.search_vector``),
so the planner knows a sparse tier and reads it through an index instead of walking the dates of
every match. The page's count is the facets' total; the facet counts, which do read every match,
are kept in the cache for the query, the filters and the content version (``FACET_TIMEOUT``).
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import html
import itertools
import operator
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import reduce

from django import forms
from django.core.cache import cache
from django.db import connections
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When, prefetch_related_objects
from django.db.models.functions import ExtractYear, StrIndex
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from archive.former_codes import current_code
from archive.models import Body, Item
from archive.models.items import (
    DOCUMENT_TYPE_CHOICES,
    OUTSIDE_PERIODS,
    OUTSIDE_PERIODS_FILTER,
    SEARCH_CONFIG,
    has_digital_copy,
    is_code,
    is_plain_word,
    search_words,
    text_match,
    title_region,
)
from basics.text import fold
from exhibits.cache import content_version
from exhibits.registers import cached_register

#: The rank of an item found only inside the text of its pages: below every match of its own text.
PAGE_RANK = 5
MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 8
MIN_YEAR, MAX_YEAR = 1000, 2999
FACET_TIMEOUT = 60 * 15

SORT_CHOICES = [
    ("relevance", _("Phù hợp nhất")),
    ("-published", _("Mới công bố trước")),
    ("date", _("Ngày tháng: cũ trước")),
    ("-date", _("Ngày tháng: mới trước")),
    ("title", _("Tiêu đề A–Z")),
]


def clean_query(raw: str | None) -> str:
    """What a visitor typed, made safe to search: no control characters, bounded length and words."""
    if not raw:
        return ""
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") else ch for ch in str(raw)[:1000])
    words = text.split()[:MAX_QUERY_WORDS]
    return " ".join(words)[:MAX_QUERY_LENGTH].strip()


class DocumentTypeField(forms.ChoiceField):
    """A document type of the query string; a former code (a bookmarked ``?document_type=nghi-quyet``)
    filters as the code it became."""

    def to_python(self, value):
        return current_code("document_type", super().to_python(value))


class BrowseForm(forms.Form):
    """The query string of the browse/search page; invalid values are dropped, never an error page."""

    q = forms.CharField(required=False)
    # 0: the dated items no period covers ("Ngoài các thời kỳ", archive's OUTSIDE_PERIODS_FILTER).
    period = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1)
    kind = forms.ChoiceField(required=False, choices=[("", ""), *Item.Kind.choices])
    document_type = DocumentTypeField(required=False, choices=[("", ""), *DOCUMENT_TYPE_CHOICES])
    body = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    keyword = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    year_from = forms.IntegerField(required=False, min_value=MIN_YEAR, max_value=MAX_YEAR, label=_("Từ năm"))
    year_to = forms.IntegerField(required=False, min_value=MIN_YEAR, max_value=MAX_YEAR, label=_("Đến năm"))
    digital = forms.BooleanField(required=False)
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES, label=_("Sắp xếp"))

    FILTER_NAMES = ("period", "kind", "document_type", "body", "keyword", "year_from", "year_to", "digital")

    def filters(self) -> dict:
        """The valid values given, whatever else in the query string was wrong."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        values = {name: data.get(name) for name in self.fields if name not in self.errors}
        values["q"] = clean_query(self.data.get("q", "") if "q" not in self.errors else "")
        return values


def apply_filters(queryset: QuerySet, values: dict) -> QuerySet:
    if values.get("period") == 0:
        queryset = queryset.filter(OUTSIDE_PERIODS_FILTER)
    elif values.get("period"):
        queryset = queryset.filter(period_id=values["period"])
    if values.get("kind"):
        queryset = queryset.filter(kind=values["kind"])
    if values.get("document_type"):
        queryset = queryset.filter(document_type=values["document_type"])
    if values.get("body"):
        queryset = queryset.filter(bodies__id=values["body"])
    if values.get("keyword"):
        queryset = queryset.filter(keywords__id=values["keyword"])
    if values.get("year_from"):
        queryset = queryset.filter(date_end__year__gte=values["year_from"])
    if values.get("year_to"):
        queryset = queryset.filter(date_start__year__lte=values["year_to"])
    if values.get("digital"):
        queryset = queryset.digitised()
    return queryset


def rank_tiers(query: str, *, vendor: str = "", pages: bool = True) -> list[list[tuple[int, Q]]]:
    """The ranks a match of ``query`` can have, highest first, each with the condition that gives
    it; a match has the rank of the first condition it meets, and the last (empty) one meets all.
    They come in groups read by one query each (``RankedMatches``): within a group each condition
    implies the next (the phrase in the title implies every word in the title), so the group's
    last condition says which matches it holds.

    A word (between spaces, as the search matches it; a code anywhere) is in the title when it lies
    in ``title_region``. On PostgreSQL (``vendor``) a title condition also says, as full-text
    search over ``Item.title_vector``, what it implies: every plain word of the query is in the
    title; and the phrase anywhere, that its words stand in that order in ``Item.search_vector``.
    That changes no rank; it lets the planner estimate from the columns' statistics how many
    matches a group has, so a group with few is read through its index rather than by walking the
    dates of every match.

    With ``pages`` (the public search, which matches the pages' text too: ``matching_queryset``),
    an item whose own text has every word ranks above one found only inside its pages.
    """
    words = search_words(query)
    phrase = " ".join(words)
    groups = []
    if any(is_code(word) for word in words):  # an inventory number always has digits and "-"
        groups.append([(100, Q(inventory_number__iexact=query.strip()))])
    if phrase:
        region = title_region()
        plain = [word for word in words if is_plain_word(word)]
        in_title_hint = phrase_hint = Q()
        if vendor == "postgresql" and plain:
            from django.contrib.postgres.search import SearchQuery

            in_title_hint = Q(title_vector=SearchQuery(" ".join(plain), config=SEARCH_CONFIG))
            if len(plain) == len(words):
                phrase_hint = Q(search_vector=SearchQuery(phrase, config=SEARCH_CONFIG, search_type="phrase"))

        def pattern(text: str) -> Value:
            return Value(text if is_code(text) else f" {text} ")

        def in_title(text: str) -> Q:
            return Q(GreaterThan(StrIndex(region, pattern(text)), 0))

        if len(words) == 1:
            groups.append([(50, in_title(phrase) & in_title_hint)])
        else:
            every_word_in_title = reduce(operator.and_, [in_title(w) for w in words]) & in_title_hint
            groups.append([(50, in_title(phrase) & in_title_hint), (30, every_word_in_title)])
            groups.append([(20, Q(GreaterThan(StrIndex("search_text", pattern(phrase)), 0)) & phrase_hint)])
    if pages and words:
        return [*groups, [(10, text_match(words, vendor=vendor))], [(PAGE_RANK, Q())]]
    return [*groups, [(10, Q())]]


def rank_of(group: list[tuple[int, Q]]):
    """The rank of a match within ``group`` (of ``rank_tiers``) as an expression."""
    *conditions, (default, _) = group
    if not conditions:
        return Value(default, output_field=IntegerField())
    whens = [When(condition, then=Value(rank)) for rank, condition in conditions]
    return Case(*whens, default=Value(default), output_field=IntegerField())


def ranked(queryset: QuerySet, query: str) -> QuerySet:
    """``queryset`` (items matched by ``search``) with each one's rank annotated as ``rank``."""
    tiers = [tier for group in rank_tiers(query, vendor=connections[queryset.db].vendor) for tier in group]
    return queryset.annotate(rank=rank_of(tiers))


#: Items by date, the undated last, then by key: the same on every database.
BY_DATE = (F("date_start").asc(nulls_last=True), "pk")
#: The order of search results: the rank, highest first; then ``BY_DATE``.
RELEVANCE_ORDER = (F("rank").desc(), *BY_DATE)


class RankedMatches(Sequence):
    """The matches of a query in ``RELEVANCE_ORDER``, read one slice (a page) at a time.

    No rank is computed for every match. Each group of rank tiers (``rank_tiers``) is one query:
    the matches that meet its condition and none above it, in ``RELEVANCE_ORDER``, from the first
    row the slice needs to its last (a database walking its date index stops there). The groups
    are read in order until the slice is full, and those after it are never asked. A group that
    gives fewer rows than asked has no more; one that gives none while rows before the slice were
    skipped is counted, so the next group's positions are known. The items come with
    ``fields`` only, and ``prefetch`` (the cards' pictures) is fetched once for the whole slice.
    """

    def __init__(self, matching: QuerySet, query: str, *, count: int, fields=(), prefetch=()):
        self.matching, self.query, self.count = matching, query, count
        self.fields, self.prefetch = fields, prefetch

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            found = self[index : index + 1]
            if not found:
                raise IndexError(index)
            return found[0]
        start, stop, step = index.indices(self.count)
        page: list = []
        seen = 0  # matches of the groups read so far, which come before those of the next group
        above: list[Q] = []
        for group in rank_tiers(self.query, vendor=connections[self.matching.db].vendor):
            if seen >= stop:
                break
            condition = group[-1][1]
            members = self.matching.filter(condition, *[~higher for higher in above]).annotate(rank=rank_of(group))
            skip = max(0, start - seen)
            found = list(members.only(*self.fields).order_by(*RELEVANCE_ORDER)[skip : stop - seen])
            page += found
            seen += skip + len(found) if found or not skip else members.count()
            above.append(condition)
        if self.prefetch:
            prefetch_related_objects(page, *self.prefetch)
        return page[::step]


def order(queryset: QuerySet, sort: str) -> QuerySet:
    """``queryset`` in the order a visitor chose other than relevance (``-published``, newest
    published first, when none): search results by relevance are ``RankedMatches``."""
    if sort == "title":
        return queryset.order_by("title", "pk")
    if sort == "date":
        return queryset.order_by("date_start", "pk")
    if sort == "-date":
        return queryset.order_by("-date_start", "-pk")
    return queryset.order_by("-published_at", "-pk")


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Facets:
    total: int = 0
    digital: int = 0
    periods: list[FacetValue] = field(default_factory=list)
    kinds: list[FacetValue] = field(default_factory=list)
    document_types: list[FacetValue] = field(default_factory=list)
    bodies: list[FacetValue] = field(default_factory=list)
    decades: list[FacetValue] = field(default_factory=list)


def facet_counts(queryset: QuerySet, values: dict, *, body_limit: int = 25) -> Facets:
    """Counts of the current (public, filtered) result set by each facet, in two grouped queries.

    The result is kept in the cache for the content version, so the whole catalogue (or a common
    word's matches) is not counted again on every page.
    """
    key = cache_key("facets", values)
    cached = cache.get(key)
    if cached is not None:
        return _relabel(cached, values)
    rows = list(
        queryset.order_by()
        .annotate(year=ExtractYear("date_start"))
        .values("kind", "document_type", "period", "year")
        # From the public facets index and the media files' item index alone (index-only scans).
        .annotate(n=Count("*"), digital=Count("pk", filter=has_digital_copy()))
    )
    body_rows = list(
        queryset.order_by()
        .filter(bodies__isnull=False)
        .values("bodies")
        .annotate(n=Count("pk"))  # an item is linked to a body once (the links are unique)
        .order_by("-n", "bodies")[:body_limit]
    )
    counts = FacetCounts()
    for row in rows:
        counts.add(row["kind"], row["document_type"], row["period"], row["year"], row["n"], row["digital"])
    counts.bodies = {row["bodies"]: row["n"] for row in body_rows}
    cache.set(key, counts, FACET_TIMEOUT)
    return _relabel(counts, values)


@dataclass
class FacetCounts:
    """The raw counts behind ``Facets``: language-free, so one cached copy serves both languages."""

    total: int = 0
    digital: int = 0
    kinds: dict = field(default_factory=dict)
    document_types: dict = field(default_factory=dict)
    periods: dict = field(default_factory=dict)
    decades: dict = field(default_factory=dict)
    bodies: dict = field(default_factory=dict)

    def add(self, kind, document_type, period, year, n: int = 1, digital: int = 0) -> None:
        """``n`` items of these values, ``digital`` of them with a digital copy."""
        self.total += n
        self.digital += digital
        self.kinds[kind] = self.kinds.get(kind, 0) + n
        if document_type:
            self.document_types[document_type] = self.document_types.get(document_type, 0) + n
        if period:
            self.periods[period] = self.periods.get(period, 0) + n
        elif year:  # dated, no period: "Ngoài các thời kỳ", counted under 0
            self.periods[0] = self.periods.get(0, 0) + n
        if year:
            decade = year // 10 * 10
            self.decades[decade] = self.decades.get(decade, 0) + n


def _relabel(counts: FacetCounts, values: dict, body_limit: int = 25) -> Facets:
    """``Facets`` with labels in the current language (periods and bodies are small registers)."""
    kinds = dict(Item.Kind.choices)
    doc_types = dict(DOCUMENT_TYPE_CHOICES)
    facets = Facets(total=counts.total, digital=counts.digital)
    facets.kinds = [
        FacetValue(k, str(kinds.get(k, k)), n, values.get("kind") == k)
        for k, n in sorted(counts.kinds.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    facets.document_types = [
        FacetValue(k, str(doc_types.get(k, k)), n, values.get("document_type") == k)
        for k, n in sorted(counts.document_types.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    if not counts.total:
        return facets
    top_bodies = sorted(counts.bodies.items(), key=lambda kv: (-kv[1], kv[0]))[:body_limit]
    wanted = [pk for pk, _ in top_bodies]
    for period in cached_register("periods"):
        if period.pk in counts.periods:
            facets.periods.append(
                FacetValue(
                    str(period.pk), period.display_name, counts.periods[period.pk], values.get("period") == period.pk
                )
            )
    if 0 in counts.periods:
        facets.periods.append(FacetValue("0", str(OUTSIDE_PERIODS), counts.periods[0], values.get("period") == 0))
    bodies = {b.pk: b for b in cached_register("bodies") if b.pk in wanted}
    for pk, n in top_bodies:
        if pk in bodies:
            facets.bodies.append(FacetValue(str(pk), bodies[pk].display_name, n, values.get("body") == pk))
    facets.decades = [
        FacetValue(
            str(decade),
            f"{decade}–{decade + 9}",
            n,
            values.get("year_from") == decade and values.get("year_to") == decade + 9,
        )
        for decade, n in sorted(counts.decades.items())
    ]
    return facets


def cache_key(kind: str, values: dict) -> str:
    parts = sorted((k, str(v)) for k, v in values.items() if v not in (None, "", False) and k not in ("sort", "page"))
    digest = hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"exhibits:{kind}:{content_version()}:{timezone.localdate().isoformat()}:{digest}"


def matching_queryset(values: dict) -> QuerySet:
    """The public items that match the query and the filters (the one definition of a result): in
    their own text or in the text of one of their pages."""
    queryset = Item.objects.public()
    if values.get("q"):
        queryset = queryset.search(values["q"], pages=True)
    return apply_filters(queryset, values)


# Highlighting -----------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """One character folded (white space as one space); the few hundred letters of a page
    repeat, so they are folded once."""
    return " " if char.isspace() else fold(char)


def _folded_with_map(text: str) -> tuple[str, Sequence[int]]:
    """Fold ``text`` one character at a time, remembering where each folded character came from
    (where every character folds to one, as Vietnamese letters do, its own position)."""
    pieces = list(map(_fold_char, text))
    folded = "".join(pieces)
    if len(folded) == len(text) and all(len(piece) == 1 for piece in pieces):
        return folded, range(len(text))
    origin = [index for index, piece in enumerate(pieces) for _ in piece]
    return folded, origin


def match_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Spans of ``text`` (original characters) where any folded query word occurs."""
    if not text or not words:
        return []
    folded, origin = _folded_with_map(text)
    spans = []
    candidates = set(words)
    if len(words) > 1:
        candidates.add(" ".join(words))  # the whole phrase reads as one mark
    for word in sorted(candidates, key=len, reverse=True):
        # Whole words, as the search matches them (a code anywhere).
        pattern = re.escape(word) if is_code(word) else rf"(?<!\w){re.escape(word)}(?!\w)"
        for match in re.finditer(pattern, folded):
            start = origin[match.start()]
            end = origin[match.end() - 1] + 1
            spans.append((start, end))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, words: list[str]) -> SafeString:
    """``text`` escaped, with what matched the query wrapped in <mark>."""
    spans = match_spans(text, words)
    if not spans:
        return mark_safe(html.escape(text))  # noqa: S308 - escaped just here
    parts, last = [], 0
    for start, end in spans:
        parts.append(html.escape(text[last:start]))
        parts.append(f"<mark>{html.escape(text[start:end])}</mark>")
        last = end
    parts.append(html.escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped above


def snippet(text: str, words: list[str], width: int = 220) -> SafeString:
    """A short excerpt of ``text`` around its first match, highlighted."""
    if not text:
        return mark_safe("")
    spans = match_spans(text, words)
    if len(text) <= width:
        return highlight(text, words)
    start = max(0, (spans[0][0] - width // 3) if spans else 0)
    end = min(len(text), start + width)
    excerpt = text[start:end]
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + highlight(excerpt, words) + suffix)  # noqa: S308 - highlight escapes


# Other registers ---------------------------------------------------------------


def _folds_all(text: str, words: list[str]) -> bool:
    folded = fold(text)
    return all(word in folded for word in words)


def search_bodies(bodies: list[Body], words: list[str], limit: int = 10) -> list[Body]:
    """Bodies are a small register: folded in Python (see the report for a folded column)."""
    if not words:
        return []
    found = [b for b in bodies if _folds_all(f"{b.name} {b.name_en} {b.short_name}", words)]
    return found[:limit]


def search_exhibits(exhibits: list, words: list[str], limit: int = 10) -> list:
    if not words:
        return []
    # Both languages' titles and summaries: an English query finds the English text.
    texts = ("title_vi", "title_en", "summary_vi", "summary_en")
    return [e for e in exhibits if _folds_all(" ".join(getattr(e, t) or "" for t in texts), words)][:limit]


# Suggestions ("did you mean") ---------------------------------------------------------------

#: How close a folded word must be to a word of the vocabulary to replace it (``difflib``'s ratio):
#: one letter left out or doubled ("thuog" for "thuong", 0.91) is a typing slip; one letter changed
#: ("minh" and "kinh", "giap" and "giao", 0.75; "thuog" and "thuoc", 0.8) is another word.
SUGGESTION_CUTOFF = 0.85
#: The nearest words of the vocabulary tried for each unknown word of a query.
SUGGESTION_WORDS = 3
#: Phrases tried (each one query over the public items) before giving up.
SUGGESTION_TRIES = 6


@dataclass
class Vocabulary:
    """The whole words of what visitors can find (public titles, keywords, people, bodies), folded,
    each with the way it is most often written; and the folded texts, to write a whole suggested
    phrase as it stands in one of them ("khen thuong" as "khen thưởng", not "khen thường")."""

    words: dict[str, str] = field(default_factory=dict)
    texts: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def of(cls, texts: Iterable[str]) -> Vocabulary:
        spellings: dict[str, dict[str, int]] = {}
        folded_texts = []
        for text in texts:
            for word in re.findall(r"\w+", text or ""):
                folded = fold(word)
                if folded and not is_code(folded):
                    forms = spellings.setdefault(folded, {})
                    forms[word.lower()] = forms.get(word.lower(), 0) + 1
            if text:
                folded_texts.append((fold(text), text))
        words = {folded: max(forms.items(), key=lambda kv: (kv[1], kv[0]))[0] for folded, forms in spellings.items()}
        return cls(words=words, texts=folded_texts)

    def nearest(self, word: str, n: int = SUGGESTION_WORDS) -> list[tuple[float, str]]:
        """The known words nearest ``word`` (folded), nearest first, each with its closeness:
        pg_trgm's trigram similarity, then ``difflib``'s ratio; a swap of two letters ("dnag"
        for "dang") counts as close."""
        found = []
        for known in difflib.get_close_matches(word, self.words, n=n * 4, cutoff=0.6):
            ratio = difflib.SequenceMatcher(None, word, known).ratio()
            swapped = len(known) == len(word) and sorted(known) == sorted(word)
            if ratio >= SUGGESTION_CUTOFF or swapped:
                found.append((trigram_similarity(word, known) + ratio, known))
        found.sort(key=lambda pair: (-pair[0], pair[1]))
        return found[:n]

    def written(self, folded_phrase: str) -> str:
        """``folded_phrase`` as one of the texts writes it, else word by word as most often written."""
        for folded, text in self.texts:
            match = re.search(rf"(?<!\w){re.escape(folded_phrase)}(?!\w)", folded)
            if match and len(folded) == len(text):
                return text[match.start() : match.end()]
        return " ".join(self.words.get(word, word) for word in folded_phrase.split())


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's ``similarity()``: the shared trigrams of the two words (each padded with two
    spaces before and one after) over all their trigrams."""

    def trigrams(word: str) -> set[str]:
        padded = f"  {word} "
        return {padded[i : i + 3] for i in range(len(padded) - 2)}

    first, second = trigrams(a), trigrams(b)
    return len(first & second) / len(first | second) if first | second else 0.0


def suggestions(
    query: str, *, vocabulary: Vocabulary, values: dict | None = None, found: int = 0, limit: int = 3
) -> list[str]:
    """What to search for instead of ``query``: its unknown words replaced by the nearest whole
    words of the public vocabulary, nearest first, each only if it finds more public items (with
    the same filters) than the ``found`` of the query. None when every word is known (nothing
    to correct: the words are simply not together in one item) or nothing near finds more."""
    words = search_words(query)
    if not words or len(words) > MAX_QUERY_WORDS:
        return []
    choices: list[list[tuple[float, str]]] = []
    for word in words:
        if word in vocabulary.words or is_code(word):
            choices.append([(2.0, word)])  # as good as a word can be: kept
            continue
        near = vocabulary.nearest(word)
        if not near:
            return []  # a word with nothing near it: any suggestion would drop or invent it
        choices.append(near)
    if all(len(options) == 1 and options[0][1] == word for options, word in zip(choices, words, strict=True)):
        return []
    phrases = sorted(
        itertools.product(*choices),
        key=lambda combo: (-sum(score for score, _ in combo), [w for _, w in combo]),
    )
    result: list[str] = []
    for combo in phrases[:SUGGESTION_TRIES]:
        phrase = " ".join(word for _, word in combo)
        if phrase == " ".join(words):
            continue
        finding = matching_queryset({**(values or {}), "q": phrase}).values("pk")[: found + 1]
        if len(finding) > found:
            written = vocabulary.written(phrase)
            if written not in result:
                result.append(written)
        if len(result) >= limit:
            break
    return result
