"""Settings of the Tradition Room and Tradition House system, read from the environment.

Every variable is listed with its meaning in `.env.example`. Without any of them the
project runs for development on SQLite; in production (a real `DJANGO_SECRET_KEY`,
debug off) it refuses the development defaults.
"""

import os
import re
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent

# A `.env` file beside manage.py (or the file DJANGO_ENV_FILE names) fills in the variables the
# environment leaves unset; a variable set by the service manager or the shell always wins.
load_dotenv(os.environ.get("DJANGO_ENV_FILE") or BASE_DIR / ".env", override=False)


def env(name: str, default: str = "") -> str:
    """The variable's value; unset, empty or only spaces (as `.env.example` ships many) means the default."""
    value = os.environ.get(name, "").strip()
    return value or default


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    return value.lower() in {"1", "true", "yes", "on"} if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = env(name)
    return [part.strip() for part in value.split(",") if part.strip()] if value else default


def env_int(name: str, default: int) -> int:
    value = env(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number (found {value!r}).") from None


DEVELOPMENT_SECRET_KEY = "django-insecure-development-key-never-use-in-production"  # noqa: S105
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY = env("DJANGO_SECRET_KEY")
# Debug is on only while no secret key is given, so a production host that sets its key runs
# with debug off unless it asks otherwise.
DEBUG = env_bool("DJANGO_DEBUG", default=not SECRET_KEY)
if DEBUG:
    SECRET_KEY = SECRET_KEY or DEVELOPMENT_SECRET_KEY
elif len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        f"DJANGO_SECRET_KEY is unset, empty, the development key or shorter than {SECRET_KEY_MIN_LENGTH} "
        "characters while DJANGO_DEBUG is off. Make one with "
        '`python -c "import secrets; print(secrets.token_urlsafe(50))"` and set it (see .env.example).'
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# <url> entries in one page of a sitemap section (an item counts once per language); the
# protocol allows 50,000.
SITEMAP_URLS_PER_PAGE = env_int("DJANGO_SITEMAP_URLS_PER_PAGE", 10000)

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, as its documentation asks: English fields of the catalogue's texts
    "traditions.admin_site.TraditionsAdminConfig",  # django.contrib.admin, its app list kept per permissions
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "traditions.signin_lockout.AxesConfig",  # django-axes, named in Vietnamese in the admin
    "csp",
    "django_filters",
    "import_export",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "traditions",
    "archive",
    "exhibits",
    "bookings",
    "upgrades",
    "reading",  # before allauth: its account templates replace allauth's
    "allauth",
    "allauth.account",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",  # the API's docs page takes Swagger UI from the static files, not a CDN
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "traditions.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "archive.middleware.StorageFullMiddleware",
]

ROOT_URLCONF = "traditions.urls"
WSGI_APPLICATION = "traditions.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "traditions.context_processors.site",
            ],
        },
    },
]

# Database: PostgreSQL in production and CI; a SQLite file when DATABASE_URL is unset.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The development server and the background worker write to the same file: a transaction
    # takes the write lock when it starts and waits for it, rather than failing half-way.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Time limits, so that a database that stops answering makes requests fail in seconds instead of
    # holding every worker: a new connection gives up after DJANGO_DB_CONNECT_TIMEOUT seconds; sent
    # data that the server's host does not acknowledge within DJANGO_DB_NETWORK_TIMEOUT_MS (lost
    # packets) and an idle connection whose keepalives go unanswered are dropped; a statement runs
    # at most DJANGO_DB_STATEMENT_TIMEOUT_MS (0: no limit; manage.py sets 0 for its commands, since
    # migrations, imports and backups may rightly run long).
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": env_int("DJANGO_DB_CONNECT_TIMEOUT", 3),
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 5,
        "keepalives_count": 3,
        "tcp_user_timeout": env_int("DJANGO_DB_NETWORK_TIMEOUT_MS", 5000),
        "options": f"-c statement_timeout={env_int('DJANGO_DB_STATEMENT_TIMEOUT_MS', 30000)}",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so two concurrent writers queue
    # instead of failing half-way (bookings and inventory numbers rely on it).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "reading.backends.ReaderStandingBackend",
]
AXES_FAILURE_LIMIT = env_int("DJANGO_AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
# Reverse proxies in front of the site that append the client to X-Forwarded-For (nginx: 1); the
# booking rate limit and the login lockout then count visitors, not the proxy.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "basics.client_address.client_address"

# Language and time: Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The catalogue's texts in both languages (django-modeltranslation): the Vietnamese text is the
# one every record has; an English page shows the English text where there is one, else the
# Vietnamese.
MODELTRANSLATION_DEFAULT_LANGUAGE = "vi"
MODELTRANSLATION_LANGUAGES = ("vi", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("vi",)
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["traditions.formats"]

# Static files, served by whitenoise; media on local disk or S3-compatible storage.
STATIC_URL = "static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))

AWS_STORAGE_BUCKET_NAME = env("DJANGO_S3_BUCKET")
if AWS_STORAGE_BUCKET_NAME:
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("DJANGO_S3_ENDPOINT_URL") or None,
            "region_name": env("DJANGO_S3_REGION") or None,
            "access_key": env("DJANGO_S3_ACCESS_KEY_ID") or None,
            "secret_key": env("DJANGO_S3_SECRET_ACCESS_KEY") or None,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env_int("DJANGO_S3_URL_EXPIRE_SECONDS", 300),
            # Signature version 4: links carry X-Amz-Expires (the legacy version 2 is refused by many providers).
            "signature_version": "s3v4",
            "file_overwrite": False,
        },
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Files leave local disk only through checked views (archive.protected_media): streamed by Django
# (""), or handed to the proxy with "x-accel-redirect" (nginx, internal location at the prefix)
# or "x-sendfile" (Apache, lighttpd).
MEDIA_ACCEL = env("DJANGO_MEDIA_ACCEL", "").strip().lower()
if MEDIA_ACCEL not in ("", "x-accel-redirect", "x-sendfile"):
    raise ImproperlyConfigured('DJANGO_MEDIA_ACCEL must be empty, "x-accel-redirect" or "x-sendfile".')
MEDIA_ACCEL_PREFIX = env("DJANGO_MEDIA_ACCEL_PREFIX", "/protected-media/")
FILE_UPLOAD_PERMISSIONS = 0o640
# Background jobs (archive.tasks: a media file's derivatives and deep-zoom tiles) are rows of the
# database, run by `manage.py db_worker`; every worker, on any host, takes them from the same table.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The text of documents' pages (archive.page_text), read by the background job once the page
# pictures exist: a PDF's text layer, else Tesseract's OCR in Vietnamese. A PDF's pages after the
# first ARCHIVE_TEXT_MAX_PAGES are left unread (the media file says so), so one 1,000-page upload
# does not hold a worker for hours; ARCHIVE_SEARCHABLE_PDF has OCRmyPDF make a searchable PDF/A
# copy of a scanned PDF for download beside the original.
ARCHIVE_READ_TEXT = env_bool("DJANGO_ARCHIVE_READ_TEXT", True)
ARCHIVE_TEXT_MAX_PAGES = env_int("DJANGO_ARCHIVE_TEXT_MAX_PAGES", 500)
ARCHIVE_SEARCHABLE_PDF = env_bool("DJANGO_ARCHIVE_SEARCHABLE_PDF", True)

# Cache: one cache that every worker shares, since it holds the page cache and its content version
# (basics.content) and the public forms' rate limits. Redis when DJANGO_REDIS_URL is set (several
# hosts); otherwise, in production, the database's cache table (created by `migrate`); the
# development server's single process keeps its own memory cache.
if env("DJANGO_REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("DJANGO_REDIS_URL")}
    }
elif DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "traditions"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "traditions_cache",
            "OPTIONS": {"MAX_ENTRIES": env_int("DJANGO_CACHE_MAX_ENTRIES", 20000)},
        }
    }

# The public forms' limits per visitor's address: submissions per window (seconds). The booking
# forms count accepted requests and refused (invalid) attempts apart, so a committee behind one
# address that mistypes a few times can still book; moving through the calendar counts as neither.
BOOKING_RATE_ACCEPTED = env_int("DJANGO_BOOKING_RATE_ACCEPTED", 10)
BOOKING_RATE_REFUSED = env_int("DJANGO_BOOKING_RATE_REFUSED", 30)
BOOKING_RATE_WINDOW_SECONDS = env_int("DJANGO_BOOKING_RATE_WINDOW_SECONDS", 3600)
# Hours an offer of freed places holds them for the waiting group it is sent to.
BOOKING_OFFER_HOURS = env_int("DJANGO_BOOKING_OFFER_HOURS", 24)
CONTRIBUTION_RATE_LIMIT = env_int("DJANGO_CONTRIBUTION_RATE_LIMIT", 5)
CONTRIBUTION_RATE_WINDOW_SECONDS = env_int("DJANGO_CONTRIBUTION_RATE_WINDOW_SECONDS", 3600)
# Megabytes of files the contribution form takes in one submission, and from everyone in one day.
CONTRIBUTION_MAX_SUBMISSION_MB = env_int("DJANGO_CONTRIBUTION_MAX_SUBMISSION_MB", 100)
CONTRIBUTION_MAX_DAILY_MB = env_int("DJANGO_CONTRIBUTION_MAX_DAILY_MB", 1000)

# Email.
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "Phòng Truyền thống <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Staff addresses told of new bookings and contributions.
STAFF_NOTIFICATION_EMAILS = env_list("DJANGO_STAFF_EMAILS", [])

# OAI-PMH (exhibits.oai): the namespace of the items' identifiers (oai:<it>:<inventory number>;
# the host of DJANGO_SITE_URL when unset) and the addresses its Identify answer names
# (the staff addresses when unset).
OAI_REPOSITORY_IDENTIFIER = env("DJANGO_OAI_REPOSITORY_IDENTIFIER")
OAI_ADMIN_EMAILS = env_list("DJANGO_OAI_ADMIN_EMAILS", [])
# Records in one answer of an OAI-PMH list; the rest follows its resumption token.
OAI_PAGE_SIZE = env_int("DJANGO_OAI_PAGE_SIZE", 100)
# Origins (scheme://host[:port]) whose pages may frame the embeddable views (exhibits.embed);
# every other page of the site refuses to be framed.
EMBED_ORIGINS = env_list("DJANGO_EMBED_ORIGINS", [])
for _origin in EMBED_ORIGINS:
    if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:\d{1,5})?", _origin):
        raise ImproperlyConfigured(
            f"DJANGO_EMBED_ORIGINS: {_origin!r} is not an origin; write each as https://host or "
            "https://host:port, comma-separated, without a path."
        )

# Security headers; the secure cookies and redirects apply whenever debug is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # views that must be framed (the PDF viewer) opt in
SESSION_COOKIE_HTTPONLY = True
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # The Django admin still writes a few style attributes.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:", *env_list("DJANGO_MEDIA_ORIGINS", [])],
        "media-src": [SELF, *env_list("DJANGO_MEDIA_ORIGINS", [])],
        "frame-src": [SELF, *env_list("DJANGO_MEDIA_ORIGINS", [])],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    # pikepdf announces its logging bridge at INFO in every process that reads a PDF.
    "loggers": {"django.db.backends": {"level": "INFO"}, "pikepdf": {"level": "WARNING"}},
}

# Third-party apps.
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
SIMPLE_HISTORY_REVERT_DISABLED = False

ADMIN_SITE_HEADER = _("Phòng Truyền thống – Quản trị")

# Uploads larger than FILE_UPLOAD_MAX_MEMORY_SIZE (Django's 2.5 MB) are streamed to a temporary file
# here while the request is read: a batch's ZIP of up to 3 GB (archive.batches) needs that much room,
# so point it at a disk rather than at a RAM-backed /tmp. Empty: the system's temporary directory.
FILE_UPLOAD_TEMP_DIR = env("DJANGO_FILE_UPLOAD_TEMP_DIR", "") or None
# A batch of scans may be chosen as loose files rather than a ZIP (archive.batches.MAX_MEMBERS of
# them, the spreadsheet beside them); Django's default refuses a request of more than 100 files.
DATA_UPLOAD_MAX_NUMBER_FILES = 1010
# IIIF manifests (archive.iiif): the rights of published items, a RightsStatements.org or Creative
# Commons address as Presentation 3 requires.
IIIF_RIGHTS = env("DJANGO_IIIF_RIGHTS", "http://rightsstatements.org/vocab/InC-EDU/1.0/")
# Readers' accounts (django-allauth): sign-up and sign-in by email, the address verified before the
# first sign-in; the profile's body or institution and purpose are asked on the sign-up form
# (reading.forms.ReaderSignupForm).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = env_int("DJANGO_ACCOUNT_CONFIRMATION_DAYS", 3)
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_ADAPTER = "reading.adapter.ReaderAccountAdapter"
ACCOUNT_FORMS = {
    "login": "reading.forms.ReaderLoginForm",
    "signup": "reading.forms.ReaderSignupForm",
    "reset_password": "reading.forms.ReaderResetPasswordForm",
    "reset_password_from_key": "reading.forms.ReaderResetPasswordKeyForm",
}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "reading:profile"
ACCOUNT_LOGOUT_REDIRECT_URL = "exhibits:home"

# Staff two-factor sign-in (django-otp, TOTP): superusers must enrol an authenticator app before
# the admin opens to them; every other staff member may, and once enrolled is asked for its code.
TWO_FACTOR_REQUIRED_FOR_SUPERUSERS = env_bool("DJANGO_TWO_FACTOR_REQUIRED_FOR_SUPERUSERS", True)
OTP_TOTP_ISSUER = env("DJANGO_OTP_ISSUER", "Phòng Truyền thống ĐBK")

# Reading requests: how many days an approved reading runs when staff name no end date, and the
# longest one they may grant.
READING_DEFAULT_DAYS = env_int("DJANGO_READING_DEFAULT_DAYS", 30)
READING_MAX_DAYS = env_int("DJANGO_READING_MAX_DAYS", 365)
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # no admin page shows another person's secret key or its QR code
# Backup sets (traditions/backup_sets.py): written to every destination named here, encrypted with
# a Fernet key (generate one with `manage.py backup --new-key`), the newest N full sets kept.
BACKUP_DIR = env("DJANGO_BACKUP_DIR")
BACKUP_S3 = {
    "bucket": env("DJANGO_BACKUP_S3_BUCKET"),
    "prefix": env("DJANGO_BACKUP_S3_PREFIX", "backups"),
    "endpoint_url": env("DJANGO_BACKUP_S3_ENDPOINT_URL") or None,
    "region_name": env("DJANGO_BACKUP_S3_REGION") or None,
    "access_key": env("DJANGO_BACKUP_S3_ACCESS_KEY_ID") or None,
    "secret_key": env("DJANGO_BACKUP_S3_SECRET_ACCESS_KEY") or None,
}
BACKUP_KEY = env("DJANGO_BACKUP_KEY")
BACKUP_KEEP_FULL = env_int("DJANGO_BACKUP_KEEP_FULL", 4)
# Rules the institution keeps. A copy run on a machine without internet may hold the files of
# classified items (Luật Bảo vệ bí mật nhà nước, Điều 5); an internet-facing one may not.
OFFLINE_INSTANCE = env_bool("DJANGO_OFFLINE_INSTANCE", False)
# Days after a visit (bookings) or a decision (contributions) when the visitor's personal data is erased.
PERSONAL_DATA_RETENTION_DAYS = env_int("DJANGO_PERSONAL_DATA_RETENTION_DAYS", 730)
