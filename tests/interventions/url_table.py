import datetime

from core.roles import Role
from tests.url_tables import ALL

SENCO = {Role.SENCO}


def intervention_of(world_school):
    return world_school.run.intervention


def run_of(world_school):
    return world_school.run


def place_of(world_school):
    return world_school.run.places.get(pupil=world_school.group_pupil)


def priority_of(world_school):
    from interventions.models import Priority

    return Priority.objects.create(school=world_school.school, title="Narrow the writing gap in Year 4")


def action_of(world_school):
    from interventions.models import Action

    return Action.objects.create(
        priority=priority_of(world_school),
        description="Train TAs in precision teaching",
        owner="SENCO",
        success_criteria="All TAs trained",
        review_date=datetime.date(2026, 2, 1),
    )


PERMISSIONS = {
    "interventions:list": ("get", ALL, False),
    "interventions:create": ("get", SENCO, False),
    "interventions:detail": ("get", ALL, "intervention"),
    "interventions:edit": ("get", SENCO, "intervention"),
    "interventions:run_create": ("get", SENCO, "intervention"),
    # A teacher may open runs with a pupil of their classes; the world's run has none, so 404.
    "interventions:run": ("get", {Role.SENCO, Role.HEAD, Role.TEACHING_ASSISTANT}, "run"),
    "interventions:run_edit": ("get", SENCO, "run"),
    "interventions:session_create": ("post", {Role.SENCO, Role.TEACHING_ASSISTANT}, "run"),
    "interventions:place_edit": ("get", SENCO, "place"),
    "interventions:checkpoint_create": ("post", {Role.SENCO, Role.TEACHING_ASSISTANT}, "place"),
    "interventions:impact": ("get", ALL, False),
    "interventions:provision_map": ("get", ALL, False),
    "interventions:provision_map_csv": ("get", ALL, False),
    "interventions:action_plan": ("get", ALL, False),
    "interventions:priority_create": ("get", SENCO, False),
    "interventions:action_create": ("get", SENCO, "priority"),
    "interventions:action_edit": ("get", SENCO, "action"),
}
TARGETS = {
    "intervention": intervention_of,
    "run": run_of,
    "place": place_of,
    "priority": priority_of,
    "action": action_of,
}
