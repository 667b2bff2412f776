import pytest


@pytest.fixture(autouse=True)
def rollup_refresh_inline(settings):
    """The rollup is refreshed in the request once a change commits (test settings turn it off
    for every other app's tests)."""
    settings.ROLLUP_REFRESH = "inline"
