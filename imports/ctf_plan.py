"""What a checked Common Transfer File would do to the school's records, pupil by pupil.

Matching: a pupil of the file is the school's pupil with the same UPN; failing that, the pupil
with the same legal surname, legal forename and date of birth, which the preview shows for the
SENCO to confirm (unticked, the file's pupil is added as a new pupil). An archived pupil is a
problem, as in every import.

Merging: for a pupil already here, each detail the file gives that differs from the record is a
change the SENCO may keep or refuse in the preview (taken unless refused: the school's
information system is the record of a pupil's details). Details the file leaves out (a partial
CTF) are left as they are. The SEN history is merged into the dated history: a spell already in
force on the file's date adds nothing, so importing a file twice, or a newer file of the same
pupil, never duplicates a spell. Where the file and the record disagree about one date (a
different status, or the same spell starting earlier), the record is kept unless the SENCO
ticks the file's version. Attendance years and key stage results are added or corrected.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from attendance.models import AttendanceYear
from pupils.models import KeyStageResult, Pupil, SenStatus, SenStatusChange

from .ctf import CtfProblem
from .plans import CREATE, UNCHANGED, UPDATE, ImportPlan, RowPlan, archived

DETAILS = (
    "legal_surname",
    "legal_forename",
    "preferred_forename",
    "date_of_birth",
    "gender",
    "year_group",
    "pupil_premium",
    "fsm",
    "eal",
    "lac",
    "service_child",
    "primary_need",
    "secondary_need",
)
LABELS = {
    "legal_surname": "Legal surname",
    "legal_forename": "Legal forename",
    "preferred_forename": "Preferred forename",
    "date_of_birth": "Date of birth",
    "gender": "Gender",
    "year_group": "Year group",
    "pupil_premium": "Pupil premium",
    "fsm": "FSM",
    "eal": "EAL",
    "lac": "Looked after",
    "service_child": "Service child",
    "primary_need": "Primary need",
    "secondary_need": "Secondary need",
    "upn": "UPN",
}
BOOLEANS = frozenset({"pupil_premium", "fsm", "eal", "lac", "service_child"})
RESULT_KEY = ("stage", "year", "subject", "method", "component")
ATTENDANCE_KEY = ("academic_year", "la_code", "estab")


@dataclass
class Choice:
    """A point where the file and the record disagree: the preview's tick box."""

    key: str
    text: str
    default: bool


@dataclass
class CtfEntry:
    """Everything a pupil of the file adds beyond the pupil's details."""

    sen: list = field(default_factory=list)  # (status, date) to record
    sen_removed: list = field(default_factory=list)  # SenStatusChange ids made redundant
    attendance: list = field(default_factory=list)  # (stored or None, values)
    results: list = field(default_factory=list)  # (stored or None, values)
    choices: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # (element, text) shown as warnings
    match_note: str = ""


def shown(name, value):
    if value is None or value == "":
        return "—"
    if name in BOOLEANS:
        return "Yes" if value else "No"
    if name == "year_group":
        return "Reception" if value == 0 else f"Year {value}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _values(row):
    values = dict(row["fields"])
    if values.get("date_of_birth"):
        values["date_of_birth"] = datetime.date.fromisoformat(values["date_of_birth"])
    return values


def plan_ctf(plan, rows, school, *, decisions=None, lock=False):
    """Fill `plan` (an ImportPlan of kind ctf) from the file's rows. `decisions` maps a choice's
    key to the SENCO's answer; a choice not in it takes its default."""
    decisions = decisions or {}
    pupils = Pupil.objects.filter(school=school)
    if lock:
        pupils = pupils.select_for_update()
    pupils = list(pupils)
    by_upn = {p.upn: p for p in pupils}
    file_upns = {row["upn"] for row in rows}
    by_name = {}
    for p in pupils:
        if p.upn not in file_upns:
            by_name.setdefault((p.legal_surname.lower(), p.legal_forename.lower(), p.date_of_birth), p)
    matched = [_match(row, by_upn, by_name, decisions) for row in rows]
    ids = [p.pk for p, _note in matched if p is not None]
    stored = _stored(ids)
    for row, (pupil, note) in zip(rows, matched, strict=True):
        names = row["fields"]
        label = f"Pupil {row['row']}: {row['upn']} {names['legal_forename']} {names['legal_surname']}"
        if pupil is not None and pupil.is_archived:
            plan.errors.append(CtfProblem(label, "UPN", archived(pupil)))
            continue
        entry = _plan_pupil(row, pupil, stored, decisions, school)
        entry.record.match_note = note
        if note:
            entry.record.choices.insert(0, Choice(f"match:{row['upn']}", note, True))
        plan.rows.append(entry)
        for element, text in entry.record.notes:
            plan.warnings.append(CtfProblem(label, element, text))
        for choice in entry.record.choices:
            if choice.key.startswith("sen:") and not decisions.get(choice.key, choice.default):
                plan.warnings.append(CtfProblem(label, "SENhistory", choice.text + " The record is kept."))
    return plan


def _match(row, by_upn, by_name, decisions):
    pupil = by_upn.get(row["upn"])
    if pupil is not None:
        return pupil, ""
    values = _values(row)
    key = (values["legal_surname"].lower(), values["legal_forename"].lower(), values.get("date_of_birth"))
    # pop: a record is matched by name to one pupil of the file at most.
    pupil = by_name.pop(key, None)
    if pupil is None or not decisions.get(f"match:{row['upn']}", True):
        return None, ""
    return pupil, (
        f"Matched by name and date of birth to the record with UPN {pupil.upn}: the same pupil "
        f"(the record's UPN becomes {row['upn']})."
    )


def _stored(ids):
    """The SEN histories, attendance years and results of the matched pupils, one query each."""
    histories, attendance, results = defaultdict(dict), defaultdict(dict), defaultdict(dict)
    for change in SenStatusChange.objects.filter(pupil_id__in=ids):
        histories[change.pupil_id][change.effective_date] = change
    for year in AttendanceYear.objects.filter(pupil_id__in=ids):
        attendance[year.pupil_id][tuple(getattr(year, k) for k in ATTENDANCE_KEY)] = year
    for result in KeyStageResult.objects.filter(pupil_id__in=ids):
        results[result.pupil_id][tuple(getattr(result, k) for k in RESULT_KEY)] = result
    return {"sen": histories, "attendance": attendance, "results": results}


def _elsewhere(years, school):
    """The years at other schools, without the URN. A year at this school (its URN in the
    YearData) is left out: this school's attendance is recorded termly, and a year's total beside
    it would count its sessions twice."""
    return [{k: v for k, v in year.items() if k != "urn"} for year in years if year.get("urn") != school.urn]


def _plan_pupil(row, pupil, stored, decisions, school):
    values = _values(row)
    extra = CtfEntry()
    name = f"{values.get('preferred_forename') or values['legal_forename']} {values['legal_surname']}"
    if pupil is None:
        values["pupil_premium"] = bool(row.get("pp_evidence"))
        fields = {"upn": row["upn"], **values}
        extra.sen = [(s, datetime.date.fromisoformat(d)) for s, d in row["sen"]]
        first = extra.sen[0] if extra.sen else None
        if first is None or (first[1] > values["date_of_birth"] and first[0] != SenStatus.NONE):
            extra.sen.insert(0, (SenStatus.NONE, values["date_of_birth"]))
        changes = _new_pupil_text(values, extra)
        extra.attendance = [(None, year) for year in _elsewhere(row["attendance"], school)]
        extra.results = [(None, result) for result in row["results"]]
        changes += _counts_text(extra)
        return RowPlan(row["row"], row["upn"], name, CREATE, None, fields, None, changes, extra)
    if row.get("pp_evidence"):
        values["pupil_premium"] = True
    fields, changes = _detail_changes(row, pupil, values, extra, decisions)
    changes += _merge_sen(row, pupil, stored["sen"][pupil.pk], extra, decisions)
    attendance = _elsewhere(row["attendance"], school)
    extra.attendance = _merge(attendance, stored["attendance"][pupil.pk], ATTENDANCE_KEY)
    extra.results = _merge(row["results"], stored["results"][pupil.pk], RESULT_KEY, dates=("result_date",))
    changes += _counts_text(extra)
    busy = fields or extra.sen or extra.sen_removed or extra.attendance or extra.results
    return RowPlan(
        row["row"], row["upn"], name, UPDATE if busy else UNCHANGED, pupil, fields, None, changes, extra
    )


def _new_pupil_text(values, extra):
    """What the preview says of a new pupil: (what, "", text) lines."""
    details = (
        f"{shown('year_group', values.get('year_group'))}, {values['gender']}, "
        f"born {values['date_of_birth']:%d/%m/%Y}"
    )
    lines = [("Details", "", details)]
    spells = ", ".join(f"{status} from {day:%d/%m/%Y}" for status, day in extra.sen)
    lines.append(("SEN history", "", spells))
    needs = [
        f"{values[name]} ({rank})"
        for name, rank in (("primary_need", "primary"), ("secondary_need", "secondary"))
        if values.get(name)
    ]
    if needs:
        lines.append(("Needs", "", ", ".join(needs)))
    flags = [
        LABELS[name] for name in ("fsm", "pupil_premium", "eal", "lac", "service_child") if values.get(name)
    ]
    if flags:
        lines.append(("Flags", "", ", ".join(flags)))
    return lines


def _detail_changes(row, pupil, values, extra, decisions):
    fields, changes = {}, []
    if pupil.upn != row["upn"]:
        fields["upn"] = row["upn"]
        changes.append((LABELS["upn"], pupil.upn, row["upn"]))
    for name in DETAILS:
        if name not in values or getattr(pupil, name) == values[name]:
            continue
        before, after = shown(name, getattr(pupil, name)), shown(name, values[name])
        key = f"field:{row['upn']}:{name}"
        extra.choices.append(Choice(key, f"{LABELS[name]}: {before} → {after}", True))
        if decisions.get(key, True):
            fields[name] = values[name]
            changes.append((LABELS[name], before, after))
    # A refused need can leave a secondary need without a primary one: keep the record's pair.
    primary = fields.get("primary_need", pupil.primary_need)
    secondary = fields.get("secondary_need", pupil.secondary_need)
    if (secondary and not primary) or (secondary and secondary == primary):
        fields.pop("primary_need", None)
        fields.pop("secondary_need", None)
        changes = [c for c in changes if c[0] not in (LABELS["primary_need"], LABELS["secondary_need"])]
    return fields, changes


def _merge_sen(row, pupil, history, extra, decisions):
    """The file's SEN changes merged into the pupil's dated history (date -> SenStatusChange)."""
    working = {day: change.status for day, change in history.items()}
    changes = []
    for status, iso in row["sen"]:
        day = datetime.date.fromisoformat(iso)
        key = f"sen:{row['upn']}:{iso}"
        if day in working:
            if working[day] != status:
                text = f"The file has SEN status {status} from {day:%d/%m/%Y}; the record has {working[day]}."
                extra.choices.append(Choice(key, text, False))
                if decisions.get(key, False):
                    extra.sen.append((status, day))
                    changes.append((f"SEN status from {day:%d/%m/%Y}", working[day], status))
                    working[day] = status
            continue
        if _status_on(working, day) == status:
            continue  # the spell is already in force: nothing to add
        later = [d for d in working if d > day]
        following = min(later) if later else None
        if following is not None and working[following] == status:
            # The same spell, starting earlier in the file than on record.
            text = (
                f"The file starts the {status} spell on {day:%d/%m/%Y}; the record on {following:%d/%m/%Y}."
            )
            extra.choices.append(Choice(key, text, False))
            if not decisions.get(key, False):
                continue
            extra.sen_removed.append(history[following].pk)
            del working[following]
            changes.append((f"SEN {status} spell start", f"{following:%d/%m/%Y}", f"{day:%d/%m/%Y}"))
        else:
            changes.append(("SEN status", _status_on(working, day), f"{status} from {day:%d/%m/%Y}"))
        working[day] = status
        extra.sen.append((status, day))
    _compare_current(row, working, extra)
    return changes


def _compare_current(row, working, extra):
    """A note when the file's latest status differs from the record's after the merge: the
    record's later change stays (the file may not know of it), and the SENCO should look."""
    if not row["sen"]:
        return
    status, iso = row["sen"][-1]
    since = datetime.date.fromisoformat(iso)
    latest = max(working)
    if latest > since and working[latest] != status:
        current = working[latest]
        extra.notes.append(
            (
                "SENhistory",
                f"The file's latest SEN status is {status} (from {since:%d/%m/%Y}); "
                f"the record's is {current} (from {latest:%d/%m/%Y}). The record's later change "
                "stays: if the file is right, record the change on the pupil's page.",
            )
        )


def _status_on(history, when):
    earlier = [day for day in history if day <= when]
    return history[max(earlier)] if earlier else SenStatus.NONE


def _merge(items, stored, key_names, *, dates=()):
    """(stored record or None, values) for each item that is new or differs from the record."""
    out = []
    for values in items:
        values = {k: (datetime.date.fromisoformat(v) if k in dates and v else v) for k, v in values.items()}
        record = stored.get(tuple(values[k] for k in key_names))
        if record is None or any(getattr(record, k) != v for k, v in values.items()):
            out.append((record, values))
    return out


def _counts_text(extra):
    out = []
    for what, items in (("Attendance years", extra.attendance), ("Key stage results", extra.results)):
        new = sum(1 for record, _v in items if record is None)
        changed = len(items) - new
        if new or changed:
            parts = [f"{new} new"] if new else []
            parts += [f"{changed} corrected"] if changed else []
            out.append((what, "", ", ".join(parts)))
    return out


def empty_plan(school):
    return ImportPlan(kind="ctf", school=school)
