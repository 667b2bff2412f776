from django.apps import AppConfig


class GraduatedConfig(AppConfig):
    name = "graduated"
    verbose_name = "Graduated approach: costed provision and evidence packs"
