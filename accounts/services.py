"""Two-factor authentication with a time-based one-time password (TOTP) app such as Microsoft or
Google Authenticator, backup codes for a lost phone, and the sessions they guard.

django-otp keeps the devices, verifies codes and throttles guessing; this module decides the
steps: set up (a secret offered, nothing stored), confirm with a first code (the device and ten
backup codes are stored, every other session of the user ends), verify at each sign-in (a code
from the app or a backup code), turn off with a current code (only where it is not required),
and an administrator's reset (devices removed, every session ended, recorded).

Whether a user must use it: every user whose role in some school opens pupil records (the role
policy's "pupil.view") and every administrator (staff or superuser), when the setting
TWO_FACTOR_REQUIRED is on (the default). That, whether the user has a device, and whether this
session has been verified are written to the session at sign-in and at each step, so no request
asks the database for them.
"""

import time
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django.utils.crypto import salted_hmac
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import policy

from .models import AccountEvent, UserSession

DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
BACKUP_CODES = 10
# Written to the session at sign-in: whether the user has a confirmed device, whether they must.
SESSION_KEY = "two_factor_on"
REQUIRED_KEY = "two_factor_required"
# The persistent id of the device that verified this session (set by verify or confirm).
VERIFIED_KEY = "two_factor_verified"


def two_factor_required(user):
    """Whether this user must sign in with a second factor (one query)."""
    if not getattr(settings, "TWO_FACTOR_REQUIRED", True):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return user.memberships.filter(is_active=True, role__in=policy.roles_for("pupil.view")).exists()


def remember_two_factor(sender, request, user, **kwargs):
    """user_logged_in receiver: the session's two-factor state, so no request asks again."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = confirmed_device(user) is not None
        request.session[REQUIRED_KEY] = two_factor_required(user)


def two_factor_on(request):
    if SESSION_KEY not in request.session:  # a session from before this key existed
        request.session[SESSION_KEY] = confirmed_device(request.user) is not None
    return request.session[SESSION_KEY]


def must_use_two_factor(request):
    if REQUIRED_KEY not in request.session:  # a session from before this key existed
        request.session[REQUIRED_KEY] = two_factor_required(request.user)
    return request.session[REQUIRED_KEY]


def session_verified(request):
    session = getattr(request, "session", None)
    return bool(session is not None and session.get(VERIFIED_KEY))


def mark_verified(request, device):
    """This session has passed its second factor with `device`."""
    request.session[VERIFIED_KEY] = device.persistent_id
    request.user.otp_device = device


def confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def backup_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


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


def _clean(token):
    return (token or "").replace(" ", "").replace("-", "").strip().lower()


def _verified(device, token):
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return False
    return bool(device.verify_token(token))


def _first_code_matches(device, token):
    """Check the first code against the unsaved device. django-otp's verify_token would save it,
    on a wrong code too (it counts the failure), so the check is made with its TOTP class, with
    the device's own step, digits and tolerance. The matched time step is kept, so the same code
    cannot be used again to sign in."""
    token = _clean(token)
    if not token.isdigit():
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(int(token), device.tolerance):
        return False
    device.last_t = totp.t()
    return True


def second_factor_device(user, token):
    """The user's device that accepts `token`, or None: a six-digit code is checked against the
    authenticator app, anything else against the backup codes (a used backup code is deleted).
    Each device throttles its own wrong guesses."""
    token = _clean(token)
    if not token:
        return None
    if token.isdigit():
        device = confirmed_device(user)
        return device if device is not None and _verified(device, token) else None
    backup = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if backup is None or not _verified(backup, token):
        return None
    AccountEvent.objects.create(user=user, kind=AccountEvent.Kind.BACKUP_CODE_USED, by=user)
    return backup


def end_sessions(user, *, keep=None):
    """End every session of this user but `keep` (a session key), wherever they are signed in."""
    sessions = UserSession.objects.filter(user=user)
    if keep:
        sessions = sessions.exclude(session_key=keep)
    return sessions.delete()[0]


def _new_backup_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = []
    while len(codes) < BACKUP_CODES:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_confirm(*, request, token):
    """Confirm the pending device with a first code: only now is it stored, with ten backup
    codes. The session counts as verified and the user's other sessions end (one opened before
    two-factor was on, perhaps by someone else, must not stay open). Returns the backup codes,
    to be shown once, or None if the code was wrong."""
    device = pending_device(request)
    if not _first_code_matches(device, token):
        return None
    # Unconfirmed devices left by the earlier set-up, which stored one on opening the page.
    TOTPDevice.objects.filter(user=request.user).delete()
    device.confirmed = True
    device.full_clean()
    device.save()
    codes = _new_backup_codes(request.user)
    mark_verified(request, device)
    request.session[SESSION_KEY] = True
    # A new session key for this session, then every other one of the user's ends.
    request.session.cycle_key()
    end_sessions(request.user, keep=request.session.session_key)
    AccountEvent.objects.create(user=request.user, kind=AccountEvent.Kind.TWO_FACTOR_ON, by=request.user)
    return codes


@transaction.atomic
def backup_codes_renew(*, request):
    """New backup codes for a verified session; the old ones stop working. Shown once."""
    codes = _new_backup_codes(request.user)
    AccountEvent.objects.create(user=request.user, kind=AccountEvent.Kind.BACKUP_CODES, by=request.user)
    return codes


@transaction.atomic
def two_factor_verify(*, request, token):
    """Check a sign-in's code (from the app, or a backup code) against the user's devices."""
    device = second_factor_device(request.user, token)
    if device is None:
        return False
    request.session.cycle_key()  # a verified session gets a new key, as a sign-in does
    mark_verified(request, device)
    return True


@transaction.atomic
def two_factor_disable(*, request, token):
    """Turn off, with a current code, for a user who is not required to use it."""
    if must_use_two_factor(request):
        return False
    device = confirmed_device(request.user)
    if device is None or not _verified(device, _clean(token)):
        return False
    TOTPDevice.objects.filter(user=request.user).delete()
    StaticDevice.objects.filter(user=request.user).delete()
    request.session[SESSION_KEY] = False
    request.session.pop(VERIFIED_KEY, None)
    AccountEvent.objects.create(user=request.user, kind=AccountEvent.Kind.TWO_FACTOR_OFF, by=request.user)
    return True


@transaction.atomic
def two_factor_reset(*, user, by, note=""):
    """An administrator's recovery for a user who lost their phone and backup codes: the devices
    go, every session of the user ends, and the reset is recorded. At their next sign-in the user
    sets up a new app (where two-factor is required, before anything else)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    ended = end_sessions(user)
    AccountEvent.objects.create(user=user, kind=AccountEvent.Kind.TWO_FACTOR_RESET, by=by, note=note[:200])
    return ended


def password_changed(*, request, user, kind):
    """Record a password change or reset. Django has already ended every other session: each
    session carries a hash of the password, checked at every request."""
    if request is not None and getattr(request, "user", None) == user:
        update_session_auth_hash(request, user)
    AccountEvent.objects.create(user=user, kind=kind, by=user)
