import time

from django.core.management.base import BaseCommand

from demo.two_factor import demo_code


class Command(BaseCommand):
    help = "Print the demo logins' current two-factor code (demo data only; not in production)."

    def handle(self, *args, **options):
        left = 30 - int(time.time()) % 30
        self.stdout.write(f"{demo_code()}  (changes in {left} s)")
