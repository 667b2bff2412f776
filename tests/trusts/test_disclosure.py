"""The disclosure checker (tests/disclosure_checker.py) over the trust comparison, as the demo's
trust lead reads it: the page as shown, and the same page with every school's threshold at 0
(the truth in the same layout). Every hidden figure is solved for from the shown ones, with the
lines a reader knows: a school's pupils are its SEND pupils and the others, its SEND pupils
those with an EHC plan and those on SEN support; every other share is its count and the rest of
its group. None may come out determined, and something must be hidden (the demo's second
school has fewer than 5 pupils with an EHC plan)."""

import pytest
from django.urls import reverse

from schools.models import School
from tests.disclosure_checker import Problem, figure, tables
from tests.reports.test_disclosure_checker import T, assert_safe, checker_demo, rows_by_label  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def read(client, checker_demo):  # noqa: F811
    client.force_login(checker_demo["users"]["trustlead"])
    url = reverse("trusts:comparison")
    shown = client.get(url)
    thresholds = dict(School.objects.values_list("pk", "suppression_threshold"))
    # The truth: no suppression, which the database allows only with a recorded reason.
    School.objects.update(suppression_threshold=0, suppression_override_reason="test truth")
    try:
        truth = client.get(url)
    finally:
        for pk, threshold in thresholds.items():
            School.objects.filter(pk=pk).update(
                suppression_threshold=threshold, suppression_override_reason=""
            )
    assert shown.status_code == truth.status_code == 200
    return tables(truth.content.decode()), tables(shown.content.decode())


def test_trust_comparison_cannot_be_worked_back(client, checker_demo):  # noqa: F811
    truth, shown = read(client, checker_demo)
    p = Problem(T)
    register = next(c for c in truth if c.startswith("Pupils on roll"))
    shown_rows = rows_by_label(shown[register])
    assert len(shown_rows) == 2  # both schools of the demo trust
    for school, row in rows_by_label(truth[register]).items():
        seen = shown_rows[school]
        p.from_cells(row[1], seen[1], (school, "pupils"))
        p.from_cells(row[2], seen[2], (school, "send"), (school, "pupils"))
        p.from_cells(row[4], seen[4], (school, "ehcp"), (school, "pupils"))
        pupils, send, ehcp = figure(row[1])[1], figure(row[2])[1], figure(row[4])[1]
        p.unknown((school, "no send"), pupils - send)
        p.unknown((school, "sen support"), send - ehcp)
        p.line((school, "pupils"), [(school, "send"), (school, "no send")])
        p.line((school, "send"), [(school, "ehcp"), (school, "sen support")])
    for caption, table in truth.items():
        if caption == register:
            continue
        rows = rows_by_label(shown[caption])
        for school, row in rows_by_label(table).items():
            for column, text in enumerate(row):
                true_share = figure(text)
                if not true_share or true_share[0] != "share":
                    continue
                key = (caption, school, column)
                p.from_cells(text, rows[school][column], (*key, "k"), (*key, "n"))
                p.unknown((*key, "rest"), true_share[2] - true_share[1])
                p.line((*key, "n"), [(*key, "k"), (*key, "rest")])
    assert_safe(p)
