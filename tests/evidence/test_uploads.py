"""Attachments: allowed types by extension and content, a size limit, stored outside static
under a random name, and served only to someone who may read the item."""

from pathlib import Path

import pytest
from django.urls import reverse

from core.roles import Role
from evidence.models import EvidenceItem
from evidence.uploads import attachment_problem

from .files import EXE, JPG, PDF, PNG, office, upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name, content",
    [
        ("notes.pdf", PDF),
        ("photo.PNG", PNG),
        ("photo.jpg", JPG),
        ("notes.txt", "Réunion avec les parents\n".encode()),
        ("report.docx", office("docx")),
        ("tracker.xlsx", office("xlsx")),
    ],
)
def test_allowed_types_pass(name, content):
    assert attachment_problem(name, len(content), content) is None


@pytest.mark.parametrize(
    "name, content, says",
    [
        ("setup.exe", EXE, "not a type that can be attached"),
        ("report.pdf", EXE, "its content is not one"),  # a renamed executable
        ("photo.png", PDF, "its content is not one"),
        ("report.docx", office("xlsx"), "its content is not one"),  # a workbook renamed
        ("report.docx", b"PK\x03\x04 not really a zip", "its content is not one"),
        ("notes.txt", b"MZ\x00\x00binary", "its content is not one"),
        ("page.html", b"<script>alert(1)</script>", "not a type"),
        ("noextension", PDF, "not a type"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_impostors_and_other_types_are_refused(name, content, says):
    assert says in attachment_problem(name, len(content), content)


def test_size_limit_is_a_setting(settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1024
    content = PDF + b"0" * 2000
    assert (
        attachment_problem("big.pdf", len(content), content) == "“big.pdf” is 2 KB, over the limit of 1 KB."
    )


def post_evidence(client, pupil, attachment):
    return client.post(
        reverse("evidence:create"),
        {
            "source": "work_scrutiny",
            "date": "2025-11-03",
            "summary": "Books show independent writing.",
            "judgement": "strength",
            "pupils": [pupil.pk],
            "attachment": attachment,
        },
    )


def test_teacher_uploads_a_pdf_stored_with_a_random_name_outside_static(client, world, media_root):
    home = world["A"]
    client.force_login(home.members[Role.TEACHER].user)
    response = post_evidence(client, home.class_pupil, upload("Ella smith report.pdf", PDF))
    assert response.status_code == 302
    item = EvidenceItem.objects.get()
    stored = Path(item.attachment.path)
    assert stored.is_relative_to(media_root)
    assert "smith" not in stored.name and stored.suffix == ".pdf" and len(stored.stem) == 32
    assert stored.read_bytes() == PDF
    assert item.attachment_name == "Ella smith report.pdf"


@pytest.mark.parametrize(
    "name, content",
    [("virus.pdf", EXE), ("virus.exe", EXE)],
)
def test_a_renamed_executable_is_refused_and_nothing_is_saved(client, world, media_root, name, content):
    home = world["A"]
    client.force_login(home.members[Role.SENCO].user)
    response = post_evidence(client, home.class_pupil, upload(name, content))
    assert response.status_code == 400
    page = response.content.decode()
    assert name in page and "Nothing has been saved" in page
    # The summary typed is shown again, not lost.
    assert "Books show independent writing." in page
    assert not EvidenceItem.objects.exists()
    assert not any(media_root.rglob("*.*")) if media_root.exists() else True


def test_a_file_over_the_limit_is_refused(client, world, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 100
    home = world["A"]
    client.force_login(home.members[Role.SENCO].user)
    response = post_evidence(client, home.class_pupil, upload("long.txt", b"a" * 5000))
    assert response.status_code == 400
    assert "over the limit" in response.content.decode()
    assert not EvidenceItem.objects.exists()


def attached_item(world_school):
    from tests.evidence.url_table import evidence_of

    return evidence_of(world_school)


def test_download_is_an_attachment_with_nosniff(client, world):
    item = attached_item(world["A"])
    client.force_login(world["A"].members[Role.TEACHER].user)
    response = client.get(reverse("evidence:attachment", kwargs={"pk": item.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="notes.txt"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "text/plain"
    assert response.content == b"Observation notes\n"


@pytest.mark.parametrize("role", [Role.SENCO, Role.HEAD, Role.TEACHER])
def test_another_school_cannot_fetch_an_attachment(client, world, role):
    item = attached_item(world["A"])
    client.force_login(world["B"].members[role].user)
    assert client.get(reverse("evidence:attachment", kwargs={"pk": item.pk})).status_code == 404


def test_someone_who_cannot_see_the_item_cannot_fetch_its_file(client, world):
    home = world["A"]
    item = attached_item(home)
    item.pupils.set([home.other_pupil])  # now about a pupil neither the teacher nor the TA sees
    for role in (Role.TEACHER, Role.TEACHING_ASSISTANT):
        client.force_login(home.members[role].user)
        assert client.get(reverse("evidence:attachment", kwargs={"pk": item.pk})).status_code == 404
    for role in (Role.GOVERNOR, Role.TRUST_LEAD):
        client.force_login(home.members[role].user)
        assert client.get(reverse("evidence:attachment", kwargs={"pk": item.pk})).status_code == 403


def test_item_without_a_file_answers_404(client, world):
    item = attached_item(world["A"])
    item.attachment = ""
    item.save()
    client.force_login(world["A"].members[Role.SENCO].user)
    assert client.get(reverse("evidence:attachment", kwargs={"pk": item.pk})).status_code == 404
