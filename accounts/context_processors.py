from django.conf import settings

from . import services


def idle(request):
    """The idle timeout and its warning, in seconds, for the page script (static/js/idle.js), and
    whether this signed-in session still owes its second factor (the menu is then left out: the
    middleware would send every link back to the code or set-up page)."""
    user = getattr(request, "user", None)
    pending = bool(
        user is not None
        and user.is_authenticated
        and not services.session_verified(request)
        and (services.two_factor_on(request) or services.must_use_two_factor(request))
    )
    return {
        "idle_timeout": settings.IDLE_TIMEOUT,
        "idle_warning": settings.IDLE_WARNING,
        "second_factor_pending": pending,
    }
