"""Which pupils a request read: the recording half of the access log.

Pupil data is special-category data, so the school must be able to answer "who saw this child's
record, when and how". Every read of pupil-level data goes through the scoped access path
(`Pupil.objects.for_membership`, `PupilScopedQuerySet.for_membership`, the evidence queryset and
the admin site's querysets); those querysets are marked as audited, and when one fetches its rows
it notes here which rows it read. At the end of the request `pupils.middleware.AccessLogMiddleware`
turns the notes into one access-log entry per school (pupils.access_log), written in bulk.

Noting costs no query: a fetched row gives its pupil's id directly (`pupil_id`), or, where the
pupil is further away ("plan__pupil", "pupils"), the row's id is kept and the middleware finds
the pupils of all such rows with one query per kind of record. A `values()` query whose rows carry
no model instance is noted as the query itself, and its pupils are read once at the end the same
way. Counts and grouped figures (`count()`, `aggregate()`, `values(...).annotate(Count(...))`)
name no pupil and are not noted.

This module imports no app: the queryset mixin below is the only hook, and the middleware, which
knows the log's model, lives in pupils.
"""

import hashlib
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import models


class How(models.TextChoices):
    """How the data was read."""

    PAGE = "page", "Page"
    PARTIAL = "partial", "Part of a page"
    PDF = "pdf", "PDF"
    CSV = "csv", "CSV download"
    DOWNLOAD = "download", "File download"
    EXPORT = "export", "Export"
    SUBJECT_ACCESS = "sar", "Subject access download"
    ADMIN = "admin", "Administration site"


@dataclass
class Reads:
    """What one request read so far."""

    pupil_ids: set = field(default_factory=set)
    # (model, path from the model to the pupil) -> ids of rows read
    rows: dict = field(default_factory=dict)
    # values() querysets whose pupils are read at the end: id of the query -> (model, path, query)
    queries: dict = field(default_factory=dict)
    # kinds of record read ("pupil", "SEN support plan"...), by model verbose name
    kinds: set = field(default_factory=set)
    how: str = ""
    detail: str = ""
    # The administration site reads through the models' plain querysets: there every audited
    # kind of queryset notes what it fetches, marked or not.
    everything: bool = False

    def __bool__(self):
        return bool(self.pupil_ids or self.rows or self.queries)


_current = ContextVar("access_log_reads", default=None)


@contextmanager
def recording():
    """Collect the reads of the code inside (one request); yields the Reads."""
    reads = Reads()
    token = _current.set(reads)
    try:
        yield reads
    finally:
        _current.reset(token)


def current():
    """The Reads of the request being served, or None outside a request (commands, tests)."""
    return _current.get()


def note_how(how, detail=""):
    """Say how this request hands the data over, where the response does not show it (a subject
    access download is JSON, like other downloads)."""
    reads = _current.get()
    if reads is not None:
        reads.how = how
        reads.detail = detail[:200]


def note_pupils(pupil_ids, kind="pupil"):
    reads = _current.get()
    if reads is not None:
        reads.pupil_ids.update(pk for pk in pupil_ids if pk is not None)
        reads.kinds.add(kind)


class AuditedQuerySet(models.QuerySet):
    """A queryset that notes the pupils of the rows it fetches, once marked with `audited()`.

    `audit_path` is the way from a row to its pupil ("" for the pupil itself, "pupil",
    "plan__pupil", "pupils"); `for_membership` marks the querysets it returns, so every read
    through the scoped access path is noted and a queryset used for figures (`for_school`) is not.
    """

    audit_path = "pupil"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._audited = False

    def audited(self):
        clone = self._chain()
        clone._audited = True
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._audited = self._audited
        return clone

    def _reads(self):
        reads = _current.get()
        if reads is not None and (self._audited or reads.everything):
            return reads
        return None

    def _fetch_all(self):
        fetched = self._result_cache is None
        super()._fetch_all()
        if fetched and self._result_cache:
            reads = self._reads()
            if reads is not None:
                self._note(reads, self._result_cache)

    def iterator(self, chunk_size=None):
        """As QuerySet.iterator (which form choices use), noting the rows as they come."""
        rows = super().iterator(chunk_size)
        reads = self._reads()
        if reads is None:
            yield from rows
            return
        for row in rows:
            self._note(reads, [row])
            yield row

    def _note(self, reads, rows):
        kind = str(self.model._meta.verbose_name)
        path = self.audit_path
        if isinstance(rows[0], models.Model):
            if path == "":
                reads.pupil_ids.update(row.pk for row in rows)
            elif "__" not in path and _is_foreign_key(self.model, path):
                attname = self.model._meta.get_field(path).attname
                reads.pupil_ids.update(getattr(row, attname) for row in rows)
            else:
                reads.rows.setdefault((self.model, path), set()).update(row.pk for row in rows)
        elif not self.query.group_by and not self.query.annotation_select:
            # values()/values_list() rows: read the pupils of the same query once, at the end.
            if id(self.query) not in reads.queries:
                reads.queries[id(self.query)] = (self.model, path, self.query.chain())
        else:
            return  # grouped figures name no pupil
        reads.kinds.add(kind)


def _is_foreign_key(model, name):
    try:
        return model._meta.get_field(name).many_to_one
    except Exception:  # noqa: BLE001 - a path that is not a field is resolved by query instead
        return False


def pupils_of(reads):
    """Every pupil id the request read: the ids noted directly, and those of the noted rows and
    queries, found with one query per kind of record."""
    pupil_ids = set(reads.pupil_ids)
    for (model, path), pks in reads.rows.items():
        pupil_ids.update(model._base_manager.filter(pk__in=pks).values_list(path, flat=True))
    for model, path, query in reads.queries.values():
        qs = model._base_manager.all()
        qs.query = query
        ids = qs.values("pk") if path == "" else qs.values(path)
        if path == "":
            pupil_ids.update(row["pk"] for row in ids.order_by())
        else:
            pupil_ids.update(row[path] for row in ids.order_by())
    pupil_ids.discard(None)
    return pupil_ids


# -- the hash chain


def chain_hash(previous_hash, fields):
    """The hash of one entry: SHA-256 over the previous entry's hash and this entry's fields, in a
    fixed order, so that changing, removing or reordering any entry breaks every later link."""
    digest = hashlib.sha256(previous_hash.encode())
    for value in fields:
        digest.update(b"\x1f")
        digest.update(str(value).encode())
    return digest.hexdigest()
