"""The live calculation of the trust comparison: one school's figures for each of the last three
academic years, as counts, by the definitions the school's own pages use.

- Register (this year): pupils on roll now, with SEND and with an EHC plan today, as key
  question A counts them (gaps.shared.school_pupils).
- Attainment and progress: assessments in the core subjects at the latest point with data and
  the same point in the two years before, SEND pupils (as at each point) against pupils with no
  SEN, on the school's headline lines, exactly as key question B counts them
  (gaps.sen_status.status_report; "at or above ARE" and "expected progress or better").
- Persistent absence and suspensions: the pupils on roll, SEND today against everyone else, as
  questions E and F count them (gaps.absence.pupil_rows).
- Interventions: the year's runs, as the impact page values them
  (interventions.selectors.intervention_impact): pupil places, cost, exits judged and met.

Nothing here is hidden: the rollup keeps true counts and the page hides small groups when it
reads them (trusts.selectors).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from core.calendar import current_academic_year
from gaps.absence import pupil_rows, totals
from gaps.cohort import cohort_form
from gaps.sen_status import status_report
from gaps.shared import school_pupils, school_scheme
from interventions.selectors import intervention_impact
from pupils.models import SEN_STATUSES_ON_RECORD, SenStatus

YEARS = 3  # the year shown and the two before it: the trend


@dataclass
class FiguresReader:
    """Who the gap selectors are asked for a school's true figures as: the school, nothing
    hidden (suppress_below 0), and no role, so that it is never given a pupil."""

    school: object
    suppress_below: int = 0
    sees_pupils: bool = False
    role = None
    user_id = None

    @property
    def school_id(self):
        return self.school.pk


def rollup_years(today=None):
    """The academic years the comparison shows, oldest first."""
    this_year = current_academic_year(today)
    return list(range(this_year - YEARS + 1, this_year + 1))


def school_year_figures(school, *, today=None):
    """{academic year: {field: value}} for the last three years (trusts.models.COUNT_FIELDS,
    point_name and iv_cost): about twenty queries, whatever the size of the school."""
    reader = FiguresReader(school)
    years = rollup_years(today)
    figures = {year: _empty() for year in years}
    figures[years[-1]].update(_register(reader))
    cohort = cohort_form(reader, {}).cohort()  # all SEND, the latest point with data, as at
    _attainment(reader, cohort, figures)
    for year in years:
        figures[year].update(_attendance(reader, cohort, year))
        figures[year].update(_interventions(school, year))
    return figures


def _empty():
    empty = dict.fromkeys(
        (
            "att_f_n",
            "att_f_ok",
            "att_r_n",
            "att_r_ok",
            "prog_f_n",
            "prog_f_ok",
            "prog_r_n",
            "prog_r_ok",
        ),
        0,
    )
    return {"point_name": "", "pupils": None, "send": None, "ehcp": None, **empty}


def _register(reader):
    return school_pupils(reader).aggregate(
        pupils=Count("pk"),
        send=Count("pk", filter=Q(sen_status__in=SEN_STATUSES_ON_RECORD)),
        ehcp=Count("pk", filter=Q(sen_status=SenStatus.EHCP)),
    )


def _attainment(reader, cohort, figures):
    """Key question B's counts over the core subjects, all SEND against no SEN, for each year."""
    if cohort.point is None:
        return
    report = status_report(reader, cohort, school_scheme(reader), years=YEARS)
    names = {p.academic_year: p.name for p in cohort.points if p.order == cohort.point.order}
    for row in report.rows:
        year = figures.get(row.academic_year)
        if year is None:
            continue
        year["point_name"] = names.get(row.academic_year, "")
        for kind, shares in (("att", row.attainment), ("prog", row.progress)):
            for side, column in (("f", "send"), ("r", SenStatus.NONE)):
                year[f"{kind}_{side}_n"] += shares[column].denominator
                year[f"{kind}_{side}_ok"] += shares[column].numerator


def _attendance(reader, cohort, year):
    """Questions E and F's counts: SEND pupils on roll (today's status) against everyone else."""
    rows = pupil_rows(reader, cohort, year)
    everyone, send = totals(rows), totals(rows, focus=True)
    return {
        "pa_f_n": send["n_att"],
        "pa_f": send["pa"],
        "pa_r_n": everyone["n_att"] - send["n_att"],
        "pa_r": everyone["pa"] - send["pa"],
        "susp_f_n": send["n"],
        "susp_f": send["susp"],
        "susp_r_n": everyone["n"] - send["n"],
        "susp_r": everyone["susp"] - send["susp"],
    }


def _interventions(school, year):
    rows = intervention_impact(school, year)
    return {
        "iv_places": sum(r.pupils.value for r in rows),
        "iv_judged": sum(r.exit_met.judged for r in rows),
        "iv_met": sum(r.exit_met.met for r in rows),
        "iv_cost": sum((r.cost for r in rows), Decimal("0.00")),
    }
