"""A real database outage, on PostgreSQL: the server ends the app's connection, then the
database cannot be reached at all. The next request gets the 503 page, not a server error, and
the first request after the database is back succeeds.

Requests go through Django's own WSGIHandler, as gunicorn calls it, in the test's thread and on
the test's connection. The test client would not do: it leaves out the close_old_connections
calls the handler makes at the start and end of each request, and those are what replace a
dead connection in production. No middleware or view is patched: the failure happens where a
real one does, at the first query of the request, which is the session lookup in
TwoFactorMiddleware, long before any view runs.
"""

from wsgiref.util import setup_testing_defaults

import psycopg2
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection

from core.roles import Role

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL): the test ends the app's connections on the server",
    ),
    pytest.mark.django_db(transaction=True),  # the sessions and pupils must be committed
]


def closed_port():
    """A local TCP port with nothing listening on it."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """A signed-in browser speaking WSGI to the application, cookie and all."""

    def __init__(self, client, user):
        client.force_login(user)
        # The session and the idle-timeout cookie (a signed-in browser always holds both).
        self.cookie = "; ".join(
            f"{name}={client.cookies[name].value}"
            for name in (settings.SESSION_COOKIE_NAME, settings.IDLE_COOKIE_NAME)
        )
        self.app = WSGIHandler()

    def get(self, path):
        environ = {"PATH_INFO": path, "HTTP_COOKIE": self.cookie, "HTTP_HOST": "testserver"}
        setup_testing_defaults(environ)
        status = []
        response = self.app(environ, lambda line, headers, exc_info=None: status.append(line))
        try:
            body = b"".join(response).decode()
        finally:
            response.close()  # as the WSGI server does: Django's request_finished
        return int(status[0].split()[0]), body


def terminate_app_connections():
    """From a second connection, end every other session on the test database: the app's."""
    with psycopg2.connect(**connection.get_connection_params()) as admin:
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            ended = cursor.fetchone()[0]
    admin.close()
    return ended


@pytest.fixture
def outage():
    """Makes the database unreachable: the connection settings, which every thread's connection
    shares, point at a closed port; restored whatever the test does."""
    saved = connection.settings_dict["HOST"], connection.settings_dict["PORT"]

    def start():
        connection.settings_dict["HOST"], connection.settings_dict["PORT"] = "127.0.0.1", closed_port()

    def end():
        connection.settings_dict["HOST"], connection.settings_dict["PORT"] = saved

    yield start, end
    end()
    connection.close()  # ended by the server: the test database is flushed on a new one


def test_a_lost_and_unreachable_database_gives_the_503_page_then_recovers(client, world, outage):
    start, end = outage
    browser = Browser(client, world["A"].members[Role.SENCO].user)
    assert browser.get("/pupils/")[0] == 200
    assert connection.connection is not None  # kept open between requests (CONN_MAX_AGE)
    signed_in = browser.cookie

    assert terminate_app_connections() >= 1
    start()
    for _ in range(2):  # the dead connection, then a fresh attempt that is refused
        status, body = browser.get("/pupils/")
        assert status == 503
        assert "sendtrack is briefly unavailable" in body
    # An uptime monitor, with no session, gets the health check's own answer.
    browser.cookie = ""
    assert browser.get("/healthz") == (503, '{"status": "database unavailable"}')
    browser.cookie = signed_in

    end()
    status, body = browser.get("/pupils/")
    assert status == 200
    assert world["A"].class_pupil.legal_surname in body


def test_a_connection_ended_by_the_server_is_replaced_at_the_next_request(client, world):
    browser = Browser(client, world["A"].members[Role.SENCO].user)
    assert browser.get("/pupils/")[0] == 200
    assert terminate_app_connections() >= 1
    # The health check at the first query (CONN_HEALTH_CHECKS) finds it dead and reconnects.
    assert browser.get("/pupils/")[0] == 200
