from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone


class UserSession(AbstractBaseSession):
    """Django's database session with the signed-in user beside it (Django's documented way to
    extend the session model), so that all of one user's sessions can be ended at once: when
    they turn on two-factor authentication, and when an administrator resets it. Written by
    accounts.sessions.SessionStore, the SESSION_ENGINE."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, db_index=True, related_name="+"
    )

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore  # (accounts.sessions imports this module)

        return SessionStore


class AccountEvent(models.Model):
    """A change to how someone signs in, kept for the school's records: who, what, when, and
    who did it (the user themselves, or an administrator)."""

    class Kind(models.TextChoices):
        TWO_FACTOR_ON = "two_factor_on", "Two-factor authentication turned on"
        TWO_FACTOR_OFF = "two_factor_off", "Two-factor authentication turned off"
        TWO_FACTOR_RESET = "two_factor_reset", "Two-factor authentication reset by an administrator"
        BACKUP_CODES = "backup_codes", "New backup codes made"
        BACKUP_CODE_USED = "backup_code_used", "Signed in with a backup code"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        PASSWORD_RESET = "password_reset", "Password reset by e-mail"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_events"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.user} ({self.at:%d/%m/%Y %H:%M})"
