"""The visitor's address behind a reverse proxy: for the booking rate limit and the login lockout."""

import pytest
from django.test import RequestFactory

from basics.client_address import client_address


def request_from(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request_from("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("10.0.0.1, 198.51.100.7", "198.51.100.7"),  # whatever the client wrote at the left is not trusted
        ("2001:db8::5", "2001:db8::5"),
        ("", "127.0.0.1"),  # the proxy passed nothing on: its own address is all there is
        ("not-an-address", "127.0.0.1"),
    ],
)
def test_behind_one_proxy_the_address_it_appended_counts(settings, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request_from("127.0.0.1", forwarded)) == expected


def test_behind_two_proxies_the_outer_ones_entry_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request_from("10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.1")) == "198.51.100.7"
    assert client_address(request_from("10.0.0.2", "198.51.100.7")) == "10.0.0.2"


@pytest.mark.django_db
def test_the_booking_limit_counts_visitors_not_the_proxy(settings):
    from django.core.cache import cache

    from basics.throttle import submission_allowed

    cache.clear()
    settings.TRUSTED_PROXY_COUNT = 1
    first, second = "198.51.100.7", "198.51.100.8"

    def allowed(visitor: str) -> bool:
        return submission_allowed(request_from("127.0.0.1", visitor), scope="bookings", limit=2, window=3600)

    assert all(allowed(first) for _ in range(2))
    assert not allowed(first)
    assert allowed(second)  # another visitor through the same proxy


def test_django_axes_uses_the_same_address(settings):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY_COUNT = 1
    assert get_client_ip_address(request_from("127.0.0.1", "6.6.6.6, 198.51.100.7")) == "198.51.100.7"


def test_a_request_without_an_address_has_none(settings):
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    for proxies in (0, 1):
        settings.TRUSTED_PROXY_COUNT = proxies
        assert client_address(request) is None
