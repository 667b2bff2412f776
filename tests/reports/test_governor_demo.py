"""The demo governor's SEF: page and PDF name no pupil of the demo school, by forename, surname or
initials, and governors reach the governor versions only."""

import re

import pytest
from django.urls import reverse

from demo.generator import build_demo
from pupils.models import Pupil
from reports.models import CaseStudy, SefSignOff
from tests.pdf import pdf_text
from tests.shared_rows import shared_rows

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Two-letter abbreviations the SEF prints on purpose (census need codes, groups, bands). A pupil
# whose initials are one of these cannot be told apart from the abbreviation, so it is skipped in
# the initials check; every other pair of initials must not appear as a word.
ABBREVIATIONS = {"PP", "PD", "HI", "VI", "OT", "EX", "KS", "UK", "PE"}


@shared_rows
def demo():
    return build_demo(pupils=60)


def words(text):
    return set(re.findall(r"[A-Za-z']+", text))


def assert_names_no_pupil(text, pupils):
    present = words(text)
    for pupil in pupils:
        for name in {pupil.legal_forename, pupil.preferred_forename, pupil.legal_surname} - {""}:
            assert name not in present, f"{name} appears"
        if pupil.initials not in ABBREVIATIONS:
            assert pupil.initials not in present, f"initials {pupil.initials} appear"
            assert f"{pupil.initials[0]}.{pupil.initials[1]}." not in text


def test_demo_governor_pages_and_pdfs_name_no_pupil(client, demo):
    school = demo["schools"][0].school
    pupils = list(Pupil.objects.filter(school=school))
    assert len(pupils) == 60
    client.force_login(demo["users"]["governor"])
    sign_off = SefSignOff.objects.get(school=school)
    texts = []
    for url in (
        reverse("reports:sef_governor"),
        reverse("reports:sign_off_governor", kwargs={"pk": sign_off.pk}),
        reverse("reports:index"),
    ):
        page = client.get(url)
        assert page.status_code == 200
        texts.append(re.sub(r"<[^>]+>", " ", page.content.decode()))
    for url in (
        reverse("reports:sef_governor"),
        reverse("reports:sign_off_governor", kwargs={"pk": sign_off.pk}),
    ):
        response = client.get(url, {"format": "pdf"})
        assert response["Content-Type"] == "application/pdf"
        text = pdf_text(response.content)
        assert "Anonymised" in text and "Oakfield Primary School" in text
        texts.append(text)
    for text in texts:
        assert_names_no_pupil(text, pupils)


def test_demo_governor_reaches_nothing_but_the_governor_versions(client, demo):
    school = demo["schools"][0].school
    client.force_login(demo["users"]["governor"])
    sign_off = SefSignOff.objects.get(school=school)
    study = CaseStudy.objects.get(pupil__school=school)
    for url in (
        reverse("reports:sef"),
        reverse("reports:sign_off", kwargs={"pk": sign_off.pk}),
        reverse("reports:prompts"),
        reverse("reports:case_studies"),
        reverse("reports:case_study", kwargs={"pk": study.pk}),
    ):
        assert client.get(url).status_code == 403, url
    index = client.get(reverse("reports:index")).content.decode()
    assert reverse("reports:sign_off_governor", kwargs={"pk": sign_off.pk}) in index
    assert reverse("reports:sign_off", kwargs={"pk": sign_off.pk}) + '"' not in index


def test_case_study_shows_first_name_only(client, demo):
    school = demo["schools"][0].school
    study = CaseStudy.objects.select_related("pupil").get(pupil__school=school)
    client.force_login(demo["users"]["head"])
    text = pdf_text(
        client.get(reverse("reports:case_study", kwargs={"pk": study.pk}), {"format": "pdf"}).content
    )
    assert study.pupil.forename in text
    assert study.pupil.legal_surname not in words(text)
    assert study.pupil.upn not in text
    assert "Date of placement on the SEND record" in text
    assert study.pupil.sen_placed_on.strftime("%-d %B %Y") in text
