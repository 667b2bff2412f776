"""Signing in from tests, second factor included.

Two-factor authentication is required of every role that opens pupil records, so a test client
that only had a password session would be sent to the set-up page by every request.
`client.force_login(user)` and `client.login(...)` therefore leave the session as a real sign-in
with a code would (accounts.services.mark_verified's session key, and the idle-timeout cookie of
a request just made): the root conftest wraps Django's `Client._login`, which both call, with
`pass_second_factor`. A test of the second factor itself signs in through the real pages
(tests/accounts), or uses `sign_in_with_password_only`.
"""

from django.conf import settings
from django.test import Client

from accounts import services
from accounts.middleware import idle_cookie_value

VERIFIED_IN_TESTS = "tests.signing_in"
_password_only_login = Client._login


def pass_second_factor(client):
    session = client.session
    session[services.VERIFIED_KEY] = VERIFIED_IN_TESTS
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    renew_idle_cookie(client)


def renew_idle_cookie(client):
    client.cookies[settings.IDLE_COOKIE_NAME] = idle_cookie_value()


def _login_with_second_factor(self, user, backend=None):
    _password_only_login(self, user, backend)
    pass_second_factor(self)


def sign_in_with_password_only(client, user):
    """A session that has passed the password but no second factor."""
    _password_only_login(client, user, "django.contrib.auth.backends.ModelBackend")
    renew_idle_cookie(client)
