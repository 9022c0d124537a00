"""kefu settings — everything that differs between machines comes from the environment.

KEFU_DATA_DIR       where the embedded database, generated keys and uploads live (default ./var)
KEFU_DATABASE_URL   sqlite:///path or postgresql://user:pass@host:port/db (default: SQLite in KEFU_DATA_DIR)
KEFU_SECRET_KEY     Django secret key (generated into KEFU_DATA_DIR for the embedded default)
KEFU_DATA_KEY       key for personal-data encryption, 32 bytes base64 (generated likewise)
KEFU_AUDIT_KEY      key of the audit chain and its checkpoints (default: derived from KEFU_DATA_KEY)
KEFU_ALLOWED_HOSTS  comma-separated host names (default 127.0.0.1,localhost)
KEFU_HTTPS          1 behind TLS: secure cookies, HSTS
"""

import os
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from kefu.core.config import database_from_url, env_bool, env_int, secret_from_env_or_file

SRC_DIR = Path(__file__).resolve().parent
REPO_DIR = SRC_DIR.parent.parent
DATA_DIR = Path(os.environ.get("KEFU_DATA_DIR") or (REPO_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DATABASE_URL = os.environ.get("KEFU_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'kefu.sqlite3'}"
DATABASES = {"default": database_from_url(DATABASE_URL)}
EMBEDDED = DATABASES["default"]["ENGINE"].endswith("sqlite3")

# Shared deployments must share keys: only the embedded default may generate its own.
SECRET_KEY = secret_from_env_or_file("KEFU_SECRET_KEY", DATA_DIR / "secret_key", generate=EMBEDDED)
DATA_KEY = secret_from_env_or_file("KEFU_DATA_KEY", DATA_DIR / "data_key", generate=EMBEDDED)
if not SECRET_KEY or not DATA_KEY:
    raise ImproperlyConfigured(
        "KEFU_SECRET_KEY 和 KEFU_DATA_KEY 必须在使用外部数据库时设置 / "
        "KEFU_SECRET_KEY and KEFU_DATA_KEY must be set when KEFU_DATABASE_URL points to a shared database"
    )

# SEC-6: the audit chain is keyed (HMAC) with a key that is not in the database. A separate key lets the
# audit key live apart from the data key; without one it is derived from KEFU_DATA_KEY under its own label.
AUDIT_KEY = os.environ.get("KEFU_AUDIT_KEY", "")
# Signed checkpoints of the chain go to this append-only file (and the log), every N minutes from each
# worker (本系统默认值: 60 minutes, a deployment setting, not from the policies).
AUDIT_CHECKPOINT_FILE = Path(
    os.environ.get("KEFU_AUDIT_CHECKPOINT_FILE") or (DATA_DIR / "audit-checkpoints.log")
)
KEFU_AUDIT_CHECKPOINT_MINUTES = env_int("KEFU_AUDIT_CHECKPOINT_MINUTES", 60)
# The worker seals committed audit rows into the chain every this many seconds (本系统默认值), and at
# once again while a round left a full batch behind. How old the backlog may grow is the pack's
# security.audit_seal_backlog (SEC-6), which /healthz compares against.
KEFU_AUDIT_SEAL_SECONDS = env_int("KEFU_AUDIT_SEAL_SECONDS", 2)

DEBUG = env_bool("KEFU_DEBUG", False)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("KEFU_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("KEFU_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
KEFU_VERSION = __import__("kefu").__version__

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "kefu.core",
    "kefu.org",
    "kefu.engine.calendars",
    "kefu.engine.policy",
    "kefu.engine.notifications",
    "kefu.engine.workflow",
    "kefu.engine.schedules",
    "kefu.engine.mail",
    "kefu.engine.outbound",
    "kefu.customers",
    "kefu.customers.governance",
    "kefu.claims",
    "kefu.discipline",
    "kefu.knowledge",
    "kefu.cases",
    "kefu.followups",
    "kefu.workforce",
    "kefu.quality",
    "kefu.insights",
    "kefu.emergency",
    "kefu.vendors",
    "kefu.documents",
    "kefu.catalogue",
    "kefu.orders",
    "kefu.search",
    "kefu.web",
    "kefu.home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # before WhiteNoise, which answers static files itself: they get the pages' CSP too
    "kefu.core.middleware.SecureHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kefu.core.memo.MemoMiddleware",  # reads shared by the request done once (issue 11)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kefu.core.middleware.DefaultChineseLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kefu.core.middleware.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "kefu.core.middleware.RefuseNulQueryMiddleware",
]

ROOT_URLCONF = "kefu.urls"
WSGI_APPLICATION = "kefu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kefu.web.context.navigation",
                "kefu.engine.notifications.context.inbox",
            ],
        },
    },
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# SEC-10: lockout after repeated failures, idle timeout. Security settings of the platform itself,
# not service policy, so they are deployment settings rather than policy-pack entries.
AXES_FAILURE_LIMIT = env_int("KEFU_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("KEFU_LOGIN_LOCKOUT_MINUTES", 15))
# Locked per username + address (SEC-10): failures from one address lock that account there only, so that
# nobody elsewhere can lock a colleague out; the lock covers the account's API tokens too (TokenAuth).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kefu.web.views.locked_out"
AXES_VERBOSE = False
KEFU_SESSION_IDLE_MINUTES = env_int("KEFU_SESSION_IDLE_MINUTES", 30)
# An API token's "last used" is written at most once per this many minutes (本系统默认值), not per request.
KEFU_TOKEN_TOUCH_MINUTES = env_int("KEFU_TOKEN_TOUCH_MINUTES", 5)
# Issue 11, no long write transactions (deployment settings, 本系统默认值 — the policies give none):
# a bookkeeping write of a request (the token's last use, the session's idle stamp) waits at most this
# long for the database's write lock, then is skipped and logged (kefu.core.locks.touch);
KEFU_TOUCH_LOCK_WAIT_MS = env_int("KEFU_TOUCH_LOCK_WAIT_MS", 200)
# /healthz reports "blocked" when a probe write cannot get the lock within this bound;
KEFU_LOCK_PROBE_MS = env_int("KEFU_LOCK_PROBE_MS", 2000)
# a bulk job (a customer import) commits at most this many rows, or this many milliseconds of work, per
# transaction, and on SQLite pauses this long between batches so that waiting writers get the lock;
KEFU_BULK_BATCH_ROWS = env_int("KEFU_BULK_BATCH_ROWS", 200)
KEFU_BULK_BATCH_MS = env_int("KEFU_BULK_BATCH_MS", 250)
KEFU_BULK_PAUSE_MS = env_int("KEFU_BULK_PAUSE_MS", 150)
# a bulk job whose runner has not renewed its lease for this long is resumed by another worker round;
# /healthz warns about a batch open longer than the warning bound.
KEFU_BULK_LEASE_SECONDS = env_int("KEFU_BULK_LEASE_SECONDS", 300)
KEFU_BULK_BATCH_WARN_SECONDS = env_int("KEFU_BULK_BATCH_WARN_SECONDS", 5)
# What every authenticated request needs of its user, read with the user (an API token's one query):
# the employee record and its unit (org.Employee.user's reverse name).
KEFU_USER_PROFILE = ("employee", "employee__unit")
SESSION_ENGINE = "kefu.core.sessions"  # the idle stamp is a touch: never fails a page (issue 11)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

HTTPS = env_bool("KEFU_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("KEFU_MAX_BODY_BYTES", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "media"},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

EMAIL_HOST = os.environ.get("KEFU_SMTP_HOST", "127.0.0.1")
EMAIL_PORT = env_int("KEFU_SMTP_PORT", 25)
EMAIL_HOST_USER = os.environ.get("KEFU_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("KEFU_SMTP_PASSWORD", "")
EMAIL_USE_TLS = env_bool("KEFU_SMTP_TLS", False)  # STARTTLS (usually port 587)
EMAIL_USE_SSL = env_bool("KEFU_SMTP_SSL", False)  # implicit TLS (usually port 465)
EMAIL_TIMEOUT = env_int("KEFU_SMTP_TIMEOUT", 30)  # seconds; a hung mail server must not hang the worker
# Links in e-mails point here (the inbox's own links are paths on this server).
KEFU_SITE_URL = os.environ.get("KEFU_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = os.environ.get("KEFU_MAIL_FROM", "kefu@localhost")
# CASE-2: the service addresses whose mail `kefu mail-in` accepts (comma separated); the first one is the
# From and Reply-To of mail to customers, so that their answers come back in.
KEFU_SERVICE_MAIL = [
    a.strip().lower() for a in os.environ.get("KEFU_SERVICE_MAIL", "").split(",") if a.strip()
]
# CASE-2 public intake: the subsidiary (unit code) that receives API submissions naming none; whether a
# proxy of ours appends the client's address to X-Forwarded-For (else REMOTE_ADDR counts for rate
# limits); how many seconds a person needs at least to fill the form (faster is a bot).
KEFU_PUBLIC_DEFAULT_UNIT = os.environ.get("KEFU_PUBLIC_DEFAULT_UNIT", "").strip()
KEFU_BEHIND_PROXY = env_bool("KEFU_BEHIND_PROXY", False)
KEFU_PUBLIC_MIN_FILL_SECONDS = env_int("KEFU_PUBLIC_MIN_FILL_SECONDS", 3)
# FUP-2 text messages to customers: the HTTP SMS gateway (see docs/deploy.md), the shared secret that signs
# requests and callbacks, the seconds to wait for an answer, and the retries on 5xx / timeouts (the wait
# doubles from KEFU_SMS_RETRY_SECONDS; after KEFU_SMS_MAX_ATTEMPTS attempts the message has failed).
KEFU_SMS_URL = os.environ.get("KEFU_SMS_URL", "").strip()
KEFU_SMS_SECRET = os.environ.get("KEFU_SMS_SECRET", "")
KEFU_SMS_TIMEOUT = env_int("KEFU_SMS_TIMEOUT", 10)
KEFU_SMS_RETRY_SECONDS = env_int("KEFU_SMS_RETRY_SECONDS", 60)
KEFU_SMS_MAX_ATTEMPTS = env_int("KEFU_SMS_MAX_ATTEMPTS", 5)
# open pages ask this often whether the badge or a watched list changed (issue 13; kept within 1–30 s)
KEFU_LIVE_POLL_SECONDS = env_int("KEFU_LIVE_POLL_SECONDS", 15)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KEFU_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}
