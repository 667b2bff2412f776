"""Signing in as a real browser does: a teacher with no authenticator app is taken to set one
up, sees the backup codes once, changes the password; the idle warning appears and "Stay signed
in" keeps the session. Every page free of serious accessibility violations and CSP violations."""

import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from core.roles import Role
from tests.browser.conftest import PASSWORD
from tests.browser.test_pages import blocking_violations, describe, username

pytestmark = pytest.mark.browser


def code_from(secret):
    key = b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key, 30, 0, 6, 0)
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_a_teacher_sets_up_two_factor_then_changes_the_password(page, live_server, world):
    found = []

    def check(label):
        found.extend(describe(label, page.url, v) for v in blocking_violations(page))

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username(world, "A", Role.TEACHER))
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("heading", name="Two-factor authentication")).to_be_visible()
    check("set-up")
    # Anything else sends the teacher back here.
    page.goto(f"{live_server.url}/pupils/")
    expect(page.get_by_role("heading", name="Two-factor authentication")).to_be_visible()

    page.fill("#id_token", code_from(page.inner_text("code.user-select-all")))
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("heading", name="Your backup codes")).to_be_visible()
    assert page.locator(".backup-codes li").count() == 10
    check("backup codes")
    page.get_by_role("link", name="I have kept my codes: carry on").click()
    page.goto(f"{live_server.url}/pupils/")
    expect(page.get_by_role("heading", name="Pupils")).to_be_visible()

    page.get_by_role("button", name=username(world, "A", Role.TEACHER), exact=True).click()
    page.get_by_role("link", name="Change password").click()
    check("password change")
    page.fill("#id_old_password", PASSWORD)
    page.fill("#id_new_password1", "a longer school phrase 7")
    page.fill("#id_new_password2", "a longer school phrase 7")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", name="Password changed")).to_be_visible()
    assert not page.log.csp_messages, page.log.csp_messages
    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(found)


def test_the_idle_warning_appears_and_staying_keeps_the_session(page, live_server, login, world, settings):
    settings.IDLE_TIMEOUT = 124  # the warning (two minutes before the end) shows after 4 seconds
    login(page, username(world, "A", Role.SENCO))
    warning = page.get_by_role("alertdialog")
    expect(warning).to_be_visible(timeout=8000)
    expect(warning).to_contain_text("You will be signed out in")
    found = [describe("idle warning", page.url, v) for v in blocking_violations(page)]
    with page.expect_response(lambda response: "/accounts/session/" in response.url) as answered:
        warning.get_by_role("button", name="Stay signed in").click()
    assert answered.value.status == 200
    expect(warning).to_be_hidden()
    page.goto(f"{live_server.url}/pupils/")
    expect(page.get_by_role("heading", name="Pupils")).to_be_visible()
    assert not page.log.csp_messages, page.log.csp_messages
    assert not found, "\n".join(found)
