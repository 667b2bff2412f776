from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = "Accounts and two-factor authentication"

    def ready(self):
        # Models and signals can be imported only once the app registry is ready.
        from django.contrib.auth.signals import user_logged_in

        from .services import remember_two_factor  # (as above: it imports the models)

        user_logged_in.connect(remember_two_factor, dispatch_uid="accounts.remember_two_factor")


class TwoFactorAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the two-factor admin site as `admin.site`."""

    default = False
    default_site = "accounts.admin_site.TwoFactorAdminSite"
