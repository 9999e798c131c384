#!/usr/bin/env python
"""Django's command-line utility for the Tradition Room and Tradition House system."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traditions.settings")
    # Commands (migrations, imports, backups) may run statements longer than a request may.
    if not os.environ.get("DJANGO_DB_STATEMENT_TIMEOUT_MS", "").strip():
        os.environ["DJANGO_DB_STATEMENT_TIMEOUT_MS"] = "0"
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A setting the environment got wrong: its message names the variable and the fix.
        sys.exit(f"ImproperlyConfigured: {error}")


if __name__ == "__main__":
    main()
