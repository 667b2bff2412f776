"""EHC plan annual review rules, with fixed dates."""

import datetime

import pytest

from plans.models import ReviewState, annual_review_due, reminder_from, review_state

D = datetime.date


@pytest.mark.parametrize(
    ("last", "due", "reminder"),
    [
        # Twelve months on; reminders eight weeks (56 days) before: 15/01/2027 - 56 days.
        (D(2026, 1, 15), D(2027, 1, 15), D(2026, 11, 20)),
        # A review on 30 June moves the next one to 30 June; 56 days before is 5 May.
        (D(2026, 6, 30), D(2027, 6, 30), D(2027, 5, 5)),
        # 29 February has no anniversary: the 28th. 28/02/2025 - 56 days = 03/01/2025.
        (D(2024, 2, 29), D(2025, 2, 28), D(2025, 1, 3)),
    ],
)
def test_due_twelve_months_on_and_reminded_eight_weeks_before(last, due, reminder):
    assert annual_review_due(last) == due
    assert reminder_from(due) == reminder


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (D(2026, 11, 19), ReviewState.NOT_YET_DUE),  # the day before reminders start
        (D(2026, 11, 20), ReviewState.DUE_SOON),  # reminders start
        (D(2027, 1, 15), ReviewState.DUE_SOON),  # due today: not yet overdue
        (D(2027, 1, 16), ReviewState.OVERDUE),
    ],
)
def test_review_state_around_the_due_date(today, state):
    assert review_state(D(2027, 1, 15), today) == state
