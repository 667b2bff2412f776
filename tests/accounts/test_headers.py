"""Headers that keep pupil data out of shared caches and keep the browser's devices off.

Every response to a signed-in request is `Cache-Control: no-store` (pages, PDFs, CSVs, the
subject-access download alike): a browser's back button or a proxy never keeps a copy of
health data. Every response says, by `Permissions-Policy`, that no page may use the camera,
microphone, location and the like. The production settings give the session and CSRF cookies
the `__Host-` prefix, which a browser accepts only from this host, over HTTPS, for the whole site.
"""

import importlib
import os

import pytest
from django.urls import reverse

from core.roles import Role
from tests.reports.url_table import case_study_of
from tests.schools.test_permissions import PERMISSIONS, url_names

pytestmark = pytest.mark.django_db


def no_store(response):
    return "no-store" in response.get("Cache-Control", "")


def test_pupil_data_in_every_form_is_not_stored(client, world):
    home = world["A"]
    client.force_login(home.members[Role.SENCO].user)
    pupil = home.class_pupil
    responses = {
        "pupil page": client.get(reverse("pupils:detail", args=[pupil.pk])),
        "subject access download": client.get(reverse("pupils:data_export", args=[pupil.pk])),
        "pupils CSV": client.get(reverse("assessment:pupils_csv")),
        "case study PDF": client.get(
            reverse("reports:case_study", args=[case_study_of(home).pk]), {"format": "pdf"}
        ),
    }
    assert {name: response.status_code for name, response in responses.items()} == dict.fromkeys(
        responses, 200
    )
    assert responses["case study PDF"]["Content-Type"] == "application/pdf"
    assert responses["pupils CSV"]["Content-Type"].startswith("text/csv")
    assert {name: no_store(response) for name, response in responses.items()} == dict.fromkeys(
        responses, True
    )


def test_every_page_a_signed_in_user_opens_is_not_stored(client, world):
    """The SENCO walks every GET page of the permission table: none may be kept."""
    from tests.test_no_writes_on_get import urls_for

    home = world["A"]
    client.force_login(home.members[Role.SENCO].user)
    stored = [
        name
        for name, url, _ in urls_for(home, Role.SENCO)
        if name in PERMISSIONS and PERMISSIONS[name][0] == "get" and not no_store(client.get(url))
    ]
    assert stored == []
    assert len(set(url_names())) > 50  # the walk did cover the site


def test_the_login_page_and_static_files_may_be_cached_but_devices_are_off(client, db):
    login = client.get(reverse("login"))
    policy = login["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy
    # Nothing personal on the login page, but a form with a CSRF token: no shared cache either.
    assert "private" in login.get("Cache-Control", "") or no_store(login)


def test_a_signed_in_response_carries_the_permissions_policy_too(client, world):
    client.force_login(world["A"].members[Role.SENCO].user)
    assert "camera=()" in client.get(reverse("pupils:list"))["Permissions-Policy"]


def test_production_cookies_have_the_host_prefix(monkeypatch):
    monkeypatch.setitem(os.environ, "SECRET_KEY", "x" * 60)
    production = importlib.import_module("sendtrack.settings.production")
    production = importlib.reload(production)
    assert production.SESSION_COOKIE_NAME.startswith("__Host-")
    assert production.CSRF_COOKIE_NAME.startswith("__Host-")
    # What the prefix requires of the cookie: Secure, no Domain, Path=/.
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SESSION_COOKIE_DOMAIN is None and production.CSRF_COOKIE_DOMAIN is None
    assert production.SESSION_COOKIE_PATH == "/" and production.CSRF_COOKIE_PATH == "/"
