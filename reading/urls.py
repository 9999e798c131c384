"""The reader's pages, inside the language prefix."""

from django.urls import path

from reading import views

app_name = "reading"

urlpatterns = [
    path("ho-so/", views.profile, name="profile"),
    path("yeu-cau/moi/", views.request_new, name="request_new"),
    path("yeu-cau/<int:pk>/", views.request_detail, name="request_detail"),
    path("yeu-cau/<int:pk>/trang/<int:media_pk>/<int:page>.jpg", views.page, name="page"),
    path("yeu-cau/<int:pk>/ban-sao.zip", views.package, name="package"),
]
