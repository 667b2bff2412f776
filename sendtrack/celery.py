"""The Celery application. Tasks live in each app's tasks.py; settings are the CELERY_* ones."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sendtrack.settings.dev")

app = Celery("sendtrack")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
