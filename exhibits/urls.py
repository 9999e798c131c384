from django.urls import path

from exhibits import views

app_name = "exhibits"

urlpatterns = [
    path("", views.home, name="home"),
    path("thoi-ky/", views.period_list, name="period_list"),
]
