from core.roles import Role
from tests.url_tables import ALL, LEADERS, STAFF

PERMISSIONS = {
    "sen_register": ("get", ALL, False),
    "pupils:list": ("get", STAFF, False),
    "pupils:pick": ("get", STAFF, False),
    "pupils:create": ("get", {Role.SENCO}, False),
    "pupils:detail": ("get", STAFF, True),
    "pupils:edit": ("get", {Role.SENCO}, True),
    "pupils:sen_status": ("post", {Role.SENCO}, True),
    "pupils:concern": ("get", {Role.SENCO, Role.TEACHER}, True),
    "pupils:archive": ("post", {Role.SENCO}, True),
    "pupils:restore": ("post", {Role.SENCO}, True),
    "pupils:data_export": ("get", {Role.SENCO}, True),
    "pupils:access_log_csv": ("get", LEADERS, True),
}
