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

from traditions import views

admin.site.site_header = settings.ADMIN_SITE_HEADER
admin.site.site_title = settings.ADMIN_SITE_HEADER
admin.site.index_title = settings.ADMIN_SITE_HEADER

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("nang-cap/", include("upgrades.urls")),
    path("", include("archive.urls")),
    path("favicon.ico", views.favicon),
]

urlpatterns += i18n_patterns(
    path("dang-ky-tham-quan/", include("bookings.urls")),
    path("", include("exhibits.urls")),
    prefix_default_language=False,
)
