"""What the access log adds to every page that reads pupils, whatever their number
(pupils.access_log): the savepoint, the school's chain head made and locked and read, the entry
with its pupil rows and the head's new hash, the savepoint released. On PostgreSQL the entry, its
pupil rows and the new hash are one statement (6 in all); elsewhere three (8)."""

from django.db import connection


def access_log_writes():
    return 6 if connection.vendor == "postgresql" else 8
