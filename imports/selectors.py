"""Reads for imports: what a checked file would do to the school's records.

`import_plan` compares cleaned rows with the pupils on record and decides, row by row,
whether the row creates, updates or changes nothing. It also finds the problems that depend
on the records rather than on the file: an archived pupil, a pupil not yet in sendtrack, a
SEN date before the date of birth on record, a class renamed since the preview. The preview
runs it read-only; the confirmation runs it again inside its transaction, with the pupils
locked, and writes exactly what it says.
"""

from collections import defaultdict
from dataclasses import dataclass

from assessment.models import AssessmentPoint, AttainmentBand, ProgressBand, Subject
from core.calendar import academic_year_label
from pupils.models import Pupil, SenStatus, SenStatusChange
from schools.models import SchoolClass

from .cleaning import class_key
from .ctf_plan import plan_ctf
from .errors import RowError
from .models import ImportKind
from .parsing import ParseResult, parse_file, rows_from_json
from .plans import CREATE, UNCHANGED, UPDATE, ImportPlan, RowPlan, archived, unknown_upn
from .termly import plan_termly

PUPIL_FIELDS = (
    "legal_surname",
    "legal_forename",
    "preferred_forename",
    "date_of_birth",
    "gender",
    "year_group",
    "school_class",
    "pupil_premium",
    "fsm",
    "eal",
    "lac",
    "social_care",
    "post_looked_after",
    "young_carer",
    "primary_need",
    "secondary_need",
)


@dataclass
class Preview:
    """A file read, checked and compared with the records: what the preview page shows."""

    parsed: ParseResult
    plan: ImportPlan | None

    @property
    def errors(self):
        return self.parsed.errors or (self.plan.errors if self.plan else [])

    @property
    def ok(self):
        return not self.errors


def import_preview(*, school, kind, content, file_name):
    parsed = parse_file(kind, content, file_name, school=school)
    if not parsed.ok:
        return Preview(parsed, None)
    plan = import_plan(kind=kind, rows=parsed.rows, columns=parsed.columns, school=school)
    return Preview(parsed, plan)


def batch_plan(batch, *, lock=False, decisions=None):
    """What a waiting batch would do if confirmed now (with the SENCO's `decisions` on a CTF's
    disagreements with the record)."""
    return import_plan(
        kind=batch.kind,
        rows=rows_from_json(batch.payload),
        columns=batch.columns,
        school=batch.school,
        lock=lock,
        decisions=decisions,
    )


def import_plan(*, kind, rows, columns, school, lock=False, decisions=None):
    if kind == ImportKind.CTF:
        return plan_ctf(ImportPlan(kind=kind, school=school), rows, school, decisions=decisions, lock=lock)
    pupils = Pupil.objects.filter(school=school).select_related("school_class")
    if lock:
        pupils = pupils.select_for_update(of=("self",))
    by_upn = {pupil.upn: pupil for pupil in pupils}
    plan = ImportPlan(kind=kind, school=school)
    headings = dict(columns)  # field -> the heading the file uses, for messages
    if kind == ImportKind.PUPILS:
        _plan_pupils(plan, rows, headings, school, by_upn)
    elif kind == ImportKind.SEN_STATUS:
        _plan_sen_statuses(plan, rows, headings, school, by_upn)
    else:
        plan_termly(plan, rows, headings, school, by_upn, lock=lock)
    plan.errors.sort(key=lambda error: error.row or 0)
    plan.warnings.sort(key=lambda error: error.row or 0)
    return plan


def _sen_histories(school, *, notes=None):
    """Each pupil's SEN history as {date: status}, for the whole school in one query; `notes`,
    if given, is filled with each stored change's note by (pupil id, date)."""
    histories = defaultdict(dict)
    changes = SenStatusChange.objects.filter(pupil__school=school).values_list(
        "pupil_id", "effective_date", "status", "note"
    )
    for pupil_id, when, status, note in changes:
        histories[pupil_id][when] = status
        if notes is not None:
            notes[(pupil_id, when)] = note
    return histories


def _status_on(history, when):
    """The status in force on a date: the latest change on or before it, N before any."""
    earlier = [day for day in history if day <= when]
    return history[max(earlier)] if earlier else SenStatus.NONE


def _sen_action(history, status, when):
    if when in history:
        return UNCHANGED if history[when] == status else UPDATE
    return UNCHANGED if _status_on(history, when) == status else CREATE


def _shown(name, value):
    if value is None or value == "":
        return "—"
    if name in ("pupil_premium", "fsm", "eal", "lac"):
        return "Yes" if value else "No"
    if name == "year_group":
        return "Reception" if value == 0 else f"Year {value}"
    if hasattr(value, "strftime"):
        return f"{value:%d/%m/%Y}"
    return str(value)


LABELS = {
    "legal_surname": "Legal surname",
    "legal_forename": "Legal forename",
    "preferred_forename": "Preferred forename",
    "date_of_birth": "Date of birth",
    "gender": "Gender",
    "year_group": "Year group",
    "school_class": "Class",
    "pupil_premium": "Pupil premium",
    "fsm": "FSM",
    "eal": "EAL",
    "lac": "LAC",
    "social_care": "Known to social care",
    "post_looked_after": "Previously looked after",
    "young_carer": "Young carer",
    "primary_need": "Primary need",
    "secondary_need": "Secondary need",
    "sen": "SEN status",
}


def _plan_pupils(plan, rows, headings, school, by_upn):
    classes = {class_key(c.name): c for c in school.classes.all()}
    histories = _sen_histories(school) if "sen_status" in headings else {}
    for row in rows:
        number, pupil = row["row"], by_upn.get(row["upn"])
        values = {name: row[name] for name in PUPIL_FIELDS if name in row}
        errors = []
        if "school_class" in values:
            name = values["school_class"]
            values["school_class"] = classes.get(class_key(name)) if name else None
            if name and values["school_class"] is None:
                errors.append(
                    RowError(
                        number,
                        headings["school_class"],
                        f"The class “{name}” is no longer in this school.",
                    )
                )
        if pupil is not None and pupil.is_archived:
            errors.append(RowError(number, headings["upn"], archived(pupil)))
        if errors:
            plan.errors.extend(errors)
            continue
        merged = {name: getattr(pupil, name) for name in PUPIL_FIELDS} if pupil else {}
        merged.update(values)
        errors.extend(_merged_rules(number, merged, headings))
        status, when = row.get("sen_status"), row.get("sen_status_date")
        if pupil is None:
            entry = _new_pupil(number, row, values, status, when, headings, errors)
        else:
            entry = _existing_pupil(number, row, pupil, values, histories, headings, errors)
        if errors:
            plan.errors.extend(errors)
        else:
            plan.rows.append(entry)


def _merged_rules(number, merged, headings):
    """The rules of the pupil form, on the record as it would be after the row."""
    errors = []
    primary, secondary = merged.get("primary_need"), merged.get("secondary_need")
    column = headings.get("secondary_need") or headings.get("primary_need", "")
    if secondary and not primary:
        errors.append(RowError(number, column, "Give a primary need before a secondary one."))
    elif secondary and secondary == primary:
        errors.append(RowError(number, column, "The secondary need must differ from the primary need."))
    school_class, year = merged.get("school_class"), merged.get("year_group")
    if school_class and school_class.year_group is not None and school_class.year_group != year:
        errors.append(
            RowError(
                number,
                headings.get("school_class") or headings.get("year_group", ""),
                f"{school_class.name} is a {_shown('year_group', school_class.year_group)} "
                f"class, but the pupil would be in {_shown('year_group', year)}.",
            )
        )
    return errors


def _display_name(values, pupil=None):
    forename = values.get("preferred_forename") or values.get("legal_forename")
    surname = values.get("legal_surname")
    if pupil is not None:
        forename = forename or pupil.forename
        surname = surname or pupil.legal_surname
    return f"{forename} {surname}"


def _new_pupil(number, row, values, status, when, headings, errors):
    if status in (SenStatus.SEN_SUPPORT, SenStatus.EHCP) and when is None:
        errors.append(
            RowError(
                number,
                headings["sen_status"],
                f"Give the date this pupil's SEN provision ({status}) began, in a column "
                "headed “SEN Start Date”.",
            )
        )
    # With no SEN status in the file, a new pupil has no SEN from birth: a later SEN status
    # import with an earlier date then becomes the current status, as it should.
    status = status or SenStatus.NONE
    when = when or values["date_of_birth"]
    fields = {"upn": row["upn"], **values}
    changes = [(LABELS["sen"], "—", f"{status} from {when:%d/%m/%Y}")]
    return RowPlan(number, row["upn"], _display_name(values), CREATE, None, fields, (status, when), changes)


def _existing_pupil(number, row, pupil, values, histories, headings, errors):
    changed = {}
    for name, value in values.items():
        current = getattr(pupil, name)
        if name == "school_class":
            same = (current.pk if current else None) == (value.pk if value else None)
        else:
            same = current == value
        if not same:
            changed[name] = value
    changes = [(LABELS[n], _shown(n, getattr(pupil, n)), _shown(n, v)) for n, v in changed.items()]
    sen = None
    status, when = row.get("sen_status"), row.get("sen_status_date")
    if status and when is None and status != pupil.sen_status:
        errors.append(
            RowError(
                number,
                headings["sen_status"],
                f"The record has SEN status {pupil.sen_status} and the file {status}: give the "
                "date of the change in a column headed “SEN Start Date”.",
            )
        )
    elif status and when is not None:
        born = changed.get("date_of_birth", pupil.date_of_birth)
        if when < born:
            errors.append(
                RowError(
                    number,
                    headings["sen_status_date"],
                    f"{when:%d/%m/%Y} is before the pupil's date of birth ({born:%d/%m/%Y}).",
                )
            )
        elif _sen_action(histories[pupil.pk], status, when) != UNCHANGED:
            sen = (status, when)
            changes.append((LABELS["sen"], pupil.sen_status, f"{status} from {when:%d/%m/%Y}"))
    action = UPDATE if changed or sen else UNCHANGED
    name = _display_name(values, pupil)
    return RowPlan(number, row["upn"], name, action, pupil, changed, sen, changes)


def _plan_sen_statuses(plan, rows, headings, school, by_upn):
    wanted = []
    for row in rows:
        number, pupil = row["row"], by_upn.get(row["upn"])
        if pupil is None:
            plan.errors.append(RowError(number, headings["upn"], unknown_upn(row["upn"])))
        elif pupil.is_archived:
            plan.errors.append(RowError(number, headings["upn"], archived(pupil)))
        elif row["effective_date"] < pupil.date_of_birth:
            plan.errors.append(
                RowError(
                    number,
                    headings["effective_date"],
                    f"{row['effective_date']:%d/%m/%Y} is before {pupil.full_name}'s date of "
                    f"birth ({pupil.date_of_birth:%d/%m/%Y}).",
                )
            )
        else:
            wanted.append((row, pupil))
    notes = {}
    histories = _sen_histories(school, notes=notes)
    # Each pupil's rows in date order, each decided against the history as the rows before
    # it leave it, so that a file holding a history (K then E) is read as one.
    planned, last_rows = {}, {}
    for row, pupil in sorted(wanted, key=lambda item: (item[1].pk, item[0]["effective_date"])):
        planned[row["row"]] = _sen_row_plan(row, pupil, histories[pupil.pk], notes)
        last_rows[pupil.pk] = row
    plan.rows = [planned[number] for number in sorted(planned)]
    # A change on record after a pupil's last row in the file stays the current status.
    for pupil_id, row in last_rows.items():
        history = histories[pupil_id]
        latest = max(history)
        if latest > row["effective_date"] and history[latest] != row["status"]:
            plan.warnings.append(
                RowError(
                    row["row"],
                    headings["effective_date"],
                    f"The record has a later change ({history[latest]} from {latest:%d/%m/%Y}), "
                    f"so after the import the current status is {history[latest]}, not "
                    f"{row['status']}.",
                )
            )


def _sen_row_plan(row, pupil, history, notes):
    """One row of a SEN status file against the pupil's history as the rows before it leave
    it. The row's note is kept with the change; a row that only gives a change on record a
    different note corrects that note."""
    status, when, note = row["status"], row["effective_date"], row.get("note") or ""
    action = _sen_action(history, status, when)
    stored_note = notes.get((pupil.pk, when))
    if action == UNCHANGED and note and stored_note is not None and stored_note != note:
        action = UPDATE
    before = history.get(when, _status_on(history, when))
    history[when] = status
    notes[(pupil.pk, when)] = note or stored_note or ""
    sen = (status, when) if action != UNCHANGED else None
    changes = []
    if sen and before != status:
        changes.append((f"SEN status from {when:%d/%m/%Y}", before, status))
    if sen and note:
        changes.append(("Note", stored_note or "—", note))
    entry = RowPlan(row["row"], row["upn"], pupil.full_name, action, pupil, {}, sen, changes)
    entry.sen_note = note
    return entry


def template_examples(school):
    """Values from the school's own records for the downloadable templates' example row: its
    first class, and for assessments a subject, a point and bands of its scheme."""
    first_class = SchoolClass.objects.filter(school=school).first()
    subject = Subject.objects.filter(school=school).first()
    point = AssessmentPoint.objects.filter(school=school).order_by("-academic_year", "order").first()
    attainment = AttainmentBand.objects.filter(school=school).order_by("order").first()
    progress = ProgressBand.objects.filter(school=school).order_by("order").first()
    examples = {}
    if subject:
        examples["subject"] = subject.name
    if point:
        examples["point"], examples["academic_year"] = point.name, academic_year_label(point.academic_year)
    if attainment:
        examples["attainment"] = attainment.code
    if progress:
        examples["progress"] = progress.code
    return {
        "example_class": first_class.name if first_class else "",
        "example_year": first_class.year_group if first_class else None,
        "examples": examples,
    }
