"""`manage.py audit_fixity`: re-read every stored original and derivative and compare its SHA-256.

Resumes an unfinished pass where it stopped (``archive.fixity``); a progress bar on a terminal.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from archive.fixity import fixity_audit
from archive.models import PreservationEvent


class Command(BaseCommand):
    help = (
        "Kiểm tra toàn vẹn: đọc lại mọi tệp gốc và tệp phái sinh, so mã SHA-256; báo tệp thiếu hoặc bị "
        "thay đổi qua email và trong trang quản trị. Lượt bị ngắt được chạy tiếp từ chỗ dừng."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch-size", type=int, default=50, help=_("Số tệp số hóa mỗi lô (mặc định 50)."))
        parser.add_argument(
            "--limit", type=int, default=None, help=_("Dừng sau chừng này tệp số hóa; lần sau chạy tiếp.")
        )
        parser.add_argument("--restart", action="store_true", help=_("Bỏ lượt đang dở, bắt đầu lượt mới từ đầu."))

    def handle(self, *args, batch_size: int, limit, restart: bool, **options) -> None:
        if batch_size < 1 or (limit is not None and limit < 1):
            raise CommandError(_("--batch-size và --limit phải là số nguyên dương."))
        tty = self.stdout.isatty()

        def progress(run, done: int, total: int) -> None:
            if tty:
                width = 30
                filled = width * done // max(total, 1)
                bar = "█" * filled + "·" * (width - filled)
                self.stdout.write(f"\r[{bar}] {done}/{total}", ending="")
                self.stdout.flush()

        try:
            run = fixity_audit(batch_size=batch_size, limit=limit, restart=restart, on_file=progress)
        except KeyboardInterrupt as exc:
            raise CommandError(_("Đã dừng. Chạy lại lệnh để tiếp tục từ lô cuối cùng đã kiểm tra xong.")) from exc
        if tty:
            self.stdout.write("")
        problems = run.events.exclude(outcome=PreservationEvent.Outcome.SUCCESS).order_by("pk")
        for event in problems:
            self.stdout.write(self.style.ERROR(event.detail))
        values = {"media": run.media_checked, "files": run.files_checked, "problems": run.problems}
        if run.finished_at is None:
            message = _(
                "Đã kiểm tra %(media)d tệp số hóa (%(files)d tệp lưu trữ), %(problems)d tệp có vấn đề; "
                "lượt chưa xong, chạy lại để tiếp tục."
            )
            self.stdout.write(message % values)
        elif run.problems:
            message = _(
                "Xong: %(media)d tệp số hóa (%(files)d tệp lưu trữ) đã kiểm tra, %(problems)d tệp thiếu hoặc bị "
                "thay đổi; đã báo cán bộ."
            )
            self.stdout.write(self.style.ERROR(message % values))
        else:
            message = _("Xong: %(media)d tệp số hóa (%(files)d tệp lưu trữ) đã kiểm tra, mọi mã SHA-256 khớp.")
            self.stdout.write(self.style.SUCCESS(message % values))
