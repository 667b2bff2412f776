from django.core.management.base import BaseCommand, CommandError

from core import policy
from demo.generator import DEMO_PASSWORD, DEMO_USERS, build_demo
from demo.two_factor import demo_code, demo_secret
from schools.models import School


class Command(BaseCommand):
    help = (
        "Build demo schools with realistic pupils, SEN history and one login per role. "
        "Sizes match QUALITY.md: --pupils 420 (primary), --profile secondary --pupils 1500, "
        "--schools 50 --pupils 800 (trust)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--pupils", type=int, default=420, help="pupils in each main school")
        parser.add_argument(
            "--schools",
            type=int,
            default=1,
            help="main-size schools (the small second school comes on top)",
        )
        parser.add_argument("--profile", choices=["primary", "secondary"], default="primary")
        parser.add_argument("--seed", type=int, default=2024, help="random seed (same seed, same data)")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing if any school exists (for `make run`)",
        )

    def handle(self, *args, pupils, schools, profile, seed, if_empty, **options):
        if pupils < 7:
            raise CommandError("--pupils must be at least 7 (one pupil per year group).")
        if schools < 1:
            raise CommandError("--schools must be at least 1.")
        if School.objects.exists():
            if if_empty:
                self.stdout.write("Demo data already present; nothing to do.")
                self._print_logins()
                return
            raise CommandError(
                "The database already has schools. Start from an empty database "
                "(delete db.sqlite3, or `python manage.py flush`) to seed again."
            )
        built = build_demo(pupils=pupils, schools=schools, profile=profile, seed=seed)
        for entry in built["schools"]:
            share = 100 * (entry.sen_support + entry.ehcp) / entry.pupils
            self.stdout.write(
                f"{entry.school.name}: {entry.pupils} pupils, {entry.sen_support} on SEN support, "
                f"{entry.ehcp} with an EHC plan ({share:.1f}% SEND)."
            )
        self._print_logins()

    def _print_logins(self):
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {DEMO_PASSWORD}):"))
        for username, _first, _last, role, second_role in DEMO_USERS:
            extra = f"; {second_role.label} at the second school" if second_role else ""
            if role in policy.ORGANISATION_ROLES:
                extra = ", of every school of the trust (one membership of the trust)"
            self.stdout.write(f"  {username:<10} {role.label}{extra}")
        self.stdout.write("  admin      administrator (admin site)")
        self.stdout.write(
            "\nEvery demo login asks for a two-factor code after the password. Add this key to an "
            f"authenticator app:\n  {demo_secret()}\nor run `.venv/bin/python manage.py demo_code` "
            f"for the current code (now {demo_code()})."
        )
