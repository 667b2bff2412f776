import logging

from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections
from django.shortcuts import render

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """A lost database connection gives a clean 503 page; the broken connection is dropped so
    that the next request opens a fresh one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)) or (
            isinstance(exception, DatabaseError) and "connection" in str(exception).lower()
        ):
            logger.error("Database unavailable: %s", exception)
            close_old_connections()
            from django.db import connections

            for conn in connections.all(initialized_only=True):
                conn.close_if_unusable_or_obsolete()
            return render(request, "503.html", status=503)
        return None
