"""Failed sign-ins are throttled per username (from any address) and per address (across
usernames), and the throttle cannot be used to lock someone out: a held username still signs
in with the right password and a code from its authenticator app (or a backup code), and a
hold ends by itself after a short delay.

Found: the limit was on one username from one address only, so 80 wrong passwords across 20
usernames from one address went through; and behind the reverse proxy every user shared the
proxy's address, so five wrong passwords for the head made the head's right password get 429.
The client's address is now taken from X-Forwarded-For only when the request comes from a
proxy named in settings.TRUSTED_PROXIES.
"""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.throttling import client_address
from core.roles import Role
from tests.accounts.test_two_factor import PASSWORD, code
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
ATTACKER = "203.0.113.66"
HEAD_AT_SCHOOL = "198.51.100.7"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY]


def sign_in(client, username, password, *, address=None, proxy=None, token=None):
    data = {"username": username, "password": password}
    if token:
        data["token"] = token
    meta = {"REMOTE_ADDR": proxy or address or "127.0.0.1"}
    if proxy:
        meta["HTTP_X_FORWARDED_FOR"] = address
    return client.post(reverse("login"), data, **meta)


def with_app(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def test_many_usernames_from_one_address_are_blocked(db):
    """80 wrong passwords across 20 usernames, 4 each (under the per-username limit of 5), from
    one address: the address is held once it reaches its own limit (30), and the rest refused."""
    users = [UserFactory() for _ in range(20)]
    client = Client()
    statuses = [
        sign_in(client, user.username, "wrong guess", address=ATTACKER).status_code
        for _ in range(4)
        for user in users
    ]
    assert statuses.count(429) >= 80 - 30
    assert 429 in statuses[:31]
    # Every further try from there is refused, the right password of a user without an app too.
    assert sign_in(client, users[0].username, PASSWORD, address=ATTACKER).status_code == 429
    # Another address is not held.
    assert sign_in(Client(), users[0].username, PASSWORD, address=HEAD_AT_SCHOOL).status_code == 302


def test_one_username_from_many_addresses_is_held(db):
    user = UserFactory()
    for n in range(5):
        sign_in(Client(), user.username, "wrong guess", address=f"203.0.113.{n + 1}")
    assert sign_in(Client(), user.username, "still wrong", address="203.0.113.99").status_code == 429


def test_wrong_passwords_for_the_head_through_the_proxy_do_not_lock_the_head_out(behind_proxy, school):
    head = MembershipFactory(school=school, role=Role.HEAD).user
    device = with_app(head)
    for _ in range(5):
        sign_in(Client(), head.username, "wrong guess", address=ATTACKER, proxy=PROXY)
    # The attacker's address is the one counted, not the proxy's.
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    # The head's username is held: the password alone is not enough now...
    client = Client()
    held = sign_in(client, head.username, PASSWORD, address=HEAD_AT_SCHOOL, proxy=PROXY)
    assert held.status_code == 429
    page = held.content.decode()
    assert "code from your authenticator app" in page and 'name="token"' in page
    # ...but the right password with a code from the head's app signs the head straight in.
    signed_in = sign_in(
        client, head.username, PASSWORD, address=HEAD_AT_SCHOOL, proxy=PROXY, token=code(device)
    )
    assert signed_in.status_code == 302
    assert client.get(reverse("pupils:list")).status_code == 200  # the code counted as the second factor


def test_a_held_username_needs_both_right(behind_proxy, school):
    head = MembershipFactory(school=school, role=Role.HEAD).user
    device = with_app(head)
    for _ in range(5):
        sign_in(Client(), head.username, "wrong guess", address=ATTACKER, proxy=PROXY)
    wrong_password = sign_in(
        Client(), head.username, "wrong", address=ATTACKER, proxy=PROXY, token=code(device)
    )
    wrong_code = sign_in(Client(), head.username, PASSWORD, address=ATTACKER, proxy=PROXY, token="000000")
    assert wrong_password.status_code == wrong_code.status_code == 429
    # The same words either way: a held sign-in does not tell which half was wrong.
    message = "Too many failed sign-ins"
    assert message in wrong_password.content.decode() and message in wrong_code.content.decode()


def test_a_hold_ends_by_itself_after_a_short_delay(db, settings):
    user = UserFactory()
    for _ in range(5):
        sign_in(Client(), user.username, "wrong guess", address=ATTACKER)
    assert sign_in(Client(), user.username, PASSWORD, address=HEAD_AT_SCHOOL).status_code == 429
    later = timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=later)
    assert datetime.timedelta(minutes=10) >= settings.AXES_COOLOFF_TIME
    assert sign_in(Client(), user.username, PASSWORD, address=HEAD_AT_SCHOOL).status_code == 302


def test_a_right_password_clears_only_that_usernames_failures(db):
    """A success must not wipe the address's count: else an attacker with one account of their
    own could sign into it between guesses at everyone else's."""
    mine, theirs = UserFactory(), UserFactory()
    for _ in range(4):
        sign_in(Client(), theirs.username, "guess", address=ATTACKER)
    assert sign_in(Client(), mine.username, PASSWORD, address=ATTACKER).status_code == 302
    assert AccessAttempt.objects.filter(username=theirs.username).exists()


class FakeRequest:
    def __init__(self, remote, forwarded=None):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


def test_the_forwarded_address_is_believed_only_from_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_address(FakeRequest("10.0.0.2", ATTACKER)) == ATTACKER
    # The right-most address not a trusted proxy: what the client wrote on the left is not believed.
    assert client_address(FakeRequest("10.0.0.2", f"1.2.3.4, {ATTACKER}, 10.0.0.9")) == ATTACKER
    # From anywhere else the header is ignored: a client cannot name its own address.
    assert client_address(FakeRequest(ATTACKER, "1.2.3.4")) == ATTACKER
    assert client_address(FakeRequest("10.0.0.2", "not an address")) == "10.0.0.2"
    settings.TRUSTED_PROXIES = []
    assert client_address(FakeRequest("10.0.0.2", ATTACKER)) == "10.0.0.2"
