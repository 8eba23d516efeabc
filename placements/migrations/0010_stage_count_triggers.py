"""The triggers that keep the stage counts (placements.summaries), and a first recount of existing rows."""

from django.db import migrations


def install(apps, schema_editor):
    from placements import summaries

    with schema_editor.connection.cursor() as cursor:
        summaries.install(cursor)


def uninstall(apps, schema_editor):
    from placements import summaries

    with schema_editor.connection.cursor() as cursor:
        summaries.uninstall(cursor)


class Migration(migrations.Migration):
    dependencies = [
        ("placements", "0009_stage_counts"),
        ("candidates", "0007_merge"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
