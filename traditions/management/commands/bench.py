"""`manage.py bench`: one benchmark run on the current database; prints a table, writes JSON.

The work is in ``bench/runner.py``; see bench/README.md for what is measured and the last figures.
"""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Đo hiệu năng trên cơ sở dữ liệu hiện tại: in bảng kết quả và ghi JSON vào bench/results/."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--requests", type=int, default=30, help="Số yêu cầu cho mỗi số liệu (mặc định 30).")
        parser.add_argument(
            "--search", action="append", default=None, help="Một câu tìm kiếm (lặp lại để đo nhiều câu)."
        )
        parser.add_argument("--import-rows", type=int, default=10_000, help="Số dòng CSV nhập thử (0 để bỏ qua).")
        parser.add_argument("--output", default=None, help="Thư mục ghi JSON (mặc định bench/results/).")
        parser.add_argument(
            "--peer-runs",
            type=int,
            default=20,
            help="Số lượt so sánh tìm kiếm với tìm kiếm toàn văn của PostgreSQL (0 để bỏ qua).",
        )
        parser.add_argument(
            "--only-peer", action="store_true", help="Chỉ so sánh tìm kiếm với tìm kiếm toàn văn của PostgreSQL."
        )

    def handle(
        self, *args, requests: int, search, import_rows: int, output, peer_runs: int, only_peer: bool, **options
    ) -> None:
        from pathlib import Path

        from bench import runner

        bench = runner.Bench(
            requests=requests,
            searches=search or runner.DEFAULT_SEARCHES,
            import_rows=import_rows,
            peer_runs=peer_runs,
            only_peer=only_peer,
            log=lambda message: self.stderr.write(message),
        )
        report = bench.run()
        self.stdout.write(runner.table(report))
        path = runner.write_json(report, Path(output) if output else runner.RESULTS_DIR)
        self.stdout.write(f"\nJSON: {path}")
