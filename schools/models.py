from django.conf import settings
from django.db import models

from core import policy
from core.policy import Scope
from core.roles import Role


class Organisation(models.Model):
    """A multi-academy trust or a local authority: the body that groups schools."""

    class Kind(models.TextChoices):
        TRUST = "trust", "Multi-academy trust"
        LOCAL_AUTHORITY = "la", "Local authority"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TRUST)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class School(models.Model):
    class Phase(models.TextChoices):
        PRIMARY = "primary", "Primary"
        SECONDARY = "secondary", "Secondary"
        ALL_THROUGH = "all_through", "All-through"
        SPECIAL = "special", "Special"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="schools", null=True, blank=True
    )
    name = models.CharField(max_length=200)
    urn = models.CharField("URN", max_length=7, unique=True, help_text="DfE unique reference number")
    phase = models.CharField(max_length=12, choices=Phase.choices, default=Phase.PRIMARY)
    suppression_threshold = models.PositiveSmallIntegerField(
        default=5,
        help_text="Figures over fewer pupils than this are never shown to governors.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Membership(models.Model):
    """A user's role in one school. A person can hold different roles in different schools."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=Role.choices)
    is_active = models.BooleanField(default=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["school__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "school"], name="one_membership_per_school"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} at {self.school}"

    # Two shorthands for what selectors ask most, answered by the role policy.
    @property
    def sees_pupils(self):
        return policy.can(self, "pupil.view")

    @property
    def suppress_below(self):
        return policy.suppress_below(self)


class SchoolClass(models.Model):
    """A registration class or form (for example "4 Oak"), taught by one or more teachers."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="classes")
    name = models.CharField(max_length=40)
    year_group = models.SmallIntegerField(null=True, blank=True)
    teachers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="classes_taught", blank=True)

    class Meta:
        ordering = ["year_group", "name"]
        verbose_name = "class"
        verbose_name_plural = "classes"
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="unique_class_name_per_school"),
        ]

    def __str__(self):
        return self.name


def memberships_for(user):
    """The active memberships of a user, with their schools, in a stable order."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.active().filter(user=user).select_related("school")


def classes_for(membership):
    """Classes a membership may see: every class for those who see every pupil, their own for a
    teacher, none for anyone else."""
    qs = SchoolClass.objects.filter(school=membership.school)
    scope = policy.pupil_scope(membership)
    if scope is Scope.EVERY_PUPIL:
        return qs
    if scope is Scope.CLASSES:
        return qs.filter(teachers=membership.user)
    return qs.none()
