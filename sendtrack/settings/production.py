"""Production: everything secret or host-specific must come from the environment.

Run `DJANGO_SETTINGS_MODULE=sendtrack.settings.production python manage.py check --deploy`.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env_bool

# The demo-data generator and the benchmarks (seed_demo, benchmark) write made-up schools: they
# are for development and tests, not for a server holding real pupils. The app has no models.
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "demo"]

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set SECRET_KEY to a random string of at least 50 characters.")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The __Host- prefix: a browser keeps such a cookie only if it came over HTTPS from this very
# host, for the whole site (Secure, no Domain, Path=/), so no other subdomain can set or read it.
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_PATH = "/"
IDLE_COOKIE_NAME = "__Host-sendtrack_active"
CSRF_COOKIE_PATH = "/"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
