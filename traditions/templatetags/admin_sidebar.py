"""The admin's side bar, rendered once per list of apps and current page (``TraditionsAdminSite``)."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import urlencode

register = template.Library()

NAV_SIDEBAR_TEMPLATE = "admin/nav_sidebar.html"


def current_marks(app_list, path: str) -> tuple[bool, ...]:
    """What of the side bar depends on the page: which app and model addresses the path contains
    (``{% if app.app_url in request.path|urlencode %}`` in Django's ``app_list.html``)."""
    marks = []
    for app in app_list:
        marks.append(bool(app["app_url"]) and app["app_url"] in path)
        marks.extend(bool(model["admin_url"]) and model["admin_url"] in path for model in app["models"])
    return tuple(marks)


@register.simple_tag(takes_context=True)
def nav_sidebar(context):
    """Django's ``admin/nav_sidebar.html`` for this context, kept per the app list's key (the user's
    permissions, the language and the URLconf) and the marks of the current page.

    A list of apps that does not come from ``TraditionsAdminSite.get_app_list`` is rendered as is.
    """
    nav_template = context.template.engine.get_template(NAV_SIDEBAR_TEMPLATE)
    app_list = context.get("available_apps")
    request = context.get("request")
    memo = getattr(app_list, "sidebar_memo", None)
    if memo is None or request is None:
        return nav_template.render(context)
    key = (app_list.memo_key, current_marks(app_list, urlencode(request.path)))
    html = memo.get(key)
    if html is None:
        html = nav_template.render(context)
        memo.set(key, html)
    return html
