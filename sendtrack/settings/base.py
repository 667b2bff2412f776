"""Settings shared by every environment. Everything that differs comes from the environment.

dev.py, test.py and production.py each import this and change only what they must.
"""

import datetime
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # django.contrib.admin, with the admin site that asks for a second factor.
    "accounts.apps.TwoFactorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # Django's widget templates, for FORM_RENDERER below
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "accounts",
    "jobs",
    "schools",
    "pupils",
    "interventions",
    "assessment",
    "imports",
    "reports",
    "attendance",
    "evidence",
    "plans",
    "gaps",
    "graduated",
    "overview",
    "trusts",
    "retention",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # No-store for every signed-in response, and the Permissions-Policy on every response.
    "accounts.middleware.PrivateResponseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # An idle session ends (a signed cookie holds the last activity), then the second factor is
    # enforced (in place of django-otp's OTPMiddleware: see accounts.middleware).
    "accounts.middleware.IdleTimeoutMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "schools.middleware.CurrentMembershipMiddleware",
    # After the membership (the reader's role): logs which pupils each request read.
    "pupils.middleware.AccessLogMiddleware",
    "sendtrack.middleware.DatabaseUnavailableMiddleware",
    # Axes must be last: it answers a locked-out login before the view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sendtrack.urls"
WSGI_APPLICATION = "sendtrack.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "schools.context_processors.membership",
                "accounts.context_processors.idle",
            ],
        },
    },
]

# Select boxes and inputs are drawn in Python (core.widgets), the other form templates by the
# project's template engine, so templates/django/forms/ can stand in for one of Django's.
FORM_RENDERER = "core.widgets.FormRenderer"

# With no DATABASE_URL the app runs on an SQLite file, so a new user needs no server.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles any query whose estimated cost is high, which costs about 300 ms
    # and pays off only for long analytical scans; a page's queries run in milliseconds. The
    # judged target lists (gap question D) were estimated high and spent most of their time
    # being compiled.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Two-factor authentication is required of every role that opens pupil records and of every
# administrator. Turning it off is for a developer's machine only.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
# A signed-in session with no request for this long ends (seconds; the page warns two minutes before).
IDLE_TIMEOUT = int(os.environ.get("IDLE_TIMEOUT_MINUTES", "30")) * 60
IDLE_WARNING = 120
IDLE_COOKIE_NAME = "sendtrack_active"
# Sessions in the database with their user beside them (accounts.models.UserSession).
SESSION_ENGINE = "accounts.sessions"
# The admin site's path. In production give it a path nobody guesses, or serve it on its own
# host (README, "The admin site").
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/")

# The key backups are encrypted with (schools/backup.py; `manage.py backup --make-key`). Keep it
# apart from the backups: whoever holds both can read every pupil's record.
BACKUP_KEY = os.environ.get("BACKUP_KEY", "")

# Password reset e-mails. Production sets EMAIL_HOST and friends; development prints them.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "sendtrack <no-reply@localhost>")
PASSWORD_RESET_TIMEOUT = 60 * 60  # a reset link works for an hour

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

OTP_TOTP_ISSUER = "sendtrack"
# Failed sign-ins (accounts/throttling.py): a username is held after five failures from any
# address, an address after thirty across usernames, each for ten minutes after the last
# counted failure. A held sign-in still goes through with the right password and a code from
# the user's authenticator app, so nobody can lock anyone else out.
AXES_HANDLER = "accounts.throttling.SignInThrottle"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # this order: SignInThrottle reads it so
AXES_FAILURE_LIMIT = 5
SIGN_IN_ADDRESS_FAILURE_LIMIT = 30
AXES_COOLOFF_TIME = datetime.timedelta(minutes=10)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True  # the username's failures only (SignInThrottle.reset_user_attempts)
AXES_LOCKOUT_CALLABLE = "accounts.throttling.held_response"
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_address"
# Reverse proxies whose X-Forwarded-For is believed: addresses or networks, comma-separated
# (e.g. "127.0.0.1" for nginx on the same machine). Empty: the header is ignored.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded evidence lives outside static and is served only through a view that checks access.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "uploads"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Content-Security-Policy: our own origin only, no inline script, no third party.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Browser features no page uses, refused to every page (and to anything injected into one).
PERMISSIONS_POLICY = dict.fromkeys(
    [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ],
    [],
)

SESSION_COOKIE_AGE = 60 * 60 * 8  # a school day
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# The national shares of pupils with SEND and with EHC plans (DfE, "Special educational needs
# in England", each June), shown beside the school's own on the SEN register.
NATIONAL_SEND_FIGURES = {
    2022: {"send": 16.6, "ehcp": 4.0},
    2023: {"send": 17.3, "ehcp": 4.3},
    2024: {"send": 18.4, "ehcp": 4.8},
}

# How the trust comparison's rollup is refreshed after a change when no task queue is configured
# (trusts.services): "background" (a thread, so the request does not wait), "inline", or "off"
# (only `manage.py refresh_rollups`, from cron, refreshes it).
ROLLUP_REFRESH = os.environ.get("ROLLUP_REFRESH", "background")
# Seconds a change waits before the rollup refresh it starts, joined by every change of the same
# school in that time (trusts.services.rollup_refresh_changed).
ROLLUP_REFRESH_DELAY = float(os.environ.get("ROLLUP_REFRESH_DELAY", "5"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Background jobs (the jobs app): Celery, with Redis as its broker and as the shared cache that
# holds a running job's progress, when REDIS_URL is set. With none, each job runs in-process when
# it is started, so `make run` needs no other server. A worker: `celery -A sendtrack worker`;
# the schedule below: `celery -A sendtrack beat`, or `manage.py run_periodic_jobs` from cron.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "expire-import-previews": {"task": "imports.expire_previews", "schedule": 60 * 60},
    "ehc-review-reminders": {"task": "plans.send_review_reminders", "schedule": 60 * 60 * 24},
    "fail-stale-jobs": {"task": "jobs.fail_stale", "schedule": 15 * 60},
}
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
# A large import is confirmed as a job, with a progress bar, above this many rows.
IMPORT_JOB_ROWS = int(os.environ.get("IMPORT_JOB_ROWS", "1000"))
# Links in e-mails (review reminders, password resets) start with this.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
