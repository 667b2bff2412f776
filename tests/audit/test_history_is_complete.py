"""Every change to pupil data, and to who may see it, is kept in history (finding 2 of the
data-protection audit).

Walks every model of the project (django.apps): each one with a path of relations to Pupil, and
each one that decides access (a membership with a role; a link from a class or a group to its
staff), must be tracked by django-simple-history, and each of its many-to-many links too (the
link tables change without the row: evidence tags, a class's teachers, a run's staff), unless the
link has a model of its own that is tracked. Before this, an intervention place's baseline, exit
score and notes, checkpoints, session attendance, case studies, evidence tags, class-teacher
assignments and memberships all changed with no history.
"""

import pytest
from django.conf import settings
from simple_history.models import registered_models

from tests.audit.paths import path_to_pupil, project_models

# Tables that hold pupil data but are not history-tracked, each for a stated reason.
NOT_TRACKED = {
    # The access log: written once per request and never changed; its own hash chain shows any
    # change, which a history table would only duplicate.
    "pupils.AccessLogEntry": "append-only access log, hash-chained",
    "pupils.AccessLogPupil": "append-only access log, hash-chained",
    # Which pupils went out in a Common Transfer File: a record of an export, written once when
    # the file is made and never edited.
    "imports.CtfExportPupil": "append-only record of an export",
    # That a review reminder was e-mailed for a due date: written once by the daily job so that it
    # never repeats, and never edited; the plan it is about keeps its own history.
    "plans.ReviewReminder": "append-only record of a reminder sent",
}


def is_tracked(model):
    return registered_models.get(model._meta.db_table) is model


def decides_access(model):
    """A membership (a role in a school), or a model linking staff to the pupils they see."""
    fields = {field.name for field in model._meta.get_fields()}
    has_role = "role" in fields and "school" in fields and "user" in fields
    links_staff = any(
        field.related_model._meta.label == settings.AUTH_USER_MODEL for field in model._meta.many_to_many
    )
    return has_role or links_staff


def models_to_track():
    return sorted(
        (
            model
            for model in project_models()
            if (path_to_pupil(model) is not None or decides_access(model))
            and model._meta.label not in NOT_TRACKED
        ),
        key=lambda model: model._meta.label,
    )


def test_the_walk_finds_the_models_the_audit_named():
    """The walk can fail: it finds each model the audit found untracked."""
    found = {model._meta.label for model in models_to_track()}
    named = {
        "interventions.InterventionPlace",
        "interventions.Checkpoint",
        "interventions.SessionAttendance",
        "reports.CaseStudy",
        "evidence.EvidenceItem",
        "schools.SchoolClass",
        "schools.Membership",
    }
    assert named <= found


@pytest.mark.parametrize("model", models_to_track(), ids=lambda model: model._meta.label)
def test_every_model_with_pupil_data_or_deciding_access_keeps_history(model):
    assert is_tracked(model), f"{model._meta.label} changes leave no history"


@pytest.mark.parametrize("model", models_to_track(), ids=lambda model: model._meta.label)
def test_every_many_to_many_link_keeps_history(model):
    if not is_tracked(model):
        pytest.skip("the model itself is reported above")
    tracked_links = {field.name for field in model.history.model._history_m2m_fields}
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        if not through._meta.auto_created:
            # A link with its own model (a run's places): that model keeps the history.
            assert is_tracked(through) or through._meta.label in NOT_TRACKED, (model, field.name)
        else:
            assert field.name in tracked_links, f"{model._meta.label}.{field.name} changes leave no history"


def test_the_allow_list_names_real_models_only():
    labels = {model._meta.label for model in project_models()}
    assert set(NOT_TRACKED) <= labels
