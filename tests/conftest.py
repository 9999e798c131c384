"""Shared fixtures: a named instant, a temporary MEDIA_ROOT, a fast password hasher, staff users per role, a browser."""

import datetime
import os
import shutil
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group

from traditions.roles import LEADERSHIP, OFFICE, PROPAGANDA_BOARD

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def _named_instant(request):
    """`@pytest.mark.instant("2026-12-07 07:00")`: the test and its fixtures run at that moment of
    Hà Nội's clock (frozen unless `tick=True`), whatever day the suite runs on.

    Defined first among the autouse fixtures, so every date a fixture picks is picked at that instant.
    """
    marker = request.node.get_closest_marker("instant")
    if marker is None:
        yield None
        return
    moment = datetime.datetime.fromisoformat(marker.args[0]).replace(tzinfo=HANOI)
    with time_machine.travel(moment, tick=marker.kwargs.get("tick", False)):
        yield moment


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The superuser fixture has no authenticator app; tests/reading/test_two_factor.py requires one.
    settings.TWO_FACTOR_REQUIRED_FOR_SUPERUSERS = False
    # Jobs run at once, in the enqueuing code's transaction: a test sees the real job's outcome.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # OCR takes seconds a page: only the tests of page text (tests/archive/test_archive_page_text*.py) read it.
    settings.ARCHIVE_READ_TEXT = False
    settings.ARCHIVE_SEARCHABLE_PDF = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def reseed_migration_data() -> None:
    """Run every data migration of the project again (they are idempotent), then the roles.

    A transactional test (browser tests, concurrency tests) ends with a flush that empties every
    table, including what the data migrations seeded: periods, venues, bodies, staff groups, the
    plan's upgrade items. Tests after it expect that data, as a fresh database has it.
    """
    from django.apps import apps as django_apps
    from django.db import connection
    from django.db.migrations import RunPython
    from django.db.migrations.loader import MigrationLoader

    from traditions.roles import sync_roles

    loader = MigrationLoader(connection)
    project_apps = {"traditions", "archive", "exhibits", "bookings", "upgrades"}
    plan: list[tuple[str, str]] = []
    for leaf in loader.graph.leaf_nodes():
        if leaf[0] in project_apps:
            plan += [key for key in loader.graph.forwards_plan(leaf) if key not in plan]
    for key in plan:
        if key[0] not in project_apps:
            continue
        for operation in loader.graph.nodes[key].operations:
            if isinstance(operation, RunPython):
                operation.code(django_apps, None)
    sync_roles()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test has been torn down (and the database flushed), reseed it."""
    yield
    if nextitem is None:
        return  # the session is over and the test database is gone: never touch the real one
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    transactional = "transactional_db" in fixtures or "live_server" in fixtures
    if marker and marker.kwargs.get("transaction"):
        transactional = True
    if transactional:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            reseed_migration_data()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache, and so a content version of its own."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _staff_user(django_user_model, username: str, group_name: str | None):
    user = django_user_model.objects.create_user(
        username=username, password="mật-khẩu-thử-12345", email=f"{username}@example.org", is_staff=True
    )
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def propaganda_user(db, django_user_model):
    """A Propaganda Board (Ban Tuyên giáo) cataloguer."""
    return _staff_user(django_user_model, "tuyengiao", PROPAGANDA_BOARD)


@pytest.fixture
def office_user(db, django_user_model):
    """An Office (Văn phòng) staff member."""
    return _staff_user(django_user_model, "vanphong", OFFICE)


@pytest.fixture
def leadership_user(db, django_user_model):
    """A member of the leadership (Lãnh đạo), read-only."""
    return _staff_user(django_user_model, "lanhdao", LEADERSHIP)


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser(
        username="quantri", password="mật-khẩu-thử-12345", email="quantri@example.org"
    )


def _browser_missing_reason() -> str | None:
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        return "Chromium or chromedriver is not installed (apt-get install chromium chromium-driver)"
    return None


@pytest.fixture
def browser(live_server):
    """Headless Chromium driven by Selenium against the live test server.

    Skipped with a reason where Chromium is absent, except in CI, where that is a failure.
    """
    reason = _browser_missing_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"Browser tests must run in CI: {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--window-size=1280,900",
        "--lang=vi",
    ):
        options.add_argument(flag)
    user_data = tempfile.mkdtemp(prefix="chromium-profile-")
    options.add_argument(f"--user-data-dir={user_data}")
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.implicitly_wait(2)
    driver.live_server_url = live_server.url

    def wait_for_url(fragment: str, timeout: float = 15) -> str:
        """Wait until the page after a click or submit has loaded (clicks return before navigation)."""
        from selenium.webdriver.support import expected_conditions
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(driver, timeout).until(expected_conditions.url_contains(fragment))
        WebDriverWait(driver, timeout).until(lambda d: d.execute_script("return document.readyState") == "complete")
        return driver.current_url

    def wait_until(condition, timeout: float = 15):
        from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
        from selenium.webdriver.support.ui import WebDriverWait

        ignored = (NoSuchElementException, StaleElementReferenceException)
        return WebDriverWait(driver, timeout, ignored_exceptions=ignored).until(lambda d: condition(d))

    def admin_login(username: str, password: str = "mật-khẩu-thử-12345", next_path: str = "/admin/") -> None:
        """Log in through the admin's form and wait until the next page has loaded."""
        from selenium.webdriver.common.by import By

        driver.get(f"{live_server.url}/admin/login/?next={next_path}")
        driver.find_element(By.NAME, "username").send_keys(username)
        driver.find_element(By.NAME, "password").send_keys(password)
        driver.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
        try:
            wait_until(lambda d: "/admin/login/" not in d.current_url)
        except Exception:
            pytest.fail("admin login failed: " + driver.find_element(By.TAG_NAME, "body").text[:500])
        wait_until(lambda d: d.execute_script("return document.readyState") == "complete")

    driver.wait_for_url = wait_for_url
    driver.wait_until = wait_until
    driver.admin_login = admin_login
    yield driver
    driver.quit()
    shutil.rmtree(user_data, ignore_errors=True)
