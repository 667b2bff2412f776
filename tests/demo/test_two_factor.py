"""The demo logins sign in with the demo key's code: `demo_code` gives what an authenticator app
holding the printed key shows, and the benchmarks sign in through the real code page with it."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.generator import build_demo
from demo.two_factor import demo_secret, sign_in_demo_client
from tests.signing_in import _password_only_login, renew_idle_cookie

pytestmark = pytest.mark.django_db


def test_every_demo_login_has_the_demo_key_and_its_code_is_accepted(monkeypatch, capsys):
    from base64 import b32decode

    demo = build_demo(pupils=7, seed=1)
    users = demo["users"]
    devices = TOTPDevice.objects.filter(user__in=users.values(), confirmed=True)
    assert devices.count() == len(users) == 7
    # The key printed for an app is the devices' key in base32 (RFC 4648, without padding).
    assert {device.bin_key for device in devices} == {
        b32decode(demo_secret() + "=" * (-len(demo_secret()) % 8))
    }
    # Through the real pages: the password session is sent to the code page until the code is given.
    monkeypatch.setattr(Client, "_login", _password_only_login)
    client = sign_in_demo_client(Client(), users["senco"])
    assert client.get(reverse("pupils:list")).status_code == 200
    unverified = Client()
    unverified.force_login(users["head"])
    renew_idle_cookie(unverified)
    assert unverified.get(reverse("pupils:list"))["Location"].startswith(reverse("accounts:verify"))
    call_command("demo_code")
    printed = capsys.readouterr().out
    assert len(printed.split()[0]) == 6 and printed.split()[0].isdigit()
