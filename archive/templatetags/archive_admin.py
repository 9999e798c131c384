"""The item changelist's rows without Django admin's per-cell machinery.

Django's ``result_list`` works out, for every row and every column, what the column is (a model
field, an admin method, a link) and how to show it: the same answers fifty times over, about
0.3 ms a row. ``fast_result_list`` works them out once per column and then only renders the
values, into the same HTML (the admin's ``change_list_results.html`` and its cell classes).
Pop-ups, editable lists and columns it does not know keep Django's own rendering.
"""

from __future__ import annotations

import datetime
import functools
import html
from collections.abc import Callable

from django import template
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    _coerce_field_name,
    admin_list_filter,
    date_hierarchy_tag,
    result_headers,
    result_hidden_fields,
    results,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import display_for_field, display_for_value, get_fields_from_path, quote
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.encoding import iri_to_uri
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import get_language, gettext

register = template.Library()

PK_MARK = "__pk__"


class Column:
    """One column of the list: its opening tags (without and with "nowrap"), whether it links, and
    ``show(obj)``, which gives what the cell shows and, for an admin method, the value it returned
    (a date does not wrap)."""

    def __init__(self, tag: str, classes: list[str], link: bool, show: Callable):
        self.link, self.show, self.close = link, show, f"</{tag}>"
        self.open = f'<{tag} class="{" ".join(classes)}">'
        self.open_nowrap = self.open if "nowrap" in classes else f'<{tag} class="{" ".join([*classes, "nowrap"])}">'


def _html(value) -> str:
    """``conditional_escape`` without its lazy-string and wrapper overhead: this runs for every cell
    (Django's ``escape`` is ``html.escape(str(value))`` behind a check for lazy arguments)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _shown(value) -> str:
    """``{{ value }}``: localized (numbers, dates) and escaped."""
    return _html(value if isinstance(value, str) else localize(value))


def _columns(cl) -> list[Column] | None:
    """The columns of ``cl.list_display``, or None when one is of a kind this fast path does not know."""
    model_admin = cl.model_admin
    empty = model_admin.get_empty_value_display()
    columns = []
    first = True
    for index, name in enumerate(cl.list_display):
        if not isinstance(name, str) or "__" in name.strip("_"):
            return None
        link = cl.list_display_links is not None and (
            (first and not cl.list_display_links) or name in cl.list_display_links
        )
        tag = "td"
        if link:
            tag = "th" if first else "td"
            first = False
        classes = ["field-" + _coerce_field_name(name, index)]
        try:
            field = cl.lookup_opts.get_field(name)
        except FieldDoesNotExist:
            field = None
        if field is not None and not (field.is_relation and field.many_to_many) and not field.auto_created:
            if isinstance(field, (models.DateField, models.TimeField, models.ForeignKey)):
                classes.append("nowrap")
            columns.append(Column(tag, classes, link, _field_shower(field, empty, link)))
        elif field is None and hasattr(model_admin, name) and name != "__str__":
            method = getattr(model_admin, name)
            if name == "action_checkbox":
                classes = ["action-checkbox"]
            columns.append(Column(tag, classes, link, _method_shower(method, empty)))
        else:
            return None
    return columns


def _field_shower(field, empty: str, link: bool) -> Callable:
    if getattr(field, "flatchoices", None):
        # Django builds this dict for every cell, and translates a lazy label each time it is shown.
        labels = {value: str(label) for value, label in field.flatchoices}
        return lambda obj: (labels.get(getattr(obj, field.attname), empty), None)
    if isinstance(field.remote_field, models.ManyToOneRel):

        def show_related(obj):
            related = getattr(obj, field.name)
            return (empty if related is None else related), None

        return show_related

    if isinstance(field, (models.CharField, models.TextField)) and not isinstance(field, models.URLField):

        def show_text(obj):  # what display_for_field makes of text: the text, or the empty marker
            value = getattr(obj, field.attname)
            return (empty if value is None or not str(value).strip() else value), None

        return show_text

    def show(obj):
        value = getattr(obj, field.attname)
        if isinstance(value, str) and not value.strip():
            value = ""
        return display_for_field(value, field, empty, avoid_link=link), None

    return show


def _method_shower(method, empty: str) -> Callable:
    boolean = getattr(method, "boolean", False)
    empty = getattr(method, "empty_value_display", empty)

    def show(obj):
        value = method(obj)
        if isinstance(value, str) and not value.strip():
            value = ""
        return display_for_value(value, empty, boolean), value

    return show


def _change_url(cl) -> str | None:
    """The change page's address with ``PK_MARK`` for the key and the list's filters kept."""
    opts = cl.opts
    try:
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change",
            args=(PK_MARK,),
            current_app=cl.model_admin.admin_site.name,
        )
    except NoReverseMatch:
        return None
    return add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": opts}, url)


def fast_results(cl):
    columns = None if (cl.formset or cl.is_popup or cl.to_field) else _columns(cl)
    if columns is None:
        yield from results(cl)
        return
    change_url = _change_url(cl)
    link_before, link_after = escape(change_url).split(PK_MARK, 1) if change_url else ("", "")
    dated = (datetime.date, datetime.time)
    for obj in cl.result_list:
        cells = []
        key = None
        for column in columns:
            shown, value = column.show(obj)
            inner = _html(shown)
            if column.link and change_url:
                if key is None:
                    key = html.escape(quote(str(obj.pk)))
                inner = f'<a href="{link_before}{key}{link_after}">{inner}</a>'
            opening = column.open_nowrap if isinstance(value, dated) else column.open
            cells.append(SafeString(f"{opening}{inner}{column.close}"))  # escaped above
        yield ResultList(None, cells)


def fast_result_list(cl) -> dict:
    """What Django's ``result_list`` hands ``change_list_results.html``, rows rendered by ``fast_results``."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": list(fast_results(cl)),
    }


def _header_html(header: dict, num_sorted_fields: int) -> str:
    """One ``<th>`` of ``change_list_results.html``."""
    text = str(header["text"])
    capped = text[:1].upper() + text[1:]
    capped = capped if isinstance(text, SafeData) else html.escape(capped)  # capfirst keeps safe text safe
    sort_options = ""
    if header["sortable"] and header["sort_priority"] > 0:
        priority = ""
        if num_sorted_fields > 1:
            title = gettext("Sorting priority: %(priority_number)s") % {"priority_number": header["sort_priority"]}
            priority = f'<span class="sortpriority" title="{title}">{header["sort_priority"]}</span>'
        order = "ascending" if header["ascending"] else "descending"
        sort_options = (
            f'\n       <div class="sortoptions">\n         <a class="sortremove" href="{_html(header["url_remove"])}" '
            f'title="{_html(gettext("Remove from sorting"))}"></a>\n         {priority}\n         '
            f'<a href="{_html(header["url_toggle"])}" class="toggle {order}" '
            f'title="{_html(gettext("Toggle sorting"))}"></a>\n       </div>\n   '
        )
    label = f'<a href="{_html(header["url_primary"])}">{capped}</a>' if header["sortable"] else f"<span>{capped}</span>"
    return (
        f'\n<th scope="col"{header["class_attrib"]}>\n   {sort_options}\n   <div class="text">{label}</div>\n'
        f'   <div class="clear"></div>\n</th>'
    )


def results_table_html(context: dict) -> str:
    """Django's ``admin/change_list_results.html`` for a list without forms, written directly."""
    table = ""
    if context["results"]:
        headers = "".join(_header_html(h, context["num_sorted_fields"]) for h in context["result_headers"])
        rows = "".join(f"\n\n<tr>{''.join(row)}</tr>\n" for row in context["results"])
        table = (
            '\n<div class="results">\n<table id="result_list">\n<thead>\n<tr>\n'
            f"{headers}\n</tr>\n</thead>\n<tbody>\n{rows}\n</tbody>\n</table>\n</div>\n"
        )
    return SafeString(f"\n\n{table}\n")  # every value escaped above, the cells by fast_results


class FastResultListNode(InclusionAdminNode):
    """``{% result_list cl %}`` with the rows of ``fast_results``; the table written directly when
    no row has a form (an editable list keeps Django's template)."""

    def render(self, context):
        cl = self.args[0].resolve(context)
        table = fast_result_list(cl)
        if table["result_hidden_fields"] or any(row.form is not None for row in table["results"]):
            return super().render(context)
        return results_table_html(table)


@register.tag(name="fast_result_list")
def fast_result_list_tag(parser, token):
    return FastResultListNode(
        parser, token, func=fast_result_list, template_name="change_list_results.html", takes_context=False
    )


# Filters and the date hierarchy ----------------------------------------------------------

FILTER_TEMPLATE = "admin/filter.html"
SELECTED = ' class="selected"'


def fast_list_filter_html(cl, spec) -> str:
    """Django's ``admin/filter.html`` for one filter, written directly (about 85 links in all)."""
    title = _shown(spec.title)
    by = gettext(" By %(filter_title)s ") % {"filter_title": title}
    choices = "".join(
        f"\n    <li{SELECTED if choice['selected'] else ''}>"
        f'\n    <a href="{_html(iri_to_uri(choice["query_string"]))}">{_shown(choice["display"])}</a></li>\n  '
        for choice in spec.choices(cl)
    )
    return mark_safe(  # noqa: S308 - every value is escaped above
        f'\n<details data-filter-title="{title}" open>\n  <summary>\n    {by}\n  </summary>\n  <ul>\n  '
        f"{choices}\n  </ul>\n</details>\n"
    )


@register.simple_tag
def fast_list_filter(cl, spec):
    """``{% admin_list_filter cl spec %}``; a filter with the default template is written directly."""
    if spec.template != FILTER_TEMPLATE:
        return admin_list_filter(cl, spec)
    return fast_list_filter_html(cl, spec)


def fast_date_hierarchy_html(cl) -> str | None:
    """Django's date hierarchy when it lists years (no year chosen, dates in two years or more),
    written directly, its years asked for once; None where Django's own tag should render."""
    field_name = cl.date_hierarchy
    field_generic = f"{field_name}__"
    if any(key.startswith(field_generic) for key in cl.params):
        return None
    if isinstance(get_fields_from_path(cl.model, field_name)[-1], models.DateTimeField):
        return None  # Django's years of date-times are local times
    years = list(cl.queryset.dates(field_name, "year"))
    if len(years) < 2:  # Django would show one year's months, or a year's days
        return None
    year_field = f"{field_name}__year"
    links = "".join(
        f'\n<a href="{_html(cl.get_query_string({year_field: str(year.year)}, [field_generic]))}">{year.year}</a>\n'
        for year in years
    )
    head, tail = '\n<nav class="toplinks">' + "\n" * 6, "\n\n\n</nav>\n\n"  # the template's blank lines
    return mark_safe(head + links + tail)  # noqa: S308 - escaped above


class FastDateHierarchyNode(template.Node):
    """``{% date_hierarchy cl %}``: the list of years written directly, anything else by Django's tag."""

    def __init__(self, cl, fallback):
        self.cl, self.fallback = cl, fallback

    def render(self, context):
        written = fast_date_hierarchy_html(self.cl.resolve(context))
        return self.fallback.render(context) if written is None else written


@register.tag(name="fast_date_hierarchy")
def fast_date_hierarchy_tag(parser, token):
    """``{% date_hierarchy cl %}``; its list of years written directly."""
    bits = token.split_contents()
    fallback = date_hierarchy_tag(parser, token)
    return FastDateHierarchyNode(parser.compile_filter(bits[1]), fallback)


# The action form -------------------------------------------------------------------------

ACTION_FIELDS = (
    "{% for field in action_form %}{% if field.label %}<label>{{ field.label }} {{ field }}</label>"
    "{% else %}{{ field }}{% endif %}{% endfor %}"
)  # Django's admin/actions.html, block actions-form
ACTION_FORMS_KEPT = 64
_action_forms: dict[tuple, str] = {}


@functools.lru_cache(maxsize=4)
def _action_fields_template(engine):
    return engine.from_string(ACTION_FIELDS)


@register.simple_tag(takes_context=True)
def fast_action_form(context, action_form):
    """The action form's fields as Django's ``admin/actions.html`` renders them, kept per choices
    and language: the page's form is never bound, and its choices are the actions the user may run."""
    fields = _action_fields_template(context.template.engine)
    if action_form.is_bound:
        return fields.render(context)
    choices = tuple((str(value), str(label)) for value, label in action_form.fields["action"].choices)
    key = (type(action_form), action_form.prefix, action_form.auto_id, choices, get_language())
    written = _action_forms.get(key)
    if written is None:
        written = fields.render(context)
        if len(_action_forms) >= ACTION_FORMS_KEPT:
            _action_forms.clear()
        _action_forms[key] = written
    return written
