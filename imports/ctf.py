"""Reading a Common Transfer File (CTF): the DfE's XML file that moves a pupil's record between
schools and school information systems (SIMS, Arbor, Bromcom, ScholarPack and the rest).

`parse_ctf(content, file_name, today=...)` returns a `ParseResult` of kind "ctf" whose rows are
one dict per pupil, in JSON-ready form (dates as ISO text), so that a checked file can wait for
confirmation in an ImportBatch like any other import. It never raises: every problem is a
`CtfProblem` naming the pupil (its place in the file, UPN and name), the element and the reason.

The XML is read by defusedxml: a document type declaration is refused outright, so no entity
is ever expanded (the "billion laughs" bomb) and no external entity or DTD is fetched. The file's
size is checked before it is parsed.

What is read, by element (CTF 11 onwards; later versions add elements, which are ignored):
Header/CTFversion, SourceSchool; each Pupil's UPN, Surname, Forename, DOB, Gender (or Sex),
BasicDetails (PreferredForename, NCyearActual, Languages, InCare, ServiceChild), FSMhistory,
SENhistory (SEN spells and SENneeds), Attendance/YearData and StageAssessments. Addresses,
contacts and the rest are not read: sendtrack does not hold them.
"""

import datetime
import logging
import re
from dataclasses import dataclass
from pathlib import PurePath

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from pupils.models import AreaOfNeed, SenStatus
from pupils.upn import normalise_upn, validate_upn

from .errors import RowError
from .parsing import UNEXPECTED, ParseResult
from .reading import FileProblem, size_text

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# The versions whose SEN and attendance elements this reader was written against. An older
# file is refused (its SEN codes are those before the 2014 reforms); a newer one is read, and
# the elements it adds are ignored.
OLDEST_VERSION, NEWEST_KNOWN_VERSION = 11, 25
ENGLISH = frozenset({"ENG", "ENB"})  # English; believed to be English
LANGUAGE_UNKNOWN = frozenset({"NOT", "REF", ""})  # not obtained; refused
# SEN provision codes: N, K and E since 2014; A (School Action) and P (School Action Plus) are
# read as SEN support and S (statement) as an EHC plan, as the DfE's transition did.
PROVISION = {"N": "N", "K": "K", "E": "E", "A": "K", "P": "K", "S": "E"}
NEEDS = frozenset(AreaOfNeed.values)
TRUE, FALSE = frozenset({"true", "1", "y", "yes"}), frozenset({"false", "0", "n", "no"})
DIGITS = re.compile(r"[0-9]{1,3}")  # ASCII digits only: "²".isdigit() is true, and int() refuses it
EVER_FSM_YEARS = 6  # pupil premium: free school meals at any time in the last six years


def max_bytes():
    return getattr(settings, "CTF_MAX_BYTES", DEFAULT_MAX_BYTES)


@dataclass(frozen=True)
class CtfProblem(RowError):
    """A problem in a CTF: `row` names the pupil ("Pupil 2: T933… Mick Jagger"), `column` the
    element ("SENhistory/SEN/StartDate")."""

    def __str__(self):
        where = ", ".join(part for part in (self.row, self.column) if part)
        return f"{where}: {self.message}" if where else self.message


def ctf_file_problem(file_name, size):
    """A message if the file's name or size rules it out before it is read, else None."""
    if PurePath(file_name or "").suffix.lower() != ".xml":
        return "A Common Transfer File is an .xml file, as your school's information system exports it."
    if size > max_bytes():
        return (
            f"The file is {size_text(size, up=True)}, over the limit of {size_text(max_bytes())} for "
            "one Common Transfer File. Export fewer pupils at a time."
        )
    if size == 0:
        return "The file is empty: there is nothing to import."
    return None


def parse_ctf(content, file_name, *, today=None):
    """Read and check a whole CTF. Never raises: every problem is in `result.errors`."""
    file_name = PurePath(str(file_name or "")).name[:255]
    result = ParseResult(kind="ctf", file_name=file_name)
    try:
        document = read_document(bytes(content), file_name)
        _read_pupils(result, document, today or timezone.localdate())
    except FileProblem as problem:
        result.errors, result.rows = [CtfProblem(None, "", str(problem))], []
    except Exception:
        logger.exception("CTF import of %s failed unexpectedly", file_name)
        result.errors, result.rows = [CtfProblem(None, "", UNEXPECTED)], []
    if result.errors:
        result.rows = []
    return result


# --- The document -----------------------------------------------------------------------------


def read_document(content, file_name="file.xml"):
    """The root element of a CTF, its namespace removed. Raises FileProblem in plain words."""
    problem = ctf_file_problem(file_name, len(content))
    if problem:
        raise FileProblem(problem)
    if not content.strip():
        raise FileProblem("The file is empty: there is nothing to import.")
    try:
        root = fromstring(content, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise FileProblem(
            "The file declares a document type or entities, which a Common Transfer File never "
            "does, so it was not read. Export the CTF again from your school's information system."
        ) from None
    except ParseError as error:
        line, column = getattr(error, "position", (None, None))
        where = f" at line {line}, column {column}" if line else ""
        raise FileProblem(
            f"The file is not well-formed XML{where}, so it cannot be read. It may have been cut short "
            "or edited by hand: export the CTF again from your school's information system."
        ) from None
    except (ValueError, LookupError):  # UnicodeError is a ValueError; LookupError: an unknown encoding
        raise FileProblem(
            "The file could not be read as XML text: its characters or the encoding it declares "
            "are not ones a Common Transfer File uses (UTF-8)."
        ) from None
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.rsplit("}", 1)[1]
    if root.tag != "CTfile":
        raise FileProblem(
            f"This XML file is not a Common Transfer File: it starts with <{root.tag}>, where a CTF "
            "starts with <CTfile>."
        )
    _check_version(root)
    return root


def _check_version(root):
    version = text(root, "Header/CTFversion")
    if not version:
        raise FileProblem(
            "The file has no Header/CTFversion, so it cannot be read as a Common Transfer File."
        )
    try:
        major = int(version.split(".")[0])
    except ValueError:
        raise FileProblem(f"Header/CTFversion: “{version[:20]}” is not a CTF version number.") from None
    if major < OLDEST_VERSION:
        raise FileProblem(
            f"This is a CTF {version} file, from before the 2014 SEN reforms; sendtrack reads CTF "
            f"{OLDEST_VERSION} onwards. Export it again from your school's information system."
        )


def header(root):
    """What the preview and the batch say about the file: version, date, source school."""
    return {
        "version": text(root, "Header/CTFversion"),
        "qualifier": text(root, "Header/DocumentQualifier"),
        "created": text(root, "Header/DateTime"),
        "source_la": text(root, "Header/SourceSchool/LEA"),
        "source_estab": text(root, "Header/SourceSchool/Estab"),
        "source_name": text(root, "Header/SourceSchool/SchoolName"),
        "dest_la": text(root, "Header/DestSchool/LEA"),
        "dest_estab": text(root, "Header/DestSchool/Estab"),
    }


def text(element, path):
    found = element.find(path) if element is not None else None
    return (found.text or "").strip() if found is not None else ""


# --- Pupils ----------------------------------------------------------------------------------


class _Pupil:
    """One Pupil element being read: its problems are collected, each naming the pupil."""

    def __init__(self, result, number, element, today):
        self.result, self.element, self.today = result, element, today
        upn = normalise_upn(text(element, "UPN"))
        name = " ".join(p for p in (text(element, "Forename"), text(element, "Surname")) if p)
        self.label = f"Pupil {number}: " + " ".join(p for p in (upn, name) if p)
        self.valid = True

    def problem(self, path, message):
        self.result.errors.append(CtfProblem(self.label, path, message))
        self.valid = False

    def required(self, path):
        value = text(self.element, path)
        if not value:
            self.problem(path, "This is missing, and sendtrack needs it.")
        return value

    def date(self, path, value, *, future_ok=False):
        """An ISO date (CTF dates are yyyy-mm-dd), or None with a problem."""
        try:
            day = datetime.date.fromisoformat(value[:10])
        except ValueError:
            self.problem(path, f"“{value[:30]}” is not a date in the form yyyy-mm-dd.")
            return None
        if not future_ok and day > self.today:
            self.problem(path, f"{day:%d/%m/%Y} is in the future.")
            return None
        return day

    def whole(self, path, value, *, low=0, high=9999):
        try:
            number = int(value)
        except ValueError:
            self.problem(path, f"“{value[:20]}” is not a whole number.")
            return None
        if not low <= number <= high:
            self.problem(path, f"{number} is not between {low} and {high}.")
            return None
        return number


def _read_pupils(result, root, today):
    result.columns = header(root)
    data = root.find("CTFpupilData")
    pupils = data.findall("Pupil") if data is not None else []
    if not pupils:
        raise FileProblem("The file has no pupils in it (no CTFpupilData/Pupil elements).")
    seen = {}
    for number, element in enumerate(pupils, start=1):
        reader = _Pupil(result, number, element, today)
        row = read_pupil(reader)
        if not reader.valid:
            continue
        if row["upn"] in seen:
            reader.problem("UPN", f"This UPN is also pupil {seen[row['upn']]}'s: a pupil appears once.")
            continue
        seen[row["upn"]] = number
        row["row"] = number
        result.rows.append(row)


def read_pupil(reader):
    """One Pupil element as a JSON-ready dict; problems go to `reader`."""
    element = reader.element
    row = {"upn": _upn(reader), "fields": _identity(reader)}
    details = element.find("BasicDetails")
    row["fields"].update(_details(reader, details))
    born = row["fields"].get("date_of_birth")
    born = datetime.date.fromisoformat(born) if born else None
    fsm, pupil_premium = _fsm(reader, element.find("FSMhistory"))
    if fsm is not None:
        row["fields"]["fsm"] = fsm
    row["pp_evidence"] = pupil_premium or bool(row["fields"].get("lac"))
    history = element.find("SENhistory")
    row["sen"] = _sen_spells(reader, history, born)
    needs = element.find("SENhistory/SENneeds")
    needs = needs if needs is not None else element.find("SENneeds")
    if needs is not None:
        row["fields"].update(_needs(reader, needs))
    row["attendance"] = _attendance(reader, element.find("Attendance"))
    row["results"] = _stage_results(reader, element.find("StageAssessments"))
    return row


def _upn(reader):
    upn = normalise_upn(reader.required("UPN"))
    if upn:
        try:
            validate_upn(upn)
        except ValidationError as error:
            reader.problem("UPN", " ".join(error.messages))
    return upn


def _identity(reader):
    fields = {
        "legal_surname": reader.required("Surname")[:100],
        "legal_forename": reader.required("Forename")[:100],
    }
    born = reader.required("DOB")
    if born:
        day = reader.date("DOB", born)
        fields["date_of_birth"] = day.isoformat() if day else None
    element = reader.element
    path = "Sex" if element.find("Sex") is not None else "Gender"
    sex = reader.required(path).upper()
    if sex and sex not in ("F", "M"):
        reader.problem(path, f"“{sex[:10]}”: sendtrack records F or M.")
    fields["gender"] = sex
    return fields


def _flag(value):
    value = value.lower()
    return True if value in TRUE else False if value in FALSE else None


def _details(reader, details):
    """Preferred forename, year group, EAL, looked after and service child, where present."""
    fields = {}
    if details is None:
        reader.problem("BasicDetails/NCyearActual", "This is missing, and sendtrack needs the year group.")
        return fields
    if details.find("PreferredForename") is not None:
        preferred = text(details, "PreferredForename")
        fields["preferred_forename"] = (
            "" if preferred == text(reader.element, "Forename") else preferred[:100]
        )
    year = reader.required("BasicDetails/NCyearActual").upper()
    if year == "R":
        fields["year_group"] = 0
    elif DIGITS.fullmatch(year) and 1 <= int(year) <= 13:
        fields["year_group"] = int(year)
    elif year:
        reader.problem(
            "BasicDetails/NCyearActual",
            f"“{year[:10]}”: sendtrack takes Reception (R) to year 13, not nursery or no year group.",
        )
    first = [t for t in details.findall("Languages/Type") if text(t, "LanguageType").upper() == "F"]
    if first:
        language = text(first[0], "Language").upper()
        if language not in LANGUAGE_UNKNOWN:
            fields["eal"] = language not in ENGLISH
    in_care = _flag(text(details, "InCare/InCare") or text(details, "InCare"))
    if in_care is not None:
        fields["lac"] = in_care
    service = text(details, "ServiceChild").upper()
    if service in ("Y", "N"):
        fields["service_child"] = service == "Y"
    return fields


def _fsm(reader, history):
    """(eligible today, eligible in the last six years); (None, False) with no FSM history."""
    if history is None:
        return None, False
    now, ever = False, False
    since = reader.today.replace(year=reader.today.year - EVER_FSM_YEARS, day=min(reader.today.day, 28))
    for instance in history.findall("FSMinstance"):
        start = text(instance, "FSMstartDate")
        end = text(instance, "FSMendDate")
        start = reader.date("FSMhistory/FSMinstance/FSMstartDate", start) if start else None
        end = reader.date("FSMhistory/FSMinstance/FSMendDate", end, future_ok=True) if end else None
        if start is None:
            continue
        if end is not None and end < start:
            reader.problem("FSMhistory/FSMinstance/FSMendDate", f"{end:%d/%m/%Y} is before its start.")
            continue
        now = now or end is None or end >= reader.today
        ever = ever or end is None or end >= since
    return now, ever


def _sen_spells(reader, history, born):
    """The SEN spells as dated status changes [(status, iso date)], in date order: each spell
    from its StartDate, and a return to N the day after an EndDate no other spell follows."""
    if history is None:
        return []
    spells = []
    for spell in history.findall("SEN"):
        code = text(spell, "SENprovision").upper()
        start = text(spell, "StartDate")
        if not start:
            reader.problem("SENhistory/SEN/StartDate", "A SEN spell has no start date.")
            continue
        day = reader.date("SENhistory/SEN/StartDate", start)
        if code not in PROVISION:
            reader.problem(
                "SENhistory/SEN/SENprovision", f"“{code[:10]}” is not a SEN provision code (N, K or E)."
            )
            continue
        end = text(spell, "EndDate")
        end = reader.date("SENhistory/SEN/EndDate", end, future_ok=True) if end else None
        if day is None:
            continue
        if born and day < born:
            reader.problem("SENhistory/SEN/StartDate", f"{day:%d/%m/%Y} is before the pupil was born.")
            continue
        spells.append((day, PROVISION[code], end))
    return _changes(reader, sorted(spells))


def _changes(reader, spells):
    changes = {}
    for index, (start, status, end) in enumerate(spells):
        if changes.get(start, status) != status:
            reader.problem(
                "SENhistory/SEN/StartDate",
                f"Two SEN spells start on {start:%d/%m/%Y} with different provision "
                f"({changes[start]} and {status}).",
            )
            continue
        changes[start] = status
        following = spells[index + 1][0] if index + 1 < len(spells) else None
        if end is not None and status != SenStatus.NONE:
            after = end + datetime.timedelta(days=1)
            if after <= reader.today and (following is None or following > after):
                changes.setdefault(after, SenStatus.NONE)
    # Two spells of one status in a row (a plan reviewed, a spell re-entered) are one spell.
    kept, previous = [], None
    for day, status in sorted(changes.items()):
        if status != previous:
            kept.append((status, day.isoformat()))
        previous = status
    return kept


def _needs(reader, needs):
    """Primary (rank 1) and secondary (rank 2) need; a rank beyond 2 is not held by sendtrack."""
    ranked = {}
    for need in needs.findall("SENneed"):
        kind = text(need, "SENtype").upper()
        rank = text(need, "SENtypeRank") or "1"
        if kind not in NEEDS:
            reader.problem("SENneeds/SENneed/SENtype", f"“{kind[:10]}” is not a type of SEN need.")
            continue
        if not DIGITS.fullmatch(rank):
            reader.problem("SENneeds/SENneed/SENtypeRank", f"“{rank[:10]}” is not a rank (1, 2, ...).")
            continue
        if int(rank) in ranked and ranked[int(rank)] != kind:
            reader.problem("SENneeds/SENneed/SENtypeRank", f"Two needs are both ranked {rank}.")
            continue
        ranked[int(rank)] = kind
    fields = {"primary_need": ranked.get(1, ""), "secondary_need": ranked.get(2, "")}
    if fields["secondary_need"] and not fields["primary_need"]:
        reader.problem("SENneeds/SENneed/SENtypeRank", "There is a need ranked 2 but none ranked 1.")
    elif fields["secondary_need"] and fields["secondary_need"] == fields["primary_need"]:
        reader.problem("SENneeds/SENneed/SENtype", "The need ranked 2 is the same as the need ranked 1.")
    return fields


ATTENDANCE_NUMBERS = (
    ("possible_sessions", "SessionsPossible"),
    ("authorised_absence", "SessionsAuthorised"),
    ("unauthorised_absence", "SessionsUnauthorised"),
)


def _attendance(reader, attendance):
    """Each YearData: a year's sessions at one school."""
    if attendance is None:
        return []
    years, keys = [], set()
    for data in attendance.findall("YearData"):
        path = "Attendance/YearData"
        year = reader.whole(f"{path}/Year", text(data, "Year"), low=1990, high=reader.today.year)
        record = {
            "la_code": text(data, "LEA")[:3],
            "estab": text(data, "Estab")[:4],
            "urn": text(data, "URN"),
        }
        record["school_name"] = text(data, "SchoolName")[:200]
        for name, tag in ATTENDANCE_NUMBERS:
            value = text(data, tag) or ("0" if name != "possible_sessions" else "")
            record[name] = reader.whole(f"{path}/{tag}", value, high=1000) if value else None
        if year is None or record["possible_sessions"] is None:
            if year is not None:
                reader.problem(f"{path}/SessionsPossible", "This is missing.")
            continue
        absent = (record["authorised_absence"] or 0) + (record["unauthorised_absence"] or 0)
        attended = text(data, "SessionsAttended")
        attended = reader.whole(f"{path}/SessionsAttended", attended, high=1000) if attended else None
        record["attended_sessions"] = record["possible_sessions"] - absent if attended is None else attended
        if record["attended_sessions"] + absent > record["possible_sessions"]:
            reader.problem(
                f"{path}/SessionsPossible",
                f"{year}: attended and absent sessions add up to {record['attended_sessions'] + absent}, "
                f"more than the {record['possible_sessions']} possible.",
            )
            continue
        key = (year, record["la_code"], record["estab"])
        if key in keys:
            reader.problem(f"{path}/Year", f"The year {year} at the same school appears twice.")
            continue
        keys.add(key)
        years.append({"academic_year": year, **record})
    return years


def _stage_results(reader, assessments):
    """Key stage results as the CTF codes them, one per stage, year, subject, method, component."""
    if assessments is None:
        return []
    results, keys = [], set()
    for stage in assessments.findall("KeyStage"):
        stage_name = text(stage, "Stage").upper()[:8]
        for item in stage.findall("StageAssessment"):
            path = "StageAssessments/KeyStage/StageAssessment"
            result = {
                "stage": stage_name,
                "subject": text(item, "Subject").upper()[:8],
                "method": text(item, "Method").upper()[:8],
                "component": text(item, "Component").upper()[:12],
                "result": text(item, "Result")[:12],
                "result_qualifier": text(item, "ResultQualifier").upper()[:4],
            }
            year = reader.whole(f"{path}/Year", text(item, "Year"), low=1990, high=reader.today.year)
            when = text(item, "ResultDate")
            when = reader.date(f"{path}/ResultDate", when) if when else None
            if year is None or not (stage_name and result["subject"] and result["result"]):
                if year is not None:
                    reader.problem(path, "A result needs its Stage, Subject and Result.")
                continue
            key = (stage_name, year, result["subject"], result["method"], result["component"])
            if key in keys:
                continue  # the same result twice: one is enough
            keys.add(key)
            results.append({**result, "year": year, "result_date": when.isoformat() if when else None})
    return results
