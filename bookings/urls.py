from django.urls import path

from bookings import views

app_name = "bookings"

urlpatterns = [
    path("", views.book, name="book"),
    path("da-nhan/<str:token>/", views.done, name="done"),
    path("quan-ly/<str:token>/", views.manage, name="manage"),
    path("quan-ly/<str:token>/huy/", views.cancel, name="cancel"),
    path("quan-ly/<str:token>/doi-ngay/", views.new_date, name="new_date"),
    path("quan-ly/<str:token>/lich.ics", views.booking_calendar_file, name="booking_ics"),
    path("cho-cho/", views.wait, name="wait"),
    path("nhan-cho/<str:token>/", views.claim, name="claim"),
    path("lich/<slug:code>.ics", views.venue_feed, name="venue_feed"),
]
