from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from traditions.backup import BackupError, write_backup


class Command(BaseCommand):
    help = "Sao lưu toàn bộ dữ liệu và tệp vào một tệp zip (kèm manifest mã kiểm tra SHA-256)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="Đường dẫn tệp sao lưu sẽ tạo, ví dụ backup-2026.zip")

    def handle(self, *args, path: Path, **options) -> None:
        try:
            summary = write_backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Đã sao lưu {summary.total_rows} bản ghi và {summary.files} tệp vào {path}.")
        )
