from django.shortcuts import redirect
from django.urls import reverse
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
