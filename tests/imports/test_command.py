"""manage.py import_data: the browser's checks and messages, from a file on disk."""

import io

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line

from imports.models import ImportBatch
from pupils.models import Pupil

from .files import pupils_csv, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def pupils_file(tmp_path):
    path = tmp_path / "pupils.csv"
    path.write_bytes(pupils_csv())
    return path


def run(*args, **options):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_data", *args, stdout=stdout, stderr=stderr, **options)
    return stdout.getvalue(), stderr.getvalue()


def test_imports_then_finds_nothing_to_change(school, oak, senco, pupils_file):
    out, _ = run(str(pupils_file), school=school.urn, kind="pupils", user=senco.user.username)
    assert out == "Imported: 3 new pupils, 0 updated, 0 unchanged.\n"
    assert Pupil.objects.filter(school=school).count() == 3
    assert {h.history_user for h in Pupil.history.all()} == {senco.user}
    batch = ImportBatch.objects.get()
    assert (batch.file_name, batch.user, batch.status) == ("pupils.csv", senco.user, "confirmed")

    out, _ = run(str(pupils_file), school=school.urn, kind="pupils")
    assert out == "Imported: 0 new pupils, 0 updated, 3 unchanged.\n"


def test_dry_run_stores_nothing(school, oak, pupils_file):
    out, _ = run(str(pupils_file), "--dry-run", school=school.urn, kind="pupils")
    assert out == "Would import: 3 new pupils, 0 updated, 0 unchanged.\nDry run: nothing was stored.\n"
    assert not Pupil.objects.exists() and not ImportBatch.objects.exists()


def test_errors_are_printed_and_nothing_is_stored(school, oak, tmp_path):
    path = tmp_path / "pupils.xlsx"
    rows = [line.split(",") for line in pupils_csv().decode().splitlines()]
    rows[3][4] = "31/02/2016"
    rows[1][0] = "A886200124001"
    path.write_bytes(xlsx_bytes(rows))
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="^2 problems in the file: nothing was imported.$"):
        call_command("import_data", str(path), school=school.urn, kind="pupils", stderr=stderr)
    assert stderr.getvalue().splitlines() == [
        "Row 2, UPN: The check letter of this UPN is wrong: for these digits it should be R. "
        "Check the number against the pupil's CTF or school record.",
        "Row 4, Date of Birth: 31/02/2016 is not a real date: check the day and the month.",
    ]
    assert not Pupil.objects.exists()


def test_errors_exit_with_status_1(school, oak, tmp_path, capsys):
    path = tmp_path / "sen.csv"
    path.write_bytes(b"UPN,Date\r\nR886200124001,10/09/2024\r\n")
    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(
            ["manage.py", "import_data", str(path), "--school", school.urn, "--kind", "sen_status"]
        )
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "Row 1: Missing column: SEN Provision (or SEN Status, SEN Stage)." in err
    assert "1 problem in the file: nothing was imported." in err


def test_bad_arguments(school, pupils_file, tmp_path):
    with pytest.raises(CommandError, match="No school has the URN 999999."):
        run(str(pupils_file), school="999999", kind="pupils")
    with pytest.raises(CommandError, match="No user is called nobody."):
        run(str(pupils_file), school=school.urn, kind="pupils", user="nobody")
    with pytest.raises(CommandError, match="Cannot read .*missing.csv: No such file"):
        run(str(tmp_path / "missing.csv"), school=school.urn, kind="pupils")
