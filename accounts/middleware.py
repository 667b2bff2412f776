from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode

from . import services


class TwoFactorMiddleware:
    """The second factor, enforced. Takes the place of django-otp's OTPMiddleware, which would
    load the verifying device from the database at every request: here the session holds it,
    set when a code is accepted, and the sessions are ended whenever a device is removed by
    someone else (an administrator's reset), so the session's word can be trusted.

    A signed-in user who has not passed the second factor in this session reaches only the
    code page (if they have a device), the set-up page (if they have none and must have one),
    log out, the health check and static files. `request.user.is_verified()` is installed as
    django-otp's middleware would (the admin site asks it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        user.otp_device = None
        user.is_verified = lambda: user.is_authenticated and services.session_verified(request)
        if user.is_authenticated and not user.is_verified():
            response = self._second_factor_step(request)
            if response is not None:
                return response
        return self.get_response(request)

    @staticmethod
    def _second_factor_step(request):
        path = request.path
        if path.startswith(
            settings.STATIC_URL if settings.STATIC_URL.startswith("/") else f"/{settings.STATIC_URL}"
        ):
            return None
        if path in {reverse("logout"), reverse("healthz"), reverse("accounts:idle")}:
            return None
        if services.two_factor_on(request):
            if path == reverse("accounts:verify"):
                return None
            target = reverse("accounts:verify")
        elif services.must_use_two_factor(request):
            if path == reverse("accounts:two_factor"):
                return None
            target = reverse("accounts:two_factor")
        else:
            return None
        query = urlencode({"next": request.get_full_path()})
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = f"{target}?{query}"
            return response
        return redirect(f"{target}?{query}")


IDLE_SALT = "accounts.idle"


def idle_cookie_value():
    return signing.TimestampSigner(salt=IDLE_SALT).sign("active")


class IdleTimeoutMiddleware:
    """Ends a signed-in session that has been idle for settings.IDLE_TIMEOUT (seconds; 30
    minutes by default), without any script: each response to a signed-in user carries a signed,
    timestamped cookie; a request whose cookie is older than the timeout, or missing, is signed
    out before anything else runs (LoginRequiredMiddleware then sends it to the sign-in page,
    with a message saying why). The cookie also expires in the browser after the timeout.

    Nothing is written to the database to keep a session alive: the time lives in the cookie,
    signed so it cannot be made younger. The page script (static/js/idle.js) warns two minutes
    before the end, and "Stay signed in" asks the server for accounts:idle, which renews the
    cookie like any other request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not self._active(request):
            logout(request)
            messages.info(
                request,
                f"You were signed out after {settings.IDLE_TIMEOUT // 60} minutes without activity, "
                "to keep pupil records safe. Sign in again to carry on.",
            )
            if getattr(request, "htmx", False):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}"
                return response
        response = self.get_response(request)
        if request.user.is_authenticated:
            response.set_cookie(
                settings.IDLE_COOKIE_NAME,
                idle_cookie_value(),
                max_age=settings.IDLE_TIMEOUT,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    @staticmethod
    def _active(request):
        value = request.COOKIES.get(settings.IDLE_COOKIE_NAME)
        if not value:
            return False
        try:
            signing.TimestampSigner(salt=IDLE_SALT).unsign(value, max_age=settings.IDLE_TIMEOUT)
        except signing.BadSignature:  # a forged value, or one older than the timeout
            return False
        return True


class PrivateResponseMiddleware:
    """Every response to a signed-in user is marked not to be stored, by the browser or by any
    cache on the way: pages, partials, PDFs, CSVs and downloads alike, since nearly all of them
    hold pupil data and a per-view rule would miss the next one. The same middleware sends the
    Permissions-Policy (settings.PERMISSIONS_POLICY) on every response: no page uses the camera,
    microphone, location or any other device, so none may. Runs just inside SecurityMiddleware,
    so it sees every response, redirects and error pages included."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(allowed)})" for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        response.setdefault("Permissions-Policy", self.permissions_policy)
        return response
