from django.apps import AppConfig


class TrustsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "trusts"
    verbose_name = "Trust and local-authority comparison"

    def ready(self):
        # The services of the lower apps say, through schools.changes, that a school's figures
        # changed; the comparison's rollup is refreshed then (trusts.services).
        from schools import changes

        from .services import rollup_refresh_changed

        changes.listen(rollup_refresh_changed)
