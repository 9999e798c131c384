"""The reading app's background jobs (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def build_copy_package(request_id: int) -> str:
    """Build the usage package of an approved copy request (``reading.packages``); its state."""
    from reading.packages import package_build

    return package_build(request_id=request_id)
