from django.contrib import messages
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .middleware import SESSION_KEY


@require_POST
def switch_school(request):
    wanted = request.POST.get("school")
    membership = next((m for m in request.memberships if str(m.school_id) == wanted), None)
    if membership is None:
        messages.error(request, "You have no membership of that school.")
    else:
        request.session[SESSION_KEY] = membership.school_id
        messages.success(
            request,
            f"You are now working in {membership.school} as {membership.get_role_display()}.",
        )
    # Back to the home page: a page of one school's pupil must not reopen under another.
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}) or "/pupils/" in target:
        target = "home"
    return redirect(target)
