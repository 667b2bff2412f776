"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live_server.

No browser is ever downloaded: the tests launch /usr/bin/chromium (apt-get install chromium).
Where it is missing the tests are skipped on a developer's machine and fail under CI, so a CI
machine without Chromium cannot pass by running nothing.

Every page opened through the `page` fixture records the requests it makes, the responses it
gets and its console messages, so the tests can check that nothing leaves the origin and that
the Content-Security-Policy blocks nothing the app itself needs.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000
PASSWORD = "correct horse battery"  # tests/factories.py UserFactory

# Chromium reports a blocked resource on the console as "... violates the following Content
# Security Policy directive ...". The init script below also turns each
# securitypolicyviolation event into a console message with the same words, so a violation is
# caught whatever wording the browser uses. Init scripts run through the DevTools protocol and
# are not themselves subject to the page's CSP.
CSP_MARKER = "Content Security Policy"
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    "Content Security Policy violation: " + event.violatedDirective
    + " blocked " + (event.blockedURI || "inline")
    + " at " + event.sourceFile + ":" + event.lineNumber
  );
});
"""


def _ci():
    return bool(os.environ.get("CI", "").strip())


MISSING = (
    f"{CHROMIUM} is missing: install Debian's Chromium with "
    "`apt-get install -y chromium chromium-driver` (never `playwright install`)."
)


def pytest_runtest_setup(item):
    if item.get_closest_marker("browser") and not CHROMIUM.exists() and not _ci():
        pytest.skip(MISSING)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item):
    # Under CI a missing browser is a failure of the test itself, not a skip nor a setup error.
    if item.get_closest_marker("browser") and not CHROMIUM.exists() and _ci():
        pytest.fail(f"CI is set and the browser tests cannot run: {MISSING}", pytrace=False)


@pytest.fixture(scope="session")
def chromium_browser():
    if not CHROMIUM.exists():
        if not _ci():
            pytest.skip(MISSING)
        yield None  # pytest_runtest_call fails the test
        return
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an asyncio event loop in this thread; Django refuses ORM calls
    # from a thread with a running loop unless told that this is deliberate. Set here, before
    # the loop starts, so that runs without the browser keep Django's check.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageLog:
    requests: list = field(default_factory=list)
    responses: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    console: list = field(default_factory=list)
    page_errors: list = field(default_factory=list)

    @property
    def csp_messages(self):
        return [text for text in self.console if CSP_MARKER.lower() in text.lower()]


@pytest.fixture
def page(chromium_browser, live_server, transactional_db_with_migration_data):
    """A fresh browser context (no cookies) and page, with a log of what the page did."""
    if chromium_browser is None:
        yield None
        return
    context = chromium_browser.new_context(viewport=VIEWPORT, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(CSP_LISTENER)
    log = PageLog()
    context.on("request", lambda request: log.requests.append(request.url))
    context.on("response", lambda response: log.responses.append((response.status, response.url)))
    context.on("requestfailed", lambda request: log.failed.append((request.url, request.failure)))
    page = context.new_page()
    page.on("console", lambda message: log.console.append(f"[{message.type}] {message.text}"))
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    page.log = log
    try:
        yield page
    finally:
        context.close()


def authenticator_code(username):
    """The current code of the user's authenticator app. A user who has none is given one first
    (as if they had set it up), since every role that opens pupil records must have one. A code
    is accepted once: a second sign-in within the same 30 seconds takes the next step's code,
    which the app would show moments later and django-otp accepts within its tolerance."""
    import time

    from django.contrib.auth import get_user_model
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Browser test app", confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if device.last_t >= totp.t():
        totp.time += (device.last_t - totp.t() + 1) * device.step
    return f"{totp.token():06d}"


@pytest.fixture
def login(live_server):
    """Log in through the real form, so that django-axes sees a real request, then give the
    authenticator app's code on the real code page."""
    from playwright.sync_api import expect

    def do_login(page, username, password=PASSWORD):
        code = authenticator_code(username)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.get_by_role("button", name="Log in", exact=True).click()
        page.wait_for_load_state()
        expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
        page.fill("#id_token", code)
        page.get_by_role("button", name="Continue", exact=True).click()
        page.wait_for_load_state()
        expect(page.get_by_role("button", name=username, exact=True)).to_be_visible()
        return page

    return do_login
