"""Readers and their requests: the profile staff confirm, reading and copy requests, the use log."""

from reading.models.profiles import ReaderProfile
from reading.models.requests import ReadingRequest, RequestUse

__all__ = ["ReaderProfile", "ReadingRequest", "RequestUse"]
