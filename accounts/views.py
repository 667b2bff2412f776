from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from . import services


class CodeForm(forms.Form):
    token = forms.CharField(label="Six-digit code from your authenticator app", max_length=8)


WRONG_CODE = "That code was not accepted. Check the time on your phone and try the newest code."


@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Status, set-up and turning off, for any signed-in user (staff are asked to turn it on)."""
    device = services.confirmed_device(request.user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        done = form.is_valid() and (
            services.two_factor_disable(request=request, token=form.cleaned_data["token"])
            if device
            else services.two_factor_confirm(request=request, token=form.cleaned_data["token"])
        )
        if done:
            messages.success(
                request,
                "Two-factor authentication is off."
                if action == "disable"
                else "Two-factor authentication is on. You will be asked for a code at each sign-in.",
            )
            return redirect("accounts:two_factor")
        if form.is_valid():
            form.add_error("token", WRONG_CODE)
        status = 400
    context = {"device": device, "form": form}
    if device is None:
        pending = services.pending_device(request)
        context |= {"qr": services.qr_svg(pending), "secret": services.secret_of(pending)}
    return render(request, "accounts/two_factor.html", context, status=status)


def _next_path(request):
    """Where to go after the code: a path on this site, else the home page. Only an absolute path
    is taken: redirect() would read a bare word such as "x" as a URL name and fail."""
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    safe = url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure())
    return next_url if safe and next_url.startswith("/") else "/"


@require_http_methods(["GET", "POST"])
def verify(request):
    next_url = _next_path(request)
    if services.confirmed_device(request.user) is None or request.user.is_verified():
        return HttpResponseRedirect(next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid() and services.two_factor_verify(request=request, token=form.cleaned_data["token"]):
            return HttpResponseRedirect(next_url)
        if form.is_valid():
            form.add_error("token", WRONG_CODE)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/verify.html", {"form": form, "next": next_url}, status=status)
