from celery import shared_task

from .reminders import send_all_reminders


@shared_task(name="plans.send_review_reminders")
def send_review_reminders():
    return send_all_reminders()
