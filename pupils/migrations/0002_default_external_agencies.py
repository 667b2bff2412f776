from django.db import migrations

AGENCIES = [
    "Educational psychology service",
    "Speech and language therapy",
    "Occupational therapy",
    "Physiotherapy",
    "Child and adolescent mental health services (CAMHS)",
    "Community paediatrician",
    "School nursing",
    "Hearing impairment support service",
    "Visual impairment support service",
    "Specialist teacher / outreach service",
    "Social care",
    "Early Help",
    "Behaviour support service",
    "Virtual school (looked-after children)",
]


def add_agencies(apps, schema_editor):
    ExternalAgency = apps.get_model("pupils", "ExternalAgency")
    for name in AGENCIES:
        ExternalAgency.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("pupils", "0001_initial_pupils_and_sen_history")]

    operations = [migrations.RunPython(add_agencies, migrations.RunPython.noop)]
