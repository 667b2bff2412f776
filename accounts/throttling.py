"""Failed sign-ins, throttled so that nobody can be locked out by someone else.

django-axes records each failure (AccessAttempt, by username, address and browser). Here:
- a username is held after AXES_FAILURE_LIMIT failures from any address, and an address after
  SIGN_IN_ADDRESS_FAILURE_LIMIT failures across usernames, both counted over AXES_COOLOFF_TIME
  (the hold ends by itself that long after the last counted failure; tries made while held are
  not counted, so an attacker cannot keep extending it);
- a held sign-in still succeeds with the right password *and* a code from the user's
  authenticator app or a backup code, which the attacker who caused the hold does not have;
  a wrong password or a wrong code gets the same answer, so the hold tells nothing;
- the client's address is the request's, or the one a trusted proxy (settings.TRUSTED_PROXIES)
  put in X-Forwarded-For, so users behind the reverse proxy do not share one address;
- a successful sign-in clears that username's failures only, never the address's.
"""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import Sum
from django.template.response import TemplateResponse

from . import services

HELD = (
    "Too many failed sign-ins for this username or from this network. To sign in now, enter "
    "your password and a code from your authenticator app (or a backup code). Without one, "
    "try again in {minutes} minutes."
)


def _networks():
    return [ipaddress.ip_network(entry, strict=False) for entry in getattr(settings, "TRUSTED_PROXIES", [])]


def _address(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(request):
    """The client's address (AXES_CLIENT_IP_CALLABLE). X-Forwarded-For is read only when the
    request comes from a trusted proxy, from the right: the first address that is not itself a
    trusted proxy is the client (what the client wrote further left is not believed)."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks()

    def trusted(address):
        return address is not None and any(address in network for network in networks)

    if not trusted(_address(remote)):
        return remote
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(entry)
        if address is None:
            return remote
        if not trusted(address):
            return str(address)
    return remote


class SignInThrottle(AxesDatabaseHandler):
    """The axes handler (AXES_HANDLER) with a limit per username and another per address."""

    def failure_counts(self, request, credentials=None):
        """(failures of this username from any address, failures from this address for any
        username), within the cool-off window."""
        username = get_client_username(request, credentials)
        by_username, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        return (by_username if username else 0), by_address

    def is_locked(self, request, credentials=None):
        by_username, by_address = self.failure_counts(request, credentials)
        return (
            by_username >= settings.AXES_FAILURE_LIMIT or by_address >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT
        )

    def get_failures(self, request, credentials=None):
        """Axes compares this with AXES_FAILURE_LIMIT after a failure to decide a hold: the
        username's count, or the limit itself once the address reaches its own limit."""
        by_username, by_address = self.failure_counts(request, credentials)
        if by_address >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT:
            return max(by_username, settings.AXES_FAILURE_LIMIT)
        return by_username

    def reset_user_attempts(self, request, credentials=None):
        username = get_client_username(request, credentials)
        return AccessAttempt.objects.filter(username=username).delete()[0] if username else 0


def held(request, username):
    """Whether a sign-in for this username from this request's address is held."""
    from axes.handlers.proxy import AxesProxyHandler  # (it reads settings when first imported)

    return not AxesProxyHandler.is_allowed(request, {"username": username})


def sign_in_while_held(request, username, password, token):
    """The user and the device that passed, if both the password and the second factor are
    right; else (None, None). The password is checked first, and a code only for the right
    password, so no one without it can spend the user's code throttle."""
    user = ModelBackend().authenticate(request, username=username, password=password)
    if user is None:
        return None, None
    device = services.second_factor_device(user, token)
    if device is None:
        return None, None
    user.backend = "django.contrib.auth.backends.ModelBackend"
    return user, device


def held_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the sign-in page again, with the code field and why, status 429."""
    from .views import SignInForm  # (views import this module)

    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = SignInForm(request, initial={"username": username})
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"form": form, "held": HELD.format(minutes=minutes), "next": request.POST.get("next", "")}
    response = TemplateResponse(request, "registration/login.html", context, status=429)
    return response.render()
