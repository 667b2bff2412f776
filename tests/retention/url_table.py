from core.roles import Role
from tests.url_tables import LEADERS


def hold_of(world_school):
    from retention.models import LegalHold

    return LegalHold.objects.create(
        school=world_school.school,
        pupil=world_school.other_pupil,
        reason="A complaint to the tribunal",
        set_by=world_school.members[Role.SENCO].user,
    )


PERMISSIONS = {
    "retention:review": ("get", LEADERS, False),
    "retention:policy_edit": ("post", {Role.SENCO}, False),
    "retention:hold_set": ("post", {Role.SENCO}, False),
    "retention:hold_lift": ("post", {Role.SENCO}, "hold"),
    "retention:purge": ("post", {Role.SENCO}, False),
}

TARGETS = {"hold": hold_of}
