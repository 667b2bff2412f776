"""Two-factor authentication with a time-based one-time password (TOTP) app such as Microsoft or
Google Authenticator. django-otp keeps the devices, verifies codes and throttles guessing; this
module only decides the steps: set up (unconfirmed device), confirm with a first code, verify at
each login, turn off with a current code."""

from base64 import b32encode

import segno
from django.db import transaction
from django_otp import login as otp_login
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


def pending_device(user):
    """The device being set up, made on first call; setting up again reuses it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


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


@transaction.atomic
def two_factor_confirm(*, request, token):
    """Confirm the pending device with a first code; the session counts as verified."""
    device = pending_device(request.user)
    if not _verified(device, token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
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
