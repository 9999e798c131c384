"""Per-address limits on the public forms (visit bookings, contributions), kept in the shared cache.

Each submission takes one of ``limit`` numbered places of the address's current window with
``cache.add``, which every cache backend performs atomically (Redis ``SET NX``, the database
cache's unique key, the memory cache's lock). So the limit holds exactly across the workers and
hosts that share the cache, however many requests arrive at once; a counter read and written
back (``incr`` on the database or file cache) would let concurrent requests through together.
"""

from __future__ import annotations

import time

from django.core.cache import cache

from basics.client_address import client_address


def submission_allowed(request, *, scope: str, limit: int, window: int) -> bool:
    """Count one submission of this address to ``scope``; False once ``limit`` were made in this window.

    Windows are fixed (``window`` seconds from the epoch): an address gets ``limit`` submissions
    per window, whatever the number of processes that serve it.
    """
    address = client_address(request) or "unknown"
    bucket = int(time.time()) // window
    prefix = f"throttle:{scope}:{address}:{bucket}"
    return any(cache.add(f"{prefix}:{place}", 1, timeout=window) for place in range(limit))


def submissions_exhausted(request, *, scope: str, limit: int, window: int) -> bool:
    """Whether this address has used every place of ``scope`` in this window, without taking one.

    Places are taken in order, so the last one is taken only when all are; a check that races
    with a submission may answer the moment before, and the submission's own count still holds.
    """
    if limit <= 0:
        return True
    address = client_address(request) or "unknown"
    bucket = int(time.time()) // window
    return cache.get(f"throttle:{scope}:{address}:{bucket}:{limit - 1}") is not None


def window_minutes_left(window: int) -> int:
    """Whole minutes (at least one) until the current window of ``window`` seconds ends."""
    return max(1, -(-(window - int(time.time()) % window) // 60))
