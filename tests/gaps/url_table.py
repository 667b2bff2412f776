from core.roles import Role

DASHBOARD = {Role.SENCO, Role.HEAD, Role.GOVERNOR, Role.TRUST_LEAD}


def comparator_of(world_school):
    from gaps.models import NationalComparator

    return NationalComparator.objects.get_or_create(
        school=world_school.school,
        academic_year=2021,
        measure="rwm_expected",
        group="K",
        defaults={"numerator": 21462, "denominator": 101141},
    )[0]


PERMISSIONS = {
    "gaps:dashboard": ("get", DASHBOARD, False),
    "gaps:groups": ("get", DASHBOARD, False),
    "gaps:attainment": ("get", DASHBOARD, False),
    "gaps:grid": ("get", DASHBOARD, False),
    "gaps:pupils": ("get", DASHBOARD, False),
    "gaps:attendance": ("get", DASHBOARD, False),
    "gaps:finding": ("post", {Role.SENCO}, False),
    "gaps:comparators": ("get", DASHBOARD, False),
    "gaps:comparators_upload": ("post", {Role.SENCO}, False),
    "gaps:comparator": ("get", {Role.SENCO}, "comparator"),
}
TARGETS = {"comparator": comparator_of}
EXTRA_KWARGS = {"gaps:finding": {"key": "C"}}
