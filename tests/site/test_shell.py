"""The site shell: the home page in both languages, error pages, health check, settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError
from django.urls import reverse

from archive.models import Period
from basics.money import format_dong

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_home_shows_the_four_seeded_periods_in_vietnamese(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert Period.objects.count() == 4
    for period in Period.objects.all():
        assert period.name in html
        assert period.span_label() in html
    assert "1962–1964, 1978–1982" in html
    assert "2007–nay" in html
    assert "Đảng bộ Khối các cơ quan Trung ương" in html


@pytest.mark.django_db
def test_home_in_english_uses_the_english_catalogue_and_names(client):
    response = client.get("/en/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "Historical periods" in html
    assert "The seven central bloc party committees" in html
    assert "2007–present" in html


@pytest.mark.django_db
def test_unprefixed_pages_stay_vietnamese_after_visiting_english(client):
    client.get("/en/")
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="vi">' in html


@pytest.mark.django_db
def test_language_switcher_links_to_the_same_page_in_the_other_language(client):
    html = client.get(reverse("exhibits:period_list")).content.decode()
    assert 'href="/en/thoi-ky/" hreflang="en"' in html
    html = client.get("/en/thoi-ky/").content.decode()
    assert 'href="/thoi-ky/" hreflang="vi"' in html


@pytest.mark.django_db
def test_shell_has_landmarks_skip_link_and_navigation(client):
    html = client.get("/").content.decode()
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html
    assert 'aria-label="Điều hướng chính"' in html
    assert 'href="/thoi-ky/"' in html
    assert 'rel="icon"' in html


@pytest.mark.django_db
def test_unknown_page_gets_the_vietnamese_404(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_500_page_is_vietnamese_and_standalone():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Hệ thống đang gặp sự cố" in html


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(self, sql, params=None):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503


def test_favicon_redirects_to_the_static_svg(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(0, "0 ₫"), (1234567, "1.234.567 ₫"), (999, "999 ₫"), (-50000, "-50.000 ₫"), (None, "—")],
)
def test_money_is_written_in_dong(amount, expected):
    assert format_dong(amount) == expected


def _run_check(extra_env: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _production_env(tmp_path, **overrides) -> dict:
    """Real production values for ``check --deploy`` (a database in the test's own directory)."""
    env = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "a-real-production-key-" + "x7Q2pL9vR4mN8sT1" * 3,
        "DJANGO_ALLOWED_HOSTS": "traditions.example.org",
        "DJANGO_SITE_URL": "https://traditions.example.org",
        "DJANGO_STAFF_EMAILS": "bantuyengiao@traditions.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}",
    }
    env.update(overrides)
    return {name: value for name, value in env.items() if value is not None}


@pytest.mark.parametrize(
    "secret_key",
    [None, "", "   ", "django-insecure-" + "x" * 60, "too-short-" + "x" * 39],
    ids=["unset", "empty", "spaces", "development", "49-characters"],
)
def test_production_refuses_a_missing_or_weak_secret_key(secret_key):
    """`.env.example` ships `DJANGO_SECRET_KEY=` empty: copied as it is, the start must stop and say why."""
    result = _run_check({"DJANGO_DEBUG": "0"} | ({} if secret_key is None else {"DJANGO_SECRET_KEY": secret_key}))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr and "secrets.token_urlsafe(50)" in result.stderr
    assert "Traceback" not in result.stderr


def test_empty_variables_take_their_defaults():
    """One rule for every variable: set but empty is the same as unset."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    names = ["DJANGO_DEBUG", "DJANGO_ALLOWED_HOSTS", "DJANGO_CONN_MAX_AGE", "DJANGO_EMAIL_PORT", "DATABASE_URL"]
    env.update(dict.fromkeys(names, ""))
    code = (
        "from traditions import settings as s; "
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.DATABASES['default']['ENGINE'], s.EMAIL_PORT, s.DEFAULT_FROM_EMAIL)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "True ['localhost', '127.0.0.1', '[::1]'] django.db.backends.sqlite3 25 Phòng Truyền thống <noreply@localhost>"
    )


def test_a_number_that_is_not_a_number_names_its_variable(tmp_path):
    result = _run_check(_production_env(tmp_path, DJANGO_CONN_MAX_AGE="sixty"))
    assert result.returncode != 0
    assert "DJANGO_CONN_MAX_AGE must be a whole number" in result.stderr


def test_check_deploy_is_clean_with_real_values(tmp_path):
    result = _run_check(_production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    # The one message is the information which rule for classified files holds (traditions.checks).
    output = result.stdout + result.stderr
    assert "System check identified 1 issue" in output
    assert "INFOS:" in output and "(traditions.I001) Internet-facing instance" in output


@pytest.mark.parametrize("site_url", [None, "http://traditions.example.org", "https://localhost:8000"])
def test_check_deploy_warns_of_a_site_address_that_labels_cannot_use(tmp_path, site_url):
    result = _run_check(_production_env(tmp_path, DJANGO_SITE_URL=site_url))
    assert result.returncode != 0
    assert "traditions.W001" in result.stderr + result.stdout and "DJANGO_SITE_URL" in result.stderr + result.stdout


def test_check_deploy_warns_when_no_staff_address_would_hear_of_a_booking(tmp_path):
    result = _run_check(_production_env(tmp_path, DJANGO_STAFF_EMAILS=None))
    output = result.stderr + result.stdout
    assert result.returncode != 0
    assert "traditions.W002" in output and "DJANGO_STAFF_EMAILS" in output


def test_the_sign_in_lockout_reads_in_vietnamese_in_the_admin(client, superuser):
    """django-axes ships no Vietnamese: its section, models and columns are named by the project."""
    client.force_login(superuser)
    index = client.get("/admin/").content.decode()
    assert "Bảo vệ đăng nhập" in index
    assert "Lượt đăng nhập sai" in index and "Nhật ký đăng nhập" in index
    assert "Access attempts" not in index and "Access logs" not in index
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        user_agent="Firefox",
        ip_address="10.0.0.5",
        username="khach",
        http_accept="*/*",
        path_info="/admin/login/",
        get_data="",
        post_data="",
        failures_since_start=3,
    )
    attempts = client.get("/admin/axes/accessattempt/").content.decode()
    assert "Địa chỉ IP" in attempts and "Số lần đăng nhập sai" in attempts and "Thời điểm đăng nhập" in attempts


def test_paths_left_empty_in_the_environment_take_their_defaults():
    """.env.example lists DJANGO_MEDIA_ROOT= and DJANGO_STATIC_ROOT= empty: copied as they are,
    they must not put uploads or static files in the working directory ("")."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DJANGO_MEDIA_ROOT": "", "DJANGO_STATIC_ROOT": ""})
    code = "from traditions import settings as s; print(s.MEDIA_ROOT); print(s.STATIC_ROOT)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    media_root, static_root = result.stdout.split()
    assert media_root == str(ROOT / "media")
    assert static_root == str(ROOT / "staticfiles")


@pytest.mark.django_db
def test_the_admin_error_banner_and_plural_strings_read_in_vietnamese(client, superuser):
    """Django's Vietnamese catalogue has these strings only without their plural forms."""
    from django.utils.translation import ngettext, override

    from archive.models import Period

    client.force_login(superuser)
    period = Period.objects.order_by("number").first()
    url = reverse("admin:archive_period_change", args=[period.pk])
    form = client.get(url).context["adminform"].form
    data = {name: "" if value is None else value for name, value in form.initial.items()}
    data.update({"name": "", "spans-TOTAL_FORMS": "0", "spans-INITIAL_FORMS": "0"})
    html = client.post(url, data).content.decode()
    assert "Vui lòng sửa các lỗi dưới đây." in html and "Please correct" not in html
    with override("vi"):
        assert ngettext("%(num)d day", "%(num)d days", 3) % {"num": 3} == "3 ngày"


def test_a_dotenv_file_fills_what_the_environment_leaves_unset(tmp_path):
    """`.env.example` says to copy it to `.env`: the start reads that file, and a variable the
    service manager sets wins over the file's."""
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "DJANGO_SITE_URL=https://from-the-file.example.org\nDJANGO_ALLOWED_HOSTS=file.example.org\n", encoding="utf-8"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DJANGO_ENV_FILE": str(dotenv), "DJANGO_ALLOWED_HOSTS": "shell.example.org"})
    code = "from traditions import settings as s; print(s.SITE_URL, s.ALLOWED_HOSTS)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://from-the-file.example.org ['shell.example.org']"
