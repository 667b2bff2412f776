from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from . import services, throttling
from .models import AccountEvent


class SignInForm(AuthenticationForm):
    """Username and password, and, when the sign-in is held after failed tries, a code from the
    authenticator app or a backup code, which lets the right password through at once."""

    token = forms.CharField(
        label="Code from your authenticator app, or a backup code", max_length=20, required=False
    )

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.device = None

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        token = self.cleaned_data.get("token")
        if username and password and token and throttling.held(self.request, username):
            self.user_cache, self.device = throttling.sign_in_while_held(
                self.request, username, password, token
            )
            if self.user_cache is None:
                self.request.axes_locked_out = True  # answered as a hold (429), whichever half was wrong
                raise ValidationError("held", code="held")
            self.confirm_login_allowed(self.user_cache)
            return self.cleaned_data
        return super().clean()


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.device is not None:  # a held sign-in passed with its second factor
            services.mark_verified(self.request, form.device)
        return response


class CodeForm(forms.Form):
    token = forms.CharField(label="Six-digit code from your authenticator app", max_length=20)


class SignInCodeForm(forms.Form):
    token = forms.CharField(label="Code from your authenticator app, or a backup code", max_length=20)


WRONG_CODE = "That code was not accepted. Check the time on your phone and try the newest code."


@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Status, set-up, new backup codes and turning off, for any signed-in user. Where two-factor
    authentication is required, the middleware sends a user without a device here first."""
    device = services.confirmed_device(request.user)
    required = services.must_use_two_factor(request)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if device and action == "backup_codes":
            codes = services.backup_codes_renew(request=request)
            return _show_backup_codes(request, codes, first=False)
        if device and action == "disable" and form.is_valid():
            if services.two_factor_disable(request=request, token=form.cleaned_data["token"]):
                messages.success(request, "Two-factor authentication is off.")
                return redirect("accounts:two_factor")
        elif not device and form.is_valid():
            codes = services.two_factor_confirm(request=request, token=form.cleaned_data["token"])
            if codes is not None:
                return _show_backup_codes(request, codes, first=True)
        if form.is_valid():
            form.add_error("token", WRONG_CODE)
        status = 400
    context = {
        "device": device,
        "form": form,
        "required": required,
        "codes_left": services.backup_codes_left(request.user) if device else 0,
        "next": _next_path(request),
    }
    if device is None:
        pending = services.pending_device(request)
        context |= {"qr": services.qr_svg(pending), "secret": services.secret_of(pending)}
    return render(request, "accounts/two_factor.html", context, status=status)


def _show_backup_codes(request, codes, *, first):
    """The backup codes, shown this once (in the answer to the POST that made them: nothing
    keeps them to show again)."""
    context = {"codes": codes, "first": first, "next": _next_path(request)}
    return render(request, "accounts/backup_codes.html", context)


def _next_path(request):
    """Where to go after the code: a path on this site, else the home page. Only an absolute path
    is taken: redirect() would read a bare word such as "x" as a URL name and fail."""
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    safe = url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure())
    return next_url if safe and next_url.startswith("/") and not next_url.startswith("//") else "/"


@require_http_methods(["GET", "POST"])
def verify(request):
    next_url = _next_path(request)
    if request.user.is_verified() or not services.two_factor_on(request):
        return HttpResponseRedirect(next_url)
    form = SignInCodeForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid() and services.two_factor_verify(request=request, token=form.cleaned_data["token"]):
            return HttpResponseRedirect(next_url)
        if form.is_valid():
            form.add_error("token", WRONG_CODE)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/verify.html", {"form": form, "next": next_url}, status=status)


@require_GET
def idle(request):
    """'Stay signed in': any signed-in request renews the idle cookie (IdleTimeoutMiddleware);
    this one answers only how long the session now has."""
    return JsonResponse({"signed_in": True, "seconds_left": settings.IDLE_TIMEOUT})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)  # saves, and keeps this session (Django's own step)
        services.password_changed(
            request=self.request, user=form.user, kind=AccountEvent.Kind.PASSWORD_CHANGED
        )
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(request=None, user=form.user, kind=AccountEvent.Kind.PASSWORD_RESET)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
