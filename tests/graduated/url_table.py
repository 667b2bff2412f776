"""Who may open each page of the graduated app (walked by tests/schools/test_permissions.py).

The SENCO records provision, keeps the checklist and builds packs; the head reads the costed
provision and the packs; no one else opens any of it (the map names pupils and their costs).
"""

from core.roles import Role

LEADERS = {Role.SENCO, Role.HEAD}
SENCO = {Role.SENCO}


def provision_of(world_school):
    from graduated.models import Provision

    pupil = world_school.class_pupil
    return Provision.objects.filter(pupil=pupil).first() or Provision.objects.create(
        pupil=pupil, academic_year=2025, kind="in_class", description="TA support in maths", hours_per_week=2
    )


def checklist_item_of(world_school):
    from graduated.models import ChecklistItem

    return ChecklistItem.objects.filter(school=world_school.school).first() or ChecklistItem.objects.create(
        school=world_school.school, wording="Educational psychologist's report", requirement="agency_report"
    )


PERMISSIONS = {
    "graduated:map": ("get", LEADERS, False),
    "graduated:map_csv": ("get", LEADERS, False),
    "graduated:checklist": ("get", SENCO, False),
    "graduated:checklist_add": ("post", SENCO, False),
    "graduated:checklist_remove": ("post", SENCO, "checklist_item"),
    "graduated:pupil_provision": ("get", LEADERS, True),
    "graduated:provision_add": ("post", SENCO, True),
    "graduated:provision_edit": ("post", SENCO, "provision"),
    "graduated:readiness": ("get", LEADERS, True),
    "graduated:pack": ("get", LEADERS, True),
}
TARGETS = {"provision": provision_of, "checklist_item": checklist_item_of}
