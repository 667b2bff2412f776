"""Who may open each page of the plans app (walked by tests/schools/test_permissions.py).

SENCO writes; head reads; a teacher reads the plans and passports of their class's pupils; a
teaching assistant reads only the passports of their group's pupils; governors and trust leads
nothing. Object targets belong to the teacher's class pupil, so every reading role can open them.
"""

import datetime

from core.roles import Role

WRITE = {Role.SENCO}
READ = {Role.SENCO, Role.HEAD, Role.TEACHER}
PASSPORT_READ = READ | {Role.TEACHING_ASSISTANT}


def support_plan_of(world_school):
    from plans.models import SupportPlan

    pupil = world_school.class_pupil
    return SupportPlan.objects.filter(pupil=pupil).first() or SupportPlan.objects.create(
        pupil=pupil,
        number=1,
        starts_on=datetime.date(2025, 9, 15),
        review_date=datetime.date(2025, 12, 12),
        needs="Reading fluency",
    )


def ehc_plan_of(world_school):
    from plans.models import EhcPlan, annual_review_due

    pupil = world_school.class_pupil
    plan_date = datetime.date(2025, 3, 1)
    return EhcPlan.objects.filter(pupil=pupil).first() or EhcPlan.objects.create(
        pupil=pupil, plan_date=plan_date, next_review_due=annual_review_due(plan_date)
    )


def ehcp_review_of(world_school):
    from plans.models import EhcpReview

    plan = ehc_plan_of(world_school)
    return plan.reviews.first() or EhcpReview.objects.create(
        plan=plan,
        meeting_date=datetime.date(2026, 2, 20),
        attendees="Parent; SENCO",
        pupil_views="Likes maths",
        family_views="Pleased",
    )


PERMISSIONS = {
    "plans:index": ("get", {Role.SENCO, Role.HEAD}, False),
    "plans:pupil": ("get", READ, True),
    "plans:plan_new": ("post", WRITE, True),
    "plans:plan_history": ("get", READ, True),
    "plans:passport": ("get", PASSPORT_READ, True),
    "plans:passport_edit": ("post", WRITE, True),
    "plans:ehcp_new": ("post", WRITE, True),
    "plans:plan": ("get", READ, "support_plan"),
    "plans:plan_edit": ("post", WRITE, "support_plan"),
    "plans:plan_review": ("post", WRITE, "support_plan"),
    "plans:ehcp": ("get", READ, "ehc_plan"),
    "plans:ehcp_edit": ("post", WRITE, "ehc_plan"),
    "plans:ehcp_review_new": ("post", WRITE, "ehc_plan"),
    "plans:ehcp_review": ("get", READ, "ehcp_review"),
}
TARGETS = {"support_plan": support_plan_of, "ehc_plan": ehc_plan_of, "ehcp_review": ehcp_review_of}
