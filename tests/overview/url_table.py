from core.roles import Role

PERMISSIONS = {
    "my_grid": ("get", {Role.SENCO, Role.HEAD, Role.TEACHER}, False),
}
