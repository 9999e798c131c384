"""Public pages. Every query of holdings goes through the archive's public querysets."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from archive.models import Period, Venue


def home(request: HttpRequest) -> HttpResponse:
    periods = Period.objects.prefetch_related("spans")
    venues = Venue.objects.all()
    return render(request, "exhibits/home.html", {"periods": periods, "venues": venues})


def period_list(request: HttpRequest) -> HttpResponse:
    periods = Period.objects.prefetch_related("spans")
    return render(request, "exhibits/period_list.html", {"periods": periods})
