import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError
from django.urls import reverse

from core.roles import Role
from pupils.models import PupilQuerySet

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_failed_logins_are_throttled(client, senco):
    url = reverse("login")
    for _ in range(4):
        response = client.post(url, {"username": senco.user.username, "password": "wrong"})
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
    # The fifth failure locks the username; then even the right password is refused.
    assert client.post(url, {"username": senco.user.username, "password": "x"}).status_code == 429
    response = client.post(url, {"username": senco.user.username, "password": "correct horse battery"})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_with_right_password_works(client, senco):
    response = client.post(
        reverse("login"), {"username": senco.user.username, "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(senco.user.pk)


def test_passwords_are_hashed_with_argon2_outside_tests():
    from sendtrack.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_pages_carry_a_strict_content_security_policy(senco_client):
    response = senco_client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "http" not in policy  # no third-party origin
    assert response["X-Frame-Options"] == "DENY"


def test_no_template_loads_from_another_origin():
    offenders = [
        str(path)
        for path in (ROOT / "templates").rglob("*.html")
        if "//"
        in "".join(line for line in path.read_text().splitlines() if "<script" in line or "<link" in line)
    ]
    assert offenders == []


def test_lost_database_connection_gives_clean_page_then_recovers(client, world, monkeypatch):
    client.force_login(world["A"].members[Role.SENCO].user)

    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    with monkeypatch.context() as patch:
        patch.setattr(PupilQuerySet, "for_membership", broken)
        response = client.get(reverse("pupils:list"))
    assert response.status_code == 503
    assert "briefly unavailable" in response.content.decode()
    assert client.get(reverse("pupils:list")).status_code == 200


def test_admin_is_for_administrators_only(client, world):
    client.force_login(world["A"].members[Role.HEAD].user)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_production_settings_pass_the_deployment_checklist():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sendtrack.settings.production",
        "SECRET_KEY": "x" * 20 + "-production-like-secret-key-for-the-check-only-0123456789",
        "ALLOWED_HOSTS": "sendtrack.example.org",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_a_missing_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sendtrack.settings.production"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
