"""Two-factor authentication is enforced for every role that opens pupil records (the role
policy's "pupil.view") and for administrators; with backup codes, an administrator's reset,
sessions ended when it is turned on, the idle timeout, and password change and reset."""

import re
import time

import pytest
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import IDLE_SALT
from accounts.models import AccountEvent, UserSession
from core import policy
from core.roles import Role
from tests.accounts.test_two_factor import PASSWORD, code, log_in, turn_on, unthrottle
from tests.factories import MembershipFactory, UserFactory
from tests.signing_in import sign_in_with_password_only

pytestmark = pytest.mark.django_db

PUPIL_ROLES = sorted(policy.roles_for("pupil.view"))


def codes_shown(response):
    return re.findall(
        r'<span class="border rounded px-2 py-1 d-inline-block">(\w+)</span>', response.content.decode()
    )


@pytest.mark.parametrize("role", PUPIL_ROLES)
def test_every_role_that_opens_pupil_records_must_set_it_up_first(client, school, role):
    member = MembershipFactory(school=school, role=role)
    log_in(client, member.user)
    for url in (reverse("home"), reverse("sen_register"), reverse("accounts:password_change")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:two_factor")), url
    page = client.get(reverse("accounts:two_factor"))
    assert page.status_code == 200
    assert "set up two-factor authentication to carry on" in page.content.decode()
    assert not TOTPDevice.objects.exists()  # opening the page stored nothing
    assert client.post(reverse("logout")).status_code == 302  # logging out is always open


def test_the_roles_are_the_policys(school):
    """The roles asked for two-factor are exactly those that open pupil records."""
    assert set(PUPIL_ROLES) == {Role.SENCO, Role.HEAD, Role.TEACHER, Role.TEACHING_ASSISTANT}


@pytest.mark.parametrize("role", [Role.GOVERNOR, Role.TRUST_LEAD])
def test_figures_only_roles_may_choose(client, school, role):
    member = MembershipFactory(school=school, role=role)
    log_in(client, member.user)
    assert client.get(reverse("sen_register")).status_code == 200


def test_an_administrator_must_set_it_up_and_the_admin_site_needs_it(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    log_in(client, admin)
    response = client.get(reverse("admin:index"))
    assert response["Location"].startswith(reverse("accounts:two_factor"))
    turn_on(client, admin)
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_site_refuses_a_session_without_a_second_factor(client):
    """Even where two-factor is not enforced by the middleware, the admin site asks for it."""
    admin = UserFactory(is_staff=True, is_superuser=True)
    sign_in_with_password_only(client, admin)
    session = client.session
    session["two_factor_required"] = False  # as if the middleware had let it through
    session["two_factor_on"] = False
    session.save()
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("admin:login"))
    assert response.status_code == 403


def test_the_admin_login_is_the_sites_own(client, db):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_setting_can_turn_the_requirement_off(client, senco, settings):
    settings.TWO_FACTOR_REQUIRED = False
    log_in(client, senco.user)
    assert client.get(reverse("pupils:list")).status_code == 200


def test_backup_codes_are_shown_once_and_each_signs_in_once(client, senco):
    log_in(client, senco.user)
    secret_page = client.get(reverse("accounts:two_factor")).content.decode()
    secret = secret_page.split('<code class="user-select-all">')[1].split("<")[0]
    from tests.accounts.test_two_factor import first_code

    shown = client.post(reverse("accounts:two_factor"), {"token": first_code(secret), "action": "enable"})
    codes = codes_shown(shown)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(codes)
    # Never shown again: the status page counts them only.
    status = client.get(reverse("accounts:two_factor")).content.decode()
    assert not any(c in status for c in codes)
    assert "<strong>10</strong> unused backup codes" in status

    client.post(reverse("logout"))
    log_in(client, senco.user)
    used = client.post(reverse("accounts:verify"), {"token": codes[0].upper(), "next": "/pupils/"})
    assert used.status_code == 302 and used["Location"] == "/pupils/"
    assert client.get(reverse("pupils:list")).status_code == 200
    assert StaticToken.objects.count() == 9
    assert AccountEvent.objects.filter(user=senco.user, kind=AccountEvent.Kind.BACKUP_CODE_USED).count() == 1

    client.post(reverse("logout"))
    log_in(client, senco.user)
    assert client.post(reverse("accounts:verify"), {"token": codes[0]}).status_code == 400


def test_new_backup_codes_replace_the_old(client, senco):
    log_in(client, senco.user)
    turn_on(client, senco.user)
    old = set(StaticToken.objects.values_list("token", flat=True))
    renewed = client.post(reverse("accounts:two_factor"), {"action": "backup_codes"})
    new = set(codes_shown(renewed))
    assert len(new) == 10 and not new & old
    assert set(StaticToken.objects.values_list("token", flat=True)) == new


def test_turning_it_on_ends_the_users_other_sessions(senco):
    here, elsewhere = Client(), Client()
    log_in(here, senco.user)
    log_in(elsewhere, senco.user)
    other_governor = MembershipFactory(role=Role.GOVERNOR)
    unrelated = Client()
    log_in(unrelated, other_governor.user)
    assert UserSession.objects.filter(user=senco.user).count() == 2
    turn_on(here, senco.user)
    # The other session is gone: its next request is sent to sign in.
    response = elsewhere.get(reverse("pupils:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert here.get(reverse("pupils:list")).status_code == 200
    assert unrelated.get(reverse("sen_register")).status_code == 200  # nobody else is signed out
    assert AccountEvent.objects.filter(user=senco.user, kind=AccountEvent.Kind.TWO_FACTOR_ON).count() == 1


def test_the_administrator_resets_a_lost_phone(client, senco):
    phone_owner = Client()
    log_in(phone_owner, senco.user)
    turn_on(phone_owner, senco.user)
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [senco.user.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=senco.user).exists()
    assert not StaticToken.objects.filter(device__user=senco.user).exists()
    assert not UserSession.objects.filter(user=senco.user).exists()
    event = AccountEvent.objects.get(user=senco.user, kind=AccountEvent.Kind.TWO_FACTOR_RESET)
    assert event.by == admin
    assert LogEntry.objects.filter(object_id=str(senco.user.pk), user=admin).exists()
    # Signed out everywhere; at the next sign-in, a new app is set up before anything else.
    assert phone_owner.get(reverse("pupils:list"))["Location"].startswith(reverse("login"))
    log_in(phone_owner, senco.user)
    assert phone_owner.get(reverse("pupils:list"))["Location"].startswith(reverse("accounts:two_factor"))


def test_changing_the_password_ends_the_other_sessions(client, senco):
    here, elsewhere = Client(), Client()
    here.force_login(senco.user)
    elsewhere.force_login(senco.user)
    response = here.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a brand new phrase 42",
            "new_password2": "a brand new phrase 42",
        },
    )
    assert response.status_code == 302
    assert here.get(reverse("pupils:list")).status_code == 200
    assert elsewhere.get(reverse("pupils:list"))["Location"].startswith(reverse("login"))
    assert AccountEvent.objects.filter(user=senco.user, kind=AccountEvent.Kind.PASSWORD_CHANGED).exists()


def test_a_password_is_reset_by_e_mail_and_every_session_ends(client, senco):
    senco.user.email = "senco@oakfield.example"
    senco.user.save()
    elsewhere = Client()
    elsewhere.force_login(senco.user)
    sent = client.post(reverse("accounts:password_reset"), {"email": "senco@oakfield.example"})
    assert sent.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)[1]
    form_page = client.get(link, follow=True)
    assert "Set a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "reset phrase for 2026", "new_password2": "reset phrase for 2026"},
    )
    assert done.status_code == 302
    assert elsewhere.get(reverse("pupils:list"))["Location"].startswith(reverse("login"))
    assert get_user_model().objects.get(pk=senco.user.pk).check_password("reset phrase for 2026")
    assert AccountEvent.objects.filter(user=senco.user, kind=AccountEvent.Kind.PASSWORD_RESET).exists()
    # An unknown address is told the same, and nothing is sent.
    client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert len(mail.outbox) == 1


def idle_cookie_from(seconds_ago):
    signer = signing.TimestampSigner(salt=IDLE_SALT)
    real_time = time.time
    try:
        time.time = lambda: real_time() - seconds_ago
        return signer.sign("active")
    finally:
        time.time = real_time


def test_an_idle_session_ends_on_the_server_without_any_script(client, senco):
    client.force_login(senco.user)
    assert settings.IDLE_TIMEOUT == 30 * 60  # the default
    client.cookies[settings.IDLE_COOKIE_NAME] = idle_cookie_from(29 * 60)
    fresh = client.get(reverse("pupils:list"))
    assert fresh.status_code == 200
    # The response renewed the cookie, for the full timeout.
    assert fresh.cookies[settings.IDLE_COOKIE_NAME]["max-age"] == 30 * 60
    client.cookies[settings.IDLE_COOKIE_NAME] = idle_cookie_from(31 * 60)
    idle = client.get(reverse("pupils:list"))
    assert idle.status_code == 302 and idle["Location"].startswith(reverse("login"))
    assert not UserSession.objects.filter(user=senco.user).exists()
    login_page = client.get(idle["Location"]).content.decode()
    assert "signed out after 30 minutes without activity" in login_page


@pytest.mark.parametrize("value", [None, "forged", "active:1:abc"])
def test_a_missing_or_forged_activity_cookie_ends_the_session(client, senco, value):
    client.force_login(senco.user)
    if value is None:
        del client.cookies[settings.IDLE_COOKIE_NAME]
    else:
        client.cookies[settings.IDLE_COOKIE_NAME] = value
    assert client.get(reverse("pupils:list"))["Location"].startswith(reverse("login"))


def test_the_timeout_is_a_setting_and_the_page_carries_the_warning(client, senco, settings):
    settings.IDLE_TIMEOUT = 10 * 60
    client.force_login(senco.user)
    page = client.get(reverse("pupils:list")).content.decode()
    assert 'data-idle-seconds="600"' in page and 'data-idle-warning="120"' in page
    assert 'id="idle-warning"' in page and "js/idle.js" in page
    client.cookies[settings.IDLE_COOKIE_NAME] = idle_cookie_from(11 * 60)
    assert client.get(reverse("pupils:list"))["Location"].startswith(reverse("login"))


def test_staying_signed_in_renews_the_cookie_and_writes_nothing(client, senco):
    client.force_login(senco.user)
    before = list(UserSession.objects.values_list("session_key", "session_data", "expire_date"))
    response = client.get(reverse("accounts:idle"))
    assert response.json() == {"signed_in": True, "seconds_left": 30 * 60}
    assert settings.IDLE_COOKIE_NAME in response.cookies
    assert list(UserSession.objects.values_list("session_key", "session_data", "expire_date")) == before


def test_a_wrong_code_on_the_verify_page_keeps_the_gate_shut(client, senco):
    log_in(client, senco.user)
    device = turn_on(client, senco.user)
    client.post(reverse("logout"))
    log_in(client, senco.user)
    assert client.post(reverse("accounts:verify"), {"token": "not-a-code"}).status_code == 400
    assert client.get(reverse("accounts:password_change"))["Location"].startswith(reverse("accounts:verify"))
    unthrottle(device)
    assert client.post(reverse("accounts:verify"), {"token": code(device, offset=1)}).status_code == 302
    assert client.get(reverse("accounts:password_change")).status_code == 200


def test_signing_in_needs_the_password_first(client, senco):
    """The set-up page is for a signed-in user only."""
    response = client.get(reverse("accounts:two_factor"))
    assert response["Location"].startswith(reverse("login"))
    assert (
        client.post(reverse("login"), {"username": senco.user.username, "password": "wrong"}).status_code
        == 200
    )


def test_an_administrator_who_lost_their_own_phone_is_reset_from_the_server(client):
    from django.core.management import CommandError, call_command

    admin = UserFactory(username="head-admin", is_staff=True, is_superuser=True)
    log_in(client, admin)
    turn_on(client, admin)
    call_command("reset_two_factor", "head-admin", "--reason", "phone lost on a trip")
    assert not TOTPDevice.objects.filter(user=admin).exists()
    assert not UserSession.objects.filter(user=admin).exists()
    event = AccountEvent.objects.get(user=admin, kind=AccountEvent.Kind.TWO_FACTOR_RESET)
    assert event.by is None and "command line" in event.note and "phone lost" in event.note
    with pytest.raises(CommandError, match="no user"):
        call_command("reset_two_factor", "nobody")
