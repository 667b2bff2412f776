"""E-mail each school's SENCOs when EHC plans' annual reviews fall due (eight weeks ahead) or
are overdue: once per plan and due date. The e-mail names no pupil (it leaves the system); it
says how many and links to the plans page, where the SENCO signs in to see who."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from schools.models import Membership, School

from .models import EhcPlan, ReviewReminder, ReviewState, reminder_horizon


def plans_to_remind(today, school=None):
    """EHC plans of pupils still at school whose review is due within eight weeks or overdue, and
    whose SENCOs have not been told of that due date (of one school, or of every school)."""
    already = ReviewReminder.objects.filter(ehc_plan=OuterRef("pk"), review_due=OuterRef("next_review_due"))
    plans = (
        EhcPlan.objects.filter(pupil__archived_at__isnull=True, next_review_due__lte=reminder_horizon(today))
        .exclude(Exists(already))
        .only("pk", "next_review_due")
    )
    return plans if school is None else plans.filter(pupil__school=school)


def reminder_text(school, overdue, due_soon):
    parts = []
    if overdue:
        parts.append(f"{overdue} {'is' if overdue == 1 else 'are'} overdue")
    if due_soon:
        parts.append(f"{due_soon} {'falls' if due_soon == 1 else 'fall'} due in the next eight weeks")
    total = overdue + due_soon
    noun = "annual review of an EHC plan needs" if total == 1 else "annual reviews of EHC plans need"
    link = settings.SITE_URL.rstrip("/") + reverse("plans:index")
    return (
        f"{school.name}: {total} {noun} arranging: {' and '.join(parts)}.\n\n"
        f"Sign in to see which pupils and to record the reviews: {link}\n\n"
        "You are told once for each review date. This e-mail names no pupil."
    )


def send_school_reminders(school, today):
    """One e-mail to the school's SENCOs for the reviews not yet reminded; nothing if none."""
    with transaction.atomic():
        School.objects.select_for_update().filter(pk=school.pk).first()  # one run per school at a time
        plans = list(plans_to_remind(today, school))
        recipients = list(
            Membership.objects.active()
            .filter(school=school, role=Role.SENCO)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
        if not plans or not recipients:
            return 0
        overdue = sum(1 for plan in plans if plan.review_state(today) == ReviewState.OVERDUE)
        ReviewReminder.objects.bulk_create(
            ReviewReminder(ehc_plan=plan, review_due=plan.next_review_due) for plan in plans
        )
        # Sent last: if it fails, the transaction leaves no reminder recorded and tomorrow tries again.
        send_mail(
            subject=f"EHC annual reviews to arrange at {school.name}",
            message=reminder_text(school, overdue, len(plans) - overdue),
            from_email=None,
            recipient_list=recipients,
        )
        return len(plans)


def send_all_reminders(today=None):
    today = today or timezone.localdate()
    # Only the schools with something to tell: one query finds them, whatever the number of schools.
    schools = School.objects.filter(pk__in=plans_to_remind(today).values("pupil__school")).order_by("pk")
    return sum(send_school_reminders(school, today) for school in schools)
