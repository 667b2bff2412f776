"""The admin site behind the same sign-in as the rest of sendtrack, second factor included.

django-otp's OTPAdminSite lets in only a staff user whose session has passed a second factor
(`request.user.is_verified()`, installed by accounts.middleware.TwoFactorMiddleware). Its own
login form is not used: signing in happens on the site's page (with its throttling, its code
step and its set-up for a user who has no device), then the admin site opens."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_otp.admin import OTPAdminSite


class TwoFactorAdminSite(OTPAdminSite):
    site_header = "sendtrack administration"
    site_title = "sendtrack administration"

    def __init__(self, name="admin"):
        # OTPAdminSite names itself "otpadmin"; as the one admin site it keeps Django's name,
        # so "admin:..." URLs and the permission walker's exclusion of them stay as they are.
        super().__init__(name)

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            # Signed in but not staff (or the session has no second factor yet, which the
            # middleware would have asked for first): the admin site is not theirs.
            raise PermissionDenied("Only an administrator can open the admin site.")
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("login"))
