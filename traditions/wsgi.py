"""WSGI entry point, for gunicorn: `gunicorn traditions.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traditions.settings")
application = get_wsgi_application()
