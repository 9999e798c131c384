"""Settings for bench/throughput.py: the production settings, with static files collected into a
temporary directory (whitenoise serves them from there, as in production)."""

import os

from traditions.settings import *  # noqa: F403

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
