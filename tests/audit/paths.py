"""Which models hold pupil data: those with a path of foreign keys, one-to-ones or many-to-manys
from the model to Pupil (a plan's target: target -> plan -> pupil). Shared by the access-log and
history tests, so both agree on what "pupil data" is."""

from pathlib import Path

from django.apps import apps
from django.conf import settings

from pupils.models import Pupil


def path_to_pupil(model, depth=3, seen=()):
    """The field names from `model` to Pupil ("plan__pupil"), or None if there is no such path
    within `depth` steps. Forward relations only: a pupil's rows point at the pupil."""
    if model is Pupil:
        return ""
    if depth == 0:
        return None
    for field in model._meta.get_fields():
        if not field.is_relation or field.auto_created or field.related_model is None:
            continue
        if not (field.many_to_one or field.one_to_one or field.many_to_many):
            continue
        target = field.related_model
        if target in seen or target is model:
            continue
        rest = path_to_pupil(target, depth - 1, (*seen, model))
        if rest is not None:
            return f"{field.name}__{rest}".rstrip("_")
    return None


def project_models():
    """Every model of the project's own apps (those whose folder is in the repository, not a
    library's), history models left out: an app added later is walked too."""
    root = Path(settings.BASE_DIR).resolve()
    own = {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(root) and ".venv" not in Path(config.path).parts
    }
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in own and not model.__name__.startswith("Historical")
    ]
