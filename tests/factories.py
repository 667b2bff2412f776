import datetime

import factory
from django.contrib.auth import get_user_model
from stdnum.gb.upn import calc_check_digit

from assessment.models import Assessment, year_group_in
from core.roles import Role
from interventions.models import Intervention, InterventionPlace, InterventionRun
from pupils.models import Gender, Pupil, SenStatus, SenStatusChange
from schools.models import Membership, Organisation, OrganisationMembership, School, SchoolClass


def valid_upn(n):
    # Six serial digits, so that pupils made over a whole run never repeat a UPN (rows shared by
    # many tests, as the root `world`, live while thousands more pupils are made).
    body = f"886200{n % 1_000_000:06d}"
    return calc_check_digit(body) + body


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Trust {n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"School {n}")
    urn = factory.Sequence(lambda n: f"{100000 + n}")
    organisation = factory.SubFactory(OrganisationFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class OrganisationMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationMembership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.TRUST_LEAD


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = Role.SENCO


class SchoolClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolClass

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Class {n}")
    year_group = 4


class PupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pupil

    school = factory.SubFactory(SchoolFactory)
    upn = factory.Sequence(valid_upn)
    legal_forename = factory.Sequence(lambda n: f"Forename{n}")
    legal_surname = factory.Sequence(lambda n: f"Surname{n}")
    date_of_birth = datetime.date(2016, 3, 1)
    gender = Gender.FEMALE
    year_group = 4
    sen_status = SenStatus.NONE


class SenStatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SenStatusChange

    pupil = factory.SubFactory(PupilFactory)
    status = SenStatus.SEN_SUPPORT
    effective_date = datetime.date(2024, 9, 10)


class InterventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intervention

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Intervention {n}")


class InterventionRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterventionRun

    intervention = factory.SubFactory(InterventionFactory)
    start_date = datetime.date(2025, 9, 15)


class InterventionPlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterventionPlace

    run = factory.SubFactory(InterventionRunFactory)
    pupil = factory.SubFactory(PupilFactory)


# -- plans (issue 8) ---------------------------------------------------------------------------
class SupportPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.SupportPlan"

    pupil = factory.SubFactory(PupilFactory)
    number = 1
    starts_on = datetime.date(2025, 9, 15)
    review_date = datetime.date(2025, 12, 12)
    needs = "Reading fluency and working memory"


class PlanTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.PlanTarget"

    plan = factory.SubFactory(SupportPlanFactory)
    order = factory.Sequence(lambda n: n)
    outcome = "Reads with more confidence"
    target = factory.Sequence(lambda n: f"Reads {n + 20} of the 45 Year 1 common exception words")


class EhcPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.EhcPlan"

    pupil = factory.SubFactory(PupilFactory, sen_status=SenStatus.EHCP)
    plan_date = datetime.date(2025, 3, 1)
    next_review_due = factory.LazyAttribute(lambda o: o.plan_date.replace(year=o.plan_date.year + 1))


class EhcpOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.EhcpOutcome"

    plan = factory.SubFactory(EhcPlanFactory)
    order = factory.Sequence(lambda n: n)
    outcome = factory.Sequence(lambda n: f"Outcome {n}: communicates needs to an adult")
    provision = "Weekly speech and language therapy"


# -- evidence (issue 6) ------------------------------------------------------------------------


class EvidenceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "evidence.EvidenceItem"

    school = factory.SubFactory(SchoolFactory)
    source = "lesson_observation"
    date = datetime.date(2025, 10, 7)
    author = factory.SubFactory(UserFactory)
    summary = factory.Sequence(lambda n: f"Observation {n}: pupils worked with growing independence.")
    judgement = "strength"


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "evidence.Conversation"

    pupil = factory.SubFactory(PupilFactory)
    date = datetime.date(2025, 10, 14)
    academic_year = factory.LazyAttribute(lambda o: o.date.year if o.date.month >= 9 else o.date.year - 1)
    term = factory.LazyAttribute(lambda o: 1 if o.date.month >= 9 else (2 if o.date.month <= 3 else 3))
    attended = "Mother, class teacher"
    led_by = "teacher"
    recorded_by = factory.SubFactory(UserFactory)


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "evidence.Survey"

    school = factory.SubFactory(SchoolFactory)
    kind = "staff"
    title = factory.Sequence(lambda n: f"Survey {n}")


def assessment_create(**fields):
    """An Assessment, with the pupil's year group at the point worked out by the rule the app
    writes (assessment.models.year_group_in) unless `year_group` is given."""
    fields.setdefault("year_group", year_group_in(fields["pupil"], fields["point"].academic_year))
    return Assessment.objects.create(**fields)
