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


def turn_on(client, user):
    page = client.get(reverse("accounts:two_factor"))
    assert "Off" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:two_factor"), {"token": code(device), "action": "enable"})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
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


def test_a_user_without_two_factor_is_never_asked(client, senco):
    log_in(client, senco.user)
    assert client.get(reverse("pupils:list")).status_code == 200


def test_repeated_wrong_codes_are_throttled(client, senco):
    log_in(client, senco.user)
    device = turn_on(client, senco.user)
    client.post(reverse("logout"))
    log_in(client, senco.user)
    for _ in range(3):
        client.post(reverse("accounts:verify"), {"token": "123456"})
    # Even the right code is refused while the throttle holds.
    assert client.post(reverse("accounts:verify"), {"token": code(device)}).status_code == 400


def test_turning_off_needs_a_current_code(client, senco):
    log_in(client, senco.user)
    device = turn_on(client, senco.user)
    refused = client.post(reverse("accounts:two_factor"), {"token": "123456", "action": "disable"})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=senco.user, confirmed=True).exists()
    unthrottle(device)
    done = client.post(reverse("accounts:two_factor"), {"token": code(device, offset=1), "action": "disable"})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=senco.user).exists()


def test_verify_never_redirects_to_another_site(client, senco):
    log_in(client, senco.user)
    device = turn_on(client, senco.user)
    client.post(reverse("logout"))
    log_in(client, senco.user)
    response = client.post(
        reverse("accounts:verify"), {"token": code(device, offset=1), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
