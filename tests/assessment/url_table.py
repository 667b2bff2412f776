import datetime

from core.roles import Role
from tests.url_tables import STAFF

LEADERS = {Role.SENCO, Role.HEAD}


def observation_of(world_school):
    """An Engagement Model observation of the class pupil, recorded by the class's teacher (whose
    own it is: a teacher changes their own observations, the SENCO any)."""
    from assessment.models import EngagementObservation

    return EngagementObservation.objects.get_or_create(
        pupil=world_school.class_pupil,
        observed_on=datetime.date(2025, 10, 6),
        area="anticipation",
        defaults={
            "established": 1,
            "note": "Looked towards the door when the music started.",
            "observer": world_school.members[Role.TEACHER].user,
        },
    )[0]


PERMISSIONS = {
    "assessment:grid": ("get", {Role.SENCO, Role.HEAD, Role.TEACHER}, False),
    # Without a chosen grid the download sends the user back to the grid page (302).
    "assessment:grid_csv": ("get", {Role.SENCO, Role.HEAD, Role.TEACHER}, False),
    "assessment:pupils_csv": ("get", STAFF, False),
    "assessment:scheme": ("get", LEADERS, False),
    "assessment:scheme_points": ("get", LEADERS, False),
    "assessment:scheme_subjects": ("get", LEADERS, False),
    "assessment:scheme_bands": ("get", LEADERS, False),
    "assessment:pupil_targets": ("post", {Role.SENCO}, True),
    "assessment:support_add": ("post", {Role.SENCO, Role.TEACHER, Role.TEACHING_ASSISTANT}, True),
    # The Engagement Model: every member of staff who sees the pupil reads the observations; the
    # SENCO, teachers and assistants record them; governors never see a pupil.
    "assessment:engagement": ("get", STAFF, True),
    "assessment:engagement_add": ("post", {Role.SENCO, Role.TEACHER, Role.TEACHING_ASSISTANT}, True),
    # A teacher changes their own observation, the SENCO any; the assistant does not see the
    # class pupil (404), the head may not change observations (403).
    "assessment:engagement_edit": ("get", {Role.SENCO, Role.TEACHER}, "engagement_observation"),
    "assessment:statutory_outcomes": ("post", {Role.SENCO, Role.TEACHER}, True),
}
TARGETS = {"engagement_observation": observation_of}
EXTRA_KWARGS = {
    "assessment:scheme_points": {"year": 2025},
    "assessment:scheme_bands": {"kind": "attainment"},
}


def framework_of(world_school):
    """A small-steps framework of the world school (made once per school)."""
    from assessment.models import Framework

    return Framework.objects.get_or_create(
        school=world_school.school, name="Small steps", defaults={"kind": Framework.Kind.STEPS}
    )[0]


# Other frameworks (issue 22): leaders keep them and place pupils; teachers read them.
PERMISSIONS.update(
    {
        "assessment:frameworks": ("get", {Role.SENCO, Role.HEAD, Role.TEACHER}, False),
        "assessment:framework_add": ("get", LEADERS, False),
        "assessment:framework_edit": ("get", {Role.SENCO, Role.HEAD, Role.TEACHER}, "framework"),
        "assessment:place_pupils": ("get", LEADERS, False),
        "assessment:pupil_placements": ("post", LEADERS, True),
    }
)
EXTRA_KWARGS["assessment:framework_add"] = {"kind": "steps"}
TARGETS["framework"] = framework_of
