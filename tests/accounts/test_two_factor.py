from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "correct horse battery"  # tests/factories.py UserFactory

pytestmark = pytest.mark.django_db


def code(device, offset=0):
    """The device's code for this 30-second step, or for a later one: a code once accepted is
    never accepted again, so a second sign-in in the same test uses the next step's code, which
    django-otp accepts within its tolerance of one step."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def unthrottle(device):
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()


def log_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def offered_secret(client):
    """The base32 secret the set-up page shows for typing into an app."""
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "Scan this code" in page
    return page.split('<code class="user-select-all">')[1].split("<")[0]


def first_code(secret, offset=0):
    key = b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, step=30, t0=0, digits=6, drift=offset):06d}"


def turn_on(client, user):
    secret = offered_secret(client)
    response = client.post(reverse("accounts:two_factor"), {"token": first_code(secret), "action": "enable"})
    assert response.status_code == 200
    assert "Your backup codes" in response.content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed
    assert b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    return device


def test_turning_on_then_each_sign_in_asks_for_a_code(client, senco):
    log_in(client, senco.user)
    page = client.get(reverse("accounts:two_factor")).content.decode()
    secret = page.split('<code class="user-select-all">')[1].split("<")[0]
    assert len(secret) == 32  # a 20-byte key in base32, as authenticator apps take it
    device = turn_on(client, senco.user)

    client.post(reverse("logout"))
    log_in(client, senco.user)
    response = client.get(reverse("pupils:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:verify"))

    wrong = client.post(reverse("accounts:verify"), {"token": "000000", "next": "/pupils/"})
    assert wrong.status_code == 400
    assert "not accepted" in wrong.content.decode()
    assert client.get(reverse("pupils:list")).status_code == 302

    unthrottle(device)  # the wrong guess above set a one-second throttle
    right = client.post(reverse("accounts:verify"), {"token": code(device, offset=1), "next": "/pupils/"})
    assert right.status_code == 302
    assert right["Location"] == "/pupils/"
    assert client.get(reverse("pupils:list")).status_code == 200


def test_a_governor_without_two_factor_is_never_asked(client, governor):
    """A governor opens no pupil record: two-factor is theirs to choose."""
    log_in(client, governor.user)
    assert client.get(reverse("sen_register")).status_code == 200


def test_repeated_wrong_codes_are_throttled(client, senco):
    log_in(client, senco.user)
    device = turn_on(client, senco.user)
    client.post(reverse("logout"))
    log_in(client, senco.user)
    for _ in range(3):
        client.post(reverse("accounts:verify"), {"token": "123456"})
    # Even the right code is refused while the throttle holds.
    assert client.post(reverse("accounts:verify"), {"token": code(device)}).status_code == 400


def test_turning_off_needs_a_current_code(client, governor):
    log_in(client, governor.user)
    device = turn_on(client, governor.user)
    refused = client.post(reverse("accounts:two_factor"), {"token": "123456", "action": "disable"})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=governor.user, confirmed=True).exists()
    unthrottle(device)
    done = client.post(reverse("accounts:two_factor"), {"token": code(device, offset=1), "action": "disable"})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=governor.user).exists()


def test_a_role_that_opens_pupil_records_cannot_turn_it_off(client, senco):
    log_in(client, senco.user)
    device = turn_on(client, senco.user)
    refused = client.post(
        reverse("accounts:two_factor"), {"token": code(device, offset=1), "action": "disable"}
    )
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=senco.user, confirmed=True).exists()


def test_verify_never_redirects_to_another_site(client, senco):
    log_in(client, senco.user)
    device = turn_on(client, senco.user)
    client.post(reverse("logout"))
    log_in(client, senco.user)
    response = client.post(
        reverse("accounts:verify"), {"token": code(device, offset=1), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_the_set_up_page_stores_nothing_until_the_first_code(client, senco):
    log_in(client, senco.user)
    secret = offered_secret(client)
    assert offered_secret(client) == secret  # reloading the page offers the same secret
    assert not TOTPDevice.objects.exists()
    wrong = "000000" if first_code(secret) != "000000" else "111111"
    refused = client.post(reverse("accounts:two_factor"), {"token": wrong, "action": "enable"})
    assert refused.status_code == 400
    assert not TOTPDevice.objects.exists()
    assert client.post(reverse("accounts:two_factor"), {"token": first_code(secret)}).status_code == 200
    assert TOTPDevice.objects.filter(user=senco.user, confirmed=True).count() == 1


def test_a_new_sign_in_offers_a_new_secret(client, senco):
    log_in(client, senco.user)
    secret = offered_secret(client)
    client.post(reverse("logout"))
    log_in(client, senco.user)
    assert offered_secret(client) != secret
    # The first session's secret is no longer the one being confirmed.
    response = client.post(reverse("accounts:two_factor"), {"token": first_code(secret)})
    assert response.status_code == 400
    assert not TOTPDevice.objects.exists()


def test_the_first_code_cannot_be_used_again_to_sign_in(client, senco):
    log_in(client, senco.user)
    secret = offered_secret(client)
    device = turn_on(client, senco.user)
    client.post(reverse("logout"))
    log_in(client, senco.user)
    # The code that confirmed the device, replayed in the same 30 seconds, is refused.
    assert client.post(reverse("accounts:verify"), {"token": first_code(secret)}).status_code == 400
    unthrottle(device)
    assert client.post(reverse("accounts:verify"), {"token": code(device, offset=1)}).status_code == 302


@pytest.mark.parametrize("next_url", ["x", "home", "https://evil.example/", "//evil.example/", ""])
def test_verify_sends_any_next_that_is_not_a_local_path_home(client, governor, next_url):
    """Found answering 500 for ?next=x: redirect() read the bare word as a URL name."""
    log_in(client, governor.user)
    response = client.get(reverse("accounts:verify"), {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("next_url", ["x", "https://evil.example/", "//evil.example/"])
def test_the_code_page_ignores_an_unsafe_next(client, senco, next_url):
    """With a device, the page asks for the code (never a 500) and, once it is given, goes home."""
    log_in(client, senco.user)
    device = turn_on(client, senco.user)
    client.post(reverse("logout"))
    log_in(client, senco.user)
    page = client.get(reverse("accounts:verify"), {"next": next_url})
    assert page.status_code == 200
    assert next_url not in page.content.decode().split('name="next"')[1][:60]
    response = client.post(reverse("accounts:verify"), {"token": code(device, offset=1), "next": next_url})
    assert response["Location"] == "/"
