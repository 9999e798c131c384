from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.decorators.http import require_safe

from archive.views import media_file
from exhibits import labels, views
from exhibits.sitemaps import SITEMAPS

app_name = "exhibits"

urlpatterns = [
    path("", views.home, name="home"),
    path("thoi-ky/", views.period_list, name="period_list"),
    path("thoi-ky/<slug:slug>/", views.period_detail, name="period_detail"),
    path("dong-thoi-gian/", views.timeline, name="timeline"),
    path("lanh-dao/", views.leaders, name="leaders"),
    path("nhan-vat/<int:pk>/", views.person_detail, name="person_detail"),
    path("tu-lieu/", views.item_list, name="item_list"),
    path("tu-lieu/<str:inventory_number>/", views.item_detail, name="item_detail"),
    path("tu-lieu/<str:inventory_number>/qr.svg", views.item_qr, name="item_qr"),
    path("nhan-qr/", labels.qr_labels, name="qr_labels"),
    path("tim-kiem/", views.search_view, name="search"),
    path("t/<str:code>", views.short_redirect, name="short"),
    # The archive's checked media view (archive:media, served at /tep/ outside the language prefix);
    # kept under this name for links made before, e.g. /en/tep/... .
    path("tep/<int:pk>/<str:variant>/", media_file, name="media"),
    path("trung-bay/", views.exhibit_list, name="exhibit_list"),
    path("trung-bay/<slug:slug>/", views.exhibit_detail, name="exhibit_detail"),
    path("trung-bay/<slug:slug>/in/", views.exhibit_print, name="exhibit_print"),
    path("trung-bay/<slug:slug>/anh-bia/", views.exhibit_cover, name="exhibit_cover"),
    path("trung-bay/<slug:slug>/qr.svg", views.exhibit_qr, name="exhibit_qr"),
    path("phim-tu-lieu/", views.videos, name="videos"),
    path("tham-quan/", views.visit, name="visit"),
    path("dong-gop-tu-lieu/", views.contribute, name="contribute"),
    path("dong-gop-tu-lieu/da-gui/", views.contribute_done, name="contribute_done"),
    path("sitemap.xml", require_safe(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]
