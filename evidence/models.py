"""Qualitative evidence and family voice (seeds/002 Part Two, seeds/003, seeds/004).

- `PartTwoQuestion` and `OfstedPrompt` are the questions of Part Two and the thirteen prompts of
  Appendix A, loaded as data by a migration; evidence is tagged to them.
- `EvidenceItem` is one entry of the evidence log, with an optional attachment stored under
  MEDIA_ROOT with a random name and served only by `evidence.views.evidence_attachment`.
- `PartTwoConclusion` is the SENCO's conclusion to one question, per school and academic year.
- `Conversation` and `ConversationTarget` are the structured conversations with parents.
- `Survey`, `SurveyQuestion`, `SurveyRound` and `SurveyAnswerCount` hold staff, pupil and parent
  surveys on the four-point scale, as counts per answer per question per round.

Every read of pupil-level rows goes through a `for_membership` queryset.
"""

import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core import policy
from core.access_log import AuditedQuerySet
from core.policy import Scope
from core.roles import Role
from core.scoping import PupilScopedQuerySet
from pupils.models import Pupil
from schools.models import School

from .uploads import validate_attachment


class PartTwoQuestion(models.Model):
    """One of the questions of Part Two that help a school analyse its qualitative evidence."""

    number = models.PositiveSmallIntegerField(unique=True)
    text = models.TextField()
    short = models.CharField(max_length=80, help_text="A few words for lists and charts.")

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"Q{self.number}. {self.short}"


class OfstedPrompt(models.Model):
    """One of the thirteen inspection prompts of Appendix A, with its question to the SENCO."""

    number = models.PositiveSmallIntegerField(unique=True)
    text = models.TextField()
    question = models.TextField(blank=True, help_text="The question the guidance asks the SENCO.")
    short = models.CharField(max_length=80)

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"Prompt {self.number}. {self.short}"


class Source(models.TextChoices):
    """The possible sources of evidence listed in Part Two."""

    LESSON_OBSERVATION = "lesson_observation", "Lesson observation"
    PUPIL_VOICE = "pupil_voice", "Pupil questionnaire or interview"
    GOVERNOR_VISIT = "governor_visit", "SEND governor visit notes"
    PARENT_VOICE = "parent_voice", "Parent questionnaire or interview"
    AGENCY_REPORT = "agency_report", "External agency report"
    WORK_SCRUTINY = "work_scrutiny", "Work scrutiny"
    TARGET_REVIEW = "target_review", "Annual or personal target review"
    PARENT_CORRESPONDENCE = "parent_correspondence", "Correspondence from parents"
    OBSERVATION_NOTES = "observation_notes", "Observation notes"
    COMMUNITY = "community", "Participation in community activities"
    PASTORAL = "pastoral", "Pastoral records"
    SUPPORT_STAFF = "support_staff", "Feedback from support staff"
    PLAN_REVIEW = "plan_review", "Plan review"


class Judgement(models.TextChoices):
    STRENGTH = "strength", "Strength"
    DEVELOPMENT = "development", "Area for development"
    NEUTRAL = "neutral", "Neutral"


def attachment_path(instance, filename):
    """A random name under evidence/<school>/: the uploader's file name is kept only as text."""
    return f"evidence/{instance.school_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class EvidenceQuerySet(AuditedQuerySet):
    audit_path = "pupils"  # an item may be about several pupils (core.access_log)

    def for_school(self, school):
        """Every item of a school, for figures that name no pupil."""
        return self.filter(school=school)

    def for_membership(self, membership):
        """What a membership may read: those who see every pupil, every item of their school;
        a teacher or teaching assistant the items about at least one pupil they may see;
        governors and trust leads none (they read counts only, through `for_school`). An item
        about no pupil in particular is read only by those who see every pupil."""
        if not policy.can(membership, "evidence.view"):
            return self.none()
        qs = self.filter(school_id=membership.school_id).audited()
        if policy.pupil_scope(membership) is Scope.EVERY_PUPIL:
            return qs
        about_visible = EvidenceItem.pupils.through.objects.filter(
            pupil__in=Pupil.objects.for_membership(membership, include_archived=True)
        ).values("evidenceitem_id")
        return qs.filter(pk__in=about_visible)

    def in_academic_year(self, year):
        return self.filter(date__gte=datetime.date(year, 9, 1), date__lt=datetime.date(year + 1, 9, 1))


class EvidenceItem(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="evidence")
    source = models.CharField(max_length=24, choices=Source.choices)
    date = models.DateField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField()
    pupils = models.ManyToManyField(
        Pupil, blank=True, related_name="evidence", help_text="Leave empty for a school-wide item."
    )
    group = models.CharField(
        max_length=120, blank=True, help_text="The group it concerns, for example 'Year 4 SEND pupils'."
    )
    questions = models.ManyToManyField(
        PartTwoQuestion, blank=True, related_name="evidence", verbose_name="Part Two questions"
    )
    prompts = models.ManyToManyField(
        OfstedPrompt, blank=True, related_name="evidence", verbose_name="Ofsted prompts"
    )
    judgement = models.CharField(max_length=12, choices=Judgement.choices, default=Judgement.NEUTRAL)
    attachment = models.FileField(
        upload_to=attachment_path, blank=True, max_length=200, validators=[validate_attachment]
    )
    attachment_name = models.CharField(max_length=200, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["attachment"], m2m_fields=["pupils", "questions", "prompts"])
    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["school", "-date"])]

    def __str__(self):
        return f"{self.get_source_display()} on {self.date:%d/%m/%Y}"


class PartTwoConclusion(models.Model):
    """The SENCO's conclusion to one Part Two question, for one school and academic year."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="part_two_conclusions")
    academic_year = models.PositiveSmallIntegerField()
    question = models.ForeignKey(PartTwoQuestion, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "academic_year", "question"], name="one_conclusion_per_question_year"
            )
        ]

    def __str__(self):
        return f"{self.school} {self.academic_year} Q{self.question_id}"


class Lead(models.TextChoices):
    """Who led a structured conversation (seeds/003 compares head-, SENCO- and teacher-led)."""

    TEACHER = "teacher", "Class teacher"
    SENCO = "senco", "SENCO"
    HEAD = "head", "Headteacher"

    @classmethod
    def of_role(cls, role):
        """The lead a conversation recorded by someone of this role starts with, if any."""
        return {Role.SENCO: cls.SENCO, Role.TEACHER: cls.TEACHER}.get(role)


class Conversation(models.Model):
    """A structured conversation with a pupil's parents or carers (Achievement for All)."""

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="conversations")
    date = models.DateField()
    academic_year = models.PositiveSmallIntegerField(editable=False)
    term = models.PositiveSmallIntegerField(editable=False)
    attended = models.CharField(
        "who attended", max_length=200, help_text="For example: mother, father, class teacher, SENCO."
    )
    led_by = models.CharField(max_length=8, choices=Lead.choices)
    barriers = models.TextField("the parents' view of the barriers to learning", blank=True)
    what_has_worked = models.TextField("what the parents think has worked", blank=True)
    aspirations = models.TextField("the parents' aspirations for their child", blank=True)
    next_steps = models.TextField(blank=True)
    review_date = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = PupilScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["pupil", "academic_year"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_date__isnull=True) | Q(review_date__gte=models.F("date")),
                name="conversation_review_after_date",
            )
        ]

    def __str__(self):
        return f"Conversation about {self.pupil} on {self.date:%d/%m/%Y}"


class ConversationTarget(models.Model):
    """One of the two targets agreed at a conversation, and its outcome at review."""

    class Kind(models.TextChoices):
        CURRICULAR = "curricular", "Curricular target"
        WIDER = "wider", "Personal (wider outcome) target"

    class Outcome(models.TextChoices):
        PENDING = "", "Not reviewed yet"
        ACHIEVED = "achieved", "Achieved"
        PARTLY = "partly", "Partly achieved"
        NOT_ACHIEVED = "not_achieved", "Not achieved"

    conversation = models.ForeignKey(Conversation, on_delete=models.PROTECT, related_name="targets")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(max_length=300)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    outcome_note = models.CharField(max_length=300, blank=True)
    reviewed_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["conversation", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "kind"], name="one_target_of_each_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text}"


class SurveyQuerySet(models.QuerySet):
    def for_membership(self, membership):
        """Surveys hold counts of answers only: every member of the school may read them."""
        if not membership:
            return self.none()
        return self.filter(school_id=membership.school_id)


class Survey(models.Model):
    class Kind(models.TextChoices):
        STAFF_CONFIDENCE = "staff", "Staff confidence"
        PUPIL_VOICE = "pupil", "Pupil voice"
        PARENT_VOICE = "parent", "Parent voice"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="surveys")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    title = models.CharField(max_length=150)
    description = models.TextField(blank=True, help_text="Who was asked, and why.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class Scale(models.IntegerChoices):
    """The four-point scale of seeds/004."""

    NOT_AT_ALL = 1, "Not at all"
    A_LITTLE = 2, "A little"
    FAIRLY = 3, "Fairly"
    VERY = 4, "Very"


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "order"], name="unique_survey_question_order")
        ]

    def __str__(self):
        return self.text


class SurveyRound(models.Model):
    """The survey given on one date, such as the baseline and the follow-up."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="rounds")
    date = models.DateField()
    label = models.CharField(max_length=60, help_text="For example: Baseline, After training.")

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["survey", "date"], name="one_round_per_survey_date")]

    def __str__(self):
        return f"{self.label} ({self.date:%d/%m/%Y})"


class SurveyAnswerCount(models.Model):
    """How many people gave one answer to one question in one round."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="counts")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="counts")
    answer = models.PositiveSmallIntegerField(choices=Scale.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "question", "answer"], name="one_count_per_answer"),
        ]

    def __str__(self):
        return f"{self.round} {self.question_id} {self.get_answer_display()}: {self.count}"
