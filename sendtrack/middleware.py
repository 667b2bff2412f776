import logging

from django.db import InterfaceError, OperationalError
from django.shortcuts import render

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """A lost database connection gives a clean 503 page instead of a server error.

    Django closes a connection that raised an error when the request finishes
    (close_old_connections on request_finished), so the next request opens a fresh one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            logger.error("Database unavailable: %s", exception)
            return render(request, "503.html", status=503)
        return None
