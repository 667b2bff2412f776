import sys

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token


@login_not_required
@never_cache
def healthz(request):
    """For load balancers and uptime checks: is the app up and is the database reachable?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def permission_denied(request, exception=None):
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def bad_request(request, exception=None):
    """handler400: a request Django refuses to read (too many fields, too large, or malformed)
    gets a page that says what happened and what to do, or the same words as JSON for a script.
    Nothing of the request was stored."""
    if isinstance(exception, TooManyFieldsSent):
        reason = (
            f"The form sent more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,} boxes at once, more "
            "than the site accepts in one go."
        )
        advice = (
            "Nothing was saved. Go back and save a smaller part: for the termly grid, turn JavaScript "
            "on (it then sends only the boxes you changed) or open one class at a time."
        )
    elif isinstance(exception, (RequestDataTooBig, TooManyFilesSent)):
        reason = "What was sent is larger than the site accepts in one go."
        advice = "Nothing was saved. Go back and send a smaller part, or fewer files at a time."
    else:
        reason = "The page sent something the site could not read."
        advice = "Nothing was saved. Go back, reload the page and try again."
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"ok": False, "message": f"{reason} {advice}", "errors": []}, status=400)
    return render(request, "400.html", {"reason": reason, "advice": advice}, status=400)


def database_unavailable():
    """The 503 page. Rendered without the request, whose context processors would query the
    database again; the template needs nothing from it."""
    return HttpResponse(loader.render_to_string("503.html"), status=503)


@requires_csrf_token
def server_error(request):
    """handler500: a database error gives the 503 page, anything else Django's 500 page.

    Django calls this while it handles the exception, so sys.exc_info() holds it; that is how a
    database error raised in a middleware (the session lookup is the first query of a request)
    gets the same page as one raised in a view. Django has already logged the error."""
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return database_unavailable()
    return defaults.server_error(request)
