"""Findings drafted as sentences from the figures, for the SENCO to edit and keep."""

from collections import Counter

from core.gap_direction import CLOSED, NARROWED, REVERSED, UNCHANGED, WIDENED
from core.words import listed


def _change(change, when):
    """ "down from 55 since last term (narrowed)", or "" with nothing to compare
    (core.gap_direction words the change whichever group is ahead)."""
    if change.direction is None:
        return ""
    if change.direction == UNCHANGED:
        return f"unchanged since {when}"
    return f"{change.since} since {when} ({change.direction})"


def nobody_else(gaps):
    """Whether every pupil assessed at the point is in the group (a special school, where every
    pupil has SEND): a gap row exists only where someone was assessed, and no one outside the
    group was, so no in-school gap exists. Read from the true counts, as disclosure control
    replaces the shares a governor reads; a count of zero is no small group, so every reader
    may be told it."""
    return bool(gaps) and all(g.rest_assessed == 0 for g in gaps)


def draft_c(gaps, cohort, *, subjects=""):
    """The largest gap over the true figures, whoever reads it; a governor reads where it is and,
    when disclosure control hides them, that its figures are withheld. `subjects` says which
    subjects the gaps cover, when question C shows some of them ("core subjects (Reading, ...)")."""
    if nobody_else(gaps):
        return (
            f"{cohort.label}: every pupil assessed at this point is in this group, so there is no one "
            "else in the school to compare with and no in-school gap. The group's attainment, and its "
            "progress with each pupil judged on their own framework, are in the grids; national "
            "figures are on B."
        )
    gaps = [g for g in gaps if g.true_points is not None]
    covering = f" Gaps compared in {subjects}." if subjects else ""
    if not gaps:
        return "There are not yet enough assessments at this point to compare the groups." + covering
    top = gaps[0]
    where = f"The largest in-school gap is {top.subject.name} in {top.label}"
    if top.withheld:
        sentence = (
            f"{where} (its figures are withheld: they would identify groups of fewer than "
            f"{_threshold(top)} pupils)"
        )
    else:
        sentence = f"{where}: {cohort.label} {top.focus}, everyone else {top.rest}, so {top.standing}"
    changes = [
        _change(top.change_since_last_point, "last term"),
        _change(top.change_since_last_year, "last year"),
    ]
    changes = [c for c in changes if c]
    sentence += ("; " + " and ".join(changes) if changes else "") + "."
    moved = Counter(g.change_since_last_point.direction for g in gaps)
    counted = [(moved[d], d) for d in (NARROWED, WIDENED, CLOSED, REVERSED) if moved[d]]
    if counted:
        parts = [f"{n} {d}" for n, d in counted]
        n = counted[0][0]
        parts[0] = f"{n} gap{'s' if n != 1 else ''} {counted[0][1]}"
        sentence += f" Since the last point: {listed(parts)}."
    return sentence + covering


def in_sentence(label):
    """A group's label inside a sentence: "Pupil premium" becomes "pupil premium", but a name
    that starts with an abbreviation or a proper word keeps its capitals ("EAL", "GPS")."""
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first[1:].islower():
        return label[0].lower() + label[1:]
    return label


def _threshold(gap):
    return max(gap.focus.threshold, gap.rest.threshold)


def draft_a(report):
    over = [in_sentence(g.label) for g in report.groups if g.over_represented]
    national = f"national {report.national_year}: {report.national_send}% SEND"
    text = f"{report.cohort.label}: {report.focus_share} of pupils on roll ({national})."
    if over:
        text += " Over-represented in this group against the whole school: " + ", ".join(over) + "."
    n = report.several_groups
    text += f" {n} pupil{'s are' if n != 1 else ' is'} in two or more vulnerable groups."
    return text


def draft_b(report):
    rows = [r for r in report.rows if r.attainment["send"].denominator]
    if not rows:
        return "No core-subject assessments are recorded at this point."
    latest = rows[0].academic_year
    parts = []
    for r in rows:
        if r.academic_year != latest:
            continue
        parts.append(f"{r.subject.name}: " + ", ".join(_line_parts(r)))
    return "; ".join(parts) + "."


def _line_parts(row):
    """Every line of the scheme for SEND pupils against pupils with no SEN, the national figure
    beside the headline attainment line: "SEND 55% (6/11) made good or outstanding progress
    (no SEN 78% (7/9))"."""
    parts = []
    for i, shares in enumerate(row.lines):
        send, none = shares.shares["send"], shares.shares["N"]
        if send is None:
            parts.append(f"SEND {shares.line.name}: not shown")
            continue
        part = f"SEND {shares.line.says(send)} (no SEN {none or 'not shown'})"
        if i == 0 and shares.line.field == "attainment" and row.national.get("send"):
            part += f", national SEND {row.national['send'].percent}%"
        said = row.by_framework.get("send") if shares.line.headline else None
        if said is not None and shares.line.field == "progress":
            # The headline progress line by framework (gaps.frameworks): "SEND pupils 12 of 15
            # ...: 6 of 8 on the school's scale, 3 of 3 on small steps".
            part += f" [SEND pupils {said.says()}]"
        parts.append(part)
    return parts


def draft_e(report):
    focus, rest = report.by_group[0], report.by_group[1]
    text = (
        f"{focus.label}: attendance {focus.rate or 'not recorded'}, persistently absent {focus.persistent}; "
    )
    text += f"everyone else: attendance {rest.rate or 'not recorded'}, persistently absent {rest.persistent}."
    over = [row.label for row in report.exclusions if row.over_represented]
    if over:
        text += " Over-represented among pupils suspended: " + ", ".join(over) + "."
    return text


def draft_d(report):
    """Targets met per core subject, the watch list and the intervention comparison."""
    if report.cohort.point is None:
        return ""
    parts = [f"{t.subject.name} {t.on_target}" for t in report.targets if t.on_target.denominator]
    if parts and report.targets_due:
        text = (
            f"{report.cohort.label} who met their end-of-year targets at {report.cohort.point}: "
            + "; ".join(parts)
            + "."
        )
    elif parts:
        text = (
            f"{report.cohort.label} on track for their end-of-year targets at {report.cohort.point} "
            "(against the line from their starting point to the target): " + "; ".join(parts) + "."
        )
    else:
        text = (
            f"No end-of-year targets of {report.cohort.label} can be compared yet at {report.cohort.point}."
        )
    if report.watch:
        pupils = len({w["pupil_id"] for w in report.watch})
        text += f" {pupils} pupil{'s are' if pupils != 1 else ' is'} on the watch list."
    enhanced = [i.subject.name for i in report.impact if i.enhanced]
    if enhanced:
        text += (
            " Pupils in an intervention gained more than comparable pupils in none in "
            + ", ".join(enhanced)
            + "."
        )
    return text
