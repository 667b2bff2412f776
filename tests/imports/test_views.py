"""The browser flow: upload, preview, confirm; and who may use it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.roles import Role
from imports.models import ImportBatch
from imports.parsing import parse_file
from pupils.models import Pupil
from tests.factories import MembershipFactory

from .files import PUPIL_HEADINGS, PUPIL_ROWS, SEN_HEADINGS, UPN1, pupils_csv, sen_csv, xlsx_bytes

pytestmark = pytest.mark.django_db

INDEX = reverse("imports:index")


def upload(client, content, name="pupils.csv", kind="pupils"):
    return client.post(INDEX, {"kind": kind, "file": SimpleUploadedFile(name, content)})


def page(response):
    return response.content.decode()


def assert_no_inline_script_or_style(html):
    assert "style=" not in html
    assert "<script>" not in html and "onclick" not in html


def test_import_page_lists_kinds_with_templates_and_a_labelled_form(senco_client):
    response = senco_client.get(INDEX)
    html = page(response)
    assert response.status_code == 200
    assert reverse("imports:template", kwargs={"kind": "pupils"}) in html
    assert reverse("imports:template", kwargs={"kind": "sen_status"}) in html
    assert "Download the pupils template (CSV)" in html
    assert "Download the SEN status template (CSV)" in html
    assert 'enctype="multipart/form-data"' in html
    assert 'for="id_file"' in html and "What the file holds" in html
    assert html.count('name="csrfmiddlewaretoken"') == 2  # the upload form and log out
    assert "Reg Group" in html  # the headings also accepted are listed
    assert_no_inline_script_or_style(html)


def test_template_has_our_headings_and_a_marked_example_that_never_imports(senco_client, school, oak):
    response = senco_client.get(reverse("imports:template", kwargs={"kind": "pupils"}))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == ('attachment; filename="sendtrack-pupils-template.csv"')
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    lines = content.decode("utf-8-sig").splitlines()
    # The columns of the groups the inclusion area names come after LAC in the template.
    after_lac = PUPIL_HEADINGS.index("LAC") + 1
    groups = ["Social Care", "Post Looked After", "Young Carer"]
    assert lines[0] == ",".join(PUPIL_HEADINGS[:after_lac] + groups + PUPIL_HEADINGS[after_lac:])
    assert len(lines) == 2
    example_upn = lines[1].split(",")[0]
    assert lines[1].startswith(f"{example_upn},EXAMPLE - delete this row,Zoë,") and ",4 Oak," in lines[1]
    # Uploaded as it comes, the example is refused with a message naming it, never imported.
    errors = parse_file("pupils", content, "template.csv", school=school).errors
    assert [(e.row, e.column) for e in errors] == [(2, "UPN")]
    assert "the template's example row, not a real pupil" in errors[0].message
    html = page(upload(senco_client, content))
    assert "Nothing has been imported." in html and "the template&#x27;s example row" in html
    assert not Pupil.objects.exists() and not ImportBatch.objects.exists()
    # With a real pupil's UPN and name in its place, the template's shape imports cleanly.
    real = content.replace(example_upn.encode(), UPN1.encode()).replace(
        b"EXAMPLE - delete this row", b"Bront\xc3\xab"
    )
    assert parse_file("pupils", real, "template.csv", school=school).errors == []
    sen = senco_client.get(reverse("imports:template", kwargs={"kind": "sen_status"})).content
    assert sen.decode("utf-8-sig").splitlines()[0] == "UPN,SEN Provision,Start Date,Note"
    assert senco_client.get(reverse("imports:template", kwargs={"kind": "x"})).status_code == 404


def test_file_with_errors_shows_each_and_stores_nothing(senco_client, oak):
    content = pupils_csv().replace(b"2015-11-30", b"31/02/2016").replace(b",M,", b",X,")
    response = upload(senco_client, content)
    html = page(response)
    assert response.status_code == 200
    assert "Nothing has been imported." in html
    assert "<td>4</td><td>Date of Birth</td><td>31/02/2016 is not a real date" in html
    assert "<td>4</td><td>Gender</td><td>“X” is not a gender sendtrack records" in html
    assert "2 problems, in the order of the file" in html
    assert "Check a corrected file" in html
    assert not Pupil.objects.exists() and not ImportBatch.objects.exists()
    assert_no_inline_script_or_style(html)


def test_file_level_problem_on_the_preview(senco_client):
    response = upload(senco_client, b"UPN,Name\r\n", "sen.csv", "sen_status")
    html = page(response)
    assert "<td>1</td><td>—</td><td>Missing columns: SEN Provision" in html
    assert "<td>Whole file</td><td>—</td><td>The file has headings but no rows of data" in html
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("pupils.xls", b"anything", "Only .csv and .xlsx files can be imported, and this is a .xls"),
        ("pupils.csv", b"", "The file is empty: there is nothing to import."),
        ("pupils.csv", b"x" * (2 * 1024 * 1024 + 1), "The file is 2.1 MB, over the limit of 2 MB"),
    ],
)
def test_wrong_type_empty_or_too_big_is_refused_on_the_form(senco_client, name, content, message):
    response = upload(senco_client, content, name)
    assert response.status_code == 200
    assert message in page(response)
    assert not ImportBatch.objects.exists()


def test_a_one_pupil_file_is_counted_in_the_singular(senco_client, oak):
    response = upload(senco_client, pupils_csv(rows=PUPIL_ROWS[:1]))
    html = page(senco_client.get(response["Location"]))
    assert "<li>1 new pupil</li><li>0 pupils updated</li><li>0 pupils unchanged</li>" in html
    assert "1 new pupils" not in html


def test_good_file_preview_then_confirm(senco_client, senco, oak):
    response = upload(senco_client, pupils_csv())
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:batch", kwargs={"pk": batch.pk})
    assert not Pupil.objects.exists()  # nothing before confirmation

    html = page(senco_client.get(response["Location"]))
    assert "3 new pupils" in html and "0 pupils updated" in html and "0 pupils unchanged" in html
    assert "Confirm import" in html
    assert "Zoë Brontë" in html
    assert_no_inline_script_or_style(html)

    confirm = reverse("imports:confirm", kwargs={"pk": batch.pk})
    response = senco_client.post(confirm, follow=True)
    html = page(response)
    assert "pupils.csv was imported: 3 new, 0 updated, 0 unchanged." in html
    assert "Imported on" in html
    assert Pupil.objects.filter(school=senco.school).count() == 3
    assert senco_client.get(confirm).status_code == 405

    # The same file again: nothing to change, and the preview says so.
    response = upload(senco_client, pupils_csv())
    html = page(senco_client.get(response["Location"]))
    assert "0 new pupils" in html and "3 pupils unchanged" in html


def test_excel_upload_through_the_browser(senco_client):
    rows = [SEN_HEADINGS, [UPN1, "K", "10/09/2024"]]
    response = upload(senco_client, xlsx_bytes(rows), "sen.xlsx", "sen_status")
    # The workbook was read; the pupil is not in sendtrack yet, which the preview says.
    assert f"No pupil in this school has the UPN {UPN1}" in page(response)


def test_confirm_refused_when_records_changed_meanwhile(senco_client, senco, oak):
    senco_client.post(upload(senco_client, pupils_csv())["Location"] + "confirm/")
    assert Pupil.objects.count() == 3
    upload(senco_client, sen_csv(), "sen.csv", "sen_status")
    batch = ImportBatch.objects.get(kind="sen_status")
    Pupil.objects.filter(upn=UPN1).update(archived_at="2025-01-01T00:00Z")
    response = senco_client.post(reverse("imports:confirm", kwargs={"pk": batch.pk}))
    assert response.status_code == 409
    assert "The records changed after the preview" in page(response)
    assert "whose record is archived" in page(response)
    batch.refresh_from_db()
    assert batch.is_pending


@pytest.mark.parametrize(
    "role", [Role.HEAD, Role.TEACHER, Role.TEACHING_ASSISTANT, Role.GOVERNOR, Role.TRUST_LEAD]
)
def test_only_the_senco_may_import(client, world, role):
    home = world["A"]
    batch = ImportBatch.objects.create(school=home.school, kind="pupils", file_name="a.csv")
    client.force_login(home.members[role].user)
    assert client.get(INDEX).status_code == 403
    assert upload(client, pupils_csv()).status_code == 403
    template = reverse("imports:template", kwargs={"kind": "pupils"})
    assert client.get(template).status_code == 403
    assert client.get(reverse("imports:batch", kwargs={"pk": batch.pk})).status_code == 403
    assert client.post(reverse("imports:confirm", kwargs={"pk": batch.pk})).status_code == 403
    assert ImportBatch.objects.get().is_pending and not ImportBatch.objects.exclude(pk=batch.pk)


def test_anonymous_is_sent_to_login(client, db):
    for url in (INDEX, reverse("imports:template", kwargs={"kind": "pupils"})):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_another_schools_batch_is_not_found(client, world):
    theirs = ImportBatch.objects.create(
        school=world["B"].school, kind="pupils", file_name="theirs.csv", payload=[]
    )
    client.force_login(world["A"].members[Role.SENCO].user)
    assert client.get(reverse("imports:batch", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.post(reverse("imports:confirm", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.get(reverse("imports:batch", kwargs={"pk": theirs.pk + 1})).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_pending
    assert "theirs.csv" not in page(client.get(INDEX))


def test_senco_of_two_schools_works_in_the_current_one(client, world):
    user = world["A"].members[Role.SENCO].user
    MembershipFactory(user=user, school=world["B"].school, role=Role.GOVERNOR)
    batch = ImportBatch.objects.create(school=world["A"].school, kind="pupils", file_name="a.csv")
    client.force_login(user)
    client.post(reverse("switch_school"), {"school": world["B"].school.pk})
    assert client.get(reverse("imports:batch", kwargs={"pk": batch.pk})).status_code == 403


def test_an_old_preview_says_so_instead_of_offering_to_confirm(senco_client):
    response = upload(senco_client, pupils_csv().replace(b",4 Oak,", b",,"))
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(created_at="2020-01-01T00:00Z")
    html = page(senco_client.get(response["Location"]))
    assert "never confirmed, so its rows were discarded" in html
    assert "Confirm import" not in html
    response = senco_client.post(reverse("imports:confirm", kwargs={"pk": batch.pk}), follow=True)
    assert "This preview is too old to confirm" in page(response)
    assert not Pupil.objects.exists()


def test_admin_lists_batches_without_their_rows(admin_client, school):
    ImportBatch.objects.create(school=school, kind="pupils", file_name="a.csv", payload=[{"x": 1}])
    response = admin_client.get(reverse("admin:imports_importbatch_changelist"))
    assert response.status_code == 200
    assert "a.csv" in page(response)
