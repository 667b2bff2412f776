from core.roles import Role
from tests.url_tables import STAFF

LEADERS = {Role.SENCO, Role.HEAD}

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
}
EXTRA_KWARGS = {
    "assessment:scheme_points": {"year": 2025},
    "assessment:scheme_bands": {"kind": "attainment"},
}
