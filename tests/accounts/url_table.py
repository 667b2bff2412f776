from tests.url_tables import ALL

PERMISSIONS = {
    "accounts:two_factor": ("get", ALL, False),
    "accounts:verify": ("get", ALL, False),
    "accounts:idle": ("get", ALL, False),
    "accounts:password_change": ("get", ALL, False),
    "accounts:password_change_done": ("get", ALL, False),
}
# The password-reset pages are public (tests/schools/test_permissions.py PUBLIC); the link's
# page takes a user and a token, here ones that match nobody (it says the link is not valid).
EXTRA_KWARGS = {"accounts:password_reset_confirm": {"uidb64": "MA", "token": "no-such-token"}}
