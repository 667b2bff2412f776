from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from simple_history.models import HistoricalRecords

from core import policy
from core.access_log import AuditedQuerySet
from core.policy import Scope
from schools.models import School, SchoolClass

from .upn import validate_upn


class SenStatus(models.TextChoices):
    """School census SEN provision codes."""

    NONE = "N", "N — No special educational need"
    SEN_SUPPORT = "K", "K — SEN support"
    EHCP = "E", "E — Education, health and care plan"


SEN_STATUSES_ON_RECORD = (SenStatus.SEN_SUPPORT, SenStatus.EHCP)


class AreaOfNeed(models.TextChoices):
    """School census SEN type codes."""

    SPLD = "SPLD", "SPLD — Specific learning difficulty"
    MLD = "MLD", "MLD — Moderate learning difficulty"
    SLD = "SLD", "SLD — Severe learning difficulty"
    PMLD = "PMLD", "PMLD — Profound and multiple learning difficulty"
    SEMH = "SEMH", "SEMH — Social, emotional and mental health"
    SLCN = "SLCN", "SLCN — Speech, language and communication needs"
    HI = "HI", "HI — Hearing impairment"
    VI = "VI", "VI — Visual impairment"
    MSI = "MSI", "MSI — Multi-sensory impairment"
    PD = "PD", "PD — Physical disability"
    ASD = "ASD", "ASD — Autistic spectrum disorder"
    OTH = "OTH", "OTH — Other difficulty or disability"
    NSA = "NSA", "NSA — SEN support but no specialist assessment of type of need"


class Gender(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"


class SocialCare(models.TextChoices):
    """Whether the pupil is known, now or before, to children's social care. The school census
    has no code for this (local authorities return it in the children in need census), so these
    are sendtrack's own: a plan open now, or one that has closed ("ever had a social worker")."""

    NONE = "", "Not known to children's social care"
    CHILD_IN_NEED = "CIN", "CIN — Child in need plan now"
    CHILD_PROTECTION = "CPP", "CPP — Child protection plan now"
    PREVIOUSLY = "PREV", "PREV — Known before (a plan that has closed)"


SOCIAL_CARE_NOW = (SocialCare.CHILD_IN_NEED, SocialCare.CHILD_PROTECTION)


class PostLookedAfter(models.TextChoices):
    """School census post looked after arrangements (data item 100587): how a previously
    looked-after pupil left care, as those with parental responsibility declare it."""

    NOT_DECLARED = "", "Not declared"
    ADOPTED = "A", "A — Ceased to be looked after through adoption"
    SPECIAL_GUARDIANSHIP = "S", "S — Ceased to be looked after through a special guardianship order"
    RESIDENCE_ORDER = "R", "R — Ceased to be looked after through a residence order"
    CHILD_ARRANGEMENTS = "C", "C — Ceased to be looked after through a child arrangements order"


class YoungCarer(models.TextChoices):
    """School census young carer indicator (codeset CS118): N when not declared."""

    NOT_DECLARED = "N", "N — Not declared"
    BY_PARENT = "P", "P — Identified as a young carer by a parent or guardian"
    BY_SCHOOL = "S", "S — Identified as a young carer by the school"


YOUNG_CARER_IDENTIFIED = (YoungCarer.BY_PARENT, YoungCarer.BY_SCHOOL)


def inclusion_group_q(code, prefix=""):
    """The Q of pupils in one of the groups the inclusion evaluation area names that the census
    flags do not cover (over fields reached through `prefix`), or None for another code:
    "social_care" known to children's social care now or before, "plac" previously looked
    after, "young_carer" identified as a young carer."""
    p = prefix
    groups = {
        "social_care": ~Q(**{f"{p}social_care": SocialCare.NONE}),
        "plac": ~Q(**{f"{p}post_looked_after": PostLookedAfter.NOT_DECLARED}),
        "young_carer": Q(**{f"{p}young_carer__in": YOUNG_CARER_IDENTIFIED}),
    }
    return groups.get(code)


INCLUSION_GROUPS = [
    ("social_care", "Known to children's social care"),
    ("plac", "Previously looked after"),
    ("young_carer", "Pupils who are young carers"),
]


YEAR_GROUPS = [(0, "Reception")] + [(n, f"Year {n}") for n in range(1, 14)]
# The year groups each phase teaches: a primary school Reception to Year 6, a secondary Year 7
# to Year 13 (sixth form included); all-through and special schools any of them.
PHASE_YEARS = {"primary": range(0, 7), "secondary": range(7, 14)}


def year_groups_of(school):
    """The (year group, label) choices a school of this phase offers wherever a year group is
    chosen: "Reception" to "Year 6" in a primary school, "Year 7" to "Year 13" in a secondary."""
    years = PHASE_YEARS.get(school.phase, range(0, 14))
    return [(n, label) for n, label in YEAR_GROUPS if n in years]


class ExternalAgency(models.Model):
    """A service outside the school that can be involved with a pupil (EP, SALT, CAMHS...)."""

    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "external agencies"

    def __str__(self):
        return self.name


class PupilQuerySet(AuditedQuerySet):
    audit_path = ""  # the rows are the pupils (core.access_log)

    def active(self):
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)

    def on_sen_record(self):
        return self.filter(sen_status__in=SEN_STATUSES_ON_RECORD)

    def on_record_at(self, when, statuses=SEN_STATUSES_ON_RECORD):
        """Pupils whose SEN status as at `when` is one of `statuses` (by default SEN support or
        EHC plan): `status_at_q`."""
        return self.filter(status_at_q(when, statuses))

    def for_membership(self, membership, *, include_archived=False):
        """The one access path to pupils: what this membership may see, in its school only.

        The rule is core.policy.pupil_scope's: SENCO and head see every pupil of the school; a
        teacher the pupils of the classes they teach; a teaching assistant the pupils of the
        intervention runs they deliver; governors and trust leads no pupil at all.
        """
        scope = policy.pupil_scope(membership)
        if scope is Scope.NONE:
            return self.none()
        qs = self.filter(school_id=membership.school_id).audited()
        if not include_archived:
            qs = qs.active()
        if scope is Scope.CLASSES:
            return qs.filter(school_class__teachers=membership.user)
        if scope is Scope.GROUPS:
            # Through the reverse relation, so pupils need not import interventions; as a
            # subquery, so a pupil in two of the assistant's runs is listed once.
            delivered = self.model.objects.filter(
                intervention_places__run__staff=membership.user,
                intervention_places__run__intervention__school_id=membership.school_id,
            ).values("pk")
            return qs.filter(pk__in=delivered)
        return qs


class Pupil(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="pupils")
    upn = models.CharField("UPN", max_length=13, validators=[validate_upn])
    legal_surname = models.CharField(max_length=100)
    legal_forename = models.CharField(max_length=100)
    preferred_forename = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=1, choices=Gender.choices)
    year_group = models.SmallIntegerField(choices=YEAR_GROUPS)
    school_class = models.ForeignKey(
        SchoolClass,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pupils",
        verbose_name="class",
    )
    pupil_premium = models.BooleanField("pupil premium (PP)", default=False)
    fsm = models.BooleanField("free school meals (FSM)", default=False)
    eal = models.BooleanField("English as an additional language (EAL)", default=False)
    lac = models.BooleanField("looked-after child (LAC)", default=False)
    service_child = models.BooleanField(
        "service child", default=False, help_text="A parent serves in the armed forces (CTF ServiceChild)."
    )
    social_care = models.CharField(
        "known to children's social care",
        max_length=4,
        choices=SocialCare.choices,
        blank=True,
        default=SocialCare.NONE,
        help_text="A child in need or child protection plan now, or one that has closed.",
    )
    post_looked_after = models.CharField(
        "previously looked after",
        max_length=1,
        choices=PostLookedAfter.choices,
        blank=True,
        default=PostLookedAfter.NOT_DECLARED,
        help_text="How the pupil left care, as the family has declared it (census code).",
    )
    young_carer = models.CharField(
        "young carer",
        max_length=1,
        choices=YoungCarer.choices,
        default=YoungCarer.NOT_DECLARED,
        help_text="Census code: who identified the pupil as a young carer.",
    )
    # Current SEN status and the date the current spell on the SEND record began. Both are
    # written only by pupils.services from the dated SenStatusChange history.
    sen_status = models.CharField(
        "SEN status", max_length=1, choices=SenStatus.choices, default=SenStatus.NONE
    )
    sen_placed_on = models.DateField("placed on the SEND record", null=True, blank=True)
    primary_need = models.CharField(max_length=4, choices=AreaOfNeed.choices, blank=True)
    secondary_need = models.CharField(max_length=4, choices=AreaOfNeed.choices, blank=True)
    agencies = models.ManyToManyField(
        ExternalAgency, blank=True, related_name="pupils", verbose_name="external agencies involved"
    )
    pen_portrait = models.TextField(blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    archive_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[agencies])
    objects = PupilQuerySet.as_manager()

    class Meta:
        ordering = ["legal_surname", "legal_forename"]
        constraints = [
            models.UniqueConstraint(fields=["school", "upn"], name="unique_upn_per_school"),
            models.CheckConstraint(
                condition=Q(year_group__gte=0, year_group__lte=13), name="year_group_r_to_13"
            ),
            models.CheckConstraint(
                condition=~Q(primary_need="") | Q(secondary_need=""),
                name="secondary_need_needs_primary",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "sen_status"]),
            models.Index(fields=["school", "year_group"]),
        ]

    def __str__(self):
        return self.full_name

    @property
    def forename(self):
        return self.preferred_forename or self.legal_forename

    @property
    def full_name(self):
        return f"{self.forename} {self.legal_surname}"

    @property
    def initials(self):
        return f"{self.forename[:1]}{self.legal_surname[:1]}".upper()

    @property
    def is_archived(self):
        return self.archived_at is not None

    @property
    def on_sen_record(self):
        return self.sen_status in SEN_STATUSES_ON_RECORD


class SenStatusChange(models.Model):
    """One dated entry in a pupil's SEN history: the status from effective_date onward."""

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="sen_history")
    status = models.CharField(max_length=1, choices=SenStatus.choices)
    effective_date = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pupil", "-effective_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "effective_date"], name="one_sen_change_per_pupil_per_day"
            ),
        ]

    def __str__(self):
        return f"{self.pupil}: {self.status} from {self.effective_date:%d/%m/%Y}"


class Concern(models.Model):
    """A concern about a pupil's learning or development, raised on a date: the first step of
    the graduated approach, before any need is identified. The time from a pupil's first concern
    to SEN support is one of the identification figures."""

    class RaisedBy(models.TextChoices):
        CLASS_TEACHER = "teacher", "Class or subject teacher"
        PARENT = "parent", "Parent or carer"
        PUPIL = "pupil", "The pupil"
        SENCO = "senco", "SENCO"
        OTHER_STAFF = "staff", "Other member of staff"
        PROFESSIONAL = "professional", "Health or other professional"
        PREVIOUS_SCHOOL = "school", "Previous school or setting"

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="concerns")
    raised_on = models.DateField("date raised")
    raised_by = models.CharField("raised by", max_length=12, choices=RaisedBy.choices)
    summary = models.TextField(help_text="What was noticed, in a few sentences.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pupil", "raised_on", "pk"]
        indexes = [models.Index(fields=["pupil", "raised_on"])]

    def __str__(self):
        return f"{self.pupil}: concern raised {self.raised_on:%d/%m/%Y}"


class KeyStageResult(models.Model):
    """One statutory assessment result as a Common Transfer File carries it (StageAssessment):
    a key stage, subject, method and component in a year, with the result as the DfE codes it."""

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="key_stage_results")
    stage = models.CharField(max_length=8, help_text="EYF, KS1, KS2, ...")
    year = models.PositiveSmallIntegerField(help_text="The calendar year of the assessment.")
    subject = models.CharField(max_length=8)
    method = models.CharField(max_length=8, help_text="TA (teacher assessment), TT (test), ...")
    component = models.CharField(max_length=12, blank=True)
    result = models.CharField(max_length=12)
    result_qualifier = models.CharField(max_length=4, blank=True)
    result_date = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pupil", "year", "stage", "subject", "method", "component"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "stage", "year", "subject", "method", "component"],
                name="one_key_stage_result_per_component",
            ),
        ]

    def __str__(self):
        part = f" {self.component}" if self.component else ""
        return f"{self.stage} {self.year} {self.subject} {self.method}{part}: {self.result}"


def status_at_q(when, statuses, pupil="pk", *, school_id=None):
    """Rows whose pupil (the id in field `pupil`: "pk" over pupils, "pupil_id" over assessments)
    had, as at the date `when`, one of the SEN `statuses`: their latest dated change on or before
    that day has one of them, and for N (no SEN) also a pupil with no change by then.

    One uncorrelated subquery (the pupils whose latest change by `when` is on the SEND record),
    which the database runs once for the whole query and probes as a hashed set, however many
    rows it tests; `school_id` keeps it to one school's history.
    """
    wanted = {str(s) for s in statuses}
    on = {str(s) for s in SEN_STATUSES_ON_RECORD}
    if SenStatus.NONE.value in wanted:
        # No SEN: not on the record by then, with or without a history.
        return ~Q(**{f"{pupil}__in": status_at_sql(when, on - wanted, school_id)})
    return Q(**{f"{pupil}__in": status_at_sql(when, wanted, school_id)})


def status_at_sql(when, statuses, school_id):
    """Ids of the pupils whose latest change on or before `when` has one of `statuses`: their
    change of that status on or before `when` with no later change by then.

    Written as SQL rather than built with the ORM: a figure may test it at a dozen points, and
    Django took about 5 ms to compile each ORM version of this subquery, where the database
    answers it in well under one; the SQL is plain enough for PostgreSQL and SQLite alike, and
    every value is a parameter."""
    day = connection.ops.adapt_datefield_value(when)
    table, pupils = SenStatusChange._meta.db_table, Pupil._meta.db_table
    if not statuses:
        return RawSQL(f"SELECT pupil_id FROM {table} WHERE 1 = 0", [])  # noqa: S608, S611
    marks = ", ".join(["%s"] * len(statuses))
    school = f" AND c.pupil_id IN (SELECT id FROM {pupils} WHERE school_id = %s)" if school_id else ""  # noqa: S608
    sql = (
        f"SELECT c.pupil_id FROM {table} c WHERE c.effective_date <= %s AND c.status IN ({marks}){school} "  # noqa: S608
        f"AND NOT EXISTS (SELECT 1 FROM {table} l WHERE l.pupil_id = c.pupil_id "
        "AND l.effective_date > c.effective_date AND l.effective_date <= %s)"
    )
    # Only table names from the models' metadata are formatted in; every value is a parameter.
    return RawSQL(sql, [day, *sorted(statuses), *([school_id] if school_id else []), day])  # noqa: S611


def statuses_at_dates_sql(dates, statuses, school_id):
    """`status_at_sql` for several days at once: (sql, params) of a subquery of (key, pupil id)
    pairs, one pair for each (key, day) of `dates` and each pupil of the school whose latest
    change on or before that day has one of `statuses` (the same rule). A figure over rows at
    many points tests `(row's point, row's pupil) IN (this)`: one subquery, planned once and
    probed once a row, where one `status_at_q` a point OR'd together took Django thousands of
    calls to compile and the database a test a point for each row. Row values IN a WITH ...
    VALUES subquery run on PostgreSQL and SQLite alike; every value is a parameter."""
    table, pupils = SenStatusChange._meta.db_table, Pupil._meta.db_table
    statuses = sorted(str(s) for s in statuses)
    days = ", ".join(["(%s, %s)"] * len(dates))
    marks = ", ".join(["%s"] * len(statuses))
    sql = (
        f"WITH dates(k, as_at) AS (VALUES {days}) "  # noqa: S608 - table names from the models
        f"SELECT dates.k, c.pupil_id FROM dates JOIN {table} c ON c.effective_date <= dates.as_at "
        f"WHERE c.status IN ({marks}) AND c.pupil_id IN (SELECT id FROM {pupils} WHERE school_id = %s) "
        f"AND NOT EXISTS (SELECT 1 FROM {table} l WHERE l.pupil_id = c.pupil_id "
        "AND l.effective_date > c.effective_date AND l.effective_date <= dates.as_at)"
    )
    day = connection.ops.adapt_datefield_value
    params = [value for key, when in dates for value in (key, day(when))]
    return sql, [*params, *statuses, school_id]


# The access log's models live in their own module (pupils.access_log); imported here so Django
# finds them.
from .access_log import AccessLogChain, AccessLogCheckpoint, AccessLogEntry, AccessLogPupil  # noqa: E402, F401
