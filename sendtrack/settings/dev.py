"""Development: debug on by default and a throwaway secret key. Never used in production."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"
# E-mails (review reminders, password resets) are printed where `make run` runs.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
