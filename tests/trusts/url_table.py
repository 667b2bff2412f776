from core.roles import Role

PERMISSIONS = {
    # Trust and LA leads compare the schools of their organisation; a head sees their own school
    # against the others, unnamed.
    "trusts:comparison": ("get", {Role.HEAD, Role.TRUST_LEAD}, False),
}
