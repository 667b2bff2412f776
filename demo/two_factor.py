"""The demo logins' shared authenticator key, as an app takes it, and its current code."""

import time
from base64 import b32encode

from django.conf import settings
from django.urls import reverse
from django_otp.oath import TOTP

from accounts.middleware import idle_cookie_value

from .generator import DEMO_TOTP_KEY


def demo_secret():
    return b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode().rstrip("=")


def demo_code(at=None):
    totp = TOTP(bytes.fromhex(DEMO_TOTP_KEY), step=30, t0=0, digits=6)
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


def sign_in_demo_client(client, user):
    """A test client signed in as a demo user, second factor passed through the code page, as
    the benchmarks need (the demo key's current code). The activity cookie is the one a first
    request would have been given."""
    client.force_login(user)
    client.cookies[settings.IDLE_COOKIE_NAME] = idle_cookie_value()
    response = client.post(reverse("accounts:verify"), {"token": demo_code()})
    if response.status_code != 302:
        raise RuntimeError(f"The demo code was not accepted for {user} ({response.status_code}).")
    return client
