from django.conf import settings


def idle(request):
    """The idle timeout and its warning, in seconds, for the page script (static/js/idle.js)."""
    return {"idle_timeout": settings.IDLE_TIMEOUT, "idle_warning": settings.IDLE_WARNING}
