"""The admin site: Django's own, with its list of apps worked out once per set of permissions.

Every admin page builds the side bar's list of apps: for each of the ~25 registered models its
permissions (``ModelAdmin.has_*_permission``) and two ``reverse()`` calls, then a sort of lazy
translated names, and then renders it as about 150 lines of HTML. What that gives depends only on
the user's permissions (superuser or the exact set of permissions they hold), the language, the
URLconf and the registered models, so the list and the side bar's HTML are kept per such key. A
user whose permissions change gets another key; nothing staff edit is in either.

This holds while every ``ModelAdmin``'s permission methods depend on the user's permissions alone,
as Django's and this project's do (``ItemAdmin.has_delete_permission``: an active superuser).
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

#: How many (permissions, language, URLconf) lists and side bars are kept; a few roles, two languages.
MEMO_SIZE = 256


def permission_key(user) -> tuple:
    """What the permission checks of the app list depend on: superuser, or the exact permissions."""
    if not user.is_active:
        return ("inactive",)
    if user.is_superuser:
        return ("superuser",)
    return ("perms", frozenset(user.get_all_permissions()))


class BoundedMemo:
    """A small thread-safe memo that forgets everything when full (the keys are few in practice)."""

    def __init__(self, size: int = MEMO_SIZE):
        self.size, self.values, self.lock = size, {}, threading.Lock()

    def get(self, key):
        return self.values.get(key)

    def set(self, key, value) -> None:
        with self.lock:
            if len(self.values) >= self.size:
                self.values.clear()
            self.values[key] = value

    def clear(self) -> None:
        with self.lock:
            self.values.clear()


class AppList(list):
    """The sorted list of apps, with the key it was built for (``memo_key``)."""

    memo_key: tuple | None = None
    #: Where the side bar rendered from this list is kept (``{% nav_sidebar %}``).
    sidebar_memo: BoundedMemo | None = None


class TraditionsAdminSite(AdminSite):
    """Django's admin site; the app list (and the side bar made of it) kept per permissions, and a
    home page per role (``traditions.admin_home``) above the list of apps."""

    index_template = "admin/role_home.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.app_lists = BoundedMemo()
        self.nav_sidebars = BoundedMemo()

    def register(self, *args, **kwargs):
        super().register(*args, **kwargs)
        self.forget_app_lists()

    def unregister(self, *args, **kwargs):
        super().unregister(*args, **kwargs)
        self.forget_app_lists()

    def forget_app_lists(self) -> None:
        self.app_lists.clear()
        self.nav_sidebars.clear()

    def app_list_key(self, request, app_label=None) -> tuple:
        return (
            permission_key(request.user),
            get_language(),
            settings.ROOT_URLCONF,
            get_urlconf(),
            get_script_prefix(),
            app_label,
        )

    def index(self, request, extra_context=None):
        from traditions.admin_home import LEADERSHIP, role_home, role_names

        roles = role_names(request.user)
        extra_context = {
            **(extra_context or {}),
            "role_panels": role_home(request, roles),
            # Leadership only look: the list of apps (every link a "Xem") is folded under the panels.
            "fold_app_list": roles == {LEADERSHIP},
        }
        return super().index(request, extra_context)

    def get_app_list(self, request, app_label=None):
        key = self.app_list_key(request, app_label)
        app_list = self.app_lists.get(key)
        if app_list is None:
            app_list = AppList(super().get_app_list(request, app_label))
            self.app_lists.set(key, app_list)
        # Views may add to or reorder what they get; the kept list stays as built.
        fresh = AppList(
            {**app, "models": [{**model, "perms": dict(model["perms"])} for model in app["models"]]} for app in app_list
        )
        fresh.memo_key, fresh.sidebar_memo = key, self.nav_sidebars
        return fresh


class TraditionsAdminConfig(AdminConfig):
    """``django.contrib.admin`` with ``TraditionsAdminSite`` as ``admin.site``."""

    default_site = "traditions.admin_site.TraditionsAdminSite"
