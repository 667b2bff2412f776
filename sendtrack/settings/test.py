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
# The trust comparison's rollup is not refreshed after each change in tests, so that every other
# app's query counts are its own; tests/trusts turns the refresh on, inline, to test it
# (trusts.services.rollup_refresh_changed).
ROLLUP_REFRESH = "off"
