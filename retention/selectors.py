"""What is due for deletion under a school's retention periods, and what is held back."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from evidence.models import EvidenceItem
from pupils.models import AccessLogEntry, Pupil

from .models import Kind, LegalHold, PurgeRecord, RetentionPolicy


def policy_of(school):
    """The school's retention periods (the defaults, unsaved, until the school sets its own)."""
    return RetentionPolicy.objects.filter(school=school).first() or RetentionPolicy(school=school)


def years_before(day, years):
    """The same day `years` earlier; 28 February for 29 February in a year without one."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def active_holds(school):
    return LegalHold.objects.filter(school=school, lifted_at__isnull=True).select_related("pupil", "set_by")


def whole_school_hold(school):
    return active_holds(school).filter(pupil__isnull=True).first()


def due_pupils(school, today, policy=None):
    """Pupils who have left and have passed the birthday the school keeps records until: born on or
    before that many years before today."""
    policy = policy or policy_of(school)
    born_by = years_before(today, policy.pupil_records_until_age)
    return Pupil.objects.filter(school=school, archived_at__isnull=False, date_of_birth__lte=born_by)


def due_access_log(school, today, policy=None):
    policy = policy or policy_of(school)
    cutoff = datetime.datetime.combine(years_before(today, policy.access_log_years), datetime.time.min)
    return AccessLogEntry.objects.filter(school=school, at__lt=timezone.make_aware(cutoff))


def due_school_evidence(school, today, policy=None):
    policy = policy or policy_of(school)
    return EvidenceItem.objects.filter(
        school=school, pupils__isnull=True, date__lt=years_before(today, policy.school_evidence_years)
    )


@dataclass
class Due:
    kind: str
    label: str
    count: int
    held: int
    rule: str


def review(membership, today):
    """What is due for each kind of record, the pupils due (read through the scoped path, so the
    review is in the access log), the holds and the past purges."""
    school = membership.school
    policy = policy_of(school)
    held_pupils = set(active_holds(school).exclude(pupil=None).values_list("pupil_id", flat=True))
    pupils = list(
        Pupil.objects.for_membership(membership, include_archived=True)
        .filter(pk__in=due_pupils(school, today, policy).values("pk"))
        .order_by("archived_at", "legal_surname")
    )
    for pupil in pupils:
        pupil.on_hold = pupil.pk in held_pupils
    held = sum(pupil.on_hold for pupil in pupils)
    kinds = [
        Due(
            Kind.PUPIL_RECORDS,
            Kind.PUPIL_RECORDS.label,
            len(pupils) - held,
            held,
            f"Pupils who have left, until their {policy.pupil_records_until_age}th birthday",
        ),
        Due(
            Kind.ACCESS_LOG,
            Kind.ACCESS_LOG.label,
            due_access_log(school, today, policy).count(),
            0,
            f"{policy.access_log_years} years",
        ),
        Due(
            Kind.SCHOOL_EVIDENCE,
            Kind.SCHOOL_EVIDENCE.label,
            due_school_evidence(school, today, policy).count(),
            0,
            f"{policy.school_evidence_years} years from the date of the evidence",
        ),
    ]
    return {
        "policy": policy,
        "kinds": kinds,
        "due_pupils": pupils,
        "holds": active_holds(school),
        "whole_school_hold": whole_school_hold(school),
        "purges": PurgeRecord.objects.filter(school=school)[:20],
    }
