from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.services import two_factor_reset


class Command(BaseCommand):
    help = (
        "Reset a user's two-factor authentication from the server (for an administrator who has lost "
        "their own phone and backup codes): their app and codes go, every session of theirs ends, and "
        "the reset is recorded. Others are reset on the admin site."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reason", default="", help="recorded with the reset")

    def handle(self, *args, username, reason, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"There is no user {username!r}.") from None
        note = f"Reset from the server's command line. {reason}".strip()
        ended = two_factor_reset(user=user, by=None, note=note)
        self.stdout.write(
            self.style.SUCCESS(
                f"Two-factor authentication reset for {username}; {ended} session(s) ended. "
                "They set up a new authenticator app at their next sign-in."
            )
        )
