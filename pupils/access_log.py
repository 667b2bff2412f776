"""The access log: who read which pupils' data, when and how. Its rows are written by
pupils.middleware.AccessLogMiddleware from what core.access_log noted during the request.

Tamper-evident: each school's entries form a chain. An entry's hash covers its own fields and the
hash of the entry before it, and the school's `AccessLogChain` row holds the newest hash and
number; a writer bumps that row and reads it in one UPDATE ... RETURNING, which locks it on
PostgreSQL and takes the write lock on SQLite, so two requests can never chain onto the same entry
(and the unique number per school would refuse it if they tried). Changing,
removing or reordering an entry breaks the chain from that entry on, and `verify_access_log`
names the first broken link. Entries past the school's retention period are purged from the
oldest, and an `AccessLogCheckpoint` keeps the number and hash of the last one purged, from which
the rest still verifies.

The model lives in pupils (the log names pupils); the pupil link keeps the pupil's id without a
database constraint, so that purging a pupil's record leaves the log, and its chain, whole.
"""

import datetime

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from core.access_log import How, chain_hash, pupils_of
from core.roles import Role
from schools.models import School

GENESIS = "0" * 64
# Role.choices builds its list at each use; a pupil page names the role of twenty entries.
ROLE_LABELS = dict(Role.choices)


class AccessLogChain(models.Model):
    """The head of one school's chain: the newest entry's number and hash."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="access_log_chain")
    sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS)

    def __str__(self):
        return f"{self.school}: {self.sequence} entries"


class AccessLogEntry(models.Model):
    """One request's reading of pupil data at one school."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    sequence = models.PositiveBigIntegerField()
    at = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    username = models.CharField(max_length=150, help_text="Kept if the user account is removed.")
    role = models.CharField(max_length=12, blank=True, help_text="Blank for the administration site.")
    how = models.CharField(max_length=8, choices=How.choices)
    what = models.CharField(max_length=300, help_text="The kinds of record read.")
    path = models.CharField(max_length=300, help_text="The address that was opened.")
    detail = models.CharField(max_length=200, blank=True)
    pupil_ids = models.JSONField(help_text="Every pupil read, in order (covered by the hash).")
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "sequence"], name="one_access_log_entry_per_number"),
        ]
        verbose_name_plural = "access log entries"

    def __str__(self):
        return f"{self.username} read {len(self.pupil_ids)} pupil(s) at {self.at:%d/%m/%Y %H:%M}"

    def hashed_fields(self):
        return (
            self.school_id,
            self.sequence,
            self.at.astimezone(datetime.UTC).isoformat(),  # as stored, whatever the time zone
            self.user_id or "",
            self.username,
            self.role,
            self.how,
            self.what,
            self.path,
            self.detail,
            ",".join(str(pk) for pk in self.pupil_ids),
        )

    def compute_hash(self):
        return chain_hash(self.previous_hash, self.hashed_fields())

    @property
    def role_label(self):
        return ROLE_LABELS.get(self.role, "Administrator")


class AccessLogPupil(models.Model):
    """Which pupils an entry read: one row per pupil, so "who saw this child" is one indexed
    query. No constraint on the pupil, so a purged pupil's log stays whole."""

    entry = models.ForeignKey(AccessLogEntry, on_delete=models.CASCADE, related_name="pupil_links")
    pupil = models.ForeignKey(
        "pupils.Pupil", on_delete=models.DO_NOTHING, db_constraint=False, related_name="access_log_links"
    )

    class Meta:
        indexes = [models.Index(fields=["pupil", "entry"])]

    def __str__(self):
        return f"entry {self.entry_id}: pupil {self.pupil_id}"


class AccessLogCheckpoint(models.Model):
    """Entries purged at the end of their retention period: how many, up to which number, and the
    hash of the last one, from which the remaining chain verifies. Never the entries' content."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    up_to_sequence = models.PositiveBigIntegerField()
    last_hash = models.CharField(max_length=64)
    purged = models.PositiveIntegerField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["school", "-up_to_sequence"]

    def __str__(self):
        return f"{self.school}: {self.purged} entries purged up to {self.up_to_sequence}"


def how_of(request, response, reads):
    """How the data left: what the view said, else what the response is."""
    if reads.how:
        return reads.how
    if reads.everything:
        return How.ADMIN
    kind = response.get("Content-Type", "").split(";")[0].strip()
    if kind == "application/pdf":
        return How.PDF
    if kind == "text/csv":
        return How.CSV
    if kind == "application/zip":
        return How.EXPORT
    if response.has_header("Content-Disposition") and "attachment" in response["Content-Disposition"]:
        return How.DOWNLOAD
    if request.headers.get("HX-Request") == "true":
        return How.PARTIAL
    return How.PAGE


def write_entries(request, response, reads):
    """Write what this request read: one entry per school whose pupils it read, chained."""
    from .models import Pupil  # pupils.models imports this module, to register its models

    pupil_ids = pupils_of(reads)
    if not pupil_ids:
        return []
    membership = getattr(request, "membership", None)
    membership = getattr(membership, "_wrapped", membership)
    if membership and not reads.everything:
        # The scoped access path reads the membership's school only.
        by_school = {membership.school_id: list(pupil_ids)}
    else:
        by_school = {}
        for pk, school_id in Pupil._base_manager.filter(pk__in=pupil_ids).values_list("pk", "school_id"):
            by_school.setdefault(school_id, []).append(pk)
    role = ""
    if membership and not reads.everything:
        role = membership.role
    user = request.user if request.user.is_authenticated else None
    common = {
        "at": timezone.now(),
        "user": user,
        "username": user.get_username() if user else "",
        "role": role,
        "how": how_of(request, response, reads),
        "what": ", ".join(sorted(reads.kinds))[:300],
        "path": request.get_full_path()[:300],
        "detail": reads.detail,
    }
    return [append(school_id, sorted(pks), **common) for school_id, pks in sorted(by_school.items())]


def _take_next_number(school_id):
    """Lock the school's chain head and take the next number: one UPDATE ... RETURNING, which
    locks the row on PostgreSQL and takes the write lock on SQLite (3.35 or later), so the number
    and the previous hash read are the newest; a school's first entry makes the head first."""
    table = connection.ops.quote_name(AccessLogChain._meta.db_table)
    sql = f"UPDATE {table} SET sequence = sequence + 1 WHERE school_id = %s RETURNING sequence, last_hash"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [school_id])
        row = cursor.fetchone()
        if row is None:
            AccessLogChain.objects.bulk_create([AccessLogChain(school_id=school_id)], ignore_conflicts=True)
            cursor.execute(sql, [school_id])
            row = cursor.fetchone()
    return row


def append(school_id, pupil_ids, **fields):
    """Chain one entry onto the school's log: lock the head, write the entry and its pupil rows.
    On PostgreSQL the entry, its pupil rows and the head's new hash are one statement, so a
    request that read pupils adds four statements (begin, lock and number, write, commit)."""
    with transaction.atomic():
        sequence, previous_hash = _take_next_number(school_id)
        entry = AccessLogEntry(
            school_id=school_id, sequence=sequence, previous_hash=previous_hash, pupil_ids=pupil_ids, **fields
        )
        entry.hash = entry.compute_hash()
        if connection.vendor == "postgresql":
            entry.pk = _write_in_one_statement(entry)
        else:
            entry.save()
            AccessLogPupil.objects.bulk_create(AccessLogPupil(entry=entry, pupil_id=pk) for pk in pupil_ids)
            AccessLogChain.objects.filter(school_id=school_id).update(last_hash=entry.hash)
    return entry


def _write_in_one_statement(entry):
    """INSERT the entry, INSERT its pupil rows and UPDATE the head's hash, as one PostgreSQL
    statement (data-modifying WITH clauses); returns the entry's id."""
    quote = connection.ops.quote_name
    fields = [
        f
        for f in AccessLogEntry._meta.concrete_fields
        if not f.primary_key  # the id comes from the sequence
    ]
    columns = ", ".join(quote(f.column) for f in fields)
    values = [f.get_db_prep_save(getattr(entry, f.attname), connection) for f in fields]
    holders = ", ".join(["%s"] * len(fields))
    link = AccessLogPupil._meta
    head = AccessLogChain._meta
    sql = (
        f"WITH entry AS (INSERT INTO {quote(AccessLogEntry._meta.db_table)} ({columns}) "  # noqa: S608 - names from the models
        f"VALUES ({holders}) RETURNING id), "
        f"links AS (INSERT INTO {quote(link.db_table)} ({quote(link.get_field('entry').column)}, "
        f"{quote(link.get_field('pupil').column)}) SELECT entry.id, pupil FROM entry, "
        "unnest(%s::bigint[]) AS pupil), "
        f"head AS (UPDATE {quote(head.db_table)} SET {quote(head.get_field('last_hash').column)} = %s "
        f"WHERE {quote(head.get_field('school').column)} = %s) "
        "SELECT id FROM entry"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, list(entry.pupil_ids), entry.hash, entry.school_id])
        return cursor.fetchone()[0]


# -- reading the log


def pupil_access_log(pupil):
    """Every entry that read this pupil, newest first: in the order written, which the index on
    (pupil, entry) gives read backwards, so the pupil page's last twenty entries are twenty rows
    read however long the pupil's log grows (ordered by time, the whole log was read and sorted:
    22 ms a page for a pupil in 11,000 entries)."""
    return AccessLogEntry.objects.filter(pupil_links__pupil=pupil).select_related("user").order_by("-pk")


def broken_links(school):
    """Walk a school's chain from its last checkpoint; yields (entry, why) for every break, first
    break first. Reads in pages of 2000 so a long log needs little memory."""
    checkpoint = AccessLogCheckpoint.objects.filter(school=school).first()
    expected_sequence = checkpoint.up_to_sequence + 1 if checkpoint else 1
    expected_previous = checkpoint.last_hash if checkpoint else GENESIS
    entries = AccessLogEntry.objects.filter(school=school, sequence__gte=expected_sequence)
    last_seen = expected_sequence - 1
    while True:
        page = list(entries.filter(sequence__gt=last_seen).order_by("sequence")[:2000])
        if not page:
            break
        linked = {}
        for entry_id, pupil_id in AccessLogPupil.objects.filter(entry__in=page).values_list(
            "entry_id", "pupil_id"
        ):
            linked.setdefault(entry_id, []).append(pupil_id)
        for entry in page:
            if entry.sequence != expected_sequence:
                yield entry, f"entries {expected_sequence} to {entry.sequence - 1} are missing"
            elif entry.previous_hash != expected_previous:
                yield entry, "it does not point to the entry before it"
            elif entry.compute_hash() != entry.hash:
                yield entry, "its content was changed after it was written"
            elif sorted(linked.get(entry.pk, [])) != sorted(entry.pupil_ids):
                yield entry, "its list of pupils was changed after it was written"
            expected_sequence, expected_previous = entry.sequence + 1, entry.hash
        last_seen = page[-1].sequence
    head = AccessLogChain.objects.filter(school=school).first()
    if head and head.sequence >= expected_sequence:
        yield None, f"entries {expected_sequence} to {head.sequence} are missing at the end"
