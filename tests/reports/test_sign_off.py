"""Signing off the SEF: on the document itself, through a confirmation naming what is signed; the
signed state shown on the SEF page; each year's latest version current and earlier ones kept as
superseded (issue 16, item 2)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from reports.models import Grade, SefReport, SefSignOff
from reports.selectors import sign_off_state, sign_offs_for

pytestmark = pytest.mark.django_db


def _ready_report(cohort):
    # Written against the 2019 framework, whose grades these tests name (the renewed framework,
    # the default for the current year, is tested in tests/reports/test_frameworks.py).
    return SefReport.objects.create(
        school=cohort.school,
        academic_year=cohort.year,
        framework="2019",
        grade=Grade.GOOD,
        grade_rationale="Gaps narrowing.",
    )


def _as(client, cohort, role):
    client.force_login(cohort.members[role].user)
    return client


def _sign(client, cohort):
    return client.post(reverse("reports:sef_sign_off"), {"year": cohort.year, "confirmed": "yes"})


def test_the_draft_sef_page_offers_the_head_a_sign_off_that_asks_first(client, cohort):
    _ready_report(cohort)
    head = cohort.members[Role.HEAD].user
    head.first_name, head.last_name = "Helen", "Marsh"
    head.save()
    _as(client, cohort, Role.HEAD)
    page = client.get(reverse("reports:sef"), {"year": cohort.year}).content.decode()
    confirm_url = f"{reverse('reports:sef_sign_off')}?year={cohort.year}"
    assert "Draft, not yet signed off." in page and confirm_url in page

    confirm = client.get(confirm_url).content.decode()
    # The confirmation names the school, the document, the year, the grade and who signs.
    year_label = f"{cohort.year}/{str(cohort.year + 1)[2:]}"
    for words in ("Hawthorn Primary", "SEND self-evaluation summary", year_label, "Good", "Helen Marsh"):
        assert words in confirm
    assert "never changes afterwards" in confirm
    assert not SefSignOff.objects.exists()  # opening the confirmation signs nothing

    # A POST without the confirmation (the old one-click form) shows the confirmation again.
    response = client.post(reverse("reports:sef_sign_off"), {"year": cohort.year})
    assert response.status_code == 200 and not SefSignOff.objects.exists()


@pytest.mark.slow
def test_after_signing_the_sef_page_shows_who_signed_when_and_links_the_copy(client, cohort):
    _ready_report(cohort)
    _as(client, cohort, Role.HEAD)
    response = _sign(client, cohort)
    signed = SefSignOff.objects.get()
    copy_url = reverse("reports:sign_off", kwargs={"pk": signed.pk})
    assert response.status_code == 302 and response["Location"] == copy_url
    copy = client.get(copy_url).content.decode()
    assert "Current version" in copy and "Superseded" not in copy

    page = client.get(reverse("reports:sef"), {"year": cohort.year}).content.decode()
    assert "Draft, not yet signed off" not in page
    assert f"on {timezone.localdate():%-d %B %Y}" in page and copy_url in page
    # The governor's live page links the governor copy, never the full one.
    _as(client, cohort, Role.GOVERNOR)
    page = client.get(reverse("reports:sef_governor"), {"year": cohort.year}).content.decode()
    assert reverse("reports:sign_off_governor", kwargs={"pk": signed.pk}) in page
    assert copy_url + '"' not in page


@pytest.mark.slow
def test_signing_again_supersedes_and_keeps_the_earlier_version(client, cohort):
    report = _ready_report(cohort)
    _as(client, cohort, Role.HEAD)
    _sign(client, cohort)
    report.grade = Grade.REQUIRES_IMPROVEMENT
    report.save()
    _sign(client, cohort)
    first, second = SefSignOff.objects.order_by("pk")
    assert (first.grade, second.grade) == (Grade.GOOD, Grade.REQUIRES_IMPROVEMENT)

    index = client.get(reverse("reports:index"), {"year": cohort.year}).content.decode()
    assert index.count(">Current</span>") == 1 and index.count(">Superseded</span>") == 1
    # Newest first: the current row comes before the superseded one.
    assert index.index(">Current</span>") < index.index(">Superseded</span>")

    old = client.get(reverse("reports:sign_off", kwargs={"pk": first.pk})).content.decode()
    assert "Superseded" in old and "Current version" not in old
    assert reverse("reports:sign_off", kwargs={"pk": second.pk}) in old  # "open the current version"
    assert "Good" in old  # the superseded copy keeps its own grade
    new = client.get(reverse("reports:sign_off", kwargs={"pk": second.pk})).content.decode()
    assert "Current version" in new


def test_current_is_the_latest_of_each_year_and_ties_go_to_the_later_row(cohort):
    report = _ready_report(cohort)
    head = cohort.members[Role.HEAD]
    at = timezone.now()

    def signed(year, when):
        row = SefSignOff.objects.create(
            report=report,
            school=cohort.school,
            academic_year=year,
            figures={},
            governor_figures={},
            signed_off_by=head.user,
            signed_off_name="Head",
        )
        SefSignOff.objects.filter(pk=row.pk).update(signed_off_at=when)
        return row.pk

    # This year: three versions, the last two at the same moment; last year: one version.
    a = signed(cohort.year, at - datetime.timedelta(days=2))
    b = signed(cohort.year, at)
    c = signed(cohort.year, at)
    d = signed(cohort.year - 1, at - datetime.timedelta(days=300))
    current = {row.pk: row.is_current for row in sign_offs_for(head)}
    assert current == {a: False, b: False, c: True, d: True}
    assert sign_off_state(head, cohort.year).current.pk == c


def test_only_the_head_may_sign_and_only_a_report_with_grade_and_rationale(client, cohort):
    for role in (Role.SENCO, Role.TEACHER, Role.GOVERNOR):
        _as(client, cohort, role)
        assert client.get(reverse("reports:sef_sign_off")).status_code == 403
        assert _sign(client, cohort).status_code == 403
    _as(client, cohort, Role.HEAD)
    page = client.get(reverse("reports:sef_sign_off"), {"year": cohort.year}).content.decode()
    assert "cannot be signed off yet" in page and 'name="confirmed"' not in page
    response = _sign(client, cohort)
    assert response.status_code == 200 and not SefSignOff.objects.exists()
    assert "Choose a best-fit grade" in response.content.decode()


def test_a_change_after_signing_is_flagged_and_offers_signing_again(client, cohort):
    report = _ready_report(cohort)
    _as(client, cohort, Role.HEAD)
    _sign(client, cohort)
    head = cohort.members[Role.HEAD]
    assert not sign_off_state(head, cohort.year).waiting
    SefReport.objects.filter(pk=report.pk).update(updated_at=timezone.now() + datetime.timedelta(minutes=1))
    state = sign_off_state(head, cohort.year)
    assert state.changed_since and state.waiting
    page = client.get(reverse("reports:sef"), {"year": cohort.year}).content.decode()
    assert "has changed since it was signed" in page and "Sign off again" in page
