"""Run every scheduled job once, in this process: for servers that use cron rather than beat."""

from celery import current_app
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run each task of CELERY_BEAT_SCHEDULE once, here and now (cron instead of celery beat)."

    def handle(self, *args, **options):
        current_app.loader.import_default_modules()
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
            result = current_app.tasks[entry["task"]]()
            self.stdout.write(f"{name}: {result}")
