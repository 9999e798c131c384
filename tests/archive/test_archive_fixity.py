"""Fixity: audit_fixity re-reads every original and derivative, names a changed or missing file,
tells staff and the admin, and resumes a pass that was stopped; each file keeps its events."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from PIL import Image

from archive import media
from archive.fixity import fixity_audit
from archive.models import FixityRun, Item, MediaFile, PreservationEvent, StoredChecksum

pytestmark = pytest.mark.django_db


def jpeg(seed: int, size=(700, 500)) -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise(size, 20 + seed).convert("RGB").save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def sha256_of(name: str) -> str:
    with default_storage.open(name, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


@pytest.fixture
def stored_files(db, django_capture_on_commit_callbacks, propaganda_user):
    item = Item.objects.create(title="Ảnh Đại hội đại biểu", status=Item.Status.PUBLISHED, is_sample=True)
    files = []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            files.append(media.media_file_store(item=item, uploaded=SimpleUploadedFile(f"ảnh {n}.jpg", jpeg(n))))
    return files


def test_derivatives_and_tiles_have_their_checksum_from_when_they_were_made(stored_files):
    media_file = stored_files[0]
    assert media_file.status == MediaFile.Status.READY
    recorded = {row.name: row.sha256 for row in media_file.checksums.all()}
    assert media_file.thumbnail.name in recorded and media_file.large.name in recorded
    assert any(name.startswith(f"{media_file.tiles}/") and name.endswith("info.json") for name in recorded)
    assert all(sha256_of(name) == sha for name, sha in recorded.items())
    kinds = set(media_file.preservation_events.values_list("kind", flat=True))
    assert {PreservationEvent.Kind.RECEIVED, PreservationEvent.Kind.DERIVATIVE} <= kinds
    received = media_file.preservation_events.get(kind=PreservationEvent.Kind.RECEIVED)
    assert received.sha256 == media_file.sha256 == sha256_of(media_file.file.name)


def test_a_corrupted_original_and_a_missing_tile_are_reported_by_name(stored_files, settings, capsys):
    settings.STAFF_NOTIFICATION_EMAILS = ["btg@example.org"]
    changed, lost = stored_files[1], stored_files[3]
    with default_storage.open(changed.file.name, "rb") as handle:
        content = bytearray(handle.read())
    content[len(content) // 2] ^= 0xFF
    default_storage.delete(changed.file.name)
    default_storage.save(changed.file.name, io.BytesIO(bytes(content)))
    tile = lost.checksums.filter(name__endswith="default.jpg").first().name
    default_storage.delete(tile)

    call_command("audit_fixity")
    output = capsys.readouterr().out
    assert changed.file.name in output and tile in output
    run = FixityRun.objects.get()
    assert run.finished_at is not None and run.problems == 2 and run.media_checked == 5
    problems = run.events.exclude(outcome=PreservationEvent.Outcome.SUCCESS)
    assert {(e.file_name, e.outcome) for e in problems} == {
        (changed.file.name, PreservationEvent.Outcome.CHANGED),
        (tile, PreservationEvent.Outcome.MISSING),
    }
    assert len(mail.outbox) == 1
    assert changed.original_name in mail.outbox[0].body and tile in mail.outbox[0].body


def test_a_clean_pass_sends_nothing_and_logs_a_check_per_file(stored_files, settings):
    settings.STAFF_NOTIFICATION_EMAILS = ["btg@example.org"]
    run = fixity_audit()
    assert run.problems == 0 and run.finished_at is not None
    assert run.files_checked == sum(1 + f.checksums.count() for f in MediaFile.objects.all())
    assert mail.outbox == []
    for media_file in stored_files:
        assert media_file.preservation_events.filter(kind=PreservationEvent.Kind.CHECKED, run=run).count() == 1


def test_a_pass_stopped_half_way_resumes_where_it_stopped(stored_files):
    seen = []

    def interrupt_after_three(run, done, total):
        seen.append(done)
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        fixity_audit(batch_size=2, on_file=interrupt_after_three)
    run = FixityRun.objects.get()
    # The first batch (two files) was committed; the third file's batch was not.
    assert run.finished_at is None and run.media_checked == 2
    assert run.cursor == stored_files[1].pk
    assert PreservationEvent.objects.filter(kind=PreservationEvent.Kind.CHECKED).count() == 2

    resumed = fixity_audit(batch_size=2)
    assert resumed.pk == run.pk and resumed.finished_at is not None
    assert resumed.media_checked == 5
    checked = PreservationEvent.objects.filter(kind=PreservationEvent.Kind.CHECKED, run=run)
    assert sorted(checked.values_list("media_file_id", flat=True)) == [f.pk for f in stored_files]


def test_the_command_stops_at_a_limit_and_the_next_run_continues(stored_files, capsys):
    call_command("audit_fixity", "--limit", "2")
    assert "chưa xong" in capsys.readouterr().out
    call_command("audit_fixity")
    assert "mọi mã SHA-256 khớp" in capsys.readouterr().out
    run = FixityRun.objects.get()
    assert run.media_checked == 5 and run.finished_at is not None
    with pytest.raises(CommandError, match="--batch-size"):
        call_command("audit_fixity", "--batch-size", "0")


def test_derivatives_made_before_checksums_were_kept_are_recorded_then_compared(stored_files):
    media_file = stored_files[2]
    StoredChecksum.objects.filter(media_file=media_file).delete()
    first = fixity_audit()
    assert first.problems == 0
    assert media_file.checksums.filter(name=media_file.thumbnail.name).exists()
    default_storage.delete(media_file.thumbnail.name)
    default_storage.save(media_file.thumbnail.name, io.BytesIO(b"not the thumbnail"))
    second = fixity_audit()
    assert second.pk != first.pk
    assert list(second.events.exclude(outcome="success").values_list("file_name", flat=True)) == [
        media_file.thumbnail.name
    ]


def test_processing_again_replaces_the_checksums_of_the_replaced_derivatives(stored_files):
    from archive.processing import media_file_process

    media_file = stored_files[0]
    old = set(media_file.checksums.values_list("name", flat=True))
    media_file_process(media_file_id=media_file.pk)
    media_file.refresh_from_db()
    new = set(media_file.checksums.values_list("name", flat=True))
    assert not old & new
    assert all(
        name.startswith(f"{media_file.tiles}/")
        or name in {media_file.thumbnail.name, media_file.medium.name, media_file.large.name}
        for name in new
    )


def test_staff_see_the_problems_in_the_admin(stored_files, client, propaganda_user):
    default_storage.delete(stored_files[4].file.name)
    run = fixity_audit()
    client.force_login(propaganda_user)
    response = client.get(
        reverse("admin:archive_preservationevent_changelist") + f"?problem=yes&run__id__exact={run.pk}"
    )
    assert response.status_code == 200
    assert stored_files[4].file.name in response.content.decode()
    assert client.get(reverse("admin:archive_fixityrun_changelist")).status_code == 200
    event = run.events.first()
    change = client.get(reverse("admin:archive_preservationevent_change", args=[event.pk]))
    assert change.status_code == 200 and b'name="agent"' not in change.content  # read-only
