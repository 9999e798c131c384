"""Root URLs: the admin, health check, i18n and stored files outside the language prefix; the public
site inside it.

Vietnamese pages have no prefix (`/`), English ones live under `/en/`. Uploaded files are never
served from MEDIA_URL, not even in development: every file goes through a checked view
(archive.urls, exhibits' cover view, the upgrades' attachment views).
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from exhibits import oai
from exhibits.api import api
from traditions import personal_data, two_factor, views

admin.site.site_header = settings.ADMIN_SITE_HEADER
admin.site.site_title = settings.ADMIN_SITE_HEADER
admin.site.index_title = settings.ADMIN_SITE_HEADER

urlpatterns = [
    path("quan-tri-xac-thuc/ma/", two_factor.verify, name="two_factor_verify"),
    path("quan-tri-xac-thuc/dang-ky/", two_factor.setup, name="two_factor_setup"),
    # A person's data on request (Nghị định 13/2023/NĐ-CP), in the admin's frame, before its catch-all.
    path("admin/du-lieu-ca-nhan/", admin.site.admin_view(personal_data.request_page), name="personal_data"),
    path(
        "admin/du-lieu-ca-nhan/xuat/<str:fmt>/",
        admin.site.admin_view(personal_data.export),
        name="personal_data_export",
    ),
    path("admin/du-lieu-ca-nhan/xoa/", admin.site.admin_view(personal_data.erase), name="personal_data_erase"),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("nang-cap/", include("upgrades.urls")),
    path("", include("archive.urls")),
    path("favicon.ico", views.favicon),
    # OAI-PMH 2.0 for harvesters: one base URL, outside the language prefix.
    path("oai/", oai.endpoint, name="oai"),
]

urlpatterns += i18n_patterns(
    # The read-only public API (exhibits.api): /api/ in Vietnamese, /en/api/ in English.
    path("api/", api.urls),
    path("dang-ky-tham-quan/", include("bookings.urls")),
    path("tai-khoan/", include("allauth.account.urls")),
    path("ban-doc/", include("reading.urls")),
    path("", include("exhibits.urls")),
    prefix_default_language=False,
)
