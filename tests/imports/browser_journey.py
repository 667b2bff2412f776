"""A SENCO imports a file in a real browser: errors, preview, confirmation, each page
checked by axe-core, with no Content-Security-Policy violation.

Not collected here: the test needs the browser fixtures of tests/browser/conftest.py, whose
session-wide Chromium cannot be started twice in one run. tests/browser/test_imports.py
imports it, and pytest runs it there with those fixtures.
"""

import pytest
from playwright.sync_api import expect

from core.roles import Role
from pupils.models import Pupil
from tests.browser.test_pages import blocking_violations, describe
from tests.factories import MembershipFactory, SchoolClassFactory
from tests.imports.files import pupils_csv


@pytest.mark.browser  # on the function: it is collected from another module
def test_senco_checks_corrects_and_imports_a_file(page, live_server, login, tmp_path):
    senco = MembershipFactory(role=Role.SENCO, user__username="sam.senco")
    SchoolClassFactory(school=senco.school, name="4 Oak", year_group=4)
    bad, good = tmp_path / "pupils-bad.csv", tmp_path / "pupils.csv"
    bad.write_bytes(pupils_csv().replace(b"2015-11-30", b"31/02/2016"))
    good.write_bytes(pupils_csv())
    found = []

    def check(label):
        page.wait_for_load_state("load")
        found.extend(describe(label, page.url, v) for v in blocking_violations(page))

    login(page, "sam.senco")
    page.goto(f"{live_server.url}/imports/")
    check("import page")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the pupils template (CSV)").click()
    assert download.value.suggested_filename == "sendtrack-pupils-template.csv"

    page.get_by_label("File to check").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("Nothing has been imported.")).to_be_visible()
    expect(page.get_by_role("cell", name="31/02/2016 is not a real date", exact=False)).to_be_visible()
    check("preview with errors")

    page.get_by_label("File to check").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("3 new pupils")).to_be_visible()
    assert not Pupil.objects.exists()
    check("preview before confirmation")

    page.get_by_role("button", name="Confirm import").click()
    expect(page.get_by_text("pupils.csv was imported: 3 new, 0 updated, 0 unchanged.")).to_be_visible()
    check("import done")
    assert Pupil.objects.filter(school=senco.school).count() == 3

    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(found)
    assert not page.log.csp_messages, "CSP violations:\n" + "\n".join(page.log.csp_messages)
    assert not page.log.page_errors, page.log.page_errors
