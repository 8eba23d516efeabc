"""The triggers that keep the summaries (dashboards.summaries), and a first recount of existing rows."""

from django.db import migrations


def install(apps, schema_editor):
    from dashboards import summaries

    with schema_editor.connection.cursor() as cursor:
        summaries.install(cursor)


def uninstall(apps, schema_editor):
    from dashboards import summaries

    with schema_editor.connection.cursor() as cursor:
        summaries.uninstall(cursor)


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0001_summaries"),
        ("candidates", "0007_merge"),
        ("placements", "0008_external_ids"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
