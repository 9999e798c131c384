from django.contrib.sitemaps.views import index, sitemap
from django.urls import path
from django.views.decorators.http import require_safe

from archive.views import media_file
from exhibits import embed, feeds, labels, tour_views, views
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
    # Audio-guide tours: a tour, its stops, the stops' files, the short address on a stop's label.
    path("tham-quan/tuyen/<slug:slug>/", tour_views.tour_detail, name="tour_detail"),
    path("tham-quan/tuyen/<slug:slug>/<int:position>/", tour_views.tour_stop, name="tour_stop"),
    path("tham-quan/diem-dung/<int:pk>/<str:variant>", tour_views.tour_file, name="tour_file"),
    path("d/<str:code>", tour_views.tour_stop_short, name="tour_stop_short"),
    path("nhan-qr/tuyen/<slug:slug>/", tour_views.tour_labels, name="tour_labels"),
    path("dong-gop-tu-lieu/", views.contribute, name="contribute"),
    path("dong-gop-tu-lieu/da-gui/", views.contribute_done, name="contribute_done"),
    path(
        "sitemap.xml",
        require_safe(index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "exhibits:sitemap_section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", require_safe(sitemap), {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("robots.txt", views.robots_txt, name="robots"),
    # The Atom feed of what was newly published, and the views other sites may frame.
    path("moi-cong-bo.atom", feeds.newly_published, name="feed"),
    path("nhung/tu-lieu-moi/", embed.latest_items, name="embed_latest"),
    path("nhung/trung-bay/<slug:slug>/", embed.exhibit, name="embed_exhibit"),
]
