"""The archive's background jobs (django-tasks): what an upload leaves for later.

A job is a row of the database backend's table, queued in the transaction that saves what it
works on, so a worker never sees a job whose media file was rolled back.
"""

from __future__ import annotations

from django_tasks import task

from archive.models import MediaFile


@task()
def process_media_file(media_file_id: int) -> str:
    """Make a media file's derivatives and deep-zoom tiles (``archive.processing``); its state."""
    from archive.processing import media_file_process

    return media_file_process(media_file_id=media_file_id)


def media_file_enqueue(*, media_file: MediaFile) -> None:
    """Mark a saved media file as waiting and queue its processing, in the caller's transaction."""
    MediaFile.objects.filter(pk=media_file.pk).update(status=MediaFile.Status.WAITING, failure_reason="")
    media_file.status, media_file.failure_reason = MediaFile.Status.WAITING, ""
    process_media_file.enqueue(media_file.pk)
