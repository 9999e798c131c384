"""The archive's background jobs (django-tasks): what an upload leaves for later.

A job is a row of the database backend's table, queued in the transaction that saves what it
works on, so a worker never sees a job whose media file was rolled back.
"""

from __future__ import annotations

from django_tasks import task

from archive.fixity import media_file_received
from archive.models import MediaFile


@task()
def process_media_file(media_file_id: int) -> str:
    """Make a media file's derivatives and deep-zoom tiles (``archive.processing``); its state."""
    from archive.processing import media_file_process

    return media_file_process(media_file_id=media_file_id)


@task()
def read_page_text(media_file_id: int) -> str:
    """Read the text of a document's pages: text layer or OCR (``archive.page_text``); its state."""
    from archive.page_text import media_file_read_text

    return media_file_read_text(media_file_id=media_file_id)


def media_file_enqueue(*, media_file: MediaFile) -> None:
    """Mark a saved media file as waiting and queue its processing, in the caller's transaction; its
    original's receipt is recorded once (``archive.fixity``)."""
    MediaFile.objects.filter(pk=media_file.pk).update(status=MediaFile.Status.WAITING, failure_reason="")
    media_file.status, media_file.failure_reason = MediaFile.Status.WAITING, ""
    process_media_file.enqueue(media_file.pk)
    media_file_received(media_file=media_file)


@task()
def unpack_ingest_batch(batch_id: int) -> str:
    """Unpack a confirmed batch's ZIP into media files, each queued for processing (``archive.batches``)."""
    from archive.batches import ingest_batch_unpack

    return ingest_batch_unpack(batch_id=batch_id)


@task()
def run_offline_transfer(transfer_id: int) -> str:
    """Export a classified item's files for the offline system and remove them (``archive.offline``)."""
    from archive.offline import offline_transfer_run

    return offline_transfer_run(transfer_id=transfer_id)
