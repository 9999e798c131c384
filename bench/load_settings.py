"""Settings for ``bench/load.py --peer``: the production settings with the bench's URLs, which add
the search peer's page (bench/urls.py) to the site's."""

from traditions.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
