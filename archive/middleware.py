"""A full disk met while a valid form is being saved answers 507 with its message, not a 500."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from archive.media import StorageFull


class StorageFullMiddleware:
    """The admin stores inline media files while it saves the item, after every form was valid; when
    the disk is full there, the view's transaction has already rolled the rows back and
    ``StorageWrites`` has removed the written part, so what is left is to tell the user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, StorageFull):
            return None
        return render(request, "storage_full.html", {"messages_": exception.messages}, status=507)
