"""The school calendar every app shares: the academic year (September to August), its label
("2025/26"), the three terms and the usual start of each term or half term.
"""

import datetime

from django.db import models
from django.utils import timezone


def academic_year_of(day):
    """The year in which the academic year containing `day` starts (September)."""
    return day.year if day.month >= 9 else day.year - 1


def current_academic_year(today=None):
    return academic_year_of(today or timezone.localdate())


def academic_year_label(start_year):
    return f"{start_year}/{(start_year + 1) % 100:02d}"


THREE_TERMS = ["Autumn", "Spring", "Summer"]
SIX_HALF_TERMS = ["Autumn 1", "Autumn 2", "Spring 1", "Spring 2", "Summer 1", "Summer 2"]
# (month, day) each term or half term usually starts; Easter moves, so summer is approximate and
# the SENCO can correct any date in the scheme editor.
_TERM_STARTS = {3: [(9, 1), (1, 3), (4, 15)], 6: [(9, 1), (11, 1), (1, 3), (2, 20), (4, 15), (6, 1)]}


def default_start(academic_year, order, count):
    """When the `order`th of `count` points of an academic year usually starts."""
    month, day = _TERM_STARTS.get(count, [])[order - 1] if count in _TERM_STARTS else (0, 0)
    if not month:
        # Any other number of points: spread over September to June.
        offset = round((order - 1) * 300 / max(count, 1))
        return datetime.date(academic_year, 9, 1) + datetime.timedelta(days=offset)
    return datetime.date(academic_year + (1 if month < 9 else 0), month, day)


class Term(models.IntegerChoices):
    AUTUMN = 1, "Autumn"
    SPRING = 2, "Spring"
    SUMMER = 3, "Summer"


def term_of(day):
    """The term a date falls in: September to December autumn, January to March spring (Easter
    moves; schools' spring data is collected by then), April to August summer."""
    if day.month >= 9:
        return Term.AUTUMN
    return Term.SPRING if day.month <= 3 else Term.SUMMER
