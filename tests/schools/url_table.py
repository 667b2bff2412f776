from tests.url_tables import ALL

PERMISSIONS = {
    "home": ("get", ALL, False),
    "switch_school": ("post", ALL, False),
}
