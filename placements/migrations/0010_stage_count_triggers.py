"""The triggers that keep the stage counts (placements.summaries), and a first recount of existing rows."""

from django.db import migrations

from core.summaries import install_operation


class Migration(migrations.Migration):
    dependencies = [
        ("placements", "0009_stage_counts"),
        ("candidates", "0007_merge"),
    ]

    operations = [install_operation("placements.summaries")]
