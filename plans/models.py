"""Pupil plans and reviews (issue 8; seeds/002 Part Two "plan reviews", Appendix D).

- SupportPlan: one version of a pupil's SEN support plan. A plan is open while it is written and
  in force; at review each target is scored and the plan becomes reviewed, after which nothing
  changes it (plans.services refuses). The next version starts as a copy of the reviewed one,
  so a pupil's plans form a numbered history: plan 1, plan 2, ...
- PlanTarget: an outcome sought, its specific and measurable target, the provision that
  delivers it (optionally an intervention of the school) and, once reviewed, its score from -2
  "much worse than expected" to +2 "much better than expected" with a comment.
- PupilPassport: the one-page, pupil-voiced summary for staff.
- EhcPlan, EhcpOutcome, EhcpReview, EhcpOutcomeProgress: an education, health and care plan,
  its outcomes and provision, and the record of each annual review meeting. The next review
  date is kept on the plan (written only by plans.services) so lists filter on it in SQL.

Pupil-level rows are reached only through each model's `for_membership(membership)`.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.scoping import PupilScopedQuerySet
from interventions.models import Intervention
from pupils.models import Pupil

# An EHC plan is reviewed at least every twelve months; reminders start eight weeks before.
REVIEW_REMINDER_WEEKS = 8


class PlanScopedQuerySet(PupilScopedQuerySet):
    pupil_path = "plan__pupil"


class TargetScore(models.IntegerChoices):
    """Goal-attainment scaling of one target at review."""

    MUCH_WORSE = -2, "−2 Much worse than expected"
    WORSE = -1, "−1 Worse than expected"
    AS_EXPECTED = 0, "0 As expected"
    BETTER = 1, "+1 Better than expected"
    MUCH_BETTER = 2, "+2 Much better than expected"


class SupportPlan(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        REVIEWED = "reviewed", "Reviewed"

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="support_plans")
    number = models.PositiveSmallIntegerField(help_text="1 for the pupil's first plan, then 2, 3...")
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_plan"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    starts_on = models.DateField("plan starts")
    review_date = models.DateField("review date")
    strengths = models.TextField("strengths", blank=True)
    needs = models.TextField("needs and barriers to learning", blank=True)
    pupil_voice = models.TextField("what the pupil wants (pupil voice)", blank=True)
    parent_voice = models.TextField("what the parents or carers want (parent voice)", blank=True)
    strategies = models.TextField("strategies for class teachers", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_on = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_summary = models.TextField("review summary and next steps", blank=True)

    history = HistoricalRecords()
    objects = PupilScopedQuerySet.as_manager()

    class Meta:
        ordering = ["pupil", "number"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "number"], name="one_plan_number_per_pupil"),
            models.UniqueConstraint(
                fields=["pupil"], condition=Q(status="open"), name="one_open_plan_per_pupil"
            ),
            models.CheckConstraint(
                condition=Q(status="open", reviewed_on__isnull=True)
                | Q(status="reviewed", reviewed_on__isnull=False),
                name="reviewed_plan_has_review_date",
            ),
        ]

    def __str__(self):
        return f"SEN support plan {self.number} for {self.pupil}"

    @property
    def is_reviewed(self):
        return self.status == self.Status.REVIEWED


class PlanTarget(models.Model):
    plan = models.ForeignKey(SupportPlan, on_delete=models.PROTECT, related_name="targets")
    order = models.PositiveSmallIntegerField(default=0)
    outcome = models.TextField("outcome sought")
    target = models.TextField("specific, measurable target")
    provision = models.TextField("provision that delivers it", blank=True)
    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_targets"
    )
    score = models.SmallIntegerField(choices=TargetScore.choices, null=True, blank=True)
    score_comment = models.TextField("review comment", blank=True)

    history = HistoricalRecords()
    objects = PlanScopedQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=-2, score__lte=2),
                name="score_from_minus2_to_2",
            ),
        ]

    def __str__(self):
        return self.target[:60]


class PupilPassport(models.Model):
    """One page in the pupil's own words, for the staff who work with them."""

    SECTIONS = ("about_me", "good_at", "find_hard", "helps_me", "does_not_help", "communicate")

    pupil = models.OneToOneField(Pupil, on_delete=models.PROTECT, related_name="passport")
    about_me = models.TextField("all about me", blank=True)
    good_at = models.TextField("what I'm good at", blank=True)
    find_hard = models.TextField("what I find hard", blank=True)
    helps_me = models.TextField("what helps me", blank=True)
    does_not_help = models.TextField("what doesn't help me", blank=True)
    communicate = models.TextField("how I communicate", blank=True)
    updated_on = models.DateField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()
    objects = PupilScopedQuerySet.as_manager()

    def __str__(self):
        return f"Pupil passport of {self.pupil}"

    @property
    def sections(self):
        return [(self._meta.get_field(name).verbose_name, getattr(self, name)) for name in self.SECTIONS]


class EhcPlanQuerySet(PupilScopedQuerySet):
    def overdue(self, today):
        return self.filter(next_review_due__lt=today)

    def due_soon(self, today):
        return self.filter(next_review_due__gte=today, next_review_due__lte=reminder_horizon(today))


class EhcPlan(models.Model):
    pupil = models.OneToOneField(Pupil, on_delete=models.PROTECT, related_name="ehc_plan")
    plan_date = models.DateField("date of the plan")
    local_authority = models.CharField(max_length=120, blank=True)
    next_review_due = models.DateField("annual review due")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()
    objects = EhcPlanQuerySet.as_manager()

    class Meta:
        ordering = ["next_review_due"]
        indexes = [models.Index(fields=["next_review_due"])]

    def __str__(self):
        return f"EHC plan of {self.pupil} dated {self.plan_date:%d/%m/%Y}"

    @property
    def reminder_from(self):
        return reminder_from(self.next_review_due)

    def review_state(self, today):
        return review_state(self.next_review_due, today)


class EhcpOutcome(models.Model):
    plan = models.ForeignKey(EhcPlan, on_delete=models.PROTECT, related_name="outcomes")
    order = models.PositiveSmallIntegerField(default=0)
    outcome = models.TextField()
    provision = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order", "pk"]

    def __str__(self):
        return self.outcome[:60]


class EhcpReview(models.Model):
    """The record of one annual review meeting."""

    plan = models.ForeignKey(EhcPlan, on_delete=models.PROTECT, related_name="reviews")
    meeting_date = models.DateField()
    attendees = models.TextField(help_text="Who attended, one per line, with their role.")
    pupil_views = models.TextField("views of the pupil")
    family_views = models.TextField("views of the family")
    recommended_changes = models.TextField("recommended changes to the plan", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = PlanScopedQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "-meeting_date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "meeting_date"], name="one_review_per_plan_per_day"),
        ]

    def __str__(self):
        return f"Annual review of {self.plan.pupil} on {self.meeting_date:%d/%m/%Y}"


class EhcpOutcomeProgress(models.Model):
    review = models.ForeignKey(EhcpReview, on_delete=models.PROTECT, related_name="progress")
    outcome = models.ForeignKey(EhcpOutcome, on_delete=models.PROTECT, related_name="progress")
    progress = models.TextField("progress towards the outcome")

    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "outcome__order", "outcome__pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "outcome"], name="one_progress_per_outcome"),
        ]

    def __str__(self):
        return self.progress[:60]


# -- the annual review rules -------------------------------------------------------------------
def annual_review_due(last):
    """Twelve months after the plan or the last review; 29 February falls back to the 28th."""
    try:
        return last.replace(year=last.year + 1)
    except ValueError:
        return last.replace(year=last.year + 1, day=28)


def reminder_from(due):
    return due - datetime.timedelta(weeks=REVIEW_REMINDER_WEEKS)


def reminder_horizon(today):
    """Reviews due up to this date are "due soon" today."""
    return today + datetime.timedelta(weeks=REVIEW_REMINDER_WEEKS)


class ReviewState(models.TextChoices):
    OVERDUE = "overdue", "Overdue"
    DUE_SOON = "due_soon", "Due soon"
    NOT_YET_DUE = "not_yet_due", "Not yet due"


def review_state(due, today):
    if due < today:
        return ReviewState.OVERDUE
    if today >= reminder_from(due):
        return ReviewState.DUE_SOON
    return ReviewState.NOT_YET_DUE


class ReviewReminder(models.Model):
    """That the SENCOs were told of an EHC plan's annual review falling due (once per due date),
    so the daily reminder never repeats itself and a retried job sends nothing twice."""

    ehc_plan = models.ForeignKey(EhcPlan, on_delete=models.CASCADE, related_name="reminders")
    review_due = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ehc_plan", "review_due"], name="one_reminder_per_review_due"),
        ]

    def __str__(self):
        return f"Reminder of the review due {self.review_due:%d/%m/%Y}"
