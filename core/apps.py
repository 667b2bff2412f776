from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The bottom layer: what every app shares and that uses no app of the project."""

    name = "core"
    verbose_name = "sendtrack core"
