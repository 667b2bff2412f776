from schools.models import Role

PERMISSIONS = {
    "assessment:grid": ("get", {Role.SENCO, Role.HEAD, Role.TEACHER}, False),
}
