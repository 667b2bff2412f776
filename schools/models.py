import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

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


# Figures over fewer pupils than this could point to a child; a school may go lower only with a
# reason, which its history keeps with a warning.
MIN_SUPPRESSION_THRESHOLD = 3


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
        help_text="Figures over fewer pupils than this are never shown to governors. At least 3.",
    )
    suppression_override_reason = models.CharField(
        "reason for a threshold below 3",
        max_length=300,
        blank=True,
        help_text="Only for a threshold below 3 (which may let a governor identify a child): who agreed it "
        "and why. Kept with a warning in the school's history.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(suppression_threshold__gte=MIN_SUPPRESSION_THRESHOLD)
                | ~models.Q(suppression_override_reason=""),
                name="suppression_threshold_at_least_3_unless_overridden",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def suppression_overridden(self):
        return self.suppression_threshold < MIN_SUPPRESSION_THRESHOLD

    def clean(self):
        super().clean()
        if self.suppression_overridden and not self.suppression_override_reason.strip():
            raise ValidationError(
                {
                    "suppression_threshold": (
                        f"The threshold cannot be below {MIN_SUPPRESSION_THRESHOLD} without a reason: "
                        "figures over one or two pupils can tell a governor who a child is. To go lower, "
                        "give the reason (who agreed it and why) below."
                    )
                }
            )


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Membership(models.Model):
    """A user's role in one school. A person can hold different roles in different schools."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=Role.choices)
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()
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


class OrganisationMembership(models.Model):
    """A user's role over a whole organisation (a trust or a local authority), covering each of
    its schools: one row, however many schools it has. Only the roles the policy allows over an
    organisation (core.policy.ORGANISATION_ROLES: the trust or local-authority lead, figures
    only) can be held here. In each school it reads as a membership of that school with the same
    role (`membership_in`), so every page applies the same rules as to a school membership."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_memberships"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(
        max_length=12,
        choices=[(role.value, role.label) for role in policy.ORGANISATION_ROLES],
        default=Role.TRUST_LEAD,
    )
    is_active = models.BooleanField(default=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_organisation"),
            models.CheckConstraint(
                condition=models.Q(role__in=[role.value for role in policy.ORGANISATION_ROLES]),
                name="organisation_role_is_figures_only",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} of {self.organisation}"

    def membership_in(self, school):
        """This role in one school of the organisation, as the pages read a membership (not
        saved: the organisation membership is the only row)."""
        if school.organisation_id != self.organisation_id:
            raise ValueError(f"{school} is not a school of {self.organisation}.")
        return Membership(user=self.user, school=school, role=self.role, is_active=self.is_active)


class SchoolClass(models.Model):
    """A registration class or form (for example "4 Oak"), taught by one or more teachers."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="classes")
    name = models.CharField(max_length=40)
    year_group = models.SmallIntegerField(null=True, blank=True)
    teachers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="classes_taught", blank=True)

    history = HistoricalRecords(m2m_fields=["teachers"])

    class Meta:
        ordering = ["year_group", "name"]
        verbose_name = "class"
        verbose_name_plural = "classes"
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="unique_class_name_per_school"),
        ]

    def __str__(self):
        return self.name


@functools.cache
def _memberships_sql():
    """The statement behind `memberships_for`, written once: every request reads it, and
    building it with the ORM (a union of two queries) took longer than running it."""
    school = School._meta.db_table
    columns = ", ".join(f's."{f.column}"' for f in School._meta.concrete_fields)
    # Table and column names from the models' own metadata; the user is a parameter.
    return (
        f'SELECT m."id" AS m_pk, m."role" AS m_role, {columns} FROM "{Membership._meta.db_table}" m '  # noqa: S608
        f'JOIN "{school}" s ON s."id" = m."school_id" WHERE m."user_id" = %s AND m."is_active" '
        "UNION ALL "
        f'SELECT NULL, o."role", {columns} FROM "{OrganisationMembership._meta.db_table}" o '
        f'JOIN "{school}" s ON s."organisation_id" = o."organisation_id" '
        f'WHERE o."user_id" = %s AND o."is_active"'
    )


def memberships_for(user):
    """The active memberships of a user, with their schools, ordered by school name, in one
    query: each school membership, and for each organisation membership a membership of each of
    the organisation's schools (`OrganisationMembership.membership_in`; a school membership of
    the same school comes first and wins)."""
    if not user.is_authenticated:
        return []
    schools = School.objects.raw(_memberships_sql(), [user.pk, user.pk])
    memberships, seen = [], set()
    # Direct memberships (with a pk) first, so they win over an organisation's for one school.
    for school in sorted(schools, key=lambda s: s.m_pk is None):
        if school.pk in seen:
            continue
        seen.add(school.pk)
        membership = Membership(pk=school.m_pk, user=user, school=school, role=school.m_role, is_active=True)
        membership._state.adding = school.m_pk is None
        memberships.append(membership)
    return sorted(memberships, key=lambda m: (m.school.name, m.school.pk))


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
