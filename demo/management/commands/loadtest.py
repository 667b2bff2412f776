"""A bounded load run against the production server on loopback: 32 clients for a fixed time.

    DATABASE_URL=postgres://... python manage.py loadtest --serve --clients 32 --seconds 60
    DATABASE_URL=postgres://... python manage.py loadtest --cpu 20


With --think SECONDS each client pauses a random 0 to 2 x SECONDS after each answer, as a person
reads a page before the next click; without it (the default) each client sends its next request
at once, which measures the server saturated rather than people using it.

With --serve it starts gunicorn itself (gunicorn.conf.py, production settings, this database)
and stops it afterwards; without, it drives the server at --url. Each client signs in as a demo
user (password and the demo authenticator's code, through the real pages), then repeats a mix
of the pages people open most and grid saves, for the time given. It prints requests per
second, the 50th, 95th and 99th percentiles of each kind of request, and every failure (any
status other than 200 or a redirect, or no answer). Demo data only: it signs in with the demo
logins, so it never runs against a server holding real pupils.

Before a run it ANALYZEs the database on PostgreSQL: a live database has planner statistics
(autovacuum), a freshly seeded one has none, and without them the gap dashboard's progress
query alone took half a second.

With --cpu N it serves nothing: it opens each page of the mix N times in this one process (the
test client, no threads, no network) and prints the median CPU time and wall time of each, with
its query count, then the same for a grid open and save. CPU time of one process is the measure
that stays put on a busy machine, where the load run's figures move with everything else.
"""

import http.client
import json
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from assessment.models import Assessment
from demo.generator import DEMO_PASSWORD
from demo.generator import _user as demo_user
from demo.two_factor import demo_code
from pupils.models import Pupil
from schools.models import Membership, SchoolClass

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
GRID_BOX = re.compile(r'name=([agn])-(\d+-\d+) value="([^"]*)"')
GRID_VERSIONS = re.compile(r'name="versions" value="([^"]*)"')
# One request in ten is a grid save; the rest are pages, weighted by how often they are opened.
SAVE_SHARE = 0.1


@dataclass
class Tally:
    times: dict = field(default_factory=dict)  # kind -> [seconds]
    failures: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind, seconds, failure=None):
        with self.lock:
            self.times.setdefault(kind, []).append(seconds)
            if failure:
                self.failures.append(f"{kind}: {failure}")


class Session:
    """One client: a keep-alive connection and its cookies, as a browser behind TLS would send."""

    def __init__(self, base):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.cookies = {}
        self.connection = None

    def request(self, method, path, body=None, headers=None):
        headers = {
            "Host": f"{self.host}:{self.port}",
            # The TLS proxy's header: production settings take the request as HTTPS.
            "X-Forwarded-Proto": "https",
            "Referer": f"https://{self.host}:{self.port}{path}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                self.cookies[key.strip()] = val.strip()
        return response.status, response.getheader("Location", ""), content.decode("utf-8", "replace")

    def csrf(self, page):
        found = CSRF_FIELD.search(page)
        return found.group(1) if found else ""

    def sign_in(self, username):
        _status, _loc, page = self.request("GET", reverse("login"))
        form = {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": self.csrf(page)}
        status, location, _ = self.post_form(reverse("login"), form)
        if status != 302:
            raise CommandError(f"{username} could not sign in ({status}).")
        _status, _loc, page = self.request("GET", reverse("accounts:verify"))
        status, location, _ = self.post_form(
            reverse("accounts:verify"), {"token": demo_code(), "csrfmiddlewaretoken": self.csrf(page)}
        )
        if status != 302:
            raise CommandError(f"{username}'s second factor was refused ({status}).")

    def post_form(self, path, form):
        body = urlencode(form)
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})


def page_mix(school):
    """(kind, path, weight) of the pages of the mix, for the demo school."""
    pupil = Pupil.objects.filter(school=school).on_sen_record().order_by("pk").first()
    return [
        ("overview", reverse("home"), 3),
        ("gap dashboard", reverse("gaps:dashboard"), 3),
        ("pupil list", reverse("pupils:list"), 2),
        ("pupil page", reverse("pupils:detail", args=[pupil.pk]), 3),
        ("SEN register", reverse("sen_register"), 1),
        ("gaps E-H", reverse("gaps:attendance"), 1),
        ("provision map", reverse("interventions:provision_map"), 1),
        ("evidence", reverse("evidence:list"), 1),
        ("plans", reverse("plans:index"), 1),
        ("SEF summary", reverse("reports:sef"), 1),
    ]


def grid_paths(school):
    """Each class's grid at the latest point that holds assessments: a client saves its own
    class, as a teacher does."""
    latest = Assessment.objects.filter(pupil__school=school).order_by("-point__starts_on").first()
    classes = SchoolClass.objects.filter(school=school).order_by("pk").values_list("pk", flat=True)
    grid = reverse("assessment:grid")
    return [f"{grid}?{urlencode({'point': latest.point_id, 'school_class': pk})}" for pk in classes]


def grid_save(session, path, rng, timings=None):
    """Open the grid, give three cells an attainment band another cell holds, and save them as
    the page's script does: JSON of the changed cells' boxes, with the version each was loaded at.
    Two requests: each is timed into `timings` (a list of (kind, seconds, status)) when given."""
    timings = [] if timings is None else timings

    def timed(kind, method, *args):
        started = time.perf_counter()
        try:
            answer = session.request(method, *args)
        except OSError as error:
            timings.append((kind, time.perf_counter() - started, repr(error)))
            return repr(error), ""
        timings.append((kind, time.perf_counter() - started, answer[0]))
        return answer[0], answer[2]

    status, page = timed("grid open", "GET", path)
    if status != 200:
        return status
    boxes = {}
    for prefix, key, value in GRID_BOX.findall(page):
        boxes.setdefault(key, {})[prefix] = value
    bands = sorted({cell["a"] for cell in boxes.values() if cell.get("a")})
    found = GRID_VERSIONS.search(page)
    versions = dict(item.split(":") for item in found.group(1).split()) if found else {}
    if not bands:
        return "no band on the grid page to copy"
    fields = {}
    for key in rng.sample(sorted(boxes), min(3, len(boxes))):
        cell = boxes[key]
        fields.update({f"{prefix}-{key}": cell.get(prefix, "") for prefix in "agn"})
        fields[f"a-{key}"] = rng.choice(bands)
        fields[f"v-{key}"] = versions.get(key, "0")
    headers = {"Content-Type": "application/json", "X-CSRFToken": session.csrf(page)}
    status, _content = timed("grid save", "POST", path, json.dumps({"fields": fields}), headers)
    return status


def one_request(session, rng, grid, pages):
    """[(kind, seconds, failure or None)] of one step of the mix: a page, or a grid opened and
    saved (two requests, each timed on its own). The SENCOs (a `grid` path) save grids as well as
    reading; heads only read."""
    if grid and rng.random() < 2 * SAVE_SHARE:
        timings = []
        grid_save(session, grid, rng, timings)
        # 409: another client of the same class saved one of these cells first, and the grid's
        # conflict rule kept both values (a right answer, counted apart).
        return [
            ("grid save: conflict shown", seconds, None)
            if status == 409
            else (kind, seconds, None if status == 200 else status)
            for kind, seconds, status in timings
        ]
    kind, path, _weight = rng.choices(pages, weights=[w for *_, w in pages])[0]
    started = time.perf_counter()
    try:
        outcome = session.request("GET", path)[0]
    except OSError as error:
        outcome = repr(error)
    return [(kind, time.perf_counter() - started, None if outcome == 200 else outcome)]


def load_users(school, count):
    """One demo login per client, half SENCOs and half heads of the demo school, each with the
    demo authenticator: a code is taken once per user and 30-second step (no replays), so 32
    clients signing in together need 32 users."""
    names = []
    for n in range(1, count + 1):
        user = demo_user(f"load{n:02d}", "Load", f"Client {n}")
        role = "senco" if n % 2 else "head"
        defaults = {"role": role, "is_active": True}
        Membership.objects.update_or_create(user=user, school=school, defaults=defaults)
        names.append(user.username)
    return names


def analyze():
    """Planner statistics, as a live database has them (autovacuum may be off on a test server)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class TestClientSession:
    """The Session interface over Django's test client: the same pages, in this process."""

    def __init__(self):
        self.client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")

    def request(self, method, path, body=None, headers=None):
        if method == "GET":
            response = self.client.get(path)
        else:
            headers = headers or {}
            response = self.client.generic(
                method,
                path,
                body or "",
                content_type=headers.get("Content-Type", ""),
                HTTP_X_CSRFTOKEN=headers.get("X-CSRFToken", ""),
            )
        return response.status_code, response.get("Location", ""), response.content.decode("utf-8", "replace")

    csrf = Session.csrf
    sign_in = Session.sign_in
    post_form = Session.post_form


def _median_ms(values):
    return statistics.median(values) * 1000


class Command(BaseCommand):
    help = "Drive the production server with concurrent clients for a fixed time; print the figures."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8077")
        parser.add_argument(
            "--serve", action="store_true", help="start gunicorn on --url's port, and stop it"
        )
        parser.add_argument("--clients", type=int, default=32)
        parser.add_argument("--seconds", type=int, default=60)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--think",
            type=float,
            default=0.0,
            metavar="SECONDS",
            help="each client waits a random 0 to 2 x SECONDS after each answer (a person reading "
            "the page); 0, the default, sends the next request at once",
        )
        parser.add_argument(
            "--cpu",
            type=int,
            default=0,
            metavar="N",
            help="open each page N times in this process; no server",
        )

    def handle(self, *args, **options):
        senco = (
            Membership.objects.filter(role="senco", user__username="senco").select_related("school").first()
        )
        if senco is None:
            raise CommandError("No demo school here: run seed_demo first.")
        analyze()
        if options["cpu"]:
            self._cpu(senco.school, options["cpu"])
            return
        server = self._serve(options["url"]) if options["serve"] else None
        try:
            self._run(senco.school, options)
        finally:
            if server:
                server.terminate()
                server.wait(timeout=30)

    def _serve(self, url):
        port = urlsplit(url).port
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "sendtrack.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "PORT": str(port),
            "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
        }
        root = Path(settings.BASE_DIR)
        subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            env=env,
            cwd=root,
            check=True,
        )
        gunicorn = Path(sys.executable).with_name("gunicorn")
        server = subprocess.Popen(  # noqa: S603 - our own server
            [str(gunicorn), "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null", "sendtrack.wsgi"],
            env=env,
            cwd=root,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if Session(url).request("GET", reverse("healthz"))[0] == 200:
                    return server
            except OSError:
                time.sleep(0.5)
        server.terminate()
        raise CommandError("gunicorn did not answer /healthz within 60 s.")

    def _cpu(self, school, repeats):
        """Each page of the mix, then a grid open and save, `repeats` times in this process."""
        settings_env = {"DEBUG": False, "ALLOWED_HOSTS": ["127.0.0.1"]}
        # Pages name their static files through the manifest, as in production.
        call_command("collectstatic", interactive=False, verbosity=0)
        with override_settings(**settings_env):
            session = TestClientSession()
            user = demo_user("loadcpu", "Load", "CPU")
            Membership.objects.update_or_create(
                user=user, school=school, defaults={"role": "senco", "is_active": True}
            )
            session.sign_in(user.username)
            rng = random.Random(1)  # noqa: S311 - which cells to save
            grid = grid_paths(school)[0]
            kinds = [
                (kind, lambda path=path: session.request("GET", path)[0])
                for kind, path, _w in page_mix(school)
            ]
            kinds.append(("grid open", lambda: session.request("GET", grid)[0]))
            kinds.append(("grid open and save", lambda: grid_save(session, grid, rng)))
            weights = {kind: weight for kind, _path, weight in page_mix(school)}
            self.stdout.write(f"{'request':<28}{'cpu ms':>8}{'wall ms':>9}{'queries':>9}")
            measured = {}
            for kind, run in kinds:
                run()  # warm: the first request of a kind fills per-process caches
                cpu, wall = [], []
                for _ in range(repeats):
                    started, started_cpu = time.perf_counter(), time.process_time()
                    with CaptureQueriesContext(connection) if not cpu else nullcontext() as queries:
                        status = run()
                    cpu.append(time.process_time() - started_cpu)
                    wall.append(time.perf_counter() - started)
                    if queries is not None:
                        count = len(queries)
                    if status != 200:
                        raise CommandError(f"{kind} answered {status}.")
                measured[kind] = _median_ms(cpu)
                self.stdout.write(f"{kind:<28}{_median_ms(cpu):>8.1f}{_median_ms(wall):>9.1f}{count:>9}")
            pages = sum(weights.values())
            page_cpu = sum(measured[kind] * weight for kind, weight in weights.items()) / pages
            mix_cpu = (1 - SAVE_SHARE) * page_cpu + SAVE_SHARE * measured["grid open and save"]
            self.stdout.write(
                f"mix of the load run: {page_cpu:.1f} ms of CPU a page, {mix_cpu:.1f} ms a request "
                f"with one in ten a grid open and save (this process only, not the database's)"
            )

    def _run(self, school, options):
        url, clients, seconds, think = (options[k] for k in ("url", "clients", "seconds", "think"))
        pages = page_mix(school)
        grids = grid_paths(school)
        tally = Tally()
        sessions = []
        for username in load_users(school, clients):
            session = Session(url)
            session.sign_in(username)
            sessions.append(session)
        pause = f"each pausing 0 to {2 * think:g} s after each answer" if think else "no pause"
        self.stdout.write(f"{clients} clients signed in, {pause}; running for {seconds} s against {url}")
        stop = time.monotonic() + seconds

        def client(session, rng, grid):
            while time.monotonic() < stop:
                for timing in one_request(session, rng, grid, pages):
                    tally.add(*timing)
                if think:
                    time.sleep(min(rng.uniform(0, 2 * think), max(0.0, stop - time.monotonic())))

        threads = [
            threading.Thread(
                target=client,
                args=(s, random.Random(options["seed"] + i), grids[i % len(grids)] if i % 2 == 0 else ""),  # noqa: S311
            )
            for i, s in enumerate(sessions)
        ]
        began, began_cpu = time.perf_counter(), time.process_time()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        # The clients run on the same machine as the server: what they take is not the server's.
        clients_cpu = time.process_time() - began_cpu
        self._report(tally, time.perf_counter() - began, clients_cpu)

    def _report(self, tally, elapsed, clients_cpu):
        every = [t for times in tally.times.values() for t in times]
        self.stdout.write(
            f"{len(every)} requests in {elapsed:.1f} s: {len(every) / elapsed:.1f} requests/s; "
            f"{len(tally.failures)} failed; the clients took {clients_cpu:.1f} s of CPU"
        )
        rows = sorted(tally.times.items(), key=lambda item: -len(item[1])) + [("all", every)]
        self.stdout.write(f"{'request':<28}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
        for kind, times in rows:
            cuts = statistics.quantiles(times, n=100) if len(times) > 1 else times * 99
            p50, p95, p99 = (cuts[i] * 1000 for i in (49, 94, 98))
            self.stdout.write(f"{kind:<28}{len(times):>7}{p50:>9.0f}{p95:>9.0f}{p99:>9.0f}")
        for failure in tally.failures[:20]:
            self.stdout.write(f"  failed: {failure}")
        if tally.failures:
            raise CommandError(f"{len(tally.failures)} requests failed.")
