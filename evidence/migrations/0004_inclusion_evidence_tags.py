"""Evidence tags for the renewed framework's inclusion evaluation area (School inspection toolkit,
November 2025, "Inclusion"), numbered after the thirteen Appendix A prompts, as data."""

from django.db import migrations

INCLUSION_PROMPTS = [(14,
  'Inclusion: identifying needs',
  "Leaders and staff identify pupils' needs and barriers early and accurately, including for pupils known to "
  "children's social care and young carers.",
  'How quickly, and how accurately, are needs identified after a concern is raised?'),
 (15,
  'Inclusion: high expectations',
  'Staff have high expectations of disadvantaged pupils and pupils with SEND, who follow an ambitious '
  'curriculum.',
  'Where do disadvantaged pupils and pupils with SEND fall behind the others, and what is done about it?'),
 (16,
  'Inclusion: adaptations and support',
  'Adaptations and support are planned, put in place and reviewed, and changed when they do not work.',
  'Are plans reviewed on time, and does the support they set out make a difference?'),
 (17,
  'Inclusion: specialists and families',
  'The school works with specialists and other agencies, and with parents and carers, so that support meets '
  "pupils' needs.",
  'Which agencies are involved, and how often do families take part in planning and review?'),
 (18,
  'Inclusion: achieve, belong, thrive',
  'Disadvantaged pupils and pupils with SEND achieve well, attend, belong to the school community and '
  'thrive, and are not removed from it.',
  'How do their attainment, attendance and suspensions compare with those of other pupils?')]


def load(apps, schema_editor):
    prompt = apps.get_model("evidence", "OfstedPrompt")
    for number, short, text, asked in INCLUSION_PROMPTS:
        prompt.objects.update_or_create(number=number, defaults={"short": short, "text": text, "question": asked})


def unload(apps, schema_editor):
    apps.get_model("evidence", "OfstedPrompt").objects.filter(
        number__in=[number for number, *_ in INCLUSION_PROMPTS], evidence__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("evidence", "0003_history_of_evidence_links")]

    operations = [migrations.RunPython(load, unload)]
