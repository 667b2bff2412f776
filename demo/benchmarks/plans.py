"""`manage.py benchmark --only plans`: the SENCO's list of reviews, a pupil's plans page, and
the plan, history and passport documents, on the demo school."""

from django.db.models import Count
from django.urls import reverse

from plans.models import EhcPlan, PupilPassport, SupportPlan


def measure(bench):
    senco = bench.client("senco")
    school = bench.main.school

    def get(url, **params):
        def run():
            response = senco.get(url, params)
            assert response.status_code == 200, response.status_code

        return run

    counts = SupportPlan.objects.filter(pupil__school=school).aggregate(plans=Count("pk"))
    yield ("support plans in the demo school", counts["plans"])
    yield ("EHC plans in the demo school", EhcPlan.objects.filter(pupil__school=school).count())
    yield ("plans and reviews list (SENCO)", bench.timed(get(reverse("plans:index"))))
    longest = (
        SupportPlan.objects.filter(pupil__school=school, status="open").order_by("-number", "pk").first()
    )
    if longest is None:
        return
    pupil = longest.pupil_id
    yield (
        f"pupil plans page ({longest.number} versions)",
        bench.timed(get(reverse("plans:pupil", args=[pupil]))),
    )
    yield ("plan page (HTML)", bench.timed(get(reverse("plans:plan", args=[longest.pk]))))
    yield ("plan PDF", bench.timed(get(reverse("plans:plan", args=[longest.pk]), format="pdf"), repeat=3))
    history = reverse("plans:plan_history", args=[pupil])
    yield (f"plan history PDF ({longest.number} versions)", bench.timed(get(history, format="pdf"), repeat=3))
    passport = PupilPassport.objects.filter(pupil__school=school).first()
    if passport:
        url = reverse("plans:passport", args=[passport.pupil_id])
        yield ("pupil passport PDF", bench.timed(get(url, format="pdf"), repeat=3))
