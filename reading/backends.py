"""The permission a confirmed member of the Bloc holds, read from their profile.

An authentication backend that authenticates no one: it answers ``has_perm`` for the one
permission it grants (``archive.view_internal_item``), for an active account whose profile staff
confirmed as a member, so confirming or withdrawing the standing in the admin takes effect on the
next request without a group to keep in step. Any other permission it leaves to the model backend
without a query, so the admin's many permission checks cost nothing here; for the same reason it
lists nothing in ``get_all_permissions``.
"""

from __future__ import annotations

from django.contrib.auth.backends import BaseBackend

from archive.models.audiences import INTERNAL_PERMISSION
from reading.models import ReaderProfile


class ReaderStandingBackend(BaseBackend):
    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        if perm != INTERNAL_PERMISSION or obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return False
        return ReaderProfile.objects.filter(user=user_obj, standing=ReaderProfile.Standing.MEMBER).exists()
