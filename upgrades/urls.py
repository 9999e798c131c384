"""Staff pages of the upgrades, outside the language prefix under /nang-cap/."""

from django.urls import path

from upgrades import views

app_name = "upgrades"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("bao-cao/", views.report, name="report"),
    path("xuat.xlsx", views.export_xlsx, name="export"),
    path("tep/<int:pk>/", views.attachment_download, name="attachment"),
    path("hoa-don/<int:pk>/", views.expense_attachment_download, name="expense_attachment"),
]
