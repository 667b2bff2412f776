"""The rollup stays right: after each kind of change made through the app's services (a grid
save, an assessment import, a change of SEN status, attendance, an intervention run), the
stored figures equal the live calculation, without anyone refreshing them by hand. Each test
also checks the figure the change moves, so that a service that forgot to say so fails here.

The services' transactions are committed for real (django_capture_on_commit_callbacks runs what
would run on commit), as a request would."""

import datetime

import pytest
from django.utils import timezone

from assessment.models import Assessment
from assessment.services import CellInput, grid_save
from attendance.services import attendance_record, exclusion_record
from core.calendar import academic_year_label
from imports import services as imports
from imports.models import ImportKind
from imports.selectors import import_preview
from interventions.services import run_save
from pupils.models import SenStatus
from pupils.services import pupil_archive, pupil_set_sen_status
from schools import changes
from tests.factories import InterventionFactory, UserFactory
from tests.gaps.builders import THIS_YEAR
from tests.imports.files import csv_bytes
from tests.trusts.cohort import build_trust
from trusts.figures import school_year_figures
from trusts.models import SchoolYearFigures
from trusts.services import rollup_refresh, rollup_refresh_all

pytestmark = pytest.mark.django_db


def half_absent(trust, pupil):
    """The pupil attends 50 of 100 sessions this term: persistently absent."""
    attendance_record(
        pupil=pupil,
        by=trust["user"],
        academic_year=THIS_YEAR,
        term=1,
        possible_sessions=100,
        attended_sessions=50,
    )


@pytest.fixture
def trust(db):
    built = build_trust()
    rollup_refresh_all()
    built["user"] = UserFactory()
    return built


def stored(school):
    return {f.academic_year: f.as_dict() for f in SchoolYearFigures.objects.filter(school=school)}


def now(school, field):
    return stored(school)[THIS_YEAR][field]


def assert_rollup_is_live(school):
    assert stored(school) == school_year_figures(school)


def test_grid_save(trust, django_capture_on_commit_callbacks):
    ash, scheme, pupil = trust["ash"], trust["scheme"], trust["send"][5]  # below ARE in reading
    cell = Assessment.objects.get(
        pupil=pupil, point=scheme.point("Autumn"), subject=scheme.subjects["Reading"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        grid_save(
            point=cell.point,
            cells=[
                CellInput(
                    pupil.pk, cell.subject_id, scheme.att["OT"].pk, cell.progress_id, None, cell.version
                )
            ],
            by=trust["user"],
        )
    assert now(ash, "att_f_ok") == 6  # 5 + 1
    assert_rollup_is_live(ash)


def test_assessment_import(trust, django_capture_on_commit_callbacks):
    ash, pupil = trust["ash"], trust["send"][0]
    point = f"Autumn {academic_year_label(THIS_YEAR)}"
    content = csv_bytes(
        [["UPN", "Subject", "Assessment Point", "Attainment"], [pupil.upn, "Writing", point, "OT"]]
    )
    preview = import_preview(school=ash, kind=ImportKind.ASSESSMENTS, content=content, file_name="w.csv")
    assert preview.errors == []
    batch = imports.import_batch_create(school=ash, by=trust["user"], preview=preview, content=content)
    with django_capture_on_commit_callbacks(execute=True):
        imports.import_batch_confirm(batch=batch, by=trust["user"])
    assert (now(ash, "att_f_ok"), now(ash, "att_f_n")) == (6, 11)  # writing joins reading
    assert_rollup_is_live(ash)


def test_sen_status_change(trust, django_capture_on_commit_callbacks):
    ash, pupil = trust["ash"], trust["others"][0]
    with django_capture_on_commit_callbacks(execute=True):
        pupil_set_sen_status(
            pupil=pupil, status=SenStatus.SEN_SUPPORT, effective_date=timezone.localdate(), by=trust["user"]
        )
    assert (now(ash, "send"), now(ash, "pupils")) == (11, 30)
    assert_rollup_is_live(ash)


def test_pupil_leaving(trust, django_capture_on_commit_callbacks):
    ash = trust["ash"]
    with django_capture_on_commit_callbacks(execute=True):
        pupil_archive(pupil=trust["send"][0], by=trust["user"], reason="Left the school")
    assert (now(ash, "send"), now(ash, "pupils")) == (9, 29)
    assert_rollup_is_live(ash)


def test_attendance_and_suspension(trust, django_capture_on_commit_callbacks):
    ash, pupil = trust["ash"], trust["send"][5]  # attended 95 of 100: not persistently absent
    with django_capture_on_commit_callbacks(execute=True):
        half_absent(trust, pupil)
    assert now(ash, "pa_f") == 6
    assert_rollup_is_live(ash)
    with django_capture_on_commit_callbacks(execute=True):
        exclusion_record(
            pupil=pupil,
            by=trust["user"],
            kind="suspension",
            start_date=timezone.localdate(),
            days=1,
            reason="x",
        )
    assert now(ash, "susp_f") == 1
    assert_rollup_is_live(ash)


def test_intervention_run(trust, django_capture_on_commit_callbacks):
    ash = trust["ash"]
    intervention = InterventionFactory(school=ash)
    with django_capture_on_commit_callbacks(execute=True):
        run_save(
            intervention=intervention, staff=[], pupils=trust["send"][:3], start_date=timezone.localdate()
        )
    assert now(ash, "iv_places") == 3
    assert_rollup_is_live(ash)


def test_a_rolled_back_change_refreshes_nothing(trust, django_capture_on_commit_callbacks):
    """The listeners run on commit only: a change rolled back leaves no refresh behind."""
    ash = trust["ash"]
    before = stored(ash)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        changes.figures_changed(ash.pk)
    assert len(callbacks) == 1
    assert stored(ash) == before


def test_refresh_is_idempotent(trust):
    ash = trust["ash"]
    before = stored(ash)
    rollup_refresh(school_id=ash.pk)
    rollup_refresh(school_id=ash.pk)
    assert stored(ash) == before
    assert SchoolYearFigures.objects.filter(school=ash).count() == 3


def test_a_refresh_asked_for_by_a_change_it_already_holds_does_nothing(trust):
    """Each web process waits on the same burst of changes: the first refresh to read after the
    change does the work, and one asked for by a change committed before that refresh began
    reading finds it done; a change after the refresh began is refreshed again."""
    ash = trust["ash"]
    rollup_refresh(school_id=ash.pk)

    def read_at_times():
        return set(SchoolYearFigures.objects.filter(school=ash).values_list("refreshed_at", flat=True))

    began = read_at_times()
    assert len(began) == 1  # every year's row written by the one refresh
    (read_at,) = began
    half_absent(trust, trust["send"][5])
    rollup_refresh(school_id=ash.pk, changed_at=read_at - datetime.timedelta(seconds=1))
    assert now(ash, "pa_f") == 5  # held already, as far as this refresh can tell: nothing read
    assert read_at_times() == {read_at}
    rollup_refresh(school_id=ash.pk, changed_at=timezone.now())
    assert now(ash, "pa_f") == 6
    assert_rollup_is_live(ash)


def test_with_a_task_queue_the_refresh_is_queued(
    trust, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """With a broker (REDIS_URL set), a change queues the task, to start after the delay,
    rather than refreshing in the request; more changes before it runs queue nothing more; the
    task itself refreshes the school, and a change after it began queues another."""
    from trusts import tasks

    queued = []
    monkeypatch.setattr(
        tasks.rollup_refresh_task, "apply_async", lambda args, countdown: queued.append((args, countdown))
    )
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.ROLLUP_REFRESH_DELAY = 7
    ash = trust["ash"]

    def absent(pupil):
        with django_capture_on_commit_callbacks(execute=True):
            half_absent(trust, pupil)

    absent(trust["send"][5])
    absent(trust["send"][4])
    assert queued == [((ash.pk,), 7)]
    assert now(ash, "pa_f") == 5  # not refreshed in the request
    tasks.rollup_refresh_task(ash.pk)  # what the worker runs
    assert now(ash, "pa_f") == 6
    assert_rollup_is_live(ash)
    absent(trust["send"][3])
    assert queued == [((ash.pk,), 7), ((ash.pk,), 7)]
    tasks.rollup_refresh_task(ash.pk)
    assert_rollup_is_live(ash)


def test_a_burst_of_changes_starts_one_background_refresh_per_school(settings, monkeypatch):
    """Without a task queue the refresh runs in a thread; changes while one waits to start join
    it, and a change after it has started reading starts another."""
    from trusts import services

    settings.ROLLUP_REFRESH = "background"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.ROLLUP_REFRESH_DELAY = 5
    started, refreshed, slept = [], [], []

    class FakeThread:
        def __init__(self, target, args, name):
            self.run = lambda: target(*args)
            started.append(self)

        def start(self):
            pass

    monkeypatch.setattr(services.threading, "Thread", FakeThread)
    monkeypatch.setattr(
        services, "rollup_refresh", lambda *, school_id, changed_at: refreshed.append(school_id)
    )
    monkeypatch.setattr(services.connections, "close_all", lambda: None)
    monkeypatch.setattr(services.time, "sleep", lambda seconds: slept.append((seconds, list(refreshed))))
    for school_id in (1, 1, 2, 1):
        services.rollup_refresh_changed(school_id=school_id)
    assert len(started) == 2  # one for school 1, one for school 2
    started[0].run()
    assert refreshed == [1]
    assert slept == [(5, [])]  # the delay came before the refresh
    services.rollup_refresh_changed(school_id=1)  # a change after school 1's refresh began
    assert len(started) == 3
    started[1].run()
    started[2].run()
    assert refreshed == [1, 2, 1]
