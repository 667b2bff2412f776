"""The SEN information report (issue 14, item 6): figures worked by hand on a small cohort,
suppressed for everyone because the report is published; every statutory section; editing,
redrafting without losing the SENCO's words; page and PDF."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core.roles import Role
from interventions.models import Intervention
from plans.models import SupportPlan
from pupils.models import SenStatus, SenStatusChange
from reports.information_report import SECTIONS, drafts, report_figures
from reports.models import InformationReport
from reports.selectors import current_academic_year
from tests.factories import (
    ConversationFactory,
    InterventionPlaceFactory,
    InterventionRunFactory,
    MembershipFactory,
    PupilFactory,
    SchoolFactory,
    SupportPlanFactory,
)
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    """Twenty pupils on roll, all in Year 4, at a school whose threshold is 5:
    six on SEN support (three with SLCN, three with SEMH), none with an EHC plan, fourteen others.

    This academic year:
    - three of the six first joined the register (the other three joined the year before);
    - each of the six has a support plan started and reviewed, each with the pupil's view;
    - five conversations with families, about four of the six pupils (one pupil twice);
    - one run of Talk Boost with five of the six, all five judged to have met the exit criteria.
    """
    year = current_academic_year()
    school = SchoolFactory(name="Birch Lane Primary", suppression_threshold=5)
    school.members = {role: MembershipFactory(school=school, role=role) for role in Role}
    senco = school.members[Role.SENCO].user
    senco.first_name, senco.last_name, senco.email = "Priya", "Shah", "senco@birchlane.example"
    senco.save()
    start = datetime.date(year, 9, 1)
    send = [
        PupilFactory(school=school, sen_status=SenStatus.SEN_SUPPORT, primary_need=need)
        for need in ["SLCN"] * 3 + ["SEMH"] * 3
    ]
    PupilFactory.create_batch(14, school=school)
    PupilFactory(sen_status=SenStatus.EHCP)  # another school: counts nowhere here
    for i, pupil in enumerate(send):
        joined = start + datetime.timedelta(days=30) if i < 3 else start - datetime.timedelta(days=200)
        SenStatusChange.objects.create(pupil=pupil, status=SenStatus.SEN_SUPPORT, effective_date=joined)
        SupportPlanFactory(
            pupil=pupil,
            starts_on=start + datetime.timedelta(days=10),
            review_date=start + datetime.timedelta(days=70),
            status=SupportPlan.Status.REVIEWED,
            reviewed_on=start + datetime.timedelta(days=70),
            pupil_voice="I like the quiet table.",
        )
    for n, pupil in enumerate(send[:4] + send[:1]):
        ConversationFactory(pupil=pupil, date=start + datetime.timedelta(days=40 + n), recorded_by=senco)
    talk_boost = Intervention.objects.create(
        school=school, name="Talk Boost", wave=Intervention.Wave.GROUP, area_of_need="SLCN"
    )
    run = InterventionRunFactory(intervention=talk_boost, start_date=start + datetime.timedelta(days=14))
    for pupil in send[:5]:
        InterventionPlaceFactory(
            run=run, pupil=pupil, baseline=Decimal("5"), exit_score=Decimal("9"), exit_criteria_met=True
        )
    school.year = year
    return school


def test_the_figures_worked_by_hand(cohort):
    f = report_figures(cohort, cohort.year)
    reg = f.register
    # On roll 20; SEN support 6 (shown: 6 or more), EHC plan 0 (a true zero is shown);
    # 6 of 20 on the register is 30%.
    assert (reg.total, str(reg.sen_support), str(reg.ehcp), str(reg.on_record)) == (20, "6", "0", "6")
    assert str(reg.send_share) == "30% (6/20)"
    # Each need has 3 pupils: under 5, hidden.
    assert sorted(str(n.total) for n in reg.needs) == ["c", "c"]
    # 3 joined this year: under 5, hidden.
    assert str(f.newly_identified) == "c"
    # 6 plans reviewed this year: shown.
    assert str(f.plans_reviewed) == "6"
    # 5 conversations: shown; 4 of the 6 pupils had one: 4 is under 5, hidden.
    assert (str(f.conversations), str(f.families_met)) == ("5", "c")
    # Every one of the 6 plans has the pupil's view: 6/6, the complement is 0, shown.
    assert str(f.pupil_voice) == "100% (6/6)"
    # 5 judged, 5 met: 100% (5/5), complement 0, shown.
    assert (f.interventions_run, str(f.exit_met)) == (1, "100% (5/5)")
    # No club, trip or visit: 0 of 6, shown (a true zero).
    assert str(f.took_part) == "0% (0/6)"
    assert f.provision == [("Talk Boost", "Wave 2", "Speech, language and communication needs")]
    assert f.senco == [("Priya Shah", "senco@birchlane.example")]


@pytest.mark.parametrize("role", [Role.SENCO, Role.GOVERNOR])
def test_the_page_is_suppressed_for_everyone(client, cohort, role):
    client.force_login(cohort.members[role].user)
    page = client.get(reverse("reports:information_report")).content.decode()
    assert "c pupils joined the SEND register" in page
    assert "we held 5 such conversations; c of pupils on the SEND register had one" in page
    assert "100% (6/6) of support plans recorded the pupil" in page
    assert "4/6" not in page and "3 pupils joined" not in page
    assert "Talk Boost (wave 2, speech, language and communication needs)" in page
    for section in SECTIONS:
        assert section.heading.replace("'", "&#x27;") in page


def test_every_statutory_section_has_a_draft(cohort):
    texts = drafts(report_figures(cohort, cohort.year))
    assert list(texts) == [s.key for s in SECTIONS]
    assert all(texts.values())
    assert "Priya Shah (senco@birchlane.example)" in texts["senco"]


def test_edits_survive_a_new_draft(client, cohort):
    client.force_login(cohort.members[Role.SENCO].user)
    url = reverse("reports:information_report_edit")
    form = client.get(url).context["form"]
    data = {key: form.initial[key] for key in form.fields}
    data["teaching"] = "Every lesson is planned for the whole class first."
    assert client.post(url, data).status_code == 302
    report = InformationReport.objects.get(school=cohort, academic_year=cohort.year)
    assert report.sections["teaching"] == "Every lesson is planned for the whole class first."
    # New data: a second intervention this year, then a new draft.
    Intervention.objects.create(school=cohort, name="Zones of Regulation", wave=2, area_of_need="SEMH")
    InterventionRunFactory(
        intervention=Intervention.objects.get(name="Zones of Regulation"),
        start_date=datetime.date(cohort.year, 10, 1),
    )
    response = client.post(reverse("reports:information_report_redraft"), follow=True)
    assert "1 section you edited kept your words" in response.content.decode()
    report.refresh_from_db()
    assert report.sections["teaching"] == "Every lesson is planned for the whole class first."
    assert "Zones of Regulation" in report.sections["support"]
    assert "Zones of Regulation" in report.sections["wellbeing"]


def test_reading_writes_nothing_and_bad_input_loses_nothing(client, cohort):
    client.force_login(cohort.members[Role.SENCO].user)
    client.get(reverse("reports:information_report"))
    client.get(reverse("reports:information_report_edit"))
    assert not InformationReport.objects.exists()
    response = client.post(
        reverse("reports:information_report_edit"), {"needs": "x" * 8001, "teaching": "Kept"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "at most 8000 characters" in page and ">Kept</textarea>" in page
    assert not InformationReport.objects.exists()


def test_only_the_senco_writes_it(client, cohort):
    for role in (Role.HEAD, Role.TEACHER, Role.GOVERNOR):
        client.force_login(cohort.members[role].user)
        assert client.get(reverse("reports:information_report_edit")).status_code == 403
        assert client.post(reverse("reports:information_report_redraft")).status_code == 403


def test_the_pdf_reads_back(client, cohort):
    client.force_login(cohort.members[Role.GOVERNOR].user)
    response = client.get(reverse("reports:information_report") + "?format=pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "SEN information report" in text
    assert "Our SENCO and how to contact them" in text
    assert "30% (6/20)" in text


def test_a_pupils_name_in_an_intervention_is_not_published(cohort):
    PupilFactory(school=cohort, legal_forename="Maisie", legal_surname="Oakley")
    named = Intervention.objects.create(school=cohort, name="Maisie's 1:1 reading", wave=3)
    InterventionRunFactory(intervention=named, start_date=datetime.date(cohort.year, 10, 1))
    texts = drafts(report_figures(cohort, cohort.year))
    assert "[name removed]'s 1:1 reading (wave 3)" in texts["support"]
    assert "Maisie" not in texts["support"]
