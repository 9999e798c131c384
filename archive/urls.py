"""Addresses of the archive's stored files, outside the language prefix; every one is checked."""

from django.urls import path

from archive import views

app_name = "archive"

urlpatterns = [
    path("tep/<int:pk>/<str:variant>/", views.media_file, name="media"),
    # Deep zoom: IIIF Image API 3 level 0, picture <page> of a media file (0 for an image).
    path("tep/<int:pk>/iiif/<int:page>/info.json", views.media_iiif_info, name="media_iiif_info"),
    path("tep/<int:pk>/iiif/<int:page>/<str:region>/<str:size>/0/default.jpg", views.media_tile, name="media_tile"),
    path("chan-dung/<int:pk>/", views.portrait, name="portrait"),
    path("tep-dong-gop/<int:pk>/", views.contribution_file, name="contribution_file"),
]
