"""Addresses of the archive's stored files, outside the language prefix; every one is checked."""

from django.urls import path

from archive import usage_views, views

app_name = "archive"

urlpatterns = [
    path("tep/<int:pk>/<str:variant>/", views.media_file, name="media"),
    # Deep zoom: IIIF Image API 3 level 0, picture <page> of a media file (0 for an image).
    path("tep/<int:pk>/iiif/<int:page>/info.json", views.media_iiif_info, name="media_iiif_info"),
    path("tep/<int:pk>/iiif/<int:page>/<str:region>/<str:size>/0/default.jpg", views.media_tile, name="media_tile"),
    path("tep/<int:pk>/phu-de/<str:language>.vtt", views.media_captions, name="media_captions"),
    # IIIF Presentation 3: an item's manifest, a period's collection, the collection of periods.
    path("iiif/tu-lieu/<str:inventory_number>/manifest.json", views.iiif_manifest, name="iiif_manifest"),
    # IIIF Content Search 2.0 inside an item's pages (?q=), named by its manifest as a service.
    path("iiif/tu-lieu/<str:inventory_number>/tim-kiem", views.iiif_search, name="iiif_search"),
    path("iiif/thoi-ky/<slug:slug>/collection.json", views.iiif_period, name="iiif_period"),
    path("iiif/thoi-ky/collection.json", views.iiif_periods, name="iiif_periods"),
    path("chan-dung/<int:pk>/", views.portrait, name="portrait"),
    path("tep-dong-gop/<int:pk>/", views.contribution_file, name="contribution_file"),
    # Use of the collection: the public pages' counter and the staff dashboard with its export.
    path("khai-thac/dem", usage_views.usage_beacon, name="usage_beacon"),
    path("khai-thac/", usage_views.usage_dashboard, name="usage_dashboard"),
    path("khai-thac/xuat.xlsx", usage_views.usage_export, name="usage_export"),
    path("bieu-trung/", views.institution_logo, name="institution_logo"),
]
