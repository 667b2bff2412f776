"""What a checked file would do, row by row: the plan that the preview shows and the
confirmation writes. `selectors` plans pupils and SEN status, `termly` plans termly data; both
build these, and `services` stores them."""

from dataclasses import dataclass, field

from pupils.models import Pupil

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


@dataclass
class RowPlan:
    row: int
    upn: str
    name: str
    action: str
    pupil: Pupil | None = None
    fields: dict = field(default_factory=dict)  # pupil fields to write
    sen: tuple | None = None  # (status, date) to record
    changes: list = field(default_factory=list)  # (what, before, after), for the preview
    record: object = None  # termly data: the stored record the row updates, if any
    sen_note: str = ""  # the row's note for the SEN change; blank means "Imported from <file>"


@dataclass
class ImportPlan:
    kind: str
    school: object = None
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self):
        return {action: self.count(action) for action in (CREATE, UPDATE, UNCHANGED)}


def unknown_upn(upn):
    """A row of data about a pupil sendtrack does not have."""
    return (
        f"No pupil in this school has the UPN {upn}. Import the pupil first (a pupils import), or "
        "check the UPN."
    )


def archived(pupil):
    return (
        f"This UPN belongs to {pupil.full_name}, whose record is archived. Restore the record "
        "first if the pupil has come back, or take the row out of the file."
    )
