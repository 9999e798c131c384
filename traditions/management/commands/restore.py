from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from traditions.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Khôi phục một bản sao lưu vào cơ sở dữ liệu mới (đã migrate, chưa có dữ liệu) và kho tệp trống."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="Tệp sao lưu do lệnh backup tạo ra")

    def handle(self, *args, path: Path, **options) -> None:
        try:
            summary = restore_backup(path)
        except BackupError as exc:
            raise CommandError(f"{exc} Không có gì bị thay đổi.") from exc
        self.stdout.write(
            self.style.SUCCESS(f"Đã khôi phục {summary.total_rows} bản ghi và {summary.files} tệp từ {path}.")
        )
