"""Two-factor authentication with a time-based one-time password (TOTP) app such as Microsoft or
Google Authenticator. django-otp keeps the devices, verifies codes and throttles guessing; this
module only decides the steps: set up (a secret offered, nothing stored), confirm with a first
code (the device is stored), verify at each login, turn off with a current code."""

import time
from base64 import b32encode

import segno
from django.db import transaction
from django.utils.crypto import salted_hmac
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Authenticator app"
# Whether the signed-in user has two-factor authentication on, written to the session at sign-in
# so that the middleware does not ask the database on every request.
SESSION_KEY = "two_factor_on"


def remember_two_factor(sender, request, user, **kwargs):
    """user_logged_in receiver."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = confirmed_device(user) is not None


def two_factor_on(request):
    if SESSION_KEY not in request.session:  # a session from before this key existed
        request.session[SESSION_KEY] = confirmed_device(request.user) is not None
    return request.session[SESSION_KEY]


def confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(request):
    """The device being set up, not saved: opening the set-up page (a GET) must store nothing.

    Its 20-byte secret is derived from the user and this session's key with the project's
    SECRET_KEY, so the confirming POST derives the same secret again without anything kept
    between the two requests, reloading the page shows the same QR code, and a new sign-in
    offers a new secret. Nobody learns more from this than from the stored device: the secret
    needs the session key, and whoever holds the session can open the page and read it."""
    seed = f"{request.user.pk}:{request.session.session_key}"
    key = salted_hmac("accounts.two_factor.pending", seed, algorithm="sha256").digest()[:20]
    return TOTPDevice(user=request.user, name=DEVICE_NAME, key=key.hex(), confirmed=False)


def secret_of(device):
    """The shared secret in the base32 form authenticator apps accept when typed in."""
    return b32encode(device.bin_key).decode().rstrip("=")


def qr_svg(device):
    """The device's otpauth:// address as an inline SVG QR code (no image request, no script)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, omitsize=False)


def _verified(device, token):
    token = (token or "").replace(" ", "")
    if not token.isdigit():
        return False
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return False
    return bool(device.verify_token(token))


def _first_code_matches(device, token):
    """Check the first code against the unsaved device. django-otp's verify_token would save it,
    on a wrong code too (it counts the failure), so the check is made with its TOTP class, with
    the device's own step, digits and tolerance. The matched time step is kept, so the same code
    cannot be used again to sign in."""
    token = (token or "").replace(" ", "")
    if not token.isdigit():
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(int(token), device.tolerance):
        return False
    device.last_t = totp.t()
    return True


@transaction.atomic
def two_factor_confirm(*, request, token):
    """Confirm the pending device with a first code: only now is it stored. The session counts
    as verified."""
    device = pending_device(request)
    if not _first_code_matches(device, token):
        return False
    # Unconfirmed devices left by the earlier set-up, which stored one on opening the page.
    TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
    device.confirmed = True
    device.full_clean()
    device.save()
    otp_login(request, device)
    request.session[SESSION_KEY] = True
    return True


@transaction.atomic
def two_factor_verify(*, request, token):
    """Check a login's code against the user's device."""
    device = confirmed_device(request.user)
    if device is None or not _verified(device, token):
        return False
    otp_login(request, device)
    return True


@transaction.atomic
def two_factor_disable(*, request, token):
    device = confirmed_device(request.user)
    if device is None or not _verified(device, token):
        return False
    TOTPDevice.objects.filter(user=request.user).delete()
    request.session[SESSION_KEY] = False
    return True
