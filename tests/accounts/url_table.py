from tests.url_tables import ALL

PERMISSIONS = {
    "accounts:two_factor": ("get", ALL, False),
    "accounts:verify": ("get", ALL, False),
}
