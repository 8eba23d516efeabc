"""The triggers that keep the worker counts (protection.summaries), and a first recount."""

from django.db import migrations


def install(apps, schema_editor):
    from protection import summaries

    with schema_editor.connection.cursor() as cursor:
        summaries.install(cursor)


def uninstall(apps, schema_editor):
    from protection import summaries

    with schema_editor.connection.cursor() as cursor:
        summaries.uninstall(cursor)


class Migration(migrations.Migration):
    dependencies = [
        ("protection", "0005_worker_counts"),
        ("candidates", "0007_merge"),
        ("placements", "0008_external_ids"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
