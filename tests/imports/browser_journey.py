"""A SENCO imports a file in a real browser: errors, preview, confirmation, each page
checked by axe-core, with no Content-Security-Policy violation.

Not collected here: the test needs the browser fixtures of tests/browser/conftest.py, whose
session-wide Chromium cannot be started twice in one run. tests/browser/test_imports.py
imports it, and pytest runs it there with those fixtures.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from core.roles import Role
from pupils.models import Pupil
from tests.browser.test_pages import blocking_violations, describe
from tests.factories import MembershipFactory, SchoolClassFactory
from tests.imports.files import pupils_csv

CTF_DATA = Path(__file__).parent / "data" / "ctf"


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


@pytest.mark.browser
def test_senco_imports_a_common_transfer_file_chooses_and_sends_one_on(page, live_server, login):
    """The CTF's preview, its tick boxes and the export page, checked by axe-core."""
    senco = MembershipFactory(role=Role.SENCO, user__username="sam.senco")
    found = []

    def check(label):
        page.wait_for_load_state("load")
        found.extend(describe(label, page.url, v) for v in blocking_violations(page))

    login(page, "sam.senco")
    page.goto(f"{live_server.url}/imports/")
    page.get_by_label("File to check").set_input_files(str(CTF_DATA / "gryphon_y7_partial_ctf19.xml"))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("The check letter of this UPN is wrong", exact=False)).to_be_visible()
    check("CTF refused")

    page.get_by_label("File to check").set_input_files(str(CTF_DATA / "full_three_pupils_ctf19.xml"))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("3 new pupils")).to_be_visible()
    check("CTF preview")
    page.get_by_role("button", name="Confirm import").click()
    expect(page.get_by_text("was imported: 3 new, 0 updated, 0 unchanged.", exact=False)).to_be_visible()

    page.goto(f"{live_server.url}/imports/")
    page.get_by_label("File to check").set_input_files(str(CTF_DATA / "partial_update_ctf19.xml"))
    page.get_by_role("button", name="Check the file").click()
    box = page.get_by_label("Take the file's Year group: Year 6 → Year 7")
    expect(box).to_be_checked()
    check("CTF preview with a choice")
    box.uncheck()
    page.get_by_role("button", name="Confirm import").click()
    expect(page.get_by_text("1 updated, 1 unchanged", exact=False)).to_be_visible()
    ben = Pupil.objects.get(school=senco.school, upn="N999000018002")
    assert ben.year_group == 6 and ben.sen_status == "K"

    page.goto(f"{live_server.url}/imports/ctf-export/")
    check("CTF export page")
    page.get_by_label("Okafor, Ben (Year 6, N999000018002)").check()
    page.get_by_label("This school's LA number").fill("999")
    page.get_by_label("This school's establishment number").fill("2002")
    page.get_by_label("Destination LA number").fill("999")
    page.get_by_label("Destination establishment number").fill("4001")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the CTF and PDF (zip)").click()
    assert download.value.suggested_filename.startswith("9992002_CTF_9994001_")

    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(found)
    assert not page.log.csp_messages, "CSP violations:\n" + "\n".join(page.log.csp_messages)
    assert not page.log.page_errors, page.log.page_errors
