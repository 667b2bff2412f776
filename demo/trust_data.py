"""The trust comparison's rollup for every demo school (trusts.services), once the figures it
rolls up are all in: the demo writes in bulk, past the services that refresh it after a change."""

from trusts.services import rollup_refresh


def add_rollups(builder, demo):
    for built in demo["schools"]:
        rollup_refresh(school_id=built.school.pk, today=builder.today)
