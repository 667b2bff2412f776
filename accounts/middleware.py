from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode

from .services import two_factor_on


class TwoFactorMiddleware:
    """A user who has turned on two-factor authentication reaches nothing but the code page, and
    logout, until this session has been verified with a code. Runs after django-otp's
    OTPMiddleware, which gives request.user.is_verified()."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        needs_code = user.is_authenticated and not user.is_verified() and not self._exempt(request.path)
        if needs_code and two_factor_on(request):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:verify')}?{query}")
        return self.get_response(request)

    @staticmethod
    def _exempt(path):
        return path in {reverse("accounts:verify"), reverse("logout"), reverse("healthz")} or path.startswith(
            "/static/"
        )


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
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        response.setdefault("Permissions-Policy", self.permissions_policy)
        return response
