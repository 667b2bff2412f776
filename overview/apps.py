from django.apps import AppConfig


class OverviewConfig(AppConfig):
    """The home page and the pupil page: they read every feature app, so they sit above them."""

    name = "overview"
