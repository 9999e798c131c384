"""`manage.py backup`: a backup set to every destination of the environment, or one zip file.

Without a path it writes a set (``traditions.backup_sets``): incremental on the newest set every
destination holds, full with ``--full`` or when there is none; ``--verify`` restores the newest
set into a scratch database and storage and compares every row and file. With a path it writes
one zip file of everything (``traditions.backup``), as before.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from traditions.backup import BackupError, write_backup
from traditions.backup_sets import FULL, INCREMENTAL, backup_set_verify, backup_set_write, new_key


class Command(BaseCommand):
    help = (
        "Sao lưu vào mọi nơi sao lưu của môi trường (bộ đầy đủ hoặc gia tăng, mã hóa), "
        "kiểm tra bằng cách khôi phục thử (--verify), hoặc vào một tệp zip (PATH)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "path", type=Path, nargs="?", help="Tệp zip sẽ tạo, ví dụ backup-2026.zip (bỏ trống: sao lưu theo bộ)"
        )
        kind = parser.add_mutually_exclusive_group()
        kind.add_argument("--full", action="store_true", help="Tạo bộ đầy đủ (mặc định: gia tăng nếu đã có bộ).")
        kind.add_argument("--incremental", action="store_true", help="Tạo bộ gia tăng (đầy đủ nếu chưa có bộ nào).")
        kind.add_argument(
            "--verify", action="store_true", help="Khôi phục thử bộ mới nhất vào CSDL tạm và so sánh từng bản ghi, tệp."
        )
        kind.add_argument(
            "--new-key", dest="print_key", action="store_true", help="In một khóa mã hóa mới cho DJANGO_BACKUP_KEY."
        )
        parser.add_argument("--set", dest="set_id", default=None, help="Bộ cần kiểm tra (mặc định: mới nhất).")

    def handle(self, *args, path, full, incremental, verify, print_key: bool, set_id, **options) -> None:
        if print_key:
            self.stdout.write(new_key())
            return
        try:
            if path is not None:
                summary = write_backup(path)
                message = _("Đã sao lưu %(rows)d bản ghi và %(files)d tệp vào %(path)s.")
                self.stdout.write(
                    self.style.SUCCESS(message % {"rows": summary.total_rows, "files": summary.files, "path": path})
                )
            elif verify:
                self._verify(set_id)
            else:
                self._write(FULL if full else INCREMENTAL if incremental else None)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc

    def _write(self, kind) -> None:
        summary = backup_set_write(kind=kind)
        if summary.note:
            self.stdout.write(summary.note)
        message = (
            _(
                "Đã ghi bộ sao lưu đầy đủ %(set)s: %(rows)d bản ghi (%(changed)d ghi mới hoặc đổi, "
                "%(deleted)d đã xóa), %(files)d tệp (%(new)d tệp mới) vào %(destinations)s."
            )
            if summary.kind == FULL
            else _(
                "Đã ghi bộ sao lưu gia tăng %(set)s: %(rows)d bản ghi (%(changed)d ghi mới hoặc đổi, "
                "%(deleted)d đã xóa), %(files)d tệp (%(new)d tệp mới) vào %(destinations)s."
            )
        )
        values = {
            "set": summary.set_id,
            "rows": summary.rows,
            "changed": summary.changed_rows,
            "deleted": summary.deleted_rows,
            "files": summary.files,
            "new": summary.uploaded_files,
            "destinations": ", ".join(summary.destinations),
        }
        self.stdout.write(self.style.SUCCESS(message % values))
        if summary.removed_sets:
            self.stdout.write(_("Đã xóa các bộ cũ theo hạn giữ: %(sets)s.") % {"sets": ", ".join(summary.removed_sets)})

    def _verify(self, set_id) -> None:
        info, differences = backup_set_verify(set_id=set_id)
        if differences:
            heading = _("Bộ sao lưu %(set)s KHÔNG khôi phục được như đã ghi:") % {"set": info.id}
            raise CommandError("\n".join([heading, *("  " + difference for difference in differences)]))
        message = _("Bộ sao lưu %(set)s khôi phục đúng vào CSDL tạm: %(rows)d bản ghi và %(files)d tệp khớp.")
        values = {"set": info.id, "rows": sum(info.manifest["rows"].values()), "files": len(info.manifest["media"])}
        self.stdout.write(self.style.SUCCESS(message % values))
