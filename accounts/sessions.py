"""The session engine (SESSION_ENGINE = "accounts.sessions"): Django's database sessions, each
row also naming its user (accounts.models.UserSession), so one user's sessions can be found and
ended without reading every session in the table."""

from django.contrib.sessions.backends.db import SessionStore as DatabaseStore


class SessionStore(DatabaseStore):
    @classmethod
    def get_model_class(cls):
        from .models import UserSession  # (the model module imports this one)

        return UserSession

    def create_model_instance(self, data):
        row = super().create_model_instance(data)
        try:
            row.user_id = int(data.get("_auth_user_id"))
        except (TypeError, ValueError):
            row.user_id = None
        return row
