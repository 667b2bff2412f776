import datetime

from core.roles import Role


def attendance_of(world_school):
    from attendance.models import Attendance

    return Attendance.objects.get_or_create(
        pupil=world_school.class_pupil,
        academic_year=2024,
        term=1,
        defaults={"possible_sessions": 140, "attended_sessions": 130, "authorised_absence": 10},
    )[0]


def exclusion_of(world_school):
    from attendance.models import Exclusion

    return Exclusion.objects.create(
        pupil=world_school.class_pupil, start_date=datetime.date(2025, 1, 14), days=2, academic_year=2024
    )


def behaviour_of(world_school):
    from attendance.models import BehaviourCount

    return BehaviourCount.objects.get_or_create(
        pupil=world_school.class_pupil, academic_year=2024, term=1, defaults={"incidents": 3}
    )[0]


def activity_of(world_school):
    from attendance.models import Participation

    return Participation.objects.get_or_create(
        pupil=world_school.class_pupil,
        kind="club",
        activity="Choir",
        date=datetime.date(2024, 9, 20),
        defaults={"academic_year": 2024},
    )[0]


SENCO = {Role.SENCO}
PERMISSIONS = {
    "attendance:grid": ("get", SENCO, False),
    "attendance:term_add": ("get", SENCO, True),
    "attendance:term_edit": ("get", SENCO, "attendance"),
    "attendance:exclusion_add": ("get", SENCO, True),
    "attendance:exclusion_edit": ("get", SENCO, "exclusion"),
    "attendance:behaviour_add": ("get", SENCO, True),
    "attendance:behaviour_edit": ("get", SENCO, "behaviour"),
    "attendance:activity_add": ("get", SENCO, True),
    "attendance:activity_edit": ("get", SENCO, "activity"),
}
TARGETS = {
    "attendance": attendance_of,
    "exclusion": exclusion_of,
    "behaviour": behaviour_of,
    "activity": activity_of,
}
