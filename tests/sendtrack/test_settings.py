"""What each settings module installs: the demo generator and benchmarks stay out of production."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def installed_apps(module):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": module,
        "SECRET_KEY": "s" * 60,
        "ALLOWED_HOSTS": "sendtrack.example.org",
    }
    code = "import django; django.setup(); from django.apps import apps; print(*apps.app_configs)"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_production_leaves_out_the_demo_and_its_commands():
    apps = installed_apps("sendtrack.settings.production")
    assert "demo" not in apps
    assert {"core", "pupils", "reports", "overview", "accounts"} <= set(apps)
    # Without the app, manage.py has no seed_demo or benchmark command.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sendtrack.settings.production", "SECRET_KEY": "s" * 60}
    listed = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "help", "--commands"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout.split()
    assert "migrate" in listed and "backup" in listed
    assert "seed_demo" not in listed and "benchmark" not in listed


def test_development_and_tests_keep_the_demo():
    assert "demo" in settings.INSTALLED_APPS  # these tests run under sendtrack.settings.test
    assert "demo" in installed_apps("sendtrack.settings.dev")
