"""Builds realistic demo schools at any size: the demo a new user sees, and the scale profiles
of QUALITY.md (primary 420 pupils, secondary 1,500, a trust of 50 schools and 40,000 pupils).

Everything is drawn from one seeded random generator, so the same arguments give the same
school. Rows are written with bulk_create, a school at a time.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.utils import bulk_create_with_history
from stdnum.gb.upn import calc_check_digit

from assessment.services import scheme_set_up_defaults
from core import policy
from core.calendar import academic_year_of
from core.roles import Role
from interventions.models import Intervention, InterventionPlace, InterventionRun
from pupils.models import AreaOfNeed, Gender, Pupil, SenStatus, SenStatusChange
from pupils.services import current_sen
from schools.models import Membership, Organisation, OrganisationMembership, School, SchoolClass

from .extensions import EXTENSIONS

DEMO_PASSWORD = "sendtrack-demo"  # noqa: S105 - printed to the user; demo accounts only
# Every demo login has two-factor authentication on, with this one authenticator key (printed by
# seed_demo in base32 for an app; `manage.py demo_code` prints the current code). Demo only.
DEMO_TOTP_KEY = b"sendtrack-demo-2fa!!".hex()

# Shares of pupils, near the national figures (seeds/004: 18.4% SEND, 4.8% EHCP in 2024;
# DfE 2024: about a quarter eligible for pupil premium, a fifth with EAL, 1% looked after).
SHARE_EHCP = 0.048
SHARE_SEN_SUPPORT = 0.136
SHARE_PP = 0.26
SHARE_EAL = 0.20
SHARE_LAC = 0.01
SHARE_REMOVED_FROM_RECORD = 0.04

# Primary needs by phase, weighted roughly as in DfE "Special educational needs in England" 2024:
# in primary schools speech, language and communication needs lead on SEN support and autism
# on EHC plans; in secondary schools SEMH and specific learning difficulties (identified later,
# twice as common as in primary) lead on SEN support.
NEEDS_SEN_SUPPORT = {
    "primary": {
        "SLCN": 31,
        "SEMH": 18,
        "MLD": 15,
        "SPLD": 8,
        "ASD": 8,
        "NSA": 6,
        "OTH": 4,
        "PD": 3,
        "HI": 2,
        "VI": 1,
        "SLD": 1,
        "MSI": 1,
        "PMLD": 1,
    },
    "secondary": {
        "SEMH": 24,
        "SPLD": 19,
        "MLD": 15,
        "SLCN": 13,
        "ASD": 9,
        "NSA": 6,
        "OTH": 5,
        "PD": 3,
        "HI": 2,
        "VI": 1,
        "SLD": 1,
        "MSI": 1,
    },
}
NEEDS_EHCP = {
    "primary": {
        "ASD": 33,
        "SLCN": 26,
        "SEMH": 13,
        "SLD": 8,
        "MLD": 5,
        "PD": 5,
        "PMLD": 3,
        "HI": 2,
        "SPLD": 1,
        "VI": 1,
        "MSI": 1,
        "OTH": 2,
    },
    "secondary": {
        "ASD": 36,
        "SEMH": 20,
        "SLCN": 12,
        "MLD": 10,
        "SLD": 6,
        "SPLD": 5,
        "PD": 4,
        "HI": 2,
        "OTH": 2,
        "PMLD": 1,
        "VI": 1,
        "MSI": 1,
    },
}
# Needs not yet identified in Reception: a specific learning difficulty such as dyslexia is
# recognised once a child is learning to read and write.
NOT_IN_RECEPTION = {"SPLD"}
# How likely a pupil of each year group is to be on the SEND record, relative to the school's
# average, following the DfE's figures by age: SEN support rises through key stages 1 and 2
# and eases through secondary; EHC plans rise with age (few children have one in Reception,
# when most needs are still being assessed) and level off in secondary.
YEAR_WEIGHT_SEN_SUPPORT = {0: 0.5, 1: 0.75, 2: 0.9, 3: 1.05, 4: 1.15, 5: 1.25, 6: 1.3}
YEAR_WEIGHT_SEN_SUPPORT.update({7: 1.15, 8: 1.1, 9: 1.0, 10: 0.95, 11: 0.85, 12: 0.7, 13: 0.7})
YEAR_WEIGHT_EHCP = {0: 0.25, 1: 0.5, 2: 0.75, 3: 1.0, 4: 1.25, 5: 1.5, 6: 1.75}
YEAR_WEIGHT_EHCP.update({7: 1.2, 8: 1.2, 9: 1.2, 10: 1.2, 11: 1.2, 12: 1.0, 13: 1.0})

FORENAMES_F = [
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Ivy",
    "Freya",
    "Lily",
    "Florence",
    "Mia",
    "Willow",
    "Rosie",
    "Sophia",
    "Isabella",
    "Grace",
    "Daisy",
    "Sienna",
    "Poppy",
    "Elsie",
    "Emily",
    "Ella",
    "Aisha",
    "Fatima",
    "Maryam",
    "Zara",
    "Amira",
    "Priya",
    "Ananya",
    "Zuzanna",
    "Maja",
    "Chloe",
    "Evie",
    "Harper",
    "Ruby",
    "Phoebe",
    "Hannah",
    "Nia",
    "Esme",
    "Layla",
    "Imogen",
    "Jessica",
]
FORENAMES_M = [
    "Noah",
    "Oliver",
    "George",
    "Arthur",
    "Muhammad",
    "Leo",
    "Harry",
    "Oscar",
    "Archie",
    "Henry",
    "Theodore",
    "Freddie",
    "Jack",
    "Charlie",
    "Theo",
    "Alfie",
    "Jacob",
    "Thomas",
    "Finley",
    "Isaac",
    "Yusuf",
    "Ibrahim",
    "Aarav",
    "Arjun",
    "Kacper",
    "Jakub",
    "Tomasz",
    "Kofi",
    "Samuel",
    "Joshua",
    "Reuben",
    "Elijah",
    "Max",
    "Lucas",
    "Ethan",
    "Dylan",
    "Rhys",
    "Caleb",
    "Zain",
    "Ollie",
]
SURNAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Thomas",
    "Clarke",
    "Jackson",
    "Wood",
    "Harris",
    "Edwards",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Hughes",
    "Moore",
    "Clark",
    "King",
    "Harrison",
    "Lewis",
    "Baker",
    "Lee",
    "Allen",
    "Morris",
    "Khan",
    "Scott",
    "Watson",
    "Davis",
    "Parker",
    "James",
    "Bennett",
    "Young",
    "Phillips",
    "Richardson",
    "Mitchell",
    "Bailey",
    "Carter",
    "Cook",
    "Singh",
    "Shaw",
    "Bell",
    "Collins",
    "Morgan",
    "Kelly",
    "Begum",
    "Ali",
    "Ahmed",
    "Hussain",
    "Kowalski",
    "Nowak",
    "Mensah",
    "Okafor",
    "Adeyemi",
    "Murphy",
    "O'Brien",
]
FORM_NAMES = ["Oak", "Ash", "Birch", "Elm", "Hazel", "Rowan", "Willow", "Cedar", "Maple", "Yew"]
PEN_PORTRAITS = [
    "{name} is a sociable pupil who loves football and building with Lego. {name} finds it hard to "
    "hold several instructions in mind and works best with visual prompts and a task board.",
    "{name} enjoys drawing and animals. Reading is effortful and {name} can lose confidence in "
    "whole-class writing; short, structured tasks and pre-teaching vocabulary help.",
    "{name} is curious and kind but finds changes to routine unsettling. A visual timetable, a "
    "calm space and warning before transitions help {name} to stay regulated.",
    "{name} communicates best in small groups. Speech and language targets are worked on daily "
    "with the teaching assistant, and {name} is proud of their growing vocabulary.",
    "{name} has a great sense of humour and likes practical maths. Working memory is a barrier; "
    "concrete resources and worked examples help {name} to succeed independently.",
]


@dataclass
class DemoProfile:
    phase: str
    first_year: int
    last_year: int
    form_size: int = 30


PROFILES = {
    "primary": DemoProfile(School.Phase.PRIMARY, 0, 6),
    "secondary": DemoProfile(School.Phase.SECONDARY, 7, 11),
}


@dataclass
class BuiltSchool:
    school: School
    pupils: int
    sen_support: int
    ehcp: int
    classes: list = field(default_factory=list)


class DemoBuilder:
    def __init__(self, *, seed=2024, today=None):
        self.seed = seed
        self.rng = random.Random(seed)
        self.today = today or timezone.localdate()
        self.year_start = academic_year_of(self.today)
        self._upn_serial = 0
        # The day each pupil joined their school, by primary key: every record the extensions
        # add for a pupil falls between it and today (see `joined` and `within`).
        self.entered = {}

    def joined(self, pupil_id):
        """The day the pupil joined the school (the first day of their SEN history)."""
        return self.entered[pupil_id]

    def within(self, pupil_id, day):
        """Whether `day` falls in the pupil's time at the school: on or after the day they
        joined, and not after today."""
        return self.entered[pupil_id] <= day <= self.today

    # -- pieces ---------------------------------------------------------------------------
    @staticmethod
    def _quotas(total, weights, capacity):
        """`total` shared out in proportion to `weights` ({key: weight}) by largest remainder,
        no key getting more than its `capacity`: exact counts, so that every demo school shows
        the same pattern rather than a random draw's."""
        keys = [k for k in weights if capacity.get(k, 0) > 0]
        scale = sum(weights[k] for k in keys) or 1
        exact = {k: total * weights[k] / scale for k in keys}
        shares = {k: min(int(exact[k]), capacity[k]) for k in keys}
        by_remainder = sorted(keys, key=lambda k: (exact[k] - int(exact[k]), weights[k]), reverse=True)
        while sum(shares.values()) < total and any(shares[k] < capacity[k] for k in keys):
            for k in by_remainder:
                if sum(shares.values()) < total and shares[k] < capacity[k]:
                    shares[k] += 1
        return shares

    def _needs(self, count, table, *, reception):
        """`count` primary needs in the shares of `table`, shuffled; the first `reception` of
        them (for Reception pupils) never a need not yet identified at that age."""
        quotas = self._quotas(count, table, dict.fromkeys(table, count))
        pool = [code for code, n in quotas.items() for _ in range(n)]
        self.rng.shuffle(pool)
        early = [code for code in pool if code not in NOT_IN_RECEPTION][:reception]
        for code in early:
            pool.remove(code)
        return early + pool

    def _upn(self, la, establishment, issue_year):
        self._upn_serial += 1
        # A real UPN is issued by the school a pupil first joined; spread the demo's over
        # neighbouring establishment numbers so that no two pupils share one.
        issuer = (establishment + self._upn_serial // 1000) % 10000
        body = f"{la:03d}{issuer:04d}{issue_year % 100:02d}{self._upn_serial % 1000:03d}"
        return calc_check_digit(body) + body

    def _date_of_birth(self, year_group):
        born_from = datetime.date(self.year_start - 5 - year_group, 9, 1)
        return born_from + datetime.timedelta(days=self.rng.randrange(365))

    def _entry_date(self, year_group, first_year):
        """September of the year the pupil joined the school (most join in its first year)."""
        years_here = year_group - first_year
        if years_here > 0 and self.rng.random() < 0.15:
            years_here = self.rng.randrange(years_here)
        return datetime.date(self.year_start - years_here, 9, self.rng.randrange(3, 10))

    def _sen_history(self, entry, status):
        """Dated changes ending in `status`: N at entry, then placements and moves."""
        changes = [(SenStatus.NONE, entry)]
        span = (self.today - entry).days
        if status == SenStatus.NONE:
            if span > 400 and self.rng.random() < SHARE_REMOVED_FROM_RECORD / 0.82:
                placed = entry + datetime.timedelta(days=self.rng.randrange(30, span // 2))
                removed = placed + datetime.timedelta(
                    days=self.rng.randrange(120, span - (placed - entry).days)
                )
                changes += [
                    (SenStatus.SEN_SUPPORT, placed),
                    (SenStatus.NONE, min(removed, self.today)),
                ]
            return changes
        placed = entry + datetime.timedelta(days=self.rng.randrange(20, max(21, span)))
        if status == SenStatus.SEN_SUPPORT:
            changes.append((SenStatus.SEN_SUPPORT, placed))
            return changes
        # EHCP: usually after a period of SEN support; some arrive with a plan.
        if self.rng.random() < 0.25 or (self.today - placed).days < 60:
            changes[-1] = (SenStatus.EHCP, entry)
            return changes
        plan = placed + datetime.timedelta(days=self.rng.randrange(40, (self.today - placed).days))
        changes += [(SenStatus.SEN_SUPPORT, placed), (SenStatus.EHCP, plan)]
        return changes

    # -- a school -------------------------------------------------------------------------
    @transaction.atomic
    def build_school(
        self, *, name, urn, pupils, profile="primary", organisation=None, la=886, establishment=2000
    ):
        prof = PROFILES[profile]
        school = School.objects.create(name=name, urn=urn, phase=prof.phase, organisation=organisation)
        years = list(range(prof.first_year, prof.last_year + 1))
        per_year = max(1, round(pupils / len(years)))
        forms = max(1, round(per_year / prof.form_size))
        classes = SchoolClass.objects.bulk_create(
            SchoolClass(
                school=school,
                year_group=year,
                name=f"{'R' if year == 0 else year} {FORM_NAMES[i % len(FORM_NAMES)]}"
                + ("" if i < len(FORM_NAMES) else f" {i // len(FORM_NAMES) + 1}"),
            )
            for year in years
            for i in range(forms)
        )
        by_year = {}
        for school_class in classes:
            by_year.setdefault(school_class.year_group, []).append(school_class)

        # Exact quotas, so every school sits at the national shares, spread over the year
        # groups as a real school's are (YEAR_WEIGHT_*).
        ehcp, sen_support = round(pupils * SHARE_EHCP), round(pupils * SHARE_SEN_SUPPORT)
        year_of = [years[min(index // per_year, len(years) - 1)] for index in range(pupils)]
        statuses = [SenStatus.NONE] * pupils
        needs = [""] * pupils
        need_phase = "primary" if prof.phase == School.Phase.PRIMARY else "secondary"
        for status, quota, weights, need_table in (
            (SenStatus.EHCP, ehcp, YEAR_WEIGHT_EHCP, NEEDS_EHCP[need_phase]),
            (SenStatus.SEN_SUPPORT, sen_support, YEAR_WEIGHT_SEN_SUPPORT, NEEDS_SEN_SUPPORT[need_phase]),
        ):
            free = {}
            for index in range(pupils):
                if statuses[index] == SenStatus.NONE:
                    free.setdefault(year_of[index], []).append(index)
            chosen = []
            capacity = {year: len(slots) for year, slots in free.items()}
            for year, n in self._quotas(quota, {y: weights[y] for y in free}, capacity).items():
                chosen += sorted(self.rng.sample(free[year], n))
            # Reception pupils first, so that their needs are ones recognised at that age.
            chosen.sort(key=lambda index: (year_of[index] != 0, index))
            reception = sum(year_of[index] == 0 for index in chosen)
            for index, need in zip(
                chosen, self._needs(len(chosen), need_table, reception=reception), strict=True
            ):
                statuses[index], needs[index] = status, need
        rows, histories, entries = [], [], []
        for index, status in enumerate(statuses):
            year = year_of[index]
            girl = self.rng.random() < 0.49
            entry = self._entry_date(year, prof.first_year)
            changes = self._sen_history(entry, status)
            current, placed_on = current_sen(changes)
            pp = self.rng.random() < SHARE_PP + (0.12 if current != SenStatus.NONE else 0)
            primary = needs[index]
            secondary = ""
            if primary and self.rng.random() < 0.3:
                secondary = self.rng.choice([c for c in AreaOfNeed.values if c not in (primary, "NSA")])
            forename = self.rng.choice(FORENAMES_F if girl else FORENAMES_M)
            rows.append(
                Pupil(
                    school=school,
                    upn=self._upn(la, establishment, entry.year),
                    legal_forename=forename,
                    legal_surname=self.rng.choice(SURNAMES),
                    date_of_birth=self._date_of_birth(year),
                    gender=Gender.FEMALE if girl else Gender.MALE,
                    year_group=year,
                    school_class=self.rng.choice(by_year[year]),
                    pupil_premium=pp,
                    fsm=pp and self.rng.random() < 0.85,
                    eal=self.rng.random() < SHARE_EAL,
                    lac=self.rng.random() < SHARE_LAC,
                    sen_status=current,
                    sen_placed_on=placed_on,
                    primary_need=primary,
                    secondary_need=secondary,
                    pen_portrait=(self.rng.choice(PEN_PORTRAITS).format(name=forename) if primary else ""),
                )
            )
            histories.append(changes)
            entries.append(entry)
        created = bulk_create_with_history(rows, Pupil, batch_size=2000)
        self.entered.update((pupil.pk, entry) for pupil, entry in zip(created, entries, strict=True))
        # bulk_create returns primary keys on PostgreSQL and SQLite alike.
        SenStatusChange.objects.bulk_create(
            [
                SenStatusChange(
                    pupil=pupil,
                    status=status,
                    effective_date=when,
                    note="Imported with the demo data",
                )
                for pupil, changes in zip(created, histories, strict=True)
                for status, when in changes
            ],
            batch_size=5000,
        )
        return BuiltSchool(
            school=school,
            pupils=len(created),
            sen_support=sum(p.sen_status == SenStatus.SEN_SUPPORT for p in created),
            ehcp=sum(p.sen_status == SenStatus.EHCP for p in created),
            classes=classes,
        )

    def add_intervention(
        self, built, *, staff, name="Reading catch-up (phonics)", need="SPLD", year_group=3, size=6
    ):
        intervention = Intervention.objects.create(
            school=built.school,
            name=name,
            area_of_need=need,
            wave=Intervention.Wave.GROUP,
            description="Small-group phonics and fluency, three 30-minute sessions a week.",
        )
        # This autumn's run (begun by today, whatever day the demo is built on).
        start = min(datetime.date(self.year_start, 9, 15), self.today)
        run = InterventionRun.objects.create(
            intervention=intervention,
            start_date=start,
            end_date=max(start, datetime.date(self.year_start, 12, 12)),
        )
        run.staff.add(staff)
        chosen = [
            pupil
            for pupil in Pupil.objects.filter(school=built.school, year_group=year_group)
            .on_sen_record()
            .order_by("pk")
            if self.joined(pupil.pk) <= start
        ][:size]
        InterventionPlace.objects.bulk_create(InterventionPlace(run=run, pupil=p) for p in chosen)
        return run


def _user(username, first, last, *, is_staff=False, is_superuser=False):
    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.org",
            "is_staff": is_staff,
            "is_superuser": is_superuser,
        },
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    TOTPDevice.objects.get_or_create(
        user=user, defaults={"name": "Demo authenticator", "key": DEMO_TOTP_KEY, "confirmed": True}
    )
    return user


DEMO_USERS = [
    # username, first, last, role at the main school, role at the second school
    ("senco", "Sam", "Okoro", Role.SENCO, Role.GOVERNOR),
    ("teacher", "Tara", "Hughes", Role.TEACHER, None),
    ("ta", "Ali", "Rahman", Role.TEACHING_ASSISTANT, None),
    ("head", "Helen", "Marsh", Role.HEAD, None),
    ("governor", "Gareth", "Lloyd", Role.GOVERNOR, None),
    # The trust lead holds one membership of the trust, covering every school of it.
    ("trustlead", "Tom", "Ashworth", Role.TRUST_LEAD, None),
]


def build_demo(*, pupils=420, schools=1, profile="primary", seed=2024, today=None):
    """The demo: a trust with a main school of `pupils` pupils, a second smaller school so
    that the school switcher has something to switch to, any further schools of the same
    size for scale profiles, and one demo user for each role."""
    builder = DemoBuilder(seed=seed, today=today)
    trust = Organisation.objects.create(name="Meadowbank Learning Trust")
    main = builder.build_school(
        name="Oakfield Primary School" if profile == "primary" else "Oakfield Academy",
        urn="140001",
        pupils=pupils,
        profile=profile,
        organisation=trust,
        establishment=2001,
    )
    second = builder.build_school(
        name="Riverside Primary School",
        urn="140002",
        pupils=max(7, pupils // 2),
        profile="primary",
        organisation=trust,
        establishment=2002,
    )
    extra = [
        builder.build_school(
            name=f"Trust School {n}",
            urn=f"{140000 + n:06d}",
            pupils=pupils,
            profile=profile,
            organisation=trust,
            establishment=2000 + n,
        )
        for n in range(3, schools + 2)
    ]
    users = {}
    for username, first, last, main_role, second_role in DEMO_USERS:
        user = users[username] = _user(username, first, last)
        if main_role in policy.ORGANISATION_ROLES:
            OrganisationMembership.objects.create(user=user, organisation=trust, role=main_role)
            continue
        Membership.objects.create(user=user, school=main.school, role=main_role)
        if second_role:
            Membership.objects.create(user=user, school=second.school, role=second_role)
    users["admin"] = _user("admin", "Ada", "Admin", is_staff=True, is_superuser=True)
    teacher_class = next(c for c in main.classes if c.year_group == main.classes[-1].year_group - 2)
    teacher_class.teachers.add(users["teacher"])
    intervention_year = teacher_class.year_group if profile == "primary" else 7
    builder.add_intervention(main, staff=users["ta"], year_group=intervention_year)
    for entry in (main, second, *extra):
        scheme_set_up_defaults(school=entry.school, academic_year=builder.year_start)
    demo = {"schools": [main, second, *extra], "users": users, "teacher_class": teacher_class}
    for extend in extensions():
        extend(builder, demo)
    return demo


def extensions():
    """Each app's demo data (assessment history, attendance, interventions, evidence, plans),
    added after the schools, pupils and users, in the order demo/extensions.py lists them."""
    return [import_string(path) for path in EXTENSIONS]


def demo_from_database():
    """The demo built earlier by seed_demo, as build_demo returned it (its schools, main school
    first, and its users), for measuring a large profile built once; None if there is none."""
    User = get_user_model()
    users = {user.username: user for user in User.objects.filter(username__in=[u[0] for u in DEMO_USERS])}
    users.update({user.username: user for user in User.objects.filter(username="admin")})
    main = Membership.objects.filter(user__username="senco", role=Role.SENCO).select_related("school").first()
    if main is None or len(users) < len(DEMO_USERS):
        return None
    schools = School.objects.filter(organisation_id=main.school.organisation_id).order_by("pk")
    counts = {
        row["school_id"]: row
        for row in Pupil.objects.filter(school__in=schools)
        .values("school_id")
        .annotate(
            pupils=Count("pk"),
            sen_support=Count("pk", filter=Q(sen_status=SenStatus.SEN_SUPPORT)),
            ehcp=Count("pk", filter=Q(sen_status=SenStatus.EHCP)),
        )
    }
    classes = {}
    for school_class in SchoolClass.objects.filter(school__in=schools).order_by("pk"):
        classes.setdefault(school_class.school_id, []).append(school_class)
    built = [
        BuiltSchool(
            school=school,
            pupils=counts.get(school.pk, {}).get("pupils", 0),
            sen_support=counts.get(school.pk, {}).get("sen_support", 0),
            ehcp=counts.get(school.pk, {}).get("ehcp", 0),
            classes=classes.get(school.pk, []),
        )
        for school in sorted(schools, key=lambda school: school.pk != main.school_id)
    ]
    teacher_class = SchoolClass.objects.filter(teachers=users["teacher"]).first()
    return {"schools": built, "users": users, "teacher_class": teacher_class}
