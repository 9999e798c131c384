"""Addresses of the archive's stored files, outside the language prefix; every one is checked."""

from django.urls import path

from archive import views

app_name = "archive"

urlpatterns = [
    path("tep/<int:pk>/<str:variant>/", views.media_file, name="media"),
    path("chan-dung/<int:pk>/", views.portrait, name="portrait"),
    path("tep-dong-gop/<int:pk>/", views.contribution_file, name="contribution_file"),
]
