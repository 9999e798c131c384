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
