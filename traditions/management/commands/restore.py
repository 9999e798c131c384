"""`manage.py restore`: a backup zip, or a backup set from the destinations, into an empty database."""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from traditions.backup import BackupError, compare_with_backup, restore_backup
from traditions.backup_sets import backup_set_materialise


class Command(BaseCommand):
    help = "Khôi phục một bản sao lưu vào cơ sở dữ liệu mới (đã migrate, chưa có dữ liệu) và kho tệp trống."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, nargs="?", help="Tệp sao lưu do lệnh backup tạo ra")
        parser.add_argument(
            "--set",
            dest="set_id",
            default=None,
            help="Khôi phục một bộ sao lưu từ nơi sao lưu (mã bộ, hoặc “latest” cho bộ mới nhất).",
        )
        parser.add_argument(
            "--compare", action="store_true", help="Sau khi khôi phục, so sánh từng bản ghi và tệp với bản sao lưu."
        )

    def handle(self, *args, path, set_id, compare: bool, **options) -> None:
        if (path is None) == (set_id is None):
            raise CommandError(_("Cho một tệp sao lưu, hoặc --set với mã bộ sao lưu (hay “latest”)."))
        try:
            if path is None:
                with tempfile.TemporaryDirectory(prefix="restore-set-") as work:
                    archive = Path(work) / "set.zip"
                    backup_set_materialise(target=archive, set_id=None if set_id == "latest" else set_id)
                    self._restore(archive, set_id, compare)
            else:
                self._restore(path, path, compare)
        except BackupError as exc:
            raise CommandError(_("%(error)s Không có gì bị thay đổi.") % {"error": exc}) from exc

    def _restore(self, archive: Path, label, compare: bool) -> None:
        summary = restore_backup(archive)
        message = _("Đã khôi phục %(rows)d bản ghi và %(files)d tệp từ %(source)s.")
        self.stdout.write(
            self.style.SUCCESS(message % {"rows": summary.total_rows, "files": summary.files, "source": label})
        )
        if compare:
            differences = compare_with_backup(archive)
            if differences:
                raise CommandError("\n".join(differences[:50]))
            self.stdout.write(self.style.SUCCESS(_("Mọi bản ghi và tệp khớp với bản sao lưu.")))
