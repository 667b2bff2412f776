"""Tests: a fast password hasher and plain static storage (no collectstatic needed)."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
# The trust comparison's rollup is refreshed inline once a change commits, not in a thread, so
# that tests read it settled (trusts.services.rollup_refresh_changed).
ROLLUP_REFRESH = "inline"
