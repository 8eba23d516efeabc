"""The triggers that keep the worker counts (protection.summaries), and a first recount."""

from django.db import migrations

from core.summaries import install_operation


class Migration(migrations.Migration):
    dependencies = [
        ("protection", "0005_worker_counts"),
        ("candidates", "0007_merge"),
        ("placements", "0008_external_ids"),
    ]

    operations = [install_operation("protection.summaries")]
