"""Settings for bench/load.py: the production settings with the bench's URLconf (the site's URLs
plus the peer search of ``bench/peer.py``)."""

from traditions.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
