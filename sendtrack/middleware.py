import logging

from django.db import InterfaceError, OperationalError

from .views import database_unavailable

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)


class DatabaseUnavailableMiddleware:
    """A lost database connection met by a view gives the clean 503 page, not a server error.

    This middleware only sees what a view raises (process_exception). A middleware cannot catch
    what another middleware raises around get_response either: Django wraps every middleware in
    convert_exception_to_response, so the exception has already become a 500 response when it
    reaches the middleware above. In a real outage the first query of a request is the session
    lookup in TwoFactorMiddleware, before any view; that case is answered by handler500,
    sendtrack.views.server_error, which gives the same page for a database error. Both are
    tested against a real PostgreSQL outage (tests/sendtrack/test_outage.py).

    Django closes a connection that raised an error when the request finishes
    (close_old_connections on request_finished), and the health check (CONN_HEALTH_CHECKS)
    replaces a dead one at the next request's first query, so the app recovers by itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.error("Database unavailable: %s", exception)
            return database_unavailable()
        return None
